"""The two job queues behind :class:`~booking.workflow.ports.JobQueue`: this process's runner, or the database.

In-process is what one host always did: the job runs in the process that queued it. The database
queue marks the booking runnable (``booking/store/queue.py``) and returns; a ``python -m booking worker``
anywhere takes it, so the process that took the ``/book`` (``BOOKER_RUN_JOBS=false``) runs no browser.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Callable

from booking.store.db import Database
from booking.store.queue import queue_job
from booking.workflow.ports import Clock, Runner

log = logging.getLogger(__name__)


class InProcessQueue:
    """Runs the booking's job on this process's runner (a retry's backoff without holding a browser slot)."""

    def __init__(self, runner: Runner, run_booking: Callable[[int], Any]) -> None:
        self.runner = runner
        self.run_booking = run_booking

    def enqueue(self, booking_id: int, delay_seconds: float = 0) -> None:
        """RuntimeError once the runner stopped (the pending booking is resumed at the next start)."""
        if delay_seconds > 0:
            self.runner.submit_after(delay_seconds, self.run_booking, booking_id)
        else:
            self.runner.submit(self.run_booking, booking_id)


class DatabaseQueue:
    """Marks the booking runnable by any worker from now (or after the retry's backoff)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def enqueue(self, booking_id: int, delay_seconds: float = 0) -> None:
        if not queue_job(self.db, booking_id, self.clock() + timedelta(seconds=max(0.0, delay_seconds))):
            log.info("booking %s is no longer pending; not queued", booking_id)
