"""Each blind any-page site is bookable by its minimal hand-written script (the baseline ``auto`` is
measured against): the booking lands with the right person, name, e-mail and message, the slot is no
longer offered, and submitting the same slot again is refused."""
from __future__ import annotations

import http.client
import json
from datetime import datetime
from typing import Any, Callable, Iterator
from urllib.parse import urlencode, urlsplit

import pytest
from selenium import webdriver

from replicas.blind.anypage import Page1, Page2, Page3, Page4
from replicas.blind.anypage.diary import slug
from tests.bench.minimal import Invitee, intro_message
from tests.bench.minimal import anypage_1, anypage_2, anypage_3, anypage_4
from tests.helpers import plain_chrome

pytestmark = pytest.mark.browser

PEOPLE = ["Anna Virtanen", "Ben Koski", "Carla Ruiz"]
INVITEE = Invitee("Maria Lindqvist", "maria.lindqvist@axa-innovation.example")


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--window-size=1280,1000", "--disable-gpu"):
        options.add_argument(flag)
    with plain_chrome(options) as browser:
        yield browser


def post(site: Any, path: str, body: bytes, content_type: str) -> tuple[int, str]:
    parts = urlsplit(site.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("POST", path, body=body, headers={"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


FORM = "application/x-www-form-urlencoded"


def replay_1(site: Any, b: dict) -> tuple[int, str]:
    return post(site, "/praxis/api/appointments", json.dumps({
        "consultant": slug(b["person"]), "start": b["start"], "first_name": b["first_name"],
        "last_name": b["last_name"], "email": b["email"], "notes": b["message"]}).encode(), "application/json")


def replay_2(site: Any, b: dict) -> tuple[int, str]:
    return post(site, "/meet/intro/details", urlencode({
        "host": slug(b["person"]), "slot": b["start"], "full_name": b["name"], "email": b["email"],
        "company": b["company"], "topic": b["message"], "agree": "yes"}).encode(), FORM)


def replay_3(site: Any, b: dict) -> tuple[int, str]:
    local = datetime.fromisoformat(b["start"]).astimezone(site.zone)
    return post(site, "/book-a-demo", urlencode({
        "with": slug(b["person"]), "date": local.date().isoformat(), "time": f"{local:%H:%M}",
        "name": b["name"], "email": b["email"], "message": b["message"]}).encode(), FORM)


def replay_4(site: Any, b: dict) -> tuple[int, str]:
    return post(site, "/widget/api/book", urlencode({
        "person": slug(b["person"]), "start": b["start"], "name": b["name"], "email": b["email"],
        "note": b["message"]}).encode(), FORM)


CASES = [
    pytest.param(Page1, anypage_1, replay_1, id="clinic"),
    pytest.param(Page2, anypage_2, replay_2, id="weekly"),
    pytest.param(Page3, anypage_3, replay_3, id="ownform"),
    pytest.param(Page4, anypage_4, replay_4, id="framed"),
]


@pytest.mark.parametrize(("page", "script", "replay"), CASES)
def test_the_minimal_script_books_the_page_once(driver: Any, clock: Any, page: type, script: Any,
                                                replay: Callable[[Any, dict], tuple[int, str]]) -> None:
    with page(now=clock, people=PEOPLE) as site:
        script.book(driver, site, INVITEE)

        assert len(site.bookings) == 1
        booking = site.bookings[0]
        assert booking["person"] == script.PERSON
        assert (booking["name"], booking["email"]) == (INVITEE.name, INVITEE.email)
        assert booking["message"].replace("\r\n", "\n") == intro_message(INVITEE)
        start = datetime.fromisoformat(booking["start"])
        assert start.utcoffset().total_seconds() == 0 and start >= clock()
        assert start not in site.free_slots(script.PERSON, start.astimezone(site.zone).date())

        status, body = replay(site, booking)
        assert status >= 400 and ("no longer available" in body or "just taken" in body)
        assert len(site.bookings) == 1
