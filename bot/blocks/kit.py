"""Block Kit primitives: Slack's limits, and the small builders every message and view is made of.

Slack's limits are respected here, in one place: 50 blocks per message and 100 per view, 3000 characters
per section text, 2000 per field, 75 per button label, 10 context elements, 100 select options. User
text is escaped here (``escape``) so it never becomes a mention or a link. Times a booking's own
teammate reads name their zone; times a colleague reads are Slack's ``<!date^…>`` token (``shared_time``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView

S = BookingStatus
Blocks = list[dict[str, Any]]

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_BUTTON_TEXT = 75
MAX_CONTEXT_ELEMENTS = 10
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_TEXT_FALLBACK = 3000
MAX_VALUE = 2000

EMOJI = {
    S.PENDING: "⏳", S.BOOKING_IN_PROGRESS: "⏳", S.AWAITING_REVIEW: "👀", S.PENDING_CONFIRMATION: "🕓",
    S.CONFIRMED: "✅", S.ADDED_TO_CALENDAR: "✅", S.FAILED: "❌", S.CANCELLED: "✖️",
}

GROUP_TITLES = {
    "review": "Waiting for you",
    "booking": "Booking now",
    "pending_confirmation": "Waiting for confirmation",
    "booked": "Booked",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


# -- small builders ---------------------------------------------------------------------------------
def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when something was cut."""
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Slack's three control characters; user text must not become mentions or links."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def section(text: str, block_id: str | None = None, fields: Sequence[str] = ()) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": mrkdwn(text)}
    if fields:
        block["fields"] = [mrkdwn(f, MAX_FIELD_TEXT) for f in fields[:MAX_FIELDS]]
    if block_id:
        block["block_id"] = block_id[:255]
    return block


def context(*texts: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "context",
                             "elements": [mrkdwn(t, MAX_FIELD_TEXT) for t in texts[:MAX_CONTEXT_ELEMENTS] if t]}
    if block_id:
        block["block_id"] = block_id[:255]
    return block


def button(text: str, action_id: str, value: str | None = None, *, style: str | None = None,
           url: str | None = None, confirm: dict[str, Any] | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, MAX_BUTTON_TEXT), "action_id": action_id}
    if value is not None:
        element["value"] = value[:MAX_VALUE]
    if style:
        element["style"] = style
    if url:
        element["url"] = url[:3000]
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, yes: str, no: str = "Keep it") -> dict[str, Any]:
    return {"title": plain(title, 100), "text": plain(text, 300), "confirm": plain(yes, 30), "deny": plain(no, 30)}


def actions(block_id: str, elements: list[dict[str, Any]]) -> dict[str, Any]:
    ids = [e["action_id"] for e in elements]
    assert len(ids) == len(set(ids)), f"action_id repeated in block {block_id}: {ids}"
    return {"type": "actions", "block_id": block_id[:255], "elements": elements[:25]}


def fit(blocks: Blocks, limit: int, more: str) -> Blocks:
    """Keep within a block limit, saying what was left out instead of failing with invalid_blocks."""
    if len(blocks) <= limit:
        return blocks
    return blocks[: limit - 1] + [context(more)]


# -- times and links --------------------------------------------------------------------------------
def format_slot(view: BookingView, moment: datetime) -> str:
    local = moment.astimezone(ZoneInfo(view.user_timezone))
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M} ({view.user_timezone})"


def short_time(view: BookingView, moment: datetime) -> str:
    local = moment.astimezone(ZoneInfo(view.user_timezone))
    return f"{local:%a} {local.day} {local:%b} {local:%H:%M}"


def link(url: str | None, label: str) -> str:
    return f"<{url}|{escape(label)}>" if url else escape(label)


def owner(view: BookingView) -> str:
    return f"<@{view.user_id}>" if view.user_id else escape(view.user_name)


def chunks(lines: Iterable[str], limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Lines packed into section-sized texts."""
    packed: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            packed.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        packed.append(current)
    return packed


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, MAX_OPTION_TEXT), "value": value[:150]}


SHARED_FORMAT = "{date_short_pretty} at {time}"


def shared_time(moment: datetime, fallback_zone: str) -> str:
    """A time a colleague reads, in their own zone: ``<!date^UNIX^{date_short_pretty} at {time}|Wed 2 Dec
    09:00 (Europe/Helsinki)>`` (clients that can't render the token show the fallback, which names the zone)."""
    local = moment.astimezone(ZoneInfo(fallback_zone))
    fallback = f"{local:%a} {local.day} {local:%b} {local:%H:%M} ({fallback_zone})"
    return f"<!date^{int(moment.timestamp())}^{SHARED_FORMAT}|{fallback}>"
