"""The booking form (``/book`` alone, Home tab) and the "Edit and retry" form.

Forms open before any slow work: ``views.open`` is the first Slack call after the ack (trigger
ids expire in 3 s). Submissions are validated before the ack, so mistakes show inline under the
field; the booking itself starts after the ack.
"""
from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import NoResultFound

from bot import blocks as ui
from bot.desk import Ask, BookingDesk
from bot.replies import refusal, reply_privately
from booking.workflow.controls import BookingChanges, BookingControls, NotAllowed
from booking.workflow.coordination import DuplicateBooking
from booking.domain.errors import BookingError
from booking.notify.notifier import BookingView
from booking.workflow.questions import AnswerError, key, remembered_answer
from booking.domain.messages import TemplateError, validate_template
from booking.workflow.overview import search_startups, startup_people
from booking.workflow.preferences import review_by_default
from booking.workflow.service import BookingService, Teammate

log = logging.getLogger(__name__)
CHANNEL_ID = re.compile(r"[CDG][A-Z0-9]{2,30}")


@dataclass
class FormValues:
    """What a submitted (or half-filled) form says."""

    startup_id: str | None = None
    startup_option: dict[str, Any] | None = None
    person: str | None = None
    day: str | None = None
    start: str | None = None
    end: str | None = None
    message: str | None = None
    review: bool = False
    anyway: bool = False

    @classmethod
    def read(cls, state: dict[str, Any]) -> "FormValues":
        values = state.get("values", state) if isinstance(state, dict) else {}

        def element(block: str, action: str) -> dict[str, Any]:
            return (values.get(block) or {}).get(action) or {}

        startup = element("startup", ui.STARTUP_PICK).get("selected_option")
        person_element = element("person", ui.PERSON_PICK)
        person = (person_element.get("selected_option") or {}).get("value") or person_element.get("value")
        options = element("options", ui.OPTIONS).get("selected_options") or []
        anyway = element("anyway", ui.ANYWAY_OPTION).get("selected_options") or []
        return cls(
            startup_id=(startup or {}).get("value"),
            startup_option=startup,
            person=None if person in (None, "", ui.ANYONE) else str(person).strip()[:200] or None,
            day=element("day", ui.PREF_DAY).get("selected_date"),
            start=element("from", ui.PREF_FROM).get("selected_time"),
            end=element("until", ui.PREF_UNTIL).get("selected_time"),
            message=element("message", ui.MESSAGE).get("value"),
            review=any(o.get("value") == ui.REVIEW_OPTION for o in options),
            anyway=any(o.get("value") == ui.ANYWAY_OPTION for o in anyway),
        )

    def errors(self, *, need_startup: bool) -> dict[str, str]:
        """Field → what is wrong, in the words shown under the field."""
        problems: dict[str, str] = {}
        if need_startup and not self.startup_id:
            problems["startup"] = "Pick a startup from the directory."
        if self.message is not None:
            try:
                validate_template(self.message)
            except TemplateError as exc:
                problems["message"] = str(exc)[:150]
        # Slack's pickers send YYYY-MM-DD and HH:MM; anything else is a forged or broken payload.
        if self.day and _day(self.day) is None:
            problems["day"] = "Pick the day from the calendar."
        for block, value in (("from", self.start), ("until", self.end)):
            if value and _clock(value) is None:
                problems[block] = "Pick a time from the list."
        if (self.start or self.end) and not self.day:
            problems["day"] = "Pick the day these times are for."
        start, end = _clock(self.start or ""), _clock(self.end or "")
        if start and end and end <= start:
            problems["until"] = "Must be later than From."
        return problems

    def preferred_times(self, zone: str) -> list[tuple[datetime, datetime]]:
        """The preferred window in the teammate's zone (a day, optionally narrowed by From/Until)."""
        if not self.day:
            return []
        tz = ZoneInfo(zone)
        day = _day(self.day)
        if day is None:
            return []
        start = datetime.combine(day, _clock(self.start or "") or time(0), tz)
        until = _clock(self.end or "")
        end = datetime.combine(day, until, tz) if until else datetime.combine(day + timedelta(days=1), time(0), tz)
        return [(start, end)]


