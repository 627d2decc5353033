"""Chili Piper: guest form → Submit → first time of the first open day → Confirm → "You're booked!"."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import Invitee, booking_url, intro_message, minimal, waiter


@minimal("chilipiper")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(booking_url(world))
    first_name = wait.until(EC.visibility_of_element_located((By.NAME, "FirstName")))
    first_name.send_keys(invitee.first)
    driver.find_element(By.NAME, "LastName").send_keys(invitee.last)
    driver.find_element(By.NAME, "Email").send_keys(invitee.email)
    driver.find_element(By.NAME, "Phone").send_keys(invitee.phone)
    driver.find_element(By.CSS_SELECTOR, '[data-test-id="GuestForm"] textarea').send_keys(intro_message(invitee))
    driver.find_element(By.CSS_SELECTOR, '[data-test-id="GuestForm-submit-button"]').click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-id="time-slot-button"]'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-id="confirm-button"]'))).click()
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-id="booking-confirmed"]')))
