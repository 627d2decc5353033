"""Calendly: day → time → Next → details → Schedule Event → "You are scheduled"."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import Invitee, booking_url, intro_message, minimal, waiter


@minimal("calendly")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(booking_url(world))
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'table[aria-label="Select a Day"] button[aria-label$="- Times available"]'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'button[data-container="time-button"]'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'button[aria-label^="Next "]'))).click()
    email = wait.until(EC.visibility_of_element_located((By.NAME, "email")))
    names = driver.find_elements(By.NAME, "full_name")
    if names:
        names[0].send_keys(invitee.name)
    else:
        driver.find_element(By.NAME, "first_name").send_keys(invitee.first)
        driver.find_element(By.NAME, "last_name").send_keys(invitee.last)
    email.send_keys(invitee.email)
    driver.find_element(By.NAME, "question_0").send_keys(intro_message(invitee))
    driver.find_element(By.XPATH, '//button[@type="submit"]').click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "You are scheduled"))