def _day(text: str) -> date | None:
    """The datepicker's YYYY-MM-DD, or None."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _clock(text: str) -> time | None:
    """The timepicker's HH:MM, or None."""
    if not re.fullmatch(r"\d{2}:\d{2}", text):
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def metadata(**values: Any) -> str:
    return json.dumps({k: v for k, v in values.items() if v is not None}, separators=(",", ":"))


def read_metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def channel_id(value: Any) -> str | None:
    """A Slack channel id carried in metadata or a button, if it looks like one (else None: a DM)."""
    return value if isinstance(value, str) and CHANNEL_ID.fullmatch(value) else None


def open_book_modal(client: WebClient, service: BookingService, trigger_id: str, user_id: str,
                    channel: str | None) -> None:
    """First Slack call after the ack: the trigger id is only good for 3 s."""
    view = ui.book_modal(metadata=metadata(c=channel), template=service.settings.message_template,
                         review_default=review_by_default(service, user_id))
    client.views_open(trigger_id=trigger_id, view=view)


def register_modals(app: App, service: BookingService, desk: BookingDesk, controls: BookingControls) -> None:
    @app.options(ui.STARTUP_PICK)
    def startup_options(ack: Ack, body: dict[str, Any]) -> None:
        found = search_startups(service, str(body.get("value") or ""), limit=ui.MAX_OPTIONS)
        ack(options=[ui.startup_option(startup_id, name) for startup_id, name in found])

    @app.action(ui.STARTUP_PICK)
    def startup_picked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """A startup was chosen: offer its people in the form (the other answers are kept)."""
        ack()
        view = body["view"]
        form = FormValues.read(view.get("state") or {})
        people = startup_people(service, form.startup_id)
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=_rebuilt(view, form, people))

    def _rebuilt(view: dict[str, Any], form: FormValues, people: list[str],
                 warning: tuple[Any, ...] = ()) -> dict[str, Any]:
        return ui.book_modal(
            metadata=view.get("private_metadata") or "", template=service.settings.message_template,
            review_default=form.review, startup=form.startup_option, people=people,
            person=form.person if form.person in people else None, day=form.day, start=form.start, end=form.end,
            message=form.message, warning=warning,
        )

    @app.view(ui.BOOK_MODAL)
    def book_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user_id = body["user"]["id"]
        form = FormValues.read(view.get("state") or {})
        problems = form.errors(need_startup=True)
        if problems:
            ack(response_action="errors", errors=problems)
            return
        channel = channel_id(read_metadata(view).get("c"))
        stub = Teammate(name="", email="", timezone=service.settings.default_timezone, user_id=user_id)
        clash = desk.coordination.clash(desk.request_for(stub, _ask(form, []), channel))
        if clash.own is not None:
            ack(response_action="errors",
                errors={"startup": f"You already have a booking with {clash.own.startup_name} (#{clash.own.id}); "
                                   f"`/book status {clash.own.id}` shows it."})
            return
        if clash.colleagues and not form.anyway:
            people = startup_people(service, form.startup_id)
            ack(response_action="update", view=_rebuilt(view, form, people, clash.colleagues))
            return
        ack()
        try:
            teammate = desk.teammate(user_id)
            asked = desk.ask(teammate, _ask(form, form.preferred_times(teammate.timezone)), channel, book_anyway=True)
        except Exception:
            log.exception("the booking form failed after its ack")
            reply_privately(client, user_id=user_id, channel=channel,
                            text="Something went wrong on our side; nothing was booked. Please try again.")
            return
        if asked.kind == "yours" and asked.view is not None:
            reply_privately(client, user_id=user_id, channel=channel, text=ui.already_yours(asked.view))
        elif asked.kind == "invalid":
            reply_privately(client, user_id=user_id, channel=channel, text=asked.message)

    def _ask(form: FormValues, times: list[tuple[datetime, datetime]]) -> Ask:
        return Ask(startup=form.startup_id, preferred_person=form.person, preferred_times=times,
                   message_template=form.message, review=form.review)

    @app.view(ui.QUESTION_MODAL)
    def question_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """The one-field form: empty answers show under the field; the answer goes to the core after the ack."""
        user_id = body["user"]["id"]
        values = (view.get("state") or {}).get("values") or {}
        element = (values.get("answer") or {}).get(ui.QUESTION_INPUT) or {}
        answer = str((element.get("selected_option") or {}).get("value") or element.get("value") or "").strip()
        if not answer:
            ack(response_action="errors", errors={"answer": "Type your answer (or close the form)."})
            return
        ack()
        data = read_metadata(view)
        channel = channel_id(data.get("c"))
        number, label = data.get("b"), data.get("l")
        if not isinstance(number, int) or isinstance(number, bool) or not isinstance(label, str):
            reply_privately(client, user_id=user_id, channel=channel, text="That form no longer matches a booking.")
            return
        try:
            outcome = controls.answer_questions(number, user_id, {label: answer})
            text = outcome.message
            message_ts = data.get("m") if isinstance(data.get("m"), str) else None
            refresh_question(client, channel, message_ts, outcome.view, user_id)
        except NotAllowed as exc:
            text = refusal(exc)
        except (AnswerError, BookingError) as exc:
            text = str(exc)
        except NoResultFound:
            text = "That booking no longer exists."
        reply_privately(client, user_id=user_id, channel=channel, text=text)

    @app.view(ui.EDIT_MODAL)
    def edit_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user_id = body["user"]["id"]
        form = FormValues.read(view.get("state") or {})
        problems = form.errors(need_startup=False)
        if problems:
            ack(response_action="errors", errors=problems)
            return
        ack()
        data = read_metadata(view)
        channel = channel_id(data.get("c"))
        try:
            number = data["b"]
            if not isinstance(number, int) or isinstance(number, bool) or not 0 < number < 10**9:
                raise ValueError("not a booking id")
            booking = service.get(number)
            changes = BookingChanges(preferred_person=form.person,
                                     preferred_times=form.preferred_times(booking.user_timezone),
                                     message_template=form.message, review_before_submit=form.review)
            outcome = controls.retry(booking.id, user_id, changes)
            text = outcome.message
        except NotAllowed as exc:
            text = refusal(exc)
        except DuplicateBooking as exc:
            text = ui.already_yours(exc.existing)
        except (BookingError, KeyError, ValueError, NoResultFound) as exc:
            text = str(exc) if isinstance(exc, BookingError) else "That form no longer matches a booking."
        reply_privately(client, user_id=user_id, channel=channel, text=text)


