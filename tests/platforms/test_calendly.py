"""Calendly end to end through the service, on real headless Chromium against the replica."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.platforms.calendly import Calendly
from booking.platforms.registry import detect_platform
from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput

pytestmark = pytest.mark.browser
HEL = ZoneInfo("Europe/Helsinki")


def book(service, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(120)
    return service.get(view.id)


def test_team_page_books_first_configured_person_at_the_earliest_slot(service, calendly, directory, teammate):
    """`Acme` is a team page: Alice (first in the config) is chosen; the form carries name, e-mail, message."""
    final = book(service, teammate, startup="acme")

    assert final.status == BookingStatus.CONFIRMED
    [recorded] = calendly.bookings
    assert (recorded["host_name"], recorded["name"], recorded["email"]) == ("Alice Smith", "Eduardo Paz", teammate.email)
    first_slot = datetime(2026, 12, 2, 9, 0, tzinfo=HEL)  # tomorrow 09:00, past the 60-minute lead time
    assert recorded["start_time"] == first_slot
    [answer] = recorded["answers"].values()
    assert answer.startswith("Hello, my name is Eduardo Paz from the Venture Clienting team at AXA Innovation.")
    assert "Wed 2 Dec, 09:30 (Europe/Helsinki) would work for me too" in answer
    assert final.message_sent == answer
    assert final.person_name == "Alice Smith"
    assert final.proposed_slots == (first_slot, first_slot + timedelta(minutes=30))  # booked, alternative
    assert final.confirmed_slot == first_slot
    assert final.external_booking_id == recorded["invitee_uuid"]

    names = [Path(p).name for p in final.screenshots]
    assert names == ["01_page_loaded.png", "02_person_selected.png", "03_slots_found.png", "04_slot_selected.png",
                     "05_form_filled.png", "06_submitted.png"]
    assert all(Path(p).stat().st_size > 1000 and Path(p).stat().st_mode & 0o077 == 0 for p in final.screenshots)

    statuses = [(e.from_status, e.to_status) for e in service.events(final.id) if e.kind == "status"]
    assert statuses == [(None, "pending"), ("pending", "booking_in_progress"),
                        ("booking_in_progress", "pending_confirmation"), ("pending_confirmation", "confirmed")]
    with service.db.session() as session:
        row = session.get_one(MeetingBookingRequest, final.id)
        assert row.selected_person_email == "alice@acme.example" and row.selected_person_role == "CEO"
        assert row.confirmation_method == "page" and row.claimed_by is None


def test_people_are_tried_in_configured_order(service, calendly, directory, teammate, db):
    """Bob first in the config → Bob is booked, even though Alice is listed first on the page."""
    from replicas.world import seed_directory

    acme = dict(directory[0], people=[{"name": "Bob Jones", "email": "bob@acme.example"},
                                      {"name": "Alice Smith", "email": "alice@acme.example"}])
    seed_directory(db, [acme])
    final = book(service, teammate, startup="Acme Robotics")
    assert final.person_name == "Bob Jones"
    assert calendly.bookings[0]["host_name"] == "Bob Jones"
    assert calendly.bookings[0]["start_time"] == datetime(2026, 12, 2, 13, 0, tzinfo=HEL)


def test_person_missing_from_the_page_is_skipped(service, calendly, directory, teammate, db):
    from replicas.world import seed_directory

    seed_directory(db, [dict(directory[0], people=[{"name": "Zoe Gone"}, {"name": "Bob Jones"}])])
    final = book(service, teammate, startup="acme")
    assert (final.status, final.person_name) == (BookingStatus.CONFIRMED, "Bob Jones"), final.error_message


def test_split_name_form_and_single_host_page(service, calendly, directory, teammate):
    final = book(service, teammate, startup="Beta Health")
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = calendly.bookings
    assert (recorded["first_name"], recorded["last_name"], recorded["host_name"]) == ("Eduardo", "Paz", "Carla Diaz")


def test_cookie_banner_is_dismissed(service, calendly, directory, teammate):
    calendly.cookie_banner = True
    final = book(service, teammate, startup="acme")
    assert final.status == BookingStatus.CONFIRMED and len(calendly.bookings) == 1


def test_slot_taken_before_submit_books_the_alternative_once(service, calendly, directory, teammate):
    calendly.faults.take_slot_before_submit = True
    final = book(service, teammate, startup="acme")
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = [b for b in calendly.bookings if b["email"] == teammate.email]
    assert recorded["start_time"] == datetime(2026, 12, 2, 9, 30, tzinfo=HEL)
    assert final.proposed_slots == (recorded["start_time"],) and final.confirmed_slot == recorded["start_time"]
    steps = [e.detail for e in service.events(final.id) if e.kind == "step"]
    assert any("was just taken" in s for s in steps)


def test_page_shown_in_another_zone_still_books_the_right_instant(service, clock, directory, teammate, db, build):
    """The replica displays New York times; the booking lands on the same absolute slot."""
    from replicas.world import build_calendly, directory_entries, seed_directory

    with build_calendly(now=clock, display_timezone="America/New_York", build=build) as new_york:
        seed_directory(db, directory_entries(new_york))
        final = book(service, teammate, startup="acme")
        assert new_york.bookings[0]["start_time"] == datetime(2026, 12, 2, 9, 0, tzinfo=HEL)
    assert final.confirmed_slot == datetime(2026, 12, 2, 9, 0, tzinfo=HEL)


def test_round_robin_records_the_assigned_host(service, calendly, teammate):
    final = book(service, teammate, url=calendly.round_robin_url("acme"), platform="calendly")
    assert final.status == BookingStatus.CONFIRMED
    assert final.person_name == calendly.bookings[0]["host_name"] == "Alice Smith"


def test_no_slot_in_the_window_fails_with_the_next_step(service, calendly, directory, teammate, clock):
    for host in calendly.hosts.values():
        host.slots = [s + timedelta(days=60) for s in host.slots]
    final = book(service, teammate, startup="acme")
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("No common free time with Acme Robotics before Tue 15 Dec")
    assert "widen your hours or pick a slot yourself" in final.error_message
    assert calendly.bookings == []


def test_page_that_breaks_mid_flow_fails_with_a_reason_and_a_screenshot(service, calendly, directory, teammate, browsers):
    calendly.faults.details_form_never_renders = True
    final = book(service, teammate, startup="acme")
    assert final.status == BookingStatus.FAILED
    assert "The Calendly page changed or did not finish loading: the details form" in final.error_message
    assert "a button named like 'Schedule Event'" in final.error_message  # what was looked for, in words
    assert Path(final.screenshots[-1]).name.endswith("_failure.png")
    # beside the failure screenshot: what a screen reader would have offered (the picked time is there)
    snapshot = Path(final.screenshots[-1]).with_suffix(".txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith('button "Next ') for line in snapshot) and snapshot[1].startswith("http")
    assert calendly.bookings == []
    assert browsers.live_sessions == 0 and browsers.drivers_started == 1


@pytest.mark.parametrize("url", [
    "https://calendly.com/acme", "https://calendly.com/acme/intro", "https://www.calendly.com/acme/intro?month=2026-12",
    "https://calendly.com/d/3py-rwt-k8f/bilanc-team", "https://calendly.com/acme/intro/2026-12-02T09:00:00+02:00",
])
def test_registry_detects_calendly_urls(url):
    assert detect_platform(url) is Calendly


@pytest.mark.parametrize("url", [
    "https://calendly.com.evil.example/acme", "https://notcalendly.com/acme", "https://calendly.co/acme",
    "https://evil.example/calendly.com/acme", "ftp://calendly.com/acme", "https://calendly.com/app/login",
])
def test_registry_rejects_look_alikes(url):
    assert detect_platform(url) is None
