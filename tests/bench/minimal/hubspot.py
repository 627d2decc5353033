"""HubSpot Meetings: first open day → first time → Your information → Confirm → "Booking confirmed"."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import Invitee, booking_url, intro_message, minimal, waiter

COMPANY = "AXA Innovation"


@minimal("hubspot")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(booking_url(world))
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'table[aria-label^="Select a day in "] button:enabled'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[role="region"][aria-label="What time works best?"] [role="checkbox"]'))).click()
    first_name = wait.until(EC.visibility_of_element_located((By.NAME, "firstName")))
    first_name.send_keys(invitee.first)
    driver.find_element(By.NAME, "lastName").send_keys(invitee.last)
    driver.find_element(By.NAME, "email").send_keys(invitee.email)
    driver.find_element(By.NAME, "company").send_keys(COMPANY)
    driver.find_element(By.NAME, "message").send_keys(intro_message(invitee))
    wait.until(EC.element_to_be_clickable((By.XPATH, '//button[normalize-space(.)="Confirm"]'))).click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "h2"), "Booking confirmed"))
