"""A worker runs each queued job as the method its kind names, the one the queuing process would have run.

Why: the bot process (``BOOKER_RUN_JOBS=false``) queues a booking, a page check, a page re-check, the
reading of a proposed time or a reschedule answer; a worker elsewhere must run exactly that, with the
same arguments, and a kind it doesn't know (a newer version queued it) is not run as something else.
"""
from __future__ import annotations

import logging

from sqlalchemy import update

from booking.domain.states import BookingStatus
from booking.runtime.runner import JobRunner
from booking.runtime.workers import QueueWorker
from booking.store.db import open_database
from booking.store.models import MeetingBookingRequest
from booking.store.queue import queued_jobs
from booking.workflow.queueing import DatabaseQueue
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService

S = BookingStatus
KINDS = ["check_status", "recheck", "read_new_time", "reschedule:accept", "reschedule:decline"]


def make_bookings(service: BookingService, count: int, sent: bool) -> list[int]:
    ids = []
    for n in range(count):
        teammate = Teammate(name=f"T {n}", email=f"{'s' if sent else 'p'}{n}@axa-innovation.example",
                            timezone="Europe/Helsinki")
        view = service.request_booking(BookingRequestInput(
            teammate=teammate, url=f"https://calendly.com/{'s' if sent else 'p'}{n}/intro", platform="calendly"))
        if sent:
            with service.db.transaction() as session:
                row = session.get_one(MeetingBookingRequest, view.id)
                service.transition(session, row, S.BOOKING_IN_PROGRESS, "test")
                service.transition(session, row, S.PENDING_CONFIRMATION, "test")
        ids.append(view.id)
    return ids


def test_the_worker_dispatches_every_kind_to_the_service_method(settings, clock, caplog):
    db = open_database(settings.database_url)
    service = BookingService(db, settings, browsers=None, runner=None, clock=clock,  # type: ignore[arg-type]
                             queue=DatabaseQueue(db, clock))
    calls: list[tuple] = []
    service.run_booking = lambda booking_id: calls.append(("run_booking", booking_id))  # type: ignore[method-assign,assignment,func-returns-value]
    service.check_status = lambda booking_id, count=True: calls.append(  # type: ignore[method-assign,assignment,func-returns-value]
        ("check_status", booking_id, count))
    service.read_new_time = lambda booking_id: calls.append(("read_new_time", booking_id))  # type: ignore[method-assign,assignment,func-returns-value]
    service.answer_reschedule = lambda booking_id, accept: calls.append(  # type: ignore[method-assign,assignment,func-returns-value]
        ("answer_reschedule", booking_id, accept))
    (pending,) = make_bookings(service, 1, sent=False)
    sent = make_bookings(service, len(KINDS) + 1, sent=True)
    service.queue.enqueue(pending)
    for booking_id, kind in zip(sent, KINDS):
        service.queue.enqueue(booking_id, kind=kind)
    service.queue.enqueue(sent[-1], kind="check_status")
    with db.transaction() as session:  # a kind this version doesn't know (queued by a newer one)
        session.execute(update(MeetingBookingRequest).where(MeetingBookingRequest.id == sent[-1])
                        .values(queued_job="frobnicate"))
    runner = JobRunner(8)
    worker = QueueWorker(service, runner)
    with caplog.at_level(logging.ERROR, logger="booking.runtime.workers"):
        assert worker.poll_once() == len(KINDS) + 1
    assert runner.wait_idle(30)
    runner.shutdown()
    assert sorted(calls) == sorted([
        ("run_booking", pending),
        ("check_status", sent[0], True),  # Check now: counted
        ("check_status", sent[1], False),  # the monitor's re-check: counted by its cycle already
        ("read_new_time", sent[2]),
        ("answer_reschedule", sent[3], True),
        ("answer_reschedule", sent[4], False),
    ])
    assert "frobnicate" in caplog.text and queued_jobs(db) == []  # taken off the queue, not run as anything
