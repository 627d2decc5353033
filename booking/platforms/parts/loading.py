"""Is the page still loading? What a person sees as "wait": a spinner, a busy region, "Loading…".

Skeletons drawn without any of these can't be told from content; the parts that read days and times
also wait for the state they need (enabled days, clock times) for that reason. The check itself runs
in the page (``booking/semantic.js``), so it can share a round trip with other questions.
"""
from __future__ import annotations

from selenium.webdriver.remote.webelement import WebElement

from booking.browser.page import Page
from booking.browser.semantic import Query

BUSY = Query(kind="busy")


def is_busy(page: Page, within: WebElement | None = None) -> bool:
    """Whether the page (or the part ``within``) shows that it is still loading."""
    return bool(page.ask(Query(kind="busy", within=within))[0])
