"""Questions only the teammate can answer: a required field on the startup's form Booker can't fill.

When a platform's form stops on :class:`~booking.domain.errors.QuestionsUnanswered` (nothing was sent),
a front-end that can ask (its notifier has ``ask(view, questions)``: the Slack thread, an
interactive terminal) gets the questions and the booking waits in ``awaiting_review`` (shown as
"waiting for you") within the review window; a front-end that can't fails it with the form's
one-line message. An answer is remembered for the startup (``StartupBookingConfig.form_answers``,
label → value, so the next colleague isn't asked again) or, for a page outside the directory, on
the booking itself; then the booking starts again from the beginning with every answer known.
Nobody answering within ``BOOKER_REVIEW_TIMEOUT_MINUTES`` fails it; nothing was ever sent.

``review_state`` of a booking stopped on questions::

    {"questions": [{"label", "kind": "text"|"choice"|"checkbox", "choices": [...]}, ...],
     "asked_at": iso, "answered": [keys answered so far],
     "answers": {label: value}}   # the booking's own answers (pages outside the directory)
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Mapping

from sqlalchemy.orm import Session

from booking.domain.errors import BookingError
from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, SafeNotifier
from booking.store.directory import find_startup
from booking.store.models import MeetingBookingRequest, Startup, StartupBookingConfig

if TYPE_CHECKING:
    from booking.workflow.service import BookingService

S = BookingStatus
MAX_LABEL = 500
MAX_ANSWER = 1000
YES_NO = ("Yes", "No")


class AnswerError(BookingError):
    """An answer that can't be used (empty, not one of the choices, a question the form doesn't ask)."""


def key(label: str) -> str:
    """How labels are compared: blind to case, spacing and a trailing ``*``/``:``/``?`` (as the form does)."""
    return " ".join(re.sub(r"[*:?]+\s*$", "", label or "").split()).casefold()


def parse_answer(text: str) -> tuple[str, str]:
    """``"Label=value"`` → (label, value); AnswerError when either side is missing.

    The first ``=`` separates them, so a value may contain ``=``; a label can't.
    """
    label, sep, value = (text or "").partition("=")
    label, value = " ".join(label.split()), value.strip()
    if not sep or not label or not value:
        raise AnswerError(f"--answer {text[:80]!r} is not Label=value (e.g. --answer \"What is this meeting about?=Intro\")")
    if len(label) > MAX_LABEL or len(value) > MAX_ANSWER:
        raise AnswerError(f"--answer {text[:40]!r}…: a label is at most {MAX_LABEL} characters, a value {MAX_ANSWER}")
    return label, value


def merged(*layers: Mapping[str, Any] | None) -> dict[str, str]:
    """Answers from several places, later layers winning per question (labels compared with
    :func:`key`; the first spelling of a label is kept)."""
    result: dict[str, str] = {}
    names: dict[str, str] = {}
    for layer in layers:
        for label, value in (layer or {}).items():
            if isinstance(label, str) and isinstance(value, str):
                result[names.setdefault(key(label), label)] = value
    return result


def remember(config: StartupBookingConfig, answers: Mapping[str, str]) -> None:
    """Store answers on the startup (replacing an earlier answer to the same question)."""
    config.form_answers = merged(config.form_answers, answers)


def forget(config: StartupBookingConfig, label: str) -> bool:
    """Drop the remembered answer to ``label``; False when there was none."""
    kept = {k: v for k, v in (config.form_answers or {}).items() if key(k) != key(label)}
    found = len(kept) != len(config.form_answers or {})
    config.form_answers = kept
    return found


def answers_for(session: Session, booking: MeetingBookingRequest) -> dict[str, str]:
    """What the form's questions get: the startup's remembered answers, then the booking's own."""
    startup = session.get(Startup, booking.startup_id) if booking.startup_id else None
    remembered = startup.config.form_answers if startup is not None and startup.config is not None else None
    return merged(remembered, (booking.review_state or {}).get("answers"))


