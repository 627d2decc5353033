"""The blind second builds of the Google appointment-schedule and Microsoft Bookings pages
(replicas/blind/google_appointments.py, replicas/blind/ms_bookings.py): their endpoints over HTTP, and
one plain Selenium script per build (no Booker code) that books a slot by what a person reads.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from replicas.blind.google_appointments import BlindGoogleAppointments
from replicas.blind.ms_bookings import BlindMsBookings
from replicas.google_appointments import GoogleSchedule
from replicas.mail import Outbox
from replicas.ms_bookings import MsBusiness, MsService, MsStaff
from tests.conftest import NOW
from tests.helpers import plain_chrome

UTC = timezone.utc
SID = "AcZssZ3xBlindTest"
PAGE = "AcmeVentures@acme.test"


def at(days: int, hour: int, minute: int = 0) -> datetime:
    return (NOW + timedelta(days=days)).replace(hour=hour, minute=minute)


def call(url: str, data: bytes | None = None, json_body: Any = None) -> tuple[int, Any]:
    """POST (form or JSON) or GET; returns status and the decoded body (Google's XSSI prefix stripped)."""
    headers = {}
    if json_body is not None:
        data, headers = json.dumps(json_body).encode(), {"Content-Type": "application/json"}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers), timeout=10) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        status, text = err.code, err.read().decode()
    if text.startswith(")]}'"):
        text = text.split("\n", 1)[1]
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


# -- Google, over HTTP ------------------------------------------------------------------------------
def schedule(**kw: Any) -> GoogleSchedule:
    base = dict(id=SID, title="Intro call", owner_name="Olli Owner", owner_email="olli@fund.test",
                slots=[NOW - timedelta(hours=1), at(1, 8), at(1, 9), at(2, 10)],
                busy=[(at(1, 9, 15), at(1, 9, 45))])
    base.update(kw)
    return GoogleSchedule(**base)


def g_slots(site: BlindGoogleAppointments) -> list[datetime]:
    status, body = call(site.url + "/calendar/appointments/rpc/ListAvailableSlots",
                        urllib.parse.urlencode({"schedule": SID}).encode())
    assert status == 200
    assert all(pair[1] == 30 for pair in body["slots"])
    return [datetime.fromtimestamp(int(pair[0][0]), UTC) for pair in body["slots"]]


def g_book(site: BlindGoogleAppointments, start: datetime, **fields: str) -> tuple[int, Any]:
    form = {"schedule": SID, "first": "Ann", "last": "Invitee", "email": "ann@invitee.test",
            "start": str(int(start.timestamp())), **fields}
    return call(site.url + "/calendar/appointments/rpc/CreateAppointment", urllib.parse.urlencode(form).encode())


def test_google_offers_future_free_slots_only_and_respects_busy(clock):
    with BlindGoogleAppointments([schedule()], now=clock) as site:
        assert g_slots(site) == [at(1, 8), at(2, 10)] == site.available_slots(SID)
        clock.advance(days=1, hours=1)  # the clock moves past the first slot
        assert g_slots(site) == [at(2, 10)]


def test_google_booked_slot_is_no_longer_offered_and_cannot_be_booked_twice(clock):
    outbox = Outbox()
    with BlindGoogleAppointments([schedule(questions=["What is it about?"])], now=clock, mail_sink=outbox) as site:
        assert g_book(site, at(1, 8), q0="Seed round") == (200, {"state": "BOOKED", "start": int(at(1, 8).timestamp())})
        row = site.bookings[0]
        assert (row["name"], row["first_name"], row["last_name"], row["email"]) == (
            "Ann Invitee", "Ann", "Invitee", "ann@invitee.test")
        assert (row["start"], row["staff"], row["notes"], row["schedule"]) == (
            at(1, 8).isoformat(), "Olli Owner", "Seed round", SID)
        assert g_slots(site) == [at(2, 10)]
        assert g_book(site, at(1, 8))[1] == {"error": "SLOT_TAKEN"}
        assert len(site.bookings) == 1
        assert {m.to for m in outbox.sent} == {"ann@invitee.test", "olli@fund.test"}


