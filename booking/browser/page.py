"""A page a booking works on: explicit waits, actions like a person's, URL checks, a screenshot per step.

Every step waits for what it needs (never sleeps), and every address the browser shows is checked
against the URL rules before anything reads or screenshots it.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence, TypeVar
from urllib.parse import urlsplit

from selenium.common.exceptions import (
    InvalidSelectorException, InvalidSessionIdException, JavascriptException, NoSuchElementException,
    NoSuchFrameException, StaleElementReferenceException, TimeoutException, WebDriverException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.remote import webelement
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from booking.browser import semantic
from booking.browser.drivers import (
    DRIVER_GONE, TRANSIENT, ScreenshotSaver, execute_cdp, quiet_wire_logs, replaced_document,
)
from booking.browser.semantic import Found, Way
from booking.domain.errors import BookingError, BrowserFailure, PageChanged, PageTimeout, UnsafeUrl
from booking.domain.urls import check_booking_url

log = logging.getLogger(__name__)

Locator = tuple[str, str]
# What a step looks for: a CSS/XPath locator, or ways a person recognises it (tried in order).
Target = Locator | Way | Sequence[Way]
T = TypeVar("T")

LONG_TEXT = 80
FILL_ATTEMPTS = 3
# Documents that come from no host: a fresh tab, an empty frame, Chromium's own error page.
HOSTLESS_DOCUMENTS = frozenset({"about:blank", "about:srcdoc", "data:,", "chrome://new-tab-page-third-party/",
                                "chrome://newtab/", "chrome-error://chromewebdata/"})
# Native value setter + events: what React/Vue-controlled inputs listen to.
_SET_VALUE_JS = (
    "const el = arguments[0]; const proto = Object.getPrototypeOf(el);"
    "Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, arguments[1]);"
    "el.dispatchEvent(new Event('input', {bubbles: true}));"
    "el.dispatchEvent(new Event('change', {bubbles: true}));"
    "el.dispatchEvent(new Event('blur', {bubbles: true}));"
)


_INVALID_SELECTOR = "booker:invalid-selector"
_FIND_VISIBLE_JS: str | None = None


def _query_for(locator: Locator) -> tuple[str, str] | None:
    """("css" | "xpath", query) for the locators a page script can resolve like the driver does."""
    by, value = locator
    if by == By.CSS_SELECTOR:
        return "css", value
    if by == By.XPATH:
        return "xpath", value
    return None


def _find_visible_js() -> str:
    """The first element matching a CSS or XPath query, if Selenium's isDisplayed atom says it shows;
    null when there is none, false when it is hidden. A query the page can't parse is reported."""
    global _FIND_VISIBLE_JS
    if _FIND_VISIBLE_JS is None:
        if webelement.isDisplayed_js is None:
            webelement._load_js()
        _FIND_VISIBLE_JS = (
            "const [kind, query] = arguments; let el;"
            "try { el = kind === 'css' ? document.querySelector(query) : document.evaluate(query, document, null,"
            " XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue; }"
            f" catch (e) {{ return '{_INVALID_SELECTOR}'; }}"
            "if (!el || el.nodeType !== 1) return null;"
            f"return ({webelement.isDisplayed_js}).apply(null, [el]) ? el : false;"
        )
    return _FIND_VISIBLE_JS


