"""``python -m booking demo``: one booking end to end against the bundled Calendly replica.

Starts the replica on loopback, seeds a fresh SQLite database with the bundled startup directory,
books Acme Robotics for the demo teammate through the same service the bot uses, and prints the
progress, the final status, what the replica recorded and where the screenshots are.
"""
from __future__ import annotations

import json
import shutil
import time
from typing import TextIO

from booking.cli import booking_json
from booking.console import ConsoleNotifier
from booking.service import BookingRequestInput, Teammate
from booking.settings import DATA_DIR, Settings
from booking.states import BookingStatus


def run_demo(settings: Settings, out: TextIO, as_json: bool = False) -> int:
    from booking.wiring import build_service
    from replicas.world import DEMO_TEAMMATE, build_calendly, directory_entries, seed_directory

    demo_dir = DATA_DIR / "demo"
    shutil.rmtree(demo_dir, ignore_errors=True)
    demo_dir.mkdir(parents=True, mode=0o700)
    notifier = ConsoleNotifier(out, quiet=as_json)
    with build_calendly() as calendly:
        demo_settings = settings.with_overrides(
            database_url=f"sqlite:///{demo_dir / 'booker.db'}",
            screenshot_dir=demo_dir / "screenshots",
            allowed_hosts=(*settings.allowed_hosts, "127.0.0.1"),
        )
        service = build_service(demo_settings, notifiers=lambda view: notifier)
        seed_directory(service.db, directory_entries(calendly))
        notifier._print(f"Calendly replica on {calendly.url}; database {demo_dir / 'booker.db'}")
        teammate = Teammate(**DEMO_TEAMMATE)
        started = time.monotonic()
        view = service.request_booking(BookingRequestInput(teammate=teammate, startup="Acme", requested_via="demo"))
        service.start(view.id)
        service.runner.wait_idle()
        elapsed = time.monotonic() - started
        service.runner.shutdown()
        final = service.get(view.id)
        recorded = [b for b in calendly.bookings if b["email"] == teammate.email]
    if as_json:
        print(json.dumps({**booking_json(final), "seconds": round(elapsed, 2), "replica_bookings": len(recorded)}), file=out)
    else:
        notifier._print(f"Final status: {final.status} after {elapsed:.1f} s")
        for booking in recorded:
            notifier._print(
                f"The replica recorded: {booking['name']} <{booking['email']}> with {booking['host_name']} "
                f"at {booking['start_time'].isoformat()}"
            )
        if final.screenshots:
            notifier._print(f"Screenshots: {demo_settings.screenshot_dir / str(final.id)}")
    return 0 if BookingStatus(final.status).is_booked else 1
