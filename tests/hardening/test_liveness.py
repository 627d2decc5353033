"""Liveness that can't lie (issue 15 items 1 and 9, issue 16's `worker --once`).

A live job keeps its claim however long one step takes, so a recovery pass running beside it leaves
it alone; a job that lost its claim stops and writes nothing; every job has a time budget; the
monitor's lease passes on quickly and a one-off worker gives it back.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from booking.domain.states import BookingStatus
from booking.runtime.runner import JobRunner
from booking.store.leases import Lease, monitor_ttl
from booking.store.liveness import JobClaim, LostClaim, claim_is_dead, holder_process
from booking.store.models import MeetingBookingRequest
from booking.workflow.monitor import ConfirmationMonitor
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.studio import STUDIO_RECIPE, build_studio
from tests.conftest import NOW
from tests.helpers import eventually

S = BookingStatus
pytestmark = pytest.mark.both_databases
SHORT_CLAIM = timedelta(seconds=1.5)  # renewed every 0.5 s of real time while the job runs


class PausingNotifier:
    """Holds the job inside one step (its announcement) until the test lets it go on: a slow step."""

    def __init__(self, step_prefix: str) -> None:
        self.step_prefix = step_prefix
        self.reached = threading.Event()
        self.go_on = threading.Event()
        self.texts: list[str] = []

    def queued(self, booking):  # type: ignore[no-untyped-def]
        return {}

    def updated(self, booking):  # type: ignore[no-untyped-def]
        pass

    def direct(self, booking, text):  # type: ignore[no-untyped-def]
        pass

    def step(self, booking, text, screenshot=None):  # type: ignore[no-untyped-def]
        self.texts.append(text)
        if text.startswith(self.step_prefix) and not self.reached.is_set():
            self.reached.set()
            assert self.go_on.wait(120), "the test never let the step finish"


@pytest.fixture
def pausing_service(db, settings, browsers, clock):
    runner = JobRunner(settings.max_browsers)
    service = BookingService(db, settings, browsers, runner, clock=clock, claim_duration=SHORT_CLAIM)
    yield service
    runner.shutdown()


def start_booking(service, teammate, url: str, notifier: PausingNotifier) -> int:
    service.notifiers = lambda view: notifier
    view = service.request_booking(BookingRequestInput(teammate=teammate, url=url, platform="calendly"))
    service.start(view.id)
    assert notifier.reached.wait(120), notifier.texts
    return view.id


def row(service, booking_id: int) -> MeetingBookingRequest:
    with service.db.session() as session:
        return session.get_one(MeetingBookingRequest, booking_id)


def monitor_for(service, owner: str = "monitor") -> ConfirmationMonitor:
    return ConfirmationMonitor(service, Lease(service.db, "confirmation-monitor", owner, monitor_ttl(60), service.clock), [])


@pytest.mark.browser
def test_a_step_longer_than_the_claim_keeps_the_claim_and_the_job_runs_once(pausing_service, calendly, teammate, clock):
    """The page takes far longer than the claim lasts; the recovery pass beside it finds it alive."""
    service = pausing_service
    notifier = PausingNotifier("Opened the")
    booking_id = start_booking(service, teammate, calendly.event_url("carla-beta", "30min"), notifier)
    try:
        clock.advance(minutes=10)  # the step "took" 10 minutes: 400 claims' worth; only the heartbeat renews it
        eventually(lambda: row(service, booking_id).claim_expires_at > clock(), 30, "the claim renewed by its heartbeat")
        recovered = monitor_for(service).recover_stalled(clock())
    finally:
        notifier.go_on.set()
    assert recovered == 0
    assert service.runner.wait_idle(120)

    view = service.get(booking_id)
    assert view.status in (S.CONFIRMED, S.PENDING_CONFIRMATION), view.error_message
    assert view.retry_count == 0
    events = service.events(booking_id)
    assert [e.data.get("step") for e in events if e.kind == "step"].count("page_loaded") == 1
    assert not any("Retrying" in e.detail or "stopped unexpectedly" in e.detail for e in events)
    assert len([b for b in calendly.bookings if b["email"] == teammate.email]) == 1
    assert row(service, booking_id).claimed_by is None  # the outcome ends the claim


@pytest.mark.browser
def test_a_job_whose_claim_was_taken_stops_and_leaves_the_booking_untouched(pausing_service, calendly, teammate,
                                                                             caplog):
    """Another worker took the booking over while this job's step ran: the job writes nothing more."""
    service = pausing_service
    notifier = PausingNotifier("Opened the")
    booking_id = start_booking(service, teammate, calendly.event_url("carla-beta", "30min"), notifier)
    try:
        with service.db.transaction() as session:
            taken = session.get_one(MeetingBookingRequest, booking_id)
            taken.claimed_by = "elsewhere.example:4242#takeover"
        before = row(service, booking_id)
        events_before = len(service.events(booking_id))
    finally:
        with caplog.at_level(logging.WARNING, logger="booking.workflow.service"):
            notifier.go_on.set()
            assert service.runner.wait_idle(120)

    after = row(service, booking_id)
    assert (after.status, after.claimed_by, after.version, after.error_message) == (
        S.BOOKING_IN_PROGRESS.value, "elsewhere.example:4242#takeover", before.version, None)
    assert len(service.events(booking_id)) == events_before
    assert calendly.bookings == []  # it stopped at the next step: nothing was sent
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert lines == [f"booking {booking_id}: this job lost its claim to another worker; "
                     "it stopped and left the booking as it is"]
    assert not [r for r in caplog.records if r.exc_info]


