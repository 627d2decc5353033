"""The modals: the booking form (``/book`` alone, or Book on the Home tab), Edit and retry, and the
one-field form that answers one of a booking form's questions.

Their callback ids and the action ids their answers are read by are in bot/ids.py; reading a
submitted form is the listeners' (bot/listeners/forms.py).
"""
from __future__ import annotations

from typing import Any, Sequence
from zoneinfo import ZoneInfo

from booking.notify.notifier import BookingView
from bot.blocks.kit import MAX_OPTIONS, Blocks, escape, option, plain, section
from bot.blocks.lists import colleague_lines
from bot.blocks.questions import MAX_ANSWER
from bot.ids import (
    ANYONE, ANYWAY_OPTION, BOOK_MODAL, EDIT_MODAL, MESSAGE, OPTIONS, PERSON_PICK, PREF_DAY, PREF_FROM, PREF_UNTIL,
    QUESTION_INPUT, QUESTION_MODAL, REVIEW_OPTION, STARTUP_PICK,
)


def startup_option(startup_id: str, name: str) -> dict[str, Any]:
    return option(name, startup_id)


def person_element(people: Sequence[str], current: str | None) -> dict[str, Any]:
    """A select of the startup's people when we know them, else free text."""
    if not people:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": PERSON_PICK, "max_length": 200,
                                   "placeholder": plain("Anyone (or type a name)", 150)}
        if current:
            element["initial_value"] = current
        return element
    options = [option("Anyone who is free first", ANYONE)] + [option(p, p) for p in people[: MAX_OPTIONS - 1]]
    element = {"type": "static_select", "action_id": PERSON_PICK, "options": options,
               "placeholder": plain("Anyone who is free first", 150)}
    chosen = next((o for o in options if current and o["value"] == current), None)
    if chosen:
        element["initial_option"] = chosen
    return element


def _review_option() -> dict[str, Any]:
    return option("Let me review the filled form before it is sent", REVIEW_OPTION)


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
                                   "options": [option("Yes, book it anyway", ANYWAY_OPTION)]}})
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


def question_modal(view: BookingView, question: dict[str, Any], *, metadata: str,
                   remembered: str | None = None) -> dict[str, Any]:
    """The one-field form: free text, or a select when the question has more choices than buttons fit."""
    choices = [c for c in question.get("choices") or []][:MAX_OPTIONS]
    element: dict[str, Any]
    if choices and len(question.get("choices") or []) <= MAX_OPTIONS:
        options = [option(c, c) for c in choices]
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
