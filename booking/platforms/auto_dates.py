"""The date and time controls of an unknown booking page, each behind one small interface.

A page lets a person pick a day in one of three ways: a grid of day buttons (any calendar widget:
read with the shared :class:`DayPicker`), an ``<input type="date">`` (set per candidate day), or a
list of dates (a ``<select>``, or buttons/radios/links named by a date). Whichever it is, the times
come after the day: controls named by a clock time, read once the list has settled for that day — by
the platforms' own :class:`~booking.platforms.parts.times.TimeList`, told the page may never name its day.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from typing import Iterator, Protocol

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.select import Select

from booking.browser.page import Page
from booking.browser.semantic import Found, Query, Way, matching, role
from booking.domain.errors import SlotTaken
from booking.platforms.auto_reading import (
    DATE_FIELD, GENERIC_PICKER, NEXT_WAYS, OPTION, PREVIOUS_WAYS, TIME_OPTION, dates_of, is_placeholder,
)
from booking.platforms.parts.calendar import DayPicker, date_in
from booking.platforms.parts.times import CLOCK, TIME_CONTROLS, TimeChoice, TimeList, TimeListSpec, clock_of

# Slots named by their day and clock together ("Tue 1 Dec 10:30", a week view's radios): a clock
# anywhere in the name, counted only when the name also gives a date.
CLOCK_INSIDE = rf"\b{CLOCK}(?![a-z])"  # the one clock reading; not the start of a word ("1 Amsterdam")
_CLOCK_INSIDE = re.compile(CLOCK_INSIDE, re.I)
DATED_TIMES: tuple[Way, ...] = tuple(role(kind, matching(CLOCK_INSIDE)) for kind in ("radio", "button", "checkbox", "link"))
TIMES: tuple[Way, ...] = (*TIME_CONTROLS, TIME_OPTION, *DATED_TIMES)
WEEKS_AHEAD = 8  # arrows pressed at most, looking for the search window's days
DAY_GRID_WAYS: tuple[Way, ...] = tuple(GENERIC_PICKER.container)
DATE_CHOICES: tuple[Way, ...] = (role("button"), role("radio"), role("link"), role("tab"))
# An arrow to the next week, by name: with days named as headings, a week view whose shown week has no
# free slot (a Sunday's week, a full week) — a person turns to the next week, so does Booker.
_NEXT_WEEK = r"^((go to|view|show|see) )?(the )?(next|following) week\W*$"
WEEK_ARROWS: tuple[Way, ...] = (role("button", matching(_NEXT_WEEK)), role("link", matching(_NEXT_WEEK)))
DAY_HEADINGS: tuple[Way, ...] = (role("heading"),)

# The native value setter and the events a framework listens to: a date field set like a person's pick.
_SET_DATE_JS = (
    "const el = arguments[0]; const proto = Object.getPrototypeOf(el);"
    "Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, arguments[1]);"
    "el.dispatchEvent(new Event('input', {bubbles: true}));"
    "el.dispatchEvent(new Event('change', {bubbles: true}));"
    "return el.value;"
)


class DateControl(Protocol):
    """How a page lets a person pick a day."""

    kind: str

    def days(self, first: date, last: date) -> Iterator[date]:
        """Days that may be booked from ``first`` to ``last`` (each shown as the current one when asked)."""

    def select(self, day: date) -> None:
        """Make ``day`` the page's chosen day (SlotTaken when it is no longer offered)."""

    def describe_empty(self) -> str:
        """What was seen when no day had times ("a date picker with 0 enabled days")."""


def _select_of(page: Page, option: WebElement) -> Select:
    return Select(option.find_element(By.XPATH, "./ancestor::select[1]"))


def choose_option(page: Page, option: Found, what: str) -> None:
    """Pick an ``<option>`` as a person does (through its list), or click an ARIA option."""
    if option.tag == "option":
        try:
            _select_of(page, option.element).select_by_visible_text(option.text or option.name)
        except WebDriverException:
            raise SlotTaken(f"{what} can no longer be chosen") from None
        return
    page.click(option.element, what)


