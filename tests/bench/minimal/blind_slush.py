"""Minimal Selenium booking on the blind Slush build: log in, Suggest Meeting, first slot, message, send."""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import intro_message, waiter

MODAL = "//dialog[@open]"


def _consent(driver: WebDriver) -> None:
    for button in driver.find_elements(By.XPATH, MODAL + "//button[normalize-space()='Only necessary']"):
        button.click()


def book(driver: WebDriver, url: str, invitee: Any, **extra: Any) -> None:
    wait = waiter(driver)
    driver.get(url)
    _consent(driver)
    if "/sign-in" in driver.current_url:
        driver.find_element(By.XPATH, "//label[contains(., 'Email')]//input").send_keys(extra["login"])
        driver.find_element(By.XPATH, "//label[contains(., 'Password')]//input").send_keys(extra["password"])
        driver.find_element(By.XPATH, "//button[normalize-space()='Log in']").click()
        wait.until(lambda d: "/sign-in" not in d.current_url)
        _consent(driver)
    if "profile=" not in driver.current_url:
        wait.until(EC.element_to_be_clickable((By.XPATH, "//button[normalize-space()='Suggest Meeting']"))).click()
    wait.until(EC.element_to_be_clickable((By.XPATH, MODAL + "//input[@type='radio']"))).click()
    wait.until(EC.visibility_of_element_located((By.XPATH, MODAL + "//textarea"))).send_keys(intro_message(invitee))
    wait.until(EC.element_to_be_clickable((By.XPATH, MODAL + "//button[.='Send meeting request']"))).click()
    wait.until(EC.visibility_of_element_located((By.XPATH, MODAL + "//*[normalize-space()='Meeting request sent']")))
