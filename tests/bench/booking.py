"""Booking time per platform replica: the bot vs a minimal hand-written Selenium script.

For every platform (the fault suite's worlds: Calendly, Cal.com, HubSpot Meetings, Chili Piper, the
Slush matchmaking app, a custom page by recipe, a widget embedded in a startup's page), both
contenders book the same startup on the same replica in the same run, alternating round by round,
each in a fresh browser started with the same options. The bot's time is request → final state
through the real service (database, audit trail, slot holds, a screenshot per step); the script's
is driver start → the platform's success screen. The ratio is what Booker's own work costs.

The minimal scripts live in :mod:`tests.bench.minimal`, one function per platform: plain Selenium,
explicit waits, ``send_keys`` for every field (the intro message included, as a person writing
such a script would), the first slot offered.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Sequence

from tests.bench.common import Result, median
from tests.bench.minimal import MINIMAL, Invitee

BOT_NAME = "Eduardo Paz"
SCRIPT_NAME = "Bench Mark"
ZONE = "Europe/Helsinki"


def run(rounds: int = 3, platforms: Sequence[str] = ()) -> list[Result]:
    from booking.config.settings import Settings
    from booking.store.db import open_database
    from booking.workflow.requests import BookingRequestInput, Teammate
    from tests.conftest import FakeClock
    from tests.hardening.worlds import PLATFORMS, build_world

    results: list[Result] = []
    for platform in platforms or PLATFORMS:
        workdir = Path(tempfile.mkdtemp(prefix="booker-bench-"))
        try:
            settings = Settings.from_env({
                "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}", "BOOKER_SCREENSHOT_DIR": str(workdir / "shots"),
                "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_MAX_BROWSERS": "1",
            }, env_file=workdir / "absent.env")
            db = open_database(settings.database_url)
            clock = FakeClock()
            first = Teammate(name=BOT_NAME, email="bench-bot-0@axa-innovation.example", timezone=ZONE)
            with build_world(platform, db, settings, clock, first) as world:
                bot_times: list[float] = []
                script_times: list[float] = []
                for n in range(rounds):
                    teammate = Teammate(**{**world.teammate.__dict__, "email": f"bench-bot-{n}@axa-innovation.example"})
                    started = time.perf_counter()
                    view = world.service.request_booking(BookingRequestInput(teammate=teammate, startup=world.startup))
                    final = world.service.run_booking(view.id)
                    bot_times.append(time.perf_counter() - started)
                    if final.status not in ("confirmed", "pending_confirmation"):
                        raise SystemExit(f"{platform}: the bot's bench booking failed: {final.error_message}")

                    invitee = Invitee(SCRIPT_NAME, f"bench-script-{n}@axa-innovation.example")
                    started = time.perf_counter()
                    driver = world.browsers.create_driver(None, ZONE)
                    try:
                        MINIMAL[platform](driver, world, invitee)
                    finally:
                        driver.quit()
                    script_times.append(time.perf_counter() - started)
                bot, script = median(bot_times), median(script_times)
                results.append(Result(
                    f"{platform} booking: bot / minimal script", bot / script, "×", "≤ 1.2", bot / script <= 1.2,
                    f"bot {bot:.2f} s, script {script:.2f} s (median of {rounds}; bot ends {final.status})",
                ))
            db.dispose()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return results
