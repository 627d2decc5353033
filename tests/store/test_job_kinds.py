"""Job kinds on the database queue: a sent booking's page check and a reschedule answer run on a worker too.

Why: with ``BOOKER_RUN_JOBS=false`` the Slack process must open no browser at all, yet "Check status",
the answers to a proposed new time and the monitor's page re-check used to run on that process's own
runner. Now each queues a job that names its kind (``queued_job``) and a worker runs the same method.
"""
from __future__ import annotations

import itertools
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Iterator

import pytest

from booking.confirmations.checks import PendingBooking
from booking.domain.states import BookingStatus
from booking.platforms.base import StatusCheck
from booking.runtime.runner import JobRunner
from booking.runtime.workers import QueueWorker
from booking.store.db import open_database
from booking.store.models import MeetingBookingRequest
from booking.store.queue import queue_job, queued, queued_jobs, take_job, take_next
from booking.workflow.controls import BookingControls
from booking.workflow.monitor import PageRecheck
from booking.workflow.queueing import DatabaseQueue
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService

pytestmark = pytest.mark.both_databases
S = BookingStatus
_PEOPLE = itertools.count()
NEW_TIME = datetime(2026, 11, 20, 10, 30, tzinfo=timezone.utc)


class Recorder:
    """A runner that records what it was given instead of running it: the bot process's browser slots."""

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


class FakeSlushPage:
    """Stands in for the platform's page: answers a status read and a reschedule answer, and counts them."""

    def __init__(self, state: str = "accepted") -> None:
        self.state = state
        self.reads: list[str] = []
        self.answers: list[bool] = []

    def check_status(self, booking_url: str, external_booking_id: str) -> StatusCheck:
        self.reads.append(external_booking_id)
        return StatusCheck(self.state, NEW_TIME if self.state == "rescheduled" else None)  # type: ignore[arg-type]

    def respond_to_reschedule(self, booking_url: str, request_id: str, accept: bool) -> StatusCheck:
        self.answers.append(accept)
        return StatusCheck("accepted" if accept else "declined", NEW_TIME)


def no_browser_here(booking_id: int):  # type: ignore[no-untyped-def]
    raise AssertionError("the queuing process opened a browser")


def bot_service(settings, clock) -> BookingService:  # type: ignore[no-untyped-def]
    """The Slack process with BOOKER_RUN_JOBS=false: a database queue, and no browser at all."""
    db = open_database(settings.database_url)
    service = BookingService(db, settings, browsers=None, runner=Recorder(), clock=clock,  # type: ignore[arg-type]
                             queue=DatabaseQueue(db, clock))
    service.platform_session = no_browser_here  # type: ignore[method-assign,assignment]
    return service


def worker_service(settings, clock, page: FakeSlushPage) -> BookingService:  # type: ignore[no-untyped-def]
    """A worker process: its own engine, its own runner, the (fake) platform page."""
    db = open_database(settings.database_url, run_migrations=False)

    @contextmanager
    def session(booking_id: int) -> Iterator[FakeSlushPage]:
        yield page

    service = BookingService(db, settings, browsers=None, runner=JobRunner(1), clock=clock,  # type: ignore[arg-type]
                             queue=DatabaseQueue(db, clock))
    service.platform_session = session  # type: ignore[method-assign,assignment]
    return service


def sent_booking(service: BookingService) -> int:
    """A Slush request waiting for the person's answer (a platform whose page can be re-checked)."""
    n = next(_PEOPLE)
    teammate = Teammate(name="Eduardo Paz", email=f"t{n}@axa-innovation.example", timezone="Europe/Helsinki",
                        user_id="U123")
    view = service.request_booking(BookingRequestInput(
        teammate=teammate, url=f"https://next.brella.io/events/slush2026/people?profile={n}",
        platform="slush_platform"))
    with service.db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        service.transition(session, row, S.BOOKING_IN_PROGRESS, "test")
        service.transition(session, row, S.PENDING_CONFIRMATION, "test")
        row.external_booking_id = f"req-{n}"
        row.booking_completed_at = service.clock()
    return view.id


