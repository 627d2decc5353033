"""The Google appointment-schedule and Microsoft Bookings replicas serve their page, list free slots
and record a booking through their HTTP endpoints, so the platform modules built on them test against
pages that behave like docs/platforms/ says the real ones do."""
from __future__ import annotations

import json
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import pytest
from selenium.webdriver import ChromeOptions
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from replicas.google_appointments import SLOT_TAKEN_MESSAGE as GOOGLE_TAKEN
from replicas.google_appointments import GoogleAppointmentsReplica, GoogleSchedule
from replicas.mail import Outbox
from replicas.ms_bookings import SLOT_TAKEN_MESSAGE as MS_TAKEN
from replicas.ms_bookings import MsBookingsReplica, MsBusiness, MsService, MsStaff
from tests.helpers import plain_chrome

UTC = timezone.utc
HEL = ZoneInfo("Europe/Helsinki")
SCHEDULE = "AcZssZ0demoIntroSchedule"
PAGE = "AcmeIntro@acme.example"


def call(method: str, url: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            raw, status = response.read(), response.status
    except urllib.error.HTTPError as exc:
        raw, status = exc.read(), exc.code
    try:
        return status, json.loads(raw or b"null")
    except ValueError:
        return status, raw.decode()


def page_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="booking-config" type="application/json">(.*?)</script>', html, re.S)
                      .group(1).replace("<\\/", "</"))


def hel(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=HEL)


# -- Google appointment schedules ---------------------------------------------------------------------
def google_schedule(**overrides: Any) -> GoogleSchedule:
    fields: dict[str, Any] = dict(
        id=SCHEDULE, title="Intro call", owner_name="Alice Smith", owner_email="alice@acme.example",
        slots=[hel(1, 9), hel(2, 10), hel(2, 11), hel(9, 14)], questions=["What would you like to discuss?"],
        short_code="x7Kp2", busy=[(hel(2, 11), hel(2, 12))])
    fields.update(overrides)
    return GoogleSchedule(**fields)


@pytest.fixture
def google(clock: Any) -> Iterator[GoogleAppointmentsReplica]:
    outbox = Outbox()
    with GoogleAppointmentsReplica([google_schedule()], now=clock, mail_sink=outbox) as site:
        site.outbox = outbox  # type: ignore[attr-defined]
        yield site


def google_slots(site: GoogleAppointmentsReplica) -> list[datetime]:
    status, body = call("GET", site.booking_url(SCHEDULE) + "/ListAvailableSlots")
    assert status == 200
    return [datetime.fromtimestamp(int(pair[0][0]), UTC) for pair in body["slots"]]


def test_google_page_serves_the_schedule_on_both_url_shapes_and_the_short_link(google):
    status, html = call("GET", google.booking_url(SCHEDULE))
    assert status == 200 and page_config(html)["schedule"]["title"] == "Intro call"
    assert call("GET", f"{google.url}/calendar/u/0/appointments/schedules/{SCHEDULE}")[0] == 200
    with urllib.request.urlopen(google.short_url(SCHEDULE), timeout=5) as response:
        assert response.geturl() == google.booking_url(SCHEDULE)
    assert call("GET", google.booking_url("AcZssZnope"))[0] == 404


def test_google_lists_future_free_slots_without_busy_times(google):
    # 1 Dec 09:00 Helsinki is 07:00 UTC, before "now" (08:00 UTC); 11:00 on the 2nd is busy.
    assert google_slots(google) == [hel(2, 10).astimezone(UTC), hel(9, 14).astimezone(UTC)]


def test_google_booking_is_recorded_mailed_and_its_slot_no_longer_offered(google):
    start = hel(2, 10)
    status, body = call("POST", google.booking_url(SCHEDULE) + "/book", {
        "start": int(start.timestamp()), "first_name": "Eduardo", "last_name": "Paz", "email": "ed@axa.example",
        "answers": {"What would you like to discuss?": "A pilot"}})
    assert status == 200 and body["status"] == "confirmed"
    booking = google.bookings[0]
    assert (booking["name"], booking["email"], booking["notes"], booking["start"], booking["staff"]) == (
        "Eduardo Paz", "ed@axa.example", "A pilot", "2026-12-02T08:00:00+00:00", "Alice Smith")
    assert start.astimezone(UTC) not in google_slots(google)
    assert [m.to for m in google.outbox.sent] == ["ed@axa.example", "alice@acme.example"]
    again = call("POST", google.booking_url(SCHEDULE) + "/book", {
        "start": int(start.timestamp()), "first_name": "Other", "last_name": "Person", "email": "o@x.example"})
    assert again == (409, {"error": GOOGLE_TAKEN}) and len(google.bookings) == 1


def test_google_form_needs_first_and_last_name_and_an_email(google):
    status, body = call("POST", google.booking_url(SCHEDULE) + "/book", {
        "start": int(hel(2, 10).timestamp()), "first_name": "Eduardo", "last_name": "", "email": "ed@axa.example"})
    assert status == 400 and body["error"] == "Enter your first and last name."
    assert google.bookings == []


