"""Small helpers shared by tests."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

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
    from booking.domain.states import BookingStatus
    from booking.store.models import MeetingBookingRequest

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


@contextmanager
def plain_chrome(options: Any, driver_path: str = "/usr/bin/chromedriver") -> Iterator[Any]:
    """A bare Chromium for tests that drive a replica without Booker (its own scripts): Chromium's and
    chromedriver's temp files go to a folder of its own, removed after, not to the system's /tmp."""
    own = Path(tempfile.mkdtemp(prefix="booker-test-chrome-"))
    service = Service(driver_path, env={**os.environ, "TMPDIR": str(own)})
    try:
        chrome = webdriver.Chrome(service=service, options=options)
        try:
            yield chrome
        finally:
            chrome.quit()
    finally:
        shutil.rmtree(own, ignore_errors=True)