def test_a_stale_jobs_transition_is_refused_without_touching_the_booking(service, teammate):
    """The outcome a job writes after losing its claim (success, failure, retry) changes nothing."""
    view = service.request_booking(BookingRequestInput(teammate=teammate, url="https://calendly.com/acme/intro",
                                                       platform="calendly"))
    claimed = service._claim(view.id)
    assert claimed is not None and holder_process(claimed.claimed_by) == (socket.gethostname(), os.getpid())
    claim = JobClaim(service.db, view.id, claimed.claimed_by, clock=service.clock)
    with service.db.transaction() as session:  # the monitor judged it dead and queued a retry, which claimed it
        other = session.get_one(MeetingBookingRequest, view.id)
        other.claimed_by = "elsewhere.example:7#retry"
    before = row(service, view.id)
    events = len(service.events(view.id))

    with claim:
        for write in (lambda: service.fail_or_retry(view.id, "page changed", retry=True),
                      lambda: service.fail_or_retry(view.id, "page changed", retry=False),
                      lambda: service.confirm(view.id, "page", "Confirmed by the booking page")):
            with pytest.raises(LostClaim):
                write()
    after = row(service, view.id)
    assert (after.status, after.claimed_by, after.version, after.retry_count, after.error_message) == (
        before.status, before.claimed_by, before.version, 0, None)
    assert len(service.events(view.id)) == events


def test_a_live_jobs_heartbeat_renews_its_claim_and_notices_when_it_is_taken(service, teammate, clock):
    view = service.request_booking(BookingRequestInput(teammate=teammate, url="https://calendly.com/acme/beat",
                                                       platform="calendly"))
    owner = service._claim(view.id).claimed_by
    claim = JobClaim(service.db, view.id, owner, clock=clock, duration=timedelta(seconds=0.6))
    with claim:
        clock.advance(minutes=5)
        eventually(lambda: row(service, view.id).claim_expires_at > clock(), 30, "a heartbeat")
        assert not claim_is_dead(owner, row(service, view.id).claim_expires_at, clock())
        with service.db.transaction() as session:
            session.get_one(MeetingBookingRequest, view.id).claimed_by = "elsewhere.example:1#x"
        assert claim.lost.wait(30)
    assert row(service, view.id).claimed_by == "elsewhere.example:1#x"


def test_a_claim_is_dead_only_when_its_holder_is_gone():
    here = socket.gethostname()
    now = NOW
    later = now + timedelta(minutes=1)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone_pid = int(finished.stdout)
    assert not claim_is_dead(f"{here}:{os.getpid()}#a1", later, now)  # alive, renewed
    assert claim_is_dead(f"{here}:{os.getpid()}#a1", now - timedelta(seconds=1), now)  # no heartbeat for 3 beats
    assert claim_is_dead(f"{here}:{gone_pid}#b2", later, now)  # its process on this host ended
    assert not claim_is_dead(f"other-host:{gone_pid}#c3", later, now)  # another host: only the heartbeat tells
    assert claim_is_dead(None, None, now)


def test_the_monitor_lease_passes_on_within_90_seconds():
    assert monitor_ttl(60) == timedelta(seconds=90)  # README: within 90 s (it was 180 s by default)
    assert monitor_ttl(20) == timedelta(seconds=60)
    assert monitor_ttl(3600) == timedelta(seconds=90)


