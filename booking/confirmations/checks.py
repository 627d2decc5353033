"""What a confirmation check is: the booking it looks at, the verdict it gives, and the platform-API check.

The monitor (:mod:`booking.workflow.monitor`) runs the checks each cycle and applies their verdicts; the
checks themselves only read (the Gmail check: :mod:`booking.confirmations.gmail`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, Sequence

from booking.platforms.registry import get_platform

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingBooking:
    """What a check needs to know about a booking waiting for confirmation (plain data)."""

    id: int
    user_email: str
    user_id: str | None
    startup_name: str
    platform: str
    booking_url: str
    external_booking_id: str | None
    person_email: str | None
    slot: datetime | None
    check_count: int
    submitted_at: datetime
    user_timezone: str = "UTC"
    person_name: str | None = None
    slot_2: datetime | None = None  # the alternative offered: an answer may speak of it
    reschedule_to: datetime | None = None  # a new time the startup proposed: a later answer may confirm it


@dataclass(frozen=True)
class Verdict:
    """A check's finding: confirmed, declined, cancelled or rescheduled (or ambiguous), and how it knows."""

    state: str
    method: str
    detail: str
    slot: datetime | None = None
    location: str | None = None
    ical_uid: str | None = None  # the startup's own invite: our calendar entry must reuse it


class ConfirmationCheck(Protocol):
    """One way of noticing a confirmation; sees the whole batch so it can group its calls."""

    name: str

    def check(self, bookings: Sequence[PendingBooking], now: datetime) -> dict[int, Verdict]:
        ...


@dataclass
class CycleReport:
    held_lease: bool
    checked: int = 0
    confirmed: int = 0
    declined: int = 0
    timed_out: int = 0
    recovered: int = 0
    seconds: float = 0.0
    by_check: dict[str, int] = field(default_factory=dict)


class PlatformApiCheck:
    """Asks the platform's public API (Cal.com: the booking by uid) where the platform has one."""

    name = "api"

    def __init__(self, http: object) -> None:
        self.http = http

    def check(self, bookings: Sequence[PendingBooking], now: datetime) -> dict[int, Verdict]:
        verdicts: dict[int, Verdict] = {}
        for booking in bookings:
            if not booking.external_booking_id:
                continue
            platform = get_platform(booking.platform)
            remote_status = getattr(platform, "remote_status", None)
            if remote_status is None:
                continue
            try:
                status = remote_status(booking.external_booking_id, booking.booking_url, self.http)
            except Exception as exc:  # one flaky API must not stop the cycle
                log.warning("status API of %s failed for booking %s: %s", platform.label, booking.id, exc)
                continue
            if status is None or status.state == "pending":
                continue
            at = now.strftime("%H:%M")
            verdicts[booking.id] = Verdict(
                state=status.state, method="api",
                detail=f"{status.state} according to {platform.label}'s API ({status.raw}) at {at} UTC",
                slot=status.start,
            )
        return verdicts
