"""Slack implementation of the core's Notifier: a parent message, thread replies, screenshots, DMs.

Also shows batch summaries (``batch_updated``). Updates are throttled to what changed: a message
is only re-sent (``chat.update``) when its rendered blocks differ from what Slack already shows,
so a job that reports the same state twice costs one call, not two. A step with a screenshot is
one thread message (the upload carries the step's text), not a text plus a bare upload.

Everything but the parent message goes through an outbox (bot/outbox.py) delivered by one
background thread, in order, so a slow or rate-limited Slack never holds the browser job that
reports (other callers wait for their own post, as they did before).
Only ``queued`` posts in place: the booking needs the parent's ``ts`` before its job starts.
"""
from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from booking.config.settings import SettingsError
from booking.notify.notifier import BatchView, BookingView
from bot.blocks.booking import booking_message, step_text
from bot.blocks.kit import format_slot, link
from bot.blocks.lists import batch_summary
from bot.blocks.questions import question_message
from bot.client import make_client
from bot.outbox import SlackOutbox, on_browser_job, without_rate_limit_retries

log = logging.getLogger(__name__)

# Posting in a channel the bot can't write to: fall back to the teammate's DM.
UNREACHABLE_CHANNEL = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
RENDER_CACHE_SIZE = 2000
WAIT_FOR_POST_SECONDS = 60.0  # a button's own post: how long its listener waits for Slack at most


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
    """One booking's Slack thread. ``client`` posts the parent in place; the rest goes through
    ``outbox`` with ``post_client`` (a client that leaves 429s to the outbox). A browser job
    (``in_background()`` true) never waits for it; a button or the monitor waits for its own post
    as before, so what they did shows in Slack when they return."""

    def __init__(self, client: WebClient, booking: BookingView, cache: RenderCache | None = None,
                 outbox: SlackOutbox | None = None, post_client: WebClient | None = None,
                 in_background: Callable[[], bool] = on_browser_job) -> None:
        self.client = client
        self.in_background = in_background
        self.post_client = post_client or client
        self.outbox = outbox or SlackOutbox()
        self.channel: str | None = booking.thread_ref.get("channel")
        self.ts: str | None = booking.thread_ref.get("ts")
        self.link: str | None = booking.thread_ref.get("link")
        self.user_id = booking.user_id
        self.cache = cache or RenderCache()

    def _send(self, label: str, call: Callable[[], Any]) -> None:
        delivered = self.outbox.put(label, call)
        if not self.in_background() and not delivered.wait(WAIT_FOR_POST_SECONDS):
            log.warning("Slack %s still queued after %s s", label, WAIT_FOR_POST_SECONDS)

    def queued(self, booking: BookingView) -> dict[str, Any]:
        text, blocks = booking_message(booking)
        ref = post_with_dm_fallback(self.client, self.channel, self.user_id, text, blocks)
        self.channel, self.ts, self.link = ref["channel"], ref["ts"], ref.get("link")
        self.cache.remember(self.channel, self.ts, RenderCache.digest(text, blocks))
        return ref

    def step(self, booking: BookingView, text: str, screenshot: Path | None = None) -> None:
        """One thread message per step: the screenshot's upload carries the step's text."""
        if not (self.channel and self.ts):
            return
        channel, ts, message = self.channel, self.ts, step_text(booking, text)
        if screenshot and screenshot.is_file():
            self._send(f"step of booking {booking.id}", lambda: self.post_client.files_upload_v2(
                channel=channel, thread_ts=ts, file=str(screenshot), filename=screenshot.name,
                title=text[:200], initial_comment=message, request_file_info=False))
        else:
            self._send(f"step of booking {booking.id}", lambda: self.post_client.chat_postMessage(
                channel=channel, thread_ts=ts, text=message))

    def updated(self, booking: BookingView) -> None:
        if not (self.channel and self.ts):
            return
        channel, ts = self.channel, self.ts
        text, blocks = booking_message(booking)
        self._send(f"update of booking {booking.id}", lambda: self._update(channel, ts, text, blocks))

    def batch_updated(self, batch: BatchView) -> None:
        channel, ts = batch.thread_ref.get("channel"), batch.thread_ref.get("ts")
        if not (channel and ts):
            return
        text, blocks = batch_summary(batch)
        self._send(f"summary of batch {batch.id}", lambda: self._update(channel, ts, text, blocks))

    def _update(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]) -> None:
        digest = RenderCache.digest(text, blocks)
        if self.cache.unchanged(channel, ts, digest):
            return
        self.post_client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        self.cache.remember(channel, ts, digest)

    def ask(self, booking: BookingView, questions: list[dict[str, Any]]) -> None:
        """The form's questions in the thread (buttons, or Answer for the one-field form), and a DM."""
        if not (self.channel and self.ts):
            return
        channel, ts = self.channel, self.ts
        text, blocks = question_message(booking)
        self._send(f"questions of booking {booking.id}", lambda: self.post_client.chat_postMessage(
            channel=channel, thread_ts=ts, text=text, blocks=blocks))
        until = f" by {format_slot(booking, booking.review_expires_at)}" if booking.review_expires_at else ""
        self.direct(booking, f"The {booking.startup_name} form asks something only you can answer; answer it in the "
                             f"thread{until}. Nothing is sent before you do.")

    def direct(self, booking: BookingView, text: str) -> None:
        if not self.user_id:
            return
        user_id = self.user_id
        where = f" ({link(self.link, 'see the thread')})" if self.link else ""
        self._send(f"DM about booking {booking.id}", lambda: self.post_client.chat_postMessage(
            channel=dm_channel(self.post_client, user_id), text=f"{text}{where}"))


class SlackNotifiers:
    """The NotifierFactory the service uses when the Slack front-end runs: one render cache and one
    outbox for all bookings (``flush`` waits for it: tests, shutdown)."""

    def __init__(self, client: WebClient, outbox: SlackOutbox | None = None,
                 in_background: Callable[[], bool] = on_browser_job) -> None:
        self.client = client
        self.in_background = in_background
        self.post_client = without_rate_limit_retries(client)
        self.cache = RenderCache()
        self.outbox = outbox or SlackOutbox()

    def __call__(self, booking: BookingView) -> SlackNotifier:
        return SlackNotifier(self.client, booking, self.cache, self.outbox, self.post_client,
                             self.in_background)

    def flush(self, timeout: float) -> bool:
        """Wait until every post handed in so far reached Slack (or was given up on)."""
        return self.outbox.flush(timeout)

    def close(self, timeout: float) -> bool:
        return self.outbox.close(timeout)


def slack_notifiers(client: WebClient) -> SlackNotifiers:
    return SlackNotifiers(client)


def notifiers_from_settings(settings):  # type: ignore[no-untyped-def]
    """Plugin entry point for ``python -m booking worker`` (see booking/notify/plugins.py); its path
    "bot.notifier:notifiers_from_settings" is public (settings name it), so it stays here.

    Posting needs only the bot token: a worker serves no Slack requests, so it has no use for the signing
    secret or the app token (``Settings.require_slack`` is the listening bot's check)."""
    if not (settings.slack_bot_token or "").startswith("xoxb-"):
        raise SettingsError("SLACK_BOT_TOKEN must be the bot's token (xoxb-…) for a worker to post in Slack")
    return slack_notifiers(make_client(settings))
