"""Aurora Ventures (blind any-page 4): Accept all cookies → into the iframe → person card → first open day →
first time → details → Schedule meeting.

``world`` here is the page itself (:class:`replicas.blind.anypage.Page4`): anything with ``booking_url``.
"""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import Invitee, intro_message, minimal, waiter

PERSON = "Anna Virtanen"


@minimal("anypage_4")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(world.booking_url)
    wait.until(EC.element_to_be_clickable((By.XPATH, '//div[@role="dialog"]//button[.="Accept all"]'))).click()
    wait.until(EC.invisibility_of_element_located((By.ID, "consent-layer")))
    wait.until(EC.frame_to_be_available_and_switch_to_it((By.ID, "scheduler")))
    try:
        wait.until(EC.element_to_be_clickable(
            (By.XPATH, f'//button[contains(@class,"card")][contains(., "Book with {PERSON}")]'))).click()
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#days button:enabled"))).click()
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#times button"))).click()
        wait.until(EC.visibility_of_element_located((By.ID, "n"))).send_keys(invitee.name)
        driver.find_element(By.ID, "e").send_keys(invitee.email)
        driver.find_element(By.ID, "t").send_keys(intro_message(invitee))
        driver.find_element(By.XPATH, '//button[normalize-space(.)="Schedule meeting"]').click()
        wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#done h2"), "You're all set!"))
    finally:
        driver.switch_to.default_content()
