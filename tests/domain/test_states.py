"""The state machine allows only its transitions, logs each, and a refused one changes nothing."""
import pytest

from booking.domain.states import ALLOWED_TRANSITIONS, BookingStatus, InvalidTransition, check_transition
from booking.store.models import MeetingBookingRequest
from booking.workflow.service import BookingService

S = BookingStatus


def test_happy_path_is_allowed():
    path = [S.PENDING, S.BOOKING_IN_PROGRESS, S.PENDING_CONFIRMATION, S.CONFIRMED, S.ADDED_TO_CALENDAR]
    for current, target in zip(path, path[1:]):
        check_transition(1, current, target)


@pytest.mark.parametrize("current, target", [
    (S.PENDING, S.CONFIRMED), (S.CANCELLED, S.PENDING), (S.ADDED_TO_CALENDAR, S.PENDING_CONFIRMATION),
    (S.FAILED, S.CONFIRMED), (S.PENDING_CONFIRMATION, S.BOOKING_IN_PROGRESS),
])
def test_skipping_or_going_back_is_refused(current, target):
    with pytest.raises(InvalidTransition):
        check_transition(1, current, target)


def test_every_status_has_a_rule():
    assert set(ALLOWED_TRANSITIONS) == set(BookingStatus)


def make_row(session):
    row = MeetingBookingRequest(startup_name="Acme", booking_platform="calendly", booking_url="https://calendly.com/acme",
                                user_name="Eduardo Paz", user_email="e@axa.example")
    session.add(row)
    session.flush()
    return row


@pytest.mark.both_databases
def test_transition_logs_and_refusal_changes_nothing(db, settings):
    service = BookingService(db, settings, browsers=None, runner=None)  # type: ignore[arg-type]
    with db.transaction() as session:
        row = make_row(session)
        service.transition(session, row, S.BOOKING_IN_PROGRESS, "started")
        booking_id = row.id
    with db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, booking_id)
        with pytest.raises(InvalidTransition):
            service.transition(session, row, S.ADDED_TO_CALENDAR, "skip")
        assert row.status == S.BOOKING_IN_PROGRESS.value
    events = service.events(booking_id)
    assert [(e.from_status, e.to_status, e.detail) for e in events] == [("pending", "booking_in_progress", "started")]