@dataclass
class GridDates:
    """A grid or table of day buttons (month or week), through the shared day picker."""

    page: Page
    today: date
    kind: str = "grid"
    seen_enabled: int = 0

    weekly: bool = False  # a strip of days named with their month, under no month title

    def __post_init__(self) -> None:
        spec = replace(GENERIC_PICKER, weekly=True) if self.weekly else GENERIC_PICKER
        self.picker = DayPicker(self.page, spec, self.today, "the calendar's days")

    def days(self, first: date, last: date) -> Iterator[date]:
        for day in self.picker.bookable_days(first, last):
            self.seen_enabled += 1
            yield day

    def select(self, day: date) -> None:
        if not self.picker.select(day):
            raise SlotTaken(f"{day:%-d %B} can no longer be picked")

    def describe_empty(self) -> str:
        return f"a date picker with {self.seen_enabled} enabled days in the search window"


@dataclass
class FieldDates:
    """An ``<input type="date">``: every day of the window within its min/max is a candidate. The field
    is found afresh each time: a page may reload itself when a date or a person changes."""

    page: Page
    kind: str = "field"

    def _field(self) -> WebElement:
        return self.page.wait_for(lambda d: (self.page.ask(Query(DATE_FIELD))[0] or [None])[0] or False,
                                  "the date field").element

    def _bound(self, attribute: str) -> date | None:
        words = self._field().get_attribute(attribute) or ""
        try:
            return date.fromisoformat(words) if words else None
        except ValueError:
            return None

    def days(self, first: date, last: date) -> Iterator[date]:
        low, high = self._bound("min"), self._bound("max")
        day = max(first, low) if low else first
        end = min(last, high) if high else last
        while day <= end:
            yield day
            day += timedelta(days=1)

    def select(self, day: date) -> None:
        field_now = self._field()
        if field_now.get_attribute("value") == day.isoformat():
            return  # already the day (a page that reloads on a change shows it set)
        value = self.page.driver.execute_script(_SET_DATE_JS, field_now, day.isoformat())
        if value != day.isoformat():
            raise SlotTaken(f"the date field refused {day:%-d %B}")

    def describe_empty(self) -> str:
        return "a date field with no times on any day"


@dataclass
class ListDates:
    """A list of dates: a ``<select>``'s options, or buttons, radios or links named by a date."""

    page: Page
    today: date
    kind: str = "list"
    offered: int = 0

    def _choices(self) -> list[tuple[date, Found]]:
        found = [f for f in self.page.seen_all(OPTION, *DATE_CHOICES, every=True)
                 if not f.disabled and not is_placeholder(f.text or f.name, f.value if f.tag == "option" else None)]
        by_words = {(f.text or f.name): f for f in found}
        return [(day, by_words[words]) for day, words in dates_of(list(by_words), self.today)]

    def days(self, first: date, last: date) -> Iterator[date]:
        choices = [day for day, _ in self._choices()]
        self.offered = len(choices)
        yield from (day for day in choices if first <= day <= last)

    def select(self, day: date) -> None:
        target = next((f for d, f in self._choices() if d == day), None)
        if target is None:
            raise SlotTaken(f"{day:%-d %B} is no longer in the list of dates")
        if target.selected or target.checked:
            return
        choose_option(self.page, target, f"the date {day:%-d %B}")

    def describe_empty(self) -> str:
        return f"a list of {self.offered} dates with no times"


def dated_clock(words: str, today: date) -> tuple[date, time, str] | None:
    """A slot named by its day and clock together ("Tue 1 Dec 10:30"): the day, the clock, the clock's words."""
    match = _CLOCK_INSIDE.search(words or "")
    if match is None or match.start() == 0:
        return None
    day = date_in(words[:match.start()], None, today) or date_in(words, None, today)
    read = clock_of(match.group(0))
    return (day, read[0], read[1]) if day is not None and read is not None else None


