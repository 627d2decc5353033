"""When a teammate takes meetings: working hours, working days and a buffer around meetings.

Team-wide defaults come from settings (``BOOKER_WORKING_HOURS``, ``BOOKER_WORKING_DAYS``,
``BOOKER_BUFFER_MINUTES``); a teammate may override them in ``SlackUser.preferences``::

    {"working_hours": "09:00-17:00", "working_days": "mon-thu", "buffer_minutes": 15,
     "timezone": "Europe/Helsinki"}

The time zone is the teammate's own: Slack's ``tz``, unless they chose one on the Home tab's
working-hours form, so "09:00" means 09:00 where they are.
The parsers are :mod:`booking.domain.hours` (settings read the same forms).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from booking.domain.hours import (
    TIMEZONE, WORKING_KEYS, PreferencesError, TeammatePreferences, WorkingTime, format_days, format_hours,
    parse_preferences, valid_timezone,
)
from booking.store.models import SlackUser

if TYPE_CHECKING:
    from booking.workflow.requests import Teammate
    from booking.workflow.service import BookingService

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
