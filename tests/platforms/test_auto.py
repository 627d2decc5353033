"""The ``auto`` platform: pages no module knows, read the way a person reads them.

Fast tests cover the reading rules (placeholders, "Anyone", the answer's words) and the registry's
fallback; browser tests book the two generic pages of ``replicas/anypage.py`` end to end through the
service, with the teammate's calendar as a small in-test fake.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

from booking.confirmations.teammate_calendar import CalendarEntry
from booking.domain.slots import Interval
from booking.domain.states import BookingStatus
from booking.platforms.auto import AutoPage
from booking.platforms.auto_dates import dated_clock
from booking.platforms.auto_reading import (
    POLICY_CONSENT, ZONE_SENTENCE, weekday_and_day, zone_words,
    dates_of, duration_in, is_placeholder, option_for, order_people, outcome_of, real_options,
)
from booking.platforms.registry import detect_platform, fallback_platform, get_platform
from booking.workflow.requests import BookingRequestInput

HEL = ZoneInfo("Europe/Helsinki")
PEOPLE = [{"name": "Alice Smith", "role": "CEO", "email": "alice@harbor.example"},
          {"name": "Bob Jones", "role": "CTO", "email": "bob@harbor.example"}]


# -- reading rules (no browser) -------------------------------------------------------------------------

def test_placeholders_are_never_a_choice():
    options = [("Select…", ""), ("-- choose a time --", ""), ("Anyone", "any"), ("Alice Smith", "alice"),
               ("Choose a person", "x"), ("", "y"), ("Bob Jones", "bob")]
    assert real_options(options) == ["Anyone", "Alice Smith", "Bob Jones"]
    assert is_placeholder("Please pick one") and not is_placeholder("Pia Lind", "pia")


def test_people_configured_people_first_else_anyone_first():
    offered = ["Dana Berg — Sales", "No preference", "Alice Smith (CEO)", "Bob Jones"]
    assert order_people(offered, ["Bob Jones", "Zoe Gone", "Alice Smith"]) == ["Bob Jones", "Alice Smith"]
    assert order_people(offered, []) == ["No preference", "Dana Berg — Sales", "Alice Smith (CEO)", "Bob Jones"]
    assert order_people(["Anyone available", "Eva"], ["Zoe"]) == ["Anyone available", "Eva"]
    assert option_for("Alice Smith", offered) == "Alice Smith (CEO)" and option_for("Zoe", offered) is None


@pytest.mark.parametrize("words, said", [
    ("You're booked!", "confirmed"), ("Your appointment is confirmed", "confirmed"), ("Booking confirmed", "confirmed"),
    ("Meeting scheduled.", "confirmed"), ("Thank you for booking", "confirmed"),
    ("Request sent — we'll confirm by e-mail", "requested"), ("Your request has been received", "requested"),
    ("Book a time with Fjord Works", None), ("Confirm your booking", None), ("Select a date", None),
])
def test_the_answer_after_submit_in_the_page_words(words, said):
    assert outcome_of(words) == said


def test_dates_and_durations_named_in_any_common_format():
    today = date(2026, 12, 1)
    assert [d for d, _ in dates_of(["Wed, December 2", "2026-12-03", "4 Dec", "Select a date", "14:00"], today)] == \
        [date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)]
    assert (duration_in("Intro call · 45 min"), duration_in("lasts 20 minutes"), duration_in("no length")) == (45, 20, 30)


@pytest.mark.parametrize("sentence, zone", [
    ("All times are in Europe/Berlin time.", "Europe/Berlin time"),  # the IANA name inside is read
    ("Times shown in Central European Time", "Central European Time"),
    ("Time zone: CET", "Time zone: CET"),  # not a sentence of that shape: read as a zone label is
])
def test_a_sentence_stating_the_zone_gives_the_zone_words(sentence, zone):
    assert re.search(ZONE_SENTENCE, sentence, re.I)
    assert zone_words(sentence) == zone


def test_a_slot_named_with_its_day_and_clock_is_read_as_both():
    assert dated_clock("Tue 1 Dec 10:30", date(2026, 11, 30)) == (date(2026, 12, 1), time(10, 30), "10:30")
    assert dated_clock("Wednesday, December 2 at 2:15 pm", date(2026, 11, 30))[:2] == (date(2026, 12, 2), time(14, 15))
    assert dated_clock("10:30", date(2026, 11, 30)) is None          # a clock alone: read as a plain time
    assert dated_clock("Room 12, floor 3", date(2026, 11, 30)) is None


@pytest.mark.parametrize("words, ticked", [
    ("I agree to the privacy policy", True), ("I accept the terms and conditions", True),
    ("I agree to receive the newsletter and marketing under the privacy policy", False), ("Remember me", False),
])
def test_only_a_box_agreeing_to_the_policy_is_ticked_unasked(words, ticked):
    assert bool(re.search(POLICY_CONSENT, words, re.I)) is ticked


def test_a_day_named_without_its_month_is_the_nearest_with_that_weekday_and_number():
    monday = date(2026, 11, 30)
    assert weekday_and_day("Tue 1", monday) == date(2026, 12, 1)
    assert weekday_and_day("Friday 4th", date(2026, 12, 6)) == date(2026, 12, 4)   # a few days back: still shown
    assert weekday_and_day("Tue 12", monday) == date(2027, 1, 12)                # the next month where it fits
    assert weekday_and_day("Room 12", monday) is None
    assert [d for d, _ in dates_of(["Mon 7", "Wed 9", "Book"], monday)] == [date(2026, 12, 7), date(2026, 12, 9)]


def test_the_registry_falls_back_to_auto_for_an_unknown_page():
    assert detect_platform("https://book.example.org/acme") is None  # no module claims it
    assert fallback_platform() is AutoPage and get_platform("auto") is AutoPage
    assert (AutoPage.label, AutoPage.url_patterns) == ("web booking", ())


def test_an_unknown_url_is_queued_for_auto(service, teammate):
    view = service.request_booking(BookingRequestInput(teammate=teammate, url="https://book.example.org/acme"))
    assert (view.status, view.platform, view.platform_label) == ("pending", "auto", "web booking")


# -- end to end on the generic pages (browser) -----------------------------------------------------------

class BusyCalendar:
    """The teammate's calendar: fixed busy blocks; events are recorded, not sent anywhere."""

    def __init__(self, busy: list[tuple[datetime, datetime]]) -> None:
        self.blocks = busy
        self.added: list[object] = []

    def reaches(self, email: str) -> bool:
        return True

    def busy(self, booking, start: datetime, end: datetime) -> list[Interval]:  # type: ignore[no-untyped-def]
        return [Interval(s, e) for s, e in self.blocks if s < end and e > start]

    def add_meeting(self, meeting) -> CalendarEntry:  # type: ignore[no-untyped-def]
        self.added.append(meeting)
        return CalendarEntry(f"evt{len(self.added)}", f"https://calendar.example/evt{len(self.added)}", True)


