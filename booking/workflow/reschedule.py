"""A startup proposed another time: ask the teammate, then accept or decline it on the platform.

Apart from the ``BookingService`` facade; it gets the booking store, the notifier factory, a way to
open the booking's platform and the outcomes it ends in (confirmed, declined) instead of the service.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Callable
from zoneinfo import ZoneInfo

from booking.domain.errors import BookingError
from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, NotifierFactory, SafeNotifier
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest
from booking.workflow.outcomes import Outcomes
from booking.workflow.views import booking_view

S = BookingStatus


class Reschedules:
    """The new time a startup proposed: offered to the teammate, answered on the platform."""

    def __init__(self, db: Database, store: BookingStore, notifiers: NotifierFactory,
                 platform_session: Callable[[int], AbstractContextManager[Any]], outcomes: Outcomes) -> None:
        self.db = db
        self.store = store
        self.notifiers = notifiers
        self.platform_session = platform_session
        self.outcomes = outcomes

    def _get(self, booking_id: int) -> BookingView:
        with self.db.session() as session:
            return booking_view(session.get_one(MeetingBookingRequest, booking_id))

    def offer_reschedule(self, booking_id: int, new_start: datetime, how: str) -> BookingView:
        """The startup proposed another time: the booking keeps waiting and the teammate is asked."""
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if booking.booking_status is not S.PENDING_CONFIRMATION or booking.reschedule_proposed_at == new_start:
                return booking_view(booking)
            booking.reschedule_proposed_at = new_start
            self.store.log(session, booking, "note", None, None, f"{booking.startup_name} proposed a new time ({how})",
                      {"reschedule_to": new_start.isoformat()})
            view = booking_view(booking)
        local = new_start.astimezone(ZoneInfo(view.user_timezone))
        when = f"{local:%a} {local.day} {local:%b} {local:%H:%M} ({view.user_timezone})"
        notifier = SafeNotifier(self.notifiers(view))
        notifier.updated(view)
        notifier.direct(view, f"{view.startup_name} proposed a new time for your meeting: {when}. "
                              "Accept or decline it with the buttons on the booking message.")
        return view

    def answer_reschedule(self, booking_id: int, accept: bool) -> BookingView:
        """Background job: accept or decline the proposed time on the platform, then act on its answer."""
        view = self._get(booking_id)
        if view.status != S.PENDING_CONFIRMATION or view.reschedule_to is None:
            return view
        notifier = SafeNotifier(self.notifiers(view))
        try:
            with self.platform_session(booking_id) as platform:
                answer = platform.respond_to_reschedule(view.booking_url, view.external_booking_id, accept)
        except BookingError as exc:
            notifier.step(view, f"Couldn't answer the new time on {view.platform_label}: {exc}")
            return view
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            booking.reschedule_proposed_at = None
            if answer.location:
                booking.meeting_location = answer.location
        if answer.state == "accepted":
            detail = f"You accepted {view.startup_name}'s new time on {view.platform_label}" + (
                f", {answer.location}" if answer.location else "")
            notifier.step(view, detail)
            return self.outcomes.confirm(booking_id, "teammate", detail, answer.start)
        if not accept:
            notifier.step(view, f"You declined {view.startup_name}'s new time on {view.platform_label}")
        if not accept or answer.state in {"declined", "cancelled"}:
            return self.outcomes.decline(booking_id, f"you declined {view.startup_name}'s new time" if not accept
                                else f"{answer.state} by {view.startup_name}")
        return self._get(booking_id)
