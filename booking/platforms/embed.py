"""Booking widgets embedded in a startup's own page (Calendly inline, Cal.com, HubSpot, Chili Piper).

Two ways in. A platform module opened on a startup's page finds its own widget (``Platform.settle``
→ :func:`enter_widget`). For a page whose widget is unknown, :class:`EmbeddedWidget` (registry name
``embed``) looks for any registered platform's widget, steps into it and hands every step to that
platform's module. Either way the bot works inside the widget's iframe, as an invitee would; when
the widget's script never puts an iframe there, it opens the widget's own URL instead.
"""
from __future__ import annotations

from typing import Iterator
from urllib.parse import urljoin

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from booking.browser import Page
from booking.errors import BookingError, PageChanged
from booking.platforms.base import Invitee, Person, Platform, PlatformOptions, SubmitResult, Widget
from booking.slots import Interval, OfferedSlot

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


def known_widgets() -> Iterator[tuple[type[Platform], Widget]]:
    from booking.platforms import PLATFORMS  # the registry imports this module

    for platform in PLATFORMS:
        for widget in platform.embed_widgets:
            yield platform, widget


class EmbeddedWidget(Platform):
    """A startup's own page with some platform's booking widget on it; the widget's module does the work."""

    name = "embed"
    label = "booking widget"

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.inner: Platform | None = None

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.dismiss_consent()
        widgets = list(known_widgets())
        labels = list(dict.fromkeys(p.label for p, _ in widgets))
        names = ", ".join(labels[:-1]) + f" or {labels[-1]}" if len(labels) > 1 else "".join(labels)
        try:
            key, element = self.page.first_visible(
                [(widget.locator, str(index)) for index, (_, widget) in enumerate(widgets)], "a booking widget")
        except PageChanged:
            raise NoWidgetFound(url, names) from None
        platform_cls, widget = widgets[int(key)]
        inner = platform_cls(self.page, self.options)
        self.label = inner.label  # type: ignore[misc]  # the teammate reads "the Cal.com page of Acme"
        enter_widget(self.page, widget, element)
        inner.settle(widgets=False)
        self.asks_details_first = inner.asks_details_first  # the widget's page decides (after it settled)
        self.inner = inner

    def _platform(self) -> Platform:
        if self.inner is None:
            raise PageChanged(self.label, "a booking widget")
        return self.inner

    def people(self) -> list[str]:
        return self._platform().people()

    def choose_person(self, person: Person) -> bool:
        return self._platform().choose_person(person)

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        return self._platform().iter_slots(window)

    def choose_slot(self, slot: OfferedSlot) -> None:
        self._platform().choose_slot(slot)

    def fill_details(self, invitee: Invitee, message: str) -> None:
        platform = self._platform()
        platform.fill_details(invitee, message)
        self.form_report = platform.form_report  # the agent tells the thread where the message went

    def submit(self) -> SubmitResult:
        platform = self._platform()
        result = platform.submit()
        result.platform = result.platform or platform.name
        return result