def run_one(worker: BookingService) -> int:
    runner: JobRunner = worker.runner  # type: ignore[assignment]
    started = QueueWorker(worker, runner).poll_once()
    assert runner.wait_idle(30)
    return started


def test_check_status_is_queued_not_run_here_and_a_worker_runs_it(settings, clock):
    bot = bot_service(settings, clock)
    booking_id = sent_booking(bot)
    outcome = BookingControls(bot).check_now(booking_id, "U123")
    assert "Checking" in outcome.message
    assert bot.runner.jobs == []  # type: ignore[attr-defined]  # no browser job in the Slack process
    assert queued_jobs(bot.db) == [(booking_id, "check_status")]
    assert take_next(bot.db, clock()) is None  # a booking-only taker leaves it for a worker
    page = FakeSlushPage("accepted")
    worker = worker_service(settings, clock, page)
    try:
        assert run_one(worker) == 1
        assert page.reads == [bot.get(booking_id).external_booking_id]
        after = bot.get(booking_id)
        assert after.status in (S.CONFIRMED, S.ADDED_TO_CALENDAR)
        assert after.confirmation_check_count == 1  # Check now counts its check
        assert queued_jobs(bot.db) == [] and run_one(worker) == 0  # taken once
    finally:
        worker.runner.shutdown()


@pytest.mark.parametrize("accept", [True, False])
def test_a_reschedule_answer_is_queued_and_a_worker_answers_it_on_the_page(settings, clock, accept):
    bot = bot_service(settings, clock)
    booking_id = sent_booking(bot)
    bot.offer_reschedule(booking_id, NEW_TIME, "test")
    BookingControls(bot).answer_reschedule(booking_id, "U123", accept)
    assert bot.runner.jobs == []  # type: ignore[attr-defined]
    assert queued_jobs(bot.db) == [(booking_id, "reschedule:accept" if accept else "reschedule:decline")]
    page = FakeSlushPage()
    worker = worker_service(settings, clock, page)
    try:
        assert run_one(worker) == 1
    finally:
        worker.runner.shutdown()
    assert page.answers == [accept]
    status = bot.get(booking_id).status
    assert status in ((S.CONFIRMED, S.ADDED_TO_CALENDAR) if accept else (S.FAILED,))


def test_the_monitors_page_recheck_queues_instead_of_opening_a_browser(settings, clock):
    bot = bot_service(settings, clock)
    booking_id = sent_booking(bot)
    view = bot.get(booking_id)
    pending = PendingBooking(id=booking_id, user_email=view.user_email, user_id=view.user_id,
                             startup_name=view.startup_name, platform=view.platform, booking_url=view.booking_url,
                             external_booking_id=view.external_booking_id, person_email=None, slot=None,
                             check_count=5, submitted_at=clock())
    assert PageRecheck(bot, every=5).check([pending], clock()) == {}
    assert bot.runner.jobs == []  # type: ignore[attr-defined]
    assert queued_jobs(bot.db) == [(booking_id, "recheck")]
    page = FakeSlushPage("declined")
    worker = worker_service(settings, clock, page)
    try:
        assert run_one(worker) == 1
    finally:
        worker.runner.shutdown()
    after = bot.get(booking_id)
    assert page.reads and after.status == S.FAILED
    assert after.confirmation_check_count == 0  # the monitor's cycle counted it already, not the job


def test_a_job_on_a_sent_booking_is_not_queued_for_a_pending_one_and_vice_versa(settings, clock):
    bot = bot_service(settings, clock)
    sent = sent_booking(bot)
    teammate = Teammate(name="Eduardo Paz", email="new@axa-innovation.example", timezone="Europe/Helsinki")
    pending = bot.request_booking(BookingRequestInput(
        teammate=teammate, url="https://next.brella.io/events/slush2026/people?profile=999",
        platform="slush_platform")).id
    assert not queue_job(bot.db, pending, clock(), "check_status")  # nothing sent yet to check
    assert not queue_job(bot.db, sent, clock())  # a sent booking is not booked again
    assert queue_job(bot.db, pending, clock()) and queue_job(bot.db, sent, clock(), "check_status")
    assert sorted(queued_jobs(bot.db)) == sorted([(pending, "book"), (sent, "check_status")])


