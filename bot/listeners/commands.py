"""Slash commands ``/book`` and ``/book-admin`` (``bot/listeners/admin.py``). Each listener acks first,
validates, then hands off. Command text is read as Slack escapes it (``bot/listeners/slack_text.py``).

``/book`` alone opens the booking form: ``views.open`` is the first call after the ack, because a
trigger id expires 3 s after the command was typed.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy.exc import NoResultFound

from booking.domain.errors import BookingError
from booking.workflow.access import NotAllowed
from booking.workflow.admin import Admin
from booking.workflow.batches import MAX_BATCH
from booking.workflow.controls import BookingControls
from booking.workflow.overview import grouped, my_bookings
from bot.blocks.booking import already_yours, status_message
from bot.blocks.help import USAGE
from bot.blocks.lists import anyway_value, colleague_warning, list_message
from bot.desk import Ask, BookingDesk
from bot.listeners.admin import register_admin_command
from bot.listeners.replies import refusal
from bot.listeners.slack_text import Token, as_typed, plain, tokens
from bot.listeners.views import open_book_modal

log = logging.getLogger(__name__)

COMMANDS = ("/book", "/book-admin")
MAX_COMMAND_TEXT = 300
MAX_BATCH_TEXT = 2000
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SEPARATORS = re.compile(r"\s*[,;\n]\s*")
_BOOKING_ID = re.compile(r"#?(\d{1,9})")


def _protect(text: str) -> tuple[str, list[Token]]:
    """Slack's links and mentions taken out as placeholders, the rest un-escaped (``R&amp;D`` → ``R&D``),
    so splitting at ``,`` ``;`` never cuts a URL or an ``&amp;``."""
    found: list[Token] = []
    protected = []
    for piece in tokens(text):
        if isinstance(piece, Token):
            protected.append(f"\x00{len(found)}\x00")
            found.append(piece)
        else:
            protected.append(piece)
    return "".join(protected), found


def _parse_one(cleaned: str, found: list[Token]) -> tuple[str, str]:
    cleaned = " ".join(cleaned.split())  # tabs, newlines and runs of spaces become one space
    link = _PLACEHOLDER.fullmatch(cleaned)
    if link:
        token = found[int(link.group(1))]
        if token.is_url:
            return "url", token.target
        return "invalid", "Give a startup name or a booking page link, not a mention or channel."
    if cleaned.startswith(("http://", "https://")):
        return "url", _PLACEHOLDER.sub(lambda m: as_typed(found[int(m.group(1))]), cleaned)
    # Drop Slack formatting characters someone may have typed around the name.
    name = _PLACEHOLDER.sub(lambda m: found[int(m.group(1))].label or "", cleaned).strip(" *_~`")
    name = " ".join(name.split())
    if not name:
        return "invalid", "Give a startup name, e.g. `/book Acme`."
    return "startup", name


def parse_book_text(text: str) -> tuple[str, Any]:
    """Split ``/book`` text (as Slack escapes it) into (kind, value).

    Kinds: "empty" (open the form), "help", "list", "status"/"cancel" (value: booking id),
    "startup"/"url" (value: str), "batch" (value: [(kind, value), …]), "invalid" (value: why).
    """
    cleaned, found = _protect(_CONTROL.sub("", text or "").strip())
    cleaned = cleaned.strip()
    if not cleaned:
        return "empty", ""
    typed = len(plain(_CONTROL.sub("", text or "").strip()))
    if typed > MAX_BATCH_TEXT:
        return "invalid", f"That is {typed} characters; a startup name is at most {MAX_COMMAND_TEXT}."
    lowered = cleaned.lower()
    if lowered in {"help", "-h", "--help", "?"}:
        return "help", ""
    if lowered in {"list", "ls", "mine"}:
        return "list", ""
    verb, _, rest = cleaned.partition(" ")
    if verb.lower() in {"status", "cancel"}:
        match = _BOOKING_ID.fullmatch(rest.strip())
        if not match:
            return "invalid", f"Give the booking's number, e.g. `/book {verb.lower()} 12` (see `/book list`)."
        return verb.lower(), int(match.group(1))
    parts = [p for p in _SEPARATORS.split(cleaned) if p.strip(" *_~`")]
    if len(parts) > 1:
        if len(parts) > MAX_BATCH:
            return "invalid", f"At most {MAX_BATCH} startups at once, please ({len(parts)} given)."
        seen: set[str] = set()
        batch = []
        for part in parts:
            if len(part) > MAX_COMMAND_TEXT:
                return "invalid", f"{part[:40]}… is longer than {MAX_COMMAND_TEXT} characters."
            kind, value = _parse_one(part, found)
            if kind == "invalid":
                return kind, value
            if len(value) > MAX_COMMAND_TEXT:  # a link's label counts, not its placeholder
                return "invalid", f"{value[:40]}… is longer than {MAX_COMMAND_TEXT} characters."
            if value.casefold() not in seen:
                seen.add(value.casefold())
                batch.append((kind, value))
        if len(batch) > 1:
            return "batch", batch
        return batch[0]
    if typed > MAX_COMMAND_TEXT:
        return "invalid", f"That is {typed} characters; a startup name is at most {MAX_COMMAND_TEXT}."
    return _parse_one(cleaned, found)


def register_commands(app: App, desk: BookingDesk, controls: BookingControls, admin: Admin) -> None:
    service = desk.service

    @app.command("/book")
    def book(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        kind, value = parse_book_text(command.get("text", ""))
        if kind == "empty":  # the form first: the trigger id expires 3 s after the command was typed
            user_id, channel = command["user_id"], command.get("channel_id")
            open_book_modal(client, service, command["trigger_id"], user_id, channel)
            return
        if kind == "help":
            respond(text=USAGE, response_type="ephemeral")
            return
        if kind == "invalid":
            respond(text=value, response_type="ephemeral")
            return
        desk.hand_off(lambda: answer_book(kind, value, command, respond), f"/book {kind}")

    def answer_book(kind: str, value: Any, command: dict[str, Any], respond: Respond) -> None:
        user_id = command["user_id"]
        try:
            if kind == "list":
                controls.expire_overdue_reviews()
                text, blocks = list_message(grouped(my_bookings(service, user_id)))
                respond(text=text, blocks=blocks, response_type="ephemeral")
            elif kind == "status":
                view = service.get(value)
                events = [(e.at, e.detail) for e in service.events(value)]
                text, blocks = status_message(view, events)
                respond(text=text, blocks=blocks, response_type="ephemeral")
            elif kind == "cancel":
                respond(text=controls.cancel(value, user_id).message, response_type="ephemeral")
            elif kind == "batch":
                book_batch(desk, command, respond, value)
            else:
                book_one(desk, command, respond, Ask(**{kind: value}))
        except NotAllowed as exc:
            respond(text=refusal(exc), response_type="ephemeral")
        except BookingError as exc:
            respond(text=str(exc), response_type="ephemeral")
        except NoResultFound:
            respond(text=f"There is no booking #{value}; `/book list` shows yours.", response_type="ephemeral")
        except Exception:
            log.exception("/book %s failed", kind)
            respond(text="Something went wrong on our side; nothing was booked. Please try again.",
                    response_type="ephemeral")

    register_admin_command(app, desk, admin)


def book_one(desk: BookingDesk, command: dict[str, Any], respond: Callable[..., Any], ask: Ask) -> None:
    channel = command.get("channel_id")
    asked = desk.ask(desk.teammate(command["user_id"]), ask, channel)
    if asked.kind == "yours" and asked.view is not None:
        respond(text=already_yours(asked.view), response_type="ephemeral")
    elif asked.kind == "colleagues":
        value = anyway_value(s=ask.startup, u=ask.url, c=channel)
        text, blocks = colleague_warning(ask.label, asked.colleagues, value)
        respond(text=text, blocks=blocks, response_type="ephemeral")
    elif asked.kind == "invalid":
        respond(text=asked.message, response_type="ephemeral")


def book_batch(desk: BookingDesk, command: dict[str, Any], respond: Callable[..., Any],
               parts: list[tuple[str, str]]) -> None:
    channel = command.get("channel_id")
    asks = [Ask(**{kind: value}) for kind, value in parts]
    batch_id, clashes = desk.ask_batch(desk.teammate(command["user_id"]), asks, channel, command.get("text", ""))
    if not clashes:
        return
    blocks: list[dict[str, Any]] = []
    for index, (ask, asked) in enumerate(clashes[:10]):
        value = anyway_value(s=ask.startup, u=ask.url, c=channel, b=batch_id)
        blocks += colleague_warning(ask.label, asked.colleagues, value, block_id=f"anyway:{index}")[1]
    names = ", ".join(ask.label for ask, _ in clashes)
    respond(text=f"Colleagues already have {names}. Book anyway?", blocks=blocks, response_type="ephemeral")

