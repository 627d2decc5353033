"""The teammate's calendar as the booking core sees it, and its Google implementation.

The core asks two things of a calendar: when is the teammate busy (to skip those slots), and
put this confirmed meeting in their calendar exactly once. :class:`GoogleCalendar` answers both
through :mod:`calendar_sync` and turns Google's errors into :class:`~booking.domain.errors.BookingError`
sentences; the core never sees a Google exception.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from booking.config.settings import Settings
from booking.domain.errors import BookingError
from booking.domain.slots import Interval
from booking.notify.notifier import BookingView
from calendar_sync import (
    Attendee, EventSpec, GoogleApiError, GoogleAuthConfig, GoogleAuthError, GoogleConfig, GoogleWorkspace, RetryPolicy,
    event_id_for,
)

log = logging.getLogger(__name__)


class CalendarNotConnected(BookingError):
    """Google refused our credentials for this teammate: a setting or an admin grant must change."""


class CalendarUnavailable(BookingError):
    """Google answered with an error (``retryable`` when trying again later may work)."""


@dataclass(frozen=True)
class Meeting:
    """A confirmed meeting to put in the teammate's calendar (plain data from the booking row)."""

    booking_id: int
    booking_key: str  # unique per booking across databases (its creation time), so ids never collide
    teammate_email: str
    teammate_timezone: str
    startup_name: str
    person_name: str | None
    person_email: str | None
    start: datetime
    end: datetime
    message: str
    booking_url: str
    location: str | None = None
    ical_uid: str | None = None  # the startup's invite already sent to the teammate (from Gmail)

    @property
    def summary(self) -> str:
        return f"Meeting with {self.startup_name} ({self.person_name})" if self.person_name else \
            f"Meeting with {self.startup_name}"

    @property
    def description(self) -> str:
        parts = [f"Booked by Booker (booking #{self.booking_id}) on {self.booking_url}"]
        if self.message:
            parts.append(f"Message sent:\n{self.message}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class CalendarEntry:
    event_id: str
    link: str
    created: bool  # False: it was already there (a repeat after a crash or a double confirmation)


class TeammateCalendar(Protocol):
    def reaches(self, email: str) -> bool:
        """Whether this calendar can act for the teammate (an OAuth token belongs to one person)."""

    def busy(self, booking: BookingView, start: datetime, end: datetime) -> list[Interval]:
        """The teammate's busy blocks between ``start`` and ``end``."""

    def add_meeting(self, meeting: Meeting) -> CalendarEntry:
        """Create the meeting's event, or return it if it exists already."""


class GoogleCalendar:
    """:class:`TeammateCalendar` on Google Calendar (free/busy on ``primary``, idempotent insert)."""

    def __init__(self, workspace: GoogleWorkspace) -> None:
        self.workspace = workspace

    @classmethod
    def from_settings(cls, settings: Settings, retry: RetryPolicy | None = None) -> GoogleCalendar | None:
        """None when no credentials are configured; CalendarNotConnected (one line) when they are unusable."""
        if not settings.google_enabled:
            return None
        config = GoogleConfig(
            auth=GoogleAuthConfig(
                credentials_file=settings.google_credentials_file,  # type: ignore[arg-type]
                mode=settings.google_auth_mode,
                token_uri=settings.google_token_uri,
                oauth_account=settings.google_oauth_account,
            ),
            calendar_endpoint=settings.google_calendar_api_url,
            gmail_endpoint=settings.google_gmail_api_url,
            timeout=settings.google_timeout,
        )
        try:
            return cls(GoogleWorkspace(config, retry=retry))
        except GoogleAuthError as exc:
            raise CalendarNotConnected(str(exc)) from None

    def reaches(self, email: str) -> bool:
        return self.workspace.serves(email)

    def busy(self, booking: BookingView, start: datetime, end: datetime) -> list[Interval]:
        if not self.reaches(booking.user_email):
            return []
        try:
            blocks = self.workspace.calendar(booking.user_email).free_busy(start, end)
        except Exception as exc:
            raise self._translate(exc, "Couldn't read your Google Calendar's free/busy times", "nothing was booked")
        return [Interval(b.start, b.end) for b in blocks]

    def add_meeting(self, meeting: Meeting) -> CalendarEntry:
        spec = EventSpec(
            summary=meeting.summary,
            start=meeting.start,
            end=meeting.end,
            time_zone=meeting.teammate_timezone,
            event_id=event_id_for("booker", meeting.booking_key, meeting.booking_id),
            description=meeting.description,
            location=meeting.location,
            attendees=(Attendee(meeting.person_email, meeting.person_name),) if meeting.person_email else (),
            private_properties={"booking_id": str(meeting.booking_id), "booking_key": meeting.booking_key},
        )
        try:
            calendar = self.workspace.calendar(meeting.teammate_email)
            if meeting.ical_uid:
                return self._adopt_invite(calendar, spec, meeting.ical_uid)
            event = calendar.insert_event(spec)
        except Exception as exc:
            raise self._translate(exc, "Couldn't add the meeting to your Google Calendar", "")
        return CalendarEntry(event.id, event.html_link, event.created)

    @staticmethod
    def _adopt_invite(calendar: Any, spec: Any, ical_uid: str) -> CalendarEntry:
        """The startup's invite is (or will be) in the calendar: reuse it by iCalUID, never add a twin."""
        existing = [e for e in calendar.find_events(ical_uid=ical_uid) if e.status != "cancelled"]
        if existing:
            return CalendarEntry(existing[0].id, existing[0].html_link, False)
        event = calendar.import_event(replace(spec, event_id=None, ical_uid=ical_uid))
        return CalendarEntry(event.id, event.html_link, True)

    @staticmethod
    def _translate(exc: Exception, what: str, consequence: str) -> BookingError:
        tail = f"; {consequence}" if consequence else ""
        if isinstance(exc, GoogleAuthError):
            return CalendarNotConnected(f"{what}: {exc}{tail}", retryable=False)
        if isinstance(exc, GoogleApiError):
            return CalendarUnavailable(f"{what}: {exc}{tail}", retryable=exc.retryable)
        log.exception("unexpected error from Google")
        return CalendarUnavailable(f"{what} (an unexpected error; the team has the details){tail}",
                                   expected=False, retryable=True)

    def close(self) -> None:
        self.workspace.close()


def retry_delay(attempts: int) -> timedelta:
    """When to try adding the event again after ``attempts`` failures: 5 min, 10, 20 … at most 6 h."""
    return min(timedelta(minutes=5) * (2 ** max(0, attempts - 1)), timedelta(hours=6))
