"""The confirmation monitor: one cycle looks at every booking waiting for the startup's answer.

A cycle (every minute, run by :mod:`booking.runtime.scheduler`, only in the process holding the lease):

1. recovers browser jobs a crashed process left behind (retry, or fail with a reason),
2. fails bookings that waited more than 24 h ("no confirmation after 24 h"),
3. counts and stamps a check on every other pending booking with one UPDATE,
4. asks each :class:`ConfirmationCheck` in order (Gmail, the platform's API, a page re-check)
   about the bookings no earlier check decided, and applies the verdicts.

Its cost grows with teammates (one Gmail history call each), not with bookings.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from typing import Any, Callable, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm.exc import StaleDataError

from booking.confirmations.checks import ConfirmationCheck, CycleReport, PendingBooking, Verdict
from booking.domain.states import BookingStatus
from booking.mail.signals import AMBIGUOUS  # a verdict that decides nothing: noted in the thread
from booking.notify.notifier import SafeNotifier
from booking.platforms.registry import get_platform
from booking.store.leases import Lease
from booking.store.liveness import claim_is_dead
from booking.store.models import BookingEvent, MeetingBookingRequest
from booking.store.retention import purge_screenshots
from booking.workflow.service import BookingService

log = logging.getLogger(__name__)
S = BookingStatus

MAX_WAIT = timedelta(hours=24)
# Steps after which the form may have been sent: a crashed job there must not be re-run blindly.
MAYBE_SUBMITTED_STEPS = {"form_filled", "submitted", "slot_taken"}


class PageRecheck:
    """Every ``every``-th check, re-read the request on the platform's own page (in a browser job).

    Only for platforms that can show a sent request's status (``checks_status``); the job applies
    what it finds itself, so the cycle never waits for a browser.
    """

    name = "page"

    def __init__(self, service: BookingService, every: int = 5) -> None:
        self.service = service
        self.every = every

    def check(self, bookings: Sequence[PendingBooking], now: datetime) -> dict[int, Verdict]:
        for booking in bookings:
            if booking.check_count % self.every or not booking.external_booking_id:
                continue
            if getattr(get_platform(booking.platform), "checks_status", False):  # this process, or a worker's
                self.service.queue.enqueue(booking.id, kind="recheck")
        return {}


class ConfirmationMonitor:
    def __init__(
        self,
        service: BookingService,
        lease: Lease,
        checks: Sequence[ConfirmationCheck] = (),
        clock: Callable[[], datetime] | None = None,
        max_wait: timedelta = MAX_WAIT,
    ) -> None:
        self.service = service
        self.lease = lease
        self.checks = list(checks)
        self.clock = clock or service.clock
        self.max_wait = max_wait
        self._first_cycle = True
        self._last_purge: datetime | None = None

    # -- the cycle --------------------------------------------------------------------------------
    def run_cycle(self) -> CycleReport:
        started = time.perf_counter()
        if not self.lease.acquire():
            return CycleReport(held_lease=False)
        now = self.clock()
        report = CycleReport(held_lease=True)
        report.recovered = self.recover_stalled(now, at_startup=self._first_cycle)
        self._first_cycle = False
        report.timed_out = self._time_out(now)
        pending = self._stamp_and_load(now)
        report.checked = len(pending)
        undecided = pending
        for check in self.checks:
            if not undecided:
                break
            try:
                verdicts = check.check(undecided, now)
            except Exception:
                log.exception("confirmation check %s failed this cycle", check.name)
                continue
            report.by_check[check.name] = len(verdicts)
            for booking_id, verdict in verdicts.items():
                if self._apply(booking_id, verdict):
                    report.confirmed += verdict.state == "confirmed"
                    report.declined += verdict.state in {"declined", "cancelled"}
            decided = {i for i, v in verdicts.items() if v.state != AMBIGUOUS}
            undecided = [b for b in undecided if b.id not in decided]
        for booking_id in self.service.calendar_retries_due(now):
            self.service.retry_calendar(booking_id)
        self._purge_old_screenshots(now)
        report.seconds = time.perf_counter() - started
        return report

    def run_cycle_safely(self) -> None:
        """The scheduler's job: a failed cycle is logged and the next one runs as usual."""
        try:
            report = self.run_cycle()
            if report.held_lease and (report.checked or report.recovered or report.timed_out):
                log.info("confirmation cycle: %s", report)
        except Exception:
            log.exception("confirmation cycle failed")

    # -- steps ------------------------------------------------------------------------------------
    def _purge_old_screenshots(self, now: datetime) -> None:
        """Hourly: screenshots are personal data; delete them after the retention period."""
        if self._last_purge is not None and now - self._last_purge < timedelta(hours=1):
            return
        self._last_purge = now
        settings = self.service.settings
        purge_screenshots(settings.screenshot_dir, timedelta(days=settings.screenshot_retention_days), now)

    def _stamp_and_load(self, now: datetime) -> list[PendingBooking]:
        model = MeetingBookingRequest
        live = and_(model.status == S.PENDING_CONFIRMATION.value,
                    func.coalesce(model.booking_completed_at, model.created_at) >= now - self.max_wait)
        with self.service.db.transaction() as session:
            session.execute(
                update(model).where(live)
                .values(confirmation_check_count=model.confirmation_check_count + 1,
                        last_confirmation_check=now, version=model.version + 1)
                .execution_options(synchronize_session=False)
            )
            rows = session.execute(
                select(model.id, model.user_email, model.user_id, model.startup_name, model.booking_platform,
                       model.booking_url, model.external_booking_id, model.selected_person_email,
                       model.proposed_slot_1_datetime, model.confirmation_check_count,
                       func.coalesce(model.booking_completed_at, model.created_at), model.user_timezone,
                       model.selected_person_name, model.proposed_slot_2_datetime, model.reschedule_proposed_at)
                .where(live).order_by(model.id)
            ).all()
        return [PendingBooking(*row) for row in rows]

    def _time_out(self, now: datetime) -> int:
        model = MeetingBookingRequest
        with self.service.db.session() as session:
            stale = session.scalars(
                select(model.id).where(
                    model.status == S.PENDING_CONFIRMATION.value,
                    func.coalesce(model.booking_completed_at, model.created_at) < now - self.max_wait)
            ).all()
        hours = int(self.max_wait.total_seconds() // 3600)
        for booking_id in stale:
            self.service.decline(booking_id, f"no confirmation after {hours} h")
        return len(stale)

    def _apply(self, booking_id: int, verdict: Verdict) -> bool:
        view = self.service.get(booking_id)
        if view.status != S.PENDING_CONFIRMATION:
            return False
        notifier = SafeNotifier(self.service.notifiers(view))
        if verdict.state == "confirmed":
            if verdict.ical_uid or verdict.location or view.reschedule_to:
                with self.service.db.transaction() as session:
                    row = session.get_one(MeetingBookingRequest, booking_id)
                    row.invite_ical_uid = verdict.ical_uid or row.invite_ical_uid
                    row.meeting_location = verdict.location or row.meeting_location
                    row.reschedule_proposed_at = None  # the startup's answer settles a proposed new time
            notifier.step(view, verdict.detail[:1].upper() + verdict.detail[1:])
            self.service.confirm(booking_id, verdict.method, verdict.detail, verdict.slot)
            return True
        if verdict.state in {"declined", "cancelled"}:
            notifier.step(view, verdict.detail[:1].upper() + verdict.detail[1:])
            self.service.decline(booking_id, f"{verdict.state} by {view.startup_name}")
            return True
        if verdict.state == AMBIGUOUS:
            notifier.step(view, verdict.detail)
            return False
        if verdict.state == "rescheduled" and verdict.slot is not None:
            # The mail gives the new time: the teammate can answer it now, whatever the page says later.
            local = verdict.slot.astimezone(ZoneInfo(view.user_timezone))
            notifier.step(view, f"{verdict.detail[:1].upper()}{verdict.detail[1:]}: the new time is "
                                f"{local:%a} {local.day} {local:%b} {local:%H:%M} ({view.user_timezone})")
            self.service.offer_reschedule(booking_id, verdict.slot, verdict.detail)
            return False
        if verdict.state == "rescheduled" and get_platform(view.platform).checks_status:
            # The mail says a new time was proposed but not which: the platform's page says, now.
            notifier.step(view, f"{verdict.detail[:1].upper()}{verdict.detail[1:]}: reading the new time on "
                                f"{view.platform_label}")
            self.service.queue.enqueue(booking_id, kind="read_new_time")
            return False
        if verdict.state == "rescheduled":
            notifier.step(view, f"{verdict.detail[:1].upper()}{verdict.detail[1:]}: the e-mail doesn't say the new "
                                f"time and {view.platform_label} can't be re-read, so answer it from that e-mail; "
                                f"this booking keeps waiting for {view.startup_name}'s confirmation")
            return False
        log.info("booking %s: %s (%s) is not acted on", booking_id, verdict.state, verdict.detail)
        return False

    # -- crash safety -----------------------------------------------------------------------------
    def recover_stalled(self, now: datetime, *, at_startup: bool = False) -> int:
        """Browser jobs whose process died: retry them, or fail them when retrying could book twice.

        Also re-queues ``pending`` bookings nobody is running (queued in a process that stopped).
        """
        model = MeetingBookingRequest
        with self.service.db.session() as session:
            in_progress = session.execute(
                select(model.id, model.claimed_by, model.claim_expires_at).where(model.status == S.BOOKING_IN_PROGRESS.value)
            ).all()
            waiting_since = now if at_startup else now - timedelta(minutes=5)
            orphans = session.scalars(
                select(model.id).where(model.status == S.PENDING.value,
                                       or_(model.updated_at <= waiting_since, model.updated_at.is_(None)))
            ).all()
        recovered = 0
        for booking_id, owner, expires in in_progress:
            if claim_is_dead(owner, expires, now) and self._recover_one(booking_id, owner):
                recovered += 1
        for booking_id in orphans:
            self.service.queue.enqueue(booking_id)
            recovered += 1
        return recovered

    def _recover_one(self, booking_id: int, owner: str | None) -> bool:
        """Retry or fail the booking of a dead claim; False when its job turned out alive (it renewed or wrote)."""
        with self.service.db.session() as session:
            recent = session.execute(
                select(BookingEvent.kind, BookingEvent.data).where(BookingEvent.booking_id == booking_id)
                .order_by(BookingEvent.id.desc()).limit(100)
            ).all()
        maybe_submitted = maybe_sent(recent)
        reason = "The browser job stopped unexpectedly (the bot restarted)"
        try:
            view = self.service.fail_or_retry(booking_id, reason, retry=not maybe_submitted,
                                              maybe_submitted=maybe_submitted, dead_claim=owner or "")
        except StaleDataError:  # the job wrote its outcome at this very moment: it was alive after all
            return False
        return view.status != S.BOOKING_IN_PROGRESS


def maybe_sent(recent: Sequence[tuple[str, dict[str, Any] | None]]) -> bool:
    """Could the dead job have sent the form? ``recent``: its (kind, data) events, newest first.

    The job reports a step before each action, so the last step says what came next: after
    ``form_filled`` (or ``slot_taken``: the next attempt) only the submit. A page that asks for the
    guest form before the times (Chili Piper) has its form filled early; there the slot click is the
    last step before the submit, so ``slot_selected`` after a ``form_filled`` of the same attempt counts too
    (elsewhere that is the alternative slot after a refused submit: failing there is the safe side).
    """
    steps: list[str | None] = []
    for kind, data in recent:
        if kind == "status":  # the attempt started here (claimed, or queued again for a retry)
            break
        if kind == "step":
            steps.append((data or {}).get("step"))
    if not steps:
        return False
    last, earlier = steps[0], steps[1:]
    return last in MAYBE_SUBMITTED_STEPS or (last == "slot_selected" and "form_filled" in earlier)
