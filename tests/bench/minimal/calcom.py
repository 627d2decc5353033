"""Cal.com: first open day → first time → name, e-mail, notes → Confirm → "This meeting is scheduled"."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import Invitee, booking_url, intro_message, minimal, waiter


@minimal("calcom")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(booking_url(world))
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'button[data-testid="day"][data-disabled="false"]'))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, 'button[data-testid="time"]'))).click()
    name = wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, 'form [name="name"]')))
    name.send_keys(invitee.name)
    driver.find_element(By.CSS_SELECTOR, 'form [name="email"]').send_keys(invitee.email)
    driver.find_element(By.CSS_SELECTOR, 'form [name="notes"]').send_keys(intro_message(invitee))
    driver.find_element(By.CSS_SELECTOR, '[data-testid="confirm-book-button"]').click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "modal-headline"), "This meeting is scheduled"))
