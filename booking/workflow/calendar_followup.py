"""What follows a confirmation: the calendar event (exactly once), the status, and the teammate's DM.

confirmed → (event created or found) → added_to_calendar, and the teammate gets a DM with the
time in their zone and the event's link. When Google refuses or is down, the booking stays
``confirmed`` with the reason recorded and a retry time (``calendar_retry_at``); the scheduler
calls :meth:`CalendarFollowUp.retry` for :meth:`CalendarFollowUp.due` bookings. Nothing is lost:
the meeting is booked either way, only the calendar entry waits.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from booking.confirmations.teammate_calendar import CalendarEntry, Meeting, retry_delay
from booking.domain.errors import BookingError
from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, NotifierFactory, SafeNotifier
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest
from booking.workflow.ports import Clock
from booking.workflow.views import booking_view

log = logging.getLogger(__name__)
S = BookingStatus


def meeting_time(view: BookingView) -> str:
    """"Wed 2 Dec, 09:00–09:30 (Europe/Helsinki)": the teammate's own zone."""
    if view.confirmed_slot is None:
        return "(time unknown)"
    zone = ZoneInfo(view.user_timezone)
    start = view.confirmed_slot.astimezone(zone)
    end = start + timedelta(minutes=view.slot_duration_minutes or 30)
    return f"{start:%a} {start.day} {start:%b}, {start:%H:%M}–{end:%H:%M} ({view.user_timezone})"


def booked_line(view: BookingView) -> str:
    who = f" with {view.person_name}" if view.person_name else ""
    return f"✓ Booked {view.startup_name}{who}: {meeting_time(view)}"


class CalendarFollowUp:
    """Gets the database, the booking store, the clock, the notifier factory and the teammates' calendar
    (``None`` when no calendar is configured), not the service."""

    def __init__(self, db: Database, store: BookingStore, clock: Clock, notifiers: NotifierFactory,
                 calendar: Any = None) -> None:
        self.db = db
        self.store = store
        self.clock = clock
        self.notifiers = notifiers
        self.calendar = calendar

    def _get(self, booking_id: int) -> BookingView:
        with self.db.session() as session:
            return booking_view(session.get_one(MeetingBookingRequest, booking_id))

    def _reaches(self, email: str) -> bool:
        calendar = self.calendar
        return calendar is not None and hasattr(calendar, "add_meeting") and calendar.reaches(email)

    # -- entry points -------------------------------------------------------------------------------
    def after_confirmed(self, booking_id: int) -> BookingView:
        view = self._get(booking_id)
        if view.status != S.CONFIRMED:
            return view
        if not self._reaches(view.user_email):
            notifier = SafeNotifier(self.notifiers(view))
            notifier.direct(view, f"{booked_line(view)}. Booker has no access to your Google Calendar, "
                                  "so please add it there yourself.")
            return view
        return self._add(booking_id, first=True)

    def retry(self, booking_id: int) -> BookingView:
        """Try again to add a confirmed booking's event (for the scheduler); a no-op otherwise."""
        view = self._get(booking_id)
        if view.status != S.CONFIRMED or view.calendar_event_id or not self._reaches(view.user_email):
            return view
        return self._add(booking_id, first=False)

    def due(self, now: datetime | None = None, limit: int = 100) -> list[int]:
        """Confirmed bookings whose calendar event is missing and whose retry time has come."""
        now = now or self.clock()
        with self.db.session() as session:
            rows = session.scalars(
                select(MeetingBookingRequest.id).where(
                    MeetingBookingRequest.status == S.CONFIRMED.value,
                    MeetingBookingRequest.calendar_event_id.is_(None),
                    MeetingBookingRequest.calendar_retry_at.is_not(None),
                    MeetingBookingRequest.calendar_retry_at <= now,
                ).order_by(MeetingBookingRequest.calendar_retry_at).limit(limit)
            )
            return list(rows)

    # -- the work -----------------------------------------------------------------------------------
    def _meeting(self, booking_id: int) -> Meeting:
        with self.db.session() as session:
            row = session.get_one(MeetingBookingRequest, booking_id)
            start = row.confirmed_slot_datetime or row.proposed_slot_1_datetime
            if start is None:
                raise BookingError("The confirmed booking has no time, so it can't go in your calendar")
            return Meeting(
                booking_id=row.id,
                booking_key=row.created_at.isoformat(),
                teammate_email=row.user_email,
                teammate_timezone=row.user_timezone,
                startup_name=row.startup_name,
                person_name=row.selected_person_name,
                person_email=row.selected_person_email,
                start=start,
                end=start + timedelta(minutes=row.slot_duration_minutes or 30),
                message=row.message_sent or "",
                booking_url=row.booking_url,
                location=row.meeting_location,
                ical_uid=row.invite_ical_uid,
            )

    def _add(self, booking_id: int, first: bool) -> BookingView:
        try:
            entry = self.calendar.add_meeting(self._meeting(booking_id))
        except BookingError as exc:
            return self._record_failure(booking_id, str(exc), first)
        return self._record_added(booking_id, entry, first)

    def _record_failure(self, booking_id: int, reason: str, first: bool) -> BookingView:
        with self.db.transaction() as session:
            row = session.get_one(MeetingBookingRequest, booking_id)
            row.calendar_attempts = (row.calendar_attempts or 0) + 1
            row.calendar_retry_at = self.clock() + retry_delay(row.calendar_attempts)
            row.error_message = reason
            self.store.log(session, row, "note", None, None, f"Not in your calendar yet: {reason}",
                         {"calendar_attempt": row.calendar_attempts})
            view = booking_view(row)
        notifier = SafeNotifier(self.notifiers(view))
        notifier.updated(view)
        if first:
            notifier.direct(view, f"{booked_line(view)}. I couldn't add it to your Google Calendar yet ({reason}); "
                                  "I'll try again.")
        return view

    def _record_added(self, booking_id: int, entry: CalendarEntry, first: bool) -> BookingView:
        try:
            with self.db.transaction() as session:
                row = session.get_one(MeetingBookingRequest, booking_id)
                if row.booking_status is not S.CONFIRMED:
                    return booking_view(row)  # a parallel follow-up got there first
                row.calendar_event_id = entry.event_id
                row.calendar_retry_at = None
                row.error_message = None
                again = "" if entry.created else " (it was already there)"
                self.store.transition(session, row, S.ADDED_TO_CALENDAR, f"Added to Google Calendar{again}")
                view = booking_view(row)
        except StaleDataError:
            return self._get(booking_id)  # the other writer added it; it tells the teammate
        notifier = SafeNotifier(self.notifiers(view))
        notifier.updated(view)
        if first:
            notifier.direct(view, f"{booked_line(view)}. In your Google Calendar: {entry.link}")
        else:
            notifier.direct(view, f"Your meeting with {view.startup_name} ({meeting_time(view)}) is now in your "
                                  f"Google Calendar: {entry.link}")
        return view
