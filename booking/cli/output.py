"""What the command line prints about a booking (``--json``)."""
from __future__ import annotations

from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView


def booking_json(view: BookingView) -> dict[str, object]:
    return {
        "id": view.id,
        "status": view.status,
        "startup": view.startup_name,
        "platform": view.platform,
        "person": view.person_name,
        "slots": [s.isoformat() for s in view.proposed_slots],
        "booked_slot": view.confirmed_slot.isoformat() if view.confirmed_slot else None,
        "external_booking_id": view.external_booking_id,
        "screenshots": list(view.screenshots),
        "error": view.error_message,
        "questions": [q["label"] for q in view.questions] if view.status == BookingStatus.FAILED else [],
    }
