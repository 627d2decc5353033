"""Microsoft Bookings: URL detection, and booking end to end through the service on the replica (real headless
Chromium): the service is chosen first (the admin's, else the first), a configured person is picked in the staff
choice (else "Anyone"), the teammate's busy time is skipped, a slot taken meanwhile gives way to the
alternative, and a page with nothing free says so in one sentence."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.platforms.ms_bookings import MsBookings
from booking.platforms.registry import detect_platform
from booking.runtime.runner import JobRunner
from booking.workflow.requests import BookingRequestInput
from booking.workflow.service import BookingService
from replicas.builds import replica_class
from replicas.ms_bookings import MsBookingsReplica, MsBusiness, MsService, MsStaff
from replicas.world import seed_directory
from tests.platforms.test_auto import BusyCalendar

HEL = ZoneInfo("Europe/Helsinki")
PAGE = "AcmeIntro@acme.example"


def hel(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=HEL)


# -- URL detection (no browser) ---------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://outlook.office365.com/book/NebulitGmbH@nebulit.de/",
    "https://outlook.office365.com/book/EKOALUPrisedeRDV@ekoalu.com/?ismsaljsauthenabled=true",
    "https://outlook.office365.com/book/HarvardMapCollection1@HU.onmicrosoft.com",
    "https://outlook.office365.com/book/AcmeIntro",
    "https://outlook.office365.com/owa/calendar/Acme@acme.onmicrosoft.com/bookings/",
    "https://outlook.office.com/bookwithme/user/0123456789abcdef0123456789abcdef@acme.com?anonymous&ep=plink",
    "https://outlook.office.com/bookwithme/user/0123456789abcdef0123456789abcdef@acme.com/meetingtype/"
    "Xy12_ab-3?anonymous&ep=mlink",
])
def test_registry_detects_microsoft_bookings_urls(url):
    assert detect_platform(url) is MsBookings


@pytest.mark.parametrize("url", [
    "https://outlook.office365.com/mail/inbox", "https://outlook.office365.com/book/",
    "https://outlook.office365.com.evil.example/book/Acme@acme.com/",
    "https://evil.example/outlook.office365.com/book/Acme@acme.com/",
    "https://outlook.office365.co/book/Acme@acme.com/", "https://office365.com/book/Acme@acme.com/",
    "https://outlook.office.com/bookwithme/me", "https://outlook.office.com/bookwithme/user/",
    "https://outlook.office365.com/book/Acme@acme.com/extra/path", "ftp://outlook.office365.com/book/Acme/",
])
def test_registry_rejects_look_alikes(url):
    assert detect_platform(url) is not MsBookings


# -- end to end on the replica (browser) -------------------------------------------------------------------

def business(**overrides: Any) -> MsBusiness:
    fields: dict[str, Any] = dict(
        page=PAGE, name="Acme", time_zone="Europe/Helsinki",
        services=[MsService("intro", "Intro meeting", ["alice", "bob"]),
                  MsService("demo", "Product demo", ["bob"], duration_minutes=60, allow_staff_selection=False)],
        staff=[MsStaff("alice", "Alice Smith", "alice@acme.example", [hel(2, 10), hel(2, 11)]),
               MsStaff("bob", "Bob Jones", "bob@acme.example", [hel(2, 13), hel(2, 14), hel(3, 9)])])
    fields.update(overrides)
    return MsBusiness(**fields)


def site_of(build: str, businesses: list[MsBusiness], **options: Any) -> MsBookingsReplica:
    """The replica of ``build`` ("first" or "blind", see tests/platforms/conftest.py)."""
    return replica_class("ms_bookings", build, MsBookingsReplica)(businesses, **options)


def service_of(recorded: dict) -> str:
    """The booked service's id (the blind build records its name under ``service``)."""
    return recorded.get("service_id") or recorded["service"]


def minutes_of(recorded: dict) -> int:
    if "duration" in recorded:
        return recorded["duration"]
    return int((datetime.fromisoformat(recorded["end"]) - datetime.fromisoformat(recorded["start"])).seconds / 60)


@pytest.fixture
def calendar() -> BusyCalendar:
    return BusyCalendar([])


@pytest.fixture
def ms_service(db, settings, browsers, clock, calendar) -> Iterator[BookingService]:
    runner = JobRunner(settings.max_browsers)
    yield BookingService(db, settings, browsers, runner, clock=clock, availability=calendar)
    runner.shutdown()


def seed(db, site: MsBookingsReplica, people: list[dict] | None = None) -> None:
    seed_directory(db, [{"name": "Acme Robotics", "aliases": ["acme"], "platform": "ms_bookings",
                         "booking_url": site.booking_url(PAGE), "people": people or []}])


