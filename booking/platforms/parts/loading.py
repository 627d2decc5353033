"""Is the page still loading? What a person sees as "wait": a spinner, a busy region, "Loading…".

Skeletons drawn without any of these can't be told from content; the parts that read days and times
also wait for the state they need (enabled days, clock times) for that reason.
"""
from __future__ import annotations

from selenium.webdriver.remote.webelement import WebElement

from booking.browser import Page
from booking.semantic import run_script

# One round trip: a shown region marked aria-busy, an indeterminate progress bar (a spinner; a bar
# with a value is a step indicator), a status saying it loads, or a "Loading…" text.
_BUSY_JS = """
const [given] = arguments;
const TL = window.__bookerTL;
if (!TL) return 'booker:no-reader';
const root = given || document.body;
if (!root) return true;
const shown = (el) => el.getClientRects().length > 0 && !TL.isInaccessible(el);
if (Array.from(root.querySelectorAll('[aria-busy="true"]')).some(shown)) return true;
if (TL.queryAllByRole(root, 'progressbar', {hidden: false}).some((el) => !el.hasAttribute('aria-valuenow'))) return true;
const loading = /^(loading|please wait)(\\W|$)/i;
if (TL.queryAllByRole(root, 'status', {hidden: false}).some((el) => loading.test((el.textContent || '').trim()))) return true;
return TL.queryAllByText(root, (content) => loading.test(content.trim()), {ignore: 'script, style'}).some(shown);
"""


def is_busy(page: Page, within: WebElement | None = None) -> bool:
    """Whether the page (or the part ``within``) shows that it is still loading."""
    return bool(run_script(page.driver, _BUSY_JS, within))
