"""The booking state machine: which status may follow which.

pending → booking_in_progress → pending_confirmation → confirmed → added_to_calendar, plus failed
and cancelled. A retry moves failed (or a crashed booking_in_progress) back to pending. With review
before submit, the job stops in awaiting_review (form filled, browser closed) until the teammate
approves (back to pending, resuming from the saved choices), cancels, or the review window passes.
"""
from __future__ import annotations

from enum import StrEnum


class BookingStatus(StrEnum):
    PENDING = "pending"
    BOOKING_IN_PROGRESS = "booking_in_progress"
    AWAITING_REVIEW = "awaiting_review"
    PENDING_CONFIRMATION = "pending_confirmation"
    CONFIRMED = "confirmed"
    ADDED_TO_CALENDAR = "added_to_calendar"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_active(self) -> bool:
        """Still on its way: the bot will do more with it."""
        return self in ACTIVE_STATUSES

    @property
    def is_booked(self) -> bool:
        """The startup's page accepted the booking (pending confirmation or better)."""
        return self in BOOKED_STATUSES


S = BookingStatus

ALLOWED_TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    S.PENDING: frozenset({S.BOOKING_IN_PROGRESS, S.FAILED, S.CANCELLED}),
    # back to PENDING: a crashed run is retried
    S.BOOKING_IN_PROGRESS: frozenset({S.PENDING_CONFIRMATION, S.AWAITING_REVIEW, S.PENDING, S.FAILED, S.CANCELLED}),
    # approved → PENDING (the job resumes from the saved choices); the window passed → FAILED
    S.AWAITING_REVIEW: frozenset({S.PENDING, S.FAILED, S.CANCELLED}),
    S.PENDING_CONFIRMATION: frozenset({S.CONFIRMED, S.FAILED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.ADDED_TO_CALENDAR, S.CANCELLED}),
    S.ADDED_TO_CALENDAR: frozenset({S.CANCELLED}),
    S.FAILED: frozenset({S.PENDING}),
    S.CANCELLED: frozenset(),
}

ACTIVE_STATUSES = frozenset({S.PENDING, S.BOOKING_IN_PROGRESS, S.AWAITING_REVIEW, S.PENDING_CONFIRMATION, S.CONFIRMED})
BOOKED_STATUSES = frozenset({S.PENDING_CONFIRMATION, S.CONFIRMED, S.ADDED_TO_CALENDAR})


class InvalidTransition(RuntimeError):
    """A status change the machine does not allow; nothing was changed."""

    def __init__(self, booking_id: int | None, current: BookingStatus, target: BookingStatus) -> None:
        super().__init__(f"booking {booking_id}: {current} → {target} is not allowed")
        self.booking_id = booking_id
        self.current = current
        self.target = target


def check_transition(booking_id: int | None, current: BookingStatus, target: BookingStatus) -> None:
    if target not in ALLOWED_TRANSITIONS[current]:
        raise InvalidTransition(booking_id, current, target)
