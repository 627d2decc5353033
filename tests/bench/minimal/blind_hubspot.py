"""Minimal hand-written booking of the blind HubSpot Meetings build (replicas/blind/hubspot.py)."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import intro_message, waiter

OPEN_DAY = "//table[starts-with(caption, 'Select a day')]//button[not(@disabled) and not(@aria-disabled='true')]"
DONE = "//h1[normalize-space()='Booking confirmed' or normalize-space()='Meeting request sent']"


def book(driver: WebDriver, url: str, invitee: Any, company: str = "AXA Innovation", minutes: int | None = None,
         **extra: Any) -> None:
    wait = waiter(driver)
    driver.get(url)
    for button in driver.find_elements(By.XPATH, "//dialog[@open]//button[normalize-space()='Allow all']"):
        button.click()
    wait.until(EC.element_to_be_clickable((By.XPATH, OPEN_DAY))).click()
    if minutes:
        driver.find_element(By.XPATH, f"//*[@role='radio'][normalize-space()='{minutes} mins']").click()
    wait.until(EC.element_to_be_clickable((By.XPATH, "//li//label/input[@type='checkbox']"))).click()
    fields = {"First name": invitee.first, "Last name": invitee.last, "Your email address": invitee.email,
              "Company name": company, "What would you like to discuss?": intro_message(invitee)}
    for label, value in fields.items():
        box = wait.until(EC.visibility_of_element_located(
            (By.XPATH, f"//label[span[starts-with(normalize-space(), '{label}')]]/*[self::input or self::textarea]")))
        box.clear()
        box.send_keys(value)
    wait.until(EC.element_to_be_clickable((By.XPATH, "//button[normalize-space()='Confirm']"))).click()
    wait.until(EC.visibility_of_element_located((By.XPATH, DONE)))
