"""The blind HubSpot Meetings build (replicas/blind/hubspot.py) books end to end in a real browser.

Each test boots the shared world (``build_hubspot(build="blind")``), books with the minimal
hand-written script of tests/bench/minimal/blind_hubspot.py and checks what the replica recorded.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from replicas.blind.hubspot import BlindHubSpotReplica
from replicas.hubspot import SLOT_TAKEN_MESSAGE
from replicas.world import build_hubspot
from tests.bench.minimal import Invitee, intro_message
from tests.bench.minimal.blind_hubspot import OPEN_DAY, book
from tests.helpers import plain_chrome

pytestmark = pytest.mark.browser

UTC = timezone.utc
ANN = Invitee("Ann Invitee", "ann@invitee.test")


@pytest.fixture
def driver() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--window-size=1280,1000", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    with plain_chrome(options) as chrome:
        yield chrome


def world(clock: Any, **options: Any) -> BlindHubSpotReplica:
    site = build_hubspot(now=clock, build="blind", **options)
    assert type(site) is BlindHubSpotReplica
    return site


def only_booking(site: BlindHubSpotReplica) -> dict:
    assert len(site.bookings) == 1, site.bookings
    return site.bookings[0]


def assert_booked(row: dict, host: str, start: datetime, minutes: int = 30, status: str = "confirmed") -> None:
    assert (row["host_slug"], row["start"], row["duration_minutes"], row["status"]) == (host, start, minutes, status)
    assert (row["first_name"], row["last_name"], row["name"], row["email"]) == ("Ann", "Invitee", ANN.name, ANN.email)
    assert row["form_fields"] == {"company": "AXA Innovation", "message": intro_message(ANN)}


def test_personal_link_books_the_first_slot(clock, driver):
    with world(clock) as site:
        started = time.monotonic()
        book(driver, site.link_url("lena-zeta/intro"), ANN)
        print(f"minimal booking took {time.monotonic() - started:.2f}s")
        assert_booked(only_booking(site), "lena-zeta", datetime(2026, 12, 2, 7, 0, tzinfo=UTC))
        assert "You're booked with Lena Virta." in driver.find_element(By.TAG_NAME, "main").text
        assert "uuid=" in driver.current_url  # [V] ?uuid= gets added to the address


def test_sixty_minute_duration(clock, driver):
    with world(clock) as site:
        book(driver, site.link_url("lena-zeta/intro"), ANN, minutes=60)
        assert_booked(only_booking(site), "lena-zeta", datetime(2026, 12, 2, 7, 0, tzinfo=UTC), minutes=60)


def test_round_robin_link_gives_the_meeting_to_the_free_owner(clock, driver):
    with world(clock) as site:
        book(driver, site.link_url("eta-foods/intro"), ANN)
        row = only_booking(site)
        assert_booked(row, "nina-eta", datetime(2026, 12, 2, 8, 0, tzinfo=UTC))  # 10:00 Helsinki: only Nina works then
        assert row["host_name"] == "Nina Aho"


def test_offline_link_sends_a_request(clock, driver):
    with world(clock) as site:
        book(driver, site.link_url("olli-theta"), ANN)
        row = only_booking(site)
        assert_booked(row, "olli-theta", datetime(2026, 12, 2, 10, 0, tzinfo=UTC), status="requested")
        assert row["calendar_event_id"] is None
        assert driver.find_element(By.TAG_NAME, "h1").text == "Meeting request sent"


def test_privacy_dialog_covers_the_page_until_answered(clock, driver):
    with world(clock, cookie_banner=True) as site:
        driver.get(site.link_url("lena-zeta/intro"))
        dialog = driver.find_element(By.ID, "pp-consent")
        assert dialog.get_attribute("open") is not None and dialog.accessible_name == "Privacy preferences"
        assert driver.execute_script("return document.querySelector('dialog:modal') !== null")
        book(driver, site.link_url("lena-zeta/intro"), ANN)
        assert not driver.find_element(By.ID, "pp-consent").get_attribute("open")
        assert "pp_consent=all" in driver.execute_script("return document.cookie")
        assert_booked(only_booking(site), "lena-zeta", datetime(2026, 12, 2, 7, 0, tzinfo=UTC))


def test_roles_and_names_follow_the_recorded_tree(clock, driver):
    """platforms.md §3.2/§3.5 [V]: names and roles, in the display zone the site is set to."""
    with world(clock, display_timezone="Europe/Helsinki") as site:
        wait = WebDriverWait(driver, 15)
        driver.get(site.link_url("lena-zeta/intro"))
        assert driver.title == "Intro Chat with Zeta Robotics"
        day = wait.until(EC.element_to_be_clickable((By.XPATH, OPEN_DAY)))
        table = driver.find_element(By.TAG_NAME, "table")
        assert table.accessible_name == "Select a day in December" and day.accessible_name == "December 2nd"
        assert driver.find_element(By.TAG_NAME, "h3").text == "December 2026"
        assert [b.accessible_name for b in driver.find_elements(By.CSS_SELECTOR, "button.css-nv81bt")] == \
            ["View November", "View January"]
        day.click()
        status = driver.find_element(By.TAG_NAME, "output")
        assert status.aria_role == "status"
        group = driver.find_element(By.CSS_SELECTOR, "[role=radiogroup]")
        assert group.accessible_name == "Meeting duration"
        assert [r.text for r in group.find_elements(By.CSS_SELECTOR, "[role=radio]")] == ["30 mins", "60 mins"]
        slot = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "li label input[type=checkbox]")))
        assert slot.accessible_name == "9:00 am on December 2nd" and slot.aria_role == "checkbox"
        region = slot.find_element(By.XPATH, "ancestor::section[1]")
        assert region.aria_role == "region" and region.accessible_name == "What time works best?"
        assert "Showing times for December 2, 2026" in region.text
        zone = region.find_element(By.CSS_SELECTOR, "button[aria-haspopup]")
        assert zone.accessible_name == ("Select a timezone to display available times in. "
                                        "Currently displaying UTC +02:00 Eastern European Time")
        assert zone.text.endswith("▾")
        assert status.get_attribute("textContent") == \
            "Now displaying start times for 30 mins blocks available on December 2nd."
        slot.click()
        wait.until(EC.visibility_of_element_located((By.XPATH, "//h3[.='Your information']")))
        assert status.get_attribute("textContent") == \
            "Now displaying a form to confirm your meeting for Wednesday, December 2, 2026 9:00 AM."
        assert driver.find_element(By.TAG_NAME, "h4").text == "Wednesday, December 2, 2026 9:00 AM"
        assert driver.find_element(By.XPATH, "//button[.='Edit']").accessible_name == \
            "Click to change the meeting date or time"
        names = [f.accessible_name for f in driver.find_elements(By.CSS_SELECTOR, "form input[required], form textarea")]
        assert names == ["First name *", "Last name *", "Your email address *", "Company name *",
                         "What would you like to discuss?"]
        assert not driver.find_element(By.XPATH, "//button[.='Confirm']").is_enabled()
        steps = driver.find_elements(By.CSS_SELECTOR, "ol li")
        assert [s.text.endswith(name) for s, name in zip(steps, ["CHOOSE TIME", "YOUR INFO"])] == [True, True]
        assert "completed" in steps[0].get_attribute("class") and "completed" not in steps[1].get_attribute("class")


def test_days_stay_disabled_until_the_slow_availability_arrives(clock, driver):
    with world(clock) as site:
        site.hang(r"/meetings-public/v3/book/availability-page")  # availability held back until released
        driver.get(site.link_url("lena-zeta/intro"))
        WebDriverWait(driver, 5).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table button")))
        days = driver.find_elements(By.CSS_SELECTOR, "table button")
        assert days and not any(d.is_enabled() for d in days)
        assert driver.find_element(By.CSS_SELECTOR, "section[aria-busy]").get_attribute("aria-busy") == "true"
        site.hang(None)
        WebDriverWait(driver, 10).until(EC.element_to_be_clickable((By.XPATH, OPEN_DAY)))
        assert driver.find_element(By.CSS_SELECTOR, "section[aria-busy]").get_attribute("aria-busy") == "false"
        first_day = driver.find_element(By.CSS_SELECTOR, "table button")  # 1 December: today, no times left
        assert first_day.is_enabled() and first_day.get_attribute("aria-disabled") == "true"


def reach_the_form(driver: webdriver.Chrome, url: str) -> WebDriverWait:
    wait = WebDriverWait(driver, 15)
    driver.get(url)
    wait.until(EC.element_to_be_clickable((By.XPATH, OPEN_DAY))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "li label input[type=checkbox]"))).click()
    return wait


def test_a_slot_taken_meanwhile_shows_the_servers_message(clock, driver):
    with world(clock) as site:
        site.faults.take_slot_before_submit = 1
        wait = reach_the_form(driver, site.link_url("lena-zeta/intro") + "?firstName=Ann&lastName=Invitee"
                              "&email=ann%40invitee.test&company=AXA%20Innovation")
        wait.until(EC.element_to_be_clickable((By.XPATH, "//button[.='Confirm']"))).click()
        alert = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
        assert SLOT_TAKEN_MESSAGE in alert.text and site.bookings == []
        alert.find_element(By.XPATH, ".//button[.='Pick another time']").click()
        wait.until(EC.element_to_be_clickable((By.XPATH, OPEN_DAY))).click()
        first = wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "li label input[type=checkbox]")))
        assert first.accessible_name == "7:30 am on December 2nd"  # 07:00 UTC is gone


def test_embedded_page_skips_the_dialog_and_tells_its_host_page(clock, driver):
    """?embed=true [S]: no consent dialog, no ?uuid=, and the host page hears meetingBookSucceeded [S]."""
    with world(clock, cookie_banner=True) as site:
        driver.get(site.url + "/host-page/not-a-link")  # any same-origin page can play the startup's site
        driver.execute_script("window.heard = []; addEventListener('message', e => heard.push(e.data));"
                              "var f = document.createElement('iframe'); f.src = arguments[0];"
                              "f.style = 'width:1000px;height:900px'; document.body.appendChild(f);",
                              site.link_url("lena-zeta/intro") + "?embed=true&firstName=Ann&lastName=Invitee"
                              "&email=ann%40invitee.test&company=AXA%20Innovation")
        wait = WebDriverWait(driver, 15)
        wait.until(EC.frame_to_be_available_and_switch_to_it((By.TAG_NAME, "iframe")))
        wait.until(EC.element_to_be_clickable((By.XPATH, OPEN_DAY))).click()
        assert driver.find_elements(By.CSS_SELECTOR, "dialog") == [] and "uuid=" not in driver.execute_script("return location.href")
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "li label input[type=checkbox]"))).click()
        wait.until(EC.element_to_be_clickable((By.XPATH, "//button[.='Confirm']"))).click()
        wait.until(EC.visibility_of_element_located((By.XPATH, "//h1[.='Booking confirmed']")))
        driver.switch_to.default_content()
        heard = WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.heard"))
        start = int(datetime(2026, 12, 2, 7, 0, tzinfo=UTC).timestamp() * 1000)
        assert heard[0]["meetingBookSucceeded"] is True
        assert heard[0]["meetingsPayload"]["bookingResponse"]["postResponse"]["timerange"]["start"] == start
        row = only_booking(site)
        assert (row["host_slug"], row["name"], row["form_fields"]["company"]) == ("lena-zeta", ANN.name, "AXA Innovation")


def test_info_step_never_renders_fault(clock, driver):
    with world(clock) as site:
        site.faults.info_step_never_renders = True
        reach_the_form(driver, site.link_url("lena-zeta/intro"))
        time.sleep(1.0)
        assert driver.find_elements(By.XPATH, "//h3[.='Your information']") == []
        assert driver.find_element(By.CSS_SELECTOR, "li label input[type=checkbox]").is_selected()
