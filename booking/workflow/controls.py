"""What a teammate can do to one booking after asking for it: the operations behind its buttons.

Cancel, retry (optionally with edits), mark as confirmed, check now, and the review decisions
(approve, pick the other slot). Each one checks who is asking (the booking's owner, or an admin
from ``BOOKER_ADMINS``), refuses with :class:`NotAllowed` otherwise, changes the booking through
the state machine, refreshes what the teammate sees through the notifier, and returns an
:class:`Outcome` whose ``message`` is a sentence for whoever pressed the button. Front-ends stay
thin: they ack, map their payload to one of these calls and show the message.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from booking.domain.errors import BookingError
from booking.domain.messages import TemplateError, validate_template
from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, SafeNotifier
from booking.platforms.agent import describe_slot
from booking.platforms.registry import get_platform
from booking.store.models import BookingEvent, MeetingBookingRequest
from booking.workflow import asking, questions, review
from booking.workflow.access import NotAllowed
from booking.workflow.coordination import Coordination, DuplicateBooking
from booking.workflow.requests import BookingInputError
from booking.workflow.service import BookingService

log = logging.getLogger(__name__)

S = BookingStatus
T = TypeVar("T")
BOOKED = (S.PENDING_CONFIRMATION, S.CONFIRMED, S.ADDED_TO_CALENDAR)


class CalendarEvents(Protocol):
    """Removes a booking's calendar event (provided once a calendar is configured)."""

    def remove_event(self, booking: BookingView) -> None:
        """Delete the event; raise BookingError with a sentence when it can't."""


@dataclass(frozen=True)
class Outcome:
    view: BookingView
    message: str  # for whoever pressed the button
    changed: bool = True


@dataclass(frozen=True)
class BookingChanges:
    """What "Edit and retry" may change before the booking runs again."""

    preferred_person: str | None = None
    preferred_times: list[tuple[datetime, datetime]] = field(default_factory=list)
    message_template: str | None = None
    review_before_submit: bool = False


