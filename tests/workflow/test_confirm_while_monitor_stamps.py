"""A confirmation that lands while the monitor stamps its check on the row still confirms.

Why: the monitor (in whichever process holds its lease) bumps every waiting row's version each cycle;
a worker confirming a booking right then failed with StaleDataError, and the teammate was told
"Something went wrong" for a booking that was made (seen with two workers and a 1 s check interval).
"""
from __future__ import annotations

from sqlalchemy import update

from booking.domain.states import BookingStatus
from booking.store.db import open_database
from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService

S = BookingStatus


def test_confirm_reads_the_row_again_after_the_monitor_stamped_it(settings, clock):
    service = BookingService(open_database(settings.database_url), settings, browsers=None, runner=None,  # type: ignore[arg-type]
                             clock=clock)
    teammate = Teammate(name="Eduardo Paz", email="eduardo.paz@axa-innovation.example", timezone="Europe/Helsinki")
    booking_id = service.request_booking(BookingRequestInput(teammate=teammate, url="https://calendly.com/acme/intro",
                                                             platform="calendly")).id
    with service.db.transaction() as session:
        booking = session.get_one(MeetingBookingRequest, booking_id)
        service.transition(session, booking, S.BOOKING_IN_PROGRESS, "test")
        service.transition(session, booking, S.PENDING_CONFIRMATION, "test")
    original = service.store.transition
    stamps = []

    def stamped_meanwhile(session, booking, target, detail):  # type: ignore[no-untyped-def]
        if not stamps:  # the monitor's cycle commits between this confirm's read and its write
            with service.db.transaction() as other:
                model = MeetingBookingRequest
                other.execute(update(model).where(model.id == booking_id)
                              .values(confirmation_check_count=model.confirmation_check_count + 1,
                                      version=model.version + 1).execution_options(synchronize_session=False))
            stamps.append(1)
        original(session, booking, target, detail)

    service.store.transition = stamped_meanwhile  # type: ignore[method-assign]
    view = service.confirm(booking_id, "page", "Confirmed by the booking page")
    assert view.status in (S.CONFIRMED, S.ADDED_TO_CALENDAR) and stamps == [1]
    assert service.get(booking_id).confirmation_check_count == 1  # the monitor's stamp is kept too
