"""Throughput of booking jobs taken from the database by 1 and by 2 worker processes (same batch, same run).

Real ``python -m booking worker --jobs 1`` processes, real Chromium, ten Calendly hosts on the replica; the
bookings are queued as the bot does with ``BOOKER_RUN_JOBS=false``. The figure is bookings per minute
and the ratio of 2 workers to 1; run it with ``python -m tests.bench.workers [bookings]``.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from booking.config.settings import Settings
from booking.domain.states import BookingStatus
from booking.store.db import open_database
from booking.workflow.queueing import DatabaseQueue
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService
from replicas.builds import replica_class
from replicas.calendly import CalendlyEventType, CalendlyHost, CalendlyReplica
from replicas.world import seed_directory, working_slots
from tests.bench.common import Result

DONE = {BookingStatus.CONFIRMED, BookingStatus.ADDED_TO_CALENDAR, BookingStatus.PENDING_CONFIRMATION,
        BookingStatus.FAILED}


def _batch(folder: Path, workers: int, bookings: int) -> tuple[float, int]:
    """Seconds from queuing ``bookings`` to the last one settled, and how many were booked."""
    now = datetime.now(timezone.utc)
    hosts = [CalendlyHost(f"host-{n}", f"Host {n}", f"host{n}@s{n}.example", [CalendlyEventType(slug="intro", title="Intro")],
                          working_slots(now)) for n in range(10)]
    url = f"sqlite:///{folder / f'bench-{workers}.db'}"
    settings = Settings.from_env({"DATABASE_URL": url, "BOOKER_SCREENSHOT_DIR": str(folder / "shots"),
                                  "BOOKER_ALLOWED_HOSTS": "127.0.0.1"}, env_file=folder / "absent.env")
    db = open_database(url)
    service = BookingService(db, settings, browsers=None, runner=None, queue=DatabaseQueue(db, lambda: now))  # type: ignore[arg-type]
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and not k.startswith("SLACK_")}
    env.update({"DATABASE_URL": url, "BOOKER_SCREENSHOT_DIR": str(folder / "shots"), "BOOKER_ALLOWED_HOSTS": "127.0.0.1",
                "BOOKER_RETRY_BACKOFF_SECONDS": "0", "BOOKER_CHECK_INTERVAL_SECONDS": "5"})
    with replica_class("calendly", "first", CalendlyReplica)(hosts, [], now=lambda: now) as site:
        seed_directory(db, [{"name": f"Startup {n}", "platform": "calendly", "booking_url": site.event_url(f"host-{n}", "intro"),
                             "people": [{"name": f"Host {n}", "role": "CEO", "email": f"host{n}@s{n}.example"}]}
                            for n in range(10)])
        processes = [subprocess.Popen([sys.executable, "-m", "booking", "worker", "--jobs", "1"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                     for _ in range(workers)]
        time.sleep(3)  # the workers' start (imports, migrations check) is not what is measured
        started = time.perf_counter()
        ids = []
        for n in range(bookings):
            teammate = Teammate(name=f"Teammate {n}", email=f"t{n}@axa-innovation.example", timezone="Europe/Helsinki")
            view = service.request_booking(BookingRequestInput(teammate=teammate, startup=f"Startup {n % 10}"))
            service.start(view.id)
            ids.append(view.id)
        while not all(BookingStatus(service.get(i).status) in DONE for i in ids):
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        booked = sum(BookingStatus(service.get(i).status).is_booked for i in ids)
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(60)
    db.dispose()
    return seconds, booked


def run(bookings: int = 12) -> list[Result]:
    with tempfile.TemporaryDirectory() as folder:
        one_seconds, one_booked = _batch(Path(folder), 1, bookings)
        two_seconds, two_booked = _batch(Path(folder), 2, bookings)
    one, two = bookings / one_seconds * 60, bookings / two_seconds * 60
    return [
        Result("workers: 1 worker", one, "bookings/min", "baseline", None, f"{one_booked}/{bookings} booked"),
        Result("workers: 2 workers", two, "bookings/min", "—", None, f"{two_booked}/{bookings} booked"),
        Result("workers: 2 vs 1", two / one, "×", "≈ min(2, cores)", None, f"{os.cpu_count()} cores"),
    ]


if __name__ == "__main__":
    print(Result.table(run(int(sys.argv[1]) if len(sys.argv) > 1 else 12)))
