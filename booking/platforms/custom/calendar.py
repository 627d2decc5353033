"""The recipe's calendar: the ``pick_date`` day cells (disabled days skipped, next-month navigation, a
month title when the cells show only the day) and the ``pick_time`` list, read lazily, day by day, and
the chosen day and time clicked again (replaying the steps from ``open`` when the page has moved on).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterator
from zoneinfo import ZoneInfo

from booking.domain.errors import PageChanged, SlotTaken
from booking.domain.slots import Interval, OfferedSlot, SlotParseError
from booking.platforms.custom.pinned import PinnedCalendar
from booking.platforms.custom.reading import extract, parse_slot_time
from booking.platforms.custom.scripts import READ_CELLS_JS
from booking.platforms.custom.steps import RecipeSteps
from booking.recipes.steps import PickDateStep, PickTimeStep, WaitStep, format_has_month_and_year

MAX_MONTHS = 13


class RecipeCalendar(RecipeSteps):
    """Reads and picks days and times as the recipe describes them; abstract like :class:`RecipeSteps`."""

    def __init__(self, page, options=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(page, options)
        self.selected_day: date | None = None
        self._page_zone: str | None = None
        self.pinned: PinnedCalendar | None = None  # pick_date {control}: auto's reader, built once per open

    def _page_timezone(self) -> str:
        if self._page_zone is None:
            self._page_zone = self.page.driver.execute_script(
                "return Intl.DateTimeFormat().resolvedOptions().timeZone") or "UTC"
        return self._page_zone

    def _zone(self, zone: str | None) -> str:
        chosen = zone or (self.recipe.timezone if self.recipe else None) or "page"
        return self._page_timezone() if chosen == "page" else chosen

    def _date_step(self) -> PickDateStep | None:
        index = self.recipe.date_index if self.recipe else None
        step = self.steps[index] if index is not None else None
        return step if isinstance(step, PickDateStep) else None

    def _time_step(self) -> PickTimeStep:
        step = self.steps[self.recipe.time_index]  # type: ignore[union-attr]
        assert isinstance(step, PickTimeStep)
        return step

    def _pinned(self) -> PinnedCalendar | None:
        """The calendar pinned to auto's readers, when the recipe's pick_date names a control."""
        step = self._date_step()
        if step is None or step.control is None:
            return None
        if self.pinned is None:
            time_step, index = self._time_step(), self.recipe.date_index  # type: ignore[union-attr]
            zone = self._zone(time_step.zone)
            length = timedelta(minutes=time_step.duration_minutes or self.recipe.duration_minutes)  # type: ignore[union-attr]
            today = self.context.clock().astimezone(ZoneInfo(zone)).date()
            self.pinned = PinnedCalendar(self.page, step.control, zone, length, today,
                                         self._what(index, f"the page's {step.control}"), self._after_pinned_day)  # type: ignore[arg-type]
            self.pinned.shown()
        return self.pinned

    def _after_pinned_day(self, day: date) -> None:
        assert self.recipe is not None and self.recipe.date_index is not None
        self.selected_day = day
        if self.listener:
            self.listener(self.recipe.date_index + 1, self.steps[self.recipe.date_index], f"picked the day {day:%a %d %b %Y}")
        self._run(self.recipe.date_index + 1, self.recipe.time_index)

    def _month_context(self, step: PickDateStep) -> date | None:
        if step.month_title is None:
            return None
        title = self.page.find(self._locator(step.month_title.selector), "the month title").text.strip()
        try:
            return datetime.strptime(title, step.month_title.format).date()
        except ValueError:
            raise PageChanged(self.label, f"a month title in the format {step.month_title.format!r} (saw {title!r})") from None

    def _read_days(self) -> list[tuple[date, bool, int]]:
        step = self._date_step()
        assert step is not None
        index = self.recipe.date_index  # type: ignore[union-attr]
        assert step.days and step.date_from is not None  # a CSS pick_date (validated)
        self.page.find(self._locator(step.days), self._what(index, f"the day cells ({step.days})"), visible=False)
        cells = self.page.driver.execute_script(READ_CELLS_JS, step.days, step.date_from.attribute, step.disabled)
        month = None if format_has_month_and_year(step.date_from.format) else self._month_context(step)
        days = []
        for raw, disabled, position, _ in cells:
            text = extract(raw or "", step.date_from.pattern)
            if not text:
                continue
            try:
                parsed = datetime.strptime(text.strip(), step.date_from.format).date()
            except ValueError:
                raise PageChanged(self.label, self._what(
                    index, f"day cells in the format {step.date_from.format!r} (saw {text!r})")) from None
            if month is not None:
                parsed = parsed.replace(year=month.year, month=month.month)
            days.append((parsed, bool(disabled), int(position)))
        return days

    def _next_month(self, before: list[tuple[date, bool, int]]) -> bool:
        step = self._date_step()
        assert step is not None
        if not step.next_month:
            return False
        buttons = [b for b in self.page.find_all(self._locator(step.next_month)) if b.is_displayed()]
        if not buttons or not buttons[0].is_enabled() or buttons[0].get_attribute("aria-disabled") == "true":
            return False
        signature = [d for d, _, _ in before]
        self.page.click(buttons[0], "the next-month button")
        self.page.wait_for(lambda _d: [d for d, _, _ in self._read_days()] != signature, "the next month to show")
        return True

    def _click_day(self, day: date) -> bool:
        """Select ``day`` if its cell is in the shown month and can be picked; False when it isn't shown."""
        step = self._date_step()
        assert step is not None
        for found, disabled, position in self._read_days():
            if found != day:
                continue
            if disabled:
                raise SlotTaken(f"{day:%a %d %b} can no longer be picked")
            cell = self.page.find_all(self._locator(step.days))[position]
            target = cell.find_element("css selector", step.click) if step.click else cell
            self.page.click(target, f"the day {day:%a %d %b}")
            self.selected_day = day
            if self.listener:
                self.listener(self.recipe.date_index + 1, step, f"picked the day {day:%a %d %b %Y}")  # type: ignore[operator,union-attr]
            after_date = self.recipe.date_index + 1  # type: ignore[union-attr,operator]
            between = range(after_date, self.recipe.time_index)  # type: ignore[union-attr]
            if not any(isinstance(self.steps[i], WaitStep) for i in between):
                self._wait_network_idle(f"the times of {day:%a %d %b} to load")
            self._run(after_date, self.recipe.time_index)  # type: ignore[union-attr]
            return True
        return False

    def _read_slots(self, day: date | None) -> list[tuple[OfferedSlot, int]]:
        step = self._time_step()
        index = self.recipe.time_index  # type: ignore[union-attr]
        read = step.time_from
        assert read is not None  # CSS slots (validated)
        cells = self.page.driver.execute_script(READ_CELLS_JS, step.slots, read.attribute, step.disabled)
        zone = self._zone(read.zone)
        length = timedelta(minutes=step.duration_minutes or self.recipe.duration_minutes)  # type: ignore[union-attr]
        slots = []
        for raw, disabled, position, _ in cells:
            if disabled:
                continue
            text = extract(raw or "", read.pattern)
            if not text:
                continue
            try:
                start = parse_slot_time(text, read.format, zone, day)
            except (SlotParseError, ValueError, OverflowError):
                raise PageChanged(self.label, self._what(index, f"times in the format {read.format!r} (saw {text!r})")) from None
            slots.append((OfferedSlot(start, start + length, text.strip(), ref=(day, start)), int(position)))
        return slots

    def iter_slots(self, window: Interval) -> Iterator[OfferedSlot]:
        pinned = self._pinned()
        if pinned is not None:
            yield from pinned.slots(window)
            return
        date_step = self._date_step()
        if date_step is None:
            try:  # times that carry their date: wait until the list shows (e.g. after choosing the person)
                slots, disabled = self._time_step().slots, self._time_step().disabled
                self.page.wait_for(lambda d: d.execute_script(READ_CELLS_JS, slots, None, disabled),
                                   self._what(self.recipe.time_index, "the time slots"))  # type: ignore[union-attr]
            except PageChanged:
                return
            for slot, _ in self._read_slots(None):
                if window.start <= slot.start <= window.end:
                    yield slot
            return
        zone = self._zone(self.recipe.timezone if self.recipe else None)
        first_day = window.start.astimezone(ZoneInfo(zone)).date() - timedelta(days=1)
        last_day = window.end.astimezone(ZoneInfo(zone)).date() + timedelta(days=1)
        for _ in range(MAX_MONTHS):
            days = self._read_days()
            if not days:
                raise PageChanged(self.label, f"the day cells ({date_step.days})")
            for day, disabled, _ in days:
                if disabled or not first_day <= day <= last_day:
                    continue
                self._click_day(day)
                for slot, _ in self._read_slots(day):
                    if window.start <= slot.start <= window.end:
                        yield slot
            if max(d for d, _, _ in days) >= last_day or not self._next_month(days):
                return

    def _back_to_calendar(self) -> None:
        """Replay the steps from ``open`` (the page moved on: a later month, a later page)."""
        assert self.recipe is not None
        self._run(0, self.recipe.calendar_index)

    def choose_slot(self, slot: OfferedSlot) -> None:
        assert self.recipe is not None
        pinned = self._pinned()
        if pinned is not None:
            pinned.choose(slot)
            if self.listener:
                self.listener(self.recipe.time_index + 1, self._time_step(), f"picked {slot.label} ({slot.start.isoformat()})")
            return
        day, start = slot.ref
        if day is not None:
            shown = self.page.find_all(self._locator(self._date_step().days))  # type: ignore[union-attr]
            if not shown or not (self.selected_day == day or self._click_day(day)):
                self._back_to_calendar()
                for _ in range(MAX_MONTHS):
                    if self._click_day(day):
                        break
                    if not self._next_month(self._read_days()):
                        raise SlotTaken(f"{day:%a %d %b} is no longer offered")
        elif not self.page.find_all(self._locator(self._time_step().slots)):
            self._back_to_calendar()
        match = next((position for offered, position in self._read_slots(day) if offered.start == start), None)
        if match is None:
            raise SlotTaken(f"{slot.label} is no longer offered")
        element = self.page.find_all(self._locator(self._time_step().slots))[match]
        self.page.click(element, f"the time {slot.label}")
        if self.listener:
            self.listener(self.recipe.time_index + 1, self._time_step(), f"picked {slot.label} ({start.isoformat()})")
