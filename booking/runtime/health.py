"""What a running process says about itself: the ``/healthz`` answer and the start-up health line.

An operator (or a load balancer) needs one cheap question with a yes/no: can this process reach its
database, and is its confirmation monitor running? No secrets, no per-booking data.
"""
from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from booking.store.db import Database


class Running(Protocol):
    """What the health report reads of a scheduler (APScheduler's ``running``)."""

    @property
    def running(self) -> bool: ...


def database_ok(db: Database) -> bool:
    """One round trip; False (never an exception) when the database can't answer."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


def health_report(db: Database, scheduler: Running | None) -> dict[str, Any]:
    """``{"ok", "database", "scheduler"}``; ok needs the database, and the scheduler when it is ours."""
    database = "ok" if database_ok(db) else "unreachable"
    if scheduler is None:
        monitor = "off"
    else:
        monitor = "running" if scheduler.running else "stopped"
    return {"ok": database == "ok" and monitor != "stopped", "database": database, "scheduler": monitor}