def book(service: BookingService, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(180)
    return service.get(view.id)


@pytest.mark.browser
def test_the_first_service_and_the_configured_person_around_the_busy_time(ms_service, calendar, db, clock, teammate, build):
    calendar.blocks = [(hel(2, 13), hel(2, 13, 30))]
    with site_of(build, [business()], now=clock) as site:
        seed(db, site, people=[{"name": "Bob Jones"}, {"name": "Alice Smith"}])
        final = book(ms_service, teammate, startup="acme")
        assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
        [recorded] = site.bookings
    assert final.platform == "ms_bookings" and final.person_name == "Bob Jones"
    assert (service_of(recorded), recorded["staff"], recorded["name"], recorded["email"]) == (
        "intro", "Bob Jones", "Eduardo Paz", teammate.email)
    assert datetime.fromisoformat(recorded["start"]) == hel(2, 14)  # 13:00 is busy in the teammate's calendar
    assert recorded["notes"].startswith("Hello, my name is Eduardo Paz")
    steps = [e.detail for e in ms_service.events(final.id) if e.kind == "step"]
    assert any("skipped Wed 2 Dec 13:00 (busy in your calendar)" in s for s in steps), steps


@pytest.mark.browser
def test_with_no_configured_people_anyone_books_the_first_free_staff_member(ms_service, db, clock, teammate, build):
    with site_of(build, [business()], now=clock) as site:
        seed(db, site)
        final = book(ms_service, teammate, startup="acme")
        assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
        [recorded] = site.bookings
    assert (service_of(recorded), recorded["staff"]) == ("intro", "Alice Smith")
    assert datetime.fromisoformat(recorded["start"]) == hel(2, 10)


@pytest.mark.browser
def test_the_service_the_admin_named_is_chosen(ms_service, db, clock, teammate, build):
    with site_of(build, [business()], now=clock) as site:
        seed(db, site)
        final = book(ms_service, teammate, startup="acme", answers={"Service": "Product demo"})
        assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
        [recorded] = site.bookings
    assert (service_of(recorded), recorded["staff"], minutes_of(recorded)) == ("demo", "Bob Jones", 60)
    assert datetime.fromisoformat(recorded["start"]) == hel(2, 13)
    assert final.proposed_slots[0] == hel(2, 13)


def take(site: MsBookingsReplica, staff_id: str, start: datetime) -> None:
    """``start`` leaves the staff member's free time (someone else got it, or a meeting came up)."""
    with site.lock:
        business = next(b for b in site.businesses.values() if b.page == PAGE)
        next(m for m in business.staff if m.id == staff_id).slots.remove(start)


@pytest.mark.browser
def test_a_slot_taken_after_it_was_read_books_the_alternative(ms_service, db, clock, teammate, monkeypatch, build):
    with site_of(build, [business()], now=clock) as site:
        original = MsBookings.choose_slot
        taken: list[datetime] = []

        def choose_after_someone_else(self, slot):
            if not taken:
                taken.append(slot.start)
                take(site, "alice", slot.start)
            return original(self, slot)

        monkeypatch.setattr(MsBookings, "choose_slot", choose_after_someone_else)
        seed(db, site, people=[{"name": "Alice Smith"}])
        final = book(ms_service, teammate, startup="acme")
        mine = [b for b in site.bookings if b["email"] == teammate.email]
    assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
    assert taken == [hel(2, 10)]
    assert [(datetime.fromisoformat(b["start"]), b["staff"]) for b in mine] == [(hel(2, 11), "Alice Smith")]
    steps = [e.detail for e in ms_service.events(final.id) if e.kind == "step"]
    assert any("was just taken" in s for s in steps), steps


@pytest.mark.browser
def test_a_page_with_nothing_free_fails_in_one_sentence(ms_service, db, clock, teammate, build):
    empty = business(staff=[MsStaff("alice", "Alice Smith", "alice@acme.example", []),
                            MsStaff("bob", "Bob Jones", "bob@acme.example", [])])
    with site_of(build, [empty], now=clock) as site:
        seed(db, site)
        final = book(ms_service, teammate, startup="acme")
        assert site.bookings == []
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("No "), final.error_message
    assert "\n" not in final.error_message and "Traceback" not in final.error_message


@pytest.mark.browser
def test_a_personal_bookwithme_page_books_its_owner(ms_service, db, clock, teammate, build):
    """"Bookings with me": meeting types, no staff choice; the owner is booked (§2 [S])."""
    personal = business(personal=True, services=[MsService("chat", "Quick chat", ["alice"], duration_minutes=15)],
                        staff=[MsStaff("alice", "Alice Smith", "alice@acme.example", [hel(2, 10), hel(2, 11)])])
    with site_of(build, [personal], now=clock) as site:
        seed(db, site, people=[{"name": "Alice Smith"}])
        final = book(ms_service, teammate, startup="acme")
        assert final.status == BookingStatus.ADDED_TO_CALENDAR, final.error_message
        [recorded] = site.bookings
    assert (service_of(recorded), recorded["staff"], recorded["email"]) == ("chat", "Alice Smith", teammate.email)
    assert datetime.fromisoformat(recorded["start"]) == hel(2, 10)
