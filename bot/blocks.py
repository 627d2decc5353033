"""Block Kit for Booker: pure functions from core views to (text, blocks) or view payloads.

Every message carries a plain-text ``text`` fallback (notifications, screen readers). Slack's
limits are respected here, in one place: 50 blocks per message and 100 per view, 3000 characters
per section text, 2000 per field, 75 per button label, 10 context elements, 100 select options.
Action ids are unique within their block; block ids carry the booking id, so one view can hold
many bookings' buttons (the Home tab).
"""
from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any, Iterable, Sequence
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bot.slack_time import shared_time
from booking.notify.console import status_line
from booking.notify.notifier import BatchView, BookingView
from booking.domain.states import BookingStatus

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

# -- action ids (one listener each; see bot/actions.py) --------------------------------------------
CANCEL = "booking_cancel"
RETRY = "booking_retry"
EDIT_RETRY = "booking_edit_retry"
OPEN_PAGE = "booking_open_page"
MARK_CONFIRMED = "booking_mark_confirmed"
CHECK_NOW = "booking_check_now"
ACCEPT_RESCHEDULE = "booking_accept_new_time"
DECLINE_RESCHEDULE = "booking_decline_new_time"
OPEN_CALENDAR = "booking_open_calendar"
APPROVE = "review_approve"
OTHER_SLOT = "review_other_slot"
BOOK_ANYWAY = "book_anyway"
DONT_BOOK = "book_anyway_dismiss"
QUESTION_CHOICES = tuple(f"question_choice_{n}" for n in range(5))  # one button per choice (≤ 5)
QUESTION_ANSWER = "question_answer"  # opens the one-field form
HOME_BOOK = "home_book"
HOME_REVIEW_DEFAULT = "home_review_default"
HOME_HOURS = "home_hours"
THREAD_LINK = "booking_thread_link"
URL_ACTIONS = (OPEN_PAGE, OPEN_CALENDAR, THREAD_LINK)

# -- modals -----------------------------------------------------------------------------------------
BOOK_MODAL = "book_modal"
EDIT_MODAL = "edit_retry_modal"
QUESTION_MODAL = "question_modal"
QUESTION_INPUT = "question_input"
STARTUP_PICK = "startup_pick"
PERSON_PICK = "person_pick"
PREF_DAY, PREF_FROM, PREF_UNTIL = "pref_day", "pref_from", "pref_until"
MESSAGE = "message"
OPTIONS = "options"
REVIEW_OPTION = "review"
ANYWAY_OPTION = "anyway"
ANYONE = "__anyone__"

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


def calendar_url(view: BookingView) -> str:
    """The Google Calendar event when there is one, else a link that adds the meeting to a calendar."""
    if view.calendar_event_id:
        eid = base64.urlsafe_b64encode(f"{view.calendar_event_id} {view.user_email}".encode()).decode().rstrip("=")
        return f"https://www.google.com/calendar/event?eid={eid}"
    start = view.confirmed_slot or (view.proposed_slots[0] if view.proposed_slots else None)
    title = f"Meeting with {view.startup_name}" + (f" ({view.person_name})" if view.person_name else "")
    params = {"action": "TEMPLATE", "text": title, "details": f"Booked by Booker on {view.platform_label}: {view.booking_url}"}
    if start:
        end = start + timedelta(minutes=view.slot_duration_minutes or 30)
        params["dates"] = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    return "https://calendar.google.com/calendar/render?" + urlencode(params)


def owner(view: BookingView) -> str:
    return f"<@{view.user_id}>" if view.user_id else escape(view.user_name)


# -- the booking message (the thread's parent) --------------------------------------------------------
def headline(view: BookingView) -> str:
    """The status line, with the booked time once confirmed: also the message's text fallback."""
    text = status_line(view)
    status = S(view.status)
    if status in (S.CONFIRMED, S.ADDED_TO_CALENDAR) and view.confirmed_slot:
        text += f", {format_slot(view, view.confirmed_slot)}"
    return text


