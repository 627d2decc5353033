"""The day picker: a month grid or a week strip of day buttons, read as a person reads it.

A day button's date comes from its accessible name when that names a month ("Monday, January 6 -
Times available", "January 8th", "Monday 27th October …"), else from its number and the month the
picker shows (a title like "January 2025"). A day is bookable when its button is enabled and its name
doesn't say it has no times. The picker is ready when it is not busy, its days are drawn and at least
one is bookable — or, when none is, once the page had a moment to enable them (pages that draw every
day disabled until availability arrives look exactly like an empty month at first).
"""
from __future__ import annotations

import re
import time as clock
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterator, Sequence

from selenium.webdriver.remote.webdriver import WebDriver

from booking.browser.page import Page
from booking.browser.semantic import Found, Query, Way, matching, role, text
from booking.domain.errors import PageChanged, SlotTaken

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_ORD = r"(?:st|nd|rd|th)?"
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}){_ORD}\b(?:,?\s+(?P<year>\d{{4}}))?", re.I)
_DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(?P<year>\d{{4}}))?", re.I)
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_MONTH_TITLE = re.compile(rf"^\s*{_MONTH}\s+(?P<year>\d{{4}})\s*$", re.I)
_NAMED_MONTH = re.compile(rf"\b{_MONTH}(?!\w)", re.I)
_LEADING_NUMBER = re.compile(r"^\s*(?P<day>\d{1,2})(?!\d|:)")

MONTH_TITLE = matching(r"^(january|february|march|april|may|june|july|august|september|october|november|december) \d{4}$")
NO_TIMES = re.compile(r"no (available )?times|unavailable|not available|no availability|fully booked|no slots", re.I)
# A page that had this long to enable a day and enabled none has none this month (or week).
EMPTY_GRACE_SECONDS = 2.5
MAX_PAGES = 26


def month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return next(i + 1 for i, name in enumerate(MONTHS) if name.startswith(word[:3]))


def read_month_title(words: str) -> date | None:
    """"January 2025" (any case, abbreviated or not) → 1 Jan 2025; None for anything else."""
    match = _MONTH_TITLE.match(words or "")
    return date(int(match.group("year")), month_number(match.group("month")), 1) if match else None


def _year_near(month: int, day: int, shown: date | None, today: date) -> int:
    """The year of a day named without one: the shown month's, across a new year's turn; else the
    year that puts it after ``today``, give or take the past days of the week a strip shows."""
    if shown is not None:
        if shown.month == 12 and month == 1:
            return shown.year + 1
        if shown.month == 1 and month == 12:
            return shown.year - 1
        return shown.year
    candidate = date(today.year, month, min(day, 28))
    return today.year + 1 if (today - candidate).days > 14 else today.year


def date_in(words: str, shown: date | None, today: date) -> date | None:
    """The date a day button's name (or a heading) names, or None when it names no month."""
    match = _ISO.search(words or "")
    if match:
        try:
            return date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
        except ValueError:
            return None
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        match = pattern.search(words or "")
        if match:
            month, day = month_number(match.group("month")), int(match.group("day"))
            year = int(match.group("year")) if match.group("year") else _year_near(month, day, shown, today)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


@dataclass(frozen=True)
class Day:
    """One day button as the picker shows it now."""

    day: date
    found: Found
    bookable: bool

    @property
    def selected(self) -> bool:
        return self.found.selected


@dataclass(frozen=True)
class DayPickerSpec:
    """What a platform knows about its picker; every way has a semantic fallback after its hooks."""

    days: Sequence[Way] = (role("button"),)
    container: Sequence[Way] = (role("grid"), role("table"))
    month_title: Sequence[Way] = (text(MONTH_TITLE), role("heading", MONTH_TITLE))
    next: Sequence[Way] = (role("button", matching(r"^(go to |view |show )?next( month| week)?$")),)
    previous: Sequence[Way] = (role("button", matching(r"^(go to |view |show )?previous( month| week)?$")),)
    weekly: bool = False  # a week strip without a month title


