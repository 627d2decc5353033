"""Chili Piper concierge in a startup's iframe: guest form → Schedule a meeting → first time → Confirm → "You're booked!"."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import Invitee, booking_url, intro_message, minimal, waiter

COMPANY = "AXA Innovation"


@minimal("embed")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(booking_url(world))
    wait.until(EC.frame_to_be_available_and_switch_to_it((By.CSS_SELECTOR, 'iframe[title="Schedule a time | Chili Piper"]')))
    first_name = wait.until(EC.visibility_of_element_located((By.NAME, "FirstName")))
    first_name.send_keys(invitee.first)
    driver.find_element(By.NAME, "LastName").send_keys(invitee.last)
    driver.find_element(By.NAME, "Email").send_keys(invitee.email)
    driver.find_element(By.NAME, "Phone").send_keys(invitee.phone)
    driver.find_element(By.XPATH, '//label[starts-with(normalize-space(.), "Company")]/following-sibling::input').send_keys(COMPANY)
    driver.find_element(By.CSS_SELECTOR, '[data-test-id="GuestForm"] textarea').send_keys(intro_message(invitee))
    driver.find_element(By.CSS_SELECTOR, '[data-test-id="GuestForm-submit-button"]').click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-test-id="ConciergeLiveBox-book"]'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-id="time-slot-button"]'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, '[data-id="confirm-button"]'))).click()
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-id="booking-confirmed"]')))
