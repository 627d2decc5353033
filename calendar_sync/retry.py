"""Retries for Google calls: exponential backoff that honours Retry-After, with time injected.

google-api-python-client can retry by itself (``execute(num_retries=n)``) but sleeps with
``time.sleep`` and random jitter and ignores Retry-After; we call it with ``num_retries=0`` and
retry here instead, so tests pass a recording ``sleep`` and a fake clock and never wait.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Google reports some rate limits as 403 with one of these reasons.
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})


class InterruptibleSleep:
    """The production ``sleep``: waits on an event, so shutting down ends a backoff at once."""

    def __init__(self) -> None:
        self._stop = threading.Event()

    def __call__(self, seconds: float) -> None:
        self._stop.wait(max(0.0, seconds))

    def interrupt(self) -> None:
        self._stop.set()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Attempt:
    """What one failed try told us: may we retry, and did the server ask for a delay."""

    retryable: bool
    retry_after: float | None = None


@dataclass
class RetryPolicy:
    """Try up to ``max_attempts`` times; wait ``base_delay * 2**n`` (at most ``max_delay``) or the
    server's Retry-After when longer; give up early when the total wait would pass ``budget``."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    budget: float = 90.0
    sleep: Callable[[float], None] = field(default_factory=InterruptibleSleep)
    monotonic: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = utc_now  # to read Retry-After given as an HTTP date

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based)."""
        backoff = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return max(backoff, retry_after or 0.0)

    def parse_retry_after(self, value: str | None) -> float | None:
        """Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3)."""
        if not value:
            return None
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - self.now()).total_seconds())

    def run(self, call: Callable[[], T], classify: Callable[[BaseException], Attempt | None], what: str) -> T:
        """Run ``call``; on an exception ``classify`` says whether to retry (None: re-raise as is).

        When the retries run out, the last exception is re-raised; the caller translates it.
        """
        started = self.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                return call()
            except Exception as exc:
                verdict = classify(exc)
                if verdict is None or not verdict.retryable or attempt >= self.max_attempts:
                    raise
                wait = self.delay(attempt, verdict.retry_after)
                if self.monotonic() - started + wait > self.budget:
                    log.warning("%s: giving up after %d tries (next wait %.0f s passes the budget)", what, attempt, wait)
                    raise
                log.info("%s failed (try %d of %d), retrying in %.1f s", what, attempt, self.max_attempts, wait)
                self.sleep(wait)