@dataclass
class SlotDates:
    """A week (or list) of slots each named with its own day: the days are those the slots name; other
    weeks are reached with "Next week"/"Previous week" arrows, by name."""

    page: Page
    today: date
    kind: str = "slots"
    offered: int = 0

    def _shown(self) -> dict[date, int]:
        days: dict[date, int] = {}
        for found in self.page.ask(Query(DATED_TIMES, every=True))[0]:
            read = dated_clock(found.name or found.text, self.today)
            if read is not None and not found.disabled:
                days[read[0]] = days.get(read[0], 0) + 1
        return days

    def _turn(self, ways: tuple[Way, ...]) -> bool:
        """Press an arrow and wait until other slots are shown; False when there is no arrow."""
        before = sorted(self._shown())
        arrows = [f for f in self.page.seen_all(*ways) if not f.disabled]
        if not arrows:
            return False
        self.page.click(arrows[0].element, "the arrow to the next/previous week")
        self.page.wait_for(lambda d: sorted(self._shown()) != before, "other days' slots after the arrow")
        return True

    def days(self, first: date, last: date) -> Iterator[date]:
        done: set[date] = set()
        for _ in range(WEEKS_AHEAD):
            shown = self._shown()
            for day in sorted(shown):
                if first <= day <= last and day not in done:
                    done.add(day)
                    self.offered += 1
                    yield day
            if (shown and max(shown) >= last) or not self._turn(NEXT_WAYS):
                return

    def select(self, day: date) -> None:
        for _ in range(WEEKS_AHEAD):
            shown = self._shown()
            if day in shown:
                return
            if not shown or not self._turn(NEXT_WAYS if day > max(shown) else PREVIOUS_WAYS):
                break
        raise SlotTaken(f"{day:%-d %B} has no slots any more")

    def describe_empty(self) -> str:
        return f"{self.offered} days of slots named with their day, none free"


def find_date_control(page: Page, today: date) -> DateControl | None:
    """The page's date control now, surest first: a day grid, a date field, a list of dates."""
    grid, date_field, options = page.ask(Query(DAY_GRID_WAYS), Query(DATE_FIELD), Query((OPTION,), every=True))
    if grid:
        shown, days = DayPicker(page, GENERIC_PICKER, today).read()
        if days and shown is not None:
            return GridDates(page, today)
        if DayPicker(page, replace(GENERIC_PICKER, weekly=True), today).read()[1]:
            return GridDates(page, today, weekly=True)
    if date_field:
        return FieldDates(page)
    if any(dated_clock(f.name or f.text, today) for f in page.ask(Query(DATED_TIMES, every=True))[0]):
        return SlotDates(page, today)
    named = [f for f in page.seen_all(*DATE_CHOICES, every=True)]
    if dates_of([f.text or f.name for f in [*options, *named]], today):
        return ListDates(page, today)
    arrows, headings = page.ask(Query(WEEK_ARROWS), Query(DAY_HEADINGS, every=True))
    if arrows and len(dates_of([f.name or f.text for f in headings], today)) >= 2:
        return SlotDates(page, today)  # a week of days with no slot free yet: the next week's are read
    return None


@dataclass
class Times(TimeList):
    """Controls named by a clock time for the chosen day (:class:`TimeList`'s reading, on a page that may never
    name its day), and slots named by their day and clock together, counted for their own day only."""

    spec: TimeListSpec = TimeListSpec(controls=TIMES, unnamed_days=True)

    def _choice(self, item: Found) -> TimeChoice | None:
        plain = super()._choice(item)
        if plain is not None:
            return plain
        words = item.name or item.text
        dated = dated_clock(words, self.day or date.today())
        if dated is not None and (self.day is None or dated[0] == self.day):
            return TimeChoice(dated[1], words.strip(), item)  # the whole name: unique per day
        return None
