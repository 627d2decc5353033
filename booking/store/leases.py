"""A lease row: exactly one process per database runs a singleton job, and another takes over
when the holder stops renewing (crashed, killed, partitioned). Works the same on SQLite and
PostgreSQL because it is one conditional UPDATE (or one INSERT racing on the primary key).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from booking.store.db import Database
from booking.store.models import SchedulerLease

MIN_TTL_SECONDS = 60.0
MAX_TTL_SECONDS = 90.0  # README: another process takes over once a stopped holder's lease lapses, within 90 s


def monitor_ttl(interval_seconds: float) -> timedelta:
    """How long the monitor's lease holds: two check intervals, at least 60 s, at most 90 s.

    Two intervals let a holder miss one beat without losing the lease; the cap keeps recovery of a
    crashed holder's jobs quick (it was 3 intervals, at least 90 s: 180 s by default).
    """
    return timedelta(seconds=min(MAX_TTL_SECONDS, max(MIN_TTL_SECONDS, 2 * interval_seconds)))


class Lease:
    def __init__(self, db: Database, name: str, owner: str, ttl: timedelta, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.name = name
        self.owner = owner
        self.ttl = ttl
        self.clock = clock

    def acquire(self) -> bool:
        """Take the lease if it is free or expired, renew it if ours; False when someone else holds it."""
        now = self.clock()
        with self.db.transaction() as session:
            taken = session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name,
                       or_(SchedulerLease.owner == self.owner, SchedulerLease.expires_at < now))
                .values(owner=self.owner, expires_at=now + self.ttl)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken:
                return True
            if session.get(SchedulerLease, self.name) is not None:
                return False
        try:
            with self.db.transaction() as session:
                session.add(SchedulerLease(name=self.name, owner=self.owner, expires_at=now + self.ttl, acquired_at=now))
            return True
        except IntegrityError:  # another process inserted it first
            return False

    def release(self) -> None:
        """Let the lease go now (a process stopping, or a one-off cycle), so the next one needn't wait it out."""
        with self.db.transaction() as session:
            session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name, SchedulerLease.owner == self.owner)
                .values(expires_at=self.clock() - timedelta(seconds=1))
                .execution_options(synchronize_session=False)
            )
