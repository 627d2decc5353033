"""Slack implementation of the core's Notifier: a parent message, thread replies, screenshots, DMs.

Also shows batch summaries (``batch_updated``). Updates are throttled to what changed: a message
is only re-sent (``chat.update``) when its rendered blocks differ from what Slack already shows,
so a job that reports the same state twice costs one call, not two. Rate limits (429) are retried
by the WebClient's RateLimitErrorRetryHandler, which waits for Retry-After.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import batch_summary, booking_message, format_slot, link, question_message, step_text
from booking.notify import BatchView, BookingView

log = logging.getLogger(__name__)

# Posting in a channel the bot can't write to: fall back to the teammate's DM.
UNREACHABLE_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
RENDER_CACHE_SIZE = 2000


def dm_channel(client: WebClient, user_id: str) -> str:
    return client.conversations_open(users=user_id)["channel"]["id"]


def post_with_dm_fallback(client: WebClient, channel: str | None, user_id: str | None, text: str,
                          blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Post in ``channel``; where the bot can't (not a member, archived), in the teammate's DM."""
    if not channel:
        if not user_id:
            raise ValueError("nowhere to post")
        channel = dm_channel(client, user_id)
    try:
        response = client.chat_postMessage(channel=channel, text=text, blocks=blocks)
    except SlackApiError as exc:
        if exc.response.get("error") not in UNREACHABLE_CHANNEL or not user_id:
            raise
        response = client.chat_postMessage(channel=dm_channel(client, user_id), text=text, blocks=blocks)
    ref: dict[str, Any] = {"channel": response["channel"], "ts": response["ts"]}
    permalink = permalink_for(client, ref["channel"], ref["ts"])
    if permalink:
        ref["link"] = permalink
    return ref


def permalink_for(client: WebClient, channel: str, ts: str) -> str | None:
    """Slack's own link to a message (for "see its thread"); None when Slack won't say."""
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as exc:
        log.info("no permalink for %s/%s: %s", channel, ts, exc.response.get("error"))
        return None


class RenderCache:
    """What each message last showed, so unchanged updates are not sent again (bounded, thread-safe)."""

    def __init__(self, size: int = RENDER_CACHE_SIZE) -> None:
        self._seen: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._lock = threading.Lock()
        self.size = size

    @staticmethod
    def digest(text: str, blocks: list[dict[str, Any]]) -> str:
        return json.dumps([text, blocks], sort_keys=True, ensure_ascii=False)

    def unchanged(self, channel: str, ts: str, digest: str) -> bool:
        with self._lock:
            return self._seen.get((channel, ts)) == digest

    def remember(self, channel: str, ts: str, digest: str) -> None:
        with self._lock:
            self._seen[(channel, ts)] = digest
            self._seen.move_to_end((channel, ts))
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)


class SlackNotifier:
    def __init__(self, client: WebClient, booking: BookingView, cache: RenderCache | None = None) -> None:
        self.client = client
        self.channel: str | None = booking.thread_ref.get("channel")
        self.ts: str | None = booking.thread_ref.get("ts")
        self.link: str | None = booking.thread_ref.get("link")
        self.user_id = booking.user_id
        self.cache = cache or RenderCache()

    def queued(self, booking: BookingView) -> dict[str, Any]:
        text, blocks = booking_message(booking)
        ref = post_with_dm_fallback(self.client, self.channel, self.user_id, text, blocks)
        self.channel, self.ts, self.link = ref["channel"], ref["ts"], ref.get("link")
        self.cache.remember(self.channel, self.ts, RenderCache.digest(text, blocks))
        return ref

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
        self._update(self.channel, self.ts, text, blocks)

    def batch_updated(self, batch: BatchView) -> None:
        channel, ts = batch.thread_ref.get("channel"), batch.thread_ref.get("ts")
        if not (channel and ts):
            return
        text, blocks = batch_summary(batch)
        self._update(channel, ts, text, blocks)

    def _update(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        digest = RenderCache.digest(text, blocks)
        if self.cache.unchanged(channel, ts, digest):
            return
        self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        self.cache.remember(channel, ts, digest)

    def ask(self, booking: BookingView, questions: list[dict[str, Any]]) -> None:
        """The form's questions in the thread (buttons, or Answer for the one-field form), and a DM."""
        if not (self.channel and self.ts):
            return
        text, blocks = question_message(booking)
        self.client.chat_postMessage(channel=self.channel, thread_ts=self.ts, text=text, blocks=blocks)
        until = f" by {format_slot(booking, booking.review_expires_at)}" if booking.review_expires_at else ""
        self.direct(booking, f"The {booking.startup_name} form asks something only you can answer; answer it in the "
                             f"thread{until}. Nothing is sent before you do.")

    def direct(self, booking: BookingView, text: str) -> None:
        if not self.user_id:
            return
        where = f" ({link(self.link, 'see the thread')})" if self.link else ""
        self.client.chat_postMessage(channel=dm_channel(self.client, self.user_id), text=f"{text}{where}")


class SlackNotifiers:
    """The NotifierFactory the service uses when the Slack front-end runs (one render cache for all)."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self.cache = RenderCache()

    def __call__(self, booking: BookingView) -> SlackNotifier:
        return SlackNotifier(self.client, booking, self.cache)


def slack_notifiers(client: WebClient) -> SlackNotifiers:
    return SlackNotifiers(client)


def notifiers_from_settings(settings):  # type: ignore[no-untyped-def]
    """Plugin entry point for ``python -m booking worker`` (see booking/plugins.py)."""
    from bot.app import make_client

    return slack_notifiers(make_client(settings.require_slack()))
