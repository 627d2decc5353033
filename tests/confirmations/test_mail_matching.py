"""Answer mails read from Gmail (the real client against the Gmail fake) reach the right booking only:
by the platform's id, else by person and time together; a mail that fits two bookings changes neither."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from booking.config import setting_table
from booking.config.settings import Settings, SettingsError
from booking.confirmations.gmail import GmailConfirmationCheck, platform_rules
from booking.domain.states import BookingStatus
from booking.platforms.slush import SlushMatchmaking
from booking.store.leases import Lease
from booking.store.models import MeetingBookingRequest
from booking.workflow.monitor import ConfirmationMonitor
from booking.workflow.requests import BookingRequestInput, Teammate
from tests.google.conftest import TEAMMATE_EMAIL

S = BookingStatus
pytestmark = pytest.mark.both_databases
SLOT = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)  # 12:00 in Helsinki, the teammate's zone


def pending(service, url: str, person: tuple[str, str], slot: datetime, startup: str = "Acme Robotics",
            external: str | None = None, platform: str = "calendly") -> int:
    """A booking of ``startup`` waiting for its answer (each with its own page: one live booking per page)."""
    teammate = Teammate(name="Eduardo Paz", email=TEAMMATE_EMAIL, timezone="Europe/Helsinki")
    view = service.request_booking(BookingRequestInput(teammate=teammate, url=url, platform="calendly"))
    with service.db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        service.transition(session, row, S.BOOKING_IN_PROGRESS, "test")
        service.transition(session, row, S.PENDING_CONFIRMATION, "test")
        row.booking_completed_at = service.clock()
        row.startup_name, row.booking_platform, row.external_booking_id = startup, platform, external
        row.proposed_slot_1_datetime, row.slot_duration_minutes = slot, 30
        row.selected_person_name, row.selected_person_email = person
    return view.id


def monitor(service, workspace, senders=None) -> ConfirmationMonitor:
    lease = Lease(service.db, "confirmation-monitor", "proc", timedelta(seconds=90), service.clock)
    return ConfirmationMonitor(service, lease, [GmailConfirmationCheck(workspace, service.db, service.clock, senders)])


def started(service, workspace, clock, senders=None) -> ConfirmationMonitor:
    cycle = monitor(service, workspace, senders)
    cycle.run_cycle()  # the first sync: mail from before the bookings counts for nothing
    clock.advance(minutes=1)
    return cycle


ALICE = ("Alice Smith", "alice@acme.example")
BOB = ("Bob Jones", "bob@acme.example")


def test_a_new_time_mail_about_the_first_of_two_requests_to_one_startup_changes_only_the_first(
        google_service, google, workspace, clock, notifier):
    """The mail names no id; Alice and the time she can't make (12:00 Helsinki) point at the first."""
    first = pending(google_service, "https://calendly.com/acme-alice/intro", ALICE, SLOT)
    second = pending(google_service, "https://calendly.com/acme-bob/intro", BOB, SLOT + timedelta(hours=2))
    cycle = started(google_service, workspace, clock)
    google.deliver(TEAMMATE_EMAIL, sender="Calendly <notifications@calendly.com>",
                   subject="Acme Robotics: new time proposed for your meeting",
                   text="Alice Smith can't make Thu 3 Dec 12:00 (Helsinki time) and proposed "
                        "Thu 3 Dec 15:30 (Helsinki time) instead.", at=clock())
    cycle.run_cycle()
    assert google_service.get(first).reschedule_to == datetime(2026, 12, 3, 13, 30, tzinfo=timezone.utc)
    untouched = google_service.get(second)
    assert untouched.status == S.PENDING_CONFIRMATION and untouched.reschedule_to is None
    assert [i for i, _ in notifier.direct_messages] == [first]
    assert "proposed a new time for your meeting: Thu 3 Dec 15:30 (Europe/Helsinki)" in notifier.dms(first)[0]
    assert not [text for i, text in notifier.steps if i == second]


def test_a_mail_that_fits_both_requests_changes_neither_and_both_threads_say_so(
        google_service, google, workspace, clock, notifier):
    """Alice hosts both of Acme's meetings; her 'Confirmed' names neither time nor id."""
    first = pending(google_service, "https://calendly.com/acme/intro", ALICE, SLOT)
    second = pending(google_service, "https://calendly.com/acme/demo", ALICE, SLOT + timedelta(hours=2))
    cycle = started(google_service, workspace, clock)
    google.deliver(TEAMMATE_EMAIL, sender="Alice Smith <alice@acme.example>", subject="Confirmed: our meeting",
                   text="See you there!", at=clock())
    report = cycle.run_cycle()
    assert report.confirmed == 0
    assert [google_service.get(i).status for i in (first, second)] == [S.PENDING_CONFIRMATION] * 2
    notes = {i: text for i, text in notifier.steps}
    assert f"fits this booking and #{second} equally, so Booker changed neither" in notes[first]
    assert f"fits this booking and #{first} equally" in notes[second]
    assert "'Confirmed: our meeting'" in notes[first]


