"""The entry point: one :class:`GoogleWorkspace` per process hands out per-teammate clients.

    workspace = GoogleWorkspace(GoogleConfig(GoogleAuthConfig(Path("key.json"))))
    busy = workspace.calendar("eduardo@axa.example").free_busy(start, end)
    mail = workspace.gmail("eduardo@axa.example").list_messages("from:calendly.com newer_than:1d")

The discovery-built service objects are shared; credentials are cached per teammate; each thread
gets its own HTTP connection (see :mod:`calendar_sync.transport`).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from calendar_sync.auth import CALENDAR_SCOPES, GMAIL_SCOPES, CredentialSource, GoogleAuthConfig
from calendar_sync.calendar import CalendarClient
from calendar_sync.gmail import GmailClient
from calendar_sync.retry import InterruptibleSleep, RetryPolicy
from calendar_sync.transport import ApiSession, ApiSpec, build_service

CALENDAR_API = ApiSpec("calendar", "v3", "Google Calendar", CALENDAR_SCOPES)
GMAIL_API = ApiSpec("gmail", "v1", "Gmail", GMAIL_SCOPES)


@dataclass(frozen=True)
class GoogleConfig:
    auth: GoogleAuthConfig
    calendar_endpoint: str | None = None  # e.g. "http://127.0.0.1:8080/calendar/v3/"
    gmail_endpoint: str | None = None  # e.g. "http://127.0.0.1:8080/"
    timeout: float = 20.0


class GoogleWorkspace:
    """Validates the credentials at once (one-line GoogleAuthError), then serves clients per teammate."""

    def __init__(self, config: GoogleConfig, *, retry: RetryPolicy | None = None) -> None:
        self.config = config
        self.source = CredentialSource(config.auth)
        self.retry = retry or RetryPolicy()
        self._services: dict[str, Any] = {}
        self._sessions: dict[tuple[str, str], ApiSession] = {}
        self._lock = threading.Lock()

    @property
    def mode(self) -> str:
        return self.source.mode

    def serves(self, user_email: str) -> bool:
        """Whether Booker can reach this teammate's Google account with the configured credentials."""
        return self.source.serves(user_email)

    def calendar(self, user_email: str) -> CalendarClient:
        return CalendarClient(self._session(CALENDAR_API, self.config.calendar_endpoint, user_email))

    def gmail(self, user_email: str) -> GmailClient:
        return GmailClient(self._session(GMAIL_API, self.config.gmail_endpoint, user_email))

    def _session(self, spec: ApiSpec, endpoint: str | None, user_email: str) -> ApiSession:
        key = (spec.name, user_email.casefold())
        with self._lock:
            session = self._sessions.get(key)
            if session is None:
                service = self._services.get(spec.name)
                if service is None:
                    service = self._services[spec.name] = build_service(spec, endpoint)
                session = self._sessions[key] = ApiSession(
                    spec, service, self.source, user_email, self.retry, self.config.timeout)
            return session

    def close(self) -> None:
        """End any backoff wait in progress (shutdown)."""
        if isinstance(self.retry.sleep, InterruptibleSleep):
            self.retry.sleep.interrupt()