# -- the time budget ----------------------------------------------------------------------------------

class RunningClock:
    """A clock that runs at real speed from the tests' "now", and can be moved forward."""

    def __init__(self) -> None:
        self.base = NOW
        self.started = time.monotonic()

    def __call__(self) -> datetime:
        return self.base + timedelta(seconds=time.monotonic() - self.started)

    def advance(self, **kwargs: float) -> None:
        self.base += timedelta(**kwargs)


@pytest.mark.browser
def test_a_job_over_its_time_budget_stops_itself_with_the_reason(db, settings, browsers, clock, teammate):
    """A recipe step may wait 400 s for an element that never comes; the job stops when its budget ends."""
    from booking.store.directory import upsert_startup

    running = RunningClock()
    notifier = PausingNotifier("Selected ")  # the slot is chosen; the details come next
    continue_step = '  - click: {text: "Continue ›"}\n'
    recipe = STUDIO_RECIPE.replace(continue_step, continue_step + '  - wait: {selector: "#never-there", timeout: 400}\n')
    assert recipe != STUDIO_RECIPE
    with build_studio(now=clock) as studio:
        with db.transaction() as session:
            upsert_startup(session, name="Nordlys Studio", aliases=["nordlys"], platform="custom",
                           booking_url=studio.booking_url, people=[{"name": "Mia Berg"}], recipe=recipe)
        runner = JobRunner(1)
        service = BookingService(db, settings, browsers, runner, clock=running, notifiers=lambda view: notifier)
        try:
            view = service.request_booking(BookingRequestInput(
                teammate=teammate.__class__(**{**teammate.__dict__, "phone": "+358 40 123 4567"}), startup="nordlys"))
            service.start(view.id)
            assert notifier.reached.wait(120), notifier.texts
            running.advance(seconds=settings.job_budget_seconds - 5)  # the page was slow: 5 s of the budget left
            notifier.go_on.set()
            assert runner.wait_idle(120)
        finally:
            notifier.go_on.set()
            runner.shutdown()
        final = service.get(view.id)
    assert settings.job_budget_seconds == 900
    assert final.status == S.FAILED and final.retry_count == 0
    assert final.error_message.startswith("Stopped after 15 minutes (the time one booking may take): "
                                          "the page never showed step 8 (wait): #never-there"), final.error_message
    assert studio.real_bookings == []


def test_the_budget_is_checked_between_steps(service, teammate):
    """A job whose budget is spent stops at its next step, naming where it was."""
    from booking.store.liveness import BudgetExceeded

    view = service.request_booking(BookingRequestInput(teammate=teammate, url="https://calendly.com/acme/budget",
                                                       platform="calendly"))
    owner = service._claim(view.id).claimed_by
    claim = JobClaim(service.db, view.id, owner, clock=service.clock, budget=timedelta(seconds=60))
    claim.between_steps("Opened the page")  # within budget: goes on
    service.clock.advance(seconds=61)
    with pytest.raises(BudgetExceeded, match=r"^Stopped after 60 seconds \(the time one booking may take\): "
                                             r"the booking had not finished \(last step: Picked a time\)$"):
        claim.between_steps("Picked a time")


# -- the monitor's lease -----------------------------------------------------------------------------

def worker_env(settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update({"DATABASE_URL": settings.database_url, "BOOKER_SCREENSHOT_DIR": str(settings.screenshot_dir),
                "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "6", "BOOKER_RETRY_BACKOFF_SECONDS": "0"})
    env.pop("SLACK_BOT_TOKEN", None)
    return env


def test_worker_once_twice_in_a_row_both_check(service, teammate, settings, clock):
    """`worker --once` gives its lease back on exit, so a second run right after does its own check."""
    clock.now = datetime.now(timezone.utc)  # the workers run on the real clock
    view = service.request_booking(BookingRequestInput(teammate=teammate, url="https://calendly.com/acme/once",
                                                       platform="calendly"))
    with service.db.transaction() as session:
        booking = session.get_one(MeetingBookingRequest, view.id)
        service.transition(session, booking, S.BOOKING_IN_PROGRESS, "test")
        service.transition(session, booking, S.PENDING_CONFIRMATION, "test")
        booking.booking_completed_at = clock()
    reports = []
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "booking", "worker", "--once"], env=worker_env(settings),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        reports.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert [(r["held_lease"], r["checked"]) for r in reports] == [(True, 1), (True, 1)]
    assert service.get(view.id).confirmation_check_count == 2
