"""The blind Chili Piper build books end to end with a hand-written script, in each of its variants."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from replicas.blind.chilipiper import SLOT_GONE, BlindChiliPiperReplica
from replicas.startup_site import StartupSite, chilipiper_concierge
from replicas.world import build_chilipiper
from tests.bench.minimal import Invitee, intro_message, waiter
from tests.bench.minimal.blind_chilipiper import DAY, SLOT, _details, book
from tests.helpers import plain_chrome

pytestmark = pytest.mark.browser

UTC = timezone.utc
ADA = Invitee("Ada Lovelace", "ada@axa-innovation.example")
DISCUSS = "What would you like to discuss?"


@pytest.fixture
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--window-size=1280,1000"):
        options.add_argument(flag)
    with plain_chrome(options) as browser:
        yield browser


def only_booking(site: BlindChiliPiperReplica) -> dict:
    assert len(site.bookings) == 1, site.bookings
    return site.bookings[0]


def assert_guest(row: dict, answers: dict) -> None:
    assert (row["name"], row["first_name"], row["last_name"]) == ("Ada Lovelace", "Ada", "Lovelace")
    assert (row["email"], row["phone"]) == (ADA.email, ADA.phone)
    assert row["answers"] == answers


def test_booking_link_opens_on_the_calendar_and_asks_for_details_after_the_slot(clock, driver):
    """book/iota-intro: the first slot (Wed 2 Dec 07:00 UTC) goes to Quentin, the first free one in order."""
    with build_chilipiper(now=clock, build="blind") as site:
        assert isinstance(site, BlindChiliPiperReplica)
        started = time.monotonic()
        book(driver, site.link_url("book/iota-intro"), ADA)
        print(f"minimal script: {time.monotonic() - started:.2f} s")
        assert driver.find_element(By.XPATH, '//p[contains(., "calendar invitation to")]').text.endswith(f"{ADA.email}.")
        row = only_booking(site)
    assert (row["link"], row["assignee_name"]) == ("book/iota-intro", "Quentin Moreau")
    assert row["start"] == datetime(2026, 12, 2, 7, 0, tzinfo=UTC) and row["timezone"] == "UTC"
    assert_guest(row, {DISCUSS: intro_message(ADA)})


def test_concierge_router_asks_first_offers_a_call_then_schedules(clock, driver):
    """The Kappa router: guest form with a required Company, "Schedule a meeting", the week, a review step."""
    with build_chilipiper(now=clock, build="blind") as site:
        book(driver, site.link_url("concierge-router/kappa-inbound"), ADA, company="AXA Innovation")
        row = only_booking(site)
    assert (row["link"], row["assignee_name"]) == ("concierge-router/kappa-inbound", "Rasmus Holm")
    assert row["start"] == datetime(2026, 12, 2, 13, 0, tzinfo=UTC) and row["trigger"] is None
    assert_guest(row, {"Company": "AXA Innovation", DISCUSS: intro_message(ADA)})


def test_router_inside_a_startups_page_posts_booked_then_confirmed(clock, driver):
    """The router in an iframe on Kappa's site: UTC from the URL, no consent dialog, the [V] messages."""
    with build_chilipiper(now=clock, build="blind", cookie_banner=True) as site, \
            StartupSite() as startup:
        page = startup.add_page("/contact", "Kappa Cloud", chilipiper_concierge(
            site.router_frame_url("kappa-inbound", "https://kappa.example/contact")))
        book(driver, page, ADA)
        row = only_booking(site)
        deadline = time.monotonic() + 5
        while "booking-confirmed" not in startup.message_kinds() and time.monotonic() < deadline:
            time.sleep(0.05)
        kinds = startup.message_kinds()
    assert (row["trigger"], row["timezone"], row["assignee_name"]) == ("ThirdPartyForm", "UTC", "Rasmus Holm")
    assert kinds.index("availability-loaded") < kinds.index("booked") < kinds.index("booking-confirmed")
    assert_guest(row, {"Company": "AXA Innovation", DISCUSS: intro_message(ADA)})


def test_consent_dialog_covers_the_page_until_answered(clock, driver):
    """cookie_banner: a "Privacy preferences" dialog over a full-page backdrop; "Allow all" lets the booking on."""
    with build_chilipiper(now=clock, build="blind", cookie_banner=True) as site:
        driver.get(site.link_url("book/iota-intro"))
        dialog = driver.find_element(By.XPATH, '//dialog[@aria-labelledby="privacy-heading"]')
        assert dialog.find_element(By.ID, "privacy-heading").text == "Privacy preferences"
        waiter(driver).until(EC.presence_of_element_located(DAY))
        on_top = driver.execute_script("return document.elementFromPoint(innerWidth / 2, 40).closest('#privacy-backdrop') !== null")
        assert on_top
        book(driver, site.link_url("book/iota-intro"), ADA)  # a fresh load: the dialog is there again
        assert driver.find_elements(By.ID, "privacy-backdrop") == []
        driver.get(site.link_url("book/iota-intro"))  # consent given: no dialog on the next visit
        assert driver.find_elements(By.ID, "privacy-backdrop") == []
        assert only_booking(site)["assignee_name"] == "Quentin Moreau"


