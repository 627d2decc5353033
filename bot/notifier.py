"""Slack implementation of the core's Notifier: a parent message, thread replies, screenshots, DMs."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import booking_message, step_text
from booking.notify import BookingView

log = logging.getLogger(__name__)

# Posting in a channel the bot can't write to: fall back to the teammate's DM.
UNREACHABLE_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}


class SlackNotifier:
    def __init__(self, client: WebClient, booking: BookingView) -> None:
        self.client = client
        self.channel: str | None = booking.thread_ref.get("channel")
        self.ts: str | None = booking.thread_ref.get("ts")
        self.user_id = booking.user_id

    def queued(self, booking: BookingView) -> dict[str, Any]:
        text, blocks = booking_message(booking)
        channel = self.channel or self._dm_channel()
        try:
            response = self.client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        except SlackApiError as exc:
            if exc.response.get("error") not in UNREACHABLE_CHANNEL or not self.user_id:
                raise
            channel = self._dm_channel()
            response = self.client.chat_postMessage(channel=channel, text=text, blocks=blocks)
        self.channel, self.ts = response["channel"], response["ts"]
        return {"channel": self.channel, "ts": self.ts}

    def step(self, booking: BookingView, text: str, screenshot: Path | None = None) -> None:
        if not (self.channel and self.ts):
            return
        self.client.chat_postMessage(channel=self.channel, thread_ts=self.ts, text=step_text(booking, text))
        if screenshot and screenshot.is_file():
            self.client.files_upload_v2(
                channel=self.channel, thread_ts=self.ts, file=str(screenshot),
                filename=screenshot.name, title=text[:200],
            )

    def updated(self, booking: BookingView) -> None:
        if not (self.channel and self.ts):
            return
        text, blocks = booking_message(booking)
        self.client.chat_update(channel=self.channel, ts=self.ts, text=text, blocks=blocks)

    def direct(self, booking: BookingView, text: str) -> None:
        if not self.user_id:
            return
        self.client.chat_postMessage(channel=self._dm_channel(), text=text)

    def _dm_channel(self) -> str:
        if not self.user_id:
            raise ValueError("no Slack user to message")
        return self.client.conversations_open(users=self.user_id)["channel"]["id"]


def slack_notifiers(client: WebClient):  # type: ignore[no-untyped-def]
    """The NotifierFactory the service uses when the Slack front-end runs."""
    return lambda booking: SlackNotifier(client, booking)


def notifiers_from_settings(settings):  # type: ignore[no-untyped-def]
    """Plugin entry point for ``python -m booking worker`` (see booking/plugins.py)."""
    from bot.app import make_client

    return slack_notifiers(make_client(settings.require_slack()))
