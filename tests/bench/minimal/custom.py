"""Nordlys Studio (custom page): person → first free day → first time → Continue → details → e-mailed code → Confirm booking."""
from __future__ import annotations

import re
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from tests.bench.minimal import Invitee, booking_url, intro_message, minimal, waiter

PERSON = "Mia Berg"


def _emailed_code(world: Any, invitee: Invitee) -> str | None:
    for mail in reversed(world.service.mailbox.all):
        found = re.search(r"verification code is (\d{6})", mail.body)
        if mail.to == invitee.email and found:
            return found.group(1)
    return None


@minimal("custom")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(booking_url(world))
    Select(wait.until(EC.element_to_be_clickable((By.ID, "staff")))).select_by_visible_text(PERSON)
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "table#cal td.avail"))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "ul#times input[name=slot]"))).click()
    driver.find_element(By.CSS_SELECTOR, "#step1 input[type=submit]").click()
    wait.until(EC.visibility_of_element_located((By.NAME, "firstname"))).send_keys(invitee.first)
    driver.find_element(By.NAME, "lastname").send_keys(invitee.last)
    driver.find_element(By.NAME, "email").send_keys(invitee.email)
    driver.find_element(By.NAME, "tel").send_keys(invitee.phone)
    driver.find_element(By.NAME, "company").send_keys("AXA Innovation")
    driver.find_element(By.NAME, "notes").send_keys(intro_message(invitee))
    driver.find_element(By.XPATH, '//button[normalize-space(.)="Send verification code"]').click()
    code = wait.until(lambda _: _emailed_code(world, invitee))
    wait.until(EC.visibility_of_element_located((By.NAME, "otp"))).send_keys(code)
    driver.find_element(By.CSS_SELECTOR, 'input[type=submit][value="Confirm booking"]').click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "Your appointment is booked"))
