"""The two job queues behind :class:`~booking.workflow.ports.JobQueue`: this process's runner, or the database.

In-process is what one host always did: the job runs in the process that queued it. The database
queue marks the booking runnable (``booking/store/queue.py``) and returns; a ``python -m booking worker``
anywhere takes it, so the process that took the ``/book`` (``BOOKER_RUN_JOBS=false``) runs no browser.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any, Callable, Mapping

from booking.store.db import Database
from booking.store.queue import queue_job
from booking.workflow.ports import Clock, Runner

log = logging.getLogger(__name__)


class InProcessQueue:
    """Runs the booking's job on this process's runner (a retry's backoff without holding a browser slot)."""

    def __init__(self, runner: Runner, jobs: Mapping[str, Callable[[int], Any]]) -> None:
        self.runner = runner
        self.jobs = jobs  # kind → the service method a worker would run for it

    def enqueue(self, booking_id: int, delay_seconds: float = 0, kind: str = "book") -> None:
        """RuntimeError once the runner stopped (the pending booking is resumed at the next start)."""
        job = self.jobs[kind]
        if delay_seconds > 0:
            self.runner.submit_after(delay_seconds, job, booking_id)
        else:
            self.runner.submit(job, booking_id)


class DatabaseQueue:
    """Marks the booking runnable by any worker from now (or after the retry's backoff)."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def enqueue(self, booking_id: int, delay_seconds: float = 0, kind: str = "book") -> None:
        if not queue_job(self.db, booking_id, self.clock() + timedelta(seconds=max(0.0, delay_seconds)), kind):
            log.info("booking %s: its %s job no longer applies (status changed); not queued", booking_id, kind)