class BookingControls:
    def __init__(self, service: BookingService, calendar: CalendarEvents | None = None) -> None:
        self.service = service
        self.calendar = calendar

    # -- who may -----------------------------------------------------------------------------------
    def is_admin(self, actor: str | None) -> bool:
        return bool(actor) and actor in self.service.settings.admins

    def authorize(self, booking_id: int, actor: str | None) -> BookingView:
        """The booking, if ``actor`` may change it; NotAllowed (nothing changed) otherwise."""
        view = self.service.get(booking_id)
        if actor and (actor == view.user_id or self.is_admin(actor)):
            return view
        raise NotAllowed(view)

    # -- cancel ------------------------------------------------------------------------------------
    def cancel(self, booking_id: int, actor: str) -> Outcome:
        self.authorize(booking_id, actor)
        outcome = _retry_on_stale(lambda: self._cancel_once(booking_id, actor))
        if outcome.changed and S(outcome.view.status) is S.CANCELLED:
            outcome = self._after_cancel(outcome)
        return outcome

    def _cancel_once(self, booking_id: int, actor: str) -> Outcome:
        service = self.service
        with service.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            status = booking.booking_status
            name = booking.startup_name
            if status is S.CANCELLED:
                return Outcome(service.view(booking), "This booking is already cancelled.", changed=False)
            if status is S.FAILED:
                return Outcome(service.view(booking), f"The booking with {name} already failed, so there is "
                                                      f"nothing to cancel.", changed=False)
            if status is S.BOOKING_IN_PROGRESS:
                # The running job owns the row; it stops at its next step (see booking.workflow.review.cancel_requested).
                if not review.cancel_requested(session, booking_id):
                    session.add(BookingEvent(booking_id=booking_id, at=service.clock(), kind=review.CANCEL_REQUEST,
                                             detail=f"Cancel requested by {actor}", data={"by": actor}))
                return Outcome(service.view(booking), f"Stopping the booking with {name}: nothing is sent after "
                                                      f"the step it is on. The thread says when it has stopped.")
            explanation = self.cancel_explanation(booking)
            service.transition(session, booking, S.CANCELLED, f"Cancelled by {actor}. {explanation}")
            booking.claimed_by = None
            booking.claim_expires_at = None
            return Outcome(service.view(booking), explanation)

    def cancel_explanation(self, booking: MeetingBookingRequest) -> str:
        """What cancelling does at this point, said before the teammate is surprised by it."""
        status = booking.booking_status
        name = booking.startup_name
        if status is S.PENDING:
            return f"Cancelled before it started: nothing was sent to {name}."
        if status is S.AWAITING_REVIEW and (booking.review_state or {}).get("questions"):
            return f"Cancelled: the form was never sent, so {name} received nothing."
        if status is S.AWAITING_REVIEW:
            return f"Cancelled: the form was filled but never sent, so {name} received nothing."
        label = _platform_label(booking.booking_platform)
        return (f"Cancelled in Booker. The booking on {label} stays: Booker can't cancel on {label}, so use the "
                f"cancel link in the e-mail {label} sent to {booking.user_email} to free the time for {name}.")

    def _after_cancel(self, outcome: Outcome) -> Outcome:
        view = outcome.view
        message = outcome.message
        if view.calendar_event_id:
            if self.calendar is None:
                message += " Remove the meeting from your calendar yourself (no calendar is connected)."
            else:
                try:
                    self.calendar.remove_event(view)
                    message += " The event was removed from your calendar."
                except BookingError as exc:
                    message += f" The calendar event could not be removed ({exc}); delete it yourself."
        notifier = SafeNotifier(self.service.notifiers(view))
        notifier.updated(view)
        notifier.step(view, message)
        return Outcome(view, message)

    # -- retry -------------------------------------------------------------------------------------
    def retry(self, booking_id: int, actor: str, changes: BookingChanges | None = None) -> Outcome:
        """failed → pending in the same thread, optionally with edits, and queue the job again."""
        view = self.authorize(booking_id, actor)
        if S(view.status) is not S.FAILED:
            return Outcome(view, f"Only a failed booking can be retried; this one is {_said(view.status)}.",
                           changed=False)
        if changes and changes.message_template:
            try:
                validate_template(changes.message_template)
            except TemplateError as exc:
                raise BookingInputError(f"Your message can't be used: {exc}") from None
        try:
            view = _retry_on_stale(lambda: self._retry_once(booking_id, actor, changes))
        except IntegrityError:
            key = Coordination(self.service).key_for_booking(booking_id)
            existing = Coordination(self.service).own_live_booking(view.user_email, key) if key else None
            if existing is None:
                raise
            raise DuplicateBooking(existing) from None
        if view is None:
            return Outcome(self.service.get(booking_id), "This booking changed meanwhile; nothing was retried.",
                           changed=False)
        SafeNotifier(self.service.notifiers(view)).updated(view)
        self.service.queue.enqueue(booking_id)
        edited = " with your changes" if changes else ""
        return Outcome(view, f"Trying {view.startup_name} again{edited}; this message updates as it goes.")

    def _retry_once(self, booking_id: int, actor: str, changes: BookingChanges | None) -> BookingView | None:
        service = self.service
        with service.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status is not S.FAILED:
                return None
            if changes is not None:
                booking.preferred_person = (changes.preferred_person or "").strip()[:200] or None
                booking.preferred_times = [[a.isoformat(), b.isoformat()] for a, b in changes.preferred_times]
                template = changes.message_template
                booking.message_template = None if template == service.settings.message_template else template
                booking.review_before_submit = changes.review_before_submit
            booking.retry_count = 0
            booking.error_message = None
            answers = (booking.review_state or {}).get("answers")  # a page outside the directory: its own answers
            booking.review_state = {"answers": answers} if answers else None
            booking.review_expires_at = None
            booking.proposed_slot_1_datetime = None
            booking.proposed_slot_2_datetime = None
            booking.selected_person_name = None
            service.transition(session, booking, S.PENDING, f"Retried by {actor}" + (" with edits" if changes else ""))
            return service.view(booking)

    # -- the form's questions ----------------------------------------------------------------------------
    def answer_questions(self, booking_id: int, actor: str | None, answers: dict[str, str]) -> Outcome:
        """The teammate answered the form's questions (a button or the one-field form): see
        :mod:`booking.workflow.questions`. NotAllowed / AnswerError leave everything unchanged."""
        view, message = asking.answer(self.service, booking_id, actor, answers)
        return Outcome(view, message)

    # -- confirmation ------------------------------------------------------------------------------
    def mark_confirmed(self, booking_id: int, actor: str) -> Outcome:
        """The teammate got the confirmation elsewhere (an e-mail, a chat with the founder)."""
        view = self.authorize(booking_id, actor)
        status = S(view.status)
        if status in (S.CONFIRMED, S.ADDED_TO_CALENDAR):
            return Outcome(view, "This meeting is already confirmed.", changed=False)
        if status is not S.PENDING_CONFIRMATION:
            return Outcome(view, f"Only a booking waiting for confirmation can be marked as confirmed; this one is "
                                 f"{_said(view.status)}.", changed=False)
        view = self.service.confirm(booking_id, "teammate", f"Marked as confirmed by {actor}")
        return Outcome(view, f"Marked {view.startup_name} as confirmed.")

    def check_now(self, booking_id: int, actor: str) -> Outcome:
        """Look at the platform's own view of the booking now, when the platform can say."""
        view = self.authorize(booking_id, actor)
        if S(view.status) is not S.PENDING_CONFIRMATION:
            return Outcome(view, f"Only a booking waiting for confirmation can be checked; this one is "
                                 f"{_said(view.status)}.", changed=False)
        platform_cls = get_platform(view.platform)
        if not platform_cls.checks_status:
            return Outcome(view, f"Booker can't check {platform_cls.label} bookings automatically yet. When "
                                 f"{view.startup_name} confirms (usually by e-mail), press Mark as confirmed.",
                           changed=False)
        self.service.queue.enqueue(booking_id, kind="check_status")  # this process, or a worker's browser
        return Outcome(view, f"Checking {view.startup_name} on {platform_cls.label} now; the message updates "
                             f"with the result.", changed=False)

    def answer_reschedule(self, booking_id: int, actor: str, accept: bool) -> Outcome:
        """Accept or decline the new time the startup proposed (answered on the platform, in the background)."""
        view = self.authorize(booking_id, actor)
        if S(view.status) is not S.PENDING_CONFIRMATION or view.reschedule_to is None:
            return Outcome(view, "There is no new time waiting for your answer on this booking.", changed=False)
        self.service.queue.enqueue(booking_id, kind="reschedule:accept" if accept else "reschedule:decline")
        verb = "Accepting" if accept else "Declining"
        return Outcome(view, f"{verb} {view.startup_name}'s new time on {view.platform_label}; the message updates "
                             "with the result.", changed=False)

    def check_status(self, booking_id: int, count: bool = True) -> BookingView:
        """Background job: read the request on the platform's page and act on it (``BookingService.check_status``)."""
        return self.service.check_status(booking_id, count)

    # -- review before submit ------------------------------------------------------------------------
    def approve_review(self, booking_id: int, actor: str, other_slot: bool = False) -> Outcome:
        """Send the reviewed form (or the same form with the other slot): resume from the saved choices."""
        view = self.authorize(booking_id, actor)
        if S(view.status) is not S.AWAITING_REVIEW:
            return Outcome(view, f"This booking isn't waiting for a review any more; it is {_said(view.status)}.",
                           changed=False)
        if view.awaiting_answer:  # a stale Approve: the form first needs the teammate's answer
            return Outcome(view, f"The form asks {questions.labels(list(view.questions))} first; answer it in the "
                                 f"booking's thread.", changed=False)
        if view.review_expires_at and self.service.clock() >= view.review_expires_at:
            expired = self.service.reviews.expire_one(booking_id) or self.service.get(booking_id)
            return Outcome(expired, expired.error_message or "The review window has closed; nothing was sent.")
        if other_slot and len(view.proposed_slots) < 2:
            return Outcome(view, "There is no other slot to pick; Approve or Cancel.", changed=False)
        try:
            view = _retry_on_stale(lambda: self._approve_once(booking_id, actor, other_slot))
        except StaleDataError:
            view = None
        if view is None:
            return Outcome(self.service.get(booking_id), "This booking was just decided; nothing more to do.",
                           changed=False)
        SafeNotifier(self.service.notifiers(view)).updated(view)
        self.service.queue.enqueue(booking_id)
        slot = describe_slot(view.proposed_slots[0], view.user_timezone)
        return Outcome(view, f"Sending the form for {view.startup_name} with {slot}.")

    def _approve_once(self, booking_id: int, actor: str, other_slot: bool) -> BookingView | None:
        service = self.service
        with service.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status is not S.AWAITING_REVIEW:
                return None
            state = dict(booking.review_state or {})
            state["decision"] = review.OTHER_SLOT if other_slot else review.APPROVED
            state["decided_by"] = actor
            if other_slot:
                booking.proposed_slot_1_datetime, booking.proposed_slot_2_datetime = (
                    booking.proposed_slot_2_datetime, booking.proposed_slot_1_datetime)
            booking.review_state = state
            slot = describe_slot(booking.proposed_slot_1_datetime, booking.user_timezone)
            service.transition(session, booking, S.PENDING, f"Review approved by {actor} for {slot}")
            return service.view(booking)

    def expire_overdue_reviews(self) -> list[BookingView]:
        return self.service.reviews.expire_overdue()


def _retry_on_stale(action: Callable[[], T], attempts: int = 3) -> T:
    """Run a short read-modify-write again when another writer changed the row in between."""
    for attempt in range(attempts):
        try:
            return action()
        except StaleDataError:
            if attempt == attempts - 1:
                raise
            log.info("booking changed concurrently; reading it again")
    raise AssertionError("unreachable")


def _platform_label(name: str) -> str:
    try:
        return get_platform(name).label
    except BookingError:
        return name


def _said(status: str) -> str:
    return status.replace("_", " ")
