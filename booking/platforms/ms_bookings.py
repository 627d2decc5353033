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
- **Answer** (§5 [V]/[S]): confirmed on submit; the confirmation shows in an alert region.

No hook of the page is used (the ``selectedTimeSlot`` radios of §3 [S] are found by their clock-time names).
"""
from __future__ import annotations

import re
from datetime import timedelta

from booking.browser.semantic import Found, Way, matching, role
from booking.domain.errors import PageChanged
from booking.platforms.auto import AutoPage
from booking.platforms.auto_reading import duration_in

_PAGE = r"[A-Za-z0-9._%+-]+(?:@[A-Za-z0-9.-]+)?"
SERVICE_WORDS = r"\b(services?|meeting types?|appointment types?|select a service|choose a service)\b"
SERVICE_GROUPS: tuple[Way, ...] = (role("radiogroup", matching(SERVICE_WORDS)), role("group", matching(SERVICE_WORDS)),
                                   role("list", matching(SERVICE_WORDS)), role("listbox", matching(SERVICE_WORDS)))
SERVICE_CHOICES: tuple[Way, ...] = (role("radio"), role("option"), role("button"), role("link"))
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

    def open(self, url: str) -> None:
        """Load the page (auto), then choose the service so the staff, days and times show."""
        super().open(url)
        if self._choose_service():
            self.zone = self._read_zone()  # the zone control shows with the service's calendar

    # -- services ---------------------------------------------------------------------------------------
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
        """Pick a service when the page lists them and none is chosen yet; True when one was picked now."""
        choices = self._services()
        if not choices or any(c.checked or c.selected for c in choices):
            return False
        names = [(c.name or c.text).strip() for c in choices]
        index = self._wanted_service(names)
        target = choices[index]
        self.page.click(target.element, f"the service {names[index][:60]}")
        try:
            self.page.wait_for(lambda d: self._date_control_now() is not None or bool(self._person_choices()),
                               "the service's staff or calendar")
        except PageChanged:
            raise PageChanged(self.label, f"a calendar after choosing the service {names[index][:60]}") from None
        minutes = duration_in(names[index])
        if minutes:
            self.duration = timedelta(minutes=minutes)
        return True

