"""One confirmation cycle with 500 and 10 000 pending bookings across 5 teammates.

The monitor runs with the checks a Google-connected deployment runs (Gmail, the platforms' status
APIs, the page re-check) against the Google fake on loopback, the real google-api-python-client in
between. The bookings are Slush matchmaking requests and HubSpot offline-mode requests (platforms
with no per-booking status API; Cal.com's asks its API once per booking by design). Each teammate
gets 20 new mails per cycle, one of which confirms one of their bookings.

Figures, for the second cycle (the first one is each mailbox's full sync):
- Gmail ``history.list`` calls, counted by the fake (target ≤ 5: one per teammate);
- "our own work": the CPU time of the thread running the cycle (``time.thread_time``), which
  counts SQLite, the Google client and mail matching but not the fake's threads (target ≤ 1 s
  for 10 000);
- the cycle's wall time, the Google fake's answers included.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tests.bench.common import Result

TEAMMATES = [f"teammate{n}@axa-innovation.example" for n in range(5)]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
MAILS_PER_TEAMMATE = 20


class Quiet:
    """A notifier that says nothing (the figures are about the cycle, not Slack)."""

    def queued(self, booking: Any) -> dict[str, Any]:
        return {}

    def step(self, booking: Any, text: str, screenshot: Any = None) -> None:
        pass

    def updated(self, booking: Any) -> None:
        pass

    def direct(self, booking: Any, text: str) -> None:
        pass


def seed_pending(db: Any, count: int) -> None:
    """``count`` bookings waiting for confirmation, submitted an hour ago, spread over the teammates."""
    from booking.store.models import MeetingBookingRequest

    submitted = NOW - timedelta(hours=1)
    rows = []
    for n in range(count):
        slush = n % 2 == 0
        rows.append(MeetingBookingRequest(
            startup_name=f"Startup {n}", startup_key=f"startup-{n}", status="pending_confirmation",
            booking_platform="slush_platform" if slush else "hubspot",
            booking_url=(f"https://next.brella.io/events/slush2026/people?profile={n}" if slush
                         else f"https://meetings.hubspot.com/person-{n}/intro"),
            selected_person_name=f"Person {n}", selected_person_email=f"person{n}@startup{n}.example",
            proposed_slot_1_datetime=NOW + timedelta(days=1, minutes=15 * n), slot_duration_minutes=15,
            external_booking_id=f"req-{n:06d}", user_name="Teammate", user_email=TEAMMATES[n % len(TEAMMATES)],
            user_timezone="Europe/Helsinki", confirmation_check_count=1, created_at=submitted,
            booking_started_at=submitted, booking_completed_at=submitted, requested_via="cli",
        ))
    with db.transaction() as session:
        session.add_all(rows)


def deliver_mail(google: Any, count: int, cycle: int) -> None:
    """New mail for every teammate: noise, and one HubSpot confirmation for one of their bookings."""
    for t, email in enumerate(TEAMMATES):
        for m in range(MAILS_PER_TEAMMATE - 1):
            google.deliver(email, sender="newsletter@slush.example", subject=f"Slush daily {cycle}-{m}",
                           text="Today's programme", at=NOW)
        target = next(n for n in range(cycle * 10 + 1, count) if n % len(TEAMMATES) == t and n % 2 == 1)
        google.deliver(email, sender=f"Person {target} <person{target}@startup{target}.example>",
                       subject=f"Confirmed: Intro with Person {target}", at=NOW,
                       text=f"Your meeting with Person {target} is confirmed. Booking reference req-{target:06d}")


def run_one(count: int) -> list[Result]:
    from booking.config.settings import Settings
    from booking.runtime.wiring import build_monitor, build_service
    from replicas.google_api import GoogleFake

    workdir = Path(tempfile.mkdtemp(prefix="booker-bench-"))
    clock = lambda: NOW  # noqa: E731
    try:
        with GoogleFake(now=clock) as google:
            for email in TEAMMATES:
                google.add_user(email, "Europe/Helsinki")
            key = workdir / "service-account.json"
            key.write_text(json.dumps(google.service_account_key()))
            settings = Settings.from_env({
                "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}", "BOOKER_SCREENSHOT_DIR": str(workdir / "shots"),
                "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "GOOGLE_CREDENTIALS_FILE": str(key),
                "GOOGLE_CALENDAR_API_URL": google.calendar_endpoint, "GOOGLE_GMAIL_API_URL": google.gmail_endpoint,
                "GOOGLE_TOKEN_URI": google.token_uri,
            }, env_file=workdir / "absent.env")
            service = build_service(settings, clock=clock, notifiers=lambda view: Quiet())
            seed_pending(service.db, count)
            monitor = build_monitor(service, owner="bench")
            monitor.run_cycle()  # first cycle: each mailbox's full sync
            deliver_mail(google, count, 1)
            history_before = len(google.calls_to("gmail.users.history.list"))
            cpu_started = time.thread_time()
            report = monitor.run_cycle()
            own_work = time.thread_time() - cpu_started
            history_calls = len(google.calls_to("gmail.users.history.list")) - history_before
            service.runner.shutdown()
            service.db.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if report.checked != count or report.confirmed != len(TEAMMATES):
        raise SystemExit(f"bench cycle checked {report.checked}/{count}, confirmed {report.confirmed}/{len(TEAMMATES)}")
    detail = f"{count} pending, 5 teammates, {MAILS_PER_TEAMMATE} new mails each; {report.confirmed} confirmed"
    results = [
        Result(f"cycle, {count} pending: Gmail history calls", history_calls, "", "≤ 5", history_calls <= 5, detail),
        Result(f"cycle, {count} pending: our own work (CPU)", own_work, "s", "≤ 1 s" if count >= 10_000 else "—",
               own_work <= 1 if count >= 10_000 else None, f"wall {report.seconds:.2f} s with the Google fake's answers"),
    ]
    return results


def run(counts: tuple[int, ...] = (500, 10_000)) -> list[Result]:
    results: list[Result] = []
    for count in counts:
        results.extend(run_one(count))
    return results
