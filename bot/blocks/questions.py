"""The form's questions in the booking's thread (booking/workflow/questions.py): one message with a
button per choice, or Answer (the one-field form, in bot/blocks/modals.py); without buttons once answered.
"""
from __future__ import annotations

import json
from typing import Any

from booking.notify.notifier import BookingView
from bot.blocks.kit import (
    MAX_MESSAGE_BLOCKS, MAX_TEXT_FALLBACK, MAX_VALUE, Blocks, S, actions, button, clip, context, escape, fit,
    format_slot, section,
)
from bot.ids import QUESTION_ANSWER, QUESTION_CHOICES

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


