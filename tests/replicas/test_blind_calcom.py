"""The blind Cal.com build: booked by hand with plain Selenium, it must record exactly what was typed.

Boots ``replicas.world.build_calcom(build="blind")`` (Dana instant, Erik with host confirmation and a
required "Company", the Epsilon team page and its round-robin event) and drives it with
``tests/bench/minimal/blind_calcom.py``. The clock is Mon 1 Dec 2026 08:00 UTC; Chromium runs in UTC.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import ElementClickInterceptedException, TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from replicas.blind.calcom import BlindCalComReplica
from replicas.world import build_calcom
from tests.bench.minimal import Invitee, intro_message
from tests.bench.minimal.blind_calcom import book
from tests.helpers import plain_chrome

pytestmark = pytest.mark.browser

UTC = timezone.utc
INVITEE = Invitee("Maria Lindqvist", "maria.lindqvist@axa-innovation.example")
FAST = (0.05, 0.15)


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--window-size=1280,1000", "--disable-gpu"):
        options.add_argument(flag)
    with plain_chrome(options) as browser:
        yield browser


@pytest.fixture
def world(clock: Any) -> Iterator[Any]:
    started: list[BlindCalComReplica] = []

    def make(**options: Any) -> BlindCalComReplica:
        options.setdefault("latency", FAST)
        site = build_calcom(now=clock, build="blind", **options)
        started.append(site)
        return site.start()  # type: ignore[return-value]

    yield make
    for site in started:
        site.stop()


def visible(site: BlindCalComReplica) -> list[dict[str, Any]]:
    return [b for b in site.bookings if not b["hidden"]]


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 2, hour, minute, tzinfo=UTC)


def assert_booked(site: BlindCalComReplica, host: str, start: datetime, status: str = "accepted") -> dict[str, Any]:
    rows = visible(site)
    assert len(rows) == 1, rows
    row = rows[0]
    assert (row["host_username"], row["start"], row["status"]) == (host, start, status)
    assert (row["name"], row["email"]) == (INVITEE.name, INVITEE.email)
    assert row["notes"] == intro_message(INVITEE)
    assert row["source"] == "web"
    return row


def wait(driver: Any, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds, poll_frequency=0.05)


def test_world_builds_the_blind_class_with_the_same_data(clock: Any) -> None:
    first, blind = build_calcom(now=clock), build_calcom(now=clock, build="blind")
    assert type(blind) is BlindCalComReplica and isinstance(blind, type(first))
    assert {u: [e.slug for e in x.event_types] for u, x in blind.users.items()} == \
           {u: [e.slug for e in x.event_types] for u, x in first.users.items()}
    assert blind.users["erik-delta"].event_types[0].requires_confirmation
    assert blind.teams["epsilon"].members == ["finn-epsilon", "gia-epsilon"]


def test_instant_event_is_booked_and_scheduled(driver: Any, world: Any) -> None:
    site = world(latency=(0.3, 0.9))
    began = time.monotonic()
    book(driver, site.event_url("dana-gamma", "intro"), INVITEE)
    print(f"minimal script: {time.monotonic() - began:.2f} s")
    row = assert_booked(site, "dana-gamma", at(7))
    assert row["time_zone"] == "UTC" and row["guests"] == []
    assert driver.find_element(By.ID, "modal-headline").text == "This meeting is scheduled"
    assert "isSuccessBookingPage=true" in driver.current_url and f"/booking/{row['uid']}" in driver.current_url
    assert driver.find_element(By.CSS_SELECTOR, '[data-testid="booking-host-name"]').text == "Dana Berg"
    assert driver.title == "Booking Confirmed | Cal.com"


def test_event_that_needs_confirmation_asks_for_the_company_and_stays_pending(driver: Any, world: Any) -> None:
    site = world()
    url = site.event_url("erik-delta", "meet")
    driver.get(url)
    aside = driver.find_element(By.TAG_NAME, "aside").text
    assert "Requires confirmation" in aside and "Meet Delta Energy" in aside
    book(driver, url, INVITEE, company="AXA Innovation")
    row = assert_booked(site, "erik-delta", at(8), status="pending")
    assert row["responses"]["company"] == "AXA Innovation"
    assert driver.find_element(By.ID, "modal-headline").text == "Your booking has been submitted"
    assert "Erik Lund still needs to confirm or reject the booking" in driver.page_source


def test_the_required_company_blocks_the_submit_until_filled(driver: Any, world: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    site = world()
    monkeypatch.setattr("tests.bench.minimal.STEP_TIMEOUT", 3)
    with pytest.raises(TimeoutException):
        book(driver, site.event_url("erik-delta", "meet"), INVITEE)
    assert visible(site) == []
    company = driver.find_element(By.NAME, "company")
    assert company.get_attribute("required") is not None
    assert driver.find_element(By.XPATH, '//label[.//input[@name="company"]]').text.startswith("Company *")


def test_team_page_lets_the_guest_pick_a_member(driver: Any, world: Any) -> None:
    site = world()
    book(driver, site.team_url("epsilon"), INVITEE, member="Gia Rossi")
    assert_booked(site, "gia-epsilon", at(9))


def test_round_robin_team_event_assigns_the_host(driver: Any, world: Any) -> None:
    site = world()
    book(driver, site.team_event_url("epsilon", "meet-epsilon"), INVITEE)
    row = assert_booked(site, "gia-epsilon", at(9))  # 11:00 Helsinki: only Gia works then
    assert row["team_slug"] == "epsilon"
    assert driver.find_element(By.CSS_SELECTOR, '[data-testid="booking-host-name"]').text == "Gia Rossi"


def test_privacy_dialog_covers_the_page_until_answered(driver: Any, world: Any) -> None:
    site = world(cookie_banner=True)
    url = site.event_url("dana-gamma", "intro")
    driver.get(url)
    dialog = driver.find_element(By.CSS_SELECTOR, "dialog[open]")
    assert dialog.is_displayed() and "Privacy preferences" in dialog.text
    day = wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table button:not([disabled])")))
    with pytest.raises(ElementClickInterceptedException):
        day.click()
    book(driver, url, INVITEE)
    assert_booked(site, "dana-gamma", at(7))
    driver.get(url)  # the answer is remembered
    assert driver.find_elements(By.CSS_SELECTOR, "dialog") == []


def test_newer_build_without_test_ids_still_books(driver: Any, world: Any) -> None:
    site = world(platform_hooks=False)
    url = site.event_url("dana-gamma", "intro")
    driver.get(url)
    wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, 'button[data-disabled="false"]')))
    assert driver.find_elements(By.CSS_SELECTOR, "[data-testid]") == []
    book(driver, url, INVITEE)
    assert_booked(site, "dana-gamma", at(7))
    assert driver.find_elements(By.CSS_SELECTOR, "[data-testid]") == []


def test_loading_states_slot_texts_and_url(driver: Any, world: Any) -> None:
    site = world(latency=(0.7, 0.8), display_timezone="Europe/Helsinki")
    driver.get(site.event_url("dana-gamma", "intro"))
    days = driver.find_elements(By.CSS_SELECTOR, 'button[data-testid="day"]')
    assert len(days) == 31 and all(d.get_attribute("data-disabled") == "true" and not d.is_enabled() for d in days)
    assert "today" in days[0].get_attribute("textContent")
    first = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'button[data-testid="day"][data-disabled="false"]')))
    assert first.text == "2"
    first.click()
    assert driver.find_elements(By.CSS_SELECTOR, '[data-testid="time"]') == []  # skeleton first
    slot = wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-testid="time"]')))
    assert (slot.text, slot.get_attribute("data-time")) == ("9:00am", "2026-12-02T07:00:00.000Z")
    assert driver.find_element(By.CSS_SELECTOR, "#booker-times h3").text == "Wed 02"
    assert "month=2026-12&date=2026-12-02" in driver.current_url
    driver.find_element(By.XPATH, '//label[normalize-space()="24h"]').click()
    slot = driver.find_element(By.CSS_SELECTOR, '[data-testid="time"]')
    assert slot.text == "09:00"
    assert driver.execute_script("return localStorage.getItem('timeOption.is24hClock')") == "true"
    slot.click()
    wait(driver).until(EC.visibility_of_element_located((By.NAME, "name")))
    assert "slot=2026-12-02T07%3A00%3A00.000Z" in driver.current_url
    assert driver.find_element(By.ID, "booker-when").text == "Wednesday, December 2, 2026\n09:00 – 09:30"
    assert driver.find_element(By.XPATH, '//label[.//input[@name="name"]]').text.startswith("Your name*")
    assert driver.find_element(By.CSS_SELECTOR, '[data-testid="confirm-book-button"]').text == "Confirm"


def to_form(driver: Any, url: str) -> None:
    driver.get(url)
    wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "table button:not([disabled])"))).click()
    wait(driver).until(EC.element_to_be_clickable((By.CSS_SELECTOR, "button[data-time]"))).click()


def test_a_slot_taken_meanwhile_shows_the_failure(driver: Any, world: Any) -> None:
    site = world()
    site.faults.take_slot_before_submit = 1
    to_form(driver, site.event_url("dana-gamma", "intro"))
    wait(driver).until(EC.visibility_of_element_located((By.NAME, "name"))).send_keys(INVITEE.name)
    driver.find_element(By.NAME, "email").send_keys(INVITEE.email)
    driver.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    alert = wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="booking-fail"]')))
    assert alert.get_attribute("role") == "alert" and "already has booking" in alert.text
    assert visible(site) == []


def test_form_never_renders_fault(driver: Any, world: Any) -> None:
    site = world()
    site.faults.form_never_renders = True
    to_form(driver, site.event_url("dana-gamma", "intro"))
    with pytest.raises(TimeoutException):
        WebDriverWait(driver, 2).until(EC.presence_of_element_located((By.NAME, "name")))


def test_api_down_leaves_the_booking_page_working(driver: Any, world: Any) -> None:
    site = world()
    site.faults.api_down = True
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(f"{site.url}/v2/slots?eventTypeId=1001&start=2026-12-02&end=2026-12-03")
    assert failure.value.code == 503
    book(driver, site.event_url("dana-gamma", "intro"), INVITEE)
    assert_booked(site, "dana-gamma", at(7))


def test_api_answers_late_pages_fast_and_md_summary(world: Any) -> None:
    site = world(latency=(0.4, 0.4))
    began = time.monotonic()
    urllib.request.urlopen(site.event_url("erik-delta", "meet")).read()
    assert time.monotonic() - began < 0.3
    began = time.monotonic()
    body = json.load(urllib.request.urlopen(f"{site.url}/v2/slots?eventTypeSlug=meet&username=erik-delta"
                                            "&start=2026-12-02&end=2026-12-02&timeZone=Europe/Helsinki"))
    assert time.monotonic() - began >= 0.4
    assert body["data"]["2026-12-02"][0] == {"start": "2026-12-02T10:00:00.000+02:00"}
    text = urllib.request.urlopen(site.event_url("erik-delta", "meet") + ".md").read().decode()
    assert "Host: Erik Lund" in text and "it stays pending until they accept it" in text
