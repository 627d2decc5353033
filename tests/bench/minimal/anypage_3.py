"""Kettu Robotics (blind any-page 3): person → the first date whose time select fills → time → details → Book.

Choosing a person or a date reloads the page with that date's times. ``world`` here is the page
itself (:class:`replicas.blind.anypage.Page3`): anything with ``booking_url``.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from tests.bench.minimal import Invitee, intro_message, minimal, waiter

PERSON = "Carla Ruiz"
COMPANY = "AXA Innovation"
SET_DATE = "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));"


def _reloading(driver: WebDriver, action: Any) -> None:
    """Run ``action`` and wait for the reload it starts."""
    page = driver.find_element(By.TAG_NAME, "html")
    action()
    waiter(driver).until(EC.staleness_of(page))


@minimal("anypage_3")
def book(driver: WebDriver, world: Any, invitee: Invitee) -> None:
    wait = waiter(driver)
    driver.get(world.booking_url)
    people = Select(wait.until(EC.element_to_be_clickable((By.ID, "with"))))
    _reloading(driver, lambda: people.select_by_visible_text(PERSON))
    field = wait.until(EC.element_to_be_clickable((By.ID, "date")))
    day, last = date.fromisoformat(field.get_attribute("min")), date.fromisoformat(field.get_attribute("max"))
    while day <= last:
        _reloading(driver, lambda: driver.execute_script(SET_DATE, driver.find_element(By.ID, "date"),
                                                          day.isoformat()))
        times = wait.until(EC.presence_of_all_elements_located((By.CSS_SELECTOR, "#time option[value]")))
        if any(option.get_attribute("value") for option in times):
            break
        day += timedelta(days=1)
    Select(driver.find_element(By.ID, "time")).select_by_index(1)
    driver.find_element(By.ID, "name").send_keys(invitee.name)
    driver.find_element(By.ID, "email").send_keys(invitee.email)
    driver.find_element(By.ID, "company").send_keys(COMPANY)
    driver.find_element(By.ID, "message").send_keys(intro_message(invitee))
    driver.find_element(By.CSS_SELECTOR, 'input[type=submit][value="Book"]').click()
    wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Your demo is booked"))
