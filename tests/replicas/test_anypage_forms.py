"""The blind any-page sites' server side, over plain HTTP: availability follows the clock, required
fields are enforced with a message on the page and nothing recorded, and a booked slot is gone."""
from __future__ import annotations

import http.client
import json
from datetime import date, datetime, timedelta
from typing import Any, Iterator
from urllib.parse import urlencode, urlsplit

import pytest

from replicas.blind.anypage import PAGES, Page1, Page2, Page3, Page4
from replicas.blind.anypage.diary import UTC, iso_utc

PEOPLE = ["Anna Virtanen", "Ben Koski", "Carla Ruiz"]


def call(site: Any, method: str, path: str, body: bytes | None = None,
         content_type: str = "application/x-www-form-urlencoded") -> tuple[int, str, dict[str, str]]:
    """One request without following redirects: (status, body, headers)."""
    parts = urlsplit(site.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers={"Content-Type": content_type} if body else {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8"), dict(response.getheaders())
    finally:
        connection.close()


@pytest.fixture(params=PAGES, ids=lambda page: page.__name__)
def site(request: pytest.FixtureRequest, clock: Any) -> Iterator[Any]:
    with request.param(now=clock, people=PEOPLE) as started:
        yield started


def first_free(site: Any, person: str = PEOPLE[0]) -> datetime:
    return site.free_slots(person, site.open_days(person)[0])[0]


def test_each_page_shows_its_zone_and_offers_some_days_within_two_weeks_but_not_all(site: Any, clock: Any) -> None:
    shown = "/widget/embed" if isinstance(site, Page4) else urlsplit(site.booking_url).path  # zone in the frame
    status, body, _ = call(site, "GET", shown)
    assert status == 200 and site.ZONE in body
    open_days = site.open_days(PEOPLE[0])
    window = site.window()
    assert 3 <= len(open_days) < len(window) == 14
    weekday_closed = [d for d in window if d.weekday() < 5 and d not in open_days]
    assert weekday_closed, "some weekday is fully booked"
    earliest = min(site.free_slots(PEOPLE[0], open_days[0]))
    assert earliest >= clock() + site.LEAD
    assert max(open_days) < clock().astimezone(site.zone).date() + timedelta(days=14)


def test_the_zones_differ_between_pages() -> None:
    assert len({page.ZONE for page in PAGES}) == len(PAGES)


def test_people_have_different_free_times(site: Any) -> None:
    day = site.open_days(PEOPLE[0])[0]
    assert site.free_slots(PEOPLE[0], day) != site.free_slots(PEOPLE[1], day)


def test_clinic_requires_names_and_email_then_books_once(clock: Any) -> None:
    with Page1(now=clock, people=PEOPLE) as site:
        start = first_free(site, "Ben Koski")
        good = {"consultant": "ben-koski", "start": start.isoformat(), "first_name": "Maria",
                "last_name": "Lindqvist", "email": "maria@axa.example", "phone": "", "notes": "Hello"}
        status, body, _ = call(site, "POST", "/praxis/api/appointments",
                               json.dumps({**good, "last_name": " "}).encode(), "application/json")
        assert status == 422 and "Last name is required." in json.loads(body)["error"] and site.bookings == []
        status, body, _ = call(site, "POST", "/praxis/api/appointments", json.dumps(good).encode(), "application/json")
        assert status == 201
        assert site.bookings == [{"person": "Ben Koski", "start": iso_utc(start), "name": "Maria Lindqvist",
                                  "first_name": "Maria", "last_name": "Lindqvist", "email": "maria@axa.example",
                                  "phone": "", "message": "Hello"}]
        status, body, _ = call(site, "GET", f"/praxis/api/times?consultant=ben-koski&date={start.date()}")
        assert start.isoformat() not in body
        status, body, _ = call(site, "POST", "/praxis/api/appointments", json.dumps(good).encode(), "application/json")
        assert status == 409 and "no longer available" in json.loads(body)["error"] and len(site.bookings) == 1


def test_week_wizard_needs_a_slot_and_the_privacy_checkbox(clock: Any) -> None:
    with Page2(now=clock, people=PEOPLE) as site:
        status, body, _ = call(site, "GET", "/meet/intro/details?host=anna-virtanen&week=")
        assert status == 200 and "Please choose a time slot first." in body
        start = first_free(site)
        form = {"host": "anna-virtanen", "slot": iso_utc(start), "full_name": "Maria Lindqvist",
                "email": "maria@axa.example", "company": "AXA", "topic": "Pilots"}
        status, body, _ = call(site, "POST", "/meet/intro/details", urlencode(form).encode())
        assert status == 400 and "Please agree to the privacy policy." in body and site.bookings == []
        status, _, headers = call(site, "POST", "/meet/intro/details", urlencode({**form, "agree": "yes"}).encode())
        assert status == 303
        status, body, _ = call(site, "GET", headers["Location"])
        assert "Thanks! Your request has been sent" in body
        assert [(b["person"], b["name"], b["message"]) for b in site.bookings] == \
            [("Anna Virtanen", "Maria Lindqvist", "Pilots")]
        status, body, _ = call(site, "POST", "/meet/intro/details", urlencode({**form, "agree": "yes"}).encode())
        assert status == 409 and "no longer available" in body and len(site.bookings) == 1


def test_week_view_moves_by_week_within_the_window(clock: Any) -> None:
    with Page2(now=clock, people=PEOPLE) as site:
        _, this_week, _ = call(site, "GET", "/meet/intro")
        monday = date(2026, 11, 30)
        assert "Next week &rarr;</a>" in this_week and "Previous week</a>" not in this_week
        _, next_week, _ = call(site, "GET", f"/meet/intro?week={monday + timedelta(days=7)}&host=ben-koski")
        assert "Week of 7 December 2026" in next_week and "Previous week</a>" in next_week


def test_own_form_fills_times_for_the_date_and_refuses_a_taken_one(clock: Any) -> None:
    with Page3(now=clock, people=PEOPLE) as site:
        _, empty, _ = call(site, "GET", "/book-a-demo")
        assert "Choose a date first" in empty
        start = first_free(site, "Carla Ruiz")
        _, filled, _ = call(site, "GET", f"/book-a-demo?date={start.date()}&with=carla-ruiz")
        assert f'<option value="{start:%H:%M}">' in filled
        form = {"with": "carla-ruiz", "date": start.date().isoformat(), "time": f"{start:%H:%M}",
                "name": "", "email": "maria@axa.example", "company": "", "message": "Hi"}
        status, body, _ = call(site, "POST", "/book-a-demo", urlencode(form).encode())
        assert status == 400 and "Your name is required." in body and site.bookings == []
        form["name"] = "Maria Lindqvist"
        status, _, headers = call(site, "POST", "/book-a-demo", urlencode(form).encode())
        assert status == 303
        assert "Your demo is booked" in call(site, "GET", headers["Location"])[1]
        assert site.bookings[0]["person"] == "Carla Ruiz" and site.bookings[0]["start"] == iso_utc(start)
        status, body, _ = call(site, "POST", "/book-a-demo", urlencode(form).encode())
        assert status == 409 and len(site.bookings) == 1


def test_own_form_books_anyone_free_when_no_person_is_chosen(clock: Any) -> None:
    with Page3(now=clock, people=PEOPLE) as site:
        start = first_free(site, "Anna Virtanen")
        form = {"with": "", "date": start.date().isoformat(), "time": f"{start:%H:%M}",
                "name": "Maria Lindqvist", "email": "maria@axa.example", "message": "Hi"}
        assert call(site, "POST", "/book-a-demo", urlencode(form).encode())[0] == 303
        assert site.bookings[0]["person"] in PEOPLE


def test_framed_widget_marks_full_days_and_validates_email(clock: Any) -> None:
    with Page4(now=clock, people=PEOPLE) as site:
        _, host, _ = call(site, "GET", "/team/meet")
        assert '<iframe src="/widget/embed"' in host and "Accept all" in host
        _, widget, _ = call(site, "GET", "/widget/embed")
        assert "Book with Anna Virtanen" in widget
        days = json.loads(call(site, "GET", "/widget/api/days?person=anna-virtanen")[1])
        assert [d["open"] for d in days].count(False) >= 4 and days[0]["label"] == "Tue 1"
        start = first_free(site)
        form = {"person": "anna-virtanen", "start": start.isoformat(), "name": "Maria Lindqvist",
                "email": "maria", "note": "Hi"}
        status, body, _ = call(site, "POST", "/widget/api/book", urlencode(form).encode())
        assert status == 422 and json.loads(body)["errors"] == {"email": "Please enter a valid email"}
        assert site.bookings == []
        form["email"] = "maria@axa.example"
        assert call(site, "POST", "/widget/api/book", urlencode(form).encode())[0] == 200
        assert site.bookings[0]["start"] == start.astimezone(UTC).isoformat()
        assert call(site, "POST", "/widget/api/book", urlencode(form).encode())[0] == 409
        assert len(site.bookings) == 1
