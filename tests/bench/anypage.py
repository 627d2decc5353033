"""``auto`` on the four booking pages written blind vs a minimal hand-written script (issue 18: ≤ 1.5×).

For each blind page (replicas/blind/anypage/), both contenders book the same page in the same run,
alternating round by round, each in a fresh browser started with the same options. Booker's time is
request → final state through the real service (database, audit trail, slot holds, free/busy match, a
screenshot per step, and ``auto`` reading a page it has no module or recipe for); the script's is driver
start → the page's success screen, with the page's ids and classes hard-coded by someone who read it.
Both book the same configured person (the one the script names). ``--profile`` prints where Booker's
time goes on each page (cProfile around one more service run, top functions by cumulative time).
"""
from __future__ import annotations

import cProfile
import importlib
import io
import pstats
import shutil
import time
from pathlib import Path
from typing import Any, Sequence

from tests.bench.common import Result, bench_settings, median
from tests.bench.minimal import MINIMAL, Invitee

ZONE = "Europe/Helsinki"
PEOPLE = ["Anna Virtanen", "Ben Koski", "Carla Ruiz"]
TARGET = 1.5


def _person(number: int) -> str:
    """The person the page's minimal script books (the bot is configured with the same one)."""
    return importlib.import_module(f"tests.bench.minimal.anypage_{number}").PERSON


def _profile(service: Any, request: Any, top: int = 12) -> str:
    profiler = cProfile.Profile()
    view = service.request_booking(request)
    profiler.enable()
    service.run_booking(view.id)
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    return text.getvalue()


def run(rounds: int = 3, profile: bool = False, pages: Sequence[int] = ()) -> list[Result]:
    """``pages``: which pages by number (1–4; default all)."""
    from booking.browser.chrome import ChromeFactory
    from booking.runtime.runner import JobRunner
    from booking.store.db import open_database
    from booking.workflow.requests import BookingRequestInput, Teammate
    from booking.workflow.service import BookingService
    from replicas.blind.anypage import PAGES
    from replicas.world import seed_directory
    from tests.conftest import FakeClock

    results: list[Result] = []
    for number, page_class in enumerate(PAGES, start=1):
        if pages and number not in pages:
            continue
        settings = bench_settings(BOOKER_MAX_BROWSERS="1")
        workdir = Path(settings.database_url.removeprefix("sqlite:///")).parent
        db = open_database(settings.database_url)
        browsers = ChromeFactory(settings)
        runner = JobRunner(1)
        clock = FakeClock()
        service = BookingService(db, settings, browsers, runner, clock=clock)
        person = _person(number)
        try:
            with page_class(now=clock, people=PEOPLE) as site:
                seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "",
                                     "booking_url": site.booking_url, "people": [{"name": person}]}])
                bot_times: list[float] = []
                script_times: list[float] = []
                status = ""
                for n in range(rounds + (1 if profile else 0)):
                    teammate = Teammate(name="Eduardo Paz", email=f"bench-bot-{n}@axa-innovation.example", timezone=ZONE)
                    request = BookingRequestInput(teammate=teammate, startup="Blind Co")
                    if n == rounds:  # one more, profiled, after the measured rounds
                        print(f"\n== anypage_{number} ({page_class.__name__}): Booker's run under cProfile ==")
                        print(_profile(service, request))
                        break
                    started = time.perf_counter()
                    view = service.request_booking(request)
                    final = service.run_booking(view.id)
                    bot_times.append(time.perf_counter() - started)
                    status = final.status
                    if final.status not in ("confirmed", "pending_confirmation", "added_to_calendar"):
                        raise SystemExit(f"anypage_{number}: the bot's bench booking failed: {final.error_message}")

                    invitee = Invitee("Bench Mark", f"bench-script-{n}@axa-innovation.example")
                    started = time.perf_counter()
                    driver = browsers.create_driver(None, ZONE)
                    try:
                        MINIMAL[f"anypage_{number}"](driver, site, invitee)
                    finally:
                        driver.quit()
                    script_times.append(time.perf_counter() - started)
                bot, script = median(bot_times), median(script_times)
                results.append(Result(
                    f"anypage_{number} ({page_class.__name__}) auto / minimal script", bot / script, "×",
                    f"≤ {TARGET}", bot / script <= TARGET,
                    f"bot {bot:.2f} s, script {script:.2f} s (median of {rounds}; bot ends {status})",
                ))
        finally:
            runner.shutdown()
            db.dispose()
            shutil.rmtree(workdir, ignore_errors=True)
    return results
