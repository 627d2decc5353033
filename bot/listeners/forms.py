"""What a submitted form says, read from Slack's view state and checked before the ack, so a mistake
shows under its field and nothing is stored; and the small ``private_metadata`` a form carries.

The booking and Edit-and-retry forms (``FormValues``), the working-hours form (``HoursForm``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking.domain.hours import DAY_NAMES, WorkingTime, valid_timezone
from booking.domain.messages import TemplateError, validate_template
from bot.ids import (
    ANYONE, ANYWAY_OPTION, BUFFER, DAYS, END, MESSAGE, OPTIONS, PERSON_PICK, PREF_DAY, PREF_FROM, PREF_UNTIL,
    REVIEW_OPTION, START, STARTUP_PICK, ZONE,
)

CHANNEL_ID = re.compile(r"[CDG][A-Z0-9]{2,30}")
MAX_BUFFER = 240


@dataclass
class FormValues:
    """What a submitted (or half-filled) form says."""

    startup_id: str | None = None
    startup_option: dict[str, Any] | None = None
    person: str | None = None
    day: str | None = None
    start: str | None = None
    end: str | None = None
    message: str | None = None
    review: bool = False
    anyway: bool = False

    @classmethod
    def read(cls, state: dict[str, Any]) -> "FormValues":
        values = state.get("values", state) if isinstance(state, dict) else {}

        def element(block: str, action: str) -> dict[str, Any]:
            return (values.get(block) or {}).get(action) or {}

        startup = element("startup", STARTUP_PICK).get("selected_option")
        person_element = element("person", PERSON_PICK)
        person = (person_element.get("selected_option") or {}).get("value") or person_element.get("value")
        options = element("options", OPTIONS).get("selected_options") or []
        anyway = element("anyway", ANYWAY_OPTION).get("selected_options") or []
        return cls(
            startup_id=(startup or {}).get("value"),
            startup_option=startup,
            person=None if person in (None, "", ANYONE) else str(person).strip()[:200] or None,
            day=element("day", PREF_DAY).get("selected_date"),
            start=element("from", PREF_FROM).get("selected_time"),
            end=element("until", PREF_UNTIL).get("selected_time"),
            message=element("message", MESSAGE).get("value"),
            review=any(o.get("value") == REVIEW_OPTION for o in options),
            anyway=any(o.get("value") == ANYWAY_OPTION for o in anyway),
        )

    def errors(self, *, need_startup: bool) -> dict[str, str]:
        """Field → what is wrong, in the words shown under the field."""
        problems: dict[str, str] = {}
        if need_startup and not self.startup_id:
            problems["startup"] = "Pick a startup from the directory."
        if self.message is not None:
            try:
                validate_template(self.message)
            except TemplateError as exc:
                problems["message"] = str(exc)[:150]
        # Slack's pickers send YYYY-MM-DD and HH:MM; anything else is a forged or broken payload.
        if self.day and _day(self.day) is None:
            problems["day"] = "Pick the day from the calendar."
        for block, value in (("from", self.start), ("until", self.end)):
            if value and _clock(value) is None:
                problems[block] = "Pick a time from the list."
        if (self.start or self.end) and not self.day:
            problems["day"] = "Pick the day these times are for."
        start, end = _clock(self.start or ""), _clock(self.end or "")
        if start and end and end <= start:
            problems["until"] = "Must be later than From."
        return problems

    def preferred_times(self, zone: str) -> list[tuple[datetime, datetime]]:
        """The preferred window in the teammate's zone (a day, optionally narrowed by From/Until)."""
        if not self.day:
            return []
        tz = ZoneInfo(zone)
        day = _day(self.day)
        if day is None:
            return []
        start = datetime.combine(day, _clock(self.start or "") or time(0), tz)
        until = _clock(self.end or "")
        end = datetime.combine(day, until, tz) if until else datetime.combine(day + timedelta(days=1), time(0), tz)
        return [(start, end)]


def _day(text: str) -> date | None:
    """The datepicker's YYYY-MM-DD, or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _clock(text: str) -> time | None:
    """The timepicker's HH:MM, or None."""
    if not re.fullmatch(r"\d{2}:\d{2}", text):
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def metadata(**values: Any) -> str:
    return json.dumps({k: v for k, v in values.items() if v is not None}, separators=(",", ":"))


def read_metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def channel_id(value: Any) -> str | None:
    """A Slack channel id carried in metadata or a button, if it looks like one (else None: a DM)."""
    return value if isinstance(value, str) and CHANNEL_ID.fullmatch(value) else None


@dataclass
class HoursForm:
    """What a submitted working-hours form says, before it is checked."""

    start: str | None
    end: str | None
    days: list[str]
    buffer: str
    zone: str

    @classmethod
    def read(cls, state: dict[str, Any]) -> "HoursForm":
        values = state.get("values", {}) if isinstance(state, dict) else {}

        def element(block: str) -> dict[str, Any]:
            return (values.get(block) or {}).get(block) or {}

        return cls(start=element(START).get("selected_time"), end=element(END).get("selected_time"),
                   days=[str(o.get("value")) for o in element(DAYS).get("selected_options") or []],
                   buffer=str(element(BUFFER).get("value") or "").strip(),
                   zone=str(element(ZONE).get("value") or "").strip())

    def checked(self) -> tuple[WorkingTime | None, dict[str, str]]:
        """The values to save, or the field errors Slack shows under each field (nothing saved)."""
        errors: dict[str, str] = {}
        start, end = _hours_clock(self.start), _hours_clock(self.end)
        if start is None:
            errors[START] = "Pick the time your working day starts."
        if end is None:
            errors[END] = "Pick the time your working day ends."
        elif start is not None and end <= start:
            errors[END] = f"Your day must end after it starts ({self.start})."
        days = frozenset(DAY_NAMES.index(d) for d in self.days if d in DAY_NAMES)
        if not days:
            errors[DAYS] = "Tick at least one day."
        buffer = int(self.buffer) if self.buffer.isascii() and self.buffer.isdigit() else None
        if buffer is None or buffer > MAX_BUFFER:
            errors[BUFFER] = f"A whole number of minutes from 0 to {MAX_BUFFER}."
        if self.zone and not valid_timezone(self.zone):
            errors[ZONE] = f"{self.zone[:40]!r} is not a time zone; try one like Europe/Helsinki."
        if errors or start is None or end is None or buffer is None:
            return None, errors
        return WorkingTime((start, end), days, buffer, self.zone or None), {}


def _hours_clock(value: str | None) -> time | None:
    """Slack's timepicker gives "HH:MM"; anything else (a forged payload) reads as not picked."""
    try:
        hours, minutes = (int(p) for p in (value or "").split(":"))
        return time(hours, minutes)
    except ValueError:
        return None
