"""Probe (not collected by default): ``auto`` on the four booking pages written blind (replicas/blind/anypage/).

Each page was written by someone who never read the ``auto`` code. Run it by name:
``.venv/bin/python -m pytest -p no:cacheprovider tests/platforms/blind_auto_probe.py``. It becomes
``test_auto_blind.py`` (collected, in CI) once ``auto`` books all four; until then ``auto`` stays opt-in
(a startup's platform ``auto``, or ``--platform auto``) and unknown pages are refused as before.
First try (issue 18 note): clinic booked one hour off (the page's zone not read), weekly saw dates without
times, ownform hit a stale element, framed found no date control behind the consent dialog and iframe.
"""
from __future__ import annotations

from datetime import datetime, timedelta
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
        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "auto", "booking_url": site.booking_url,
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