def open_question_modal(client: WebClient, service: BookingService, controls: BookingControls, trigger_id: str,
                        booking_id: int, label: str, user_id: str, channel: str | None,
                        message_ts: str | None) -> str | None:
    """The one-field form for one of the form's questions, prefilled with the remembered answer.

    Returns a sentence instead when there is nothing to answer (NotAllowed for someone else's booking).
    """
    view = controls.authorize(booking_id, user_id)
    question = next((q for q in view.questions if key(q["label"]) == key(label)), None)
    if not view.awaiting_answer or question is None:
        return f"This booking isn't waiting for that answer any more; it is {view.status.replace('_', ' ')}."
    data = metadata(b=view.id, l=question["label"], c=channel,
                    m=message_ts if isinstance(message_ts, str) and len(message_ts) < 40 else None)
    client.views_open(trigger_id=trigger_id, view=ui.question_modal(
        view, question, metadata=data, remembered=remembered_answer(service, view.id, question["label"])))
    return None


def refresh_question(client: WebClient, channel: str | None, ts: str | None, view: BookingView,
                     answered_by: str | None) -> None:
    """Show the question's message as it is now (the rest of the questions, or answered: no buttons)."""
    if not (channel and ts):
        return
    text, blocks = ui.question_message(view, answered_by=answered_by if not view.awaiting_answer else None)
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except Exception:  # the answer counts; a stale message is only cosmetic
        log.warning("could not refresh the question message %s/%s", channel, ts, exc_info=True)


def open_edit_modal(client: WebClient, service: BookingService, controls: BookingControls, trigger_id: str,
                    booking_id: int, user_id: str, channel: str | None) -> None:
    """Edit and retry: check ownership (a quick read), then open the form at once."""
    view = controls.authorize(booking_id, user_id)
    people = startup_people(service, view.startup_id)
    client.views_open(trigger_id=trigger_id, view=ui.edit_modal(
        view, metadata=metadata(b=view.id, c=channel), template=service.settings.message_template, people=people))
