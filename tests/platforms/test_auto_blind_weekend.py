"""``auto`` on the blind week view (Page 2, "weekly") on a Sunday: the week shown has no free slot at all.

The page opens on the current week (Monday to Sunday); on a Sunday every day of it is past, so it shows
day headings with "No availability" and a "Next week →" link. A person turns to the next week; Booker
used to press "Continue" instead (the page answered "Please choose a time slot first.") and failed
with "a date control did not appear" — found by the CLI test run on a real Sunday.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterator

import pytest

from booking.domain.states import BookingStatus
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.blind.anypage import Page2
from replicas.world import seed_directory
from tests.conftest import FakeClock

pytestmark = pytest.mark.browser

SUNDAY = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)  # Sun 6 Dec, 09:00 in London (the page's zone)


@pytest.fixture
def sunday() -> FakeClock:
    return FakeClock(SUNDAY)


@pytest.fixture
def sunday_service(db, settings, browsers, sunday) -> Iterator[BookingService]:
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=sunday)
    runner.shutdown()


def test_a_week_view_with_no_free_slot_this_week_is_booked_in_the_next_week(sunday_service, db, sunday, teammate):
    with Page2(now=sunday, people=["Anna Virtanen", "Ben Koski"]) as site:
        assert site.open_days("Ben Koski")[0] > SUNDAY.date()  # nothing left in the week the page opens on
        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "", "booking_url": site.booking_url,
                             "people": [{"name": "Ben Koski"}]}])
        view = sunday_service.request_booking(BookingRequestInput(teammate=teammate, startup="blind"))
        sunday_service.start(view.id)
        assert sunday_service.runner.wait_idle(240)
        final = sunday_service.get(view.id)

        # booked (the page's answer, "request sent", is the Slack test's subject: tests/end_to_end/test_auto_blind_slack.py)
        assert final.status in (BookingStatus.PENDING_CONFIRMATION, BookingStatus.CONFIRMED), final.error_message
        [recorded] = site.bookings
        start = datetime.fromisoformat(recorded["start"])
        assert recorded["person"] == "Ben Koski" and start == final.proposed_slots[0]
        assert start.date() >= datetime(2026, 12, 7).date()  # Monday of the next week or later
