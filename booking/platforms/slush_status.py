"""After a Slush matchmaking request is sent: re-read it on the page, answer a proposed new time,
and recognise the app's own e-mails (what the confirmation monitor calls).

What each step looks for (research/platforms.md §5.2; words read by :mod:`booking.platforms.slush_reading`):

- **The request's page**: the page the app links to after sending ("View request"),
  ``/events/<slug>/meetings/<id>`` — a URL only, [U] (§5.2 [S] lists ``/meetings``); it is ready when
  the app's navigation (the **People** / **Schedule** tabs, §5.2 [V]) shows and a status can be read.
- **Status**: the value labelled "Status", else the first short line that reads as pending /
  accepted·confirmed / declined·rejected / a new time suggested / cancelled (§5.2 [V] flow, the
  unofficial client's words [S]). The meeting's time is the first dated "your time" on the page; a
  proposed time is the one the page puts next to "new time" / "proposed" / "suggested".
- **Table**: accepted meetings appear in **Schedule** with a table number (§5.2 [V]): the Schedule
  entry that links to the request, "Table N"; else the table the request's page shows.
- **Answering a new time**: the button named "Accept …" or "Decline …" (§5.2 [V]: a reschedule is
  taken or refused); saved when that button is gone.
- **E-mails**: the app's notification mails; their wording is [U] (§5.2: Brella's mails are undocumented).
"""
from __future__ import annotations

import re
import time as clock
from typing import TYPE_CHECKING

from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from booking.browser.page import Page
from booking.browser.semantic import Way, matching, role, run_script, text
from booking.domain.errors import BookingError
from booking.mail.signals import PlatformMailSignals
from booking.platforms.base import PlatformContext, StatusCheck
from booking.platforms.parts.calendar import EMPTY_GRACE_SECONDS
from booking.platforms.parts.loading import is_busy
from booking.platforms.slush_reading import ENTRIES_JS, LINES_JS, status_of, table_in, times_in

APP_TABS = (role("link", matching(r"^(people|schedule)$")), role("tab", matching(r"^(people|schedule)$")))  # §5.2 [V]
ANSWER = {True: role("button", matching(r"^accept\b")), False: role("button", matching(r"^(decline|reject)\b"))}
NOT_FOUND = (text(matching(r"not found|does not exist|no such (meeting|request)")),)

# The app's notification e-mails ("[Slush 2026] Bob Jones declined your meeting request"). [U] invented:
# Brella's mails are undocumented (research §5.2); the senders are Brella's and Slush's own domains.
MAIL_SIGNALS = PlatformMailSignals(
    sender_domains=("brella.io", "slush.com"),
    states=(
        ("declined", re.compile(r"\bdeclined your meeting request\b", re.I)),
        ("cancelled", re.compile(r"\bcancel+ed (your|the) meeting\b", re.I)),
        ("rescheduled", re.compile(r"\b(suggested|proposed) a new time\b", re.I)),
        ("confirmed", re.compile(r"\baccepted your meeting request\b", re.I)),
    ),
    booking_id=re.compile(r"/events/[A-Za-z0-9_-]+/meetings/(?P<id>[A-Za-z0-9-]+)"),
    person=re.compile(r"^(?:\[[^\]]*\]\s*)?(?P<person>.+?) (?:accepted|declined|cancel+ed|suggested|proposed)\b", re.I),
    location=re.compile(r"^Where:\s*(?P<location>[^,\n]+)", re.M),
)


class RequestStatus:
    """The after-sending half of :class:`~booking.platforms.slush.SlushMatchmaking` (mixed into it)."""

    page: Page
    context: PlatformContext
    event_base: str | None

    if TYPE_CHECKING:  # provided by the platform class
        def open_event(self, booking_url: str) -> None: ...
        def _arrive(self, ready: tuple[Way, ...], what: str) -> None: ...
        def _zone(self) -> str: ...

    def _lines(self, within: WebElement | None = None) -> list[str]:
        return list(run_script(self.page.driver, LINES_JS, within))

    def _request_page(self, booking_url: str, request_id: str) -> list[str]:
        """The request's page, once it shows a status (or says it doesn't exist): its lines."""
        self.open_event(booking_url)
        self.page.goto(f"{self.event_base}/meetings/{request_id}")
        self._arrive(APP_TABS, "the meeting request")

        def shown(driver: WebDriver) -> tuple[list[str]] | bool:
            if is_busy(self.page):
                return False
            lines = self._lines()
            refused = [a for a in self.page.seen_all(role("alert")) if (a.text or a.name).strip()]
            return (lines,) if status_of(lines) or refused or self.page.shows(*NOT_FOUND) else False

        return self.page.wait_for(shown, "the request's status")[0]

    def check_status(self, booking_url: str, external_booking_id: str) -> StatusCheck:
        """The request as the app shows it: pending, accepted (time + table), declined, rescheduled
        (the newly proposed time) or cancelled."""
        lines = self._request_page(booking_url, external_booking_id)
        state = status_of(lines)
        if state is None:
            raise BookingError(f"Slush matchmaking does not show the request {external_booking_id}: "
                               f"{' '.join(lines)[:200]}")
        start, proposed = times_in(lines, self.context.clock().date(), self._zone())
        if state == "rescheduled":
            return StatusCheck("rescheduled", proposed, None, f"They suggested another time (was {start:%H:%M})"
                               if start else "They suggested another time")
        if state == "accepted":
            table = self._schedule_table(external_booking_id) or table_in(lines)
            return StatusCheck("accepted", start, table, "Accepted in the app")
        detail = {"pending": "Still waiting for an answer", "declined": "Declined in the app",
                  "cancelled": "Cancelled in the app"}[state]
        return StatusCheck(state, start, None, detail)  # type: ignore[arg-type]

    def _schedule_table(self, request_id: str) -> str | None:
        """The table of the Schedule entry that links to the request (§5.2 [V]); None when it has none."""
        self.page.goto(f"{self.event_base}/schedule")
        self._arrive(APP_TABS, "the Schedule")
        since = clock.monotonic()

        def entry(driver: WebDriver) -> tuple[WebElement | None] | bool:
            for link in self.page.seen_all(role("link")):
                if (link.href or "").split("?")[0].rstrip("/").endswith(f"/{request_id}"):
                    return (link.element,)
            return (None,) if clock.monotonic() - since >= EMPTY_GRACE_SECONDS and not is_busy(self.page) else False

        element = self.page.wait_for(entry, "the meeting in the Schedule")[0]
        return table_in(run_script(self.page.driver, ENTRIES_JS, [element])[0]) if element is not None else None

    def respond_to_reschedule(self, booking_url: str, request_id: str, accept: bool) -> StatusCheck:
        """Accept or decline the new time the person proposed; returns the status afterwards."""
        lines = self._request_page(booking_url, request_id)
        if status_of(lines) != "rescheduled":
            raise BookingError(f"The request {request_id} has no new time to answer (it is {status_of(lines)})")
        self.page.click(ANSWER[accept], "Accept the new time" if accept else "Decline the new time")
        self.page.wait_for(lambda d: not is_busy(self.page) and not self.page.shows(ANSWER[accept]),
                           "the answer to be saved")
        return self.check_status(booking_url, request_id)
