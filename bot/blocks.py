"""Block Kit for Booker's messages: pure functions from a BookingView to (text, blocks).

Every message also carries a plain-text ``text`` fallback (notifications, screen readers).
"""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from booking.console import status_line
from booking.notify import BookingView
from booking.states import BookingStatus

MAX_SECTION_TEXT = 3000

Blocks = list[dict[str, Any]]


def _mrkdwn_escape(text: str) -> str:
    """Slack's three control characters; user text must not become mentions or links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_slot(view: BookingView, moment: Any) -> str:
    local = moment.astimezone(ZoneInfo(view.user_timezone))
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M} ({view.user_timezone})"


def booking_message(view: BookingView) -> tuple[str, Blocks]:
    """The thread's parent message: state, person, slots and check count."""
    text = status_line(view)
    status = BookingStatus(view.status)
    if status in (BookingStatus.CONFIRMED, BookingStatus.ADDED_TO_CALENDAR) and view.confirmed_slot:
        text += f", {format_slot(view, view.confirmed_slot)}"
    blocks: Blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _mrkdwn_escape(text)[:MAX_SECTION_TEXT]}},
    ]
    facts = [f"*Platform:* {view.platform_label}"]
    if view.person_name:
        facts.append(f"*With:* {_mrkdwn_escape(view.person_name)}")
    if view.proposed_slots:
        facts.append("*Proposed:* " + " · ".join(format_slot(view, s) for s in view.proposed_slots))
    if status is BookingStatus.ADDED_TO_CALENDAR:
        facts.append("*Calendar:* added to your Google Calendar")
    elif status is BookingStatus.CONFIRMED and view.error_message:
        facts.append(f"*Calendar:* not added yet, retrying ({_mrkdwn_escape(view.error_message)[:300]})")
    if status is BookingStatus.PENDING_CONFIRMATION:
        checked = f"checked {view.confirmation_check_count}×"
        if view.last_confirmation_check:
            checked += f", last {format_slot(view, view.last_confirmation_check)}"
        facts.append(f"*Confirmation:* {checked}")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f[:2000]} for f in facts[:10]]})
    return text, blocks


def step_text(view: BookingView, text: str) -> str:
    return _mrkdwn_escape(text)[:MAX_SECTION_TEXT]


USAGE = (
    "Usage: `/book <startup>` books a meeting with that startup, e.g. `/book Acme`.\n"
    "You can also give a booking page: `/book https://calendly.com/acme/intro`."
)
