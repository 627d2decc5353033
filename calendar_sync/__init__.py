"""Google Calendar and Gmail for Booker: auth, free/busy, events, mail. No database, no Slack.

Everything goes in and out as plain dataclasses (:class:`TimeRange`, :class:`EventSpec`,
:class:`CalendarEvent`, :class:`GmailMessage`…); every failure is a one-line
:class:`GoogleError`. Start with :class:`GoogleWorkspace`.
"""
from calendar_sync.auth import (
    ALL_SCOPES,
    CALENDAR_SCOPES,
    GMAIL_SCOPES,
    OAUTH_TOKEN,
    SERVICE_ACCOUNT,
    CredentialSource,
    GoogleAuthConfig,
)
from calendar_sync.calendar import Attendee, CalendarClient, CalendarEvent, EventSpec, TimeRange, event_id_for
from calendar_sync.errors import GoogleApiError, GoogleAuthError, GoogleError, HistoryTooOld, NotFound
from calendar_sync.gmail import GmailClient, GmailMessage, GmailProfile, HistoryPage, MessagePage, MessagePart
from calendar_sync.retry import InterruptibleSleep, RetryPolicy
from calendar_sync.workspace import GoogleConfig, GoogleWorkspace

__all__ = [
    "ALL_SCOPES", "CALENDAR_SCOPES", "GMAIL_SCOPES", "OAUTH_TOKEN", "SERVICE_ACCOUNT",
    "Attendee", "CalendarClient", "CalendarEvent", "CredentialSource", "EventSpec", "GmailClient",
    "GmailMessage", "GmailProfile", "GoogleApiError", "GoogleAuthConfig", "GoogleAuthError", "GoogleConfig",
    "GoogleError", "GoogleWorkspace", "HistoryPage", "HistoryTooOld", "InterruptibleSleep", "MessagePage",
    "MessagePart", "NotFound", "RetryPolicy", "TimeRange", "event_id_for",
]
