"""Who may change a booking: its teammate or an admin; anyone else gets :class:`NotAllowed`.

A module of its own because both the buttons (``controls``) and the answers to a form's questions
(``asking``) refuse strangers with it, and neither should import the other for that.
"""
from __future__ import annotations

from booking.domain.errors import BookingError
from booking.notify.notifier import BookingView


class NotAllowed(BookingError):
    """Someone who is neither the booking's owner nor an admin tried to change it; nothing changed."""

    def __init__(self, booking: BookingView) -> None:
        super().__init__(f"This booking belongs to {booking.user_name}; only they or a Booker admin can change it")
        self.booking = booking
