"""The blind Slush build (replicas/blind/slush.py) booked in a real headless Chromium.

The shared world (replicas.slush.build_slush(..., build="blind")), the minimal hand-written script
(tests/bench/minimal/blind_slush.py), and one test per notable variant: a profile link, the
consent dialog, loading states under latency, a slot taken meanwhile, the message box that never
opens, the meeting page's statuses (accepted with its table, a new time answered) and a bad login.
"""
from __future__ import annotations

import json
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pytest

from replicas.slush import DEMO_LOGIN, DEMO_PASSWORD, build_slush
from tests.bench.minimal import Invitee, intro_message, waiter
from tests.helpers import plain_chrome

pytestmark = pytest.mark.browser

UTC = timezone.utc
INVITEE = Invitee("Maria Virtanen", "maria.virtanen@axa-innovation.example")
CREDENTIALS = {"login": DEMO_LOGIN, "password": DEMO_PASSWORD}
ALICE_FIRST = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)     # Wed 2 Dec, 10:00 Helsinki
BOB_FIRST = datetime(2026, 12, 2, 12, 15, tzinfo=UTC)     # 14:00 is skipped: 14:15 Helsinki


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    with tempfile.TemporaryDirectory(prefix="blind-slush-") as profile:
        for arg in ("--headless=new", "--no-sandbox", "--window-size=1280,1000", "--disable-dev-shm-usage",
                    f"--user-data-dir={profile}"):
            options.add_argument(arg)
        with plain_chrome(options) as driver:
            yield driver


@pytest.fixture
def driver(browser: Any) -> Any:
    """The shared browser, with no cookies left from the previous test and a Helsinki clock."""
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    browser.get("about:blank")
    browser.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": "Europe/Helsinki"})
    return browser


def mine(site: Any) -> list[Any]:
    return [m for m in site.meetings.values() if m.sender_login == DEMO_LOGIN]


