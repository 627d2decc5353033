"""The zone a page shows its times in, read from a zone drop-down's chosen option.

A page that offers a zone picker ("Times shown in [Europe/Helsinki (GMT+2) ▾]", "Time zone [(UTC+02:00)
Helsinki ▾]") states its zone by the option chosen in it, whatever the select is called. A sentence around
the select is no help: its text holds every option of the list, the first one ("Africa/Abidjan") first.
So the chosen option of a shown ``<select>`` is read before any sentence.
"""
from __future__ import annotations

from datetime import datetime

from selenium.common.exceptions import WebDriverException

from booking.browser.page import Page
from booking.platforms.parts.zone import zone_from_words

CHOSEN_OPTIONS_JS = """
return Array.from(document.querySelectorAll('select')).filter((s) => s.offsetParent !== null && s.options.length > 1)
  .map((s) => { const o = s.options[s.selectedIndex]; return [o ? o.text : '', s.value || '']; });
"""


def selected_zone(page: Page, preferred: list[str], now: datetime | None = None) -> str | None:
    """The IANA zone a shown drop-down has chosen (by its option's words, else its value), or None."""
    try:
        chosen = page.driver.execute_script(CHOSEN_OPTIONS_JS) or []
    except WebDriverException:
        return None
    for text, value in chosen:
        for words in (text, value):
            zone = zone_from_words(page, str(words), preferred, now) if words else None
            if zone:
                return zone
    return None