def booking_facts(view: BookingView) -> list[str]:
    """The original plan's dialog: who, which slots, how often confirmation was checked."""
    status = S(view.status)
    facts = []
    if view.person_name:
        facts.append(f"*With*\n{escape(view.person_name)}")
    if status in (S.CONFIRMED, S.ADDED_TO_CALENDAR) and view.confirmed_slot:
        facts.append(f"*When*\n{format_slot(view, view.confirmed_slot)}")
    elif view.proposed_slots:
        label = "Slots" if status is S.AWAITING_REVIEW else "Proposed"
        first = " (in the form)" if status is S.AWAITING_REVIEW else " (requested)"
        lines = [format_slot(view, view.proposed_slots[0]) + (first if len(view.proposed_slots) > 1 else "")]
        lines += [format_slot(view, s) + " (alternative)" for s in view.proposed_slots[1:]]
        facts.append(f"*{label}*\n" + "\n".join(lines))
    if status is S.ADDED_TO_CALENDAR:
        facts.append("*Calendar*\nadded to your Google Calendar")
    elif status is S.CONFIRMED and view.error_message:
        facts.append(f"*Calendar*\nnot added yet, retrying ({escape(view.error_message)[:300]})")
    if status is S.PENDING_CONFIRMATION:
        checked = f"checked {view.confirmation_check_count}×"
        if view.last_confirmation_check:
            checked += f", last {short_time(view, view.last_confirmation_check)}"
        facts.append(f"*Confirmation*\n{checked}")
        if view.reschedule_to is not None:
            facts.append(f"*New time proposed*\n{format_slot(view, view.reschedule_to)}")
    if status is S.AWAITING_REVIEW and view.review_expires_at:
        title = "Answer until" if view.awaiting_answer else "Review until"
        facts.append(f"*{title}*\n{format_slot(view, view.review_expires_at)}")
    facts.append(f"*Platform*\n{link(view.booking_url, view.platform_label)}")
    return facts


def booking_buttons(view: BookingView) -> list[dict[str, Any]]:
    """The buttons for the booking's state (the original plan's one button, grown up)."""
    status = S(view.status)
    value = str(view.id)
    open_page = button("Open booking page", OPEN_PAGE, value, url=view.booking_url)
    if view.is_dry_run:
        return [open_page] if status is S.FAILED else []
    label = view.platform_label
    cancel_booked = confirm_dialog(
        "Cancel this meeting?",
        f"Booker marks it cancelled (and removes the calendar event, if any). The booking on {label} stays: "
        f"cancel it with the link in {label}'s e-mail.",
        "Cancel meeting")
    if status in (S.PENDING, S.BOOKING_IN_PROGRESS):
        return [button("Cancel", CANCEL, value, style="danger")]
    if status is S.AWAITING_REVIEW and view.awaiting_answer:  # the questions' buttons are in the thread
        return [button("Cancel", CANCEL, value, style="danger")]
    if status is S.AWAITING_REVIEW:
        buttons = [button("Approve and send", APPROVE, value, style="primary")]
        if len(view.proposed_slots) > 1:
            other = format_slot(view, view.proposed_slots[1])
            buttons.append(button("Pick the other slot", OTHER_SLOT, value,
                                  confirm=confirm_dialog("Book the other slot?", f"Send the form with {other} instead.",
                                                         "Send", "Back")))
        buttons.append(button("Cancel", CANCEL, value, style="danger"))
        return buttons
    if status is S.PENDING_CONFIRMATION and view.reschedule_to is not None:
        new_time = format_slot(view, view.reschedule_to)
        return [button(f"Accept {new_time}"[:75], ACCEPT_RESCHEDULE, value, style="primary"),
                button("Decline new time", DECLINE_RESCHEDULE, value,
                       confirm=confirm_dialog("Decline the new time?", "The meeting request ends declined.",
                                              "Decline", "Back")),
                button("Cancel", CANCEL, value, style="danger", confirm=cancel_booked)]
    if status is S.PENDING_CONFIRMATION:
        return [button("Mark as confirmed", MARK_CONFIRMED, value, style="primary"),
                button("Check now", CHECK_NOW, value),
                button("Cancel", CANCEL, value, style="danger", confirm=cancel_booked)]
    if status is S.FAILED:
        return [button("Retry", RETRY, value, style="primary"), button("Edit and retry", EDIT_RETRY, value), open_page]
    if status in (S.CONFIRMED, S.ADDED_TO_CALENDAR):
        label = "Open in Calendar" if view.calendar_event_id else "Add to Calendar"
        return [button(label, OPEN_CALENDAR, value, url=calendar_url(view)),
                button("Cancel meeting", CANCEL, value, style="danger", confirm=cancel_booked)]
    return []


