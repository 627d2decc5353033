"""The Home tab's "Working hours" form (hours, days, buffer, time zone) and the line confirming what was
saved. Reading and checking a submitted form is bot/listeners/forms.py's.
"""
from __future__ import annotations

from datetime import time
from typing import Any

from booking.domain.hours import DAY_NAMES, WorkingTime
from bot.blocks.kit import MAX_OPTION_TEXT, context, plain
from bot.ids import BUFFER, DAYS, END, HOURS_VIEW, START, ZONE

DAY_LABELS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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


def saved_notice(chosen: WorkingTime) -> str:
    """The Home tab's one-line confirmation of what was saved."""
    days = ", ".join(DAY_LABELS[d][:3] for d in sorted(chosen.days))
    zone = chosen.timezone or "in your Slack profile's time zone"
    return (f"Working hours saved: {chosen.hours[0]:%H:%M}–{chosen.hours[1]:%H:%M}, {days}, "
            f"{chosen.buffer_minutes} min buffer, {zone}.")
