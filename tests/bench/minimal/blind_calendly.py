"""Minimal hand-written Selenium booking of the blind Calendly build (replicas/blind/calendly.py)."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.bench.minimal import intro_message


def book(driver: WebDriver, url: str, invitee: Any, **extra: Any) -> None:
    """Books the first offered slot; ``host=`` picks a team page's card, ``answers=`` fills more fields by name."""
    wait = WebDriverWait(driver, 15, poll_frequency=0.1)
    click = lambda xpath: wait.until(EC.element_to_be_clickable((By.XPATH, xpath))).click()  # noqa: E731
    driver.get(url)
    for button in driver.find_elements(By.XPATH, "//dialog[@open]//button[normalize-space()='I understand']"):
        button.click()
    if extra.get("host"):
        click(f"//a[.//*[normalize-space()='{extra['host']}']]")
    click("//button[contains(@aria-label, ' - Times available')]")
    click("(//section//li/button)[1]")
    click("//button[starts-with(@aria-label, 'Next ')]")
    email = wait.until(EC.element_to_be_clickable((By.NAME, "email")))
    if driver.find_elements(By.NAME, "first_name"):
        driver.find_element(By.NAME, "first_name").send_keys(invitee.first)
        driver.find_element(By.NAME, "last_name").send_keys(invitee.last)
    else:
        driver.find_element(By.NAME, "full_name").send_keys(invitee.name)
    email.send_keys(invitee.email)
    driver.find_element(By.NAME, "question_0").send_keys(intro_message(invitee))
    for name, text in (extra.get("answers") or {}).items():
        driver.find_element(By.NAME, name).send_keys(text)
    driver.find_element(By.XPATH, "//button[@type='submit']").click()
    wait.until(EC.visibility_of_element_located((By.XPATH, "//h2[normalize-space()='You are scheduled']")))
