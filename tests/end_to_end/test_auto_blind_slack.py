"""``/book`` in Slack on the four booking pages written blind (replicas/blind/anypage/): no module, no recipe.

Issue 18's "done when": a teammate types ``/book <link>`` to a booking app Booker has never seen and ``auto``
books it. Everything real except the world: the Bolt app and WebClient against the Slack fake (signed
requests in, the link escaped exactly as Slack sends it), headless Chromium on the blind page, and the
teammate's free/busy read with the real Google client from the Google fake.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterator

import pytest

from booking.domain.states import BookingStatus
from bot.blocks.booking import headline
from replicas.blind.anypage import Page1, Page2, Page3, Page4
from replicas.world import seed_directory
from tests.bot.kit import command
from tests.end_to_end.conftest import TEAMMATE_EMAIL
from tests.helpers import settled

pytestmark = pytest.mark.browser

PEOPLE = ["Anna Virtanen", "Ben Koski", "Carla Ruiz"]
PAGES = {"clinic": Page1, "weekly": Page2, "ownform": Page3, "framed": Page4}
# What each page's answer means: "weekly" sends a request the startup still has to accept.
FINAL = {"clinic": BookingStatus.ADDED_TO_CALENDAR, "weekly": BookingStatus.PENDING_CONFIRMATION,
         "ownform": BookingStatus.ADDED_TO_CALENDAR, "framed": BookingStatus.ADDED_TO_CALENDAR}


@pytest.fixture
def bot_with_calendar(db, google_settings, slack, browsers, clock, google_calendar) -> Iterator[tuple[Any, Any]]:
    """The Bolt app over the real service, its teammate calendar the real Google client on the fake."""
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService
    from bot.app import build_app
    from bot.client import make_client
    from bot.notifier import slack_notifiers

    settings = google_settings.with_overrides(slack_api_url=slack.api_url)
    client = make_client(settings)
    runner = JobRunner(settings.max_browsers)
    service = BookingService(db, settings, browsers, runner, clock=clock, notifiers=slack_notifiers(client),
                             availability=google_calendar)
    yield build_app(settings, service, client=client), service
    runner.shutdown()


def first_offered(site: Any, person: str) -> datetime:
    """The first slot the page offers ``person`` (the page's own schedule, read from the replica)."""
    day = site.open_days(person)[0]
    return site.free_slots(person, day)[0]


# With no configured person, the page's own choice is taken: "Anyone" where offered, else the first person
# under its "who would you like to meet" heading (Page 4's cards).
@pytest.mark.parametrize("page", list(PAGES))
def test_book_a_link_to_an_unknown_booking_app(page, bot_with_calendar, slack, clock):
    app, service = bot_with_calendar
    with PAGES[page](now=clock, people=PEOPLE) as site:
        url = f"{site.booking_url}?ref=slack&src=booker"
        command(app, slack, f"<{url.replace('&', '&amp;')}>")  # a pasted link, escaped as Slack sends it
        [row] = settled(service)
        view = service.get(row.id)

        assert view.status == FINAL[page], view.error_message
        assert (view.platform, view.booking_url, row.user_id) == ("auto", url, "U123")
        [recorded] = site.bookings
        assert recorded["email"] == TEAMMATE_EMAIL and recorded["person"] == view.person_name
        assert datetime.fromisoformat(recorded["start"]) == view.proposed_slots[0]
        assert recorded["message"].startswith("Hello, my name is Eduardo Paz")
        if view.status == BookingStatus.ADDED_TO_CALENDAR:
            assert view.confirmed_slot == view.proposed_slots[0] and view.calendar_event_id

        parent = slack.message(row.thread_ref["channel"], row.thread_ref["ts"])
        assert parent["text"] == headline(view) and url in parent["text"], parent["text"]
        thread = slack.thread(row.thread_ref["channel"], row.thread_ref["ts"])
        texts = [m["text"] for m in thread]
        assert texts[0].startswith("Opened") and texts[-1].startswith("Submitted"), texts
        assert any(t.startswith("Free in your calendar") for t in texts), texts
        assert len([m for m in thread if m.get("files")]) == len(row.selenium_screenshots) >= 5


@pytest.mark.parametrize("page", list(PAGES))
def test_a_directory_startup_without_platform_books_its_person_around_the_teammates_busy_time(
        page, bot_with_calendar, slack, clock, db, google):
    app, service = bot_with_calendar
    with PAGES[page](now=clock, people=PEOPLE) as site:
        seed_directory(db, [{"name": "Blind Co", "aliases": ["blind"], "platform": "", "booking_url": site.booking_url,
                             "people": [{"name": "Ben Koski"}]}])
        first = first_offered(site, "Ben Koski")
        busy = (first - timedelta(minutes=30), first + timedelta(hours=1))
        google.set_busy(TEAMMATE_EMAIL, [busy])
        command(app, slack, "Blind Co")
        [row] = settled(service)
        view = service.get(row.id)

        assert view.status == FINAL[page], view.error_message
        assert (view.platform, view.person_name, view.startup_name) == ("auto", "Ben Koski", "Blind Co")
        [recorded] = site.bookings
        start = datetime.fromisoformat(recorded["start"])
        assert recorded["person"] == "Ben Koski" and start == view.proposed_slots[0]
        assert start >= busy[1], f"booked {start}: the teammate is busy {busy[0]}–{busy[1]}"
        steps = [e.detail for e in service.events(row.id) if e.kind == "step"]
        assert any("busy in your calendar" in s for s in steps), steps
