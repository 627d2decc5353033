"""A directory import never locks bookings out: it commits in short batches, and a `book` meanwhile waits."""
from __future__ import annotations

import threading

import pytest

from booking.store.directory import upsert_startup
from booking.store.models import MeetingBookingRequest, Startup
from booking.workflow.admin import StartupEntry, store_entries
from booking.workflow.requests import BookingRequestInput, Teammate

ROWS = 4_000


@pytest.mark.both_databases
def test_bookings_made_during_a_big_import_all_succeed(service, db, settings):
    with db.transaction() as session:
        upsert_startup(session, name="Acme", booking_url="https://calendly.com/acme/intro", platform="calendly")
    entries = [StartupEntry(name=f"Startup {n}", booking_url=f"http://127.0.0.1:9/book/{n}", platform="calendly",
                            people=[{"name": f"Ann {n}"}]) for n in range(ROWS)]
    outcome: dict[str, object] = {}

    def import_all() -> None:
        try:
            outcome["report"] = store_entries(db, settings.allowed_hosts, entries, batch_size=100)
        except Exception as exc:  # noqa: BLE001 - the test reports it below
            outcome["error"] = exc

    importer = threading.Thread(target=import_all)
    importer.start()
    seen_mid_import: list[int] = []
    booked = 0
    while importer.is_alive() or booked == 0:
        teammate = Teammate(name=f"Mate {booked}", email=f"mate{booked}@axa-innovation.example",
                            timezone="Europe/Helsinki")
        view = service.request_booking(BookingRequestInput(teammate=teammate, startup="Acme"))  # raises if locked out
        assert view.status == "pending"
        booked += 1
        with db.session() as session:
            count = session.query(Startup).count() - 1
        if 0 < count < ROWS:
            seen_mid_import.append(count)
        importer.join(timeout=0.02)
    importer.join()
    assert "error" not in outcome, outcome.get("error")
    assert outcome["report"].added == ROWS
    assert seen_mid_import, "no booking happened while the import was half-way (the import held one long transaction)"
    with db.session() as session:
        assert session.query(MeetingBookingRequest).count() == booked
        assert session.query(Startup).count() == ROWS + 1
