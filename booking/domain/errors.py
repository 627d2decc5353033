"""Errors that say whose fault they are and what the teammate should read.

Like yt-dlp's ``ExtractorError(expected=True)``: an *expected* error is a situation on the page or
in the calendar ("no common free time"); an unexpected one is ours (a crashed driver). Raw Selenium
and Google exceptions are translated into these at the boundary and never reach Slack.
"""
from __future__ import annotations


class BookingError(Exception):
    """A booking can't go on; ``str(error)`` is a sentence for the teammate."""

    expected: bool = True
    retryable: bool = False

    def __init__(self, message: str, *, expected: bool | None = None, retryable: bool | None = None) -> None:
        super().__init__(message)
        if expected is not None:
            self.expected = expected
        if retryable is not None:
            self.retryable = retryable


class PageChanged(BookingError):
    """A hook the platform module relies on was not found: the page changed or did not load."""

    def __init__(self, platform_label: str, what: str) -> None:
        super().__init__(f"The {platform_label} page changed or did not finish loading: {what} did not appear")
        self.what = what


class PageTimeout(BookingError):
    retryable = True


class NoCommonTime(BookingError):
    """Nothing offered fits the teammate's calendar and rules."""


class SlotTaken(BookingError):
    """Someone else booked the slot between our choice and our submit."""


class FieldCannotBeFilled(BookingError):
    """The form asks for something we don't know about the teammate."""


class QuestionsUnanswered(FieldCannotBeFilled):
    """Required questions on the form that only the teammate can answer; nothing was sent.

    ``questions``: one dict per question, ``{"label": str, "kind": "text" | "choice" | "checkbox",
    "choices": [str, ...]}`` (``choices`` for selects and radio groups, placeholders left out).
    """

    def __init__(self, message: str, questions: list[dict[str, object]]) -> None:
        super().__init__(message)
        self.questions = questions


class UnsafeUrl(BookingError):
    """A booking URL points somewhere a booking page can't be (file:, loopback, …)."""


class UnknownPlatform(BookingError):
    """No platform module recognises the URL and there is no recipe for it."""


class BrowserFailure(BookingError):
    """The browser itself failed (driver crash, lost session): our problem, worth a retry."""

    expected = False
    retryable = True


class Cancelled(BookingError):
    """The teammate cancelled while the job was running."""


class PlatformApiError(BookingError):
    """A platform's public API did not answer usefully (down, changed, refused); worth another try later."""

    retryable = True
