"""HubSpot Meetings end to end through the service, on real headless Chromium against the replica."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.platforms.hubspot import HubSpot, day_name
from booking.platforms.registry import detect_platform
from booking.workflow.requests import BookingRequestInput
from replicas.hubspot import HubSpotField

HEL = ZoneInfo("Europe/Helsinki")
WED_9 = datetime(2026, 12, 2, 9, 0, tzinfo=HEL)


@pytest.fixture
def hubspot(clock, build):
    from replicas.world import build_hubspot

    with build_hubspot(now=clock, build=build) as site:
        yield site


@pytest.fixture
def hubspot_directory(db, hubspot):
    from replicas.world import hubspot_entries, seed_directory

    entries = hubspot_entries(hubspot)
    seed_directory(db, entries)
    return entries


def book(service, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(120)
    return service.get(view.id)


def mine(site, teammate):
    return [b for b in site.bookings if b["email"] == teammate.email]



@pytest.mark.browser
def test_personal_link_is_booked_with_the_profile_filled_in(service, hubspot, hubspot_directory, teammate):
    final = book(service, teammate, startup="zeta")

    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(hubspot, teammate)
    assert (recorded["host_name"], recorded["first_name"], recorded["last_name"]) == ("Lena Virta", "Eduardo", "Paz")
    assert recorded["start"] == WED_9 and recorded["duration_minutes"] == 30  # the first of "30 mins" / "60 mins"
    assert recorded["form_fields"]["company"] == "AXA Innovation"  # "Company name *", from the teammate's profile
    message = recorded["form_fields"]["message"]
    assert message.startswith("Hello, my name is Eduardo Paz from the Venture Clienting team at AXA Innovation.")
    assert "Wed 2 Dec, 09:30 (Europe/Helsinki) would work for me too" in message
    assert final.message_sent == message and final.person_name == "Lena Virta" and final.confirmed_slot == WED_9
    steps = [e.detail for e in service.events(final.id) if e.kind == "step"]
    assert steps[-1] == "Submitted on HubSpot Meetings: confirmed. You're booked with Lena Virta."


@pytest.mark.browser
def test_round_robin_link_records_the_host_hubspot_assigned(service, hubspot, hubspot_directory, teammate):
    """Mikko is first in the link, but only Nina is free at 10:00, the earliest time either has."""
    final = book(service, teammate, startup="Eta Foods")
    [recorded] = mine(hubspot, teammate)
    assert recorded["start"] == datetime(2026, 12, 2, 10, 0, tzinfo=HEL) and recorded["host_name"] == "Nina Aho"
    assert (final.status, final.person_name) == (BookingStatus.CONFIRMED, "Nina Aho")


@pytest.mark.browser
def test_offline_mode_requests_the_meeting_and_waits_for_confirmation(service, hubspot, hubspot_directory, teammate):
    final = book(service, teammate, startup="theta")
    assert final.status == BookingStatus.PENDING_CONFIRMATION
    [recorded] = mine(hubspot, teammate)
    assert (recorded["status"], recorded["host_name"]) == ("requested", "Olli Salo")
    assert recorded["start"] == datetime(2026, 12, 2, 12, 0, tzinfo=HEL) == final.proposed_slots[0]
    steps = [e.detail for e in service.events(final.id) if e.kind == "step"]
    assert "sent, waiting for confirmation. Meeting requested from Olli Salo" in steps[-1]


@pytest.mark.browser
def test_page_in_another_zone_is_switched_to_the_teammates_zone(service, clock, db, teammate, build):
    """The page shows New York times behind HubSpot's cookie banner; Booker picks Helsinki in the zone list."""
    from replicas.world import build_hubspot, hubspot_entries, seed_directory

    with build_hubspot(now=clock, display_timezone="America/New_York", cookie_banner=True, build=build) as site:
        seed_directory(db, hubspot_entries(site))
        final = book(service, teammate, startup="zeta")
        [recorded] = mine(site, teammate)
    assert recorded["start"] == WED_9 == final.confirmed_slot
    assert recorded["timezone"] == "Europe/Helsinki"  # the zone the page showed when the form was sent


