"""The Home tab's "Working hours" form: hours, days, buffer and time zone, built and read here.

Until this form the only way to set them was JSON in the database. What it saves is read where the
booking job reads a teammate's preferences (booking/preferences.py); a mistake shows under its
field and nothing is stored.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from bot.blocks import MAX_OPTION_TEXT, context, plain
from booking.domain.hours import DAY_NAMES, WorkingTime, valid_timezone

HOURS_VIEW = "working_hours"
START, END, DAYS, BUFFER, ZONE = "hours_start", "hours_end", "hours_days", "hours_buffer", "hours_zone"
DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_BUFFER = 240


def _day_option(day: int) -> dict[str, Any]:
    return {"text": plain(DAY_LABELS[day], MAX_OPTION_TEXT), "value": DAY_NAMES[day]}


def _input(block_id: str, label: str, element: dict[str, Any], hint: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "input", "block_id": block_id, "label": plain(label, 2000),
                             "element": {"action_id": block_id, **element}}
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def hours_modal(current: WorkingTime) -> dict[str, Any]:
    """The form, filled with what the teammate has now (their values or the team's defaults)."""
    end = "23:59" if current.hours[1] == time.max else f"{current.hours[1]:%H:%M}"
    zone_input: dict[str, Any] = {"type": "plain_text_input", "max_length": 64,
                                  "placeholder": plain("Your Slack profile's zone", 150)}
    if current.timezone:
        zone_input["initial_value"] = current.timezone
    return {
        "type": "modal", "callback_id": HOURS_VIEW,
        "title": plain("Working hours", 24), "submit": plain("Save", 24), "close": plain("Cancel", 24),
        "blocks": [
            context("Booker only picks slots inside these hours and days, in your time zone, and keeps the "
                    "buffer free around your other meetings.", block_id="hours_intro"),
            _input(START, "From", {"type": "timepicker", "initial_time": f"{current.hours[0]:%H:%M}"}),
            _input(END, "Until", {"type": "timepicker", "initial_time": end}),
            _input(DAYS, "Days", {"type": "checkboxes", "options": [_day_option(d) for d in range(7)],
                                  "initial_options": [_day_option(d) for d in sorted(current.days)]}),
            _input(BUFFER, "Buffer around meetings (minutes)",
                   {"type": "plain_text_input", "initial_value": str(current.buffer_minutes), "max_length": 3}),
            {**_input(ZONE, "Time zone", zone_input,
                      "An IANA zone such as Europe/Helsinki or America/New_York; empty = your Slack profile's."),
             "optional": True},
        ],
    }


@dataclass
class HoursForm:
    """What a submitted form says, before it is checked."""

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
        start, end = _clock(self.start), _clock(self.end)
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


def _clock(value: str | None) -> time | None:
    """Slack's timepicker gives "HH:MM"; anything else (a forged payload) reads as not picked."""
    try:
        hours, minutes = (int(p) for p in (value or "").split(":"))
        return time(hours, minutes)
    except ValueError:
        return None


def saved_notice(chosen: WorkingTime) -> str:
    """The Home tab's one-line confirmation of what was saved."""
    days = ", ".join(DAY_LABELS[d][:3] for d in sorted(chosen.days))
    zone = chosen.timezone or "in your Slack profile's time zone"
    return (f"Working hours saved: {chosen.hours[0]:%H:%M}–{chosen.hours[1]:%H:%M}, {days}, "
            f"{chosen.buffer_minutes} min buffer, {zone}.")
