"""Errors calendar_sync raises instead of raw Google exceptions.

Each message is one line a person can act on ("what is wrong, what to fix"). The caller (the
booking core) decides what it means for a booking; nothing here knows about bookings.
"""
from __future__ import annotations


def one_line(text: object, limit: int = 600) -> str:
    """Collapse whitespace so a message never spans lines (Slack threads, logs, CLI errors)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class GoogleError(Exception):
    """Base class; ``str(error)`` is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class GoogleAuthError(GoogleError):
    """Credentials are missing, unreadable or refused: a setting or an admin grant must change."""


class GoogleApiError(GoogleError):
    """Google answered with an error.

    ``retryable`` is True for rate limits and server errors that outlived our retries: trying again
    later may work. Otherwise the request itself was refused (a 4xx) and repeating it won't help.
    """

    def __init__(self, message: str, *, status: int = 0, reason: str = "", retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.retryable = retryable


class NotFound(GoogleApiError):
    """404 (or 410): the event, message or calendar does not exist (any more)."""


class HistoryTooOld(GoogleApiError):
    """Gmail's history id is too old (404 on history.list): do a full sync with messages.list."""
