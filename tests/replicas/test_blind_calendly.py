"""The blind Calendly build (replicas/blind/calendly.py), booked by its minimal hand-written script.

Each test boots the shared world data on the blind build and checks what the replica recorded.
"""
from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Callable, Iterator

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from replicas.calendly import DEFAULT_QUESTION, SLOT_TAKEN_MESSAGE
from replicas.world import build_calendly
from tests.bench.minimal import Invitee, intro_message
from tests.bench.minimal.blind_calendly import book
from tests.helpers import plain_chrome

pytestmark = pytest.mark.browser

INVITEE = Invitee("Maria Virtanen", "maria@axa-innovation.example")
NO_HOOKS_JS = """
const hooked = [];
for (const el of document.querySelectorAll('*')) {
  for (const attr of el.getAttributeNames()) if (attr.startsWith('data-')) hooked.push(el.tagName + ' ' + attr);
}
for (const id of ['full_name_input', 'email_input']) if (document.getElementById(id)) hooked.push('#' + id);
return hooked;
"""


@pytest.fixture
def driver() -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--window-size=1280,1000"):
        options.add_argument(argument)
    with plain_chrome(options) as chrome:
        yield chrome


@pytest.fixture
def boot(clock: Any) -> Iterator[Callable[..., Any]]:
    started: list[Any] = []

    def start(**options: Any) -> Any:
        site = build_calendly(now=clock, build="blind", **options)
        site.start()
        started.append(site)
        return site

    yield start
    for site in started:
        site.stop()


def wait(driver: Any, seconds: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, seconds, poll_frequency=0.1)


def only_booking(site: Any) -> dict[str, Any]:
    with site.lock:
        assert len(site.bookings) == 1, site.bookings
        return dict(site.bookings[0])


def assert_booked(site: Any, host: str, start: datetime, **expected: Any) -> dict[str, Any]:
    row = only_booking(site)
    assert row["host_slug"] == host
    assert row["start_time"] == start
    assert row["email"] == INVITEE.email
    assert row["answers"][DEFAULT_QUESTION] == intro_message(INVITEE).strip()
    for key, value in expected.items():
        assert row[key] == value, key
    if "name" not in expected:
        assert row["name"] == INVITEE.name
    return row


def test_single_host_event_is_booked_with_default_latency(boot: Any, driver: Any) -> None:
    site = boot()
    first = site.available_slots("alice-acme", "intro")[0]
    began = time.monotonic()
    book(driver, site.event_url("alice-acme", "intro"), INVITEE)
    print(f"minimal script: {time.monotonic() - began:.2f} s")
    row = assert_booked(site, "alice-acme", first, event_type="intro", path="/alice-acme/intro", team_slug=None)
    assert driver.current_url == site.confirmation_url(row["invitee_uuid"])
    assert driver.title == "Event Scheduled - Calendly"
    assert "You are scheduled with Alice Smith" in driver.find_element(By.TAG_NAME, "main").text


def test_team_page_cards_name_their_hosts_and_book_bob(boot: Any, driver: Any) -> None:
    site = boot(latency=(0.05, 0.2))
    driver.get(site.team_url("acme"))
    cards = driver.find_elements(By.CSS_SELECTOR, "main li a")
    assert [c.text.splitlines()[:2] for c in cards] == [
        ["Alice Smith", "Intro with the Acme team"], ["Bob Jones", "Intro with the Acme team"]]
    assert len(driver.find_elements(By.CSS_SELECTOR, 'div[data-id="event-type-header-title"]')) == 2
    first = site.available_slots("bob-acme", "intro")[0]
    book(driver, site.team_url("acme"), INVITEE, host="Bob Jones")
    assert_booked(site, "bob-acme", first, path="/bob-acme/intro")


def test_round_robin_link_assigns_the_first_free_member(boot: Any, driver: Any) -> None:
    site = boot(latency=(0.05, 0.2))
    first = min(site.available_slots("alice-acme", "intro")[0], site.available_slots("bob-acme", "intro")[0])
    book(driver, site.round_robin_url("acme"), INVITEE)
    assert_booked(site, "alice-acme", first, team_slug="acme", path="/d/acme/intro")
    assert "You are scheduled with Alice Smith" in driver.page_source