def test_google_requires_the_emailed_pin_and_refuses_a_wrong_one(clock):
    outbox = Outbox()
    sched = schedule(require_email_verification=True, phone=True)
    with BlindGoogleAppointments([sched], now=clock, mail_sink=outbox) as site:
        status, body = g_book(site, at(1, 8))
        assert status == 400 and body["fields"] == ["Phone number"]
        assert g_book(site, at(1, 8), phone="+358 40 1234567") == (200, {"state": "PIN_SENT"})
        pin = site.pin_for(SID, "Ann@Invitee.test")
        assert pin and pin.isdigit()
        assert outbox.sent[-1].to == "ann@invitee.test" and pin in outbox.sent[-1].body
        wrong = str((int(pin) + 1) % 10 ** len(pin)).zfill(len(pin))
        assert g_book(site, at(1, 8), phone="+358 40 1234567", pin=wrong) == (403, {"error": "WRONG_PIN"})
        assert site.bookings == []
        assert g_book(site, at(1, 8), phone="+358 40 1234567", pin=pin)[1]["state"] == "BOOKED"
        assert site.bookings[0]["phone"] == "+358 40 1234567"


def test_google_page_urls_signed_in_variant_and_short_link(clock):
    with BlindGoogleAppointments([schedule(short_code="intro42x")], now=clock) as site:
        for url in (site.booking_url(SID), f"{site.url}/calendar/u/0/appointments/schedules/{SID}",
                    site.short_url(SID)):
            status, html = call(url)
            assert status == 200 and "Intro call" in html and '"schedule": "AcZssZ3xBlindTest"' in html
        assert site.short_url(SID).endswith("/intro42x")
        assert call(f"{site.url}/calendar/appointments/schedules/AcZssZnope")[0] == 404


# -- Microsoft Bookings, over HTTP ------------------------------------------------------------------
def business(**service_kw: Any) -> MsBusiness:
    shared = [at(1, 9), at(1, 10), at(2, 9)]
    services = [MsService("s1", "Intro call", ["ben", "anna"], **service_kw),
                MsService("s2", "Deep dive", ["anna"], duration_minutes=60)]
    staff = [MsStaff("anna", "Anna Partner", "anna@acme.test", shared),
             MsStaff("ben", "Ben Partner", "ben@acme.test", shared[:2])]
    return MsBusiness(PAGE, "Acme Ventures", "Europe/Berlin", services, staff)


def m_book(site: BlindMsBookings, start: datetime, service: str = "s1", staff: str = "any", **kw: Any) -> tuple[int, Any]:
    body = {"serviceId": service, "staffId": staff, "start": start.isoformat(), "name": "Ann Invitee",
            "email": "ann@invitee.test", "notes": "Seed round", **kw}
    return call(f"{site.url}/bookings/service/api/{PAGE}/appointments", json_body=body)


def test_ms_anyone_goes_to_the_first_free_staff_member_in_service_order(clock):
    with BlindMsBookings([business()], now=clock) as site:
        assert site.available_slots(PAGE, "s1") == [at(1, 9), at(1, 10), at(2, 9)]
        assert site.available_slots(PAGE, "s1", "ben") == [at(1, 9), at(1, 10)]
        assert m_book(site, at(1, 9))[0] == 201
        assert m_book(site, at(1, 9))[0] == 201
        assert [(b["staff"], b["staff_id"], b["service"]) for b in site.bookings] == [
            ("Ben Partner", "ben", "Intro call"), ("Anna Partner", "anna", "Intro call")]
        assert at(1, 9) not in site.available_slots(PAGE, "s1")
        assert m_book(site, at(1, 9))[1]["error"]["code"] == "SlotUnavailable"
        row = site.bookings[0]
        assert (row["name"], row["email"], row["notes"], row["start"]) == (
            "Ann Invitee", "ann@invitee.test", "Seed round", at(1, 9).isoformat())


