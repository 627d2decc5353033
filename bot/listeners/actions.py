"""Buttons: the booking message's (also on the Home tab and in ``/book status``), "Book anyway", the
form's questions in a thread, and the Home tab's own (Book a meeting, Working hours, the review default).

Each listener acks, maps the click to one core operation (booking.workflow.controls) and tells the person
who clicked what happened, privately. The core refreshes the booking's message in place. Someone
who neither owns the booking nor is an admin gets "this booking belongs to @x" and nothing changes.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any, Callable

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import NoResultFound

from booking.domain.errors import BookingError
from booking.workflow.access import NotAllowed
from booking.workflow.batches import forget_skipped, load_batch
from booking.workflow.controls import BookingControls, Outcome
from booking.workflow.coordination import DuplicateBooking
from booking.workflow.preferences import set_review_by_default, working_time
from booking.workflow.questions import AnswerError
from bot import ids
from bot.blocks.booking import already_yours
from bot.blocks.hours import hours_modal
from bot.blocks.kit import link
from bot.desk import Ask, BookingDesk, refresh_batch
from bot.listeners.events import is_home, publish_home
from bot.listeners.forms import channel_id
from bot.listeners.replies import refusal, reply_privately, responder
from bot.listeners.views import open_book_modal, open_edit_modal, open_question_modal, refresh_question

log = logging.getLogger(__name__)
BOOKING_ID = re.compile(r"[0-9]{1,9}")  # ASCII digits only (int() also reads other scripts' digits)


def booking_number(value: Any) -> int:
    """The booking id a button carries: plain digits (ValueError otherwise, e.g. a forged payload)."""
    if not isinstance(value, str) or not BOOKING_ID.fullmatch(value):
        raise ValueError(f"not a booking id: {str(value)[:40]!r}")
    return int(value)


def anyway_request(value: str | None) -> dict[str, Any] | None:
    """What a Book anyway button carries (``bot.blocks.lists.anyway_value``), or None if it isn't that."""
    try:
        data = json.loads(value or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    texts_ok = all(isinstance(data.get(key), (str, type(None))) for key in ("s", "u", "c"))
    batch = data.get("b")
    if not texts_ok or not (batch is None or (isinstance(batch, int) and not isinstance(batch, bool))):
        return None
    if not (data.get("s") or data.get("u")):
        return None
    return data


def question_request(value: str | None, with_answer: bool) -> dict[str, Any] | None:
    """What a question's button carries (``bot.blocks.questions.choice_value`` / ``question_value``),
    or None when it isn't that (a forged or broken payload)."""
    try:
        data = json.loads(value or "{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    number, label, answer = data.get("b"), data.get("l"), data.get("a")
    if not isinstance(number, int) or isinstance(number, bool) or not 0 < number < 10**9:
        return None
    if not isinstance(label, str) or not label.strip() or (with_answer and not isinstance(answer, str)):
        return None
    return data


def register_actions(app: App, desk: BookingDesk, controls: BookingControls) -> None:
    service = desk.service

    def handle(operation: Callable[[int, str], Outcome]) -> Callable[..., None]:
        def listener(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                     respond: Any = None) -> None:
            ack()
            user_id = body["user"]["id"]
            try:
                text = operation(booking_number(action.get("value")), user_id).message
            except NotAllowed as exc:
                text = refusal(exc)
            except DuplicateBooking as exc:
                text = already_yours(exc.existing)
            except BookingError as exc:
                text = str(exc)
            except (NoResultFound, ValueError):
                text = "That booking no longer exists."
            except Exception:
                log.exception("button %s failed", action.get("action_id"))
                text = "Something went wrong on our side; nothing was changed. Please try again."
            if is_home(body):
                publish_home(client, service, user_id, notice=text)
            else:
                reply_privately(client, user_id=user_id, text=text, respond=responder(body, respond),
                                channel=(body.get("channel") or {}).get("id"))
        return listener

    app.action(ids.CANCEL)(handle(controls.cancel))
    app.action(ids.RETRY)(handle(lambda booking_id, user: controls.retry(booking_id, user)))
    app.action(ids.MARK_CONFIRMED)(handle(controls.mark_confirmed))
    app.action(ids.ACCEPT_RESCHEDULE)(handle(lambda booking_id, user: controls.answer_reschedule(booking_id, user, True)))
    app.action(ids.DECLINE_RESCHEDULE)(handle(lambda booking_id, user: controls.answer_reschedule(booking_id, user, False)))
    app.action(ids.CHECK_NOW)(handle(controls.check_now))
    app.action(ids.APPROVE)(handle(lambda booking_id, user: controls.approve_review(booking_id, user)))
    app.action(ids.OTHER_SLOT)(handle(lambda booking_id, user: controls.approve_review(booking_id, user, other_slot=True)))

    @app.action(ids.EDIT_RETRY)
    def edit_and_retry(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                       respond: Any = None) -> None:
        ack()
        user_id = body["user"]["id"]
        try:
            open_edit_modal(client, service, controls, body["trigger_id"], booking_number(action.get("value")),
                            user_id, (body.get("channel") or {}).get("id"))
        except NotAllowed as exc:
            reply_privately(client, user_id=user_id, text=refusal(exc), respond=responder(body, respond),
                            channel=(body.get("channel") or {}).get("id"))
        except (NoResultFound, ValueError):
            reply_privately(client, user_id=user_id, text="That booking no longer exists.",
                            respond=responder(body, respond), channel=(body.get("channel") or {}).get("id"))

    def question_choice(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        respond: Any = None) -> None:
        """A choice button under the form's question: that choice is the answer."""
        ack()
        user_id = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        data = question_request(action.get("value"), with_answer=True)
        if data is None:
            text = "That button is out of date."
        else:
            try:
                outcome = controls.answer_questions(data["b"], user_id, {data["l"]: data["a"]})
                text = outcome.message
                refresh_question(client, channel, (body.get("message") or {}).get("ts"), outcome.view, user_id)
            except NotAllowed as exc:
                text = refusal(exc)
            except (AnswerError, BookingError) as exc:
                text = str(exc)
            except NoResultFound:
                text = "That booking no longer exists."
            except Exception:
                log.exception("answering a question of booking %s failed", data["b"])
                text = "Something went wrong on our side; nothing was changed. Please try again."
        reply_privately(client, user_id=user_id, text=text, respond=responder(body, respond), channel=channel)

    for choice_action in ids.QUESTION_CHOICES:
        app.action(choice_action)(question_choice)

    @app.action(ids.QUESTION_ANSWER)
    def question_answer(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                        respond: Any = None) -> None:
        """Answer: the one-field form (opened first: the trigger id is good for 3 s)."""
        ack()
        user_id = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id")
        data = question_request(action.get("value"), with_answer=False)
        text = "That button is out of date."
        if data is not None:
            try:
                text = open_question_modal(client, service, controls, body["trigger_id"], data["b"], data["l"],
                                           user_id, channel, (body.get("message") or {}).get("ts"))
            except NotAllowed as exc:
                text = refusal(exc)
            except NoResultFound:
                text = "That booking no longer exists."
        if text:
            reply_privately(client, user_id=user_id, text=text, respond=responder(body, respond), channel=channel)

    for url_action in ids.URL_ACTIONS:
        # Link buttons still send a click; it must be acked or Slack shows an error.
        app.action(url_action)(lambda ack: ack())

    @app.action(ids.BOOK_ANYWAY)
    def book_anyway(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient,
                    respond: Any = None) -> None:
        ack()
        user_id = body["user"]["id"]
        say = responder(body, respond)
        data = anyway_request(action.get("value"))
        if data is None:
            reply_privately(client, user_id=user_id, text="That button is out of date.", respond=say)
            return
        ask = Ask(startup=data.get("s"), url=data.get("u"), batch_id=data.get("b"))
        if ask.batch_id is not None:
            batch = load_batch(service, ask.batch_id)
            if batch is None or batch.user_id != user_id:  # only its own request shows this button
                reply_privately(client, user_id=user_id, respond=say,
                                text="That button belongs to another teammate's request; nothing was booked.")
                return
        asked = desk.ask(desk.teammate(user_id), ask, channel_id(data.get("c")), book_anyway=True)
        if asked.kind == "started" and asked.view is not None:
            if ask.batch_id:
                forget_skipped(service, ask.batch_id, ask.label)
                refresh_batch(service, ask.batch_id)
            where = f": {link(asked.view.link, 'see its thread')}" if asked.view.link else ""
            text = f"Booking {asked.view.startup_name} anyway{where}."
        elif asked.kind == "yours" and asked.view is not None:
            text = already_yours(asked.view)
        else:
            text = asked.message or "Nothing was booked."
        # One warning replaces itself; a batch's warnings share a message, so the others stay.
        reply_privately(client, user_id=user_id, text=text, respond=say, replace=not ask.batch_id)

    @app.action(ids.DONT_BOOK)
    def dont_book(ack: Ack, body: dict[str, Any], respond: Any = None) -> None:
        ack()
        say = responder(body, respond)
        if say is not None:
            say(delete_original=True)

    @app.action(ids.HOME_BOOK)
    def book_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_book_modal(client, service, body["trigger_id"], body["user"]["id"], None)

    @app.action(ids.HOME_REVIEW_DEFAULT)
    def review_default(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        enabled = any(o.get("value") == ids.REVIEW_OPTION for o in action.get("selected_options") or [])
        set_review_by_default(service, desk.teammate(user_id), enabled)
        notice = ("Booker will show you each filled form before sending it." if enabled
                  else "Booker will send filled forms right away.")
        publish_home(client, service, user_id, notice)

    @app.action(ids.HOME_HOURS)
    def hours_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """The working-hours form, filled with what the teammate has now (views.open first: 3 s trigger)."""
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=hours_modal(working_time(service, body["user"]["id"])))