def test_hooks_off_leaves_only_input_names(clock, driver):
    """platform_hooks=False: no data-id / data-test-id anywhere, field names stay; the kept hooks exist otherwise."""
    with build_chilipiper(now=clock, build="blind", platform_hooks=True) as site:
        driver.get(site.link_url("book/iota-intro"))
        waiter(driver).until(EC.element_to_be_clickable(DAY))
        assert driver.find_elements(By.CSS_SELECTOR, '[data-id="calendar-day-button"]')
        assert driver.find_elements(By.CSS_SELECTOR, '[data-id="next-week-button"]')
    with build_chilipiper(now=clock, build="blind", platform_hooks=False) as site:
        driver.get(site.link_url("concierge-router/kappa-inbound"))
        waiter(driver).until(EC.presence_of_element_located((By.NAME, "FirstName")))
        names = [e.get_attribute("name") for e in driver.find_elements(By.CSS_SELECTOR, "input, textarea")]
        assert names[:4] == ["FirstName", "LastName", "Email", "Phone"]
        assert driver.find_elements(By.CSS_SELECTOR, "[data-id], [data-test-id]") == []
        _details(driver, waiter(driver), ADA, "AXA Innovation")
        waiter(driver).until(EC.element_to_be_clickable((By.XPATH, '//button[.="Schedule a meeting"]'))).click()
        waiter(driver).until(EC.element_to_be_clickable(DAY)).click()
        waiter(driver).until(EC.element_to_be_clickable(SLOT))
        assert driver.find_elements(By.CSS_SELECTOR, "[data-id], [data-test-id]") == []
        book(driver, site.link_url("concierge-router/kappa-inbound"), ADA)
        assert only_booking(site)["start"] == datetime(2026, 12, 2, 13, 0, tzinfo=UTC)


def test_taken_slot_sends_the_guest_back_to_the_week_with_details_kept(clock, driver):
    """take_slot_before_submit: the first try is refused, the day's list no longer offers it, the next time books."""
    with build_chilipiper(now=clock, build="blind") as site:
        site.faults.take_slot_before_submit = 1
        wait = waiter(driver)
        driver.get(site.link_url("book/iota-intro"))
        wait.until(EC.element_to_be_clickable(DAY)).click()
        wait.until(EC.element_to_be_clickable(SLOT)).click()
        _details(driver, wait, ADA, "AXA Innovation")
        alert = wait.until(EC.visibility_of_element_located((By.XPATH, '//div[@role="alert"]')))
        assert alert.text == SLOT_GONE and site.bookings == []
        first = wait.until(EC.element_to_be_clickable(SLOT))
        assert first.text == "7:30 AM"
        first.click()
        assert wait.until(EC.element_to_be_clickable((By.NAME, "Email"))).get_attribute("value") == ADA.email
        _details(driver, wait, ADA, "AXA Innovation")
        wait.until(EC.visibility_of_element_located((By.XPATH, '//h1[.="Meeting scheduled"]')))
        assert only_booking(site)["start"] == datetime(2026, 12, 2, 7, 30, tzinfo=UTC)


def test_display_zone_names_the_zone_and_formats_slots_in_it(clock, driver):
    """display_timezone=Europe/Helsinki: "9:00 AM", the zone line with its clock and "▾"; days stay disabled while loading."""
    with build_chilipiper(now=clock, build="blind", display_timezone="Europe/Helsinki", latency=(1.0, 1.0)) as site:
        driver.get(site.link_url("book/iota-intro"))
        days = driver.find_elements(By.XPATH, '//button[contains(., "Press enter to navigate available slots")]')
        assert len(days) == 7 and all(not d.is_enabled() for d in days)
        assert driver.find_element(By.XPATH, '//div[@role="status"]').text.strip() == "Loading availability…"
        waiter(driver).until(EC.element_to_be_clickable(DAY)).click()
        slot = waiter(driver).until(EC.element_to_be_clickable(SLOT))
        assert slot.text == "9:00 AM"
        assert driver.find_element(By.ID, "cp-stage").text.startswith("When would you like to meet?")
        zone = driver.find_element(By.XPATH, '//button[@aria-haspopup="listbox"]').text
        assert zone == "Eastern European Standard Time (10:00 AM) ▾"
        selected = driver.find_element(By.XPATH, '//button[@aria-pressed="true"]')
        assert selected.get_attribute("textContent") == (
            "Wednesday 2nd December Press enter to navigate available slots Wed 2 Dec is selected")
        assert driver.find_element(By.XPATH, "//h2[contains(., '2026')]").text == "Wednesday, December 2, 2026"
        book(driver, site.link_url("book/iota-intro"), ADA)
        row = only_booking(site)
    assert row["start"] == datetime(2026, 12, 2, 7, 0, tzinfo=UTC) and row["timezone"] == "Europe/Helsinki"


def test_calendar_that_never_renders_keeps_its_spinner(clock, driver):
    """calendar_never_renders: the week strip stays disabled behind "Loading availability…"; nothing is booked."""
    with build_chilipiper(now=clock, build="blind", latency=(0, 0)) as site:
        site.faults.calendar_never_renders = True
        driver.get(site.link_url("book/iota-intro"))
        time.sleep(1.5)
        days = driver.find_elements(By.XPATH, '//button[contains(., "Press enter to navigate available slots")]')
        assert days and not any(d.is_enabled() for d in days)
        assert driver.find_element(By.XPATH, '//div[@role="status"]').text.strip() == "Loading availability…"
        assert site.bookings == []