def test_a_startup_name_alone_decides_nothing_when_two_requests_have_it(
        google_service, google, workspace, clock, notifier):
    first = pending(google_service, "https://calendly.com/acme-alice/intro", ALICE, SLOT)
    second = pending(google_service, "https://calendly.com/acme-bob/intro", BOB, SLOT + timedelta(hours=2))
    cycle = started(google_service, workspace, clock)
    google.deliver(TEAMMATE_EMAIL, sender="Calendly <notifications@calendly.com>",
                   subject="Your meeting with Acme Robotics has been cancelled", text="", at=clock())
    assert cycle.run_cycle().declined == 0
    assert [google_service.get(i).status for i in (first, second)] == [S.PENDING_CONFIRMATION] * 2
    assert {i for i, _ in notifier.steps} == {first, second}


def invite(uid: str, start: datetime, location: str) -> str:
    stamp = start.strftime("%Y%m%dT%H%M%SZ")
    end = (start + timedelta(minutes=30)).strftime("%Y%m%dT%H%M%SZ")
    return (f"BEGIN:VCALENDAR\r\nPRODID:-//Acme//EN\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
            f"UID:{uid}\r\nDTSTAMP:{stamp}\r\nDTSTART:{stamp}\r\nDTEND:{end}\r\nSUMMARY:Acme Robotics x AXA\r\n"
            f"LOCATION:{location}\r\nORGANIZER;CN=Alice Smith:mailto:alice@acme.example\r\n"
            f"ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{TEAMMATE_EMAIL}\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def test_the_invites_location_becomes_the_calendar_events_place(google_service, google, workspace, clock):
    booking_id = pending(google_service, "https://calendly.com/acme/intro", ALICE, SLOT)
    cycle = started(google_service, workspace, clock)
    google.deliver(TEAMMATE_EMAIL, sender="Alice Smith <alice@acme.example>", subject="Invitation: Acme Robotics x AXA",
                   text="You have been invited", ics=invite("acme-42@acme.example", SLOT, "Hall 2\\, Table 14"),
                   ics_as_attachment=True, at=clock())
    cycle.run_cycle()
    view = google_service.get(booking_id)
    assert view.status == S.ADDED_TO_CALENDAR
    [event] = workspace.calendar(TEAMMATE_EMAIL).find_events(ical_uid="acme-42@acme.example")
    assert event.location == "Hall 2, Table 14"


SLUSH_ACCEPT = dict(subject="[Slush 2026] Bob Jones accepted your meeting request",
                    text="Bob Jones (Acme Robotics) accepted your meeting request.\nWhere: Table 9, Meeting Area\n"
                         "Open the meeting: https://app.example/events/slush-2026/meetings/m-7\n")


def test_the_configured_sender_domain_of_a_platform_is_honoured(google_service, google, workspace, clock):
    """Slush's app mails from events.slush.org here: with that domain configured its accept is read
    (the short id 'm-7' is found only by the platform's own rules)."""
    booking_id = pending(google_service, "https://app.example/events/slush-2026/people/a-1002", BOB, SLOT,
                         external="m-7", platform="slush_platform")
    unconfigured = started(google_service, workspace, clock)
    google.deliver(TEAMMATE_EMAIL, sender="Slush Matchmaking <noreply@events.slush.org>", at=clock(), **SLUSH_ACCEPT)
    unconfigured.run_cycle()
    assert google_service.get(booking_id).status == S.PENDING_CONFIRMATION  # slush.org: not the app's, by default

    configured = started(google_service, workspace, clock, senders=Settings.from_env(
        {"BOOKER_MAIL_SENDERS_SLUSH": "slush.org"}).mail_senders)
    google.deliver(TEAMMATE_EMAIL, sender="Slush Matchmaking <noreply@events.slush.org>", at=clock(), **SLUSH_ACCEPT)
    configured.run_cycle()
    view = google_service.get(booking_id)
    assert view.status == S.ADDED_TO_CALENDAR and view.confirmation_method == "email"
    with google_service.db.session() as session:
        assert session.get_one(MeetingBookingRequest, booking_id).meeting_location == "Table 9"


def test_a_bad_sender_setting_is_one_line_naming_it():
    with pytest.raises(SettingsError, match=r"^BOOKER_MAIL_SENDERS_SLUSH must list sender domains like"):
        Settings.from_env({"BOOKER_MAIL_SENDERS_SLUSH": "brella io"})
    with pytest.raises(SettingsError, match=r"^BOOKER_MAIL_SENDERS_ZOOM names no platform \(known: "):
        platform_rules(Settings.from_env({"BOOKER_MAIL_SENDERS_ZOOM": "zoom.us"}).mail_senders)


def test_the_documented_default_is_the_platforms_own():
    documented = setting_table.BY_NAME["BOOKER_MAIL_SENDERS_SLUSH"].default.split(",")
    assert tuple(documented) == SlushMatchmaking.mail_signals.sender_domains
    assert Settings.from_env({"BOOKER_MAIL_SENDERS_SLUSH": "Brella.io, @slush.org"}).mail_senders == {
        "slush": ("brella.io", "slush.org")}
