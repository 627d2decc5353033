"""Working hours, working days, a buffer and a time zone: how they are written and read back.

Pure parsing and formatting, shared by settings (``BOOKER_WORKING_HOURS``, ``BOOKER_WORKING_DAYS``) and by the
teammate's own preferences (:mod:`booking.workflow.preferences` stores them on ``SlackUser.preferences``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from typing import Any, Mapping
from zoneinfo import available_timezones

from booking.domain.errors import BookingError

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALL_DAYS = frozenset(range(7))
TIMEZONE = "timezone"
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


class PreferencesError(BookingError):
    """A saved preference can't be read; the message quotes it and shows the expected form."""


def parse_hours(text: str) -> tuple[time, time]:
    """"08:00-18:00" → (08:00, 18:00); "24:00" is allowed as the end of the day."""
    match = _HOURS.match(text or "")
    if not match:
        raise ValueError(f"{text!r} is not a range like 08:00-18:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise ValueError(f"{text!r} is not a range like 08:00-18:00")
    start = time(h1, m1)
    end = time.max if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ValueError(f"{text!r} ends before it starts")
    return start, end


def parse_days(text: str) -> frozenset[int]:
    """"mon-fri", "mon,wed,thu", "all" → weekday numbers (Monday is 0)."""
    cleaned = (text or "").strip().lower()
    if cleaned in {"all", "every day", "*"}:
        return ALL_DAYS
    days: set[int] = set()
    for chunk in filter(None, (c.strip() for c in cleaned.split(","))):
        first, _, last = (p.strip()[:3] for p in chunk.partition("-"))
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ValueError(f"{text!r} is not a list of days like mon-fri or mon,wed,thu")
        a = DAY_NAMES.index(first)
        b = DAY_NAMES.index(last) if last else a
        days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    if not days:
        raise ValueError(f"{text!r} names no days")
    return frozenset(days)


def format_hours(hours: tuple[time, time]) -> str:
    end = "24:00" if hours[1] == time.max else f"{hours[1]:%H:%M}"
    return f"{hours[0]:%H:%M}-{end}"


@dataclass(frozen=True)
class TeammatePreferences:
    """Overrides of the team defaults; None means "use the default"."""

    working_hours: tuple[time, time] | None = None
    working_days: frozenset[int] | None = None
    buffer_minutes: int | None = None


def parse_preferences(data: Mapping[str, Any] | None) -> TeammatePreferences:
    """Read ``SlackUser.preferences``; unknown keys are ignored (other features store theirs there)."""
    data = data or {}
    try:
        hours = parse_hours(str(data["working_hours"])) if data.get("working_hours") else None
    except ValueError as exc:
        raise PreferencesError(f"Your saved working hours can't be used: {exc}") from None
    try:
        days = parse_days(str(data["working_days"])) if data.get("working_days") else None
    except ValueError as exc:
        raise PreferencesError(f"Your saved working days can't be used: {exc}") from None
    buffer = data.get("buffer_minutes")
    if buffer is not None:
        if isinstance(buffer, bool) or not isinstance(buffer, int) or not 0 <= buffer <= 240:
            raise PreferencesError(f"Your saved buffer {buffer!r} must be a whole number of minutes from 0 to 240")
    zone = data.get(TIMEZONE)
    if zone is not None and not (isinstance(zone, str) and valid_timezone(zone)):
        raise PreferencesError(f"Your saved time zone {zone!r} is not a zone like Europe/Helsinki")
    return TeammatePreferences(hours, days, buffer)


WORKING_KEYS = ("working_hours", "working_days", "buffer_minutes", TIMEZONE)


def format_days(days: frozenset[int]) -> str:
    """{0, 2, 3} → "mon,wed,thu" (what ``parse_days`` reads back)."""
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def valid_timezone(name: str) -> bool:
    """An IANA zone this machine knows ("Europe/Helsinki"), not a file path or an abbreviation."""
    return bool(name) and name in _known_zones()


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    """Read once: scanning the zone database for every booking job would be wasted work."""
    return frozenset(available_timezones())


@dataclass(frozen=True)
class WorkingTime:
    """What the form shows and saves: hours, days, buffer and, when set, the teammate's own zone
    (it then wins over Slack's ``tz``)."""

    hours: tuple[time, time]
    days: frozenset[int]
    buffer_minutes: int
    timezone: str | None = None
