"""Lindenhof Praxis (blind any-page 1): consultant → first open day → first time → details → Confirm booking.

``world`` here is the page itself (:class:`replicas.blind.anypage.Page1`): anything with ``booking_url``.
"""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from tests.bench.minimal import Invitee, intro_message, minimal, waiter

PERSON = "Ben Koski"


@minimal("anypage_1")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(world.booking_url)
    Select(wait.until(EC.element_to_be_clickable((By.ID, "consultant")))).select_by_visible_text(PERSON)
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#month td button:enabled"))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#times button"))).click()
    wait.until(EC.visibility_of_element_located((By.ID, "fn"))).send_keys(invitee.first)
    driver.find_element(By.ID, "ln").send_keys(invitee.last)
    driver.find_element(By.ID, "em").send_keys(invitee.email)
    driver.find_element(By.ID, "ph").send_keys(invitee.phone)
    driver.find_element(By.ID, "nt").send_keys(intro_message(invitee))
    driver.find_element(By.ID, "confirm").click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Booking confirmed"))
