"""A worker takes queued bookings only while it has a free browser slot, and stops polling when told.

Why: ``--jobs N`` is the worker's browser budget; taking more rows than it can run would hold them
away from other workers that have free browsers.
"""
from __future__ import annotations

import threading

from booking.runtime.runner import JobRunner
from booking.runtime.workers import QueueWorker
from booking.store.db import open_database
from booking.store.queue import queued
from booking.workflow.queueing import DatabaseQueue
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService


def queued_service(settings, clock, count: int) -> tuple[BookingService, list[int]]:  # type: ignore[no-untyped-def]
    db = open_database(settings.database_url)
    service = BookingService(db, settings, browsers=None, runner=None, clock=clock,  # type: ignore[arg-type]
                             queue=DatabaseQueue(db, clock))
    ids = []
    for n in range(count):
        teammate = Teammate(name=f"T {n}", email=f"t{n}@axa-innovation.example", timezone="Europe/Helsinki")
        ids.append(service.request_booking(BookingRequestInput(
            teammate=teammate, url=f"https://calendly.com/s{n}/intro", platform="calendly")).id)
        service.queue.enqueue(ids[-1])
    return service, ids


def test_a_worker_takes_no_more_jobs_than_it_has_browsers(settings, clock):
    service, ids = queued_service(settings, clock, 3)
    release = threading.Event()
    ran: list[int] = []

    def held_job(booking_id: int) -> None:  # stands in for the browser job: busy until released
        ran.append(booking_id)
        release.wait(30)

    service.run_booking = held_job  # type: ignore[method-assign]
    runner = JobRunner(2)
    worker = QueueWorker(service, runner, poll_seconds=0.05)
    assert worker.poll_once() == 2
    assert worker.poll_once() == 0  # both browsers busy: the third stays queued for another worker
    assert queued(service.db) == [ids[2]]
    release.set()
    assert runner.wait_idle(30)
    assert worker.poll_once() == 1
    assert runner.wait_idle(30)
    assert sorted(ran) == ids and worker.taken == 3
    runner.shutdown()


def test_the_polling_loop_runs_queued_jobs_and_stops_on_the_event(settings, clock):
    service, ids = queued_service(settings, clock, 2)
    done = threading.Semaphore(0)
    ran: list[int] = []

    def job(booking_id: int) -> None:
        ran.append(booking_id)
        done.release()

    service.run_booking = job  # type: ignore[method-assign]
    runner = JobRunner(1)
    stop = threading.Event()
    thread = QueueWorker(service, runner, poll_seconds=0.05).start(stop)
    assert done.acquire(timeout=30) and done.acquire(timeout=30)
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert sorted(ran) == ids and queued(service.db) == []
    runner.shutdown()
