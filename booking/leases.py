"""A lease row: exactly one process per database runs a singleton job, and another takes over
when the holder stops renewing (crashed, killed, partitioned). Works the same on SQLite and
PostgreSQL because it is one conditional UPDATE (or one INSERT racing on the primary key).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError

from booking.db import Database
from booking.models import SchedulerLease


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
        with self.db.transaction() as session:
            session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name, SchedulerLease.owner == self.owner)
                .values(expires_at=self.clock() - timedelta(seconds=1))
                .execution_options(synchronize_session=False)
            )
