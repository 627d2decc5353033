"""Northwind Partners (blind any-page 2): host radio → first slot radio → Continue → details → Request meeting.

``world`` here is the page itself (:class:`replicas.blind.anypage.Page2`): anything with ``booking_url``.
"""
from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC

from tests.bench.minimal import Invitee, intro_message, minimal, waiter

PERSON = "Ben Koski"
COMPANY = "AXA Innovation"


@minimal("anypage_2")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(world.booking_url)
    host = wait.until(EC.element_to_be_clickable(
        (By.XPATH, f'//fieldset//label[normalize-space(.)="{PERSON}"]/input[@name="host"]')))
    if not host.is_selected():  # choosing a host reloads the week for them
        page = driver.find_element(By.TAG_NAME, "html")
        host.click()
        wait.until(EC.staleness_of(page))
    wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "input[name=slot]"))).click()
    driver.find_element(By.XPATH, '//button[normalize-space(.)="Continue"]').click()
    wait.until(EC.visibility_of_element_located((By.ID, "full_name"))).send_keys(invitee.name)
    driver.find_element(By.ID, "email").send_keys(invitee.email)
    driver.find_element(By.ID, "company").send_keys(COMPANY)
    driver.find_element(By.ID, "topic").send_keys(intro_message(invitee))
    driver.find_element(By.NAME, "agree").click()
    driver.find_element(By.XPATH, '//button[normalize-space(.)="Request meeting"]').click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "h2"), "Thanks! Your request has been sent"))
