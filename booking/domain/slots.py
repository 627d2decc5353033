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


def after(start: datetime, duration: timedelta) -> datetime:
    """``start + duration`` in elapsed time. Plain ``+`` on a zoned datetime is wall-clock arithmetic,
    which is off by an hour when a DST change falls inside (01:30 + 30 min on a fall-back night)."""
    return (start.astimezone(timezone.utc) + duration).astimezone(start.tzinfo)


@dataclass(frozen=True)
class Interval:
    """A span of absolute time, kept in UTC: aware datetimes sharing one zone compare by wall clock."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval needs timezone-aware datetimes")
        object.__setattr__(self, "start", self.start.astimezone(timezone.utc))
        object.__setattr__(self, "end", self.end.astimezone(timezone.utc))

    def overlaps(self, other: "Interval") -> bool:
        return self.start < other.end and other.start < self.end

    def padded(self, before: timedelta, after: timedelta) -> "Interval":
        return Interval(self.start - before, self.end + after)


@dataclass(frozen=True)
class OfferedSlot:
    """A time the page offers. ``ref`` is whatever the platform needs to click it again.

    Build it with :meth:`lasting` (or compute ``end`` with :func:`after`) so the length is exact
    across DST changes.
    """

    start: datetime
    end: datetime
    label: str
    ref: Any = field(default=None, compare=False, hash=False)

    @classmethod
    def lasting(cls, start: datetime, duration: timedelta, label: str, ref: Any = None) -> "OfferedSlot":
        return cls(start=start, end=after(start, duration), label=label, ref=ref)

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    @property
    def utc_start(self) -> datetime:
        return self.start.astimezone(timezone.utc)

    @property
    def duration(self) -> timedelta:
        """Elapsed length (subtracting two datetimes of one zone would give wall-clock time)."""
        return self.end.astimezone(timezone.utc) - self.utc_start


@dataclass(frozen=True)
class SlotRules:
    """What makes an offered slot acceptable to the teammate."""

    timezone: str
    earliest: datetime
    latest: datetime
    busy: tuple[Interval, ...] = ()  # the teammate's calendar
    held: tuple[Interval, ...] = ()  # slots the teammate's other bookings hold
    buffer: timedelta = timedelta(0)  # kept free before and after busy and held times
    working_hours: tuple[time, time] | None = None
    working_days: frozenset[int] = frozenset(range(7))  # Monday == 0
    preferred: tuple[Interval, ...] = ()
    calendar_checked: bool = False  # ``busy`` came from the teammate's calendar (else it is unknown)

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
    return OfferedSlot.lasting(start, duration, text.strip(), ref)


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

BUSY = "busy in your calendar"
HELD = "held by another of your bookings"

def rejection_reason(slot: OfferedSlot, rules: SlotRules) -> str | None:
    """Why the teammate can't take ``slot`` (None when they can)."""
    if slot.utc_start < rules.earliest:
        return "too soon"
    if slot.utc_start >= rules.latest:
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
        return BUSY
    if any(padded.overlaps(held) for held in rules.held):
        return HELD
    return None


def preference_rank(slot: OfferedSlot, rules: SlotRules) -> int:
    """Index of the first preferred window holding the slot; unpreferred slots rank last."""
    for index, window in enumerate(rules.preferred):
        if slot.interval.start >= window.start and slot.interval.end <= window.end:
            return index
    return len(rules.preferred)


def pick_slots(offered: Iterable[OfferedSlot], rules: SlotRules, count: int = 2) -> list[OfferedSlot]:
    """The ``count`` best acceptable slots: preferred windows first, then earliest.

    Two picks never overlap each other, so the second one is a real alternative.
    """
    acceptable = sorted(
        (slot for slot in offered if rejection_reason(slot, rules) is None),
        key=lambda slot: (preference_rank(slot, rules), slot.utc_start),
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


def skipped_for_calendar(offered: Iterable[OfferedSlot], picks: Sequence[OfferedSlot],
                         rules: SlotRules) -> list[tuple[OfferedSlot, str]]:
    """Offered slots earlier than the first pick that the teammate's calendar or holds ruled out.

    This is what the teammate wants to see ("skipped 09:00 and 09:30: busy in your calendar"):
    the times a calendar-blind bot would have taken.
    """
    if not picks:
        return []
    first = min(p.utc_start for p in picks)
    skipped = []
    for slot in sorted(offered, key=lambda s: s.utc_start):
        if slot.utc_start >= first:
            break
        reason = rejection_reason(slot, rules)
        if reason in (BUSY, HELD):
            skipped.append((slot, reason))
    return skipped
