"""Team coordination: one live booking per teammate and startup, and warnings about colleagues' ones.

Two teammates at one conference must not book the same startup twice without knowing, and one
teammate double-clicking must not book it twice at all. The second is a database guarantee (a
partial unique index on ``(user_email, startup_key)`` over the live statuses, see
:mod:`booking.store.models`); the first is a question the front-end asks ("Book anyway?").
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import select

from booking.domain.errors import BookingError
from booking.domain.states import BookingStatus
from booking.notify.notifier import DRY_RUN, BookingView
from booking.store.directory import find_startup
from booking.store.models import MeetingBookingRequest
from booking.store.startup_locks import startup_lock

if TYPE_CHECKING:
    from booking.workflow.requests import BookingRequestInput
    from booking.workflow.service import BookingService

S = BookingStatus
# A teammate "has" the startup in these statuses (the same list as the unique index's WHERE clause).
LIVE_STATUSES = (S.PENDING, S.BOOKING_IN_PROGRESS, S.AWAITING_REVIEW, S.PENDING_CONFIRMATION, S.CONFIRMED,
                 S.ADDED_TO_CALENDAR)


class DuplicateBooking(BookingError):
    """The teammate already has a live booking with this startup; ``existing`` is that booking."""

    def __init__(self, existing: BookingView) -> None:
        super().__init__(f"You already have a booking with {existing.startup_name} (#{existing.id}, "
                         f"{existing.status.replace('_', ' ')})")
        self.existing = existing


def normalise_url(url: str) -> str:
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def startup_key(startup_id: str | None, url: str) -> str:
    """What two bookings are "the same startup" by: the directory entry, else the booking page."""
    if startup_id:
        return f"startup:{startup_id}"
    return f"url:{normalise_url(url)}"[:300]


@dataclass(frozen=True)
class Clash:
    """What a new request would run into: the teammate's own live booking, colleagues' ones."""

    own: BookingView | None
    colleagues: tuple[BookingView, ...]


class Coordination:
    def __init__(self, service: "BookingService") -> None:
        self.service = service
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    @contextmanager
    def deciding(self, request: "BookingRequestInput") -> Iterator[Clash]:
        """The clash for ``request``, held until the caller has decided (and maybe inserted its booking).

        Two colleagues asking for one startup at the same moment would otherwise both see no clash
        and both book; they are taken one after the other, so the second is asked "Book anyway?". The
        lock is the database's (``booking/store/startup_locks.py``), so it holds across processes and
        machines; the in-process lock only keeps this process's own threads off the database lock.
        """
        key = self.key_for(request)
        if key is None:
            yield Clash(None, ())
            return
        with self._locks_guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock, startup_lock(self.service.db, key):
            yield self._clash(key, request)

    def key_for(self, request: "BookingRequestInput") -> str | None:
        """The startup key a request would get, or None when it names nothing we know (it fails later)."""
        if request.startup:
            with self.service.db.session() as session:
                lookup = find_startup(session, request.startup)
                return startup_key(lookup.startup.id, "") if lookup.startup else None
        if request.url:
            return startup_key(None, request.url)
        return None

    def clash(self, request: "BookingRequestInput") -> Clash:
        key = self.key_for(request)
        return Clash(None, ()) if key is None else self._clash(key, request)

    def _clash(self, key: str, request: "BookingRequestInput") -> Clash:
        email, user_id = request.teammate.email, request.teammate.user_id
        own = None
        colleagues = []
        for view in self.live_bookings(key):
            if (user_id and view.user_id == user_id) or (email and view.user_email == email):
                own = own or view
            else:
                colleagues.append(view)
        return Clash(own, tuple(colleagues))

    def live_bookings(self, key: str) -> list[BookingView]:
        """Everyone's live (or confirmed) bookings with the startup, oldest first; dry runs excluded."""
        with self.service.db.session() as session:
            rows = session.scalars(
                select(MeetingBookingRequest)
                .where(MeetingBookingRequest.startup_key == key,
                       MeetingBookingRequest.status.in_([s.value for s in LIVE_STATUSES]),
                       MeetingBookingRequest.requested_via != DRY_RUN)
                .order_by(MeetingBookingRequest.id)
            )
            return [self.service.view(row) for row in rows]

    def own_live_booking(self, email: str, key: str) -> BookingView | None:
        return next((v for v in self.live_bookings(key) if v.user_email == email), None)

    def key_for_booking(self, booking_id: int) -> str | None:
        with self.service.db.session() as session:
            booking = session.get(MeetingBookingRequest, booking_id)
            return booking.startup_key if booking else None
