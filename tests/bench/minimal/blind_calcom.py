"""Minimal Selenium booking of the blind Cal.com build: the first offered slot, by hand.

``extra``: ``member="Gia Rossi"`` picks a team member on a team page; any other key fills the
input of that name (a custom question such as ``company``).
"""
from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import intro_message, waiter


def book(driver, url: str, invitee, **extra) -> None:
    wait = waiter(driver)
    driver.get(url)
    for button in driver.find_elements(By.XPATH, '//dialog[@open]//button[normalize-space()="Allow all"]'):
        button.click()
    member = extra.pop("member", None)
    if member:
        wait.until(EC.element_to_be_clickable((By.XPATH, '//button[normalize-space()="Book a team member"]'))).click()
        wait.until(EC.element_to_be_clickable((By.XPATH, f'//a[contains(., "{member}")]'))).click()
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "main a h3"))).click()
    # Day buttons stay disabled until the month's availability arrives; past days stay disabled.
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "table button:not([disabled])"))).click()
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "button[data-time]"))).click()
    wait.until(EC.visibility_of_element_located((By.NAME, "name"))).send_keys(invitee.name)
    driver.find_element(By.NAME, "email").send_keys(invitee.email)
    driver.find_element(By.NAME, "notes").send_keys(intro_message(invitee))
    for name, value in extra.items():
        driver.find_element(By.NAME, name).send_keys(value)
    driver.find_element(By.CSS_SELECTOR, 'button[type="submit"]').click()
    wait.until(EC.visibility_of_element_located((By.ID, "modal-headline")))
