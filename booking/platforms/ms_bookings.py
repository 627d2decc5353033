"""Microsoft Bookings: shared booking pages and personal "Bookings with me" pages, read the way ``auto`` reads any page.

What the platform adds to :class:`~booking.platforms.auto.AutoPage` (docs/platforms/microsoft-bookings.md):

- **URL shapes** (§1 [S]): ``outlook.office365.com/book/<Page>[@<tenant>]/``, the older
  ``outlook.office365.com/owa/calendar/<Page>@<tenant>/bookings/`` [U], personal pages
  ``outlook.office.com/bookwithme/user/<id>@<domain>[/meetingtype/<id>]``, and ``book.ms`` links.
- **Services first** (§2–3 [V]/[S]): a business lists services (meeting types on a personal page); the page
  shows staff, days and times only for a chosen one. Booker picks the service the startup's admin named
  (a form answer labelled like "service" or "meeting type", ``python -m booking startups answers``), else the
  first one listed.
- **Staff** (§2 [V]): a staff choice whose default is "Anyone" when the service allows choosing; the
  configured people in order, else "Anyone" (auto's person reading); without a choice Bookings assigns the
  first free staff member.
- **Answer** (§5 [V]/[S]): confirmed on submit; the confirmation shows in an alert region. Auto reads it as on
  any page (:mod:`booking.platforms.auto_answers`: a reading counts once it holds, a refusal left from the last
  try is not the answer, a plain sentence may refuse).

No hook of the page is used (the ``selectedTimeSlot`` radios of §3 [S] are found by their clock-time names and
clicked on their drawn labels, as auto does on any page).
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Callable, Iterator

from booking.browser.page import Page
from booking.browser.semantic import Found, Way, matching, role, text
from booking.domain.errors import PageChanged
from booking.domain.slots import Interval, OfferedSlot
from booking.platforms.auto import AutoPage
from booking.platforms.auto_reading import duration_in
from booking.platforms.base import Person, PlatformOptions
from booking.platforms.parts.choices import where_clicked

_PAGE = r"[A-Za-z0-9._%+-]+(?:@[A-Za-z0-9.-]+)?"
SERVICE_WORDS = r"\b(services?|meeting types?|appointment types?|select a service|choose a service)\b"
SERVICE_GROUPS: tuple[Way, ...] = tuple(role(kind, matching(SERVICE_WORDS))
                                         for kind in ("radiogroup", "group", "list", "listbox", "region", "tablist"))
SERVICE_CHOICES: tuple[Way, ...] = (role("radio"), role("option"), role("button"), role("link"))
# What the page says when a service or a person has no free time (§6: wording U): then there is no calendar.
NOTHING_FREE: tuple[Way, ...] = (text(matching(r"\bno (available |free )?(times|slots|availability|appointments)\b|"
                                                 r"\bnothing (is )?available\b")),)
SERVICE_LABEL = re.compile(SERVICE_WORDS, re.I)  # an admin's answer naming the service to book


class MsBookings(AutoPage):
    name = "ms_bookings"
    label = "Microsoft Bookings"
    url_patterns = (
        rf"outlook\.office365\.com/book/{_PAGE}/?",
        rf"outlook\.office\.com/book/{_PAGE}/?",
        rf"outlook\.office365\.com/owa/calendar/{_PAGE}/bookings/?",
        r"outlook\.office\.com/bookwithme/user/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+(?:/meetingtype/[A-Za-z0-9_-]+)?/?",
        r"book\.ms/[A-Za-z0-9._%+@-]+/?",
    )
    confirms_on_submit = True

    def __init__(self, page: Page, options: PlatformOptions | None = None) -> None:
        super().__init__(page, options)
        self._nothing_free: str | None = None  # what the page said instead of showing a calendar

    def open(self, url: str) -> None:
        """Load the page (auto), then choose the service so the staff, days and times show."""
        self._nothing_free = None
        super().open(url)
        if self._choose_service():
            self.zone = self._read_zone()  # the zone control shows with the service's calendar
            self._nothing_free = self._says_nothing_free()

    def choose_person(self, person: Person) -> bool:
        """Auto's choice in the staff list; a person with no free time leaves no calendar, only a sentence."""
        self._nothing_free = None
        try:
            return super().choose_person(person)
        except PageChanged:
            self._nothing_free = self._says_nothing_free()
            if self._nothing_free is None:
                raise
            return True

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        """Auto's slots; none when the page said it has no free time for this service or person (the agent
        then tries the next person and says what it tried)."""
        if self._nothing_free is None:
            yield from super().iter_slots(window)

    def _says_nothing_free(self) -> str | None:
        if self._date_control_now() is not None:
            return None
        found = self.page.seen_all(*NOTHING_FREE)
        return (found[0].text or found[0].name).strip() if found else None

    # -- services ---------------------------------------------------------------------------------------
    def _controls_shown(self) -> bool:
        """Auto's signs of a booking page, and a list of services (the first step, before any calendar)."""
        return super()._controls_shown() or bool(self._services())

    def _services(self) -> list[Found]:
        groups = self.page.seen_all(*SERVICE_GROUPS)
        if not groups:
            return []
        return [f for f in self.page.seen_all(*SERVICE_CHOICES, within=groups[0].element, every=True) if not f.disabled]

    def _wanted_service(self, names: list[str]) -> int:
        """The service the admin named in the startup's answers (a label like "service"), else the first."""
        wanted = [v.casefold().strip() for k, v in self.context.answers.items() if v and SERVICE_LABEL.search(k)]
        for value in wanted:
            for index, name in enumerate(names):
                if value and value in name.casefold():
                    return index
        return 0

    def _choose_service(self) -> bool:
        """Pick the wanted service when the page lists services and it isn't chosen yet; True when picked now."""
        choices = self._services()
        if not choices:
            return False
        names = [(c.name or c.text).strip() for c in choices]
        index = self._wanted_service(names)
        target = where_clicked(self.page, choices[index])  # a hidden radio is picked by its drawn label
        if target.checked or target.selected:
            return False
        self.page.click(target.element, f"the service {names[index][:60]}")
        try:
            self.page.wait_for(self._settled(), "the service's staff or calendar")
        except PageChanged:
            raise PageChanged(self.label, f"a calendar after choosing the service {names[index][:60]}") from None
        minutes = duration_in(names[index])
        if minutes:
            self.duration = timedelta(minutes=minutes)
        return True

    def _settled(self) -> Callable[[object], bool]:
        """A wait condition: the staff or calendar of the chosen service shows (or "no times"), and the
        page drew the same staff choices on three readings in a row: the page draws the service's step,
        then draws it again once its free times arrive, and a choice read in between is gone by the click."""
        seen: list[tuple[str, ...]] = []

        def settled(driver: object) -> bool:
            people = tuple(f.element.id for f in self._person_choices())
            if not (people or self._date_control_now() is not None or self.page.shows(*NOTHING_FREE)):
                seen.clear()
                return False
            seen.append(people)
            return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

        return settled
