"""Google Calendar appointment schedules: URL detection, and booking end to end through the service on the
replica (real headless Chromium): the owner is the host, the teammate's busy time is skipped, the e-mailed PIN
is read from the mailbox, a slot taken meanwhile gives way to the alternative, a refusal is one sentence."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.mail.mailbox import InMemoryMailbox, MailMessage
from booking.platforms.google_appointments import GoogleAppointments
from booking.platforms.registry import detect_platform
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.builds import replica_class
from replicas.google_appointments import GoogleAppointmentsReplica, GoogleSchedule
from replicas.world import seed_directory
from tests.platforms.test_auto import BusyCalendar

HEL = ZoneInfo("Europe/Helsinki")
SCHEDULE = "AcZssZ0demoIntroSchedule"


def hel(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=HEL)


# -- URL detection (no browser) ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://calendar.google.com/calendar/appointments/schedules/AcZssZ2G7NabcDEF",
    "https://calendar.google.com/calendar/u/0/appointments/schedules/AcZssZ0LGg_x-1",
    "https://calendar.google.com/calendar/u/2/appointments/schedules/AcZssZ0l?gv=true",
    "https://calendar.app.google/x7Kp2QwErT", "https://calendar.app.google/x7Kp2QwErT/",
])
def test_registry_detects_google_appointment_urls(url):
    assert detect_platform(url) is GoogleAppointments


@pytest.mark.parametrize("url", [
    "https://calendar.google.com/calendar/r/week", "https://calendar.google.com/calendar/appointments/",
    "https://calendar.google.com.evil.example/calendar/appointments/schedules/AcZssZ1",
    "https://evil.example/calendar.google.com/calendar/appointments/schedules/AcZssZ1",
    "https://calendar.app.google.evil.example/x7Kp2", "https://app.google/x7Kp2", "https://calendar.app.google/",
    "https://calendar.app.google/x7Kp2/extra", "ftp://calendar.app.google/x7Kp2",
    "https://google.com/calendar/appointments/schedules/AcZssZ1",
])
def test_registry_rejects_look_alikes(url):
    assert detect_platform(url) is not GoogleAppointments


# -- end to end on the replica (browser) -------------------------------------------------------------------

def schedule(**overrides: Any) -> GoogleSchedule:
    fields: dict[str, Any] = dict(
        id=SCHEDULE, title="Intro call", owner_name="Alice Smith", owner_email="alice@acme.example",
        slots=[hel(2, 10), hel(2, 10, 30), hel(2, 11), hel(3, 14)], questions=["What would you like to discuss?"])
    fields.update(overrides)
    return GoogleSchedule(**fields)


def site_of(build: str, schedules: list[GoogleSchedule], **options: Any) -> GoogleAppointmentsReplica:
    """The replica of ``build`` ("first" or "blind", see tests/platforms/conftest.py)."""
    return replica_class("google_appointments", build, GoogleAppointmentsReplica)(schedules, **options)


def mail_into(mailbox: InMemoryMailbox):
    return lambda sent: mailbox.deliver(MailMessage(sent.sender, sent.to, sent.subject, sent.body, sent.sent_at))


@pytest.fixture
def mailbox() -> InMemoryMailbox:
    return InMemoryMailbox()


@pytest.fixture
def calendar() -> BusyCalendar:
    return BusyCalendar([])


@pytest.fixture
def google_service(db, settings, browsers, clock, calendar, mailbox) -> Iterator[BookingService]:
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock, availability=calendar, mailbox=mailbox)
    runner.shutdown()


def seed(db, site: GoogleAppointmentsReplica, people: list[dict] | None = None) -> None:
    seed_directory(db, [{"name": "Acme Robotics", "aliases": ["acme"], "platform": "google_appointments",
                         "booking_url": site.booking_url(SCHEDULE), "people": people or []}])


def book(service: BookingService, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(180)
    return service.get(view.id)


@pytest.mark.browser
def test_books_the_owner_around_the_teammates_busy_time(google_service, calendar, db, clock, teammate, mailbox, build):
    calendar.blocks = [(hel(2, 10), hel(2, 10, 30))]
    with site_of(build, [schedule()], now=clock, mail_sink=mail_into(mailbox)) as site:
        seed(db, site, people=[{"name": "Bob Jones"}])  # a configured person: no choice on a Google page
        final = book(google_service, teammate, startup="acme")
        assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
        assert final.platform == "google_appointments"
        [recorded] = site.bookings
    assert (recorded["first_name"], recorded["last_name"], recorded["email"]) == ("Eduardo", "Paz", teammate.email)
    steps = [e.detail for e in google_service.events(final.id) if e.kind == "step"]
    assert datetime.fromisoformat(recorded["start"]) == hel(2, 10, 30), steps  # 10:00 is busy in the teammate's calendar
    assert recorded["staff"] == "Alice Smith"
    assert recorded["notes"].startswith("Hello, my name is Eduardo Paz")
    assert final.proposed_slots[0] == hel(2, 10, 30) and final.confirmed_slot == hel(2, 10, 30)
    steps = [e.detail for e in google_service.events(final.id) if e.kind == "step"]
    assert any("skipped Wed 2 Dec 10:00 (busy in your calendar)" in s for s in steps), steps


@pytest.mark.browser
def test_the_emailed_pin_is_read_from_the_mailbox_and_sent(google_service, db, clock, teammate, mailbox, build):
    with site_of(build, [schedule(require_email_verification=True)], now=clock, mail_sink=mail_into(mailbox)) as site:
        mailbox.deliver(MailMessage("calendar-notification@google.com", teammate.email, "Verify your email",
                                    "Your PIN is 999111.", clock()))  # an older code: never typed
        seed(db, site)
        final = book(google_service, teammate, startup="acme")
        assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
        [recorded] = site.bookings
    assert datetime.fromisoformat(recorded["start"]) == hel(2, 10) and recorded["email"] == teammate.email
    pins = [m for m in mailbox.all if "PIN" in m.body and m.to == teammate.email]
    assert len(pins) == 2  # the old one and the one the page sent; the booking went through with the new one


@pytest.mark.browser
def test_without_a_mailbox_the_pin_step_fails_in_one_sentence(db, settings, browsers, clock, teammate, build):
    runner = JobRunner(settings.max_browsers)
    service = BookingService(db, settings, browsers, runner, clock=clock)
    try:
        with site_of(build, [schedule(require_email_verification=True)], now=clock) as site:
            seed(db, site)
            final = book(service, teammate, startup="acme")
            assert site.bookings == []
    finally:
        runner.shutdown()
    assert final.status == BookingStatus.FAILED
    assert "e-mailed you a code" in final.error_message and "no mailbox" in final.error_message
    assert "\n" not in final.error_message and "Traceback" not in final.error_message


def take(site: GoogleAppointmentsReplica, start: datetime) -> None:
    """The owner's calendar gets another event at ``start`` (another guest booked it, say)."""
    with site.lock:
        site.schedules[SCHEDULE].busy.append((start, start + timedelta(minutes=30)))