def test_split_name_form_with_a_required_extra_question(boot: Any, driver: Any) -> None:
    site = boot(latency=(0.05, 0.2))
    event = site.hosts["carla-beta"].event_types[0]
    event.questions = [DEFAULT_QUESTION, "Company name"]
    event.required_questions = True
    first = site.available_slots("carla-beta", "30min")[0]
    book(driver, site.event_url("carla-beta", "30min"), INVITEE, answers={"question_1": "AXA Innovation"})
    row = assert_booked(site, "carla-beta", first, first_name="Maria", last_name="Virtanen", name="Maria Virtanen")
    assert row["answers"]["Company name"] == "AXA Innovation"


def test_required_question_left_empty_is_refused_on_the_page(boot: Any, driver: Any) -> None:
    site = boot(latency=(0, 0))
    event = site.hosts["carla-beta"].event_types[0]
    event.required_questions = True
    start = site.available_slots("carla-beta", "30min")[0].isoformat()
    driver.get(f"{site.event_url('carla-beta', '30min')}/{start}?first_name=Maria&last_name=Virtanen&email=m%40x.example")
    driver.find_element(By.XPATH, "//button[@type='submit']").click()
    note = wait(driver, 5).until(EC.visibility_of_element_located((By.ID, "err-question_0")))
    assert note.text == "Can't be blank."
    assert driver.find_element(By.NAME, "question_0").get_attribute("aria-invalid") == "true"
    assert site.bookings == []


def test_display_timezone_shows_new_york_times(boot: Any, driver: Any) -> None:
    site = boot(display_timezone="America/New_York", latency=(0.05, 0.2))
    first = site.available_slots("alice-acme", "intro")[0]  # 07:00 UTC (9:00 in Helsinki) = 2:00am in New York
    driver.get(site.event_url("alice-acme", "intro"))
    zone = driver.find_element(By.CSS_SELECTOR, "button[aria-haspopup='menu']")
    wait(driver).until(lambda d: "Eastern" in zone.text)
    assert zone.text.endswith("▾")
    assert zone.accessible_name.startswith("Time zone Eastern Standard Time (")
    assert not zone.accessible_name.endswith("▾")
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, "//button[contains(@aria-label,' - Times available')]"))).click()
    times = wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "section li button"))
    assert times[0].text == "2:00am" and times[0].get_attribute("data-start-time") == "2:00am"
    book(driver, site.event_url("alice-acme", "intro"), INVITEE)
    assert_booked(site, "alice-acme", first, timezone="America/New_York")
    assert "2:00am – 2:30am · Wednesday, December 2, 2026" in driver.page_source


def test_consent_dialog_covers_the_page_until_answered(boot: Any, driver: Any) -> None:
    site = boot(cookie_banner=True, latency=(0.05, 0.2))
    driver.get(site.event_url("alice-acme", "intro"))
    dialog = driver.find_element(By.CSS_SELECTOR, "dialog[open]")
    assert dialog.accessible_name == "Privacy preferences"
    assert driver.execute_script("return document.querySelector('dialog').matches(':modal')")
    assert not driver.find_elements(By.ID, "onetrust-accept-btn-handler")
    first = site.available_slots("alice-acme", "intro")[0]
    book(driver, site.event_url("alice-acme", "intro"), INVITEE)
    assert_booked(site, "alice-acme", first)
    driver.get(site.event_url("alice-acme", "intro"))  # answered once: remembered by its cookie
    assert not driver.find_elements(By.CSS_SELECTOR, "dialog[open]")


def test_page_without_platform_hooks_is_still_bookable(boot: Any, driver: Any) -> None:
    site = boot(platform_hooks=False, latency=(0.05, 0.2))
    url = site.event_url("alice-acme", "intro")
    driver.get(url)
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, "//button[contains(@aria-label,' - Times available')]"))).click()
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, "(//section//li/button)[1]"))).click()
    assert driver.find_element(By.XPATH, "//button[starts-with(@aria-label,'Next ')]").text == "Next"
    assert driver.execute_script(NO_HOOKS_JS) == []
    first = site.available_slots("alice-acme", "intro")[0]
    driver.get(f"{url}/{first.isoformat()}")
    assert driver.find_element(By.NAME, "full_name") and driver.find_element(By.NAME, "email")
    assert driver.execute_script(NO_HOOKS_JS) == []
    driver.get(site.team_url("acme"))
    assert driver.execute_script(NO_HOOKS_JS) == []
    book(driver, url, INVITEE)
    assert_booked(site, "alice-acme", first)
    assert driver.execute_script(NO_HOOKS_JS) == []


