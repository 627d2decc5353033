"""A recipe's calendar pinned to what ``auto`` found: ``pick_date: {control: …}`` and ``pick_time:
{slots: clock_times, zone: …}`` read and pick days and times with auto's own reader of that kind.

The recipe says which kind of date control the page has and which zone its times are in, so nothing
is discovered at run time (no probing for frames, control kinds or zone sentences): the reader of
that kind is built at once and the times are the controls named by a clock time.
"""
from __future__ import annotations

from datetime import date, time, timedelta
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

from booking.browser.page import Page
from booking.domain.errors import SlotTaken
from booking.domain.slots import Interval, OfferedSlot, localize
from booking.platforms.auto_dates import (
    DateControl, FieldDates, GridDates, ListDates, SlotDates, Times, choose_option, find_date_control,
)

# The recipe's control names → auto's readers (kind, and for the grid whether it is a week strip).
READERS: dict[str, Callable[[Page, date], DateControl]] = {
    "day_grid": lambda page, today: GridDates(page, today),
    "week_grid": lambda page, today: GridDates(page, today, weekly=True),
    "date_field": lambda page, today: FieldDates(page),
    "date_list": lambda page, today: ListDates(page, today),
    "day_slots": lambda page, today: SlotDates(page, today),
}


def control_name(control: DateControl) -> str:
    """The recipe's name for the control ``auto`` found (the inverse of :data:`READERS`)."""
    if isinstance(control, GridDates):
        return "week_grid" if control.weekly else "day_grid"
    return {"field": "date_field", "list": "date_list", "slots": "day_slots"}[control.kind]


class PinnedCalendar:
    """Days and times through auto's readers of the recorded kind, in the recorded zone."""

    def __init__(self, page: Page, control: str, zone: str, duration: timedelta, today: date,
                 what: str, after_day: Callable[[date], None]) -> None:
        self.page = page
        self.kind = control
        self.zone = zone
        self.duration = duration
        self.what = what
        self.after_day = after_day  # the recipe's steps between pick_date and pick_time, and the listener
        self.today = today
        self.control = READERS[control](page, today)
        self.times = Times(page)
        self.day_shown: date | None = None  # the day whose times the page shows now

    def shown(self) -> None:
        """Wait until the page shows a date control (of any kind: the recorded reader then reads it)."""
        self.page.wait_for(lambda _d: find_date_control(self.page, self.today) is not None, self.what)

    def times_of(self, day: date) -> list[tuple[str, time]]:
        before = self.times.ids()
        self.day_shown = None
        self.control.select(day)
        self.after_day(day)
        times = [(c.label, c.clock) for c in self.times.for_day(day, before)]
        self.day_shown = day
        return times

    def slots(self, window: Interval) -> Iterator[OfferedSlot]:
        zone = ZoneInfo(self.zone)
        first = window.start.astimezone(zone).date()
        last = (window.end - timedelta(microseconds=1)).astimezone(zone).date()
        for day in self.control.days(first, last):
            for label, wall in self.times_of(day):
                yield OfferedSlot.lasting(localize(day, wall, self.zone), self.duration, label, ref=(day, label))

    def choose(self, slot: OfferedSlot) -> None:
        """Click the slot's time; its day is picked again unless the page still shows that day's times."""
        day, label = slot.ref
        target = self.times.pick(label) if self.day_shown == day else None
        if target is None and not any(text == label for text, _ in self.times_of(day)):
            raise SlotTaken(f"{label} on {day:%A, %B} {day.day} is no longer offered")
        target = target or self.times.pick(label)
        if target is None:
            raise SlotTaken(f"{label} on {day:%A, %B} {day.day} is no longer offered")
        if target.selected or target.checked:
            return
        if target.tag == "option":
            choose_option(self.page, target, f"the time {label}")
        else:
            self.page.click(target.element, f"the time {label}")