def test_ms_availability_api_respects_a_staff_members_other_bookings(clock):
    biz = business()
    biz.staff[0].slots.append(at(1, 9, 30))
    with BlindMsBookings([biz], now=clock) as site:
        def offered(service: str, staff: list[str]) -> list[str]:
            status, body = call(f"{site.url}/bookings/service/api/{PAGE}/getStaffAvailability",
                                json_body={"serviceId": service, "staffIds": staff})
            assert status == 200
            return [i["startDateTime"]["dateTime"] for s in body["staffAvailabilityResponse"] for i in s["availabilityItems"]]

        assert offered("s2", []) == ["2026-12-02T09:00:00", "2026-12-02T09:30:00", "2026-12-02T10:00:00",
                                     "2026-12-03T09:00:00"]
        assert m_book(site, at(1, 9, 30), staff="anna")[0] == 201  # her 9:30 call overlaps the 9:00 hour-long dive
        assert offered("s2", []) == ["2026-12-02T10:00:00", "2026-12-03T09:00:00"]
        assert offered("s1", ["ben"]) == ["2026-12-02T09:00:00", "2026-12-02T10:00:00"]


def test_ms_without_staff_selection_assigns_and_requires_phone(clock):
    with BlindMsBookings([business(allow_staff_selection=False, phone_required=True)], now=clock) as site:
        status, body = m_book(site, at(1, 9), staff="anna")
        assert status == 400 and body["error"]["fields"] == ["phone"]
        assert m_book(site, at(1, 9), staff="anna", phone="+49 30 1234")[0] == 201
        assert (site.bookings[0]["staff_id"], site.bookings[0]["phone"]) == ("ben", "+49 30 1234")


def test_ms_shared_and_personal_page_urls(clock):
    personal = MsBusiness("0f3c9a@acme.test", "Olli Owner", "Europe/Helsinki",
                          [MsService("m1", "Office hours", ["olli"])],
                          [MsStaff("olli", "Olli Owner", "olli@acme.test", [at(1, 9)])], personal=True)
    with BlindMsBookings([business(), personal], now=clock) as site:
        assert site.booking_url(PAGE) == f"{site.url}/book/{PAGE}/"
        assert site.booking_url("0f3c9a@acme.test").endswith("/bookwithme/user/0f3c9a@acme.test?anonymous&ep=plink")
        for url in (site.booking_url(PAGE) + "?ismsaljsauthenabled=true", site.booking_url("0f3c9a@acme.test"),
                    f"{site.url}/bookwithme/user/0f3c9a@acme.test/meetingtype/m1?anonymous&ep=mlink"):
            assert call(url)[0] == 200
        assert call(f"{site.url}/book/0f3c9a@acme.test/")[0] == 404
        assert m_book(site, at(1, 9), service="m1", staff="anyone-else", **{"name": "Ann Invitee"}) == (404, {
            "error": {"code": "NotFound", "message": "Service not found"}})


# -- plain browser scripts --------------------------------------------------------------------------
@pytest.fixture
def driver() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--window-size=1280,1000", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    with plain_chrome(options) as chrome:
        yield chrome


def wait(driver: webdriver.Chrome, xpath: str, clickable: bool = True) -> WebElement:
    cond = EC.element_to_be_clickable if clickable else EC.visibility_of_element_located
    return WebDriverWait(driver, 20).until(cond((By.XPATH, xpath)))


def by_label(driver: webdriver.Chrome, text: str) -> WebElement:
    """The field a visible label names (a wrapping label or one with ``for``)."""
    label = wait(driver, f"//label[starts-with(normalize-space(.), '{text}')]", clickable=False)
    target = label.get_attribute("for")
    return driver.find_element(By.ID, target) if target else label.find_element(By.XPATH, ".//input|.//textarea")


