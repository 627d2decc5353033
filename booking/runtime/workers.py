"""A worker's booking jobs: take queued bookings from the database and run them, up to N browsers at once.

Why: one host's browsers bounded the whole team. Any number of ``python -m booking worker --jobs N``
processes on any machines share one database; each polls every ``poll_seconds`` (an Event wait, so a
stop is immediate) and, while it has a free browser slot, takes the oldest runnable booking
(``booking/store/queue.py``: exactly one worker gets each) and runs it on its own bounded runner. The job
claims the row with a heartbeat as before, so a worker that dies mid-booking is recovered by the
monitor of whichever process holds its lease.
"""
from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from collections import Counter
from dataclasses import replace
from typing import Any, Callable, TextIO

from sqlalchemy.exc import SQLAlchemyError

from booking.config.settings import Settings
from booking.domain.errors import BookingError
from booking.notify.console import ConsoleNotifier
from booking.notify.notifier import BookingView
from booking.notify.plugins import load_notifiers
from booking.runtime.health import health_report, jobs_report, serve_health
from booking.runtime.runner import JobRunner
from booking.runtime.scheduler import start_scheduler
from booking.runtime.wiring import build_monitor, build_service
from booking.store.queue import queued_counts, take_job
from booking.workflow.ports import Clock
from booking.workflow.service import BookingService

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


class QueueWorker:
    """Takes queued jobs (booking, page check, reschedule answer: by the row's kind) while ``runner`` has a
    free slot; ``run_until`` polls until stopped."""

    def __init__(self, service: BookingService, runner: JobRunner, *, poll_seconds: float = POLL_SECONDS,
                 clock: Clock | None = None, on_taken: Callable[[int], None] | None = None) -> None:
        self.service = service
        self.runner = runner
        self.poll_seconds = poll_seconds
        self.clock = clock or service.clock
        self.on_taken = on_taken
        self.taken = 0
        self._thread: threading.Thread | None = None
        self._running: Counter[str] = Counter()  # kind → jobs of this worker's runner not finished yet
        self._lock = threading.Lock()

    def poll_once(self) -> int:
        """Take and start as many runnable bookings as there are free slots; how many were started."""
        started = 0
        while self.runner.pending < self.runner.max_workers:
            taken = take_job(self.service.db, self.clock())
            if taken is None:
                break
            booking_id, kind = taken
            job = self.service.job_kinds().get(kind)  # the method the queuing process would have run
            if job is None:  # queued by a newer version: say so rather than run the wrong job
                log.error("booking %s: unknown queued job %r; not run", booking_id, kind)
                continue
            with self._lock:
                self._running[kind] += 1
            self.runner.submit(job, booking_id).add_done_callback(lambda _, kind=kind: self._finished(kind))
            started += 1
            self.taken += 1
            if self.on_taken:
                self.on_taken(booking_id)
        return started

    def _finished(self, kind: str) -> None:
        with self._lock:
            self._running[kind] -= 1

    def running(self) -> dict[str, int]:
        """This worker's jobs not finished yet, by kind."""
        with self._lock:
            return {kind: count for kind, count in self._running.items() if count}

    def jobs_report(self, at_once: int) -> dict[str, Any]:
        """The health report's ``jobs``: the database's queue and this worker's running jobs, per kind."""
        try:
            waiting: dict[str, int] | None = queued_counts(self.service.db)
        except SQLAlchemyError:
            waiting = None  # the report's "database" says why
        return jobs_report(waiting, self.running(), at_once, self.service.job_kinds())

    def run_until(self, stop: threading.Event) -> None:
        """Poll until ``stop`` is set; a failed poll (the database away) is logged and the next one tries again."""
        while not stop.is_set():
            try:
                self.poll_once()
            except Exception:
                log.exception("taking queued booking jobs failed; trying again in %g s", self.poll_seconds)
            stop.wait(self.poll_seconds)

    def start(self, stop: threading.Event) -> threading.Thread:
        """Poll in a daemon thread until ``stop`` is set."""
        self._thread = threading.Thread(target=self.run_until, args=(stop,), name="booker-queue", daemon=True)
        self._thread.start()
        return self._thread


