"""The booking rows: their audit trail, status changes through the state machine, job claims and the
slots a teammate's live bookings hold.

Apart from the workflow (which decides *when* a booking changes) so that everything that writes a
booking's status or its audit trail goes through one small object with no Slack, browser or
notifier in it. Collaborators get this store, not the whole ``BookingService``.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from booking.domain.slots import Interval
from booking.domain.states import BookingStatus, check_transition
from booking.store.db import Database
from booking.store.liveness import guard_write, new_owner
from booking.store.models import BookingEvent, MeetingBookingRequest, SlackUser

S = BookingStatus
IN_FLIGHT = (S.PENDING, S.BOOKING_IN_PROGRESS, S.AWAITING_REVIEW, S.PENDING_CONFIRMATION, S.CONFIRMED,
             S.ADDED_TO_CALENDAR)


class BookingStore:
    """Writes a booking's status and audit trail; reads its events and the teammate's held slots."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def log(self, session: Session, booking: MeetingBookingRequest, kind: str, old: BookingStatus | None,
            new: BookingStatus | None, detail: str, data: dict[str, Any] | None = None) -> None:
        """One line of the booking's audit trail (a status change, a step, a note)."""
        session.add(BookingEvent(
            booking_id=booking.id, at=self.clock(), kind=kind,
            from_status=old.value if old else None, to_status=new.value if new else None,
            detail=detail[:4000], data=data or {},
        ))

    def transition(self, session: Session, booking: MeetingBookingRequest, target: BookingStatus, detail: str) -> None:
        """Change status if the machine allows it (else InvalidTransition, nothing changed) and log it.

        A job that lost its claim may not change its booking: LostClaim, nothing changed.
        """
        guard_write(booking)
        current = booking.booking_status
        check_transition(booking.id, current, target)
        booking.status = target.value
        booking.updated_at = self.clock()
        self.log(session, booking, "status", current, target, detail)

    def events(self, booking_id: int) -> list[BookingEvent]:
        with self.db.session() as session:
            return list(session.scalars(select(BookingEvent).where(BookingEvent.booking_id == booking_id)
                                        .order_by(BookingEvent.id)))

    def claim(self, booking_id: int, worker_id: str, duration: timedelta) -> MeetingBookingRequest | None:
        """pending → booking_in_progress under a new claim (``host:pid#attempt``); None if not pending."""
        try:
            with self.db.transaction() as session:
                booking = session.get(MeetingBookingRequest, booking_id)
                if booking is None or booking.booking_status is not S.PENDING:
                    return None
                self.transition(session, booking, S.BOOKING_IN_PROGRESS, f"Browser job started on {worker_id}")
                now = self.clock()
                booking.booking_started_at = now
                booking.claimed_by = new_owner(worker_id)
                booking.claim_expires_at = now + duration
                booking.run_after = None  # taken off the database queue, whoever queued it
                booking.error_message = None
                return booking
        except StaleDataError:  # cancelled (or claimed) at the same moment: whoever won decides
            return None

    def held_intervals(self, session: Session, booking: MeetingBookingRequest) -> list[Interval]:
        """Slots held or booked by the teammate's other live bookings."""
        others = session.scalars(
            select(MeetingBookingRequest).where(
                MeetingBookingRequest.id != booking.id,
                MeetingBookingRequest.user_email == booking.user_email,
                MeetingBookingRequest.status.in_([s.value for s in IN_FLIGHT]),
                or_(MeetingBookingRequest.proposed_slot_1_datetime.is_not(None),
                    MeetingBookingRequest.confirmed_slot_datetime.is_not(None)),
            )
        )
        intervals = []
        for other in others:
            length = timedelta(minutes=other.slot_duration_minutes or 30)
            if other.confirmed_slot_datetime and other.booking_status in (S.CONFIRMED, S.ADDED_TO_CALENDAR):
                starts = {other.confirmed_slot_datetime}  # the alternative is free again once confirmed
            else:
                starts = {other.proposed_slot_1_datetime, other.proposed_slot_2_datetime, other.confirmed_slot_datetime}
            for start in starts:
                if start:
                    intervals.append(Interval(start, start + length))
        return intervals


def upsert_user(session: Session, user_id: str, name: str, email: str, tz: str) -> None:
    """The Slack user a booking refers to, created or refreshed from the request.

    Created with ``INSERT … ON CONFLICT DO NOTHING``: a teammate's first two ``/book``s at once (two
    processes, or two threads on PostgreSQL) both find no row, and a plain insert failed the second one.
    """
    user = session.get(SlackUser, user_id)
    if user is None:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(SlackUser).values(id=user_id, name=name, email=email, tz=tz, preferences={})
                        .on_conflict_do_nothing(index_elements=["id"]))
        user = session.get_one(SlackUser, user_id)
    user.name, user.email, user.tz = name, email, tz
