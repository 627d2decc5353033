"""Slash commands. Each listener acks first, validates, then hands off to the service."""
from __future__ import annotations

import logging
import re
from typing import Any, Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks import USAGE
from bot.users import teammate_from_slack
from booking.service import BookingInputError, BookingRequestInput, BookingService

log = logging.getLogger(__name__)

MAX_COMMAND_TEXT = 300
_SLACK_LINK = re.compile(r"<(?P<target>[^|>]+)(?:\|(?P<label>[^>]*))?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def parse_book_text(text: str) -> tuple[str, str]:
    """Split ``/book`` text into ("url"|"startup"|"help"|"empty"|"invalid", value)."""
    cleaned = " ".join(_CONTROL.sub("", text or "").split())
    if not cleaned:
        return "empty", ""
    if len(cleaned) > MAX_COMMAND_TEXT:
        return "invalid", f"That is {len(cleaned)} characters; a startup name is at most {MAX_COMMAND_TEXT}."
    if cleaned.lower() in {"help", "-h", "--help", "?"}:
        return "help", ""
    link = _SLACK_LINK.fullmatch(cleaned)
    if link:
        target = link.group("target")
        if target.startswith(("http://", "https://")):
            return "url", target
        return "invalid", "Give a startup name or a booking page link, not a mention or channel."
    if cleaned.startswith(("http://", "https://")):
        return "url", cleaned
    # Drop Slack formatting characters someone may have typed around the name.
    name = _SLACK_LINK.sub(lambda m: m.group("label") or "", cleaned).strip(" *_~`")
    if not name:
        return "invalid", "Give a startup name, e.g. `/book Acme`."
    return "startup", name


def register_commands(app: App, service: BookingService) -> None:
    @app.command("/book")
    def book(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        kind, value = parse_book_text(command.get("text", ""))
        if kind in {"empty", "help"}:
            respond(text=USAGE, response_type="ephemeral")
            return
        if kind == "invalid":
            respond(text=value, response_type="ephemeral")
            return
        hand_off(service, client, command, respond, **{kind: value})


def hand_off(service: BookingService, client: WebClient, command: dict[str, Any], respond: Callable[..., Any],
             startup: str | None = None, url: str | None = None) -> None:
    """Create the booking and queue its browser job; answer the teammate privately on bad input."""
    try:
        teammate = teammate_from_slack(client, command["user_id"], service.settings.default_timezone)
        view = service.request_booking(
            BookingRequestInput(teammate=teammate, startup=startup, url=url, requested_via="slack",
                                thread_ref={"channel": command.get("channel_id")})
        )
    except BookingInputError as exc:
        hint = f"\nDid you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        respond(text=f"{exc}.{hint}", response_type="ephemeral")
        return
    except Exception:
        log.exception("/book failed before the booking started")
        respond(text="Something went wrong on our side; nothing was booked. Please try again.", response_type="ephemeral")
        return
    service.start(view.id)