def log_in(driver: Any, site: Any) -> None:
    """A session cookie from the sign-in API, handed to the browser (for tests about later pages)."""
    request = urllib.request.Request(site.url + "/api/auth/sign_in", method="POST",
                                     data=json.dumps({"email": DEMO_LOGIN, "password": DEMO_PASSWORD}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        cookie = answer.headers["Set-Cookie"].split(";")[0]
    name, _, value = cookie.partition("=")
    driver.execute_cdp_cmd("Network.setCookie", {"name": name, "value": value, "url": site.url + "/"})


def assert_booked(site: Any, attendee_id: str, start: datetime) -> None:
    meetings = mine(site)
    assert len(meetings) == 1, meetings
    meeting = meetings[0]
    assert meeting.attendee_id == attendee_id
    assert meeting.start == start
    assert meeting.sender_name == "Eduardo Paz"
    assert meeting.sender_login == DEMO_LOGIN
    assert meeting.message == intro_message(INVITEE).strip()
    assert meeting.status == "pending"


def test_minimal_script_books_first_slot_from_the_people_tab(driver: Any, clock: Any) -> None:
    from tests.bench.minimal.blind_slush import book

    with build_slush(now=clock, build="blind") as site:
        assert type(site).__module__ == "replicas.blind.slush"
        started = time.monotonic()
        book(driver, site.people_url(), INVITEE, **CREDENTIALS)
        print(f"minimal blind Slush booking: {time.monotonic() - started:.2f} s")
        assert site.sign_ins == [DEMO_LOGIN]
        assert_booked(site, "a-1001", ALICE_FIRST)
        assert site.accounts[DEMO_LOGIN.casefold()].quota == 2


def test_profile_link_shows_both_local_times_in_12_hour_clock(driver: Any, clock: Any) -> None:
    from selenium.webdriver.common.by import By

    from tests.bench.minimal.blind_slush import book

    with build_slush(now=clock, build="blind", latency=(0.1, 0.3)) as site:
        log_in(driver, site)
        driver.get(site.people_url("a-1001"))
        wait = waiter(driver)
        dialog = wait.until(lambda d: d.find_element(By.XPATH, "//dialog[@open][.//input[@type='radio']]"))
        assert dialog.find_element(By.TAG_NAME, "h2").text == "Alice Smith"
        assert dialog.find_element(By.TAG_NAME, "legend").text == "Wednesday, 2 December 2026"
        first = dialog.find_element(By.CSS_SELECTOR, "input[type=radio]")
        assert first.accessible_name == "10:00 AM – 10:15 AM your time · 9:00 AM – 9:15 AM Alice’s time"
        assert not dialog.find_element(By.TAG_NAME, "textarea").is_displayed()  # only after a slot is picked

        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        book(driver, site.people_url("a-1002"), INVITEE, **CREDENTIALS)
        assert_booked(site, "a-1002", BOB_FIRST)


def test_consent_dialog_covers_the_page_until_answered(driver: Any, clock: Any) -> None:
    from selenium.common.exceptions import ElementClickInterceptedException
    from selenium.webdriver.common.by import By

    from tests.bench.minimal.blind_slush import book

    with build_slush(now=clock, build="blind", cookie_banner=True) as site:
        driver.get(site.people_url())
        dialog = driver.find_element(By.XPATH, "//dialog[@open]")
        assert dialog.get_attribute("id") == "privacy-preferences"
        assert dialog.find_element(By.TAG_NAME, "h2").text == "Privacy preferences"
        with pytest.raises(ElementClickInterceptedException):
            driver.find_element(By.XPATH, "//button[normalize-space()='Log in']").click()
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        book(driver, site.people_url(), INVITEE, **CREDENTIALS)
        assert_booked(site, "a-1001", ALICE_FIRST)


def test_loading_states_under_latency(driver: Any, clock: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    with build_slush(now=clock, build="blind", latency=(1.0, 1.0)) as site:
        log_in(driver, site)
        driver.get(site.people_url())
        body = driver.find_element(By.CSS_SELECTOR, "table tbody")
        assert body.get_attribute("aria-busy") == "true"
        assert not driver.find_elements(By.XPATH, "//button[normalize-space()='Suggest Meeting']")
        aside = driver.find_element(By.TAG_NAME, "aside")
        assert aside.find_element(By.TAG_NAME, "h2").text == "Meeting Requests Remaining"
        wait = waiter(driver)
        rows = wait.until(lambda d: d.find_elements(By.XPATH, "//button[normalize-space()='Suggest Meeting']"))
        assert [r.text for r in driver.find_elements(By.CSS_SELECTOR, "tbody td:first-child span:first-child")] == [
            "Alice Smith", "Bob Jones", "Alice Smithson"]
        wait.until(EC.element_to_be_clickable(rows[1])).click()
        assert driver.current_url.endswith("/people?profile=a-1002")
        assert driver.find_element(By.XPATH, "//dialog[@open]//*[@role='status']").text == "Loading availability…"
        assert not driver.find_elements(By.XPATH, "//dialog[@open]//input[@type='radio']")
        wait.until(EC.element_to_be_clickable((By.XPATH, "//dialog[@open]//input[@type='radio']")))
        assert aside.find_element(By.CSS_SELECTOR, "p span").text == "3"


def test_slot_taken_meanwhile_shows_the_error_and_fresh_slots(driver: Any, clock: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    modal = "//dialog[@open]"
    with build_slush(now=clock, build="blind") as site:
        site.faults.take_slot_before_request = 1
        log_in(driver, site)
        driver.get(site.people_url("a-1001"))
        wait = waiter(driver)
        wait.until(EC.element_to_be_clickable((By.XPATH, modal + "//input[@type='radio']"))).click()
        wait.until(EC.visibility_of_element_located((By.XPATH, modal + "//textarea"))).send_keys(intro_message(INVITEE))
        wait.until(EC.element_to_be_clickable((By.XPATH, modal + "//button[.='Send meeting request']"))).click()
        alert = wait.until(EC.visibility_of_element_located((By.XPATH, modal + "//*[@role='alert']")))
        assert alert.text == "This time slot is no longer available."
        assert mine(site) == []
        first = wait.until(EC.element_to_be_clickable((By.XPATH, modal + "//label[.//input[@type='radio']]")))
        assert first.text.startswith("10:15 AM – 10:30 AM your time")
        assert driver.find_element(By.XPATH, modal + "//textarea").get_attribute("value") == intro_message(INVITEE)
        assert not driver.find_element(By.XPATH, modal + "//button[.='Send meeting request']").is_enabled()
        first.click()
        wait.until(EC.element_to_be_clickable((By.XPATH, modal + "//button[.='Send meeting request']"))).click()
        wait.until(EC.visibility_of_element_located((By.XPATH, modal + "//*[normalize-space()='Meeting request sent']")))
        assert_booked(site, "a-1001", ALICE_FIRST + timedelta(minutes=15))


def test_message_box_never_opens_when_the_fault_is_on(driver: Any, clock: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    with build_slush(now=clock, build="blind", latency=(0.1, 0.2)) as site:
        site.faults.request_form_never_opens = True
        log_in(driver, site)
        driver.get(site.people_url("a-1001"))
        waiter(driver).until(EC.element_to_be_clickable((By.XPATH, "//dialog[@open]//input[@type='radio']"))).click()
        time.sleep(1.0)
        assert not driver.find_element(By.XPATH, "//dialog[@open]//textarea").is_displayed()
        assert mine(site) == []


def test_meeting_page_shows_confirmed_table_and_answers_a_new_time(driver: Any, clock: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    from tests.bench.minimal.blind_slush import book

    with build_slush(now=clock, build="blind", latency=(0.1, 0.3)) as site:
        book(driver, site.people_url(), INVITEE, **CREDENTIALS)
        wait = waiter(driver)
        driver.find_element(By.XPATH, "//dialog[@open]//a[.='View request']").click()
        status = wait.until(EC.visibility_of_element_located((By.XPATH, "//dt[.='Status']/following-sibling::dd[1]")))
        assert status.text == "Request pending"
        (meeting,) = mine(site)
        assert driver.current_url == site.meeting_url(meeting.id)

        site.accept(meeting.id)
        driver.refresh()
        status = wait.until(EC.visibility_of_element_located((By.XPATH, "//dt[.='Status']/following-sibling::dd[1]")))
        assert status.text == "Confirmed"
        assert driver.find_element(By.XPATH, "//dt[.='Meeting point']/following-sibling::dd[1]").text == "Table 1"
        driver.find_element(By.LINK_TEXT, "Schedule").click()
        item = wait.until(EC.visibility_of_element_located((By.TAG_NAME, "article")))
        assert "Alice Smith" in item.text and "Meeting point: Table 1" in item.text
        assert item.find_element(By.TAG_NAME, "h2").text == "Wed, 2 Dec 2026, 10:00 AM – 10:15 AM"

        bob = site.request_meeting(DEMO_LOGIN, "a-1002", BOB_FIRST, "Hello Bob")
        new_start = BOB_FIRST + timedelta(minutes=30)
        site.reschedule(bob.id, new_start)
        driver.get(site.meeting_url(bob.id))
        status = wait.until(EC.visibility_of_element_located((By.XPATH, "//dt[.='Status']/following-sibling::dd[1]")))
        assert status.text == "Bob suggested another time"
        wait.until(EC.element_to_be_clickable((By.XPATH, "//button[.='Accept proposed time']"))).click()
        wait.until(EC.text_to_be_present_in_element((By.XPATH, "//dt[.='Status']/following-sibling::dd[1]"), "Confirmed"))
        assert bob.status == "accepted" and bob.start == new_start and bob.table == "Table 2"


def test_wrong_password_shows_the_login_error(driver: Any, clock: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC

    with build_slush(now=clock, build="blind", latency=(0.1, 0.2)) as site:
        driver.get(site.people_url())
        assert driver.find_element(By.TAG_NAME, "h2").text == "Log in"
        driver.find_element(By.XPATH, "//label[contains(., 'Email')]//input").send_keys(DEMO_LOGIN)
        driver.find_element(By.XPATH, "//label[contains(., 'Password')]//input").send_keys("wrong")
        driver.find_element(By.XPATH, "//button[.='Log in']").click()
        alert = waiter(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[role=alert]")))
        assert alert.text == "Invalid login credentials. Please try again."
        assert "/sign-in" in driver.current_url and site.sign_ins == []
