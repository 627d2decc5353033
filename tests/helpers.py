"""Small helpers shared by tests."""
from __future__ import annotations

import time
from typing import Callable, TypeVar

T = TypeVar("T")


def eventually(condition: Callable[[], T], timeout: float = 60.0, what: str = "condition") -> T:
    """Poll until ``condition()`` is truthy: for work Bolt runs after its ack, in its own thread."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def settled(service, timeout: float = 120.0) -> list:
    """Wait until at least one booking exists and every browser job finished; return the rows."""
    from booking.models import MeetingBookingRequest
    from booking.states import BookingStatus

    def rows_done():
        with service.db.session() as session:
            rows = session.query(MeetingBookingRequest).order_by(MeetingBookingRequest.id).all()
        busy = any(r.status in (BookingStatus.PENDING, BookingStatus.BOOKING_IN_PROGRESS) for r in rows)
        return rows if rows and not busy and service.runner.wait_idle(0) else None

    rows = eventually(rows_done, timeout, "the booking jobs to finish")
    flush = getattr(getattr(service.notifiers, "inner", None), "flush", None)
    if flush is not None:  # what the jobs handed to Slack's outbox (bot/outbox.py) has arrived
        flush(timeout)
    return rows
