"""Review before submit: the pause between filling a booking form and sending it.

With review on (a teammate's default, or a tick in the booking modal) the job fills the form,
screenshots it, saves its choices (person, slot, alternative, message) on the booking, closes the
browser and stops in ``awaiting_review``. Approving queues a new job that reopens the page and
books exactly those choices; nothing else is decided again. A review that nobody answers within
``BOOKER_REVIEW_TIMEOUT_MINUTES`` expires: the booking fails and nothing was ever sent.

Admins' dry runs use the same pause: they end there, cancelled, with the screenshots in the thread.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.domain.states import BookingStatus
from booking.notify.notifier import DRY_RUN, BookingView, NotifierFactory, SafeNotifier
from booking.platforms.agent import AgentResult, BookingJob, ResumePoint, describe_slot
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.models import BookingEvent, MeetingBookingRequest, Startup
from booking.workflow.ports import Clock
from booking.workflow.questions import expiry_reason
from booking.workflow.views import booking_view

S = BookingStatus
CANCEL_REQUEST = "cancel_request"  # BookingEvent.kind: the teammate asked a running job to stop
APPROVED = "approved"
OTHER_SLOT = "other_slot"


def prepare_job(booking: MeetingBookingRequest, job: BookingJob) -> None:
    """Resume an approved review from its saved choices; otherwise stop before submit when asked."""
    state = booking.review_state or {}
    if state.get("decision") in (APPROVED, OTHER_SLOT) and booking.proposed_slot_1_datetime:
        job.resume = ResumePoint(
            person_name=state.get("person"),
            slot_start=booking.proposed_slot_1_datetime,
            alternative_start=booking.proposed_slot_2_datetime,
        )
    elif booking.review_before_submit or booking.requested_via == DRY_RUN:
        job.stop_before_submit = True


def cancel_requested(session: Session, booking_id: int) -> bool:
    """Whether the teammate pressed Cancel while the job was running (an audit-trail entry, so the
    request never races the job's own writes to the booking row)."""
    found = session.scalar(
        select(BookingEvent.id).where(BookingEvent.booking_id == booking_id, BookingEvent.kind == CANCEL_REQUEST)
        .limit(1)
    )
    return found is not None


class Reviews:
    """Pauses a job before submit and expires the reviews (and unanswered questions) nobody decided in time.

    Gets the database, the booking store, the clock, the notifier factory and the review window, not the
    service.
    """

    def __init__(self, db: Database, store: BookingStore, clock: Clock, notifiers: NotifierFactory,
                 timeout_minutes: int) -> None:
        self.db = db
        self.store = store
        self.clock = clock
        self.notifiers = notifiers
        self.timeout_minutes = timeout_minutes

    def record_pause(self, booking_id: int, result: AgentResult, notifier: SafeNotifier) -> BookingView:
        """The job stopped before submit: wait for the teammate's review, or end a dry run."""
        now = self.clock()
        zone_slot = ""
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            booking.claimed_by = None
            booking.claim_expires_at = None
            booking.booking_completed_at = now
            person = result.person
            booking.selected_person_name = person.name if person else None
            booking.selected_person_email = person.email if person else None
            booking.selected_person_role = person.role if person else None
            others = [s for s in result.slots if s.start != result.booked.start]
            booking.proposed_slot_1_datetime = result.booked.start
            booking.proposed_slot_2_datetime = others[0].start if others else None
            booking.slot_duration_minutes = int((result.booked.end - result.booked.start).total_seconds() // 60)
            zone_slot = describe_slot(result.booked.start, booking.user_timezone)
            if cancel_requested(session, booking_id):
                self.store.transition(session, booking, S.CANCELLED,
                                   "Cancelled by the teammate before the form was sent; nothing was sent")
            elif booking.requested_via == DRY_RUN:
                self.store.transition(session, booking, S.CANCELLED,
                                   f"Dry run finished: the form was filled for {zone_slot} and not sent")
                startup = session.get(Startup, booking.startup_id) if booking.startup_id else None
                if startup is not None and startup.config is not None:
                    startup.config.last_tested = now
                    startup.config.is_working = True
            else:
                expires = now + timedelta(minutes=self.timeout_minutes)
                # a page outside the directory keeps the teammate's answers to its questions on the booking
                answers = (booking.review_state or {}).get("answers")
                booking.review_state = {
                    "person": person.name if person else None,
                    "message": result.message,
                    "decision": None,
                    "paused_at": now.isoformat(),
                    **({"answers": answers} if answers else {}),
                }
                booking.review_expires_at = expires
                self.store.transition(session, booking, S.AWAITING_REVIEW,
                                   f"Form filled for {zone_slot}; waiting for the teammate's review")
            view = booking_view(booking)
        notifier.updated(view)
        if S(view.status) is S.AWAITING_REVIEW and view.review_expires_at:
            until = describe_slot(view.review_expires_at, view.user_timezone)
            notifier.direct(view, f"The form for {view.startup_name} is filled in for {zone_slot} and waits for your "
                                  f"review until {until}: Approve sends it, Cancel drops it. Nothing is sent before.")
        return view


    def expire_overdue(self) -> list[BookingView]:
        """Fail every review nobody answered in time; nothing was sent for them."""
        now = self.clock()
        with self.db.session() as session:
            overdue = list(session.scalars(
                select(MeetingBookingRequest.id).where(
                    MeetingBookingRequest.status == S.AWAITING_REVIEW.value,
                    MeetingBookingRequest.review_expires_at <= now,
                )
            ))
        return [view for view in (self.expire_one(booking_id) for booking_id in overdue) if view is not None]


    def expire_one(self, booking_id: int) -> BookingView | None:
        minutes = self.timeout_minutes
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status is not S.AWAITING_REVIEW:
                return None
            asked = expiry_reason(booking.review_state, minutes)  # waiting for an answer, not a review
            reason = asked or (f"Nobody approved the filled form within {minutes} min, so nothing was sent; "
                               f"press Retry to start again")
            self.store.transition(session, booking, S.FAILED, reason)
            booking.error_message = reason
            booking.proposed_slot_1_datetime = None
            booking.proposed_slot_2_datetime = None
            view = booking_view(booking)
        notifier = SafeNotifier(self.notifiers(view))
        notifier.updated(view)
        if asked:
            notifier.direct(view, f"The {view.startup_name} booking stopped: {reason}.")
        else:
            notifier.direct(view, f"Your review of the {view.startup_name} booking expired: {reason}.")
        return view


def review_summary(state: dict[str, Any] | None) -> str | None:
    """The message the paused form carries, for showing next to Approve."""
    return (state or {}).get("message")
