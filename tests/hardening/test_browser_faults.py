"""The browser layer's scale-out path: a remote W3C endpoint (Selenium Grid) instead of a local driver.

The other browser faults (a killed chromedriver, a page that never loads, a missing element, a taken
slot) run on every platform in ``test_platform_faults.py``.
"""
from __future__ import annotations

import pytest
from selenium.webdriver.chrome.service import Service

from booking.browser.chrome import ChromeFactory
from booking.domain.states import BookingStatus
from tests.hardening.worlds import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def grid(settings):
    """chromedriver's own W3C server stands in for the grid."""
    endpoint = Service("/usr/bin/chromedriver")
    endpoint.start()
    yield settings.with_overrides(remote_webdriver_url=endpoint.service_url)
    endpoint.stop()


@pytest.mark.parametrize("platform", ["calendly", "embed"])
def test_remote_webdriver_endpoint_books_like_the_local_driver(platform, grid, db, clock, teammate):
    """Calendly, and Chili Piper's concierge router inside a startup page's iframe (CDP zone override,
    frame switching and the location checks all go through the remote endpoint)."""
    with build_world(platform, db, grid, clock, teammate) as world:
        assert isinstance(world.browsers, ChromeFactory) and world.browsers.settings.remote_webdriver_url
        final = world.book()
        assert final.status == BookingStatus.CONFIRMED, final.error_message
        [booked] = world.booked()
        assert world.browsers.job_tags == []  # the grid owns the browser, its profile and its clean-up
    if platform == "calendly":
        assert booked["name"] == "Eduardo Paz"
        assert booked["timezone"] == "Europe/Helsinki"  # the zone override reached the remote browser
    else:
        assert booked["assignee_name"] == "Rasmus Holm" and booked["answers"]["Company"] == "AXA Innovation"
        assert "booking-confirmed" in world.extra["startup_site"].message_kinds()  # booked inside the iframe
