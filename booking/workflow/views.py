"""A booking row as the front-ends see it: the :class:`~booking.notify.notifier.BookingView` projection.

In the workflow, not the store, because the view names the platform's label (the registry) and the
questions still waiting for an answer (``questions``), neither of which the store may know.
"""
from __future__ import annotations

from booking.domain.errors import UnknownPlatform
from booking.domain.slots import parse_iso
from booking.notify.notifier import BookingView
from booking.platforms.registry import get_platform
from booking.store.models import MeetingBookingRequest
from booking.workflow import questions


def booking_view(booking: MeetingBookingRequest) -> BookingView:
    slots = tuple(s for s in (booking.proposed_slot_1_datetime, booking.proposed_slot_2_datetime) if s)
    try:
        label = get_platform(booking.booking_platform).label
    except UnknownPlatform:
        label = booking.booking_platform
    return BookingView(
        id=booking.id,
        status=booking.status,
        startup_name=booking.startup_name,
        platform=booking.booking_platform,
        platform_label=label,
        booking_url=booking.booking_url,
        user_id=booking.user_id,
        user_name=booking.user_name,
        user_email=booking.user_email,
        user_timezone=booking.user_timezone,
        person_name=booking.selected_person_name,
        proposed_slots=slots,
        confirmed_slot=booking.confirmed_slot_datetime,
        slot_duration_minutes=booking.slot_duration_minutes,
        external_booking_id=booking.external_booking_id,
        calendar_event_id=booking.calendar_event_id,
        message_sent=booking.message_sent,
        error_message=booking.error_message,
        confirmation_check_count=booking.confirmation_check_count,
        last_confirmation_check=booking.last_confirmation_check,
        confirmation_method=booking.confirmation_method,
        screenshots=tuple(booking.selenium_screenshots or ()),
        thread_ref=dict(booking.thread_ref or {}),
        retry_count=booking.retry_count,
        max_retries=booking.max_retries,
        created_at=booking.created_at,
        reschedule_to=booking.reschedule_proposed_at,
        startup_id=booking.startup_id,
        requested_via=booking.requested_via,
        preferred_person=booking.preferred_person,
        preferred_times=tuple((parse_iso(a), parse_iso(b)) for a, b in booking.preferred_times or []),
        message_template=booking.message_template,
        review_before_submit=bool(booking.review_before_submit),
        review_expires_at=booking.review_expires_at,
        batch_id=booking.batch_id,
        questions=tuple(questions.pending(booking.review_state)),
    )
