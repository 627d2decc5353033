"""The doctor's view of a Selenium Grid: the hub's ``/status`` read once, a line for the hub and one per node.

Why: with ``BOOKER_REMOTE_WEBDRIVER_URL`` every browser comes from the hub, and a session request to a hub
with no live node waits in its queue until it times out, so the operator needs the hub and each node named
with what is wrong rather than one slow ✗ on the test page. Selenium Grid 4 answers ``GET /status`` with
``value.ready``, ``value.message`` and ``value.nodes[]`` (``uri``, ``availability``: UP, DOWN or DRAINING,
``slots[]`` with ``stereotype.browserName`` and the running ``session`` or null). A plain WebDriver server
(a standalone chromedriver) answers ``/status`` without nodes: one line, no node lines.
"""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass
from typing import Any

from booking.runtime.doctor_checks import Check, Http
from booking.runtime.failures import first_line

BROWSERS = ("chrome", "chromium")  # what Booker asks the hub for


@dataclass(frozen=True)
class GridReading:
    """The hub's answer, read: its lines, and whether a test page through it can get a browser now."""

    checks: list[Check]
    free_slots: int

    @property
    def usable(self) -> bool:
        """The hub answers and some node is UP: a session request won't wait for a node that isn't there."""
        return self.checks[0].ok


def status_url(remote_url: str) -> str:
    """``/status`` beside the WebDriver endpoint (Grid 4 serves it at its root; ``/wd/hub`` is Grid 3's prefix)."""
    base = remote_url.rstrip("/")
    if base.endswith("/wd/hub"):
        base = base[: -len("/wd/hub")]
    return base + "/status"


def _slots(node: dict[str, Any]) -> tuple[int, int]:
    """(free, all) chrome slots of one node; a slot is free when it runs no session."""
    chrome = [s for s in node.get("slots") or [] if ((s.get("stereotype") or {}).get("browserName")) in BROWSERS]
    return sum(not s.get("session") for s in chrome), len(chrome)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def read_status(hub: str, value: dict[str, Any]) -> GridReading:
    """The lines for one ``/status`` answer: the hub's, then each node's."""
    nodes = value.get("nodes")
    if not isinstance(nodes, list):  # a WebDriver server, not a Grid: nothing more to name
        message = value.get("message") or "no message"
        if value.get("ready"):
            return GridReading([Check(True, f"Remote WebDriver {hub}", f"ready ({message})")], 1)
        return GridReading([Check(False, f"Remote WebDriver {hub}", f"not ready ({message})")], 0)
    lines = []
    up = free = total = 0
    for node in sorted(nodes, key=lambda n: str(n.get("uri") or n.get("id"))):  # the hub's order varies; ours doesn't
        uri = node.get("uri") or node.get("id") or "?"
        availability = str(node.get("availability") or "UNKNOWN").upper()
        node_free, node_all = _slots(node)
        if availability == "UP":
            up += 1
            free, total = free + node_free, total + node_all
            lines.append(Check(node_all > 0, f"Grid node {uri}", f"UP, {node_free} of {node_all} chrome slots free"
                               if node_all else "UP, but no chrome slot: configure Chromium on it "
                                                "(deploy/grid-node.toml)"))
        elif availability == "DRAINING":
            lines.append(Check(True, f"Grid node {uri}", "DRAINING: finishes its sessions, takes no new ones"))
        else:
            lines.append(Check(False, f"Grid node {uri}", f"{availability}; restart it (or remove it from the hub)"))
    if not up:
        seen = f" ({_plural(len(nodes), 'node')} registered, none UP)" if nodes else " (no node registered)"
        hub_line = Check(False, f"Grid hub {hub}", f"no node is UP{seen}: start one with java -jar selenium-server"
                                                   f".jar node --hub {hub} --config deploy/grid-node.toml")
    elif not total:
        hub_line = Check(False, f"Grid hub {hub}", f"{_plural(up, 'node')} up but no chrome slot: configure Chromium "
                                                   "on the nodes (deploy/grid-node.toml)")
    else:
        hub_line = Check(True, f"Grid hub {hub}", f"{'ready' if value.get('ready') else 'not ready'}, "
                                                  f"{_plural(up, 'node')} up, {free} of {total} chrome slots free")
    return GridReading([hub_line, *lines], free)


def check_grid(remote_url: str, http: Http) -> GridReading:
    """Ask the hub once; an unreachable hub or an answer that isn't Grid JSON is one ✗ line."""
    url = status_url(remote_url)
    hub = url[: -len("/status")]
    try:
        status, _headers, body = http(urllib.request.Request(url, method="GET"))
        answer = json.loads(body or b"{}")
    except (OSError, ValueError) as exc:
        reason = first_line(getattr(exc, "reason", exc), 120)  # urllib's "<urlopen error …>" without the wrapper
        return GridReading([Check(False, f"Grid hub {hub}", f"can't reach it ({reason}); start the hub or fix "
                                                            "BOOKER_REMOTE_WEBDRIVER_URL")], 0)
    value = answer.get("value") if isinstance(answer, dict) else None
    if not isinstance(value, dict):
        return GridReading([Check(False, f"Grid hub {hub}", f"{url} answered HTTP {status}, not a WebDriver status; "
                                                            "is BOOKER_REMOTE_WEBDRIVER_URL the hub's address?")], 0)
    return read_status(hub, value)
