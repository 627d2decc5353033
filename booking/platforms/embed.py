"""Booking widgets embedded in a startup's own page (Calendly inline, Cal.com, HubSpot, Chili Piper).

Two ways in. A platform module opened on a startup's page finds its own widget (``Platform.settle``
→ :func:`enter_widget`). For a page whose widget is unknown, :class:`EmbeddedWidget` (registry name
``embed``) looks for any registered platform's widget, steps into it and hands every step to that
platform's module. Either way the bot works inside the widget's iframe, as an invitee would; when
the widget's script never puts an iframe there, it opens the widget's own URL instead.
"""
from __future__ import annotations

from typing import ClassVar, Iterable, Iterator

from booking.browser.page import Page
from booking.domain.errors import PageChanged
from booking.domain.slots import Interval, OfferedSlot
from booking.platforms.base import Invitee, Person, Platform, PlatformOptions, SubmitResult
from booking.platforms.widgets import NoWidgetFound, Widget, enter_widget


def known_widgets(platforms: Iterable[type[Platform]]) -> Iterator[tuple[type[Platform], Widget]]:
    """Every widget of ``platforms``, with the platform that books through it."""
    for platform in platforms:
        for widget in platform.embed_widgets:
            yield platform, widget


class EmbeddedWidget(Platform):
    """A startup's own page with some platform's booking widget on it; the widget's module does the work."""

    name = "embed"
    label = "booking widget"
    # The sites whose widgets are looked for; the registry binds them (see its ``EMBEDDED_WIDGETS``),
    # so this module never imports the registry that lists it.
    candidates: ClassVar[tuple[type[Platform], ...]] = ()

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self.inner: Platform | None = None

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.dismiss_consent()
        widgets = list(known_widgets(self.candidates))
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
