"""Batches: several startups asked for in one go (``/book Acme, Beta, Gamma``).

Each startup becomes an ordinary booking (its own thread, its own job); the batch only remembers
which bookings belong together, which names could not be queued and why, and where its summary
is shown. The summary is refreshed through the notifier whenever one of its bookings changes
(:class:`booking.notify.notifier.BatchTracking`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from booking.notify.notifier import BatchView
from booking.store.models import BookingBatch, MeetingBookingRequest

if TYPE_CHECKING:
    from booking.workflow.service import BookingService

MAX_BATCH = 15  # startups per command: each one is a browser job and a thread of ~12 messages


def create_batch(service: "BookingService", user_id: str | None, request_text: str) -> int:
    with service.db.transaction() as session:
        batch = BookingBatch(user_id=user_id, request_text=request_text[:2000], skipped=[], thread_ref={},
                             created_at=service.clock())
        session.add(batch)
        session.flush()
        return batch.id


def record_skipped(service: "BookingService", batch_id: int, name: str, reason: str, **extra: Any) -> None:
    """A name of the batch that was not queued (unknown startup, a colleague's booking, …)."""
    with service.db.transaction() as session:
        batch = session.get_one(BookingBatch, batch_id)
        batch.skipped = [*(batch.skipped or []), {"name": name[:200], "reason": reason[:500], **extra}]


def forget_skipped(service: "BookingService", batch_id: int, name: str) -> None:
    """A skipped name was booked after all ("Book anyway"): it now shows as a booking of the batch."""
    with service.db.transaction() as session:
        batch = session.get_one(BookingBatch, batch_id)
        batch.skipped = [entry for entry in batch.skipped or [] if entry.get("name") != name]


def attach_summary(service: "BookingService", batch_id: int, thread_ref: dict[str, Any]) -> None:
    """Remember where the batch's summary is shown (opaque to the core)."""
    with service.db.transaction() as session:
        session.get_one(BookingBatch, batch_id).thread_ref = dict(thread_ref)


def load_batch(service: "BookingService", batch_id: int) -> BatchView | None:
    with service.db.session() as session:
        batch = session.get(BookingBatch, batch_id)
        if batch is None:
            return None
        rows = session.scalars(
            select(MeetingBookingRequest).where(MeetingBookingRequest.batch_id == batch_id)
            .order_by(MeetingBookingRequest.id)
        )
        return BatchView(
            id=batch.id, user_id=batch.user_id, request_text=batch.request_text,
            items=tuple(service.view(row) for row in rows),
            skipped=tuple(dict(entry) for entry in batch.skipped or []),
            thread_ref=dict(batch.thread_ref or {}),
        )
