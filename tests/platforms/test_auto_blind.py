"""``auto`` on the four booking pages written blind (replicas/blind/anypage/): no module, no recipe, no platform.

Each page was written by someone who never read the ``auto`` code, and ``auto`` was fixed only from what these
runs showed (failure reasons, screenshots, accessibility snapshots). The startup has no platform: the registry's
fallback books it with a configured person, at the time Booker believes, and the page records one booking.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator

import pytest

from booking.domain.states import BookingStatus
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.blind.anypage import Page1, Page2, Page3, Page4
from replicas.world import seed_directory

pytestmark = pytest.mark.browser

PEOPLE = ["Anna Virtanen", "Ben Koski", "Carla Ruiz"]
PAGES = {"clinic": Page1, "weekly": Page2, "ownform": Page3, "framed": Page4}


@pytest.fixture
def auto_service(db, settings, browsers, clock) -> Iterator[BookingService]:
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock)
    runner.shutdown()


@pytest.mark.parametrize("page", list(PAGES))
def test_auto_books_a_page_written_blind(page, auto_service, db, clock, teammate):
    with PAGES[page](now=clock, people=PEOPLE) as site:
        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "", "booking_url": site.booking_url,
                             "people": [{"name": "Ben Koski"}]}])
        view = auto_service.request_booking(BookingRequestInput(teammate=teammate, startup="blind"))
        auto_service.start(view.id)
        assert auto_service.runner.wait_idle(240)
        final = auto_service.get(view.id)
        assert final.status in (BookingStatus.PENDING_CONFIRMATION, BookingStatus.CONFIRMED,
                                BookingStatus.ADDED_TO_CALENDAR), final.error_message
        [recorded] = site.bookings
        assert recorded["email"] == teammate.email and recorded["person"] == "Ben Koski"
        assert datetime.fromisoformat(recorded["start"]) == final.proposed_slots[0]
