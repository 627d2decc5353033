"""The page parts' pure readings: dates in day buttons' names, clock times, a field's purpose, a zone's offset."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from booking.platforms.parts.calendar import date_in, read_month_title
from booking.platforms.parts.form import FormField, purpose_of
from booking.platforms.parts.times import clock_of, mentions
from booking.platforms.parts.zone import offset_from_clock

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("name, shown, expected", [
    ("Monday, January 6 - Times available", date(2025, 1, 1), date(2025, 1, 6)),  # Calendly [V]
    ("January 8th", date(2025, 1, 1), date(2025, 1, 8)),                           # HubSpot [V]
    ("Monday 27th October Press enter to navigate available slots Mon 27 Oct", None, date(2027, 10, 27)),  # Chili Piper [S]
    ("Wednesday 2nd December Press enter", None, date(2026, 12, 2)),
    ("Friday, January 1, 2027", date(2026, 12, 1), date(2027, 1, 1)),
    ("January 4", date(2026, 12, 1), date(2027, 1, 4)),   # a trailing day of next month, across the new year
    ("2026-12-09", None, date(2026, 12, 9)),
    ("3 today", date(2025, 1, 1), None),                   # a bare number: the month title decides
])
def test_a_day_buttons_name_gives_its_date(name, shown, expected):
    assert date_in(name, shown, TODAY) == expected


def test_month_titles():
    assert read_month_title("January 2025") == date(2025, 1, 1)
    assert read_month_title(" dec 2026 ") == date(2026, 12, 1)
    assert read_month_title("Select a Date & Time") is None


@pytest.mark.parametrize("words, expected", [
    ("4:00pm", (time(16), "4:00pm")), ("4:00 pm on January 8th", (time(16), "4:00 pm")),
    ("9:30 AM", (time(9, 30), "9:30 AM")), ("14:00", (time(14), "14:00")),
    ("10:00 AM – 10:15 AM your time · 9:00 AM – 9:15 AM Alice's time", (time(10), "10:00 AM")),
    ("Next 4:00pm", None), ("Time zone UTC Time (6:29pm)", None), ("30 mins", None), ("3", None),
])
def test_a_time_controls_name_gives_its_clock_time(words, expected):
    assert clock_of(words) == expected


def test_a_day_is_mentioned_in_its_common_forms():
    day = date(2026, 12, 2)
    for words in ("Wednesday, December 2", "Times for December 2 are now displayed", "2 December 2026",
                  "Dec 2nd", "?month=2026-12&date=2026-12-02"):
        assert mentions(words, day), words
    assert not mentions("December 22", day) and not mentions("12 December", day)


def field(label: str, **attributes) -> FormField:
    return FormField(element=None, role=attributes.pop("role", "textbox"), label=label, **attributes)  # type: ignore[arg-type]


@pytest.mark.parametrize("item, purpose", [
    (field("Your name*", name="name"), "name"),
    (field("First name *"), "first_name"), (field("Last name *"), "last_name"),
    (field("Email address *", type="email"), "email"), (field("Add guest email", type="email"), "guests"),
    (field("Work e-mail"), "email"), (field("", autocomplete="tel"), "phone"),
    (field("Company name *"), "company"), (field("Job title"), "role"),
    (field("Additional notes", name="notes", multiline=True), "message"),
    (field("Please share anything that will help prepare for our meeting.", multiline=True), "message"),
    (field("What is this meeting about?", name="title"), "unknown"),
    (field("I agree to the privacy policy", role="checkbox"), "consent"),
    (field("Send me the newsletter", role="checkbox"), "unknown"),
    (field("Whatever", name="full_name"), "name"),
])
def test_a_fields_purpose_comes_from_what_the_page_says(item, purpose):
    assert purpose_of(item, {"full_name": "name"}) == purpose


def test_a_labels_clock_gives_the_zones_offset_today():
    now = datetime(2026, 10, 24, 8, 0, tzinfo=timezone.utc)
    assert offset_from_clock("Eastern Time (4:00am)", now) == -240      # not Cancún's -300: the clock says
    assert offset_from_clock("UTC Time (8:00am) ▾", now) == 0
    assert offset_from_clock("India Standard Time (1:30 PM)", now) == 330
    assert offset_from_clock("Eastern Time", now) is None
