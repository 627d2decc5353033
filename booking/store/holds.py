"""Slot holds: a teammate's parallel bookings never pick overlapping times.

A booking holds the slots it chose on its own row (``proposed_slot_1/2_datetime`` with
``slot_duration_minutes``) while it is in flight; once confirmed it holds only the confirmed slot.
Choosing is a read-check-write ("which times do my other bookings hold? then hold mine"), so two
jobs for one teammate must not interleave. The guarantee is in the database, so it holds across
threads *and* processes (a second bot or worker):

- every teammate has a row in ``teammate_locks`` (created once, outside the hold transaction);
- the hold transaction starts by ``UPDATE``-ing that row. On PostgreSQL the update takes a row
  lock that a second transaction's update waits for until the first commits (the same lock as
  ``SELECT … FOR UPDATE``); on SQLite the first write of a transaction takes the database's write
  lock, and other writers wait for it (``busy_timeout``). Because the update is the transaction's
  first statement, what it reads afterwards is never older than the other job's commit;
- then it reads the other bookings' holds and writes its own, and commits.

Only holds of the same teammate wait for each other; other teammates' rows are not touched (on
PostgreSQL; SQLite has one write lock for everything, held for a few milliseconds).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from booking.store.db import Database
from booking.store.models import TeammateLock


def lock_key(email: str) -> str:
    return email.strip().casefold()


def ensure_lock_row(db: Database, email: str) -> None:
    """Create the teammate's lock row if it is missing (its own short transaction; races are fine)."""
    key = lock_key(email)
    with db.session() as session:
        if session.get(TeammateLock, key) is not None:
            return
    try:
        with db.transaction() as session:
            session.add(TeammateLock(email=key))
    except IntegrityError:
        pass  # another job created it first


def lock_teammate(session: Session, email: str, holder: str, now: datetime) -> None:
    """Take the teammate's lock for the rest of ``session``'s transaction. Call it first."""
    result = session.execute(
        update(TeammateLock).where(TeammateLock.email == lock_key(email)).values(locked_at=now, locked_by=holder[:200])
    )
    if result.rowcount != 1:
        raise RuntimeError(f"no lock row for {email}; call ensure_lock_row first")
