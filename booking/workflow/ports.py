"""What the workflow needs from the outside and gets handed by the runtime: a runner for background
jobs, a queue for booking jobs (this process's runner, or the database for any worker) and a clock.

A Protocol rather than ``booking.runtime.runner.JobRunner`` itself because the runtime wires the
workflow, never the other way round (the workflow may not import ``booking.runtime``); the
runtime's JobRunner satisfies it, and tests may pass anything that does.
"""
from __future__ import annotations

from concurrent.futures import Future
from datetime import datetime, timezone
from typing import Any, Callable, Protocol

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Runner(Protocol):
    """Runs browser jobs in the background, bounded; ``submit_after`` raises RuntimeError once stopped."""

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]: ...

    def submit_after(self, delay: float, fn: Callable[..., Any], *args: Any) -> None: ...

    def wait_idle(self, timeout: float | None = None) -> bool: ...

    def shutdown(self, wait: bool = True) -> None: ...


class JobQueue(Protocol):
    """Where a booking's browser job goes once it should run (again): every place that starts, retries or
    resumes a booking calls ``enqueue``; whether this process runs it or any worker claims it from the
    database is the runtime's choice (``BOOKER_RUN_JOBS``), not the caller's."""

    def enqueue(self, booking_id: int, delay_seconds: float = 0, kind: str = "book") -> None:
        """``kind``: which job the booking wants ("book", "check_status", "reschedule:accept", …; the
        service's ``job_kinds``), so a worker in another process runs the same method this one would."""
