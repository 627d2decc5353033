"""Chili Piper end to end through the service, on real headless Chromium against the replica."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.platforms.chilipiper import ChiliPiper
from booking.platforms.registry import detect_platform
from booking.workflow.requests import BookingRequestInput
from replicas.chilipiper import ChiliPiperField

HEL = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def chilipiper(clock, build):
    from replicas.world import build_chilipiper

    with build_chilipiper(now=clock, build=build) as site:
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
    assert final.message_sent == message and final.person_name == "Quentin Moreau"
    names = [Path(p).name for p in final.screenshots]
    if names[1] == "02_form_filled.png":  # the page asked for the form first: no time to name yet
        assert "would work for me too" not in message
        assert names == ["01_page_loaded.png", "02_form_filled.png", "03_slots_found.png", "04_slot_selected.png",
                         "05_submitted.png"]
    else:  # the calendar first, the form after the time: the message offers the alternative
        assert "Wed 2 Dec, 09:30 (Europe/Helsinki) would work for me too" in message
        assert names == ["01_page_loaded.png", "02_slots_found.png", "03_slot_selected.png", "04_form_filled.png",
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
def test_zone_label_of_another_zone_is_read_and_the_instant_is_exact(service, clock, db, teammate, build):
    """New York times behind a cookie banner: the label reads "Eastern Standard Time (03:00 AM)"."""
    from replicas.world import build_chilipiper, chilipiper_entries, seed_directory

    with build_chilipiper(now=clock, build=build, display_timezone="America/New_York", cookie_banner=True) as site:
        seed_directory(db, chilipiper_entries(site))
        final = book(service, teammate, startup="iota")
        [recorded] = mine(site, teammate)
    assert recorded["start"] == datetime(2026, 12, 2, 9, 0, tzinfo=HEL) == final.confirmed_slot
    assert recorded["timezone"] == "America/New_York"


@pytest.mark.browser
def test_blind_build_without_platform_hooks_books_by_what_a_person_sees(service, clock, db, teammate):
    """No data-* hooks at all: the booking link (calendar, then the form) and the router (form, choice,
    calendar, review) are both booked by roles, names and labels."""
    from replicas.world import build_chilipiper, chilipiper_entries, seed_directory

    with build_chilipiper(now=clock, build="blind", platform_hooks=False) as site:
        seed_directory(db, chilipiper_entries(site))
        link = book(service, teammate, startup="iota")
        router = book(service, teammate, startup="kappa")
        recorded = {b["assignee_name"]: b for b in mine(site, teammate)}
    assert (link.status, router.status) == (BookingStatus.CONFIRMED, BookingStatus.CONFIRMED), \
        (link.error_message, router.error_message)
    assert recorded["Quentin Moreau"]["start"] == datetime(2026, 12, 2, 9, 0, tzinfo=HEL) == link.confirmed_slot
    assert recorded["Rasmus Holm"]["start"] == datetime(2026, 12, 2, 15, 0, tzinfo=HEL) == router.confirmed_slot
    assert recorded["Rasmus Holm"]["answers"]["Company"] == "AXA Innovation"
    assert (link.person_name, router.person_name) == ("Quentin Moreau", "Rasmus Holm")


@pytest.mark.browser
def test_form_without_a_message_field_is_booked_and_the_thread_says_so(service, chilipiper, chilipiper_directory,
                                                                       teammate):
    chilipiper.links["book/iota-intro"].fields.clear()  # name, e-mail, phone only: no free-text question
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.CONFIRMED, final.error_message
    [recorded] = mine(chilipiper, teammate)
    assert recorded["start"] == datetime(2026, 12, 2, 9, 0, tzinfo=HEL) == final.confirmed_slot
    assert not any(value.startswith("Hello, my name is") for value in recorded["answers"].values())
    [filled] = [e.detail for e in service.events(final.id) if e.kind == "step" and "Filled in" in e.detail]
    assert "has no message field: booking without the intro" in filled


@pytest.mark.browser
def test_reviewed_router_booking_is_resumed_through_the_guest_form(service, chilipiper, chilipiper_directory, teammate):
    """Approve after a review reopens the router: its guest form comes again before the calendar."""
    from booking.workflow.controls import BookingControls

    paused = book(service, teammate, startup="kappa", review_before_submit=True)
    assert paused.status == BookingStatus.AWAITING_REVIEW and mine(chilipiper, teammate) == []
    BookingControls(service).approve_review(paused.id, teammate.user_id)
    assert service.runner.wait_idle(120)
    final = service.get(paused.id)
    assert final.status == BookingStatus.CONFIRMED, final.error_message
    [recorded] = mine(chilipiper, teammate)
    assert recorded["start"] == datetime(2026, 12, 2, 15, 0, tzinfo=HEL) == final.confirmed_slot
    assert recorded["answers"]["What would you like to discuss?"].startswith("Hello, my name is Eduardo Paz")


@pytest.mark.browser
def test_slot_taken_before_submit_books_the_alternative_once(service, chilipiper, chilipiper_directory, teammate):
    chilipiper.faults.take_slot_before_submit = True
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.CONFIRMED, final.error_message
    [recorded] = mine(chilipiper, teammate)
    assert recorded["start"] == datetime(2026, 12, 2, 9, 30, tzinfo=HEL) == final.confirmed_slot
    assert any("was just taken" in e.detail for e in service.events(final.id) if e.kind == "step")


@pytest.mark.browser
def test_required_field_booker_cannot_answer_fails_naming_it(service, chilipiper, chilipiper_directory, teammate):
    chilipiper.links["book/iota-intro"].fields.insert(0, ChiliPiperField("Annual revenue", required=True, name="a1b2"))
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("The Chili Piper form requires 'Annual revenue', which Booker can't answer")
    # the page when it stopped ("_questions.png" since unanswerable questions are asked of the teammate)
    assert Path(final.screenshots[-1]).name.endswith(("_failure.png", "_questions.png")) and mine(chilipiper, teammate) == []


@pytest.mark.browser
def test_router_that_never_answers_fails_naming_the_hook(service, chilipiper, chilipiper_directory, teammate):
    chilipiper.faults.calendar_never_renders = True
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.FAILED
    # names the calendar that never came: after the guest form (a form-first page), or its days (calendar first)
    assert final.error_message.startswith("The Chili Piper page changed or did not finish loading: the ")
    assert "calendar" in final.error_message.split(": ", 1)[1].split(" (")[0]


@pytest.mark.browser
def test_no_slot_in_the_window_fails_with_the_next_step(service, chilipiper, chilipiper_directory, teammate):
    for user in chilipiper.users.values():
        user.slots = []
    final = book(service, teammate, startup="iota")
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("No common free time with Iota Security before Tue 15 Dec")


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