@dataclass
class DayPicker:
    page: Page
    spec: DayPickerSpec
    today: date
    describe_picker: str = "the calendar's days"
    _empty_since: float | None = field(default=None, repr=False)

    # -- reading ------------------------------------------------------------------------------------
    def month(self) -> date | None:
        return self._month_of(self.page.seen_all(*self.spec.month_title))

    @staticmethod
    def _month_of(titles: list[Found]) -> date | None:
        for found in titles:
            shown = read_month_title(found.text or found.name)
            if shown:
                return shown
        return None

    def _queries(self) -> list[Query]:
        return [Query(kind="busy"), Query(tuple(self.spec.month_title)),
                Query(tuple(self.spec.days), scope=tuple(self.spec.container))]

    def read(self) -> tuple[date | None, list[Day]]:
        """The shown month (None for week strips) and its day buttons, read now (one round trip)."""
        return self._parse(*self.page.ask(*self._queries())[1:])

    def _parse(self, titles: list[Found], buttons: list[Found]) -> tuple[date | None, list[Day]]:
        shown = None if self.spec.weekly else self._month_of(titles)
        days: dict[date, Day] = {}
        for found in buttons:
            day = date_in(found.name, shown, self.today) or date_in(found.text, shown, self.today)
            if day is None and shown is not None:
                number = _LEADING_NUMBER.match(found.text or found.name or "")
                if number and (found.text or found.name).strip().split()[0].isdigit():
                    try:
                        day = shown.replace(day=int(number.group("day")))
                    except ValueError:
                        day = None
            if day is None or day in days:
                continue
            bookable = not found.disabled and not NO_TIMES.search(found.name)
            days[day] = Day(day, found, bookable)
        return shown, sorted(days.values(), key=lambda d: d.day)

    def ready(self, changed_from: Callable[[date | None, list[Day]], bool] | None = None) -> tuple[date | None, list[Day]]:
        """Wait until the picker is drawn and settled (see the module docstring); ``changed_from``:
        also until it differs from what it showed before a navigation."""
        self._empty_since = None

        def settled(driver: WebDriver) -> tuple[date | None, list[Day]] | bool:
            busy, titles, buttons = self.page.ask(*self._queries())
            if busy:
                return False
            shown, days = self._parse(titles, buttons)
            if not days or (not self.spec.weekly and shown is None):
                return False
            if changed_from is not None and not changed_from(shown, days):
                return False
            if any(d.bookable for d in days):
                return shown, days
            now = clock.monotonic()
            if self._empty_since is None:
                self._empty_since = now
            return (shown, days) if now - self._empty_since >= EMPTY_GRACE_SECONDS else False

        return self.page.wait_for(settled, self.describe_picker)

    # -- moving ---------------------------------------------------------------------------------------
    def _step(self, forward: bool) -> tuple[date | None, list[Day]] | None:
        """Show the next (or previous) month or week; None when the page offers no way there."""
        ways = self.spec.next if forward else self.spec.previous
        before_month, before_days = self.read()
        buttons = self.page.seen_all(*ways)
        if before_month is not None:  # arrows named by the month they show ("View February"): the adjacent one
            target = _add_month(before_month, 1 if forward else -1)
            buttons = [b for b in buttons if _names_month(b.name) in (None, target.month)]
        if not buttons or buttons[0].disabled:
            return None
        before = (before_month, tuple(d.day for d in before_days))
        self.page.click(buttons[0].element, "the " + ("next" if forward else "previous") + " month/week button")
        return self.ready(lambda shown, days: (shown, tuple(d.day for d in days)) != before)

    def show(self, day: date) -> tuple[date | None, list[Day]]:
        """Navigate until ``day`` is on screen."""
        shown, days = self.ready()
        for _ in range(MAX_PAGES):
            first = shown if shown is not None else days[0].day
            last = days[-1].day if self.spec.weekly or shown is None else _month_end(shown)
            if first <= day <= last or any(d.day == day for d in days):
                return shown, days
            moved = self._step(forward=day > last)
            if moved is None:
                break
            shown, days = moved
        raise PageChanged(self.page.label, f"the day {day:%-d %B %Y} in the calendar")

    def bookable_days(self, first: date, last: date) -> Iterator[date]:
        """Bookable days from ``first`` to ``last``, moving forward a month (or week) at a time."""
        shown, days = self.ready()
        if days and days[-1].day < first or (shown is not None and _month_end(shown) < first):
            shown, days = self.show(first)
        for _ in range(MAX_PAGES):
            current = [d.day for d in days if d.bookable and first <= d.day <= last]
            yield from current
            shown, days = self.read()  # where the caller left the picker
            horizon = days[-1].day if days else last
            if shown is not None and not self.spec.weekly:
                horizon = max(horizon, _month_end(shown))
            if horizon >= last:
                return
            moved = self._step(forward=True)
            if moved is None:
                return
            shown, days = moved

    def select(self, day: date) -> bool:
        """Click ``day`` unless it is the selected one already; False when its button can't be pressed
        (some pages disable the selected day: the caller checks whether its times show)."""
        _, days = self.show(day)
        target = next((d for d in days if d.day == day), None)
        if target is None:
            raise SlotTaken(f"{day:%-d %B} is no longer shown in the calendar")
        if target.selected:
            return True
        if not target.bookable:
            return False
        self.page.click(target.found.element, f"the day {day:%-d %B}")
        return True


def _names_month(words: str) -> int | None:
    match = _NAMED_MONTH.search(words or "")
    return month_number(match.group("month")) if match else None


def _add_month(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _month_end(month: date) -> date:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
