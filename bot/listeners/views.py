"""The modals: the booking form (``/book`` alone, Home tab), "Edit and retry", the one-field answer to a
form's question, and the Home tab's working hours.

Forms open before any slow work: ``views.open`` is the first Slack call after the ack (trigger
ids expire in 3 s). Submissions are validated before the ack (bot/listeners/forms.py), so mistakes
show inline under the field; the booking itself starts after the ack. The startup search and the
startup picked inside the booking form are here too: they only change the form.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import NoResultFound

from booking.domain.errors import BookingError
from booking.notify.notifier import BookingView
from booking.workflow.access import NotAllowed
from booking.workflow.controls import BookingChanges, BookingControls
from booking.workflow.coordination import DuplicateBooking
from booking.workflow.overview import search_startups, startup_people
from booking.workflow.preferences import review_by_default, save_working_time
from booking.workflow.questions import AnswerError, key, remembered_answer
from booking.workflow.requests import Teammate
from booking.workflow.service import BookingService
from bot import ids
from bot.blocks.booking import already_yours
from bot.blocks.hours import saved_notice
from bot.blocks.kit import MAX_OPTIONS
from bot.blocks.modals import book_modal, edit_modal, question_modal, startup_option
from bot.blocks.questions import question_message
from bot.desk import Ask, BookingDesk
from bot.listeners.events import publish_home
from bot.listeners.forms import FormValues, HoursForm, channel_id, metadata, read_metadata
from bot.listeners.replies import refusal, reply_privately

log = logging.getLogger(__name__)


def open_book_modal(client: WebClient, service: BookingService, trigger_id: str, user_id: str,
                    channel: str | None) -> None:
    """First Slack call after the ack: the trigger id is only good for 3 s."""
    view = book_modal(metadata=metadata(c=channel), template=service.settings.message_template,
                         review_default=review_by_default(service, user_id))
    client.views_open(trigger_id=trigger_id, view=view)


def register_views(app: App, service: BookingService, desk: BookingDesk, controls: BookingControls) -> None:
    @app.options(ids.STARTUP_PICK)
    def startup_options(ack: Ack, body: dict[str, Any]) -> None:
        found = search_startups(service, str(body.get("value") or ""), limit=MAX_OPTIONS)
        ack(options=[startup_option(startup_id, name) for startup_id, name in found])

    @app.action(ids.STARTUP_PICK)
    def startup_picked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """A startup was chosen: offer its people in the form (the other answers are kept)."""
        ack()
        view = body["view"]
        form = FormValues.read(view.get("state") or {})
        people = startup_people(service, form.startup_id)
        client.views_update(view_id=view["id"], hash=view.get("hash"), view=_rebuilt(view, form, people))

    def _rebuilt(view: dict[str, Any], form: FormValues, people: list[str],
                 warning: tuple[Any, ...] = ()) -> dict[str, Any]:
        return book_modal(
            metadata=view.get("private_metadata") or "", template=service.settings.message_template,
            review_default=form.review, startup=form.startup_option, people=people,
            person=form.person if form.person in people else None, day=form.day, start=form.start, end=form.end,
            message=form.message, warning=warning,
        )

    @app.view(ids.BOOK_MODAL)
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
            reply_privately(client, user_id=user_id, channel=channel, text=already_yours(asked.view))
        elif asked.kind == "invalid":
            reply_privately(client, user_id=user_id, channel=channel, text=asked.message)

    def _ask(form: FormValues, times: list[tuple[datetime, datetime]]) -> Ask:
        return Ask(startup=form.startup_id, preferred_person=form.person, preferred_times=times,
                   message_template=form.message, review=form.review)

    @app.view(ids.QUESTION_MODAL)
    def question_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """The one-field form: empty answers show under the field; the answer goes to the core after the ack."""
        user_id = body["user"]["id"]
        values = (view.get("state") or {}).get("values") or {}
        element = (values.get("answer") or {}).get(ids.QUESTION_INPUT) or {}
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

    @app.view(ids.EDIT_MODAL)
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
            text = already_yours(exc.existing)
        except (BookingError, KeyError, ValueError, NoResultFound) as exc:
            text = str(exc) if isinstance(exc, BookingError) else "That form no longer matches a booking."
        reply_privately(client, user_id=user_id, channel=channel, text=text)

    @app.view(ids.HOURS_VIEW)
    def hours_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Checked before the ack: a mistake shows under its field and nothing is stored."""
        chosen, problems = HoursForm.read(view.get("state") or {}).checked()
        if chosen is None:
            ack(response_action="errors", errors=problems)
            return
        ack()
        user_id = body["user"]["id"]
        try:
            save_working_time(service, desk.teammate(user_id), chosen)
            notice = saved_notice(chosen)
        except Exception:
            log.exception("saving the working hours of %s failed", user_id)
            notice = "Your working hours could not be saved; nothing was changed. Please try again."
        publish_home(client, service, user_id, notice)


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
    client.views_open(trigger_id=trigger_id, view=question_modal(
        view, question, metadata=data, remembered=remembered_answer(service, view.id, question["label"])))
    return None


def refresh_question(client: WebClient, channel: str | None, ts: str | None, view: BookingView,
                     answered_by: str | None) -> None:
    """Show the question's message as it is now (the rest of the questions, or answered: no buttons)."""
    if not (channel and ts):
        return
    text, blocks = question_message(view, answered_by=answered_by if not view.awaiting_answer else None)
    try:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except Exception:  # the answer counts; a stale message is only cosmetic
        log.warning("could not refresh the question message %s/%s", channel, ts, exc_info=True)


def open_edit_modal(client: WebClient, service: BookingService, controls: BookingControls, trigger_id: str,
                    booking_id: int, user_id: str, channel: str | None) -> None:
    """Edit and retry: check ownership (a quick read), then open the form at once."""
    view = controls.authorize(booking_id, user_id)
    people = startup_people(service, view.startup_id)
    client.views_open(trigger_id=trigger_id, view=edit_modal(
        view, metadata=metadata(b=view.id, c=channel), template=service.settings.message_template, people=people))
