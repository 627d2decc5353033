"""The database job queue: a booking any worker process may run, and the claim that takes it.

Why in the database: a booking job used to run only in the process that received the ``/book``, so one
host bounded the whole team. Now the front-end marks the row runnable (``run_after``) and any
``python -m booking worker`` takes it:

- ``queue_job`` sets ``run_after`` (now, or later for a retry's backoff) on a ``pending`` row;
- ``take_next`` picks the oldest runnable row and clears ``run_after`` with a conditional UPDATE
  (``WHERE id = ? AND status = 'pending' AND run_after IS NOT NULL AND claimed_by IS NULL``), so of two
  workers racing for one row exactly one gets it. On PostgreSQL the candidate is first read with
  ``SELECT … FOR UPDATE SKIP LOCKED``: a row another worker is taking right now is skipped, not waited for;
  on SQLite (no row locks) a lost race just moves on to the next candidate;
- the taker then runs the booking, whose job claims it as before (``BookingStore.claim``: pending →
  booking_in_progress under a heartbeat claim).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select, update

from booking.domain.states import BookingStatus
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest

PENDING = BookingStatus.PENDING.value
CANDIDATES = 5  # rows read per attempt on SQLite, where a lost race moves on to the next one


def queue_job(db: Database, booking_id: int, run_after: datetime) -> bool:
    """Mark a pending booking runnable by any worker from ``run_after``; False when it isn't pending.

    Queuing a booking that already waits never moves it back (the monitor re-queues bookings that
    waited long, e.g. while every worker was busy): it keeps its place, or the earlier of the two.
    """
    model = MeetingBookingRequest
    when = case((model.run_after.is_(None), run_after), (model.run_after > run_after, run_after),
                else_=model.run_after)
    with db.transaction() as session:
        return bool(session.execute(
            update(model).where(model.id == booking_id, model.status == PENDING)
            .values(run_after=when).execution_options(synchronize_session=False)
        ).rowcount)


def take_next(db: Database, now: datetime) -> int | None:
    """The id of a runnable booking this caller now owns (its ``run_after`` cleared), or None."""
    model = MeetingBookingRequest
    runnable = (model.status == PENDING, model.run_after.is_not(None), model.run_after <= now,
                model.claimed_by.is_(None))
    postgres = db.engine.dialect.name == "postgresql"
    with db.transaction() as session:
        query = select(model.id).where(*runnable).order_by(model.run_after, model.id)
        if postgres:
            query = query.limit(1).with_for_update(skip_locked=True)
        else:
            query = query.limit(CANDIDATES)
        for booking_id in session.scalars(query).all():
            taken = session.execute(
                update(model).where(model.id == booking_id, *runnable[:2], model.claimed_by.is_(None))
                .values(run_after=None).execution_options(synchronize_session=False)
            ).rowcount
            if taken:
                return booking_id
    return None


def queued(db: Database) -> list[int]:
    """Bookings waiting for a worker (any ``run_after``), oldest first: for health and tests."""
    model = MeetingBookingRequest
    with db.session() as session:
        return list(session.scalars(select(model.id).where(model.status == PENDING, model.run_after.is_not(None))
                                    .order_by(model.run_after, model.id)))
