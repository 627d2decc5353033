"""Resolving a recipe step's semantic names on the page: a role and accessible name, a form control's
label, a widget's iframe by its title.

The elements of a role (or the form's fields) are read through the semantic layer in one round trip,
with the names the browser's accessibility rules compute; the name is then matched here, so every
step kind matches the same way: whole and case-insensitive, a ``/regex/``, or — for ``{person}`` —
containing the person's name (a card reads "Book with Anna Virtanen").
"""
from __future__ import annotations

import re
import unicodedata

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from booking.browser.page import Page
from booking.browser.semantic import Found, role
from booking.platforms.parts.form import read_fields
from booking.recipes.locators import name_pattern
from booking.recipes.steps import PERSON_PLACEHOLDER

# Words a page answers a taken slot with (an alert or status line); a recorded recipe's slot_taken uses them.
TAKEN_NAME = r"/no longer available|not available|already (booked|taken)|was taken/"
MIN_FRAME_AREA = 40_000  # px²: smaller iframes are badges and trackers, not a booking widget (as auto)


def plain(words: str) -> str:
    """Case-, width- and whitespace-tolerant words ("Continue  ›" and "continue ›" read alike)."""
    return " ".join(unicodedata.normalize("NFKC", words or "").split()).casefold()


def name_matches(wanted: str | None, words: str, person: str | None = None) -> bool:
    """Whether ``words`` (an accessible name or text) is the name a step gives."""
    if wanted is None:
        return True
    if PERSON_PLACEHOLDER in wanted:
        if person is None:  # listing who is offered: any element of the role
            return bool(words.strip())
        return plain(wanted.replace(PERSON_PLACEHOLDER, person)) in plain(words)
    pattern = name_pattern(wanted)
    if pattern is not None:
        return re.search(pattern, plain(words), re.I) is not None
    return plain(words) == plain(wanted)


def words_of(found: Found) -> str:
    return (found.name or found.text or "").strip()


def role_hits(page: Page, role_name: str, name: str | None, person: str | None = None,
              enabled: bool = False) -> list[Found]:
    """The shown elements of ``role_name`` whose name (or, lacking one, text) matches, in page order."""
    return [f for f in page.seen_all(role(role_name), every=True)
            if name_matches(name, words_of(f), person) and not (enabled and f.disabled)]


def labelled(page: Page, label: str) -> WebElement | None:
    """The enabled form control whose label (its accessible name, else its placeholder) matches."""
    for item in read_fields(page):
        if not item.disabled and name_matches(label, item.label):
            return item.element
    return None


def frame_for(page: Page, title: str | None) -> WebElement | None:
    """The shown iframe with this title, or (no title) the largest shown one big enough to be a widget."""
    best, area = None, MIN_FRAME_AREA - 1
    for frame in page.driver.find_elements(By.TAG_NAME, "iframe"):
        try:
            if not frame.is_displayed():
                continue
            if title is not None:
                if name_matches(title, frame.get_attribute("title") or ""):
                    return frame
                continue
            size = frame.size
            if size["width"] * size["height"] > area:
                best, area = frame, size["width"] * size["height"]
        except WebDriverException:
            continue
    return best
