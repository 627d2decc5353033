"""How the core reaches the teammate without knowing Slack.

The Slack front-end and the CLI each implement :class:`Notifier`. The service hands it plain
:class:`BookingView` snapshots (never ORM objects, which belong to one session and one thread).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BookingView:
    """A read-only snapshot of a booking, safe to pass between threads."""

    id: int
    status: str
    startup_name: str
    platform: str
    platform_label: str
    booking_url: str
    user_id: str | None
    user_name: str
    user_email: str
    user_timezone: str
    person_name: str | None = None
    proposed_slots: tuple[datetime, ...] = ()
    confirmed_slot: datetime | None = None
    slot_duration_minutes: int | None = None
    external_booking_id: str | None = None
    calendar_event_id: str | None = None
    message_sent: str | None = None
    error_message: str | None = None
    confirmation_check_count: int = 0
    last_confirmation_check: datetime | None = None
    confirmation_method: str | None = None
    screenshots: tuple[str, ...] = ()
    thread_ref: dict[str, Any] = field(default_factory=dict)
    retry_count: int = 0
    max_retries: int = 3
    created_at: datetime | None = None


class Notifier(Protocol):
    """Where a booking's progress is shown (a Slack thread, a terminal)."""

    def queued(self, booking: BookingView) -> dict[str, Any]:
        """Announce a new booking; return a reference (stored on the booking) to find it again."""

    def step(self, booking: BookingView, text: str, screenshot: Path | None = None) -> None:
        """One step of the browser job, with its screenshot."""

    def updated(self, booking: BookingView) -> None:
        """The booking's state changed: refresh its summary (the thread's parent message)."""

    def direct(self, booking: BookingView, text: str) -> None:
        """Tell the teammate privately (a DM): confirmations, declines, timeouts."""


NotifierFactory = Callable[[BookingView], Notifier]


class SafeNotifier:
    """Wraps a notifier so a Slack outage never fails a booking; failures are logged."""

    def __init__(self, inner: Notifier) -> None:
        self.inner = inner

    def queued(self, booking: BookingView) -> dict[str, Any]:
        try:
            return self.inner.queued(booking) or {}
        except Exception:
            log.exception("notifier.queued failed for booking %s", booking.id)
            return {}

    def step(self, booking: BookingView, text: str, screenshot: Path | None = None) -> None:
        self._call("step", booking, text, screenshot)

    def updated(self, booking: BookingView) -> None:
        self._call("updated", booking)

    def direct(self, booking: BookingView, text: str) -> None:
        self._call("direct", booking, text)

    def _call(self, name: str, booking: BookingView, *args: Any) -> None:
        try:
            getattr(self.inner, name)(booking, *args)
        except Exception:
            log.exception("notifier.%s failed for booking %s", name, booking.id)


class NullNotifier:
    """Shows nothing: for workers and tests that only look at the database."""

    def queued(self, booking: BookingView) -> dict[str, Any]:
        return {}

    def step(self, booking: BookingView, text: str, screenshot: Path | None = None) -> None:
        return None

    def updated(self, booking: BookingView) -> None:
        return None

    def direct(self, booking: BookingView, text: str) -> None:
        return None
