"""How a platform's booking widget sits on a startup's own page, and how Booker steps into it.

Used by :meth:`Platform.settle <booking.platforms.base.Platform.settle>` (a module opened on a
startup's page finds its own widget) and by :mod:`booking.platforms.embed` (any known widget).
May import: booking.browser, booking.domain. Not the platform base, not the registry.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from booking.browser.page import Locator, Page
from booking.domain.errors import BookingError, PageChanged


@dataclass(frozen=True)
class Widget:
    """How a platform's booking widget sits on a startup's own page.

    ``locator`` finds the widget's container (or the iframe itself when ``frame`` is ""); ``frame``
    is the CSS of the iframe the platform's script puts inside it (None: the widget never has one,
    e.g. a pop-up button). When no iframe appears, the URL in ``url_attribute`` is opened instead,
    relative to ``base_attribute``'s value or ``default_base``.
    """

    locator: Locator
    frame: str | None = "iframe"
    url_attribute: str = ""
    base_attribute: str = ""
    default_base: str = ""


FRAME_WAIT_SECONDS = 5.0  # a widget script that hasn't made its iframe by then is blocked or broken


class NoWidgetFound(PageChanged):
    """A startup's page shows none of the widgets Booker knows."""

    def __init__(self, url: str, names: str) -> None:
        BookingError.__init__(self, f"No booking widget ({names}) appeared on {url[:200]}; give Booker the "
                                    "widget's own booking link, or add a recipe for this page")
        self.what = "a booking widget"


def enter_widget(page: Page, widget: Widget, element: WebElement) -> None:
    """Step into the widget found at ``element``: its iframe, or else the booking URL it carries."""
    what = "the booking widget's iframe"
    if widget.frame == "":
        page.enter_frame(element, what)
        return
    if widget.frame is not None:
        def frame_inside(_driver: object) -> WebElement | bool:
            frames = element.find_elements(By.CSS_SELECTOR, widget.frame or "iframe")
            return frames[0] if frames else False

        try:
            frame = page.wait_for(frame_inside, what, timeout=min(page.timeout, FRAME_WAIT_SECONDS))
        except PageChanged:
            if not widget.url_attribute:
                raise
        else:
            page.enter_frame(frame, what)
            return
    url = widget_url(page, widget, element)
    if not url:
        raise PageChanged(page.label, f"the booking widget's link ({widget.url_attribute})")
    page.goto(url)


def widget_url(page: Page, widget: Widget, element: WebElement) -> str | None:
    """The booking URL a widget container carries (absolute, or relative to its origin attribute)."""
    value = (element.get_attribute(widget.url_attribute) or "").strip() if widget.url_attribute else ""
    if not value:
        return None
    base = (element.get_attribute(widget.base_attribute) or "").strip() if widget.base_attribute else ""
    url = urljoin((base or widget.default_base or page.current_url).rstrip("/") + "/", value)
    return url if url.startswith(("http://", "https://")) else None
