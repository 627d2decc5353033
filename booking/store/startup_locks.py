"""The colleague lock: while one process decides whether a startup is already someone's and inserts the
booking, no other process (on any machine) decides about that startup.

Why in the database: a ``threading.Lock`` held only this process's threads apart; two bot processes on
one database both saw "no clash" and both booked the startup.

- PostgreSQL: ``pg_advisory_xact_lock(<64-bit hash of the startup key>)`` in a transaction of its own
  connection, held until the block ends (the booking's insert commits inside it, on another
  connection, so the next decider reads it). Other startups' keys don't wait.
- SQLite: an exclusive ``flock`` on a file next to the database. A write transaction (``BEGIN
  IMMEDIATE``) would hold SQLite's only write lock, and the insert inside the block would wait for it
  forever; SQLite is a local file, so every process using it can see the lock file. One lock for all
  startups: a decision takes milliseconds.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import func, select

from booking.store.db import Database

_MEMORY = threading.Lock()  # an in-memory SQLite database lives in one process only


def lock_id(key: str) -> int:
    """A stable signed 64-bit number for ``key`` (what PostgreSQL's advisory locks are named by)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def lock_file(db: Database) -> Path | None:
    """The SQLite database's lock file (``<db>.decide.lock``); None for an in-memory database."""
    database = db.engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).expanduser().with_name(Path(database).name + ".decide.lock")


@contextmanager
def startup_lock(db: Database, key: str) -> Iterator[None]:
    """Hold the lock for startup ``key`` until the block ends; waits while another process holds it."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection, connection.begin():
            connection.execute(select(func.pg_advisory_xact_lock(lock_id(key))))
            yield
        return
    path = lock_file(db)
    if path is None:
        with _MEMORY:
            yield
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # owner-only, like the database file
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