def test_google_email_verification_asks_for_the_mailed_pin_before_booking(clock):
    outbox = Outbox()
    with GoogleAppointmentsReplica([google_schedule(require_email_verification=True)], now=clock,
                                   mail_sink=outbox) as site:
        form = {"start": int(hel(2, 10).timestamp()), "first_name": "Eduardo", "last_name": "Paz",
                "email": "ed@axa.example"}
        assert call("POST", site.booking_url(SCHEDULE) + "/book", form)[0] == 202
        pin = site.pin_for(SCHEDULE, "ed@axa.example")
        assert pin and pin in outbox.sent[0].body and site.bookings == []
        assert call("POST", site.booking_url(SCHEDULE) + "/book", {**form, "pin": "000000" if pin != "000000"
                                                                    else "111111"})[0] == 400
        assert call("POST", site.booking_url(SCHEDULE) + "/book", {**form, "pin": pin})[0] == 200
        assert [b["email"] for b in site.bookings] == ["ed@axa.example"]


# -- Microsoft Bookings -------------------------------------------------------------------------------
def ms_business(**overrides: Any) -> MsBusiness:
    fields: dict[str, Any] = dict(
        page=PAGE, name="Acme", time_zone="Europe/Helsinki",
        services=[MsService("intro", "Intro meeting", ["alice", "bob"], questions=["Company"]),
                  MsService("demo", "Product demo", ["bob"], duration_minutes=60, allow_staff_selection=False)],
        staff=[MsStaff("alice", "Alice Smith", "alice@acme.example", [hel(2, 10), hel(2, 11)]),
               MsStaff("bob", "Bob Jones", "bob@acme.example", [hel(2, 10), hel(3, 9)])])
    fields.update(overrides)
    return MsBusiness(**fields)


@pytest.fixture
def ms(clock: Any) -> Iterator[MsBookingsReplica]:
    outbox = Outbox()
    with MsBookingsReplica([ms_business()], now=clock, mail_sink=outbox) as site:
        site.outbox = outbox  # type: ignore[attr-defined]
        yield site


def ms_slots(site: MsBookingsReplica, service: str, staff: str = "any") -> dict[str, list[str]]:
    status, body = call("GET", f"{site.url}/book/{PAGE}/api/availability?service={service}&staff={staff}")
    assert status == 200
    return {s["start"]: s["staff"] for s in body["slots"]}


def test_ms_page_serves_services_and_staff_and_the_old_link_redirects(ms):
    status, html = call("GET", ms.booking_url(PAGE))
    config = page_config(html)
    assert status == 200 and [s["name"] for s in config["services"]] == ["Intro meeting", "Product demo"]
    assert [p["name"] for p in config["services"][0]["staff"]] == ["Alice Smith", "Bob Jones"]
    with urllib.request.urlopen(f"{ms.url}/owa/calendar/{PAGE}/bookings/", timeout=5) as response:
        assert response.geturl() == ms.booking_url(PAGE)


def test_ms_availability_is_per_staff_and_anyone_is_their_union(ms):
    ten, eleven = hel(2, 10).astimezone(UTC).isoformat(), hel(2, 11).astimezone(UTC).isoformat()
    assert ms_slots(ms, "intro", "alice") == {ten: ["alice"], eleven: ["alice"]}
    assert ms_slots(ms, "intro") == {ten: ["alice", "bob"], eleven: ["alice"],
                                     hel(3, 9).astimezone(UTC).isoformat(): ["bob"]}


def test_ms_anyone_gets_the_first_free_staff_member_and_the_slot_stays_while_another_is_free(ms):
    ten = hel(2, 10).astimezone(UTC).isoformat()
    form = {"service": "intro", "staff": "any", "start": ten, "name": "Eduardo Paz", "email": "ed@axa.example",
            "notes": "Pilot", "answers": {"Company": "AXA"}}
    status, body = call("POST", f"{ms.url}/book/{PAGE}/api/appointments", form)
    assert status == 200 and body["booking"]["staff"] == "Alice Smith"
    booking = ms.bookings[0]
    assert (booking["name"], booking["email"], booking["notes"], booking["start"]) == (
        "Eduardo Paz", "ed@axa.example", "Pilot\nAXA", "2026-12-02T08:00:00+00:00")
    assert ms_slots(ms, "intro")[ten] == ["bob"] and ten not in ms_slots(ms, "intro", "alice")
    assert call("POST", f"{ms.url}/book/{PAGE}/api/appointments", {**form, "staff": "alice"}) == (409, {"error": MS_TAKEN})
    assert call("POST", f"{ms.url}/book/{PAGE}/api/appointments", form)[1]["booking"]["staff"] == "Bob Jones"
    assert ten not in ms_slots(ms, "intro")
    assert {m.to for m in ms.outbox.sent} == {"ed@axa.example", "alice@acme.example", "bob@acme.example"}


