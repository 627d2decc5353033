"""Holding slots while a job chooses one: the agent's :class:`~booking.platforms.agent.SlotGuard` on the
booking row, checked against the teammate's other bookings (see ``booking/store/holds.py``).

Apart from the ``BookingService`` facade; the guard gets the database, the booking store, the
process's hold locks and the clock, not the service.
"""
from __future__ import annotations

import threading
from typing import Sequence

from booking.domain.slots import OfferedSlot
from booking.store.bookings import BookingStore
from booking.store.db import Database
from booking.store.holds import ensure_lock_row, lock_teammate
from booking.store.liveness import guard_write
from booking.store.models import MeetingBookingRequest
from booking.workflow.ports import Clock


class HoldLocks:
    """One in-process lock per teammate, so this process's own jobs don't queue on the database lock."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def for_teammate(self, email: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(email.casefold(), threading.Lock())


class DbSlotGuard:
    """Holds slots on the booking row (proposed_slot_1/2), checked against the teammate's other bookings.

    The teammate's lock row serialises holds across threads and processes (``booking/store/holds.py``);
    the in-process lock just keeps this process's own jobs from queueing on the database lock.
    """

    def __init__(self, db: Database, store: BookingStore, locks: HoldLocks, clock: Clock, worker_id: str,
                 booking_id: int) -> None:
        self.db = db
        self.store = store
        self.locks = locks
        self.clock = clock
        self.worker_id = worker_id
        self.booking_id = booking_id

    def hold(self, slots: Sequence[OfferedSlot]) -> list[OfferedSlot]:
        with self.db.session() as session:
            email = session.get_one(MeetingBookingRequest, self.booking_id).user_email
        ensure_lock_row(self.db, email)
        with self.locks.for_teammate(email), self.db.transaction() as session:
            lock_teammate(session, email, f"{self.worker_id}#{self.booking_id}", self.clock())
            booking = session.get_one(MeetingBookingRequest, self.booking_id)
            guard_write(booking)  # a job that lost its claim holds nothing
            taken = self.store.held_intervals(session, booking)
            free = [s for s in slots if not any(s.interval.overlaps(t) for t in taken)]
            if free:
                booking.proposed_slot_1_datetime = free[0].start
                booking.proposed_slot_2_datetime = free[1].start if len(free) > 1 else None
                booking.slot_duration_minutes = int(free[0].duration.total_seconds() // 60)
            return free