def test_loading_states_and_url_shapes(boot: Any, driver: Any) -> None:
    site = boot(latency=(1.0, 1.0))
    driver.get(site.event_url("alice-acme", "intro"))
    days = driver.find_elements(By.CSS_SELECTOR, "[role=table] button")
    assert days and all(not d.is_enabled() for d in days)  # placeholders until availability answers
    assert driver.find_element(By.CSS_SELECTOR, "[role=table]").get_attribute("aria-busy") == "true"
    assert "month=" not in driver.current_url
    day = wait(driver).until(EC.element_to_be_clickable((By.XPATH, "//button[contains(@aria-label,' - Times available')]")))
    assert driver.current_url.endswith("/alice-acme/intro?month=2026-12")
    assert day.get_attribute("aria-label") == "Wednesday, December 2 - Times available"
    day.click()
    assert driver.current_url.endswith("?month=2026-12&date=2026-12-02")
    assert driver.find_element(By.CSS_SELECTOR, "section h2").text == "Wednesday, December 2, 2026"
    assert driver.find_elements(By.CSS_SELECTOR, "section li[aria-hidden=true]")  # skeleton rows first
    assert not day.is_enabled()
    assert day.find_element(By.XPATH, "..").get_attribute("aria-selected") == "true"
    slot = wait(driver).until(EC.element_to_be_clickable((By.XPATH, "(//section//li/button)[1]")))
    status = driver.find_element(By.CSS_SELECTOR, "[role=status]")
    assert status.get_attribute("textContent") == "Times for December 2 are now displayed"
    assert slot.text == "7:00am" and not driver.find_elements(By.CSS_SELECTOR, "section li[aria-hidden=true]")
    slot.click()
    next_button = driver.find_element(By.XPATH, "//button[@aria-label='Next 7:00am']")
    assert not slot.is_enabled() and next_button.text == "Next"
    next_button.click()
    wait(driver).until(EC.presence_of_element_located((By.NAME, "full_name")))
    assert driver.current_url.endswith("/alice-acme/intro/2026-12-02T07:00:00+00:00?month=2026-12&date=2026-12-02")
    assert driver.find_element(By.ID, "full_name_input").get_attribute("name") == "full_name"
    assert driver.find_element(By.CSS_SELECTOR, '[data-container="side-panel"]').is_displayed()


def test_slot_taken_at_submit_shows_the_message_and_records_nothing(boot: Any, driver: Any) -> None:
    site = boot(latency=(0.05, 0.2))
    site.faults.take_slot_before_submit = 1
    with pytest.raises(TimeoutException):
        book(driver, site.event_url("alice-acme", "intro"), INVITEE)
    alert = driver.find_element(By.CSS_SELECTOR, "form [role=alert]")
    assert SLOT_TAKEN_MESSAGE in alert.text and "Choose another time" in alert.text
    assert site.bookings == []


def test_details_form_never_renders_and_hung_page(boot: Any, driver: Any) -> None:
    site = boot(latency=(0, 0))
    site.faults.details_form_never_renders = True
    url = site.event_url("alice-acme", "intro")
    driver.get(url)
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, "//button[contains(@aria-label,' - Times available')]"))).click()
    wait(driver).until(EC.element_to_be_clickable((By.XPATH, "(//section//li/button)[1]"))).click()
    driver.find_element(By.XPATH, "//button[starts-with(@aria-label,'Next ')]").click()
    time.sleep(1.5)
    assert not driver.find_elements(By.NAME, "full_name")
    driver.get(f"{url}/{site.available_slots('alice-acme')[0].isoformat()}")  # the direct link stalls too
    assert not driver.find_elements(By.NAME, "full_name")
    assert driver.find_element(By.CSS_SELECTOR, "[role=progressbar]")
    site.faults.hang_booking_page = True
    driver.set_page_load_timeout(2)
    with pytest.raises(TimeoutException):
        driver.get(url)
    assert site.bookings == []
