"""The database job queue: a queued booking is taken by exactly one worker, when it is due, and not before.

Why: with ``BOOKER_RUN_JOBS=false`` the process that takes ``/book`` runs no browser; any worker process
takes the job from the database (booking/store/queue.py), so two workers racing must never both run it,
and on PostgreSQL a row another worker is taking is skipped, not waited for.
"""
from __future__ import annotations

import itertools
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from booking.domain.states import BookingStatus
from booking.runtime.runner import JobRunner
from booking.runtime.wiring import build_service
from booking.store.db import open_database
from booking.store.queue import queue_job, queued, take_next
from booking.workflow.queueing import DatabaseQueue, InProcessQueue
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService

pytestmark = pytest.mark.both_databases
_URLS = itertools.count()


class Recorder:
    """A runner that records what it was given instead of running it."""

    max_workers = 1

    def __init__(self) -> None:
        self.jobs: list[tuple[float, tuple]] = []

    def submit(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.jobs.append((0.0, args))

    def submit_after(self, delay, fn, *args):  # type: ignore[no-untyped-def]
        self.jobs.append((delay, args))

    def wait_idle(self, timeout=None):  # type: ignore[no-untyped-def]
        return True

    def shutdown(self, wait=True):  # type: ignore[no-untyped-def]
        return None


def service_for(settings, clock, *, database: bool, runner=None) -> BookingService:  # type: ignore[no-untyped-def]
    db = open_database(settings.database_url)
    return BookingService(db, settings, browsers=None, runner=runner or Recorder(), clock=clock,  # type: ignore[arg-type]
                          queue=DatabaseQueue(db, clock) if database else None)


def new_booking(service: BookingService, email: str = "eduardo.paz@axa-innovation.example") -> int:
    teammate = Teammate(name="Eduardo Paz", email=email, timezone="Europe/Helsinki")
    return service.request_booking(BookingRequestInput(
        teammate=teammate, url=f"https://calendly.com/acme-{next(_URLS)}/intro", platform="calendly")).id


def test_a_queued_booking_is_taken_once_and_only_when_due(settings, clock):
    service = service_for(settings, clock, database=True)
    first, second = new_booking(service), new_booking(service)
    assert take_next(service.db, clock()) is None  # pending but never queued: nobody's to take
    service.queue.enqueue(first, delay_seconds=30)
    service.queue.enqueue(second)
    assert queued(service.db) == [second, first]
    assert take_next(service.db, clock()) == second
    assert take_next(service.db, clock()) is None  # the first waits for its delay
    clock.advance(seconds=30)
    assert take_next(service.db, clock()) == first
    assert take_next(service.db, clock()) is None and queued(service.db) == []


def test_only_pending_bookings_are_queued_and_the_claim_takes_them_off_the_queue(settings, clock):
    service = service_for(settings, clock, database=True)
    booking_id = new_booking(service)
    service.queue.enqueue(booking_id)
    assert service.store.claim(booking_id, "host:1", timedelta(minutes=3)) is not None  # e.g. the monitor's
    assert queued(service.db) == []  # claimed: no worker may take it any more
    assert not queue_job(service.db, booking_id, clock())  # in progress: not queued again
    assert take_next(service.db, clock()) is None


def test_run_jobs_false_queues_the_booking_and_runs_nothing_here(settings, clock, tmp_path):
    """build_service with BOOKER_RUN_JOBS=false: start() posts and queues; this process's runner stays idle."""
    queuing = build_service(replace(settings, run_jobs=False), clock=clock, browsers=object())  # type: ignore[arg-type]
    booking_id = new_booking(queuing)
    queuing.start(booking_id)
    assert queued(queuing.db) == [booking_id]
    assert isinstance(queuing.runner, JobRunner) and queuing.runner.pending == 0
    assert queuing.get(booking_id).status == BookingStatus.PENDING
    queuing.runner.shutdown()
    running = build_service(settings, clock=clock, browsers=object())  # type: ignore[arg-type]
    assert isinstance(running.queue, InProcessQueue)  # the default: today's behaviour
    running.runner.shutdown()


def test_in_process_default_runs_the_job_here_and_keeps_the_retry_backoff(settings, clock):
    runner = Recorder()
    service = service_for(replace(settings, retry_backoff_seconds=20), clock, database=False, runner=runner)
    booking_id = new_booking(service)
    service.start(booking_id)
    assert runner.jobs == [(0.0, (booking_id,))]
    assert service.store.claim(booking_id, "host:1", timedelta(minutes=3)) is not None
    service.fail_or_retry(booking_id, "the page was slow", retry=True)
    assert runner.jobs[-1] == (20.0, (booking_id,))
    assert queued(service.db) == []  # nothing in the database queue


def test_a_retry_goes_back_to_the_database_queue_after_its_backoff(settings, clock):
    service = service_for(replace(settings, retry_backoff_seconds=20), clock, database=True)
    booking_id = new_booking(service)
    assert service.store.claim(booking_id, "host:1", timedelta(minutes=3)) is not None
    view = service.fail_or_retry(booking_id, "the page was slow", retry=True)
    assert view.status == BookingStatus.PENDING and queued(service.db) == [booking_id]
    assert take_next(service.db, clock()) is None
    clock.advance(seconds=20)
    assert take_next(service.db, clock()) == booking_id


def test_two_workers_racing_take_each_booking_exactly_once(settings, clock):
    """Two workers (their own engines, like two processes) take 12 bookings at the same moments."""
    service = service_for(settings, clock, database=True)
    ids = [new_booking(service, f"t{n}@axa-innovation.example") for n in range(12)]
    for booking_id in ids:
        service.queue.enqueue(booking_id)
    workers = [open_database(settings.database_url, run_migrations=False) for _ in range(2)]
    barrier = threading.Barrier(2)
    taken: list[list[int]] = [[], []]
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            while True:
                barrier.wait(timeout=30)  # both take at the same moment, every round
                got = take_next(workers[n], clock())
                if got is None:
                    return
                taken[n].append(got)
        except threading.BrokenBarrierError:
            return  # the other one found the queue empty first
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(taken[0] + taken[1]) == ids  # every booking once, none twice
    assert taken[0] and taken[1]  # both really raced
    for db in workers:
        db.dispose()


def test_postgres_skips_a_row_another_worker_is_taking(settings, clock, db_backend):
    if db_backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's conditional UPDATE is covered by the race above")
    service = service_for(settings, clock, database=True)
    first, second = new_booking(service, "a@axa-innovation.example"), new_booking(service, "b@axa-innovation.example")
    service.queue.enqueue(first)
    service.queue.enqueue(second)
    other = create_engine(settings.database_url)
    with other.connect() as connection, connection.begin():
        connection.execute(text("SELECT id FROM meeting_booking_requests WHERE id = :id FOR UPDATE"), {"id": first})
        result: list[int | None] = []
        taker = threading.Thread(target=lambda: result.append(take_next(service.db, clock())))
        taker.start()
        taker.join(timeout=20)
        assert not taker.is_alive(), "take_next waited for the locked row instead of skipping it"
        assert result == [second]
    assert take_next(service.db, clock()) == first  # released: now it is taken
    other.dispose()


def test_queuing_a_waiting_booking_again_keeps_its_place(settings, clock):
    """The monitor re-queues bookings that waited long (every worker busy): they must not go to the back."""
    service = service_for(settings, clock, database=True)
    older, newer = new_booking(service, "a@axa-innovation.example"), new_booking(service, "b@axa-innovation.example")
    service.queue.enqueue(older)
    clock.advance(minutes=6)
    service.queue.enqueue(newer)
    clock.advance(minutes=1)
    service.queue.enqueue(older)  # e.g. recover_stalled's orphans
    assert queued(service.db) == [older, newer]
    assert queue_job(service.db, newer, clock() - timedelta(minutes=60))  # an earlier time does move it forward
    assert take_next(service.db, clock()) == newer