@pytest.mark.browser
def test_a_slot_taken_after_it_was_read_books_the_alternative(google_service, db, clock, teammate, mailbox,
                                                              monkeypatch, build):
    with site_of(build, [schedule()], now=clock) as site:
        original = GoogleAppointments.choose_slot
        taken: list[datetime] = []

        def choose_after_someone_else(self, slot):
            if not taken:
                taken.append(slot.start)
                take(site, slot.start)
            return original(self, slot)

        monkeypatch.setattr(GoogleAppointments, "choose_slot", choose_after_someone_else)
        seed(db, site)
        final = book(google_service, teammate, startup="acme")
        mine = [b for b in site.bookings if b["email"] == teammate.email]
    assert taken == [hel(2, 10)]
    assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
    assert [datetime.fromisoformat(b["start"]) for b in mine] == [hel(2, 10, 30)]
    steps = [e.detail for e in google_service.events(final.id) if e.kind == "step"]
    assert any("was just taken" in s for s in steps), steps


@pytest.mark.browser
def test_review_before_submit_fills_the_form_and_sends_nothing(google_service, db, clock, teammate, build):
    with site_of(build, [schedule()], now=clock) as site:
        seed(db, site)
        final = book(google_service, teammate, startup="acme", review_before_submit=True)
        assert site.bookings == []
    assert final.status == BookingStatus.AWAITING_REVIEW, final.error_message
