"""Chili Piper end to end through the service, on real headless Chromium against the replica."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking.platforms import detect_platform
from booking.platforms.chilipiper import ChiliPiper, parse_day_id
from booking.service import BookingRequestInput
from booking.states import BookingStatus
from replicas.chilipiper import ChiliPiperField

HEL = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def chilipiper(clock):
    from replicas.world import build_chilipiper

    with build_chilipiper(now=clock) as site:
        yield site


@pytest.fixture
def chilipiper_directory(db, chilipiper):
    from replicas.world import chilipiper_entries, seed_directory

    entries = chilipiper_entries(chilipiper)
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
def test_booking_link_fills_the_guest_form_first_and_records_the_assigned_rep(
        service, chilipiper, chilipiper_directory, teammate):
    """Iota's link is round robin (Pia, then Quentin); only Quentin has 09:00, the earliest time."""
    final = book(service, teammate, startup="iota")

    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(chilipiper, teammate)
    assert (recorded["first_name"], recorded["last_name"], recorded["assignee_name"]) == ("Eduardo", "Paz", "Quentin Moreau")
    assert recorded["start"] == datetime(2026, 12, 2, 9, 0, tzinfo=HEL) == final.confirmed_slot
    message = recorded["answers"]["What would you like to discuss?"]
    assert message.startswith("Hello, my name is Eduardo Paz from the Venture Clienting team at AXA Innovation.")
    assert "would work for me too" not in message  # the form comes before any time is chosen
    assert final.message_sent == message and final.person_name == "Quentin Moreau"
    names = [Path(p).name for p in final.screenshots]
    assert names == ["01_page_loaded.png", "02_form_filled.png", "03_slots_found.png", "04_slot_selected.png",
                     "05_submitted.png"]


@pytest.mark.browser
def test_concierge_router_takes_the_schedule_a_meeting_choice(service, chilipiper, chilipiper_directory, teammate):
    final = book(service, teammate, startup="Kappa Cloud")
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(chilipiper, teammate)
    assert recorded["assignee_name"] == "Rasmus Holm" and recorded["answers"]["Company"] == "AXA Innovation"
    assert recorded["start"] == datetime(2026, 12, 2, 15, 0, tzinfo=HEL)
    assert recorded["answers"]["What would you like to discuss?"].startswith("Hello, my name is Eduardo Paz")


@pytest.mark.browser
def test_next_week_navigation_reaches_later_times(service, chilipiper, chilipiper_directory, teammate):
    for user in chilipiper.users.values():
        user.slots = [s + timedelta(days=7) for s in user.slots]
    final = book(service, teammate, startup="iota")
    [recorded] = mine(chilipiper, teammate)
    assert recorded["start"] == datetime(2026, 12, 9, 9, 0, tzinfo=HEL) == final.confirmed_slot


@pytest.mark.browser
def test_zone_label_of_another_zone_is_read_and_the_instant_is_exact(service, clock, db, teammate):
    """New York times behind a cookie banner: the label reads "Eastern Standard Time (03:00 AM)"."""
    from replicas.world import build_chilipiper, chilipiper_entries, seed_directory

    with build_chilipiper(now=clock, display_timezone="America/New_York", cookie_banner=True) as site:
        seed_directory(db, chilipiper_entries(site))
        final = book(service, teammate, startup="iota")
        [recorded] = mine(site, teammate)
    assert recorded["start"] == datetime(2026, 12, 2, 9, 0, tzinfo=HEL) == final.confirmed_slot
    assert recorded["timezone"] == "America/New_York"


@pytest.mark.browser
def test_slot_taken_before_submit_books_the_alternative_once(service, chilipiper, chilipiper_directory, teammate):
    chilipiper.faults.take_slot_before_submit = True
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(chilipiper, teammate)
    assert recorded["start"] == datetime(2026, 12, 2, 9, 30, tzinfo=HEL) == final.confirmed_slot
    assert any("was just taken" in e.detail for e in service.events(final.id) if e.kind == "step")


@pytest.mark.browser
def test_required_field_booker_cannot_answer_fails_naming_it(service, chilipiper, chilipiper_directory, teammate):
    chilipiper.links["book/iota-intro"].fields.insert(0, ChiliPiperField("Annual revenue", required=True, name="a1b2"))
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.FAILED
    assert final.error_message == "The Chili Piper form requires 'Annual revenue', which Booker can't answer"
    assert Path(final.screenshots[-1]).name.endswith("_failure.png") and mine(chilipiper, teammate) == []


@pytest.mark.browser
def test_router_that_never_answers_fails_naming_the_hook(service, chilipiper, chilipiper_directory, teammate):
    chilipiper.faults.calendar_never_renders = True
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.FAILED
    assert "The Chili Piper page changed or did not finish loading: the calendar after the guest form" in final.error_message


@pytest.mark.browser
def test_no_slot_in_the_window_fails_with_the_next_step(service, chilipiper, chilipiper_directory, teammate):
    for user in chilipiper.users.values():
        user.slots = []
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("No common free time with Iota Security before Tue 15 Dec")


def test_day_ids_are_read_as_dates():
    assert parse_day_id("days:Dec/Wed Dec 02 2026 00:00:00 GMT+0200") == date(2026, 12, 2)
    assert parse_day_id("days:Oct/Fri Oct 31 2025") == date(2025, 10, 31)
    assert parse_day_id("nothing") is None


@pytest.mark.parametrize("url", [
    "https://acme.chilipiper.com/book/intro-call", "https://acme.na.chilipiper.com/book/intro-call",
    "https://acme.chilipiper.com/book/me/pia-nurmi?type=intro", "https://acme.chilipiper.com/me/pia-nurmi/intro",
    "https://calendar.chilipiper.com/me/pia-nurmi/intro", "https://acme.chilipiper.com/concierge-router/link/inbound",
    "https://acme.chilipiper.com/concierge-router/inbound?trigger=ThirdPartyForm&timezone=UTC",
])
def test_registry_detects_chili_piper_urls(url):
    assert detect_platform(url) is ChiliPiper


@pytest.mark.parametrize("url", [
    "https://acme.chilipiper.com.evil.example/book/intro", "https://evilchilipiper.com/book/intro",
    "https://acme.chilipiper.co/book/intro", "https://www.chilipiper.com/pricing", "https://help.chilipiper.com/hc/en-us",
    "https://chilipiper.com/book/intro", "https://acme.chilipiper.com/book/reschedule",
    "https://evil.example/acme.chilipiper.com/book/intro",
])
def test_registry_rejects_chili_piper_look_alikes(url):
    assert detect_platform(url) is None
