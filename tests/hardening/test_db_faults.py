"""Database faults: a locked row or database waits instead of failing; dropped connections reconnect."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from booking.domain.states import BookingStatus
from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput

pytestmark = pytest.mark.both_databases


def pending_confirmation(service, teammate) -> int:
    view = service.request_booking(BookingRequestInput(teammate=teammate, url="https://calendly.com/acme/intro"))
    with service.db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        service.transition(session, row, BookingStatus.BOOKING_IN_PROGRESS, "test")
        service.transition(session, row, BookingStatus.PENDING_CONFIRMATION, "test")
    return view.id


def test_a_write_lock_held_elsewhere_is_waited_for(service, teammate, db_backend):
    booking_id = pending_confirmation(service, teammate)
    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        with service.db.engine.connect() as connection:
            if db_backend == "sqlite":
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.execute(text("SELECT id FROM meeting_booking_requests WHERE id = :id FOR UPDATE"), {"id": booking_id})
            locked.set()
            release.wait(5)
            connection.rollback()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(5)
    threading.Timer(1.0, release.set).start()
    view = service.confirm(booking_id, "test", "confirmed while another writer held the lock")
    holder.join()
    assert view.status == BookingStatus.CONFIRMED


def test_dropped_connections_are_replaced(service, teammate, db_backend):
    booking_id = pending_confirmation(service, teammate)
    if db_backend == "postgresql":
        with service.db.engine.connect() as connection:  # what a database restart does to pooled connections
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            connection.commit()
    else:
        service.db.engine.pool.dispose()
    assert service.confirm(booking_id, "test", "after reconnect").status == BookingStatus.CONFIRMED
