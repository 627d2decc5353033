"""Throughput through a real Selenium Grid: bookings per minute on local drivers, one node, two nodes.

The same batch of bookings (one Calendly host each, so they never race for a slot) runs three ways
in one run: Booker's local chromedriver (the baseline), a Grid hub with one node, a hub with two
nodes; two browsers at a time in every case. On one 2-core machine the nodes share the cores, so
two nodes can't beat one here: the figure that matters is the Grid's own cost (hub → node → browser
vs a local driver). Each added machine with its own node should add its own browsers' throughput.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.common import Result, bench_settings

BOOKINGS = 6
BROWSERS = 2


def _batch(settings: Any, calendly: Any, offset: int) -> tuple[float, int]:
    """(seconds, bookings confirmed) for BOOKINGS bookings queued at once."""
    from booking.notify.console import ConsoleNotifier
    from booking.runtime.wiring import build_service
    from booking.workflow.requests import BookingRequestInput, Teammate

    service = build_service(settings, notifiers=lambda view: ConsoleNotifier(quiet=True))
    try:
        started = time.perf_counter()
        ids = []
        for n in range(offset, offset + BOOKINGS):
            teammate = Teammate(name=f"Bench {n}", email=f"bench{n}@axa.example", timezone="Europe/Helsinki")
            view = service.request_booking(BookingRequestInput(
                teammate=teammate, url=calendly.event_url(f"host-{n}", "intro"), platform="calendly"))
            service.start(view.id)
            ids.append(view.id)
        service.runner.wait_idle()
        seconds = time.perf_counter() - started
        confirmed = sum(1 for i in ids if service.get(i).status == "confirmed")
    finally:
        service.runner.shutdown()
    return seconds, confirmed


def run() -> list[Result]:
    from datetime import datetime, timezone

    from replicas.calendly import CalendlyEventType, CalendlyHost
    from replicas.world import build_calendly, working_slots
    from tests.grid.grid import SeleniumGrid

    settings = bench_settings(BOOKER_MAX_BROWSERS=str(BROWSERS))
    results: list[Result] = []
    with build_calendly() as calendly:
        now = datetime.now(timezone.utc)
        for n in range(4 * BOOKINGS):
            calendly.add_host(CalendlyHost(f"host-{n}", f"Host {n}", f"host{n}@startup.example",
                                           [CalendlyEventType("intro", "Intro")], working_slots(now)))
        _batch(settings, calendly, 3 * BOOKINGS)  # warm-up: caches, the first Chromium start
        local, local_ok = _batch(settings, calendly, 0)
        rows = [("local chromedriver", local, local_ok)]
        for offset, (nodes, sessions) in ((BOOKINGS, (1, BROWSERS)), (2 * BOOKINGS, (2, 1))):
            with tempfile.TemporaryDirectory(prefix="booker-grid-") as workdir, \
                    SeleniumGrid(Path(workdir), nodes=nodes, sessions_per_node=sessions) as grid:
                seconds, ok = _batch(settings.with_overrides(remote_webdriver_url=grid.hub_url), calendly, offset)
                rows.append((f"Grid, {nodes} node{'s' if nodes > 1 else ''}", seconds, ok))
    for name, seconds, ok in rows:
        per_minute = 60 * ok / seconds
        ratio = seconds / local
        target = "baseline" if name.startswith("local") else "≤ 1.3× local"
        results.append(Result(f"throughput, {name}", per_minute, "bookings/min", target,
                              None if name.startswith("local") else ratio <= 1.3,
                              f"{ok}/{BOOKINGS} confirmed in {seconds:.1f} s, {BROWSERS} browsers at a time; "
                              f"{ratio:.2f}× the local run's time"))
    return results
