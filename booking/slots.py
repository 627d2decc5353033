"""Slot parsing and matching: pure functions, no browser, no clock, no network.

Booking pages show times as text ("4:00pm", "4:00 pm", "9:30 AM", "14:00") in a display zone, or
as UTC ISO attributes. Everything is turned into timezone-aware datetimes here, then intersected
with the teammate's free time and rules by :func:`pick_slots`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo


class SlotParseError(ValueError):
    """A page's time text could not be read as a time; the message quotes it."""


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval needs timezone-aware datetimes")

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end

    def padded(self, before: timedelta, after: timedelta) -> "Interval":
        return Interval(self.start - before, self.end + after)


@dataclass(frozen=True)
class OfferedSlot:
    """A time the page offers. ``ref`` is whatever the platform needs to click it again."""

    start: datetime
    end: datetime
    label: str
    ref: Any = field(default=None, compare=False, hash=False)

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


@dataclass(frozen=True)
class SlotRules:
    """What makes an offered slot acceptable to the teammate."""

    timezone: str
    earliest: datetime
    latest: datetime
    busy: tuple[Interval, ...] = ()
    buffer: timedelta = timedelta(0)
    working_hours: tuple[time, time] | None = None
    working_days: frozenset[int] = frozenset(range(7))  # Monday == 0
    preferred: tuple[Interval, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# -- parsing -------------------------------------------------------------------------------------

_CLOCK = re.compile(
    r"^\s*(?P<hour>\d{1,2})(?:[:.h](?P<minute>\d{2}))?\s*(?P<meridiem>[ap]\.?\s?m\.?)?\s*$",
    re.IGNORECASE,
)


def parse_clock(text: str) -> time:
    """Read "4:00pm", "4:00 pm", "9:30 AM", "14:00", "4pm" or "12:15 a.m." as a wall-clock time."""
    match = _CLOCK.match(text or "")
    if not match:
        raise SlotParseError(f"can't read {text!r} as a time")
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    meridiem = (match.group("meridiem") or "").lower().replace(".", "").replace(" ", "")
    if minute > 59:
        raise SlotParseError(f"can't read {text!r} as a time")
    if meridiem:
        if not 1 <= hour <= 12:
            raise SlotParseError(f"can't read {text!r} as a 12-hour time")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif match.group("minute") is None or hour > 23:
        raise SlotParseError(f"can't read {text!r} as a time")
    return time(hour, minute)


def localize(day: date, clock: time, zone_name: str) -> datetime:
    """Attach ``zone_name`` to a wall-clock time, refusing times a DST change skips."""
    zone = ZoneInfo(zone_name)
    naive = datetime.combine(day, clock)
    aware = naive.replace(tzinfo=zone)
    round_trip = aware.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise SlotParseError(f"{naive:%Y-%m-%d %H:%M} does not exist in {zone_name} (DST change)")
    return aware


def slot_from_text(day: date, text: str, zone_name: str, duration: timedelta, ref: Any = None) -> OfferedSlot:
    start = localize(day, parse_clock(text), zone_name)
    return OfferedSlot(start=start, end=start + duration, label=text.strip(), ref=ref)


def parse_iso(text: str) -> datetime:
    """Read an ISO-8601 timestamp with an offset or ``Z``; naive input is refused."""
    cleaned = text.strip().replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        raise SlotParseError(f"can't read {text!r} as a timestamp") from None
    if value.tzinfo is None:
        raise SlotParseError(f"{text!r} has no time zone")
    return value


# -- matching ------------------------------------------------------------------------------------

def rejection_reason(slot: OfferedSlot, rules: SlotRules) -> str | None:
    """Why the teammate can't take ``slot`` (None when they can)."""
    if slot.start < rules.earliest:
        return "too soon"
    if slot.start > rules.latest:
        return "after the search window"
    local_start = slot.start.astimezone(rules.zone)
    local_end = slot.end.astimezone(rules.zone)
    if local_start.weekday() not in rules.working_days:
        return "not a working day"
    if rules.working_hours is not None:
        begin, finish = rules.working_hours
        if local_start.time() < begin or local_end.date() != local_start.date() or local_end.time() > finish:
            return "outside working hours"
    padded = slot.interval.padded(rules.buffer, rules.buffer)
    if any(padded.overlaps(busy) for busy in rules.busy):
        return "busy in your calendar"
    return None


def preference_rank(slot: OfferedSlot, rules: SlotRules) -> int:
    """Index of the first preferred window holding the slot; unpreferred slots rank last."""
    for index, window in enumerate(rules.preferred):
        if window.start <= slot.start and slot.end <= window.end:
            return index
    return len(rules.preferred)


def pick_slots(offered: Iterable[OfferedSlot], rules: SlotRules, count: int = 2) -> list[OfferedSlot]:
    """The ``count`` best acceptable slots: preferred windows first, then earliest.

    Two picks never overlap each other, so the second one is a real alternative.
    """
    acceptable = sorted(
        (slot for slot in offered if rejection_reason(slot, rules) is None),
        key=lambda slot: (preference_rank(slot, rules), slot.start),
    )
    chosen: list[OfferedSlot] = []
    for slot in acceptable:
        if all(not slot.interval.overlaps(other.interval) for other in chosen):
            chosen.append(slot)
        if len(chosen) == count:
            break
    return chosen


def enough_found(found: Sequence[OfferedSlot], rules: SlotRules, count: int = 2) -> bool:
    """Whether scanning more days could still improve the pick (only with preferences)."""
    return not rules.preferred and len(pick_slots(found, rules, count)) >= count