def booking_message(view: BookingView) -> tuple[str, Blocks]:
    """The thread's parent message: state, person, slots, checks, and the buttons for the state."""
    text = headline(view)
    blocks: Blocks = [section(f"*{escape(text)}*", block_id=f"booking:{view.id}:status", fields=booking_facts(view))]
    notes = [f"#{view.id}", f"requested by {owner(view)}"]
    status = S(view.status)
    if status is S.AWAITING_REVIEW and view.awaiting_answer:
        notes.append("the form's question is in the thread; nothing is sent before you answer")
    elif status is S.AWAITING_REVIEW:
        notes.append("the filled form is in the thread; nothing is sent before you approve")
    elif status is S.BOOKING_IN_PROGRESS:
        notes.append("every step is in the thread")
    blocks.append(context(" · ".join(notes), block_id=f"booking:{view.id}:context"))
    buttons = booking_buttons(view)
    if buttons:
        blocks.append(actions(f"booking:{view.id}:actions", buttons))
    return clip(text, MAX_TEXT_FALLBACK), blocks


def booking_card(view: BookingView, prefix: str) -> Blocks:
    """A booking in a list (the Home tab): one section and its buttons."""
    lines = [f"{EMOJI.get(S(view.status), '')} *{escape(headline(view))}*"]
    details = []
    if view.person_name and S(view.status) not in (S.CONFIRMED, S.ADDED_TO_CALENDAR):
        details.append(f"with {escape(view.person_name)}")
    if view.proposed_slots and S(view.status) in (S.AWAITING_REVIEW, S.PENDING_CONFIRMATION):
        details.append(" / ".join(short_time(view, s) for s in view.proposed_slots))
    if S(view.status) is S.PENDING_CONFIRMATION:
        details.append(f"checked {view.confirmation_check_count}×")
    details.append(link(view.link, f"#{view.id} thread") if view.link else f"#{view.id}")
    lines.append(" · ".join(details))
    blocks: Blocks = [section("\n".join(lines), block_id=f"{prefix}:{view.id}:card")]
    buttons = booking_buttons(view)
    if buttons:
        blocks.append(actions(f"{prefix}:{view.id}:actions", buttons))
    return blocks


def step_text(view: BookingView, text: str) -> str:
    return clip(escape(text), MAX_SECTION_TEXT)


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
    blocks += [section(chunk, block_id=f"batch:{batch.id}:lines:{n}") for n, chunk in enumerate(_chunks(lines))]
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
    blocks: Blocks = [section(f"*{title}*"), *[section(chunk) for chunk in _chunks(lines)],
                      context("Updated as each booking finishes; every startup has its own thread.")]
    return clip(f"{title}…", MAX_TEXT_FALLBACK), fit(blocks, MAX_MESSAGE_BLOCKS, "…more in the threads")


