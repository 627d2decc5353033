"""One booking in Slack: the thread's parent message (status, facts, the buttons for its state), its
card on the Home tab, ``/book status``, and the step lines of its thread.

Block ids carry the booking id, so one view can hold many bookings' buttons (the Home tab); action
ids are unique within their block.
"""
from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any, Sequence
from urllib.parse import urlencode

from booking.notify.console import status_line
from booking.notify.notifier import BookingView
from bot.blocks.kit import (
    EMOJI, MAX_SECTION_TEXT, MAX_TEXT_FALLBACK, Blocks, S, actions, button, clip, confirm_dialog, context, escape,
    format_slot, link, owner, section, short_time,
)
from bot.ids import (
    ACCEPT_RESCHEDULE, APPROVE, CANCEL, CHECK_NOW, DECLINE_RESCHEDULE, EDIT_RETRY, MARK_CONFIRMED, OPEN_CALENDAR,
    OPEN_PAGE, OTHER_SLOT, RETRY,
)


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


def already_yours(view: BookingView) -> str:
    where = f": {link(view.link, 'see its thread')}" if view.link else " (its thread is on its way)"
    return (f"You already have a booking with *{escape(view.startup_name)}* (#{view.id}, "
            f"{view.status.replace('_', ' ')}){where}. Nothing new was started.")


def status_message(view: BookingView, events: Sequence[tuple[datetime, str]]) -> tuple[str, Blocks]:
    text, blocks = booking_message(view)
    if events:
        history = "\n".join(f"{short_time(view, at)} — {escape(detail)}" for at, detail in events[-8:])
        blocks.insert(len(blocks) - (1 if blocks[-1]["type"] == "actions" else 0),
                      section(f"*History*\n{history}", block_id=f"booking:{view.id}:history"))
    if view.link:
        blocks.insert(1, context(f"{link(view.link, 'Open the thread')}", block_id=f"booking:{view.id}:link"))
    return text, blocks

