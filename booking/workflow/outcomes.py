"""How a booking ends a step: submitted (pending confirmation), confirmed, declined, or failed with a
retry queued (bounded, with backoff).

Apart from the ``BookingService`` facade; it gets what it writes with (the database, the booking
store, the clock), whom it tells (the notifier factory) and what comes next (the job queue for a
retry, the follow-up after a confirmation) instead of the whole service.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from sqlalchemy.orm.exc import StaleDataError

from booking.config.settings import Settings
from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, NotifierFactory, SafeNotifier
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest
from booking.workflow import review
from booking.workflow.ports import Clock, JobQueue
from booking.workflow.views import booking_view

STALE_ATTEMPTS = 3
log = logging.getLogger("booking.workflow.service")  # the retry lines read as the service's, as before the split
S = BookingStatus


class Outcomes:
    """Records what a job or a confirmation decided about a booking, and tells the teammate."""

    def __init__(self, db: Database, store: BookingStore, settings: Settings, clock: Clock,
                 notifiers: NotifierFactory, queue: JobQueue, after_confirmed: Callable[[int], BookingView]) -> None:
        self.db = db
        self.store = store
        self.settings = settings
        self.clock = clock
        self.notifiers = notifiers
        self.queue = queue
        self.after_confirmed = after_confirmed

    def record_success(self, booking_id: int, confirms_on_submit: bool, result: Any,
                       notifier: SafeNotifier) -> BookingView:
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            person = result.person
            host = result.submit.host_name
            booking.selected_person_name = host or (person.name if person else None)
            if person and (not host or host.casefold() == person.name.casefold()):
                booking.selected_person_email = person.email
                booking.selected_person_role = person.role
            # Slot 1 is what was submitted; slot 2 the alternative offered in the message.
            others = [s for s in result.slots if s.start != result.booked.start]
            booking.proposed_slot_1_datetime = result.booked.start
            booking.proposed_slot_2_datetime = others[0].start if others else None
            booking.slot_duration_minutes = int(result.booked.duration.total_seconds() // 60)
            booking.message_sent = result.message
            booking.external_booking_id = result.submit.external_booking_id
            booking.status_url = result.submit.status_url
            if result.submit.platform:  # a widget on the startup's page: record whose it was
                booking.booking_platform = result.submit.platform
            booking.booking_completed_at = self.clock()
            booking.claimed_by = None
            booking.claim_expires_at = None
            self.store.transition(session, booking, S.PENDING_CONFIRMATION, f"Submitted on {booking.booking_platform}")
            if review.cancel_requested(session, booking_id):  # the cancel came after the form had gone
                self.store.transition(session, booking, S.CANCELLED, "Cancelled by the teammate after the form was sent")
            view = booking_view(booking)
        notifier.updated(view)
        if view.status == S.CANCELLED:
            notifier.step(view, f"Your cancel arrived after the form was sent, so the booking on {view.platform_label} "
                                f"exists: cancel it with the link in the e-mail it sent to {view.user_email}.")
            return view
        if confirms_on_submit and result.submit.confirmed:
            return self.confirm(booking_id, "page", f"Confirmed by the booking page: {result.submit.summary}")
        return view

    def confirm(self, booking_id: int, method: str, detail: str, slot: datetime | None = None) -> BookingView:
        """pending_confirmation → confirmed (by the page, an e-mail, the API, the teammate), then follow-up.

        Idempotent: confirming a booking that is already confirmed or in the calendar changes nothing.
        The confirmation monitor (in any process) stamps its check on every waiting row, which changes
        the row's version: a confirm that read the row just before reads it again (a few times at most).
        """
        for attempt in range(STALE_ATTEMPTS):
            try:
                view, done = self._confirm_once(booking_id, method, detail, slot)
                break
            except StaleDataError:
                if attempt == STALE_ATTEMPTS - 1:
                    raise
        if done:
            return view
        SafeNotifier(self.notifiers(view)).updated(view)
        return self.after_confirmed(booking_id)

    def _confirm_once(self, booking_id: int, method: str, detail: str,
                      slot: datetime | None) -> tuple[BookingView, bool]:
        """(the view, whether it was confirmed already)."""
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status in (S.CONFIRMED, S.ADDED_TO_CALENDAR):
                return booking_view(booking), True
            self.store.transition(session, booking, S.CONFIRMED, detail)
            booking.confirmation_method = method
            booking.confirmation_received_at = self.clock()
            booking.confirmed_slot_datetime = slot or booking.proposed_slot_1_datetime
            return booking_view(booking), False

    def decline(self, booking_id: int, reason: str) -> BookingView:
        """The startup declined or cancelled: failed, with the reason, and the teammate is told."""
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status in (S.FAILED, S.CANCELLED):
                return booking_view(booking)
            self.store.transition(session, booking, S.FAILED, reason)
            booking.error_message = reason
            view = booking_view(booking)
        notifier = SafeNotifier(self.notifiers(view))
        notifier.updated(view)
        notifier.direct(view, f"Your meeting request with {view.startup_name} failed: {reason}")
        return view

    def fail_or_retry(self, booking_id: int, reason: str, retry: bool, notifier: SafeNotifier | None = None,
                      maybe_submitted: bool = False, dead_claim: str | None = None) -> BookingView:
        """A browser job stopped: queue a retry (bounded by max_retries, with backoff) or fail it.

        ``dead_claim`` (crash recovery): act only if the booking is still held by that claim, so a
        job that renewed or finished meanwhile is left alone.
        """
        if maybe_submitted:
            reason += " — the form may already have been sent; check the startup's page before retrying"
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if dead_claim is not None and ((booking.claimed_by or "") != dead_claim
                                           or booking.booking_status is not S.BOOKING_IN_PROGRESS):
                return booking_view(booking)
            booking.error_message = reason
            booking.booking_completed_at = self.clock()
            booking.claimed_by = None
            booking.claim_expires_at = None
            booking.proposed_slot_1_datetime = None
            booking.proposed_slot_2_datetime = None
            retrying = retry and booking.retry_count < booking.max_retries
            if review.cancel_requested(session, booking_id):  # the teammate asked to stop: stop, quietly
                retrying = False
                reason = ("Cancelled by the teammate; the form may already have been sent, check the startup's page"
                          if maybe_submitted else "Cancelled by the teammate before the form was sent; nothing was sent")
                booking.error_message = None
                self.store.transition(session, booking, S.CANCELLED, reason)
            elif retrying:
                booking.retry_count += 1
                self.store.transition(session, booking, S.PENDING, f"Retrying ({booking.retry_count}/{booking.max_retries}): {reason}")
            else:
                self.store.transition(session, booking, S.FAILED, reason)
            view = booking_view(booking)
        notifier = notifier or SafeNotifier(self.notifiers(view))
        if retrying:
            notifier.step(view, f"Hit a problem, retrying ({view.retry_count}/{view.max_retries}): {reason}")
            delay = self.settings.retry_backoff_seconds * 2 ** (view.retry_count - 1)
            try:
                self.queue.enqueue(booking_id, delay)
            except RuntimeError:  # shutting down: the pending booking is resumed at the next start
                log.warning("booking %s left pending for the next start (runner stopped)", booking_id)
        else:
            notifier.updated(view)
        return view
