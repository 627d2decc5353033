"""The confirmation monitor: one per database, timeouts, crash recovery — on a controlled clock."""
from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from booking.confirmations.checks import Verdict
from booking.domain.states import BookingStatus
from booking.store.leases import Lease
from booking.store.models import MeetingBookingRequest
from booking.workflow.monitor import ConfirmationMonitor
from booking.workflow.requests import BookingRequestInput
from tests.helpers import eventually

S = BookingStatus
pytestmark = pytest.mark.both_databases  # the lease, the cycle's updates and crash recovery, on both engines


class Recorder:
    """A notifier that remembers what the teammate was told."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, str]] = []
        self.dms: list[tuple[int, str]] = []
        self.updates: list[tuple[int, str]] = []

    def queued(self, booking):  # type: ignore[no-untyped-def]
        return {}

    def step(self, booking, text, screenshot=None):  # type: ignore[no-untyped-def]
        self.steps.append((booking.id, text))

    def updated(self, booking):  # type: ignore[no-untyped-def]
        self.updates.append((booking.id, booking.status))

    def direct(self, booking, text):  # type: ignore[no-untyped-def]
        self.dms.append((booking.id, text))


_STARTUPS = itertools.count()


def submitted_booking(service, teammate, url=None) -> int:
    """A booking waiting for confirmation, each with its own startup (one live booking per startup)."""
    url = url or f"https://calendly.com/startup-{next(_STARTUPS)}/intro"
    view = service.request_booking(BookingRequestInput(teammate=teammate, url=url, platform="calendly"))
    with service.db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        service.transition(session, row, S.BOOKING_IN_PROGRESS, "test")
        service.transition(session, row, S.PENDING_CONFIRMATION, "test")
        row.booking_completed_at = service.clock()
    return view.id


def monitor_for(service, owner="proc-a", checks=()):
    lease = Lease(service.db, "confirmation-monitor", owner, ttl=timedelta(seconds=90), clock=service.clock)
    return ConfirmationMonitor(service, lease, checks)


class ScriptedCheck:
    name = "scripted"

    def __init__(self, verdicts):  # type: ignore[no-untyped-def]
        self.verdicts = verdicts
        self.seen: list[list[int]] = []

    def check(self, bookings, now):  # type: ignore[no-untyped-def]
        self.seen.append([b.id for b in bookings])
        return {i: v for i, v in self.verdicts.items() if i in {b.id for b in bookings}}


def test_only_one_lease_holder_and_takeover_after_expiry(service, clock):
    a = Lease(service.db, "m", "proc-a", timedelta(seconds=90), clock)
    b = Lease(service.db, "m", "proc-b", timedelta(seconds=90), clock)
    assert a.acquire() and not b.acquire()
    clock.advance(seconds=60)
    assert a.acquire() and not b.acquire()  # renewed
    clock.advance(seconds=91)  # proc-a stopped renewing
    assert b.acquire() and not a.acquire()


def test_cycle_counts_and_stamps_each_pending_booking(service, teammate, clock):
    first, second = submitted_booking(service, teammate), submitted_booking(service, teammate)
    check = ScriptedCheck({})
    report = monitor_for(service, checks=[check]).run_cycle()
    assert report.held_lease and report.checked == 2 and check.seen == [[first, second]]
    view = service.get(first)
    assert view.confirmation_check_count == 1 and view.last_confirmation_check == clock()


def test_verdicts_confirm_or_decline_only_their_booking(service, teammate, clock):
    recorder = Recorder()
    service.notifiers = lambda view: recorder
    confirmed, declined, untouched = (submitted_booking(service, teammate) for _ in range(3))
    check = ScriptedCheck({
        confirmed: Verdict("confirmed", "email", "confirmed by e-mail from Cal.com at 14:02"),
        declined: Verdict("declined", "api", "declined according to Cal.com's API"),
    })
    report = monitor_for(service, checks=[check]).run_cycle()
    assert (report.confirmed, report.declined) == (1, 1)
    assert service.get(confirmed).status == S.CONFIRMED and service.get(confirmed).confirmation_method == "email"
    assert service.get(declined).status == S.FAILED and service.get(declined).error_message.startswith("declined by https://calendly.com/startup-")
    assert service.get(untouched).status == S.PENDING_CONFIRMATION
    assert (confirmed, "Confirmed by e-mail from Cal.com at 14:02") in recorder.steps
    assert any(i == declined and "failed: declined" in text for i, text in recorder.dms)


def test_after_24_hours_the_booking_times_out_and_the_teammate_is_told(service, teammate, clock):
    recorder = Recorder()
    service.notifiers = lambda view: recorder
    booking_id = submitted_booking(service, teammate)
    monitor = monitor_for(service, checks=[ScriptedCheck({})])
    clock.advance(hours=23, minutes=59)
    assert monitor.run_cycle().timed_out == 0
    clock.advance(minutes=2)
    report = monitor.run_cycle()
    assert report.timed_out == 1 and report.checked == 0
    view = service.get(booking_id)
    assert view.status == S.FAILED and view.error_message == "no confirmation after 24 h"
    assert recorder.dms == [(booking_id, f"Your meeting request with {view.startup_name} failed: no confirmation after 24 h")]


def test_a_second_process_does_not_double_run(service, teammate):
    ids = [submitted_booking(service, teammate) for _ in range(3)]
    a, b = monitor_for(service, "proc-a"), monitor_for(service, "proc-b")
    reports = [a.run_cycle(), b.run_cycle()]
    assert [r.held_lease for r in reports] == [True, False]
    assert all(service.get(i).confirmation_check_count == 1 for i in ids)


def worker_env(settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update({"DATABASE_URL": settings.database_url, "BOOKER_SCREENSHOT_DIR": str(settings.screenshot_dir),
                "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "6", "BOOKER_RETRY_BACKOFF_SECONDS": "0"})
    env.pop("SLACK_BOT_TOKEN", None)
    return env


def test_two_worker_processes_check_each_booking_once_per_cycle(service, teammate, settings, clock):
    clock.now = datetime.now(timezone.utc)  # the workers run on the real clock: submitted now, not 24 h+ ago
    ids = [submitted_booking(service, teammate) for _ in range(20)]
    command = [sys.executable, "-m", "booking", "worker", "--once"]
    workers = [subprocess.Popen(command, env=worker_env(settings), stdout=subprocess.PIPE, text=True) for _ in range(2)]
    reports = [json.loads(w.communicate(timeout=120)[0].strip().splitlines()[-1]) for w in workers]
    # Overlapping, one holds the lease and the other checks nothing; `--once` gives the lease back on
    # exit, so a worker that started after the other finished runs a cycle of its own. Either way no
    # cycle checks a booking twice: each booking is checked once per cycle that ran.
    cycles = sum(r["held_lease"] for r in reports)
    assert cycles >= 1 and all(r["checked"] == (20 if r["held_lease"] else 0) for r in reports)
    assert all(service.get(i).confirmation_check_count == cycles for i in ids)


@pytest.mark.browser
def test_process_killed_mid_booking_is_retried_after_restart(service, settings, calendly, clock):
    """A bot process dies while its browser job runs; the next monitor cycle retries it, and says so."""
    recorder = Recorder()
    service.notifiers = lambda view: recorder
    child = subprocess.Popen([sys.executable, "-m", "tests.confirmations.crash_child", calendly.event_url("carla-beta", "30min")],
                             env=worker_env(settings), stdout=subprocess.PIPE, text=True, start_new_session=True)
    booking_id = int(child.stdout.readline())
    eventually(lambda: any(e.detail.startswith("Opened") for e in service.events(booking_id)), 60, "the child's first step")
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert service.get(booking_id).status == S.BOOKING_IN_PROGRESS  # what the dead process left

    report = monitor_for(service).run_cycle()  # the restarted process's first cycle
    assert report.recovered == 1
    assert service.runner.wait_idle(120)
    view = service.get(booking_id)
    assert view.status == S.CONFIRMED and view.retry_count == 1
    assert len([b for b in calendly.bookings if b["email"] == "crash@axa.example"]) == 1
    assert any("stopped unexpectedly (the bot restarted)" in text for _, text in recorder.steps)


def test_crash_after_the_form_was_filled_is_not_retried_blindly(service, teammate, clock):
    recorder = Recorder()
    service.notifiers = lambda view: recorder
    view = service.request_booking(BookingRequestInput(teammate=teammate, url="https://calendly.com/acme/intro"))
    with service.db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        service.transition(session, row, S.BOOKING_IN_PROGRESS, "job started")
        row.claimed_by, row.claim_expires_at = "elsewhere:1", clock() + timedelta(minutes=3)
        service.store.log(session, row, "step", None, None, "Filled in the form", {"step": "form_filled"})
    clock.advance(minutes=4)  # the claim lapsed: nobody renewed it
    assert monitor_for(service).run_cycle().recovered == 1
    final = service.get(view.id)
    assert final.status == S.FAILED and final.retry_count == 0
    assert "may already have been sent" in final.error_message


def test_the_cycle_purges_screenshots_past_their_retention(service, teammate, clock, settings):
    from booking.browser.drivers import ScreenshotSaver

    old = ScreenshotSaver(settings.screenshot_dir, 99).save("page", b"png")
    stamp = (clock() - timedelta(days=settings.screenshot_retention_days + 1)).timestamp()
    os.utime(old, (stamp, stamp))
    fresh = ScreenshotSaver(settings.screenshot_dir, 100).save("page", b"png")
    monitor_for(service).run_cycle()
    assert not old.exists() and fresh.exists()


@pytest.mark.parametrize("steps, sent", [
    ([], False),
    (["page_loaded", "person_selected", "slots_found"], False),
    (["page_loaded", "slots_found", "slot_selected"], False),                   # the form comes next
    (["page_loaded", "slots_found", "slot_selected", "form_filled"], True),     # the submit comes next
    (["page_loaded", "form_filled", "slots_found"], False),                      # details first: times next
    (["page_loaded", "form_filled", "slots_found", "slot_selected"], True),      # details first: submit next
    (["page_loaded", "form_filled", "slot_selected", "slot_taken"], True),
])
def test_what_a_dead_job_may_have_sent(steps, sent):
    from booking.workflow.monitor import maybe_sent

    newest_first = [("step", {"step": s}) for s in reversed(steps)] + [("status", {}), ("step", {"step": "form_filled"})]
    assert maybe_sent(newest_first) is sent  # a form_filled of an earlier attempt (before the status) doesn't count