def test_two_workers_racing_take_each_queued_check_exactly_once(settings, clock):
    bot = bot_service(settings, clock)
    ids = [sent_booking(bot) for _ in range(12)]
    for booking_id in ids:
        bot.queue.enqueue(booking_id, kind="check_status")
    workers = [open_database(settings.database_url, run_migrations=False) for _ in range(2)]
    barrier = threading.Barrier(2)
    taken: list[list[tuple[int, str]]] = [[], []]
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            while True:
                barrier.wait(timeout=30)  # both take at the same moment, every round
                got = take_job(workers[n], clock())
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
    assert sorted(taken[0] + taken[1]) == [(booking_id, "check_status") for booking_id in ids]  # once each
    assert taken[0] and taken[1]  # both really raced
    for db in workers:
        db.dispose()


def test_the_health_report_counts_queued_and_running_jobs_of_every_kind(settings, clock):
    """A worker's /healthz ``jobs``: the queue by kind (not only bookings) and what this worker runs, by kind."""
    bot = bot_service(settings, clock)
    teammate = Teammate(name="Eduardo Paz", email="pending@axa-innovation.example", timezone="Europe/Helsinki")
    pending = bot.request_booking(BookingRequestInput(
        teammate=teammate, url="https://next.brella.io/events/slush2026/people?profile=998",
        platform="slush_platform")).id
    sent = [sent_booking(bot) for _ in range(3)]
    bot.queue.enqueue(pending)  # the oldest: the worker takes it first
    clock.advance(seconds=1)
    bot.queue.enqueue(sent[0], kind="check_status")
    bot.queue.enqueue(sent[1], kind="check_status")
    bot.queue.enqueue(sent[2], kind="recheck")
    assert queued(bot.db) == [pending]  # bookings only: the three checks were invisible to it
    worker = worker_service(settings, clock, FakeSlushPage())
    release = threading.Event()
    ran: list[tuple[str, int]] = []

    def hold(kind: str):  # type: ignore[no-untyped-def]
        def job(booking_id: int, count: bool = True) -> None:
            ran.append((kind, booking_id))
            assert release.wait(30)
        return job

    worker.run_booking = hold("book")  # type: ignore[method-assign]
    worker.check_status = hold("check_status")  # type: ignore[method-assign]
    runner: JobRunner = worker.runner  # type: ignore[assignment]
    taker = QueueWorker(worker, runner)
    zero = {"queued": 0, "running": 0}
    try:
        assert taker.jobs_report(1) == {
            "running": 0, "at_once": 1, "queued": 4,
            "by_kind": {"book": {"queued": 1, "running": 0}, "check_status": {"queued": 2, "running": 0},
                        "recheck": {"queued": 1, "running": 0}, "read_new_time": zero, "reschedule:accept": zero,
                        "reschedule:decline": zero}}
        assert taker.poll_once() == 1  # one browser slot: the booking
        report = taker.jobs_report(1)
        assert (report["running"], report["queued"]) == (1, 3)
        assert report["by_kind"]["book"] == {"queued": 0, "running": 1}
        release.set()
        assert runner.wait_idle(30)
        release.clear()
        assert taker.poll_once() == 1  # the next: a status check
        report = taker.jobs_report(1)
        assert report["by_kind"]["check_status"] == {"queued": 1, "running": 1}
        assert (report["running"], report["queued"]) == (1, 2)
        release.set()
        assert runner.wait_idle(30)
        assert taker.poll_once() == 1 and runner.wait_idle(30) and taker.poll_once() == 1 and runner.wait_idle(30)
        assert taker.jobs_report(1)["running"] == 0 and taker.jobs_report(1)["queued"] == 0
        assert [kind for kind, _ in ran] == ["book", "check_status", "check_status", "check_status"]  # recheck too
    finally:
        release.set()
        runner.shutdown()
