"""``python -m booking worker --health-port P``: a worker answers ``GET /healthz`` like the bot does, so an
operator (or a load balancer) can see each process of a several-machine set-up: its database, its
confirmation monitor and its booking jobs. Run as an operator runs it: a subprocess, stopped by SIGTERM."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.support.ui import WebDriverWait


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def worker_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKER_", "SLACK_", "DATABASE_"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'worker.db'}", "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots")})
    return env


def health(port: int) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def test_a_worker_answers_healthz_and_stops_on_sigterm(tmp_path):
    port = free_port()
    worker = subprocess.Popen([sys.executable, "-m", "booking", "worker", "--jobs", "2", "--health-port", str(port)],
                              env=worker_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        def answered(_: object) -> Any:
            try:
                return health(port)
            except (urllib.error.URLError, OSError):
                assert worker.poll() is None, worker.communicate()
                return False

        status, report = WebDriverWait(None, 60, poll_frequency=0.2).until(answered, "the worker's /healthz")
        assert status == 200 and report["ok"] is True
        assert (report["database"], report["scheduler"]) == ("ok", "running")
        assert (report["jobs"]["running"], report["jobs"]["at_once"], report["jobs"]["queued"]) == (0, 2, 0)
        assert report["jobs"]["by_kind"]["book"] == {"queued": 0, "running": 0}  # tests/store/test_job_kinds.py
        assert report["worker"].endswith(f":{worker.pid}")
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert f"health on http://127.0.0.1:{port}/healthz" in out.decode()
    assert b"Traceback" not in err


def test_a_health_port_in_use_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "booking", "worker", "--health-port", str(port)],
                              env=worker_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and f"can't serve /healthz on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("port", ["0", "70000"])
def test_a_health_port_out_of_range_is_refused(tmp_path, port):
    done = subprocess.run([sys.executable, "-m", "booking", "worker", "--health-port", port],
                          env=worker_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr == "error: --health-port is a TCP port: 1 to 65535\n"