def questions_of(state: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The questions a booking stopped on (sanitised: a label, a kind, choices), or []."""
    found = []
    for item in (state or {}).get("questions") or []:
        if isinstance(item, dict) and isinstance(item.get("label"), str):
            kind = item.get("kind") if item.get("kind") in ("text", "choice", "checkbox") else "text"
            choices = [str(c) for c in item.get("choices") or [] if str(c).strip()]
            if kind == "checkbox":
                choices = list(YES_NO)
            found.append({"label": item["label"][:MAX_LABEL], "kind": kind, "choices": choices})
    return found


def pending(state: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The questions still waiting for an answer in this pause (all of them on a failed booking)."""
    answered = set((state or {}).get("answered") or [])
    return [q for q in questions_of(state) if key(q["label"]) not in answered]


def labels(questions: list[dict[str, Any]]) -> str:
    """'A', 'B' and 'C': the questions named in a sentence."""
    names = [repr(q["label"]) for q in questions]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def check_answer(question: Mapping[str, Any], value: str) -> str:
    """The value as the form takes it (a choice spelled as the form spells it, yes/no for a box);
    AnswerError says what is wrong."""
    value = (value or "").strip()
    if not value:
        raise AnswerError(f"Give an answer to {question['label']!r}")
    if len(value) > MAX_ANSWER:
        raise AnswerError(f"An answer is at most {MAX_ANSWER} characters")
    if question["kind"] == "checkbox":
        if value.casefold() in ("yes", "true", "on", "1", "x", "checked"):
            return "yes"
        if value.casefold() in ("no", "false", "off", "0"):
            return "no"
        raise AnswerError(f"{question['label']!r} is a box to tick: answer yes or no")
    if question["kind"] == "choice":
        for choice in question["choices"]:  # (a select's option value holds at most 150 characters)
            if choice.casefold() == value.casefold() or (len(value) >= 150 and choice.casefold().startswith(value.casefold())):
                return choice
        raise AnswerError(f"{value[:80]!r} is not one of the choices for {question['label']!r}")
    return value


def remembered_answer(service: "BookingService", booking_id: int, label: str) -> str | None:
    """The answer Booker already has for ``label`` on this booking (to prefill the one-field form)."""
    with service.db.session() as session:
        booking = session.get_one(MeetingBookingRequest, booking_id)
        known = answers_for(session, booking)
    return next((value for name, value in known.items() if key(name) == key(label)), None)


def may_answer(service: "BookingService", view: BookingView, actor: str | None) -> bool:
    """The booking's teammate or an admin; a booking without a Slack teammate (the CLI's) only from
    the CLI itself (``actor`` None)."""
    if view.user_id is None:
        return actor is None or actor in service.settings.admins
    return bool(actor) and (actor == view.user_id or actor in service.settings.admins)


def expiry_reason(view_or_state: Mapping[str, Any] | None, minutes: int) -> str | None:
    """Why a booking waiting for an answer failed when the window closed (None: it wasn't one)."""
    asked = questions_of(view_or_state)
    if not asked:
        return None
    return (f"Nobody answered {labels(asked)} within {minutes} min, so nothing was sent; "
            f"press Retry to start again")


def named(answers: Mapping[str, str]) -> list[dict[str, Any]]:
    return [{"label": label} for label in answers]


def give_up(service: "BookingService", booking_id: int, reason: str) -> BookingView:
    """The front-end that asked can't get an answer (the terminal closed): fail it now, nothing sent."""
    with service.db.transaction() as session:
        booking = session.get_one(MeetingBookingRequest, booking_id)
        if booking.booking_status is S.AWAITING_REVIEW:
            service.transition(session, booking, S.FAILED, reason)
            booking.error_message = reason
        view = service.view(booking)
    SafeNotifier(service.notifiers(view)).updated(view)
    return view


def startup_answers(service: "BookingService", name: str, *, set_answers: Mapping[str, str] | None = None,
                    clear: list[str] | None = None) -> tuple[str, dict[str, str]]:
    """A startup's remembered answers after the edits: (its name, the answers). BookingError, with
    nothing changed, for a startup not in the directory or a label to clear that isn't remembered."""
    with service.db.transaction() as session:
        lookup = find_startup(session, name)
        if lookup.startup is None:
            hint = f". Did you mean: {', '.join(lookup.suggestions)}?" if lookup.suggestions else ""
            raise BookingError(f"I don't know a startup called {name[:80]!r}{hint}")
        startup = lookup.startup
        if startup.config is None:
            raise BookingError(f"{startup.display_name} has no booking page configured yet")
        unknown = [label for label in clear or [] if not forget(startup.config, label)]
        if unknown:  # raised inside the transaction: nothing is changed
            raise BookingError(f"{startup.display_name} has no remembered answer to "
                               f"{labels([{'label': label} for label in unknown])}")
        if set_answers:
            remember(startup.config, set_answers)
        return startup.display_name, dict(startup.config.form_answers or {})
