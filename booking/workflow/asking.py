"""The pause on the form's questions: stop a job on them and take the teammate's answers.

Apart from :mod:`booking.workflow.questions` (the questions and answers themselves, pure) because the
pause changes bookings: it needs the review's cancel check and expiry, and refuses strangers with
:class:`~booking.workflow.access.NotAllowed`; keeping it here leaves no module calling back into another.
"""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Callable, Mapping

from booking.domain.errors import QuestionsUnanswered
from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, SafeNotifier
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest, Startup
from booking.workflow import questions, review
from booking.workflow.access import NotAllowed
from booking.workflow.ports import Clock
from booking.workflow.views import booking_view

if TYPE_CHECKING:
    from booking.workflow.service import BookingService

S = BookingStatus


class QuestionPause:
    """Stops a job on the form's questions. Gets the database, the booking store, the clock, the
    answer window and how a job fails (``fail_or_retry``), not the service."""

    def __init__(self, db: Database, store: BookingStore, clock: Clock, timeout_minutes: int,
                 fail_or_retry: Callable[[int, str, bool, SafeNotifier], BookingView]) -> None:
        self.db = db
        self.store = store
        self.clock = clock
        self.timeout_minutes = timeout_minutes
        self.fail_or_retry = fail_or_retry

    def stop(self, booking_id: int, exc: QuestionsUnanswered, notifier: SafeNotifier) -> BookingView:
        """The form stopped on questions (nothing sent): ask the teammate where the front-end can, else fail."""
        asked = questions.questions_of({"questions": exc.questions})
        with self.db.session() as session:
            cancelled = review.cancel_requested(session, booking_id)
        if cancelled or not notifier.can_ask or not asked:
            view = self.fail_or_retry(booking_id, str(exc), False, notifier)
            with self.db.transaction() as session:  # the CLI names them, and how to answer them
                booking = session.get_one(MeetingBookingRequest, booking_id)
                if booking.booking_status is S.FAILED:
                    booking.review_state = {**(booking.review_state or {}), "questions": asked}
                    view = booking_view(booking)
            return view
        now = self.clock()
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            booking.claimed_by = None
            booking.claim_expires_at = None
            booking.booking_completed_at = now
            booking.proposed_slot_1_datetime = None  # nothing is held while the teammate thinks
            booking.proposed_slot_2_datetime = None
            booking.review_state = {"questions": asked, "asked_at": now.isoformat(),
                                    "answers": (booking.review_state or {}).get("answers") or {}}
            booking.review_expires_at = now + timedelta(minutes=self.timeout_minutes)
            if review.cancel_requested(session, booking_id):  # Cancel pressed meanwhile: stop, nothing was sent
                self.store.transition(session, booking, S.CANCELLED,
                                      "Cancelled by the teammate before the form was sent; nothing was sent")
            else:
                self.store.transition(session, booking, S.AWAITING_REVIEW,
                                      f"The form asks {questions.labels(asked)}; waiting for the teammate's answer")
            view = booking_view(booking)
        notifier.updated(view)
        if view.awaiting_answer:
            notifier.ask(view, asked)
        return view


def answer(service: "BookingService", booking_id: int, actor: str | None,
           given: Mapping[str, str]) -> tuple[BookingView, str]:
    """Take the teammate's answers; once every question has one, start the booking again.

    Returns the booking and a sentence for whoever answered. Raises NotAllowed for someone who is
    neither the booking's teammate nor an admin, AnswerError for an unusable answer (nothing stored).
    """
    view = service.get(booking_id)
    if not questions.may_answer(service, view, actor):
        raise NotAllowed(view)
    if S(view.status) is not S.AWAITING_REVIEW or not view.questions:
        return view, f"This booking isn't waiting for an answer any more; it is {view.status.replace('_', ' ')}."
    if view.review_expires_at and service.clock() >= view.review_expires_at:
        expired = service.reviews.expire_one(booking_id) or service.get(booking_id)
        return expired, expired.error_message or "Nobody answered in time; nothing was sent."
    by_key = {questions.key(q["label"]): q for q in view.questions}
    accepted: dict[str, str] = {}
    for label, value in given.items():
        question = by_key.get(questions.key(label))
        if question is None:
            raise questions.AnswerError(f"The form doesn't ask {label[:80]!r} (any more)")
        accepted[question["label"]] = questions.check_answer(question, value)
    if not accepted:
        raise questions.AnswerError("Give an answer")
    with service.db.transaction() as session:
        booking = session.get_one(MeetingBookingRequest, booking_id)
        if booking.booking_status is not S.AWAITING_REVIEW:
            return service.view(booking), "This booking was just decided; nothing more to do."
        state = dict(booking.review_state or {})
        startup = session.get(Startup, booking.startup_id) if booking.startup_id else None
        if startup is not None and startup.config is not None:
            questions.remember(startup.config, accepted)  # for the next colleague too
        else:
            state["answers"] = questions.merged(state.get("answers"), accepted)
        # Asked again although an answer was remembered (it no longer fits): only this pause's answers count.
        answered = sorted(set(state.get("answered") or []) | {questions.key(label) for label in accepted})
        state["answered"] = answered
        booking.review_state = state
        missing = [q for q in questions.questions_of(state) if questions.key(q["label"]) not in answered]
        who = actor or "the teammate"
        if missing:
            service.store.log(session, booking, "note", None, None, f"{who} answered {questions.labels(questions.named(accepted))}")
            view = service.view(booking)
            done = False
        else:
            booking.retry_count = 0
            booking.error_message = None
            booking.review_state = {"answers": state["answers"]} if state.get("answers") else None
            booking.review_expires_at = None
            booking.selected_person_name = None
            service.transition(session, booking, S.PENDING,
                               f"{who} answered {questions.labels(questions.named(accepted))}; starting again from the beginning")
            view = service.view(booking)
            done = True
    notifier = SafeNotifier(service.notifiers(view))
    notifier.updated(view)
    if not done:
        return view, f"Noted. The form still asks {questions.labels(missing)}."
    notifier.step(view, f"Answered {questions.labels(questions.named(accepted))}; booking {view.startup_name} again with "
                        f"{'your answer' if len(accepted) == 1 else 'your answers'}")
    service.queue.enqueue(booking_id)
    return view, f"Thanks! Booking {view.startup_name} again with your answer; the thread shows how it goes."
