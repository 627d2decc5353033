"""The bot as an operator starts it (``python -m bot`` in HTTP mode): one health line when ready,
``GET /healthz`` answering 200 and a small JSON, and no library chatter at INFO."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bot_process(tmp_path, database_url, slack):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKER_", "DATABASE_", "SLACK_", "GOOGLE_"))}
    env.update({
        "DATABASE_URL": database_url, "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
        "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": slack.api_url,
        "BOOKER_HTTP_PORT": "0", "BOOKER_CHECK_INTERVAL_SECONDS": "60",
        "BOOKER_TEST_RUN": os.environ.get("BOOKER_TEST_RUN", ""), "PYTHONPATH": str(ROOT),
    })
    process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watchdog = threading.Timer(120, process.kill)  # a bot that never gets ready fails the test, not hangs it
    watchdog.start()
    lines: list[str] = []
    try:
        for text in process.stdout:  # type: ignore[union-attr]
            lines.append(text.rstrip("\n"))
            if "Booker bot ready:" in text:
                break
        yield process, lines
    finally:
        watchdog.cancel()
        process.terminate()
        process.wait(timeout=30)


def test_ready_line_and_healthz(bot_process):
    process, lines = bot_process
    ready = lines[-1]
    assert "Booker bot ready: HTTP on http://127.0.0.1:" in ready, lines
    assert "database sqlite:///" in ready and "(ok)" in ready and "confirmation monitor running" in ready
    # Quiet third-party loggers: no Alembic migration lines, no APScheduler job lines at INFO.
    assert not [text for text in lines if " alembic" in text or " apscheduler" in text], lines
    port = int(re.search(r"http://127\.0\.0\.1:(\d+)/slack/events", ready).group(1))
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
        assert response.status == 200 and response.headers["Content-Type"] == "application/json"
        assert json.loads(response.read()) == {"ok": True, "database": "ok", "scheduler": "running"}
