"""Messages about several bookings at once: a batch's summary (``/book A, B, C``), the colleague
warning with its "Book anyway?" buttons, and ``/book list``.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

from booking.notify.notifier import BatchView, BookingView
from bot.blocks.kit import (
    EMOJI, GROUP_TITLES, MAX_MESSAGE_BLOCKS, MAX_TEXT_FALLBACK, MAX_VALUE, Blocks, S, actions, button, chunks, clip,
    context, escape, fit, link, owner, section, shared_time, short_time,
)
from bot.ids import BOOK_ANYWAY, DONT_BOOK


# -- batches ------------------------------------------------------------------------------------------
def batch_summary(batch: BatchView) -> tuple[str, Blocks]:
    """One message for a ``/book A, B, C``: a line per startup, updated as they finish."""
    items = batch.items
    who = f"<@{batch.user_id}>" if batch.user_id else "you"
    booked = sum(1 for v in items if S(v.status).is_booked)
    total = len(items) + len(batch.skipped)
    title = f"Booking {total} startups for {who}"
    lines = []
    for view in items:
        status = S(view.status)
        state = {S.PENDING: "queued", S.BOOKING_IN_PROGRESS: "booking…",
                 S.AWAITING_REVIEW: "waiting for your answer" if view.awaiting_answer else "waiting for your review",
                 S.PENDING_CONFIRMATION: "sent, waiting for confirmation", S.FAILED: "failed",
                 S.CANCELLED: "cancelled"}.get(status, "booked")
        if status in (S.CONFIRMED, S.ADDED_TO_CALENDAR) and view.confirmed_slot:
            state = f"booked {short_time(view, view.confirmed_slot)}"
            if view.person_name:
                state += f" with {escape(view.person_name)}"
        thread = f" · {link(view.link, 'thread')}" if view.link else ""
        lines.append(f"{EMOJI.get(status, '')} *{escape(view.startup_name)}* — {state}{thread}")
    for skipped in batch.skipped:
        where = f" · {link(skipped.get('link'), 'their thread')}" if skipped.get("link") else ""
        lines.append(f"⚠️ *{escape(skipped.get('name', ''))}* — not booked: {escape(skipped.get('reason', ''))}{where}")
    blocks: Blocks = [section(f"*{title}*", block_id=f"batch:{batch.id}:title")]
    blocks += [section(chunk, block_id=f"batch:{batch.id}:lines:{n}") for n, chunk in enumerate(chunks(lines))]
    if batch.finished:
        footer = f"All done: {booked} of {total} booked or sent."
    else:
        footer = "Updated as each booking finishes; every startup has its own thread."
    blocks.append(context(footer, block_id=f"batch:{batch.id}:footer"))
    text = f"{title}: {footer}" if batch.finished else f"{title}: {booked} of {total} booked so far"
    return clip(text, MAX_TEXT_FALLBACK), fit(blocks, MAX_MESSAGE_BLOCKS, "…more in the threads")


def batch_placeholder(names: Sequence[str], user_id: str | None) -> tuple[str, Blocks]:
    """The summary as first posted, before the bookings exist (so their threads come after it)."""
    who = f"<@{user_id}>" if user_id else "you"
    title = f"Booking {len(names)} startups for {who}"
    lines = [f"⏳ *{escape(name)}* — queued" for name in names]
    blocks: Blocks = [section(f"*{title}*"), *[section(chunk) for chunk in chunks(lines)],
                      context("Updated as each booking finishes; every startup has its own thread.")]
    return clip(f"{title}…", MAX_TEXT_FALLBACK), fit(blocks, MAX_MESSAGE_BLOCKS, "…more in the threads")


# -- team coordination ----------------------------------------------------------------------------------
def anyway_value(**request: Any) -> str:
    """What "Book anyway" books, carried in the button: a name or URL (≤ 300 characters, as ``/book``
    accepts them), a channel and a batch id, so it always fits the 2000-character button value."""
    value = json.dumps({k: v for k, v in request.items() if v not in (None, "", False)}, separators=(",", ":"))
    if len(value) > MAX_VALUE:
        raise ValueError("a Book anyway button can't carry that much")
    return value


def colleague_lines(colleagues: Sequence[BookingView]) -> list[str]:
    lines = []
    for view in colleagues[:5]:
        when = f", {shared_time(view.confirmed_slot, view.user_timezone)}" if view.confirmed_slot else ""
        status = view.status.replace("_", " ")
        lines.append(f"• {owner(view)} — {status}{when} · {link(view.link, 'see the thread')}")
    return lines


def colleague_warning(startup: str, colleagues: Sequence[BookingView], value: str, block_id: str = "anyway:0",
                      ) -> tuple[str, Blocks]:
    """Ephemeral: a colleague already has this startup. Book anyway?"""
    text = f"Heads-up: a colleague already has a booking with {startup}. Book anyway?"
    blocks: Blocks = [
        section(f"*Heads-up:* a colleague already has a booking with *{escape(startup)}*.\n"
                + "\n".join(colleague_lines(colleagues)), block_id=f"{block_id}:text"),
        actions(block_id, [button("Book anyway", BOOK_ANYWAY, value, style="primary"),
                           button("Don't book", DONT_BOOK, value)]),
    ]
    return text, blocks


# -- lists, status, help ----------------------------------------------------------------------------------
def list_message(groups: Sequence[tuple[str, Sequence[BookingView]]]) -> tuple[str, Blocks]:
    if not groups:
        text = "You have no bookings yet. Try `/book Acme` or `/book` for the form."
        return text, [section(text)]
    blocks: Blocks = []
    count = 0
    for key, views in groups:
        lines = [f"*{GROUP_TITLES[key]}*"]
        for view in views[:15]:
            when = ""
            if view.confirmed_slot:
                when = f" · {short_time(view, view.confirmed_slot)}"
            thread = f" · {link(view.link, 'thread')}" if view.link else ""
            lines.append(f"{EMOJI.get(S(view.status), '')} #{view.id} *{escape(view.startup_name)}*{when}{thread}")
            count += 1
        if len(views) > 15:
            lines.append(f"…and {len(views) - 15} more")
        blocks += [section(chunk) for chunk in chunks(lines)]
    blocks.append(context("`/book status <id>` shows one booking with its buttons; the Home tab has them all."))
    return f"Your bookings ({count})", fit(blocks, MAX_MESSAGE_BLOCKS, "…see the Home tab for the rest")


