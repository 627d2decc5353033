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

A row also names the job it wants (``queued_job``): a booking job ("book", NULL before 0010) runs on a
``pending`` row; the others (a sent booking's page check, a reschedule answer: ``take_job`` returns the
kind, the worker dispatches it) on a row that is no longer pending. A row holds one queued job: asking
for another before a worker took the first replaces it (the newest answer is the teammate's).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update

from booking.domain.states import BookingStatus
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest

PENDING = BookingStatus.PENDING.value
CANDIDATES = 5  # rows read per attempt on SQLite, where a lost race moves on to the next one
BOOK = "book"


def queue_job(db: Database, booking_id: int, run_after: datetime, kind: str = BOOK) -> bool:
    """Mark a pending booking runnable by any worker from ``run_after``; False when it isn't pending.

    ``kind`` other than "book" is a job on a sent booking (it is no longer pending): queued from
    ``run_after``, replacing another such job the row still waits with; False when the row is pending.

    Queuing a booking that already waits never moves it back (the monitor re-queues bookings that
    waited long, e.g. while every worker was busy): it keeps its place, or the earlier of the two.
    """
    model = MeetingBookingRequest
    if kind != BOOK:
        with db.transaction() as session:
            return bool(session.execute(
                update(model).where(model.id == booking_id, model.status != PENDING)
                .values(run_after=run_after, queued_job=kind).execution_options(synchronize_session=False)
            ).rowcount)
    when = case((model.run_after.is_(None), run_after), (model.run_after > run_after, run_after),
                else_=model.run_after)
    with db.transaction() as session:
        return bool(session.execute(
            update(model).where(model.id == booking_id, model.status == PENDING)
            .values(run_after=when, queued_job=BOOK).execution_options(synchronize_session=False)
        ).rowcount)


def take_next(db: Database, now: datetime) -> int | None:
    """The id of a runnable booking job this caller now owns, or None (other kinds stay queued)."""
    taken = take_job(db, now, books_only=True)
    return taken[0] if taken else None


def take_job(db: Database, now: datetime, *, books_only: bool = False) -> tuple[int, str] | None:
    """(booking id, job kind) of a runnable queued job this caller now owns (``run_after`` cleared), or None."""
    model = MeetingBookingRequest
    book = and_(model.status == PENDING, or_(model.queued_job.is_(None), model.queued_job == BOOK))
    other = and_(model.status != PENDING, model.queued_job.is_not(None), model.queued_job != BOOK)
    runnable = (book if books_only else or_(book, other), model.run_after.is_not(None), model.run_after <= now,
                model.claimed_by.is_(None))
    postgres = db.engine.dialect.name == "postgresql"
    with db.transaction() as session:
        query = select(model.id, model.queued_job).where(*runnable).order_by(model.run_after, model.id)
        if postgres:
            query = query.limit(1).with_for_update(skip_locked=True)
        else:
            query = query.limit(CANDIDATES)
        for booking_id, kind in session.execute(query).all():
            taken = session.execute(
                update(model).where(model.id == booking_id, model.queued_job.is_(kind) if kind is None
                                    else model.queued_job == kind, *runnable[:2], model.claimed_by.is_(None))
                .values(run_after=None, queued_job=None).execution_options(synchronize_session=False)
            ).rowcount
            if taken:
                return booking_id, kind or BOOK
    return None


def queued(db: Database) -> list[int]:
    """Booking jobs (kind "book" only) waiting for a worker (any ``run_after``), oldest first: for tests;
    :func:`queued_counts` counts every kind."""
    model = MeetingBookingRequest
    with db.session() as session:
        return list(session.scalars(select(model.id).where(model.status == PENDING, model.run_after.is_not(None))
                                    .order_by(model.run_after, model.id)))


def queued_jobs(db: Database) -> list[tuple[int, str]]:
    """Every queued job (booking id, kind), oldest first: for health and tests."""
    model = MeetingBookingRequest
    with db.session() as session:
        return [(booking_id, kind or BOOK) for booking_id, kind in session.execute(
            select(model.id, model.queued_job).where(model.run_after.is_not(None))
            .order_by(model.run_after, model.id))]


def queued_counts(db: Database) -> dict[str, int]:
    """How many jobs wait for a worker, by kind (due now or later, e.g. a retry in its backoff), in one query:
    a worker's health report shows the whole queue, not only its booking jobs."""
    model = MeetingBookingRequest
    with db.session() as session:
        counts: dict[str, int] = {}
        for kind, count in session.execute(select(model.queued_job, func.count()).where(model.run_after.is_not(None))
                                           .group_by(model.queued_job)):
            counts[kind or BOOK] = counts.get(kind or BOOK, 0) + int(count)
        return counts