class ConsoleOnly:
    """The notifier of a worker with no front-end to post to (no ``SLACK_BOT_TOKEN``): progress lines here, as
    the CLI prints them, and one warning per booking that a front-end asked for (its ``thread_ref``).

    Why not refuse to run: the booking itself still gets made and the queue doesn't stall; the warning tells
    the operator why that booking's thread stays quiet and which setting to add.
    """

    def __init__(self, out: TextIO) -> None:
        self.console = ConsoleNotifier(out)
        self._warned: set[int] = set()
        self._lock = threading.Lock()

    def __call__(self, view: BookingView) -> ConsoleNotifier:
        with self._lock:
            warn = bool(view.thread_ref) and view.id not in self._warned
            self._warned.add(view.id)
        if warn:
            log.warning("booking %s was asked in Slack, but this worker has no SLACK_BOT_TOKEN: its progress is "
                        "printed here, not posted in its thread; give the worker the bot's token (xoxb-…)", view.id)
        return self.console


def progress_goes(settings: Settings) -> str:
    """Where a worker's progress goes, for its ready line."""
    if settings.notifier:
        return f"progress through BOOKER_NOTIFIER={settings.notifier}"
    if settings.slack_bot_token:
        return "progress posted to Slack with SLACK_BOT_TOKEN"
    return "progress printed here (no SLACK_BOT_TOKEN: nothing is posted to Slack)"


def run_worker(settings: Settings, out: TextIO, *, once: bool = False, jobs: int | None = None,
               health: tuple[str, int] | None = None) -> int:
    """``python -m booking worker``: the confirmation monitor (one per database, by its lease) and up to
    ``jobs`` queued booking jobs at once (default ``BOOKER_MAX_BROWSERS``; 0 = the monitor only).

    Progress goes where the bot's would (the settings' notifier plugin: Slack with the bot token alone, as a
    worker serves no Slack requests), into the thread named on the booking's row, else to ``out``
    (:class:`ConsoleOnly`). ``once``: one monitor cycle and one take of queued jobs, then exit.
    """
    if jobs is not None and jobs < 0:
        print("error: --jobs is how many browsers at once: 0 or more", file=sys.stderr)
        return 2
    jobs = settings.max_browsers if jobs is None else jobs
    try:
        service = build_service(replace(settings, max_browsers=max(1, jobs)), queue_in_database=True,
                                notifiers=load_notifiers(settings, fallback=ConsoleOnly(out)))
    except BookingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    monitor = build_monitor(service)
    runner: JobRunner = service.runner  # type: ignore[assignment]  # build_service's, sized to jobs
    queue = QueueWorker(service, runner)
    if once:  # one cycle, then the lease goes back: a second run right after checks again
        try:
            report = monitor.run_cycle()
            if jobs:
                queue.poll_once()
            runner.wait_idle()
        finally:
            monitor.lease.release()
            runner.shutdown()
        print(json.dumps({k: v for k, v in report.__dict__.items()}, default=str), file=out)
        return 0
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    scheduler = None
    server = None
    if health is not None:
        try:
            server = serve_health(*health, lambda: {**health_report(service.db, scheduler), "worker": service.worker_id,
                                                    "jobs": queue.jobs_report(jobs)})
        except OSError as exc:
            print(f"error: can't serve /healthz on {health[0]}:{health[1]} ({exc.strerror})", file=sys.stderr)
            runner.shutdown()
            return 2
    scheduler = start_scheduler(monitor, settings.check_interval_seconds)
    if jobs:
        queue.start(stop)
    print(f"worker {service.worker_id}: checking confirmations every {settings.check_interval_seconds:g} s; "
          f"booking jobs from the queue: up to {jobs} at once; {progress_goes(settings)}"
          + (f"; health on http://{health[0]}:{health[1]}/healthz" if server is not None else ""), file=out, flush=True)
    stop.wait()
    if server is not None:
        server.shutdown()
    scheduler.shutdown(wait=False)
    monitor.lease.release()
    runner.shutdown(wait=False)
    return 0
