"""A sent booking's page, read again: the platform's own view of the request (Check status, the
monitor's page re-check, the new time a "new time proposed" mail didn't say).

Apart from the ``BookingService`` facade (as :mod:`booking.workflow.reschedule`) so the service can name
these jobs by kind (``BookingService.job_kinds``) for a worker in another process; it gets the database,
the clock, the notifier factory, a way to open the booking's platform, the outcomes and the reschedule
offer instead of the service.
"""
from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Callable

from booking.domain.errors import BookingError
from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, NotifierFactory, SafeNotifier
from booking.platforms.registry import get_platform
from booking.store.db import Database
from booking.store.models import MeetingBookingRequest
from booking.workflow.outcomes import Outcomes
from booking.workflow.ports import Clock
from booking.workflow.views import booking_view

log = logging.getLogger(__name__)
S = BookingStatus


class PageChecks:
    """Opens the booking's platform, reads the request's status and acts on the answer."""

    def __init__(self, db: Database, clock: Clock, notifiers: NotifierFactory,
                 platform_session: Callable[[int], AbstractContextManager[Any]], outcomes: Outcomes,
                 offer_reschedule: Callable[[int, datetime, str], BookingView]) -> None:
        self.db = db
        self.clock = clock
        self.notifiers = notifiers
        self.platform_session = platform_session
        self.outcomes = outcomes
        self.offer_reschedule = offer_reschedule

    def _get(self, booking_id: int) -> BookingView:
        with self.db.session() as session:
            return booking_view(session.get_one(MeetingBookingRequest, booking_id))

    def check_status(self, booking_id: int, count: bool = True) -> BookingView:
        """Background job: open the platform's status view, count the check, act on the answer.

        ``count`` is False when the confirmation monitor already counted this check in its cycle; such a
        check only speaks in the thread when something changed (Check now always answers).
        """
        view = self._get(booking_id)
        platform_cls = get_platform(view.platform)
        try:
            with self.platform_session(booking_id) as platform:
                answer = platform.check_status(view.booking_url, view.external_booking_id)
        except BookingError as exc:
            if count:
                SafeNotifier(self.notifiers(view)).step(view, f"Checking {platform_cls.label} didn't work: {exc}")
            else:  # every 5th check for up to 24 h: a failing check must not fill the thread
                log.warning("page re-check of booking %s on %s failed: %s", booking_id, platform_cls.label, exc)
            return view
        with self.db.transaction() as session:
            booking = session.get_one(MeetingBookingRequest, booking_id)
            if count:
                booking.confirmation_check_count += 1
                booking.last_confirmation_check = self.clock()
            view = booking_view(booking)
        if S(view.status) is not S.PENDING_CONFIRMATION:
            return view
        notifier = SafeNotifier(self.notifiers(view))
        if answer.state == "accepted":
            if answer.location:
                with self.db.transaction() as session:
                    session.get_one(MeetingBookingRequest, booking_id).meeting_location = answer.location
            detail = (f"Confirmed on {platform_cls.label} (checked on the page)"
                      + (f", {answer.location}" if answer.location else ""))
            notifier.step(view, detail)  # the thread says who confirmed and how
            return self.outcomes.confirm(booking_id, "page", detail, answer.start)
        if answer.state in {"declined", "cancelled"}:
            notifier.step(view, f"{answer.state.capitalize()} on {platform_cls.label} (checked on the page)")
            return self.outcomes.decline(booking_id, f"{answer.state} by {view.startup_name} on {platform_cls.label}")
        if answer.state == "rescheduled" and answer.start is not None:
            return self.offer_reschedule(booking_id, answer.start, f"checked on {platform_cls.label}")
        notifier.updated(view)  # the message shows the check count and time
        if count:  # the teammate asked (Check now): answer in the thread; the monitor's checks stay quiet
            notifier.step(view, f"Checked {platform_cls.label}: still waiting for {view.startup_name} to confirm.")
        return view

    def read_new_time(self, booking_id: int) -> BookingView:
        """Browser job after a "new time proposed" mail: read the time on the page and offer it; when the
        page can't be read, say so and how to go on (the booking keeps waiting; a later mail or check decides)."""
        view = self.check_status(booking_id, False)
        if view.status != S.PENDING_CONFIRMATION or view.reschedule_to is not None:
            return view
        SafeNotifier(self.notifiers(view)).step(
            view, f"Couldn't read {view.startup_name}'s new time on {view.platform_label}: answer it there "
                  f"({view.booking_url}) or from the e-mail. This booking keeps waiting for their confirmation; "
                  f"Booker sees the answer by e-mail or on the next check.")
        return view
