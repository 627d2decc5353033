"""On confirmation: one Calendar event, added_to_calendar, and a DM with the time and the link."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from booking.domain.states import BookingStatus
from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService
from tests.google.conftest import TEAMMATE_EMAIL

HEL = ZoneInfo("Europe/Helsinki")
SLOT = datetime(2026, 12, 2, 9, 0, tzinfo=HEL)
MESSAGE = "Hello, my name is Eduardo Paz from the Venture Clienting team at AXA Innovation."


def submitted_booking(service: BookingService, zone: str = "Europe/Helsinki", email: str = TEAMMATE_EMAIL) -> int:
    """A booking whose form was sent (pending_confirmation), as the browser job leaves it."""
    teammate = Teammate(name="Eduardo Paz", email=email, timezone=zone, user_id="U123")
    view = service.request_booking(BookingRequestInput(
        teammate=teammate, url="http://127.0.0.1:9/acme-robotics/intro", platform="calendly"))
    with service.db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        row.startup_name = "Acme Robotics"
        row.status = BookingStatus.PENDING_CONFIRMATION.value
        row.selected_person_name, row.selected_person_email = "Alice Smith", "alice@acme.example"
        row.proposed_slot_1_datetime, row.slot_duration_minutes = SLOT, 30
        row.message_sent = MESSAGE
    return view.id


def row(service, booking_id):
    with service.db.session() as session:
        return session.get_one(MeetingBookingRequest, booking_id)


def test_confirmation_creates_the_event_and_dms_the_time_and_link(google_service, google, notifier):
    booking_id = submitted_booking(google_service)
    view = google_service.confirm(booking_id, "page", "Confirmed by the booking page")

    assert view.status == BookingStatus.ADDED_TO_CALENDAR
    [event] = google.events(TEAMMATE_EMAIL)
    assert view.calendar_event_id == event["id"]
    assert event["summary"] == "Meeting with Acme Robotics (Alice Smith)"
    assert event["start"] == {"dateTime": "2026-12-02T09:00:00+02:00", "timeZone": "Europe/Helsinki"}
    assert event["end"]["dateTime"] == "2026-12-02T09:30:00+02:00"
    assert [a["email"] for a in event["attendees"]] == ["alice@acme.example"]
    assert MESSAGE in event["description"] and "http://127.0.0.1:9/acme-robotics/intro" in event["description"]
    assert event["extendedProperties"]["private"]["booking_id"] == str(booking_id)
    assert google.calls_to("calendar.events.insert")[0].query["sendUpdates"] == ["none"]

    [dm] = notifier.dms(booking_id)
    assert dm == ("✓ Booked Acme Robotics with Alice Smith: Wed 2 Dec, 09:00–09:30 (Europe/Helsinki). "
                  f"In your Google Calendar: {event['htmlLink']}")
    assert notifier.updates[-1].status == BookingStatus.ADDED_TO_CALENDAR
    statuses = [(e.from_status, e.to_status) for e in google_service.events(booking_id) if e.kind == "status"]
    assert statuses[-2:] == [("pending_confirmation", "confirmed"), ("confirmed", "added_to_calendar")]


def test_the_dm_shows_the_time_in_the_teammates_own_zone(google_service, google, notifier):
    google.add_user("nora@axa-innovation.example", "America/New_York")
    booking_id = submitted_booking(google_service, zone="America/New_York", email="nora@axa-innovation.example")
    google_service.confirm(booking_id, "page", "Confirmed")
    [event] = google.events("nora@axa-innovation.example")
    assert event["start"] == {"dateTime": "2026-12-02T02:00:00-05:00", "timeZone": "America/New_York"}
    [dm] = notifier.dms(booking_id)
    assert "Wed 2 Dec, 02:00–02:30 (America/New_York)" in dm


def test_confirming_twice_creates_one_event(google_service, google, notifier):
    booking_id = submitted_booking(google_service)
    google_service.confirm(booking_id, "page", "Confirmed")
    again = google_service.confirm(booking_id, "email", "Confirmed by e-mail")
    google_service.after_confirmed(booking_id)
    google_service.retry_calendar(booking_id)
    assert again.status == BookingStatus.ADDED_TO_CALENDAR
    assert len(google.events(TEAMMATE_EMAIL)) == 1 and len(google.calls_to("calendar.events.insert")) == 1
    assert len(notifier.dms(booking_id)) == 1


def test_parallel_follow_ups_make_one_event_and_one_dm(google_service, google, notifier):
    booking_id = submitted_booking(google_service)
    with google_service.db.transaction() as session:
        google_service.transition(session, session.get_one(MeetingBookingRequest, booking_id),
                                  BookingStatus.CONFIRMED, "Confirmed")
    barrier = threading.Barrier(3)
    results = []

    def follow_up():
        barrier.wait(10)
        results.append(google_service.after_confirmed(booking_id).status)

    threads = [threading.Thread(target=follow_up) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(google.events(TEAMMATE_EMAIL)) == 1
    assert row(google_service, booking_id).status == BookingStatus.ADDED_TO_CALENDAR
    assert sum("In your Google Calendar" in dm for dm in notifier.dms(booking_id)) == 1


def test_an_event_created_before_a_crash_is_found_not_duplicated(google_service, google, google_calendar, notifier):
    """The insert reached Google but the process died before saving the id: the repeat gets 409 → the same event."""
    booking_id = submitted_booking(google_service)
    with google_service.db.transaction() as session:
        google_service.transition(session, session.get_one(MeetingBookingRequest, booking_id),
                                  BookingStatus.CONFIRMED, "Confirmed")
    first = google_calendar.add_meeting(google_service.followup._meeting(booking_id))  # then "crash"
    view = google_service.after_confirmed(booking_id)
    assert view.status == BookingStatus.ADDED_TO_CALENDAR and view.calendar_event_id == first.event_id
    assert [c.status for c in google.calls_to("calendar.events.insert")] == [200, 409]
    assert len(google.events(TEAMMATE_EMAIL)) == 1
    assert any(e.detail == "Added to Google Calendar (it was already there)" for e in google_service.events(booking_id))


def test_rate_limits_and_server_errors_are_retried_with_backoff(google_service, google, timer):
    booking_id = submitted_booking(google_service)
    google.fail("calendar.events.insert", status=429, retry_after=5)
    google.fail("calendar.events.insert", status=500)
    view = google_service.confirm(booking_id, "page", "Confirmed")
    assert view.status == BookingStatus.ADDED_TO_CALENDAR
    assert timer.sleeps == [5, 2]  # Retry-After wins over the 1 s backoff; then the 2 s step
    assert len(google.events(TEAMMATE_EMAIL)) == 1


def test_a_permanent_refusal_keeps_the_booking_confirmed_and_retries_later(google_service, google, notifier, clock,
                                                                           timer):
    booking_id = submitted_booking(google_service)
    google.fail("calendar.events.insert", status=403, reason="forbidden",
                message="You need to have writer access to this calendar.")
    view = google_service.confirm(booking_id, "page", "Confirmed")

    assert view.status == BookingStatus.CONFIRMED and timer.sleeps == []
    assert "403 forbidden: You need to have writer access to this calendar." in view.error_message
    stored = row(google_service, booking_id)
    assert stored.calendar_attempts == 1 and stored.calendar_retry_at == clock.now + timedelta(minutes=5)
    [dm] = notifier.dms(booking_id)
    assert dm.startswith("✓ Booked Acme Robotics with Alice Smith: Wed 2 Dec, 09:00–09:30 (Europe/Helsinki). "
                         "I couldn't add it to your Google Calendar yet") and dm.endswith("I'll try again.")
    assert google.events(TEAMMATE_EMAIL) == []

    assert google_service.calendar_retries_due() == []
    clock.advance(minutes=5)
    assert google_service.calendar_retries_due() == [booking_id]
    view = google_service.retry_calendar(booking_id)
    assert view.status == BookingStatus.ADDED_TO_CALENDAR and view.error_message is None
    assert google_service.calendar_retries_due() == []
    assert len(google.events(TEAMMATE_EMAIL)) == 1
    assert notifier.dms(booking_id)[-1].startswith(
        "Your meeting with Acme Robotics (Wed 2 Dec, 09:00–09:30 (Europe/Helsinki)) is now in your Google Calendar: "
        "https://www.google.com/calendar/event?eid=")


def test_retries_back_off_between_attempts(google_service, google, clock):
    booking_id = submitted_booking(google_service)
    google.fail("calendar.events.insert", status=400, times=3)
    google_service.confirm(booking_id, "page", "Confirmed")
    for _ in range(2):
        clock.advance(hours=1)
        google_service.retry_calendar(booking_id)
    stored = row(google_service, booking_id)
    assert stored.calendar_attempts == 3 and stored.calendar_retry_at == clock.now + timedelta(minutes=20)
    assert stored.status == BookingStatus.CONFIRMED


def test_refused_credentials_stay_confirmed_with_the_fix_in_the_reason(google_service, google, notifier):
    google.delegate("booker@axa-booker.iam.gserviceaccount.com", [])
    booking_id = submitted_booking(google_service)
    view = google_service.confirm(booking_id, "page", "Confirmed")
    assert view.status == BookingStatus.CONFIRMED
    assert "Domain-wide delegation" in view.error_message and "\n" not in view.error_message


def test_without_google_the_booking_stays_confirmed_and_the_teammate_is_told(db, settings, browsers, clock, notifier):
    from booking.runtime.runner import JobRunner

    service = BookingService(db, settings, browsers, JobRunner(1), clock=clock, notifiers=lambda view: notifier)
    booking_id = submitted_booking(service)
    view = service.confirm(booking_id, "page", "Confirmed")
    assert view.status == BookingStatus.CONFIRMED and view.calendar_event_id is None
    [dm] = notifier.dms(booking_id)
    assert dm.startswith("✓ Booked Acme Robotics with Alice Smith: Wed 2 Dec, 09:00–09:30 (Europe/Helsinki).")
    assert "add it there yourself" in dm
    service.runner.shutdown()


def test_a_single_user_token_serves_only_its_owner(db, settings, browsers, clock, google, tmp_path, notifier, retry):
    import json

    from booking.confirmations.teammate_calendar import GoogleCalendar
    from booking.runtime.runner import JobRunner

    token = tmp_path / "token.json"
    token.write_text(json.dumps(google.oauth_token_info("someone.else@axa-innovation.example")))
    configured = settings.with_overrides(google_credentials_file=token, google_token_uri=google.token_uri,
                                         google_oauth_account="someone.else@axa-innovation.example",
                                         google_calendar_api_url=google.calendar_endpoint)
    service = BookingService(db, configured, browsers, JobRunner(1), clock=clock, notifiers=lambda view: notifier,
                             availability=GoogleCalendar.from_settings(configured, retry=retry))
    booking_id = submitted_booking(service)  # Eduardo's booking: not the token's owner
    assert service.confirm(booking_id, "page", "Confirmed").status == BookingStatus.CONFIRMED
    assert google.calls == [] and "add it there yourself" in notifier.dms(booking_id)[0]
    service.runner.shutdown()