@pytest.mark.browser
def test_blind_build_without_platform_hooks_is_booked(service, clock, db, teammate):
    """The blind build with no data-* hooks at all: everything is found by role, name, label and text."""
    from replicas.world import build_hubspot, hubspot_entries, seed_directory

    with build_hubspot(now=clock, build="blind", platform_hooks=False) as site:
        seed_directory(db, hubspot_entries(site))
        final = book(service, teammate, startup="zeta")
        [recorded] = mine(site, teammate)
    assert final.status == BookingStatus.CONFIRMED and recorded["start"] == WED_9 == final.confirmed_slot
    assert (recorded["host_name"], recorded["first_name"], recorded["last_name"]) == ("Lena Virta", "Eduardo", "Paz")


@pytest.mark.browser
def test_required_field_booker_cannot_answer_fails_naming_it(service, hubspot, hubspot_directory, teammate):
    hubspot.links["lena-zeta/intro"].fields.insert(1, HubSpotField("budget", "Budget range", required=True))
    final = book(service, teammate, startup="zeta")
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("The HubSpot Meetings form requires 'Budget range', which Booker can't answer")
    # the page when it stopped ("_questions.png" since unanswerable questions are asked of the teammate)
    assert Path(final.screenshots[-1]).name.endswith(("_failure.png", "_questions.png")) and mine(hubspot, teammate) == []


@pytest.mark.browser
def test_confirm_that_stays_disabled_fails_naming_the_field(service, hubspot, hubspot_directory, teammate):
    """"Company website" gets the company's name (the best guess from the profile); the page wants a
    URL, keeps Confirm disabled, and the reason names the field."""
    hubspot.links["lena-zeta/intro"].fields.insert(1, HubSpotField("website", "Company website", "url", required=True))
    final = book(service, teammate, startup="zeta")
    assert final.status == BookingStatus.FAILED
    assert final.error_message == "HubSpot keeps Confirm disabled: it doesn't accept 'Company website'"
    assert mine(hubspot, teammate) == []


@pytest.mark.browser
def test_slot_taken_before_submit_books_the_alternative_once(service, hubspot, hubspot_directory, teammate):
    hubspot.faults.take_slot_before_submit = True
    final = book(service, teammate, startup="zeta")
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(hubspot, teammate)
    assert recorded["start"] == WED_9 + timedelta(minutes=30) == final.confirmed_slot
    assert any("was just taken" in e.detail for e in service.events(final.id) if e.kind == "step")


@pytest.mark.browser
def test_info_step_that_never_renders_fails_naming_the_hook(service, hubspot, hubspot_directory, teammate):
    hubspot.faults.info_step_never_renders = True
    final = book(service, teammate, startup="zeta")
    assert final.status == BookingStatus.FAILED
    assert "The HubSpot Meetings page changed or did not finish loading: the 'Your information' form" in final.error_message


@pytest.mark.browser
def test_no_slot_in_the_window_fails_with_the_next_step(service, hubspot, hubspot_directory, teammate):
    hubspot.users["lena-zeta"].slots = []
    final = book(service, teammate, startup="zeta")
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("No common free time with Zeta Robotics before Tue 15 Dec (tried Lena Virta: nothing offered)")


@pytest.mark.parametrize("day, name", [(1, "December 1st"), (2, "December 2nd"), (3, "December 3rd"),
                                       (11, "December 11th"), (12, "December 12th"), (22, "December 22nd")])
def test_day_names_use_ordinals(day, name):
    assert day_name(datetime(2026, 12, day).date()) == name


@pytest.mark.parametrize("url", [
    "https://meetings.hubspot.com/lena", "https://meetings.hubspot.com/lena/intro?uuid=1234",
    "https://meetings-eu1.hubspot.com/lena/intro", "https://meetings-na2.hubspot.com/lena",
    "https://meetings.hubspot.com/lena?embed=true&firstName=Eduardo",
])
def test_registry_detects_hubspot_urls(url):
    assert detect_platform(url) is HubSpot


@pytest.mark.parametrize("url", [
    "https://meetings.hubspot.com.evil.example/lena", "https://meetings-hubspot.com/lena", "https://meetings.hubspot.co/lena",
    "https://app.hubspot.com/meetings/lena", "https://evil.example/meetings.hubspot.com/lena",
    "https://meetings-eu1.hubspot.com.evil.example/lena", "https://www.hubspot.com/products/sales/schedule-meeting",
])
def test_registry_rejects_hubspot_look_alikes(url):
    assert detect_platform(url) is None