def _chunks(lines: Iterable[str], limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Lines packed into section-sized texts."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = clip(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


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


def already_yours(view: BookingView) -> str:
    where = f": {link(view.link, 'see its thread')}" if view.link else " (its thread is on its way)"
    return (f"You already have a booking with *{escape(view.startup_name)}* (#{view.id}, "
            f"{view.status.replace('_', ' ')}){where}. Nothing new was started.")


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
        blocks += [section(chunk) for chunk in _chunks(lines)]
    blocks.append(context("`/book status <id>` shows one booking with its buttons; the Home tab has them all."))
    return f"Your bookings ({count})", fit(blocks, MAX_MESSAGE_BLOCKS, "…see the Home tab for the rest")


def status_message(view: BookingView, events: Sequence[tuple[datetime, str]]) -> tuple[str, Blocks]:
    text, blocks = booking_message(view)
    if events:
        history = "\n".join(f"{short_time(view, at)} — {escape(detail)}" for at, detail in events[-8:])
        blocks.insert(len(blocks) - (1 if blocks[-1]["type"] == "actions" else 0),
                      section(f"*History*\n{history}", block_id=f"booking:{view.id}:history"))
    if view.link:
        blocks.insert(1, context(f"{link(view.link, 'Open the thread')}", block_id=f"booking:{view.id}:link"))
    return text, blocks


USAGE = (
    "Usage: `/book <startup>` books a meeting with that startup, e.g. `/book Acme`.\n"
    "• `/book` alone opens a form: pick the startup, the person, preferred times, your message, review.\n"
    "• `/book Acme, Beta, Gamma` books several at once: one thread each and a summary.\n"
    "• `/book https://calendly.com/acme/intro` books a page that isn't in the directory.\n"
    "• `/book list` your bookings · `/book status <id>` one booking · `/book cancel <id>` cancel one.\n"
    "Cancelling a booking that was already sent marks it cancelled in Booker (and removes the calendar event); "
    "the booking on the startup's page stays until you cancel it with the link in its e-mail.\n"
    "If a colleague already has that startup, Booker asks before booking it again."
)

ADMIN_USAGE = (
    "Usage (Booker admins):\n"
    "• `/book-admin add <startup name> <booking url> [platform]` adds or updates a startup.\n"
    "• `/book-admin people <startup>: Alice Smith (CEO) <alice@acme.example>, Bob Jones` sets who to ask for, in order.\n"
    "• `/book-admin test <startup>` fills its form as you with screenshots in a thread, and sends nothing.\n"
    "A whole shortlist: `python -m booking startups import shortlist.csv` (or .yaml)."
)


# -- the Home tab ----------------------------------------------------------------------------------------
def home_view(groups: Sequence[tuple[str, Sequence[BookingView]]], upcoming: Sequence[BookingView],
              review_default: bool, notice: str | None = None) -> dict[str, Any]:
    review_option = {"text": plain("Let me review each filled form before it is sent", MAX_OPTION_TEXT),
                     "value": REVIEW_OPTION}
    review_box: dict[str, Any] = {"type": "checkboxes", "action_id": HOME_REVIEW_DEFAULT, "options": [review_option]}
    if review_default:
        review_box["initial_options"] = [review_option]
    top: Blocks = [
        {"type": "header", "block_id": "home:header", "text": plain("Booker", 150)},
        section("Book meetings with startups: type `/book <startup>`, or use the form.", block_id="home:intro"),
        actions("home:actions", [button("Book a meeting", HOME_BOOK, "home", style="primary"),
                                 button("Working hours", HOME_HOURS, "home")]),
        actions("home:settings", [review_box]),
    ]
    if notice:
        top.append(context(escape(notice), block_id="home:notice"))
    top.append({"type": "header", "block_id": "home:mine", "text": plain("Your bookings", 150)})

    team: Blocks = [{"type": "divider", "block_id": "home:divider"},
                    {"type": "header", "block_id": "home:team", "text": plain("Team: upcoming meetings", 150)}]
    if upcoming:
        lines = [f"{shared_time(v.confirmed_slot, v.user_timezone)} · *{escape(v.startup_name)}*"
                 + (f" with {escape(v.person_name)}" if v.person_name else "") + f" · {owner(v)}"
                 + (f" · {link(v.link, 'thread')}" if v.link else "")
                 for v in upcoming if v.confirmed_slot]
        team += [section(chunk, block_id=f"home:team:{n}") for n, chunk in enumerate(_chunks(lines))][:5]
    else:
        team.append(section("No confirmed meetings coming up yet.", block_id="home:team:none"))

    mine: Blocks = []
    budget = MAX_VIEW_BLOCKS - len(top) - len(team) - 1
    hidden = 0
    if not groups:
        mine.append(section("No bookings yet — type `/book Acme` or press *Book a meeting*.", block_id="home:none"))
    for key, views in groups:
        title = section(f"*{GROUP_TITLES[key]}* · {len(views)}", block_id=f"home:group:{key}")
        if len(mine) + 1 + 2 > budget:
            hidden += len(views)
            continue
        mine.append(title)
        for view in views:
            card = booking_card(view, "home")
            if len(mine) + len(card) > budget:
                hidden += 1
                continue
            mine += card
    if hidden:
        mine.append(context(f"…and {hidden} more: `/book list` shows them all.", block_id="home:more"))
    return {"type": "home", "blocks": top + mine + team}


# -- modals -------------------------------------------------------------------------------------------------
def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, MAX_OPTION_TEXT), "value": value[:150]}


