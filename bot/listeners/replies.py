"""Private replies to whoever typed a command or pressed a button, wherever they did it.

Slash commands and message buttons come with a ``response_url`` (an ephemeral reply there can also
replace the message the button is on); modal submissions and the Home tab don't, so those replies
go as an ephemeral message in the channel the teammate started from, or as a DM.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from booking.workflow.access import NotAllowed
from bot.notifier import dm_channel

log = logging.getLogger(__name__)


def reply_privately(client: WebClient, *, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None,
                    respond: Callable[..., Any] | None = None, channel: str | None = None,
                    replace: bool = False) -> None:
    if respond is not None:
        kwargs: dict[str, Any] = {"text": text, "response_type": "ephemeral", "replace_original": replace}
        if blocks:
            kwargs["blocks"] = blocks
        respond(**kwargs)
        return
    if channel and not channel.startswith("D"):
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, text=text, blocks=blocks)
            return
        except SlackApiError as exc:
            log.info("ephemeral reply in %s failed (%s); sending a DM", channel, exc.response.get("error"))
    client.chat_postMessage(channel=dm_channel(client, user_id), text=text, blocks=blocks)


def refusal(exc: NotAllowed) -> str:
    """Someone pressed a button on another teammate's booking."""
    owner = f"<@{exc.booking.user_id}>" if exc.booking.user_id else exc.booking.user_name
    return f"This booking belongs to {owner}; only they or a Booker admin can change it. Nothing was changed."


def responder(body: dict[str, Any], respond: Callable[..., Any] | None) -> Callable[..., Any] | None:
    """Bolt hands every listener a ``respond``; it only works when the payload had a response_url."""
    return respond if body.get("response_url") else None