@pytest.fixture
def site(clock) -> Iterator["AnyPageSite"]:
    from replicas.anypage import build_anypage

    with build_anypage(clock) as running:
        yield running


@pytest.fixture
def calendar() -> BusyCalendar:
    return BusyCalendar([])


@pytest.fixture
def auto_service(db, settings, browsers, clock, calendar):
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService

    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock, availability=calendar)
    runner.shutdown()


def seed(db, site, path: str, people: list[dict] | None = None) -> None:
    from replicas.world import seed_directory

    seed_directory(db, [{"name": "Harbor Labs", "aliases": ["harbor"], "platform": "",
                         "booking_url": f"{site.url}{path}", "people": PEOPLE if people is None else people}])


def book(service, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(180)
    return service.get(view.id)


@pytest.mark.browser
def test_month_grid_page_books_the_first_configured_person_around_the_busy_slot(auto_service, calendar, site, db,
                                                                               teammate):
    calendar.blocks = [(datetime(2026, 12, 2, 9, 0, tzinfo=HEL), datetime(2026, 12, 2, 10, 0, tzinfo=HEL))]
    seed(db, site, "/harbor")
    final = book(auto_service, teammate, startup="harbor")

    assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
    assert final.platform == "auto" and final.person_name == "Alice Smith"
    [recorded] = site.bookings
    assert (recorded["page"], recorded["person"], recorded["email"]) == ("harbor", "Alice Smith", teammate.email)
    assert recorded["start"] == datetime(2026, 12, 2, 10, 0, tzinfo=HEL)  # 09:00 and 09:30 are busy
    assert recorded["name"] == "Eduardo Paz" and recorded["company"] == "AXA Innovation"
    assert recorded["notes"].startswith("Hello, my name is Eduardo Paz")
    assert final.proposed_slots == (datetime(2026, 12, 2, 10, 0, tzinfo=HEL), datetime(2026, 12, 2, 10, 30, tzinfo=HEL))
    steps = [e.detail for e in auto_service.events(final.id) if e.kind == "step"]
    assert any("skipped Wed 2 Dec 09:00, 09:30 (busy in your calendar)" in s for s in steps)


@pytest.mark.browser
def test_select_and_date_field_page_books_the_configured_person_in_order(auto_service, site, db, teammate):
    seed(db, site, "/fjord", people=[PEOPLE[1], PEOPLE[0]])  # Bob first
    final = book(auto_service, teammate, startup="harbor")

    assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
    [recorded] = site.bookings
    assert (recorded["page"], recorded["person"], recorded["name"]) == ("fjord", "Bob Jones", "Eduardo Paz")
    assert recorded["start"] == datetime(2026, 12, 2, 13, 0, tzinfo=HEL)  # Bob's first slot
    assert recorded["company"] == "AXA Innovation" and recorded["notes"].startswith("Hello, my name is Eduardo Paz")
    assert final.person_name == "Bob Jones"


@pytest.mark.browser
def test_a_page_with_no_free_day_fails_saying_what_it_saw(auto_service, site, db, teammate):
    for person in site.people.values():
        person.slots.clear()
    seed(db, site, "/harbor")
    final = book(auto_service, teammate, startup="harbor")

    assert final.status == BookingStatus.FAILED
    assert "No time slots found on the booking page: saw a date picker with 0 enabled days in the search window" in final.error_message
    assert "\n" not in final.error_message and site.bookings == []


@pytest.mark.browser
def test_a_widget_in_an_iframe_behind_a_cookie_banner_is_booked_inside_its_frame(auto_service, site, db, teammate):
    seed(db, site, "/embed")
    final = book(auto_service, teammate, startup="harbor")

    assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
    [recorded] = site.bookings
    assert (recorded["page"], recorded["person"]) == ("harbor", "Alice Smith")
    assert recorded["start"] == datetime(2026, 12, 2, 9, 0, tzinfo=HEL)  # nothing busy: the first slot


@pytest.mark.browser
def test_a_configured_person_with_no_free_day_gives_way_to_the_next(auto_service, site, db, teammate):
    site.people["alice"].slots.clear()
    seed(db, site, "/harbor")
    final = book(auto_service, teammate, startup="harbor")

    assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
    [recorded] = site.bookings
    assert (recorded["person"], recorded["start"]) == ("Bob Jones", datetime(2026, 12, 2, 13, 0, tzinfo=HEL))


def test_wizard_buttons_are_told_from_calendar_arrows_and_links():
    import re

    from booking.platforms.auto_reading import NEXT_WAYS, SEND_WORDS, STEP_WORDS

    step = re.compile(STEP_WORDS, re.I)
    assert all(step.search(w) for w in ("next", "next step", "continue", "continue to details", "next: your details"))
    assert not any(step.search(w) for w in ("next month", "next week", "continue reading more stories"))
    send = re.compile(SEND_WORDS, re.I)
    assert all(send.search(w) for w in ("book meeting", "confirm booking", "schedule event", "request meeting", "submit"))
    assert not any(send.search(w) for w in ("next", "previous month", "15:00"))
    arrows = [re.compile(w.name.value, re.I) for w in NEXT_WAYS]
    assert any(a.search("next month") for a in arrows) and any(a.search("›") for a in arrows)


@pytest.mark.browser
def test_with_no_configured_people_anyone_is_picked_never_the_placeholder(auto_service, site, db, teammate):
    seed(db, site, "/fjord", people=[])
    final = book(auto_service, teammate, startup="harbor")

    assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
    [recorded] = site.bookings
    assert final.person_name == "Anyone"
    assert (recorded["person"], recorded["start"]) == ("Alice Smith", datetime(2026, 12, 2, 9, 0, tzinfo=HEL))
