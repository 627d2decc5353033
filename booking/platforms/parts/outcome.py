"""After submit: wait for the page's answer — a success (a confirmation heading or text) or an error
(an alert, an invalid field's message) — and say which it was, in the page's words."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

from selenium.webdriver.remote.webdriver import WebDriver

from booking.browser.page import Page
from booking.browser.semantic import Way, describe, role

ALERTS: tuple[Way, ...] = (role("alert"),)


@dataclass(frozen=True)
class Outcome:
    kind: Literal["success", "error"]
    key: str = ""     # which success the page showed (e.g. "confirmed", "requested")
    text: str = ""    # the page's words


def await_outcome(page: Page, successes: Sequence[tuple[str, Sequence[Way]]], what: str,
                  errors: Sequence[Way] = ALERTS) -> Outcome:
    """Wait until the page shows one of ``successes`` (tried in order) or an error with words in it."""
    ways = [way for _, group in successes for way in group]
    keys = [key for key, group in successes for _ in group]

    def decided(driver: WebDriver) -> Outcome | bool:
        found = page.seen_all(*ways)
        if found:
            return Outcome("success", keys[found[0].way], found[0].text or found[0].name)
        for alert in page.seen_all(*errors):
            words = (alert.text or alert.name).strip()
            if words:
                return Outcome("error", "", words)
        return False

    return page.wait_for(decided, f"{what} ({describe(ways)})")