def test_ms_service_without_staff_choice_ignores_a_named_person(ms):
    nine = hel(3, 9).astimezone(UTC).isoformat()
    status, body = call("POST", f"{ms.url}/book/{PAGE}/api/appointments", {
        "service": "demo", "staff": "alice", "start": nine, "name": "Eduardo Paz", "email": "ed@axa.example"})
    assert status == 200 and body["booking"]["staff"] == "Bob Jones"


def test_ms_form_needs_a_name(ms):
    status, body = call("POST", f"{ms.url}/book/{PAGE}/api/appointments", {
        "service": "intro", "start": hel(2, 10).astimezone(UTC).isoformat(), "name": "", "email": "ed@axa.example"})
    assert (status, body["error"]) == (400, "Name is required.") and ms.bookings == []


def test_ms_personal_page_is_served_on_the_bookwithme_shape(clock):
    personal = ms_business(page="0e9110bb331c4a8f9f87d31e93814595@acme.example", personal=True)
    with MsBookingsReplica([personal], now=clock) as site:
        url = site.booking_url(personal.page)
        assert "/bookwithme/user/" in url
        status, html = call("GET", url)
        assert status == 200 and page_config(html)["business"]["personal"] is True


# -- a plain Selenium script books each replica in a real browser -------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture
def driver() -> Iterator[Any]:
    options = ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory(prefix="new-platform-replicas-") as profile:
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--no-first-run",
                    "--disable-sync", "--window-size=1280,900", f"--user-data-dir={profile}"):
            options.add_argument(arg)
        with plain_chrome(options, CHROMEDRIVER) as browser:
            yield browser


def click(wait: Any, xpath: str) -> None:
    """Click what the XPath names once it is clickable (the apps re-render, so find it fresh)."""
    wait.until(EC.element_to_be_clickable((By.XPATH, xpath))).click()


def type_into(wait: Any, xpath: str, text: str) -> None:
    wait.until(EC.visibility_of_element_located((By.XPATH, xpath))).send_keys(text)


@pytest.mark.browser
def test_a_plain_selenium_script_books_the_google_replica(driver: Any, clock: Any) -> None:
    wait = WebDriverWait(driver, 10)
    with GoogleAppointmentsReplica([google_schedule()], now=clock, display_timezone="Europe/Helsinki") as site:
        driver.get(site.short_url(SCHEDULE))
        wait.until(EC.visibility_of_element_located((By.XPATH, "//h2[.='Select an appointment time']")))
        day = driver.find_element(By.XPATH, "//button[starts-with(@aria-label, '2, Wednesday')]")
        assert day.get_attribute("aria-label") == "2, Wednesday, 1 available times"
        click(wait, "//div[@aria-label='Wednesday, December 2']//button[normalize-space()='10:00am']")
        type_into(wait, "//div[@role='dialog']//input[@id='first_name']", "Eduardo")
        type_into(wait, "//div[@role='dialog']//input[@id='last_name']", "Paz")
        type_into(wait, "//div[@role='dialog']//input[@type='email']", "ed@axa.example")
        type_into(wait, "//div[@role='dialog']//textarea", "A pilot")
        click(wait, "//div[@role='dialog']//button[normalize-space()='Book']")
        wait.until(EC.visibility_of_element_located((By.XPATH, "//h1[.='Booking confirmed']")))
        assert [(b["name"], b["start"], b["notes"]) for b in site.bookings] == [
            ("Eduardo Paz", "2026-12-02T08:00:00+00:00", "A pilot")]
        assert site.bookings[0]["time_zone"] == "Europe/Helsinki"


@pytest.mark.browser
def test_a_plain_selenium_script_books_the_microsoft_bookings_replica(driver: Any, clock: Any) -> None:
    wait = WebDriverWait(driver, 10)
    with MsBookingsReplica([ms_business()], now=clock) as site:
        driver.get(site.booking_url(PAGE))
        click(wait, "//label[contains(., 'Intro meeting')]")
        staff = wait.until(EC.visibility_of_element_located((By.XPATH, "//select[@id='staff']")))
        assert Select(staff).first_selected_option.text == "Anyone"
        Select(staff).select_by_visible_text("Bob Jones")
        wait.until(EC.text_to_be_present_in_element((By.XPATH, "//select[@id='staff']/option[@selected]"), "Bob"))
        click(wait, "//button[@aria-label='Wednesday, December 2, 2026']")
        click(wait, "//label[normalize-space()='10:00 AM'][input[@name='selectedTimeSlot']]")
        type_into(wait, "//input[@placeholder='First and last name']", "Eduardo Paz")
        type_into(wait, "//input[@type='email']", "ed@axa.example")
        type_into(wait, "//textarea[@placeholder='Add any special requests']", "Pilot")
        click(wait, "//button[normalize-space()='Book']")
        wait.until(EC.visibility_of_element_located((By.XPATH, "//*[@role='alert']/h2[.='Booking confirmed']")))
        assert [(b["name"], b["staff"], b["start"]) for b in site.bookings] == [
            ("Eduardo Paz", "Bob Jones", "2026-12-02T08:00:00+00:00")]
