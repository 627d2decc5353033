"""The list of times for the selected day: buttons, checkboxes, radios, options or links named by a clock time.

A control counts as a time when its accessible name starts with a clock time in any common format
("4:00pm", "4:00 pm on January 8th", "9:30 AM", "14:00"); placeholders and skeletons name none, and
disabled ones are taken. The list is ready for a day when the page isn't busy and it shows times that
belong to that day: the page names the day (in its URL, a heading, a status, the times' own names)
and the list changed after the day was clicked, or it stayed the same for a moment (a page that
reuses its elements), or it says the day has no times. A page that may never name the day (``auto``'s
unknown pages, ``TimeListSpec.unnamed_days``) is believed on a list that held over three readings, on the
list it showed for that day the last time, and on an empty list once the grace has passed.

One reader of clock times serves every platform and ``auto`` (:func:`clock_of`: "9:30 AM", "14.30",
"14h30", "2pm", "09:30–10:00"); a time drawn as the label of a hidden radio is clicked on its label.
"""
from __future__ import annotations

import re
import time as clock
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Callable, Iterator, Sequence
from zoneinfo import ZoneInfo

from selenium.webdriver.remote.webdriver import WebDriver

from booking.browser.page import Page
from booking.browser.semantic import Found, Query, Way, matching, role, text
from booking.domain.slots import Interval, OfferedSlot, SlotParseError, localize, parse_clock
from booking.platforms.parts.calendar import EMPTY_GRACE_SECONDS, MONTHS, DayPicker
from booking.platforms.parts.choices import where_clicked

# A clock time in any common format: "9:30", "14.30", "14h30", "9:30 AM", "2pm", "12:15 a.m.".
CLOCK = r"(\d{1,2}[:.h]\d{2}(\s*[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?)(?![\d:])"
CLOCK_AT_START = rf"^{CLOCK}"
_CLOCK = re.compile(CLOCK_AT_START, re.I)
TIME_CONTROLS: tuple[Way, ...] = tuple(role(kind, matching(CLOCK_AT_START))
                                       for kind in ("button", "checkbox", "radio", "option", "link", "menuitemradio"))
NO_TIMES = (text(matching(r"no (available )?(times|slots|spots)|no availability|fully booked|nothing available")),)


@dataclass(frozen=True)
class TimeChoice:
    """One offered time: its wall-clock time, the text as shown ("4:00pm") and the control."""

    clock: time
    label: str
    found: Found


def clock_of(words: str) -> tuple[time, str] | None:
    """The clock time a control's name starts with, and that text; None when it names none."""
    match = _CLOCK.match((words or "").strip())
    if not match:
        return None
    try:
        return parse_clock(match.group(0)), match.group(0).strip()
    except SlotParseError:
        return None


def mentions(words: str, day: date) -> bool:
    """Whether ``words`` name ``day`` ("January 6", "6 January", "Jan 6th", "2026-01-06")."""
    month = MONTHS[day.month - 1]
    pattern = (rf"\b({month}|{month[:3]})\.?\s+0?{day.day}(st|nd|rd|th)?\b"
               rf"|\b0?{day.day}(st|nd|rd|th)?\s+(of\s+)?({month}|{month[:3]})\b|{day.isoformat()}")
    return re.search(pattern, words or "", re.I) is not None


@dataclass(frozen=True)
class TimeListSpec:
    controls: Sequence[Way] = TIME_CONTROLS      # a platform's hooks may come first; all are used together
    container: Sequence[Way] = ()
    empty: Sequence[Way] = NO_TIMES
    unnamed_days: bool = False  # the page may never name the day its times are for (see the module docstring)