@pytest.mark.browser
def test_google_blind_page_books_by_reading_it(clock, driver):
    outbox = Outbox()
    sched = schedule(slots=[at(1, 8), at(8, 7, 30)], busy=[], phone=True, questions=["What is it about?"],
                     require_email_verification=True)
    with BlindGoogleAppointments([sched], now=clock, display_timezone="Europe/Helsinki", mail_sink=outbox) as site:
        driver.get(site.booking_url(SID))
        wait(driver, "//h2[normalize-space()='Select an appointment time']", clickable=False)
        wait(driver, "//select[@id=//label[normalize-space()='Times shown in']/@for]/option[@selected and starts-with(., 'Europe/Helsinki')]", clickable=False)
        wait(driver, "//button[normalize-space()='10:00am']")  # 08:00 UTC shown in Helsinki time
        for _ in range(2):  # Dec 1–7 → Dec 3–9
            wait(driver, "//button[@aria-label='Next day']").click()
        wait(driver, "//*[@role='group' and @aria-label='Wednesday, December 9']//button[normalize-space()='9:30am']").click()
        for label, value in (("First name", "Ann"), ("Last name", "Invitee"), ("Email address", "ann@invitee.test"),
                             ("Phone number", "+358 40 1234567"), ("What is it about?", "Our seed round")):
            by_label(driver, label).send_keys(value)
        wait(driver, "//button[normalize-space()='Book']").click()
        by_label(driver, "PIN from your email").send_keys(site.pin_for(SID, "ann@invitee.test") or "")
        wait(driver, "//button[normalize-space()='Submit']").click()
        wait(driver, "//h2[normalize-space()='Appointment booked']", clickable=False)
        assert len(site.bookings) == 1
        row = site.bookings[0]
        assert (row["start"], row["first_name"], row["last_name"], row["phone"], row["notes"]) == (
            at(8, 7, 30).isoformat(), "Ann", "Invitee", "+358 40 1234567", "Our seed round")
        assert site.available_slots(SID) == [at(1, 8)]


@pytest.mark.browser
def test_ms_blind_page_books_a_chosen_person_by_reading_it(clock, driver):
    biz = business(questions=["Company"])
    biz.staff[1].slots.append(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    with BlindMsBookings([biz], now=clock) as site:
        driver.get(site.booking_url(PAGE))
        wait(driver, "//*[@aria-label='Cookie banner']//button[normalize-space()='Accept']").click()
        wait(driver, "//button[.//*[normalize-space()='Intro call']]").click()
        wait(driver, "//label[normalize-space()='Ben Partner']").click()
        wait(driver, "//button[contains(@aria-label, 'forward')]").click()
        wait(driver, "//table[caption[normalize-space()='January 2027']]//button[normalize-space()='5']").click()
        wait(driver, "//label[normalize-space()='10:00 AM']").click()  # 09:00 UTC in Berlin time
        assert driver.find_element(By.CSS_SELECTOR, "input[name=selectedTimeSlot]:checked").get_attribute("value") == (
            "2027-01-05T09:00:00.000Z")
        for label, value in (("Your name", "Ann Invitee"), ("Email address", "ann@invitee.test"),
                             ("Notes", "Our seed round"), ("Company", "Invitee Oy")):
            by_label(driver, label).send_keys(value)
        wait(driver, "//button[normalize-space()='Book']").click()
        alert = wait(driver, "//*[@role='alert']", clickable=False)
        assert "booked" in alert.text and "Ben Partner" in alert.text
        row = site.bookings[0]
        assert (row["staff"], row["staff_id"], row["service"], row["start"], row["name"], row["notes"]) == (
            "Ben Partner", "ben", "Intro call", "2027-01-05T09:00:00+00:00", "Ann Invitee", "Our seed round")
        assert row["answers"] == {"Company": "Invitee Oy"}


@pytest.mark.browser
def test_google_blind_page_says_an_empty_week_and_jumps_to_the_next_bookable_date(clock, driver):
    sched = schedule(slots=[datetime(2026, 12, 20, 10, 0, tzinfo=UTC)], busy=[])
    with BlindGoogleAppointments([sched], now=clock, display_timezone="America/New_York") as site:
        driver.get(site.booking_url(SID))
        wait(driver, "//*[normalize-space()='No availability during these days']", clickable=False)
        wait(driver, "//button[@aria-label='20, Sunday, 1 available time']", clickable=False)
        wait(driver, "//button[@aria-label='30, Monday, November, no available times']", clickable=False)
        wait(driver, "//button[normalize-space()='Jump to the next bookable date']").click()
        wait(driver, "//*[@role='group' and @aria-label='Sunday, December 20']//button[normalize-space()='5:00am']",
             clickable=False)
