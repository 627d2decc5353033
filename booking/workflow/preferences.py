"""When a teammate takes meetings: working hours, working days and a buffer around meetings.

Team-wide defaults come from settings (``BOOKER_WORKING_HOURS``, ``BOOKER_WORKING_DAYS``,
``BOOKER_BUFFER_MINUTES``); a teammate may override them in ``SlackUser.preferences``::

    {"working_hours": "09:00-17:00", "working_days": "mon-thu", "buffer_minutes": 15,
     "timezone": "Europe/Helsinki"}

The time zone is the teammate's own: Slack's ``tz``, unless they chose one on the Home tab's
working-hours form, so "09:00" means 09:00 where they are.
The parsers here are shared by settings and by whatever front-end lets a teammate edit these.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import time
from typing import TYPE_CHECKING, Any, Mapping
from zoneinfo import available_timezones

from booking.domain.errors import BookingError
from booking.store.models import SlackUser

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


# -- per-teammate switches kept on SlackUser.preferences (review before submit) --------------------


if TYPE_CHECKING:
    from booking.workflow.service import BookingService, Teammate

REVIEW_BEFORE_SUBMIT = "review_before_submit"


def review_by_default(service: "BookingService", user_id: str | None) -> bool:
    """Whether the teammate wants to see every filled form before it is sent."""
    if not user_id:
        return False
    with service.db.session() as session:
        user = session.get(SlackUser, user_id)
        return bool(user and (user.preferences or {}).get(REVIEW_BEFORE_SUBMIT))


def set_review_by_default(service: "BookingService", teammate: "Teammate", enabled: bool) -> None:
    if not teammate.user_id:
        raise ValueError("a preference needs a Slack user")
    with service.db.transaction() as session:
        user = session.get(SlackUser, teammate.user_id)
        if user is None:
            user = SlackUser(id=teammate.user_id, name=teammate.name or teammate.user_id, email=teammate.email or None,
                             tz=teammate.timezone)
            session.add(user)
        user.preferences = {**(user.preferences or {}), REVIEW_BEFORE_SUBMIT: bool(enabled)}


# -- working hours, days, buffer and zone, as the Home tab's form edits them ----------------------------

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


def working_time(service: "BookingService", user_id: str) -> WorkingTime:
    """The teammate's saved values, the team defaults where none (or an unreadable one) is saved."""
    with service.db.session() as session:
        user = session.get(SlackUser, user_id)
        data = dict(user.preferences or {}) if user else {}
    try:
        saved = parse_preferences(data)
    except PreferencesError:
        saved = TeammatePreferences()
    settings = service.settings
    zone = data.get(TIMEZONE)
    return WorkingTime(saved.working_hours or settings.working_hours, saved.working_days or settings.working_days,
                       settings.buffer_minutes if saved.buffer_minutes is None else saved.buffer_minutes,
                       zone if isinstance(zone, str) and valid_timezone(zone) else None)


def save_working_time(service: "BookingService", teammate: "Teammate", chosen: WorkingTime) -> None:
    """Store the form's values in one transaction (validated by the caller: parse_preferences reads them)."""
    if not teammate.user_id:
        raise ValueError("a preference needs a Slack user")
    values: dict[str, Any] = {"working_hours": format_hours(chosen.hours), "working_days": format_days(chosen.days),
                              "buffer_minutes": int(chosen.buffer_minutes), TIMEZONE: chosen.timezone}
    parse_preferences(values)  # never store what the booking job could not read back
    with service.db.transaction() as session:
        user = session.get(SlackUser, teammate.user_id)
        if user is None:
            user = SlackUser(id=teammate.user_id, name=teammate.name or teammate.user_id, email=teammate.email or None,
                             tz=teammate.timezone)
            session.add(user)
        kept = {k: v for k, v in (user.preferences or {}).items() if k not in WORKING_KEYS}
        user.preferences = {**kept, **{k: v for k, v in values.items() if v is not None}}


def saved_timezone(service: "BookingService", user_id: str | None) -> str | None:
    """The zone the teammate chose on the Home tab, if any (it wins over Slack's profile zone)."""
    if not user_id:
        return None
    with service.db.session() as session:
        user = session.get(SlackUser, user_id)
        zone = (user.preferences or {}).get(TIMEZONE) if user else None
    return zone if isinstance(zone, str) and valid_timezone(zone) else None
