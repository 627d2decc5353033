"""Each blind page booked through the recipe ``auto`` saved for it vs a minimal hand-written script
(issue 18: ≤ 1.2×).

For each blind page (replicas/blind/anypage/), ``try --dry-run --save-recipe`` first lets ``auto`` read
the page and writes the recipe it followed (not timed: an admin does this once); the startup then gets
``platform: custom`` with that recipe. Both contenders book the same page in the same run, alternating
round by round, each in a fresh browser started with the same options. Booker's time is request → final
state through the real service (database, audit trail, slot holds, free/busy match, a screenshot per
step) following the saved recipe, with no discovery; the script's is driver start → the page's success
screen, with the page's ids and classes hard-coded by someone who read it. Both book the same person.
"""
from __future__ import annotations

import importlib
import io
import shutil
import time
from pathlib import Path

from tests.bench.common import Result, bench_settings, median
from tests.bench.minimal import Invitee

ZONE = "Europe/Helsinki"
PEOPLE = ["Anna Virtanen", "Ben Koski", "Carla Ruiz"]
TARGET = 1.2


def run(rounds: int = 3) -> list[Result]:
    from booking.browser.chrome import ChromeFactory
    from booking.platforms.base import Invitee as FormInvitee
    from booking.runtime.runner import JobRunner
    from booking.store.db import open_database
    from booking.workflow.requests import BookingRequestInput, Teammate
    from booking.workflow.service import BookingService
    from booking.workflow.trying import try_recipe
    from replicas.blind.anypage import PAGES
    from replicas.world import seed_directory
    from tests.conftest import FakeClock

    results: list[Result] = []
    for number, page_class in enumerate(PAGES, start=1):
        script = importlib.import_module(f"tests.bench.minimal.anypage_{number}")
        settings = bench_settings(BOOKER_MAX_BROWSERS="1")
        workdir = Path(settings.database_url.removeprefix("sqlite:///")).parent
        db = open_database(settings.database_url)
        browsers = ChromeFactory(settings)
        runner = JobRunner(1)
        clock = FakeClock()
        service = BookingService(db, settings, browsers, runner, clock=clock)
        saved = workdir / "saved.yaml"
        try:
            with page_class(now=clock, people=PEOPLE) as site:
                entry = {"name": "Blind Co", "aliases": ["blind"], "platform": "", "booking_url": site.booking_url,
                         "people": [{"name": script.PERSON}]}
                seed_directory(db, [entry])
                recorder = FormInvitee(name="Eduardo Paz", email="bench-rec@axa-innovation.example",  # as `try` does
                                      company=settings.company, role=settings.role, timezone=ZONE)
                said = io.StringIO()
                outcome = try_recipe("Blind Co", None, recorder, settings, said, dry_run=True, save_recipe=saved,
                                     clock=clock, browsers=browsers)
                if outcome.exit_code or not saved.exists():
                    raise SystemExit(f"anypage_{number}: no recipe saved:\n{said.getvalue()}")
                seed_directory(db, [{**entry, "platform": "custom", "recipe": saved.read_text(encoding="utf-8")}])
                bot_times: list[float] = []
                script_times: list[float] = []
                status = ""
                for n in range(rounds):
                    teammate = Teammate(name="Eduardo Paz", email=f"bench-bot-{n}@axa-innovation.example", timezone=ZONE)
                    started = time.perf_counter()
                    view = service.request_booking(BookingRequestInput(teammate=teammate, startup="Blind Co"))
                    final = service.run_booking(view.id)
                    bot_times.append(time.perf_counter() - started)
                    status = final.status
                    if view.platform != "custom" or final.status not in (
                            "confirmed", "pending_confirmation", "added_to_calendar"):
                        raise SystemExit(f"anypage_{number}: the saved recipe's booking failed: {final.error_message}")

                    invitee = Invitee("Bench Mark", f"bench-script-{n}@axa-innovation.example")
                    started = time.perf_counter()
                    driver = browsers.create_driver(None, ZONE)
                    try:
                        script.book(driver, site, invitee)
                    finally:
                        driver.quit()
                    script_times.append(time.perf_counter() - started)
                bot, minimal = median(bot_times), median(script_times)
                results.append(Result(
                    f"anypage_{number} ({page_class.__name__}) saved recipe / minimal script", bot / minimal, "×",
                    f"≤ {TARGET}", bot / minimal <= TARGET,
                    f"bot {bot:.2f} s, script {minimal:.2f} s (median of {rounds}; bot ends {status})",
                ))
        finally:
            runner.shutdown()
            db.dispose()
            shutil.rmtree(workdir, ignore_errors=True)
    return results
