"""Booking widgets on a startup's own page: found, entered (iframe, or the widget's own URL), booked."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.platforms.embed import EmbeddedWidget
from booking.platforms.http import UrllibHttp
from booking.platforms.registry import detect_platform, get_platform
from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput
from replicas.startup_site import (
    StartupSite, calcom_inline, calcom_popup_button, calendly_inline, chilipiper_concierge, hubspot_container,
)
from tests.helpers import eventually

HEL = ZoneInfo("Europe/Helsinki")
WED_9 = datetime(2026, 12, 2, 9, 0, tzinfo=HEL)
pytestmark = pytest.mark.browser


@pytest.fixture
def site():
    with StartupSite() as server:
        yield server


@pytest.fixture
def calcom(clock, build):
    from replicas.world import build_calcom

    with build_calcom(now=clock, build=build) as server:
        yield server


@pytest.fixture
def hubspot(clock, build):
    from replicas.world import build_hubspot

    with build_hubspot(now=clock, build=build) as server:
        yield server


@pytest.fixture
def chilipiper(clock, build):
    from replicas.world import build_chilipiper

    with build_chilipiper(now=clock, build=build) as server:
        yield server


def book_page(service, db, teammate, name, url, platform="embed", people=()):
    from replicas.world import seed_directory

    seed_directory(db, [{"name": name, "platform": platform, "booking_url": url, "people": list(people)}])
    view = service.request_booking(BookingRequestInput(teammate=teammate, startup=name))
    service.start(view.id)
    assert service.runner.wait_idle(120)
    return service.get(view.id)


def posted(site, kind):
    """The widget told the startup's page (window.postMessage), as only a booking inside the iframe can."""
    return eventually(lambda: kind in site.message_kinds(), 10, f"the widget's {kind!r} message to the page")


def row(service, booking_id):
    with service.db.session() as session:
        return session.get_one(MeetingBookingRequest, booking_id)


def test_calendly_inline_widget_is_booked_inside_its_iframe_past_the_sites_cookie_banner(
        service, db, site, calendly, teammate):
    url = site.add_page("/meet", "Acme Robotics", calendly_inline(calendly.event_url("alice-acme", "intro")), cookie_banner=True)
    final = book_page(service, db, teammate, "Acme Robotics", url, people=[{"name": "Alice Smith"}])

    assert final.status == BookingStatus.CONFIRMED
    [recorded] = calendly.bookings
    assert (recorded["host_name"], recorded["email"], recorded["start_time"]) == ("Alice Smith", teammate.email, WED_9)
    assert next(iter(recorded["answers"].values())).startswith("Hello, my name is Eduardo Paz")
    stored = row(service, final.id)
    assert stored.booking_platform == "calendly" and stored.booking_url == url  # whose widget it was; the page stays
    # the confirmation page inside the iframe (its URL shape is [U]: it carries the invitee)
    assert calendly.bookings[0]["invitee_uuid"] in stored.status_url
    assert posted(site, "calendly.event_scheduled")
    steps = [e.detail for e in service.events(final.id) if e.kind == "step"]
    assert steps[0] == "Opened the Calendly page of Acme Robotics"


def test_calendly_widget_without_its_script_is_followed_to_its_url(service, db, site, calendly, teammate):
    widget = calendly_inline(calendly.event_url("alice-acme", "intro"))
    url = site.add_page("/meet", "Acme Robotics", widget, script_blocked=True)
    final = book_page(service, db, teammate, "Acme Robotics", url)
    assert final.status == BookingStatus.CONFIRMED
    assert calendly.bookings[0]["start_time"] == WED_9
    assert site.message_kinds() == []  # booked on Calendly's own page, not inside the startup's


def test_startup_configured_as_calendly_with_its_own_page_finds_the_widget(service, db, site, calendly, teammate):
    """The directory names the platform but gives the startup's page: the Calendly module steps in itself."""
    url = site.add_page("/book", "Acme Robotics", calendly_inline(calendly.event_url("alice-acme", "intro")))
    final = book_page(service, db, teammate, "Acme Robotics", url, platform="calendly")
    assert final.status == BookingStatus.CONFIRMED and calendly.bookings[0]["host_name"] == "Alice Smith"


