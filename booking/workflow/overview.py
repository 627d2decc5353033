"""Read-only overviews: a teammate's bookings grouped by state, and the team's upcoming meetings.

Used by the Home tab and ``/book list``; dry runs are left out (they are an admin's test, not a
meeting).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from booking.domain.states import BookingStatus
from booking.notify.notifier import DRY_RUN, BookingView
from booking.store.directory import normalize
from booking.store.models import MeetingBookingRequest, Startup

if TYPE_CHECKING:
    from booking.workflow.service import BookingService

S = BookingStatus


@dataclass(frozen=True)
class Group:
    key: str
    statuses: frozenset[BookingStatus]


# In the order a teammate wants to act on them: what waits for them first.
GROUPS: tuple[Group, ...] = (
    Group("review", frozenset({S.AWAITING_REVIEW})),
    Group("booking", frozenset({S.PENDING, S.BOOKING_IN_PROGRESS})),
    Group("pending_confirmation", frozenset({S.PENDING_CONFIRMATION})),
    Group("booked", frozenset({S.CONFIRMED, S.ADDED_TO_CALENDAR})),
    Group("failed", frozenset({S.FAILED})),
    Group("cancelled", frozenset({S.CANCELLED})),
)


def my_bookings(service: "BookingService", user_id: str, limit: int = 200) -> list[BookingView]:
    """The teammate's bookings, newest first."""
    with service.db.session() as session:
        rows = session.scalars(
            select(MeetingBookingRequest)
            .where(MeetingBookingRequest.user_id == user_id, MeetingBookingRequest.requested_via != DRY_RUN)
            .order_by(MeetingBookingRequest.id.desc()).limit(limit)
        )
        return [service.view(row) for row in rows]


def grouped(views: list[BookingView]) -> list[tuple[str, list[BookingView]]]:
    """(group key, bookings) in :data:`GROUPS` order; empty groups left out."""
    result = []
    for group in GROUPS:
        members = [v for v in views if S(v.status) in group.statuses]
        if members:
            result.append((group.key, members))
    return result


def team_upcoming(service: "BookingService", limit: int = 30) -> list[BookingView]:
    """Everyone's confirmed meetings from now on, soonest first."""
    now = service.clock()
    with service.db.session() as session:
        rows = session.scalars(
            select(MeetingBookingRequest)
            .where(MeetingBookingRequest.status.in_([S.CONFIRMED.value, S.ADDED_TO_CALENDAR.value]),
                   MeetingBookingRequest.confirmed_slot_datetime >= now,
                   MeetingBookingRequest.requested_via != DRY_RUN)
            .order_by(MeetingBookingRequest.confirmed_slot_datetime).limit(limit)
        )
        return [service.view(row) for row in rows]


def search_startups(service: "BookingService", query: str, limit: int = 100) -> list[tuple[str, str]]:
    """(id, name) of bookable startups whose name, alias or id contains ``query``; all when empty."""
    wanted = normalize(query)
    with service.db.session() as session:
        startups = session.scalars(select(Startup).order_by(Startup.display_name)).all()
        found = []
        for startup in startups:
            if startup.config is None:
                continue
            names = [normalize(n) for n in (startup.display_name, startup.id, *(startup.aliases or []))]
            if not wanted or any(wanted in name for name in names):
                found.append((startup.id, startup.display_name))
            if len(found) >= limit:
                break
        return found


def startup_people(service: "BookingService", startup_id: str | None) -> list[str]:
    """The names a startup's config lists, in order of preference."""
    if not startup_id:
        return []
    with service.db.session() as session:
        startup = session.get(Startup, startup_id)
        if startup is None or startup.config is None:
            return []
        return [str(p.get("name")).strip() for p in startup.config.available_people or [] if p.get("name")]
