"""Confirmations read from Gmail (the real client against the Gmail fake), one call per teammate."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from booking.confirmations.gmail import GmailConfirmationCheck, GmailMailbox
from booking.domain.states import BookingStatus
from booking.mail.mailbox import MailQuery
from booking.store.leases import Lease
from booking.store.models import GmailSyncState, MeetingBookingRequest
from booking.workflow.monitor import ConfirmationMonitor
from booking.workflow.requests import BookingRequestInput, Teammate
from tests.google.conftest import TEAMMATE_EMAIL

S = BookingStatus
SLOT = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)


def pending(service, email=TEAMMATE_EMAIL, startup="https://cal.com/acme/intro", slot=SLOT, external="uid-acme-0001",
            person="alice@acme.example"):
    teammate = Teammate(name="Eduardo Paz", email=email, timezone="Europe/Helsinki")
    view = service.request_booking(BookingRequestInput(teammate=teammate, url=startup, platform="calendly"))
    with service.db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        service.transition(session, row, S.BOOKING_IN_PROGRESS, "test")
        service.transition(session, row, S.PENDING_CONFIRMATION, "test")
        row.booking_completed_at = service.clock()
        row.external_booking_id = external
        row.proposed_slot_1_datetime = slot
        row.slot_duration_minutes = 30
        row.selected_person_name, row.selected_person_email = "Alice Smith", person
    return view.id


def monitor(service, workspace):
    lease = Lease(service.db, "confirmation-monitor", "proc", timedelta(seconds=90), service.clock)
    return ConfirmationMonitor(service, lease, [GmailConfirmationCheck(workspace, service.db, service.clock)])


def invite(uid: str, start: datetime, method: str = "REQUEST") -> str:
    stamp = start.strftime("%Y%m%dT%H%M%SZ")
    end = (start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ")
    return (f"BEGIN:VCALENDAR\r\nPRODID:calendso/ics\r\nVERSION:2.0\r\nMETHOD:{method}\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:{stamp}\r\nDTSTART:{stamp}\r\nDTEND:{end}\r\nSUMMARY:Intro between Alice Smith and Eduardo Paz\r\n"
            f"ORGANIZER;CN=Alice Smith:mailto:alice@acme.example\r\n"
            f"ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:{TEAMMATE_EMAIL}\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_confirmation_mail_confirms_its_booking_and_not_the_other(google_service, google, workspace, clock, notifier):
    wanted = pending(google_service, external="uid-acme-0001")
    other = pending(google_service, startup="https://cal.com/beta/intro", external="uid-beta-0002",
                    slot=SLOT + timedelta(hours=2), person="bo@beta.example")
    cycle = monitor(google_service, workspace)
    cycle.run_cycle()  # first sync: nothing yet
    clock.advance(minutes=1)
    google.deliver(TEAMMATE_EMAIL, sender="Alice Smith <alice@acme.example>",
                   subject="Confirmed: Intro between Alice Smith and Eduardo Paz",
                   text="Your event has been scheduled. https://cal.com/booking/uid-acme-0001", at=clock())
    report = cycle.run_cycle()
    assert report.confirmed == 1
    view = google_service.get(wanted)
    assert view.status == S.ADDED_TO_CALENDAR and view.confirmation_method == "email"
    assert google_service.get(other).status == S.PENDING_CONFIRMATION
    assert (wanted, "Confirmed by e-mail from Alice Smith at 10:01") in notifier.steps


def test_invite_is_adopted_so_the_calendar_gets_one_entry(google_service, google, workspace, clock):
    booking_id = pending(google_service)
    cycle = monitor(google_service, workspace)
    cycle.run_cycle()
    google.deliver(TEAMMATE_EMAIL, sender="Alice Smith <alice@acme.example>", subject="Invitation: Intro @ Thu 3 Dec",
                   text="You have been invited", ics=invite("cal-uid-777@cal.com", SLOT), ics_as_attachment=True, at=clock())
    cycle.run_cycle()
    view = google_service.get(booking_id)
    assert view.status == S.ADDED_TO_CALENDAR
    events = workspace.calendar(TEAMMATE_EMAIL).find_events(ical_uid="cal-uid-777@cal.com")
    assert len(events) == 1 and events[0].id == view.calendar_event_id
    google_service.retry_calendar(booking_id)  # confirming / adding again changes nothing
    google_service.confirm(booking_id, "email", "again")
    assert len(workspace.calendar(TEAMMATE_EMAIL).find_events(ical_uid="cal-uid-777@cal.com")) == 1
    assert len(google.calls_to("calendar.events.insert")) == 0


def test_decline_mail_fails_the_booking_and_tells_the_teammate(google_service, google, workspace, clock, notifier):
    booking_id = pending(google_service)
    cycle = monitor(google_service, workspace)
    cycle.run_cycle()
    google.deliver(TEAMMATE_EMAIL, sender="Cal.com <notifications@cal.com>",
                   subject="Your booking uid-acme-0001 has been rejected", text="The host declined.", at=clock())
    assert cycle.run_cycle().declined == 1
    view = google_service.get(booking_id)
    assert view.status == S.FAILED and view.error_message.startswith("declined by")
    assert any("failed: declined" in text for text in notifier.dms(booking_id))


def test_history_too_old_falls_back_to_a_full_sync(google_service, google, workspace, clock, db):
    booking_id = pending(google_service)
    cycle = monitor(google_service, workspace)
    cycle.run_cycle()
    google.deliver(TEAMMATE_EMAIL, sender="alice@acme.example", subject="Meeting confirmed", text="uid-acme-0001", at=clock())
    google.expire_history(TEAMMATE_EMAIL)
    cycle.run_cycle()
    assert google_service.get(booking_id).status == S.ADDED_TO_CALENDAR
    with db.session() as session:
        assert session.get(GmailSyncState, TEAMMATE_EMAIL).full_syncs == 2  # the first sync and the fallback


def test_five_hundred_pending_bookings_cost_one_history_call_per_teammate(google_service, google, workspace, clock):
    teammates = [f"t{n}@axa-innovation.example" for n in range(5)]
    for email in teammates:
        google.add_user(email)
    for n in range(500):
        pending(google_service, email=teammates[n % 5], external=f"uid-{n:05d}", slot=SLOT + timedelta(minutes=30 * n),
                startup=f"https://cal.com/startup-{n}/intro")
    cycle = monitor(google_service, workspace)
    cycle.run_cycle()  # first sync per teammate
    google.deliver(teammates[3], sender="alice@acme.example", subject="Booking confirmed", text="uid-00003", at=clock())
    before = len(google.calls_to("gmail.users.history.list"))
    report = cycle.run_cycle()
    assert len(google.calls_to("gmail.users.history.list")) - before == 5
    assert report.checked == 500 and report.confirmed == 1


def test_gmail_mailbox_finds_the_code_mail(google, workspace, clock):
    google.deliver(TEAMMATE_EMAIL, sender="Nordlys Studio <noreply@studio.example>", subject="Your booking code",
                   text="Your code is 483920", at=clock())
    found = GmailMailbox(workspace).messages(MailQuery(to=TEAMMATE_EMAIL, after=clock() - timedelta(minutes=5),
                                                       sender="studio.example", subject="booking code"))
    assert [m.body.strip() for m in found] == ["Your code is 483920"]