def test_cal_com_inline_embed_that_requires_confirmation_stays_pending(service, db, site, calcom, teammate):
    url = site.add_page("/contact", "Delta Energy", calcom_inline(calcom.url, "erik-delta/meet"))
    final = book_page(service, db, teammate, "Delta Energy", url)

    assert final.status == BookingStatus.PENDING_CONFIRMATION
    [recorded] = [b for b in calcom.bookings if b["email"] == teammate.email]
    assert (recorded["status"], recorded["host_name"]) == ("pending", "Erik Lund")
    assert recorded["start"] == datetime(2026, 12, 2, 10, 0, tzinfo=HEL) and final.external_booking_id == recorded["uid"]
    stored = row(service, final.id)
    assert stored.booking_platform == "calcom" and stored.status_url == f"{calcom.url}/booking/{recorded['uid']}"
    # what the confirmation monitor will do with the stored row:
    status = get_platform(stored.booking_platform).remote_status(stored.external_booking_id, stored.status_url, UrllibHttp(5))
    assert status is not None and status.state == "pending"
    assert posted(site, "bookingSuccessfulV2")


def test_cal_com_popup_button_is_followed_to_its_link(service, db, site, calcom, teammate):
    url = site.add_page("/", "Gamma AI", calcom_popup_button(calcom.url, "dana-gamma/intro"))
    final = book_page(service, db, teammate, "Gamma AI", url)
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = [b for b in calcom.bookings if b["email"] == teammate.email]
    assert (recorded["host_name"], recorded["start"]) == ("Dana Berg", WED_9)


def test_hubspot_meetings_container_is_booked_inside_its_iframe(service, db, site, hubspot, teammate):
    url = site.add_page("/demo", "Zeta Robotics", hubspot_container(hubspot.link_url("lena-zeta/intro")))
    final = book_page(service, db, teammate, "Zeta Robotics", url)
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = [b for b in hubspot.bookings if b["email"] == teammate.email]
    assert (recorded["host_name"], recorded["start"]) == ("Lena Virta", WED_9)
    assert recorded["form_fields"]["message"].startswith("Hello, my name is Eduardo Paz")
    assert row(service, final.id).booking_platform == "hubspot"
    assert posted(site, "meetingBookSucceeded")


def test_chili_piper_concierge_router_in_its_iframe(service, db, site, chilipiper, teammate):
    """The router's iframe passes timezone=UTC, so the page shows UTC; the instant is still exact."""
    frame = chilipiper.router_frame_url("kappa-inbound", source_url="https://kappa.example/demo")
    url = site.add_page("/demo", "Kappa Cloud", chilipiper_concierge(frame))
    final = book_page(service, db, teammate, "Kappa Cloud", url)

    assert final.status == BookingStatus.CONFIRMED
    [recorded] = [b for b in chilipiper.bookings if b["email"] == teammate.email]
    assert (recorded["assignee_name"], recorded["trigger"], recorded["timezone"]) == ("Rasmus Holm", "ThirdPartyForm", "UTC")
    assert recorded["start"] == datetime(2026, 12, 2, 15, 0, tzinfo=HEL) == final.confirmed_slot
    assert recorded["answers"]["Company"] == "AXA Innovation"
    assert posted(site, "booking-confirmed")


def test_page_without_a_known_widget_fails_naming_what_was_looked_for(service, db, site, teammate):
    from replicas.startup_site import Snippet

    url = site.add_page("/contact", "Mu Labs", Snippet('<form><input name="email"><button>Contact us</button></form>'))
    final = book_page(service, db, teammate, "Mu Labs", url)
    assert final.status == BookingStatus.FAILED
    assert final.error_message == (
        f"No booking widget (Calendly, Cal.com, HubSpot Meetings or Chili Piper) appeared on {url}; "
        "give Booker the widget's own booking link, or add a recipe for this page")


@pytest.mark.parametrize("url", ["https://acme.example/meet", "https://calendly.com.acme.example/meet"])
def test_embed_platform_has_no_url_shape_of_its_own(url):
    assert detect_platform(url) is None and issubclass(get_platform("embed"), EmbeddedWidget)
