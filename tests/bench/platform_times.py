"""Booking time per replica: request → final state through the real service and headless Chromium.

Each case books one startup on a fresh replica and database, ``--runs`` times (default 3), and prints
the median and the spread in seconds. The clock is the tests' (Monday 1 Dec 2026, 08:00 UTC).

    python -m tests.bench [--runs 5] [--only calcom]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any, Callable

from booking.config.settings import Settings
from booking.runtime.wiring import build_service
from booking.workflow.requests import BookingRequestInput, Teammate
from replicas import world
from replicas.startup_site import StartupSite, calcom_inline, calendly_inline, chilipiper_concierge, hubspot_container
from tests.conftest import FakeClock

TEAMMATE = Teammate(name="Eduardo Paz", email="eduardo.paz@axa-innovation.example", timezone="Europe/Helsinki")

# name → (replica builder, startup, directory entries or an embed page builder, extra settings)
Entries = Callable[[Any, StartupSite], list[dict[str, Any]]]


def _embed(name: str, widget: Callable[[Any], Any]) -> Entries:
    def entries(replica: Any, site: StartupSite) -> list[dict[str, Any]]:
        return [{"name": name, "platform": "embed", "booking_url": site.add_page("/book", name, widget(replica))}]
    return entries


CASES: dict[str, tuple[Callable[..., Any], str, Entries, dict[str, str]]] = {
    "calendly (team page)": (world.build_calendly, "Acme Robotics", lambda r, s: world.directory_entries(r), {}),
    "calcom (instant)": (world.build_calcom, "Gamma AI", lambda r, s: world.calcom_entries(r), {}),
    "calcom (instant, API fast path)": (world.build_calcom, "Gamma AI", lambda r, s: world.calcom_entries(r),
                                        {"BOOKER_API_FAST_PATH": "true"}),
    "calcom (requires confirmation)": (world.build_calcom, "Delta Energy", lambda r, s: world.calcom_entries(r), {}),
    "calcom (team page)": (world.build_calcom, "Epsilon Health", lambda r, s: world.calcom_entries(r), {}),
    "hubspot (personal link)": (world.build_hubspot, "Zeta Robotics", lambda r, s: world.hubspot_entries(r), {}),
    "hubspot (offline mode)": (world.build_hubspot, "Theta Bio", lambda r, s: world.hubspot_entries(r), {}),
    "chilipiper (booking link)": (world.build_chilipiper, "Iota Security", lambda r, s: world.chilipiper_entries(r), {}),
    "chilipiper (concierge router)": (world.build_chilipiper, "Kappa Cloud", lambda r, s: world.chilipiper_entries(r), {}),
    "embed: calendly inline": (world.build_calendly, "Acme Robotics",
                               _embed("Acme Robotics", lambda r: calendly_inline(r.event_url("alice-acme", "intro"))), {}),
    "embed: cal.com inline": (world.build_calcom, "Gamma AI",
                              _embed("Gamma AI", lambda r: calcom_inline(r.url, "dana-gamma/intro")), {}),
    "embed: hubspot container": (world.build_hubspot, "Zeta Robotics",
                                 _embed("Zeta Robotics", lambda r: hubspot_container(r.link_url("lena-zeta/intro"))), {}),
    "embed: chili piper concierge": (world.build_chilipiper, "Kappa Cloud",
                                     _embed("Kappa Cloud", lambda r: chilipiper_concierge(r.router_frame_url("kappa-inbound"))), {}),
}


def run_once(case: str) -> tuple[float, str]:
    builder, startup, entries, extra = CASES[case]
    workdir = Path(tempfile.mkdtemp(prefix="booker-bench-"))
    clock = FakeClock()
    try:
        settings = Settings.from_env({
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}", "BOOKER_SCREENSHOT_DIR": str(workdir / "shots"),
            "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_MAX_BROWSERS": "1", **extra,
        }, env_file=workdir / "absent.env")
        with ExitStack() as stack:
            replica = stack.enter_context(builder(now=clock))
            site = stack.enter_context(StartupSite())
            service = build_service(settings, clock=clock)
            world.seed_directory(service.db, entries(replica, site))
            started = time.perf_counter()
            view = service.request_booking(BookingRequestInput(teammate=TEAMMATE, startup=startup))
            service.start(view.id)
            service.runner.wait_idle(180)
            seconds = time.perf_counter() - started
            service.runner.shutdown()
            return seconds, service.get(view.id).status
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="run the cases whose name contains this text")
    args = parser.parse_args(argv)
    print(f"{'case':34} {'median s':>9} {'min':>6} {'max':>6}  final status")
    failed = False
    for case in CASES:
        if args.only and args.only not in case:
            continue
        results = [run_once(case) for _ in range(args.runs)]
        times = [s for s, _ in results]
        statuses = sorted({st for _, st in results})
        failed |= any(st == "failed" for st in statuses)
        print(f"{case:34} {statistics.median(times):9.2f} {min(times):6.2f} {max(times):6.2f}  {', '.join(statuses)}",
              flush=True)
    return 1 if failed else 0