@dataclass
class TimeList:
    page: Page
    spec: TimeListSpec = TimeListSpec()
    _since: float | None = field(default=None, repr=False)
    day: date | None = None  # the day whose times are being read
    # The day read last and its controls: the same day chosen again (to pick a slot after reading its
    # times) shows the same list, which a page that never names its day can't prove otherwise.
    _read: tuple[date, frozenset[str]] | None = field(default=None, repr=False)

    def _query(self) -> Query:
        return Query(tuple(self.spec.controls), scope=tuple(self.spec.container), every=True)

    def _choice(self, item: Found) -> TimeChoice | None:
        """The time an enabled control names, read from its name or text; None when it names none."""
        read = clock_of(item.name) or clock_of(item.text)
        return TimeChoice(read[0], read[1], item) if read is not None else None

    def _choices(self, found: list[Found]) -> list[TimeChoice]:
        return [c for c in (self._choice(item) for item in found if not item.disabled) if c is not None]

    def read(self) -> list[TimeChoice]:
        """The enabled time controls shown now, in page order (one round trip)."""
        return self._choices(self.page.ask(self._query())[0])

    def ids(self) -> frozenset[str]:
        """Which elements the list is made of now (to tell a refreshed list from the last one)."""
        return frozenset(c.found.element.id for c in self.read())

    def for_day(self, day: date, before: frozenset[str]) -> list[TimeChoice]:
        """Wait until the list shows ``day``'s times (see the module docstring) and return them."""
        self._since = None
        self.day = day
        last: list[frozenset[str]] = []
        unnamed = self.spec.unnamed_days
        readings = 3 if unnamed else 2  # how many equal readings in a row make a list steady

        def ready(driver: WebDriver) -> tuple[list[TimeChoice]] | bool:
            busy, state, found, empty = self.page.ask(Query(kind="busy"), Query(kind="page"), self._query(),
                                                      Query(tuple(self.spec.empty), details=False))
            if busy:
                self._since = None  # a spinner: the grace starts when it is gone
                return False
            now = clock.monotonic()
            self._since = self._since or now
            waited = now - self._since >= EMPTY_GRACE_SECONDS
            choices = self._choices(found)
            ids = frozenset(c.found.element.id for c in choices)
            named = mentions(state.url, day) or any(mentions(c.found.name, day) for c in choices) \
                or mentions(state.text, day)
            last.append(ids)
            steady = len(last) >= readings and all(seen == ids for seen in last[-readings:])
            known = unnamed and self._read == (day, ids)  # this day's list as read last time
            if choices and ids != before and (named or steady):
                return (choices,)
            if choices and ids == before and (waited or ((named or known) and steady)):
                return (choices,)
            if not choices and empty and (named or waited or (unnamed and steady)):  # a stale "no times" is not it
                return ([],)
            if not choices and unnamed and waited:  # a page may say nothing at all of an empty day
                return ([],)
            return False

        choices: list[TimeChoice] = self.page.wait_for(ready, f"the times of {day:%-d %B}")[0]
        self._read = (day, frozenset(c.found.element.id for c in choices))
        return choices

    def pick(self, label: str, wanted: time | None = None) -> Found | None:
        """The shown control for ``label`` (else, when ``wanted`` is given, any with that clock time), as
        the element a person clicks: the drawn label of a hidden radio."""
        choices = self.read()
        found = next((c.found for c in choices if c.label == label), None) or \
            next((c.found for c in choices if wanted is not None and c.clock == wanted), None)
        return where_clicked(self.page, found) if found is not None else None


def offered_slots(picker: DayPicker, times_of: Callable[[DayPicker, date], list[tuple[str, time]]],
                  window: Interval, zone: str, duration: timedelta) -> Iterator[OfferedSlot]:
    """The slots a day picker and its time list offer inside ``window`` (days and clock times in the
    page's ``zone``), earliest first; each slot's ``ref`` is (day, the time's text as shown)."""
    page_zone = ZoneInfo(zone)
    first_day = window.start.astimezone(page_zone).date()
    last_day = (window.end - timedelta(microseconds=1)).astimezone(page_zone).date()  # the end is exclusive
    for day in picker.bookable_days(first_day, last_day):
        for label, wall in times_of(picker, day):
            yield OfferedSlot.lasting(localize(day, wall, zone), duration, label, ref=(day, label))
