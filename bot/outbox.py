"""Slack posts delivered off the browser job: a bounded queue drained by one background thread.

A browser job only hands its thread messages, uploads and message updates in here and goes on, so
a slow or rate-limited Slack (429) never keeps a browser slot busy. One thread delivers everything
in the order it was handed in (so a booking's thread reads in step order), retrying a 429 after
the Retry-After Slack gives, waited with ``Event.wait`` (a shutdown can cut the wait short).
The thread starts on the first post and ends after a quiet spell; ``flush(timeout)`` waits for the
queue to be empty (tests, and shutdown: every outbox is flushed when the process exits).
"""
from __future__ import annotations

import atexit
import logging
import queue
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from booking.runtime.runner import in_job

log = logging.getLogger(__name__)

CAPACITY = 2000  # posts waiting at most; past it a post is dropped (logged) rather than hold a browser
MAX_ATTEMPTS = 5  # a post still rate limited after this many tries is dropped (logged)
IDLE_SECONDS = 30.0  # the delivering thread ends after this long with nothing to do
DEFAULT_RETRY_AFTER = 1.0  # when a 429 names no Retry-After
EXIT_FLUSH_SECONDS = 10.0

_live: "weakref.WeakSet[SlackOutbox]" = weakref.WeakSet()


@dataclass(frozen=True)
class _Post:
    label: str
    call: Callable[[], Any]
    done: threading.Event


class SlackOutbox:
    """Delivers posts in order on one background thread; see the module docstring for why."""

    def __init__(self, capacity: int = CAPACITY, max_attempts: int = MAX_ATTEMPTS,
                 idle_seconds: float = IDLE_SECONDS, wait: Callable[[float], bool] | None = None) -> None:
        """``wait(seconds)`` waits out a rate limit and returns True to give up (default: until
        ``close`` gives up); tests pass their own to hold the outbox on a 429."""
        self._queue: queue.Queue[_Post] = queue.Queue(maxsize=capacity)
        self.max_attempts = max_attempts
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)
        self._unfinished = 0
        self._thread: threading.Thread | None = None
        self._abort = threading.Event()  # set only to give up on waits (close after its timeout)
        self._wait = wait or self._abort.wait
        _live.add(self)

    def put(self, label: str, call: Callable[[], Any]) -> threading.Event:
        """Queue one Slack call and return at once; the event is set once it was delivered (or
        given up on), for a caller that wants to wait. A full queue drops the post, with a warning."""
        post = _Post(label, call, threading.Event())
        with self._lock:
            try:
                self._queue.put_nowait(post)
            except queue.Full:
                log.warning("Slack outbox full: dropped %s", label)
                post.done.set()
                return post.done
            self._unfinished += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._drain, name="booker-slack-outbox", daemon=True)
                self._thread.start()
        return post.done

    @property
    def pending(self) -> int:
        with self._lock:
            return self._unfinished

    def flush(self, timeout: float) -> bool:
        """Wait until every queued post was delivered (or given up on); False on timeout."""
        with self._lock:
            return self._settled.wait_for(lambda: self._unfinished == 0, timeout)

    def close(self, timeout: float = EXIT_FLUSH_SECONDS) -> bool:
        """Deliver what is queued (up to ``timeout``), then stop waiting on rate limits."""
        delivered = self.flush(timeout)
        if not delivered:
            log.warning("Slack outbox closed with %d posts undelivered", self.pending)
        self._abort.set()
        return delivered

    def _drain(self) -> None:
        while True:
            try:
                post = self._queue.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            try:
                self._deliver(post)
            finally:
                post.done.set()
                with self._lock:
                    self._unfinished -= 1
                    self._settled.notify_all()

    def _deliver(self, post: _Post) -> None:
        for attempt in range(1, self.max_attempts + 1):
            try:
                post.call()
                return
            except SlackApiError as exc:
                if exc.response.status_code != 429 or attempt == self.max_attempts:
                    log.warning("Slack %s failed: %s", post.label, exc.response.get("error"))
                    return
                wait = retry_after(exc)
                log.info("Slack rate limited %s; retrying in %.0f s", post.label, wait)
                if self._wait(wait):
                    log.warning("Slack %s dropped at shutdown (rate limited)", post.label)
                    return
            except Exception:
                log.exception("Slack %s failed", post.label)
                return


def on_browser_job() -> bool:
    """Whether the caller is a browser job, which must never wait for Slack."""
    return in_job()


def retry_after(exc: SlackApiError) -> float:
    """Seconds Slack asks us to wait before trying again (its Retry-After header)."""
    headers = {k.lower(): v for k, v in (exc.response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(0.0, float(value)) if value is not None else DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


def without_rate_limit_retries(client: WebClient) -> WebClient:
    """The same client minus its 429 handler (which sleeps in place): the outbox waits itself."""
    return WebClient(
        token=client.token, base_url=client.base_url, timeout=client.timeout, ssl=client.ssl,
        proxy=client.proxy, headers=dict(client.headers or {}), logger=client.logger,
        retry_handlers=[h for h in client.retry_handlers if not isinstance(h, RateLimitErrorRetryHandler)],
    )


@atexit.register
def _flush_at_exit() -> None:
    """Shutdown: what the bot still had to say reaches Slack before the process ends."""
    for outbox in list(_live):
        outbox.close(EXIT_FLUSH_SECONDS)