class Page:
    """A driver plus the few interactions platform modules need, each with an explicit wait."""

    def __init__(
        self,
        driver: WebDriver,
        *,
        screenshots: ScreenshotSaver,
        timeout: float,
        label: str = "booking",
        allowed_hosts: Sequence[str] | None = None,
        timezone: str | None = None,
    ) -> None:
        self.driver = driver
        # The zone the browser already runs in (set at launch), so set_timezone costs nothing then.
        self.timezone = timezone
        self.screenshots = screenshots
        self.timeout = timeout
        self.label = label
        # Inside an embedded widget's iframe: steps work there until the next top-level goto.
        self.in_frame = False
        # None: no checks (a page built by hand); else every URL the browser shows must pass
        # check_booking_url with these hosts allowed, redirects and widget iframes included.
        self.allowed_hosts = None if allowed_hosts is None else tuple(allowed_hosts)
        self._safe_origins: set[tuple[str, str]] = set()
        # False after a navigation timed out: the tab is stuck, and a screenshot would wait a minute.
        self.loaded = True

    # -- waiting ----------------------------------------------------------------------------------
    def wait_for(self, condition: Callable[[WebDriver], T], what: str, timeout: float | None = None,
                 poll: float = 0.1) -> T:
        """Poll ``condition`` until it returns something truthy; a timeout means the page changed."""
        waiter = WebDriverWait(
            self.driver, self.timeout if timeout is None else timeout, poll_frequency=poll,
            ignored_exceptions=(NoSuchElementException, *TRANSIENT),
        )

        def look(driver: WebDriver) -> T | bool:
            try:
                return condition(driver)
            except WebDriverException as exc:
                if replaced_document(exc):  # the page moved on under this poll: the next one looks again
                    return False
                raise

        try:
            return waiter.until(look)
        except TimeoutException:
            raise PageChanged(self.label, what) from None
        except (InvalidSessionIdException, JavascriptException) as exc:
            raise BrowserFailure(f"The browser stopped while waiting for {what}") from exc

    def find(self, locator: Locator, what: str, *, timeout: float | None = None, visible: bool = True) -> WebElement:
        query = _query_for(locator) if visible else None

        def present(driver: WebDriver) -> WebElement | bool:
            if query is not None:  # find and is_displayed in one round trip (Selenium's own atom)
                found = driver.execute_script(_find_visible_js(), *query)
                if found == _INVALID_SELECTOR:
                    raise InvalidSelectorException(f"invalid selector: {locator[1]}")
                return found or False
            element = driver.find_element(*locator)
            return element if (not visible or element.is_displayed()) else False

        return self.wait_for(present, f"{what} ({locator[1]})", timeout)

    def find_all(self, locator: Locator) -> list[WebElement]:
        """Elements present now (no wait): use after a wait that proved the list rendered."""
        return self.driver.find_elements(*locator)

    def exists(self, locator: Locator) -> bool:
        return bool(self.driver.find_elements(*locator))

    def first_visible(self, locators: Sequence[tuple[Locator, str]], what: str, timeout: float | None = None) -> tuple[str, WebElement]:
        """Wait until one of several alternatives shows; returns its key and element."""

        def any_visible(driver: WebDriver) -> tuple[str, WebElement] | bool:
            for locator, key in locators:
                for element in driver.find_elements(*locator):
                    if element.is_displayed():
                        return key, element
            return False

        return self.wait_for(any_visible, what, timeout)

    def text_of(self, locator: Locator, what: str, timeout: float | None = None) -> str:
        """An element's visible text, read inside a wait: a page replaced under the read is read again."""
        return self.wait_for(lambda d: (d.find_element(*locator).text,), what, timeout)[0]

    def wait_text(self, text: str, what: str, timeout: float | None = None) -> None:
        self.wait_for(lambda d: text in d.find_element(By.TAG_NAME, "body").text, what, timeout)

    # -- seeing what a person sees ----------------------------------------------------------------
    def seen_all(self, *ways: Way, within: WebElement | None = None, details: bool = True,
                 every: bool = False) -> list[Found]:
        """Shown elements found now by the first of ``ways`` that finds any (one round trip, no wait);
        ``every``: by all of them together."""
        return semantic.find(self.driver, ways, within, details, every)

    def seen(self, *ways: Way, what: str | None = None, within: WebElement | None = None,
             timeout: float | None = None, enabled: bool = False) -> WebElement:
        """Wait until one of ``ways`` shows an element (``enabled``: one that isn't disabled); return it."""

        def present(driver: WebDriver) -> WebElement | bool:
            found = self.seen_all(*ways, within=within, details=enabled)
            usable = [f for f in found if not (enabled and f.disabled)]
            return usable[0].element if usable else False

        looked_for = semantic.describe(ways)
        return self.wait_for(present, f"{what} ({looked_for})" if what else looked_for, timeout)

    def ask(self, *queries: semantic.Query) -> list[Any]:
        """Several questions to the page in one round trip (see :func:`booking.browser.semantic.ask`)."""
        return semantic.ask(self.driver, queries)

    def shows(self, *ways: Way, within: WebElement | None = None) -> bool:
        """Whether one of ``ways`` shows an element now (no wait)."""
        return bool(self.seen_all(*ways, within=within, details=False))

    def visible_text(self) -> str:
        """The document's visible text (what a person can read now), whitespace collapsed."""
        return self.ask(semantic.Query(kind="page"))[0].text

    def _element(self, target: Target | WebElement, enabled: bool = False) -> WebElement | None:
        """The element ``target`` names now (None when it doesn't show)."""
        if isinstance(target, WebElement):
            return target
        if isinstance(target, Way) or (target and isinstance(target[0], Way)):
            ways = (target,) if isinstance(target, Way) else tuple(target)  # type: ignore[arg-type]
            found = [f for f in self.seen_all(*ways, details=enabled) if not (enabled and f.disabled)]
            return found[0].element if found else None
        return self.driver.find_element(*target)  # type: ignore[misc]

    @staticmethod
    def _words(target: Target | WebElement) -> str:
        if isinstance(target, Way):
            return target.describe()
        if isinstance(target, (list, tuple)) and target and isinstance(target[0], Way):
            return semantic.describe(target)  # type: ignore[arg-type]
        return ""

    # -- acting -----------------------------------------------------------------------------------
    def click(self, target: Target | WebElement, what: str, timeout: float | None = None) -> None:
        """Click once it is enabled and nothing covers it (retrying while an overlay fades)."""

        def clicked(driver: WebDriver) -> bool:
            element = self._element(target, enabled=True)
            if element is None or not (element.is_displayed() and element.is_enabled()):
                return False
            element.click()
            return True

        words = self._words(target)
        self.wait_for(clicked, f"clickable {what}" + (f" ({words})" if words else ""), timeout)

    def fill(self, target: Target | WebElement, value: str, what: str) -> None:
        """Type ``value`` like a person; long text is set the DOM way (typing 500 characters costs ~0.5 s).

        Either way the page gets its input/change events, and the value is read back to prove it stuck;
        a field that held text already (typing appended to it) is then set the DOM way, which replaces it.
        """
        if isinstance(target, WebElement):
            self._fill_element(target, value, what)
            return
        for attempt in range(FILL_ATTEMPTS):  # a field re-rendered under us is looked up again
            try:
                if isinstance(target, Way) or isinstance(target[0], Way):
                    ways = (target,) if isinstance(target, Way) else tuple(target)
                    element = self.seen(*ways, what=what)
                else:
                    element = self.find(target, what)
                self._fill_element(element, value, what)
                return
            except WebDriverException as exc:
                if attempt + 1 == FILL_ATTEMPTS or not (isinstance(exc, StaleElementReferenceException)
                                                        or replaced_document(exc)):
                    raise

    def _fill_element(self, element: WebElement, value: str, what: str) -> None:
        if len(value) <= LONG_TEXT:
            element.send_keys(value)
        if (element.get_attribute("value") or "") != value:
            self.driver.execute_script(_SET_VALUE_JS, element, value)
            if (element.get_attribute("value") or "") != value:
                raise PageChanged(self.label, f"{what} accepting text")

    def fill_secret(self, target: Target | WebElement, value: str, what: str) -> None:
        """Type a password: Selenium logs every request body (the typed text) at DEBUG, so those logs
        are held back while it is typed."""
        with quiet_wire_logs():
            self.fill(target, value, what)

    def goto(self, url: str) -> None:
        """Load ``url`` in the whole tab (this leaves a widget's iframe).

        The URL is checked before the browser asks for it, and where the browser ended up (after
        redirects) is checked again before anything reads or screenshots the page.
        """
        self._check(url, "")
        self.in_frame = False
        self.loaded = False
        try:
            self.driver.get(url)
        except TimeoutException:
            self._stop_loading()
            raise PageTimeout(f"The {self.label} page did not finish loading") from None
        self.loaded = True
        self.check_location()

    def _stop_loading(self) -> None:
        """End a navigation that timed out: chromedriver otherwise makes every later command (the
        failure screenshot, quit) wait for it, about a minute each."""
        try:
            execute_cdp(self.driver, "Page.stopLoading", {})
        except (WebDriverException, *DRIVER_GONE) as exc:
            log.info("could not stop the page loading: %s", exc)

    def enter_frame(self, frame: WebElement, what: str) -> None:
        """Work inside ``frame`` (a booking widget on a startup's page) until the next :meth:`goto`."""
        try:
            self.driver.switch_to.frame(frame)
        except (NoSuchFrameException, StaleElementReferenceException):
            raise PageChanged(self.label, what) from None
        self.in_frame = True
        self.check_location()

    def check_location(self) -> None:
        """Raise UnsafeUrl (and blank the tab) if the browser shows a page a booking may not open.

        A public page can redirect (HTTP, meta refresh, script) to a loopback or metadata address,
        or a widget's iframe can point there; what such a page shows must never reach a screenshot.
        """
        if self.allowed_hosts is None:
            return
        try:
            locations = [self.driver.current_url]
            if self.in_frame:
                locations.append(str(self.driver.execute_script("return location.href")))
        except (WebDriverException, *DRIVER_GONE):
            return  # a dead browser shows nothing; the next step reports it
        for location in locations:
            self._check(location, f"The {self.label} page sent the browser to ")

    def _check(self, url: str, prefix: str) -> None:
        if self.allowed_hosts is None or url in HOSTLESS_DOCUMENTS:
            return
        parts = urlsplit(url)
        origin = (parts.scheme.lower(), parts.netloc.lower())
        if origin in self._safe_origins:
            return
        try:
            check_booking_url(url, self.allowed_hosts)
        except UnsafeUrl as exc:
            if prefix:
                self._blank()
                raise UnsafeUrl(f"{prefix}{url[:200]} and Booker stopped there: {exc}") from None
            raise
        self._safe_origins.add(origin)

    def _blank(self) -> None:
        try:
            self.in_frame = False
            self.driver.get("about:blank")
        except (WebDriverException, *DRIVER_GONE) as exc:
            log.warning("could not leave an unsafe page: %s", exc)

    def set_timezone(self, zone: str) -> bool:
        """Make the page see ``zone`` as the browser's zone (Chromium DevTools); False if unsupported.

        A browser launched in ``zone`` (``ChromeFactory.session(..., timezone=zone)``) needs nothing:
        the DevTools call on a fresh tab costs about 0.15 s of every booking."""
        if zone == self.timezone:
            return True
        try:
            execute_cdp(self.driver, "Emulation.setTimezoneOverride", {"timezoneId": zone})
            self.timezone = zone
            return True
        except WebDriverException as exc:
            log.info("time zone override not available: %s", exc.msg)
            return False

    def screenshot(self, step: str, with_tree: bool = False) -> Path | None:
        """Save a screenshot for this step; a failing screenshot never fails the booking.

        The one exception: a page the browser was redirected to that a booking may not open
        (UnsafeUrl) is never captured, and the booking stops. A page that never finished loading
        has nothing to show (and its stuck tab would keep the screenshot waiting): None.
        """
        if not self.loaded:
            log.info("no screenshot for %r: the page never finished loading", step)
            return None
        self.check_location()
        try:
            path = self.screenshots.save(step, self.driver.get_screenshot_as_png())
        except (WebDriverException, OSError, *DRIVER_GONE) as exc:
            log.warning("screenshot %r failed: %s", step, exc)
            return None
        if with_tree:  # what a screen reader would have offered: for a person or a recipe author
            try:
                self.screenshots.save_text(path.with_suffix(".txt"), semantic.accessibility_snapshot(self.driver))
            except (WebDriverException, OSError, BookingError, *DRIVER_GONE) as exc:
                log.warning("accessibility snapshot for %r failed: %s", step, exc)
        return path

    @property
    def current_url(self) -> str:
        """The URL of the document the steps work in (the widget's, inside an iframe)."""
        if self.in_frame:  # read inside a wait: a widget document replaced under the read is read again
            return str(self.wait_for(lambda d: (d.execute_script("return location.href"),), "the widget's address")[0])
        return self.driver.current_url

    @contextmanager
    def frame(self, locator: Locator, what: str) -> Iterator[None]:
        """Work inside an iframe, then return to the top document."""
        element = self.find(locator, what, visible=False)
        try:
            self.driver.switch_to.frame(element)
        except NoSuchFrameException:
            raise PageChanged(self.label, what) from None
        try:
            if self.allowed_hosts is not None:
                self._check(str(self.driver.execute_script("return location.href")),
                            f"The {self.label} page sent the browser to ")
            yield
        finally:
            self.driver.switch_to.default_content()