def startup_option(startup_id: str, name: str) -> dict[str, Any]:
    return _option(name, startup_id)


def person_element(people: Sequence[str], current: str | None) -> dict[str, Any]:
    """A select of the startup's people when we know them, else free text."""
    if not people:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": PERSON_PICK, "max_length": 200,
                                   "placeholder": plain("Anyone (or type a name)", 150)}
        if current:
            element["initial_value"] = current
        return element
    options = [_option("Anyone who is free first", ANYONE)] + [_option(p, p) for p in people[: MAX_OPTIONS - 1]]
    element = {"type": "static_select", "action_id": PERSON_PICK, "options": options,
               "placeholder": plain("Anyone who is free first", 150)}
    chosen = next((o for o in options if current and o["value"] == current), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def _review_option() -> dict[str, Any]:
    return _option("Let me review the filled form before it is sent", REVIEW_OPTION)


def _time_inputs(day: str | None, start: str | None, end: str | None) -> Blocks:
    day_picker: dict[str, Any] = {"type": "datepicker", "action_id": PREF_DAY}
    if day:
        day_picker["initial_date"] = day
    start_picker: dict[str, Any] = {"type": "timepicker", "action_id": PREF_FROM}
    if start:
        start_picker["initial_time"] = start
    end_picker: dict[str, Any] = {"type": "timepicker", "action_id": PREF_UNTIL}
    if end:
        end_picker["initial_time"] = end
    return [
        {"type": "input", "block_id": "day", "optional": True, "label": plain("Preferred day", 2000),
         "element": day_picker, "hint": plain("Leave empty for the first free time. Times are in your Slack time zone.")},
        {"type": "input", "block_id": "from", "optional": True, "label": plain("From", 2000), "element": start_picker},
        {"type": "input", "block_id": "until", "optional": True, "label": plain("Until", 2000), "element": end_picker},
    ]


def _message_input(message: str) -> dict[str, Any]:
    return {"type": "input", "block_id": "message", "label": plain("Your message", 2000),
            "element": {"type": "plain_text_input", "action_id": MESSAGE, "multiline": True, "max_length": 3000,
                        "initial_value": message[:3000]},
            "hint": plain("Placeholders: {user_name} {first_name} {company} {startup} {person} {slot} {alt_slot}")}


def book_modal(*, metadata: str, template: str, review_default: bool, startup: dict[str, Any] | None = None,
               people: Sequence[str] = (), person: str | None = None, day: str | None = None,
               start: str | None = None, end: str | None = None, message: str | None = None,
               warning: Sequence[BookingView] = ()) -> dict[str, Any]:
    """``/book`` alone: startup (searchable), person, preferred times, message, review."""
    startup_select: dict[str, Any] = {"type": "external_select", "action_id": STARTUP_PICK, "min_query_length": 0,
                                      "placeholder": plain("Type to search the directory", 150)}
    if startup:
        startup_select["initial_option"] = startup
    options: dict[str, Any] = {"type": "checkboxes", "action_id": OPTIONS, "options": [_review_option()]}
    if review_default:
        options["initial_options"] = [_review_option()]
    blocks: Blocks = []
    if warning:
        blocks.append(section("*Heads-up:* a colleague already has a booking with this startup.\n"
                              + "\n".join(colleague_lines(warning)), block_id="warning"))
        blocks.append({"type": "input", "block_id": "anyway", "label": plain("Book anyway?", 2000),
                       "element": {"type": "checkboxes", "action_id": ANYWAY_OPTION,
                                   "options": [_option("Yes, book it anyway", ANYWAY_OPTION)]}})
    blocks += [
        {"type": "input", "block_id": "startup", "dispatch_action": True, "label": plain("Startup", 2000),
         "element": startup_select},
        {"type": "input", "block_id": "person", "optional": True, "label": plain("Person", 2000),
         "element": person_element(people, person),
         "hint": plain("Booker asks for this person first, then the startup's other people.")},
        *_time_inputs(day, start, end),
        _message_input(message if message is not None else template),
        {"type": "input", "block_id": "options", "optional": True, "label": plain("Review", 2000), "element": options},
    ]
    return {"type": "modal", "callback_id": BOOK_MODAL, "private_metadata": metadata[:3000],
            "title": plain("Book a meeting", 24), "submit": plain("Book", 24), "close": plain("Cancel", 24),
            "blocks": blocks}


def edit_modal(view: BookingView, *, metadata: str, template: str, people: Sequence[str]) -> dict[str, Any]:
    """Edit and retry: the same choices as the booking form, prefilled from the failed booking."""
    day = start = end = None
    if view.preferred_times:
        first, last = view.preferred_times[0]
        zone = ZoneInfo(view.user_timezone)
        day = f"{first.astimezone(zone):%Y-%m-%d}"
        start, end = f"{first.astimezone(zone):%H:%M}", f"{last.astimezone(zone):%H:%M}"
    options: dict[str, Any] = {"type": "checkboxes", "action_id": OPTIONS, "options": [_review_option()]}
    if view.review_before_submit:
        options["initial_options"] = [_review_option()]
    blocks: Blocks = [
        section(f"*{escape(view.startup_name)}* failed: {escape(view.error_message or 'unknown reason')}",
                block_id="reason"),
        {"type": "input", "block_id": "person", "optional": True, "label": plain("Person", 2000),
         "element": person_element(people, view.preferred_person)},
        *_time_inputs(day, start, end),
        _message_input(view.message_template or template),
        {"type": "input", "block_id": "options", "optional": True, "label": plain("Review", 2000), "element": options},
    ]
    return {"type": "modal", "callback_id": EDIT_MODAL, "private_metadata": metadata[:3000],
            "title": plain("Edit and retry", 24), "submit": plain("Retry", 24), "close": plain("Cancel", 24),
            "blocks": blocks}


# -- the form's questions (booking/questions.py) ---------------------------------------------------------
MAX_QUESTIONS_SHOWN = 20
MAX_CHOICE_BUTTONS = len(QUESTION_CHOICES)
MAX_ANSWER = 1000


def choice_value(booking_id: int, label: str, choice: str) -> str | None:
    """What a choice button carries (the booking, the question, the answer); None when it can't fit."""
    value = json.dumps({"b": booking_id, "l": label, "a": choice}, ensure_ascii=False, separators=(",", ":"))
    return value if len(value) <= MAX_VALUE else None


def question_value(booking_id: int, label: str) -> str | None:
    """What an Answer button carries; None when the label is too long for a button value."""
    value = json.dumps({"b": booking_id, "l": label}, ensure_ascii=False, separators=(",", ":"))
    return value if len(value) <= MAX_VALUE else None


def _question_buttons(view: BookingView, question: dict[str, Any]) -> list[dict[str, Any]]:
    """One button per choice when there are few (a box to tick: Yes / No), else Answer (the one-field form)."""
    choices = list(question.get("choices") or [])
    if 0 < len(choices) <= MAX_CHOICE_BUTTONS:
        values = [choice_value(view.id, question["label"], c) for c in choices]
        if all(values):
            return [button(choice, action_id, value) for choice, action_id, value in zip(choices, QUESTION_CHOICES, values)]
    value = question_value(view.id, question["label"])
    return [button("Answer", QUESTION_ANSWER, value, style="primary")] if value else []


def question_message(view: BookingView, answered_by: str | None = None) -> tuple[str, Blocks]:
    """The thread's question: each question the form asks, with its choices as buttons or an Answer
    button; once answered (or no longer waiting), the same message without buttons."""
    name = escape(view.startup_name)
    if not view.awaiting_answer:
        who = f" by <@{answered_by}>" if answered_by else ""
        status = S(view.status)
        if status in (S.PENDING, S.BOOKING_IN_PROGRESS) or status.is_booked:
            text = f"The form's questions were answered{who}; Booker is booking {view.startup_name} again."
        else:
            text = f"The form's questions are no longer waiting for an answer ({view.status.replace('_', ' ')})."
        return clip(text, MAX_TEXT_FALLBACK), [section(escape(text), block_id=f"question:{view.id}:done")]
    asked = list(view.questions)
    count = "a question" if len(asked) == 1 else f"{len(asked)} questions"
    text = f"{view.startup_name}'s form asks {count} Booker can't answer"
    until = f" by {format_slot(view, view.review_expires_at)}" if view.review_expires_at else ""
    blocks: Blocks = [section(f"❓ *{name}*'s form on {escape(view.platform_label)} asks {count} only you can "
                              f"answer. Nothing is sent before you do; without an answer{until} the booking stops.",
                              block_id=f"question:{view.id}:intro")]
    for index, question in enumerate(asked[:MAX_QUESTIONS_SHOWN]):
        kind = question.get("kind")
        hint = " (a box to tick)" if kind == "checkbox" else ""
        if kind == "choice" and len(question.get("choices") or []) > MAX_CHOICE_BUTTONS:
            hint = f" (one of {len(question['choices'])} choices)"
        blocks.append(section(f"*{escape(question['label'])}*{hint}", block_id=f"question:{view.id}:{index}"))
        buttons = _question_buttons(view, question)
        if buttons:
            blocks.append(actions(f"question:{view.id}:{index}:actions", buttons))
    where = f"for {name}" if view.startup_id else "on this booking"
    blocks.append(context(f"Your answer is remembered {where}, so colleagues booking them later aren't asked again.",
                          block_id=f"question:{view.id}:note"))
    return clip(text, MAX_TEXT_FALLBACK), fit(blocks, MAX_MESSAGE_BLOCKS, "…more questions than fit here")


def question_modal(view: BookingView, question: dict[str, Any], *, metadata: str,
                   remembered: str | None = None) -> dict[str, Any]:
    """The one-field form: free text, or a select when the question has more choices than buttons fit."""
    choices = [c for c in question.get("choices") or []][:MAX_OPTIONS]
    element: dict[str, Any]
    if choices and len(question.get("choices") or []) <= MAX_OPTIONS:
        options = [_option(c, c) for c in choices]
        element = {"type": "static_select", "action_id": QUESTION_INPUT, "options": options,
                   "placeholder": plain("Pick one", 150)}
        chosen = next((o for o in options if remembered and o["value"] == remembered[:150]), None)
        if chosen:
            element["initial_option"] = chosen
    else:
        element = {"type": "plain_text_input", "action_id": QUESTION_INPUT, "max_length": MAX_ANSWER,
                   "multiline": False}
        if remembered:
            element["initial_value"] = remembered[:MAX_ANSWER]
    blocks: Blocks = [
        section(f"*{escape(view.startup_name)}*'s form on {escape(view.platform_label)} asks:", block_id="asks"),
        {"type": "input", "block_id": "answer", "label": plain(question["label"], 2000), "element": element,
         "hint": plain("Remembered for this startup, so colleagues booking it later aren't asked again.")},
    ]
    return {"type": "modal", "callback_id": QUESTION_MODAL, "private_metadata": metadata[:3000],
            "title": plain("The form asks", 24), "submit": plain("Answer", 24), "close": plain("Cancel", 24),
            "blocks": blocks}
