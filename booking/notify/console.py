"""The CLI's notifier: progress lines on a stream, the same lines the Slack thread shows."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView


def status_line(view: BookingView) -> str:
    """One line for the booking's state; shared wording with the Slack parent message."""
    status = BookingStatus(view.status)
    if view.is_dry_run:
        if status is BookingStatus.CANCELLED:
            return f"🧪 Dry run of {view.startup_name} passed: the form was filled and not sent"
        if status is BookingStatus.FAILED:
            return f"🧪 Dry run of {view.startup_name} failed: {view.error_message or 'unknown reason'}"
        return f"🧪 Testing the booking page of {view.startup_name}… ⏳"
    if status in (BookingStatus.PENDING, BookingStatus.BOOKING_IN_PROGRESS):
        return f"Booking {view.startup_name}… ⏳"
    if status is BookingStatus.AWAITING_REVIEW and view.awaiting_answer:
        return f"{view.startup_name}: the form asks something only you can answer 👀"
    if status is BookingStatus.AWAITING_REVIEW:
        return f"{view.startup_name}: form filled, waiting for your review 👀"
    if status is BookingStatus.PENDING_CONFIRMATION:
        return f"{view.startup_name}: pending confirmation ⏳"
    if status in (BookingStatus.CONFIRMED, BookingStatus.ADDED_TO_CALENDAR):
        who = f" with {view.person_name}" if view.person_name else ""
        return f"✓ Booked {view.startup_name}{who}"
    if status is BookingStatus.CANCELLED:
        return f"Booking {view.startup_name} cancelled"
    return f"Booking {view.startup_name} failed: {view.error_message or 'unknown reason'}"


class ConsoleNotifier:
    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stdout
        self.quiet = quiet
        self._last_line: str | None = None

    def _print(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def queued(self, booking: BookingView) -> dict[str, Any]:
        self.updated(booking)
        return {}

    def step(self, booking: BookingView, text: str, screenshot: Path | None = None) -> None:
        self._print(f"[#{booking.id}]   {text}" + (f"  ({screenshot.name})" if screenshot else ""))

    def updated(self, booking: BookingView) -> None:
        line = f"[#{booking.id}] {status_line(booking)}"
        if line != self._last_line:
            self._last_line = line
            self._print(line)

    def direct(self, booking: BookingView, text: str) -> None:
        self._print(f"[#{booking.id}] → {text}")


class AskingConsoleNotifier(ConsoleNotifier):
    """For an interactive terminal: a booking that stops on the form's questions waits for the answers
    the CLI then reads from the terminal (without ``ask`` such a booking fails at once)."""

    def ask(self, booking: BookingView, questions: list[dict[str, Any]]) -> None:
        self._print(f"[#{booking.id}] The {booking.platform_label} form asks something only you can answer; "
                    "nothing was sent:")
        for question in questions:
            choices = f" (one of: {', '.join(question['choices'])})" if question.get("choices") else ""
            self._print(f"[#{booking.id}]   {question['label']}{choices}")
