"""How the core reaches the teammate without knowing Slack.

The Slack front-end and the CLI each implement :class:`Notifier`. The service hands it plain
:class:`BookingView` snapshots (never ORM objects, which belong to one session and one thread).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Protocol

from booking.domain.states import BookingStatus

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
    reschedule_to: datetime | None = None  # a new time the startup proposed, waiting for the teammate
    startup_id: str | None = None
    requested_via: str = "cli"
    preferred_person: str | None = None
    preferred_times: tuple[tuple[datetime, datetime], ...] = ()
    message_template: str | None = None
    review_before_submit: bool = False
    review_expires_at: datetime | None = None
    batch_id: int | None = None
    # Questions on the startup's form only the teammate can answer (booking/questions.py): while
    # awaiting_review they wait for the answer; on a failed booking they say what stopped it.
    questions: tuple[dict[str, Any], ...] = ()

    @property
    def awaiting_answer(self) -> bool:
        """Paused for the teammate's answer to the form's questions (rather than a review)."""
        return self.status == "awaiting_review" and bool(self.questions)

    @property
    def is_dry_run(self) -> bool:
        """An admin's test run: the form is filled and never sent."""
        return self.requested_via == DRY_RUN

    @property
    def link(self) -> str | None:
        """Where the teammate can see the booking (a front-end puts it in ``thread_ref``)."""
        return self.thread_ref.get("link")


DRY_RUN = "dry_run"


@dataclass(frozen=True)
class BatchView:
    """Several bookings asked for at once, and the names that could not be queued (with why)."""

    id: int
    user_id: str | None
    request_text: str
    items: tuple[BookingView, ...]
    skipped: tuple[dict[str, str], ...] = ()
    thread_ref: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """No booking of the batch will change on its own any more (a review waits for the teammate)."""
        waiting = (BookingStatus.PENDING, BookingStatus.BOOKING_IN_PROGRESS)
        return all(BookingStatus(item.status) not in waiting for item in self.items)


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


class AskingNotifier(Notifier, Protocol):
    """Optional: a front-end that can put the form's questions to the teammate (a Slack thread, a
    terminal). Without ``ask`` a booking that stops on questions fails with the form's message."""

    def ask(self, booking: BookingView, questions: list[dict[str, Any]]) -> None:
        """Show the questions (label, kind, choices) and how to answer them; the answer comes back
        through ``BookingService.answer_questions``."""


NotifierFactory = Callable[[BookingView], Notifier]


class BatchNotifier(Protocol):
    """Optional: a notifier that also shows a batch's summary (e.g. one Slack message for three bookings)."""

    def batch_updated(self, batch: BatchView) -> None:
        """Refresh the batch's summary wherever ``batch.thread_ref`` points."""


class BatchTracking:
    """Wraps a NotifierFactory: when a booking of a batch changes, its batch's summary is refreshed too.

    Refreshes of one batch are serialised (read the batch, then show it) so two jobs finishing at
    the same moment can't leave an older summary on screen.
    """

    def __init__(self, inner: NotifierFactory, load_batch: Callable[[int], "BatchView | None"]) -> None:
        self.inner = inner
        self.load_batch = load_batch
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def __call__(self, view: BookingView) -> Notifier:
        notifier = self.inner(view)
        if view.batch_id is None or not hasattr(notifier, "batch_updated"):
            return notifier
        return _BatchRefreshing(notifier, self, view.batch_id)

    def refresh(self, batch_id: int, notifier: Any = None) -> None:
        with self._guard:
            lock = self._locks.setdefault(batch_id, threading.Lock())
        with lock:
            batch = self.load_batch(batch_id)
            if batch is None or not batch.items:
                return
            target = notifier or self.inner(batch.items[0])
            if hasattr(target, "batch_updated"):
                target.batch_updated(batch)


class _BatchRefreshing:
    def __init__(self, inner: Any, tracking: BatchTracking, batch_id: int) -> None:
        self.inner = inner
        self.tracking = tracking
        self.batch_id = batch_id

    def queued(self, booking: BookingView) -> dict[str, Any]:
        return self.inner.queued(booking)

    def step(self, booking: BookingView, text: str, screenshot: Path | None = None) -> None:
        self.inner.step(booking, text, screenshot)

    def updated(self, booking: BookingView) -> None:
        self.inner.updated(booking)
        self.tracking.refresh(self.batch_id, self.inner)

    def direct(self, booking: BookingView, text: str) -> None:
        self.inner.direct(booking, text)

    def batch_updated(self, batch: BatchView) -> None:
        self.inner.batch_updated(batch)

    def __getattr__(self, name: str) -> Any:  # optional methods (``ask``) exist when the inner one has them
        if name.startswith("__") or name in ("inner", "tracking", "batch_id"):
            raise AttributeError(name)
        return getattr(self.inner, name)


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

    @property
    def can_ask(self) -> bool:
        """Whether the front-end can ask the teammate the form's questions (see AskingNotifier)."""
        return callable(getattr(self.inner, "ask", None))

    def ask(self, booking: BookingView, questions: list[dict[str, Any]]) -> None:
        self._call("ask", booking, questions)

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
