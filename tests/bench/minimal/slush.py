"""Slush matchmaking: sign in → People → "Suggest Meeting" on Bob Jones → first 15-minute slot → message → Send request."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from replicas.slush import DEMO_LOGIN, DEMO_PASSWORD
from tests.bench.minimal import Invitee, booking_url, intro_message, minimal, waiter

PERSON = "Bob Jones"


@minimal("slush")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(booking_url(world))
    wait.until(EC.visibility_of_element_located((By.ID, "email"))).send_keys(DEMO_LOGIN)
    driver.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    driver.find_element(By.XPATH, '//form[@id="sign-in-form"]//button[@type="submit"]').click()
    suggest = (By.XPATH, f'//li[@data-testid="person-card"][.//*[normalize-space(.)="{PERSON}"]]//button')
    wait.until(EC.element_to_be_clickable(suggest)).click()
    first_slot = (By.CSS_SELECTOR, '[data-testid="timeslots"][data-loaded="true"] [data-testid="timeslot"]')
    wait.until(EC.element_to_be_clickable(first_slot)).click()
    wait.until(EC.visibility_of_element_located((By.ID, "message"))).send_keys(intro_message(invitee))
    driver.find_element(By.CSS_SELECTOR, '[data-testid="send-request"]').click()
    wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="request-sent"]')))
