"""The Calendly replica must behave like Calendly's public booking pages, or every Calendly test lies."""
from __future__ import annotations

import json
import re
import shutil
import socket
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from replicas.calendly import SLOT_TAKEN_MESSAGE, CalendlyEventType, CalendlyHost, CalendlyReplica, CalendlyTeam
from tests.helpers import plain_chrome

UTC = timezone.utc
HELSINKI = ZoneInfo("Europe/Helsinki")
LOOKUP = "/api/booking/event_types/lookup"
QUESTION = "Please share anything that will help prepare for our meeting."


def hel(day: int, hour: int, minute: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


def make_hosts() -> list[CalendlyHost]:
    alice = CalendlyHost(
        "alice-acme", "Alice Smith", "alice@acme.test",
        [CalendlyEventType("30min", "30 Minute Meeting"), CalendlyEventType("60min", "60 Minute Meeting", 60)],
        slots=[hel(30, 9, month=11), hel(2, 9), hel(2, 9, 30), hel(2, 14), hel(3, 9), hel(3, 10),
               hel(12, 10, month=1, year=2027)],
    )
    bob = CalendlyHost(
        "bob-acme", "Bob Jones", "bob@acme.test",
        [CalendlyEventType("intro", "Intro Call", split_name=True, questions=["Company?", "Topic?"],
                           required_questions=True)],
        slots=[hel(2, 9), hel(3, 11)],
    )
    return [alice, bob]


@pytest.fixture
def replica(clock: Any) -> Iterator[CalendlyReplica]:
    """Alice and Bob at Acme; the shared test clock says 1 Dec 2026, 08:00 UTC."""
    team = CalendlyTeam("acme", "Acme", ["alice-acme", "bob-acme"], round_robin_slug="meet-acme")
    with CalendlyReplica(make_hosts(), [team], now=clock) as site:
        yield site


def call(method: str, url: str, body: Any = None, timeout: float = 10) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    return status, json.loads(raw) if kind.startswith("application/json") else raw.decode()


def page_config(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="booking-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page embeds its JSON config"
    return json.loads(match.group(1))


def event_uuid(site: CalendlyReplica, profile: str, slug: str) -> str:
    status, data = call("GET", f"{site.url}{LOOKUP}?profile_slug={profile}&event_type_slug={slug}")
    assert status == 200
    return data["uuid"]


def calendar_range(site: CalendlyReplica, uuid: str, zone: str, start: str, end: str) -> dict[str, Any]:
    status, data = call("GET", f"{site.url}/api/booking/event_types/{uuid}/calendar/range"
                               f"?timezone={zone}&diagnostics=false&range_start={start}&range_end={end}")
    assert status == 200, data
    return data


def spots(data: dict[str, Any]) -> dict[str, list[str]]:
    return {day["date"]: [s["start_time"] for s in day["spots"]] for day in data["days"] if day["spots"]}


def book(site: CalendlyReplica, uuid: str, start: datetime, **fields: Any) -> tuple[int, Any]:
    body = {"event_type_uuid": uuid, "start_time": start.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "full_name": "Ann Invitee", "email": "ann@invitee.test", "timezone": "Europe/Helsinki",
            "questions_and_answers": [{"question": QUESTION, "answer": "Hello from Booker", "position": 0}]}
    body.update(fields)
    return call("POST", f"{site.url}/api/booking/invitees", body)


# -- JSON API -------------------------------------------------------------------------------------------
def test_lookup_gives_uuid_duration_and_availability_zone(replica: CalendlyReplica) -> None:
    """The lookup endpoint resolves a profile and event slug to the event type's uuid."""
    status, data = call("GET", f"{replica.url}{LOOKUP}?profile_slug=alice-acme&event_type_slug=60min")
    assert status == 200
    assert data["uuid"] == replica.hosts["alice-acme"].event_types[1].uuid
    assert (data["duration"], data["availability_timezone"]) == (60, "Europe/Helsinki")
    status, _ = call("GET", f"{replica.url}{LOOKUP}?profile_slug=alice-acme&event_type_slug=nope")
    assert status == 404


def test_range_lists_every_day_with_future_spots_in_the_requested_zone(replica: CalendlyReplica) -> None:
    """Days come back in the asked zone; past slots are hidden and empty days are 'unavailable'."""
    uuid = event_uuid(replica, "alice-acme", "30min")
    data = calendar_range(replica, uuid, "Europe/Helsinki", "2026-11-30", "2026-12-04")
    assert [d["date"] for d in data["days"]] == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
    assert [d["status"] for d in data["days"]] == [
        "unavailable", "unavailable", "available", "available", "unavailable"]
    assert spots(data) == {
        "2026-12-02": ["2026-12-02T09:00:00+02:00", "2026-12-02T09:30:00+02:00", "2026-12-02T14:00:00+02:00"],
        "2026-12-03": ["2026-12-03T09:00:00+02:00", "2026-12-03T10:00:00+02:00"],
    }
    in_tokyo = spots(calendar_range(replica, uuid, "Asia/Tokyo", "2026-12-02", "2026-12-03"))
    assert in_tokyo["2026-12-02"][0] == "2026-12-02T16:00:00+09:00"
    assert in_tokyo["2026-12-02"][-1] == "2026-12-02T21:00:00+09:00"


def test_range_hides_slots_once_the_clock_passes_them(replica: CalendlyReplica, clock: Any) -> None:
    """Moving the replica's clock forward hides slots that are no longer in the future."""
    uuid = event_uuid(replica, "alice-acme", "30min")
    clock.advance(hours=24, minutes=30)  # 2 Dec, 08:30 UTC = 10:30 in Helsinki
    assert spots(calendar_range(replica, uuid, "Europe/Helsinki", "2026-12-02", "2026-12-02")) == {
        "2026-12-02": ["2026-12-02T14:00:00+02:00"]}


def test_range_rejects_bad_input(replica: CalendlyReplica) -> None:
    uuid = event_uuid(replica, "alice-acme", "30min")
    base = f"{replica.url}/api/booking/event_types"
    range_ = "calendar/range?timezone={}&range_start={}&range_end={}"
    assert call("GET", f"{base}/{uuid}/" + range_.format("Mars/Base", "2026-12-01", "2026-12-02"))[0] == 400
    assert call("GET", f"{base}/{uuid}/" + range_.format("UTC", "2026-12-05", "2026-12-01"))[0] == 400
    assert call("GET", f"{base}/unknown/" + range_.format("UTC", "2026-12-01", "2026-12-02"))[0] == 404


def test_booking_records_the_invitee_and_takes_the_slot(replica: CalendlyReplica) -> None:
    """A successful POST books the slot, which then disappears from every view of availability."""
    uuid = event_uuid(replica, "alice-acme", "30min")
    status, data = book(replica, uuid, hel(2, 9, 30))
    assert status == 200, data
    assert data["host_name"] == "Alice Smith"
    assert data["start_time"] == "2026-12-02T07:30:00Z"

    [booking] = replica.bookings
    assert booking["invitee_uuid"] == data["invitee_uuid"] and booking["event_uuid"] == data["event_uuid"]
    assert (booking["host_slug"], booking["host_email"], booking["event_type"]) == (
        "alice-acme", "alice@acme.test", "30min")
    assert booking["start_time"] == datetime(2026, 12, 2, 7, 30, tzinfo=UTC)
    assert booking["end_time"] == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert (booking["name"], booking["email"], booking["timezone"]) == (
        "Ann Invitee", "ann@invitee.test", "Europe/Helsinki")
    assert booking["answers"] == {QUESTION: "Hello from Booker"}

    assert hel(2, 9, 30) not in replica.available_slots("alice-acme")
    assert spots(calendar_range(replica, uuid, "Europe/Helsinki", "2026-12-02", "2026-12-02"))["2026-12-02"] == [
        "2026-12-02T09:00:00+02:00", "2026-12-02T14:00:00+02:00"]

    status, rows = call("GET", f"{replica.url}/__replica__/bookings")
    assert status == 200 and rows[0]["start_time"] == "2026-12-02T07:30:00+00:00"

    status, html = call("GET", f"{replica.url}/alice-acme/30min/invitees/{data['invitee_uuid']}")
    assert status == 200
    config = page_config(html)
    assert config["page"] == "confirmation" and config["booking"]["host_name"] == "Alice Smith"


def test_a_taken_slot_is_refused_with_calendlys_message(replica: CalendlyReplica) -> None:
    uuid = event_uuid(replica, "alice-acme", "30min")
    assert book(replica, uuid, hel(2, 9))[0] == 200
    assert book(replica, uuid, hel(2, 9)) == (400, {"message": SLOT_TAKEN_MESSAGE})
    assert book(replica, uuid, hel(2, 10))[0] == 400  # never offered
    assert book(replica, uuid, hel(30, 9, month=11))[0] == 400  # in the past
    assert len(replica.bookings) == 1


def test_a_longer_booking_takes_every_slot_it_overlaps(replica: CalendlyReplica) -> None:
    uuid = event_uuid(replica, "alice-acme", "60min")
    assert book(replica, uuid, hel(2, 9))[0] == 200
    free = replica.available_slots("alice-acme")
    assert hel(2, 9) not in free and hel(2, 9, 30) not in free and hel(2, 14) in free


def test_the_form_rules_are_enforced_by_the_api(replica: CalendlyReplica) -> None:
    """Split names and required questions are checked server-side too."""
    uuid = event_uuid(replica, "bob-acme", "intro")
    status, data = book(replica, uuid, hel(2, 9), full_name=None, first_name="Ann", last_name="",
                        questions_and_answers=[{"question": "Company?", "answer": "Acme", "position": 0}])
    assert status == 400 and set(data["errors"]) == {"last_name", "question_1"}
    status, _ = book(replica, uuid, hel(2, 9), full_name=None, first_name="Ann", last_name="Invitee",
                     questions_and_answers=[{"question": "Company?", "answer": "Acme", "position": 0},
                                            {"question": "Topic?", "answer": "Seed round", "position": 1}])
    assert status == 200
    booking = replica.bookings[0]
    assert (booking["name"], booking["first_name"], booking["last_name"]) == ("Ann Invitee", "Ann", "Invitee")
    assert booking["answers"] == {"Company?": "Acme", "Topic?": "Seed round"}


def test_take_slot_fault_fails_only_the_first_submit(replica: CalendlyReplica) -> None:
    """As if someone else booked it: the first submit gets the 400 and its slot is gone for good."""
    uuid = event_uuid(replica, "alice-acme", "30min")
    replica.faults.take_slot_before_submit = True
    assert book(replica, uuid, hel(2, 9)) == (400, {"message": SLOT_TAKEN_MESSAGE})
    assert hel(2, 9) not in replica.available_slots("alice-acme")
    assert book(replica, uuid, hel(2, 9, 30))[0] == 200
    replica.reset()
    assert replica.bookings == [] and hel(2, 9) in replica.available_slots("alice-acme")


def test_round_robin_offers_the_union_and_assigns_the_first_free_member(replica: CalendlyReplica) -> None:
    status, link = call("GET", f"{replica.url}/api/booking/scheduling_links/acme")
    assert status == 200 and link["owner_type"] == "EventType"
    uuid = link["owner_uuid"]
    assert event_uuid(replica, "acme", "meet-acme") == uuid
    union = spots(calendar_range(replica, uuid, "UTC", "2026-12-02", "2026-12-03"))
    assert union == {
        "2026-12-02": ["2026-12-02T07:00:00+00:00", "2026-12-02T07:30:00+00:00", "2026-12-02T12:00:00+00:00"],
        "2026-12-03": ["2026-12-03T07:00:00+00:00", "2026-12-03T08:00:00+00:00", "2026-12-03T09:00:00+00:00"],
    }

    assert book(replica, uuid, hel(2, 9))[1]["host_name"] == "Alice Smith"  # both free: Alice comes first
    assert book(replica, uuid, hel(2, 9))[1]["host_name"] == "Bob Jones"    # Alice is taken now
    assert book(replica, uuid, hel(2, 9))[0] == 400                         # nobody is left
    assert book(replica, uuid, hel(3, 11))[1]["host_name"] == "Bob Jones"   # only Bob has it
    assert [b["host_slug"] for b in replica.bookings] == ["alice-acme", "bob-acme", "bob-acme"]
    assert all(b["team_slug"] == "acme" and b["event_type"] == "meet-acme" for b in replica.bookings)


def test_pages_embed_their_config(replica: CalendlyReplica) -> None:
    """Profile, team and booking pages are rendered client-side from the embedded JSON config."""
    status, html = call("GET", replica.profile_url("alice-acme"))
    assert status == 200
    assert [c["href"] for c in page_config(html)["cards"]] == ["/alice-acme/30min", "/alice-acme/60min"]

    status, html = call("GET", replica.team_url("acme"))
    cards = page_config(html)["cards"]
    assert [(c["href"], c["host_name"]) for c in cards] == [
        ("/alice-acme/30min", "Alice Smith"), ("/alice-acme/60min", "Alice Smith"), ("/bob-acme/intro", "Bob Jones")]

    status, html = call("GET", replica.event_url("alice-acme", "30min"))
    assert status == 200 and "<title>Select a Date &amp; Time - Calendly</title>" in html
    config = page_config(html)
    assert config["event_type"]["uuid"] == replica.hosts["alice-acme"].event_types[0].uuid
    assert config["now"] == "2026-12-01T08:00:00+00:00" and config["last_slot"] == "2027-01-12T08:00:00+00:00"

    status, html = call("GET", replica.event_url("alice-acme", "30min") + "/2026-12-02T09:00:00+02:00?month=2026-12")
    assert status == 200 and page_config(html)["selected_start"] == "2026-12-02T09:00:00+02:00"
    status, html = call("GET", replica.round_robin_url("acme"))
    assert status == 200 and page_config(html)["profile"]["name"] == "Acme"
    assert call("GET", f"{replica.url}/nobody")[0] == 404
    assert call("GET", f"{replica.url}/alice-acme/nothing")[0] == 404


def test_reset_endpoint_restores_every_slot(replica: CalendlyReplica) -> None:
    uuid = event_uuid(replica, "alice-acme", "30min")
    book(replica, uuid, hel(2, 9))
    replica.faults.details_form_never_renders = True
    assert call("POST", f"{replica.url}/__replica__/reset", {})[0] == 200
    assert replica.bookings == [] and not replica.faults.details_form_never_renders
    assert hel(2, 9) in replica.available_slots("alice-acme")


def test_hang_fault_holds_the_booking_page_until_cleared(replica: CalendlyReplica) -> None:
    replica.faults.hang_booking_page = True
    with pytest.raises((socket.timeout, TimeoutError, urllib.error.URLError)):
        call("GET", replica.event_url("alice-acme", "30min"), timeout=0.5)
    assert call("GET", replica.profile_url("alice-acme"))[0] == 200  # only booking pages hang
    replica.faults.hang_booking_page = False
    assert call("GET", replica.event_url("alice-acme", "30min"))[0] == 200


# -- the real page in a real browser ------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def driver() -> Iterator[Any]:
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory(prefix="calendly-replica-") as profile:
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run",
                    "--disable-sync", "--window-size=1280,900", f"--user-data-dir={profile}"):
            options.add_argument(arg)
        with plain_chrome(options, CHROMEDRIVER) as browser:
            yield browser


@pytest.mark.browser
def test_an_invitee_books_through_the_booking_page(driver: Any, clock: Any) -> None:
    """Dismiss the cookie banner, pick the first day, switch to UTC, pick a time, fill the form, get confirmed."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    css = By.CSS_SELECTOR
    wait = WebDriverWait(driver, 10)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
        "window.__messages = []; window.addEventListener('message', e => window.__messages.push(e.data));")})

    with CalendlyReplica(make_hosts(), now=clock, display_timezone="Europe/Helsinki", cookie_banner=True) as site:
        driver.get(site.event_url("alice-acme", "30min"))
        assert driver.title == "Select a Date & Time - Calendly"
        wait.until(EC.element_to_be_clickable((By.ID, "onetrust-accept-btn-handler"))).click()
        wait.until(EC.invisibility_of_element_located((By.ID, "onetrust-banner-sdk")))

        day = wait.until(EC.element_to_be_clickable(
            (css, 'tbody[data-testid="calendar-table"] button[aria-label$=" - Times available"]')))
        assert driver.find_element(css, '[data-testid="calendar"] [data-testid="title"]').text == "December 2026"
        assert day.get_attribute("aria-label") == "Wednesday, December 2 - Times available" and day.text == "2"
        day.click()
        wait.until(EC.presence_of_element_located((css, 'td[role="gridcell"][aria-selected="true"] button[disabled]')))
        wait.until(EC.text_to_be_present_in_element(
            (css, '[data-component="spotpicker-times-subtitle"]'), "Wednesday, December 2"))
        live = driver.find_element(css, "[aria-live]").get_attribute("textContent")
        assert live == "Times for December 2 are now displayed"
        assert driver.current_url.endswith("/alice-acme/30min?month=2026-12&date=2026-12-02")
        times = driver.find_elements(css, '[data-component="spotpicker-times-list"] > div[role="listitem"]'
                                          ' > button[data-container="time-button"]')
        assert [t.get_attribute("data-start-time") for t in times] == ["9:00am", "9:30am", "2:00pm"]

        zone_button = driver.find_element(css, 'button[data-testid="timezone-button"]')
        assert zone_button.get_attribute("data-timezone") == "Europe/Helsinki"
        assert zone_button.text == "Eastern European Time (10:00am)"
        zone_button.click()
        wait.until(EC.element_to_be_clickable((css, '[role="listbox"] [role="option"][data-timezone="UTC"]'))).click()
        wait.until(EC.text_to_be_present_in_element_attribute(
            (css, 'button[data-container="time-button"]'), "data-start-time", "7:00am"))
        assert driver.find_element(css, 'button[data-testid="timezone-button"]').text == "UTC Time (8:00am)"

        seven = (css, 'button[type="button"][data-container="time-button"][data-start-time="7:00am"]')
        wait.until(EC.element_to_be_clickable(seven)).click()
        wait.until(EC.element_to_be_clickable((css, 'button[aria-label="Next 7:00am"]'))).click()
        wait.until(EC.visibility_of_element_located((css, '[data-container="details"]')))
        assert "/alice-acme/30min/2026-12-02T07:00:00+00:00?month=2026-12&date=2026-12-02" in driver.current_url
        side_panel = driver.find_element(css, '[data-container="side-panel"]').text
        assert "7:00am - 7:30am, Wednesday, December 2, 2026" in side_panel and "UTC Time" in side_panel

        driver.find_element(css, 'input[name="full_name"]').send_keys("Ann Invitee")
        driver.find_element(css, 'input[name="email"]').send_keys("ann@invitee.test")
        assert driver.find_element(css, 'label[for="question_0"]').text == QUESTION
        driver.find_element(css, 'textarea[name="question_0"]').send_keys("Booked by Booker")
        driver.find_element(css, 'button[type="submit"]').click()

        wait.until(EC.text_to_be_present_in_element((css, '[data-container="confirmation"] h1'), "You are scheduled"))
        assert re.search(r"/alice-acme/30min/invitees/[0-9a-f-]+$", driver.current_url)
        assert "You are scheduled with Alice Smith." in driver.find_element(css, '[data-container="confirmation"]').text
        details = driver.find_element(css, '[data-testid="event-details"]').text
        assert "30 Minute Meeting" in details and "7:00am - 7:30am, Wednesday, December 2, 2026" in details
        message = wait.until(lambda d: d.execute_script(
            "return window.__messages.find(m => m && m.event === 'calendly.event_scheduled') || false"))

        [booking] = site.bookings
        assert booking["start_time"] == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
        assert booking["end_time"] - booking["start_time"] == timedelta(minutes=30)
        assert (booking["name"], booking["email"], booking["timezone"]) == ("Ann Invitee", "ann@invitee.test", "UTC")
        assert booking["answers"] == {QUESTION: "Booked by Booker"}
        assert message["payload"]["invitee"]["uri"] == (
            f"{site.url}/scheduled_events/{booking['event_uuid']}/invitees/{booking['invitee_uuid']}")
