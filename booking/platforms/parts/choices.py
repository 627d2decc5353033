"""A choice a person clicks where the page draws it: the label of a visually hidden radio or checkbox.

Many pages hide the real ``<input type="radio">`` (opacity 0, 1 px) and draw its ``<label>`` as the button
(Microsoft Bookings' time list, docs/platforms/microsoft-bookings.md §3 [S]). The input keeps the role, the
name and the checked state a screen reader reads, but Selenium won't click what no one can see; a person
clicks the label, which checks the input.
"""
from __future__ import annotations

from dataclasses import replace

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.remote.webelement import WebElement

from booking.browser.page import Page
from booking.browser.semantic import Found

LABEL_OF = "var e = arguments[0]; return (e.labels && e.labels.length ? e.labels[0] : null) || e.closest('label');"


def label_of(page: Page, element: WebElement) -> WebElement | None:
    """The ``<label>`` that checks ``element`` when clicked, if it has one."""
    try:
        found = page.driver.execute_script(LABEL_OF, element)
    except WebDriverException:
        return None
    return found if isinstance(found, WebElement) else None


def where_clicked(page: Page, found: Found) -> Found:
    """``found``, or the same choice with its drawn label as the element to click when the input is hidden."""
    if found.tag != "input":
        return found
    try:
        if found.element.is_displayed():
            return found
    except WebDriverException:
        return found
    drawn = label_of(page, found.element)
    return replace(found, element=drawn) if drawn is not None and drawn.is_displayed() else found
