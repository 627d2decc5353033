"""``python -m booking demo``: one booking end to end against the bundled Calendly replica.

Starts the replica and the Google fake on loopback, seeds a fresh SQLite database with the bundled
startup directory, gives the demo teammate a couple of meetings in their (fake) Google Calendar,
books Acme Robotics through the same service the bot uses, and prints the progress (including the
slots skipped because the teammate is busy), the final status, what the replica recorded, the new
calendar event and where the screenshots are.
"""
from __future__ import annotations

import json
import shutil
import time
from typing import TextIO
from zoneinfo import ZoneInfo

from booking.cli.output import booking_json
from booking.config.settings import DATA_DIR, Settings
from booking.domain.states import BookingStatus
from booking.notify.console import ConsoleNotifier
from booking.workflow.requests import BookingRequestInput, Teammate


def _span(start, end, zone: str) -> str:  # type: ignore[no-untyped-def]
    a, b = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
    return f"{a:%a} {a.day} {a:%b} {a:%H:%M}–{b:%H:%M}"


def run_demo(settings: Settings, out: TextIO, as_json: bool = False) -> int:
    from booking.runtime.wiring import build_service
    from replicas.google_api import GoogleFake
    from replicas.world import DEMO_TEAMMATE, build_calendly, demo_busy_blocks, directory_entries, seed_directory

    demo_dir = DATA_DIR / "demo"
    shutil.rmtree(demo_dir, ignore_errors=True)
    demo_dir.mkdir(parents=True, mode=0o700)
    notifier = ConsoleNotifier(out, quiet=as_json)
    teammate = Teammate(**DEMO_TEAMMATE)
    with build_calendly() as calendly, GoogleFake() as google:
        busy = demo_busy_blocks(calendly)
        google.add_user(teammate.email, teammate.timezone)
        google.set_busy(teammate.email, busy)
        key_file = demo_dir / "service-account.json"
        key_file.write_text(json.dumps(google.service_account_key()))
        key_file.chmod(0o600)
        demo_settings = settings.with_overrides(
            database_url=f"sqlite:///{demo_dir / 'booker.db'}",
            screenshot_dir=demo_dir / "screenshots",
            allowed_hosts=(*settings.allowed_hosts, "127.0.0.1"),
            google_credentials_file=key_file,
            google_auth_mode="service_account",
            google_calendar_api_url=google.calendar_endpoint,
            google_gmail_api_url=google.gmail_endpoint,
        )
        service = build_service(demo_settings, notifiers=lambda view: notifier)
        seed_directory(service.db, directory_entries(calendly))
        notifier._print(f"Calendly replica on {calendly.url}; Google fake on {google.url}; "
                        f"database {demo_dir / 'booker.db'}")
        notifier._print(f"{teammate.name}'s Google Calendar is busy "
                        + " and ".join(_span(a, b, teammate.timezone) for a, b in busy) + f" ({teammate.timezone})")
        started = time.monotonic()
        view = service.request_booking(BookingRequestInput(teammate=teammate, startup="Acme", requested_via="demo"))
        service.start(view.id)
        service.runner.wait_idle()
        elapsed = time.monotonic() - started
        service.runner.shutdown()
        final = service.get(view.id)
        recorded = [b for b in calendly.bookings if b["email"] == teammate.email]
        events = google.events(teammate.email)
        freebusy_calls = len(google.calls_to("calendar.freebusy.query"))
    if as_json:
        print(json.dumps({**booking_json(final), "seconds": round(elapsed, 2), "replica_bookings": len(recorded),
                          "calendar_event_id": final.calendar_event_id, "calendar_events": len(events),
                          "freebusy_queries": freebusy_calls}), file=out)
    else:
        notifier._print(f"Final status: {final.status} after {elapsed:.1f} s (free/busy read once)")
        for booking in recorded:
            notifier._print(
                f"The replica recorded: {booking['name']} <{booking['email']}> with {booking['host_name']} "
                f"at {booking['start_time'].isoformat()}"
            )
        for event in events:
            notifier._print(f"Google Calendar now has: {event['summary']}, {event['start']['dateTime']} "
                            f"(event {event['id']})")
        if final.screenshots:
            notifier._print(f"Screenshots: {demo_settings.screenshot_dir / str(final.id)}")
    return 0 if BookingStatus(final.status).is_booked else 1
