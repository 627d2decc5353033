"""Faults in the browser layer: a crashed driver, a page that never loads, a remote endpoint."""
from __future__ import annotations

from contextlib import contextmanager

import psutil
import pytest
from selenium.webdriver.chrome.service import Service

from booking.browser import ChromeFactory
from booking.notify import NullNotifier
from booking.service import BookingRequestInput
from booking.states import BookingStatus

pytestmark = pytest.mark.browser


def book(service, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(180)
    return service.get(view.id)


def processes_using(profile_dirs: list[str]) -> list[int]:
    """Live processes started with one of these browser profiles (other test runs' browsers don't count)."""
    markers = {f"--user-data-dir={d}" for d in profile_dirs}
    return [p.pid for p in psutil.process_iter(["cmdline"]) if markers & set(p.info["cmdline"] or [])]


class KillDriverOnce(NullNotifier):
    """Kills chromedriver the first time slots are listed, as an OOM killer or a crash would."""

    def __init__(self, factory: "RecordingFactory") -> None:
        self.factory = factory
        self.killed = False

    def step(self, booking, text, screenshot=None):  # type: ignore[no-untyped-def]
        if not self.killed and text.startswith("Free "):  # the slots step, before anything is filled in
            self.killed = True
            self.factory.pages[-1].driver.service.process.kill()


class RecordingFactory(ChromeFactory):
    def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.pages = []
        self.profile_dirs: list[str] = []

    def create_driver(self, profile_dir):  # type: ignore[no-untyped-def]
        self.profile_dirs.append(profile_dir)
        return super().create_driver(profile_dir)

    @contextmanager
    def session(self, booking_key, label="booking"):  # type: ignore[no-untyped-def]
        with super().session(booking_key, label) as page:
            self.pages.append(page)
            yield page


def test_chromedriver_killed_mid_flow_is_retried_once_and_books_once(service, calendly, directory, teammate, settings):
    factory = RecordingFactory(settings)
    killer = KillDriverOnce(factory)
    service.browsers = factory
    service.notifiers = lambda view: killer
    final = book(service, teammate, startup="acme")
    assert killer.killed
    assert final.status == BookingStatus.CONFIRMED and final.retry_count == 1
    assert len(calendly.bookings) == 1
    assert factory.live_sessions == 0 and factory.drivers_started == 2
    assert len(factory.profile_dirs) == 2 and processes_using(factory.profile_dirs) == [], "orphaned browsers"
    details = [e.detail for e in service.events(final.id) if e.kind == "status"]
    assert any(d.startswith("Retrying (1/3): The browser") for d in details)


def test_page_that_never_finishes_loading_fails_after_bounded_retries(service, calendly, directory, teammate, settings):
    calendly.faults.hang_booking_page = True
    service.settings = settings.with_overrides(page_load_timeout=1.5)
    service.browsers = ChromeFactory(service.settings)
    from replicas.world import seed_directory

    seed_directory(service.db, [dict(directory[1])])  # Beta Health: its booking page is the first page loaded
    final = book(service, teammate, startup="beta")
    assert final.status == BookingStatus.FAILED
    assert final.retry_count == final.max_retries == 3
    assert "did not finish loading" in final.error_message
    assert calendly.bookings == [] and service.browsers.live_sessions == 0


def test_remote_webdriver_endpoint_books_like_the_local_driver(service, calendly, directory, teammate, settings):
    """Selenium Grid path: chromedriver's own W3C server stands in for the grid."""
    endpoint = Service("/usr/bin/chromedriver")
    endpoint.start()
    try:
        service.settings = settings.with_overrides(remote_webdriver_url=endpoint.service_url)
        service.browsers = ChromeFactory(service.settings)
        final = book(service, teammate, startup="acme")
    finally:
        endpoint.stop()
    assert final.status == BookingStatus.CONFIRMED
    assert calendly.bookings[0]["name"] == "Eduardo Paz"
    assert calendly.bookings[0]["timezone"] == "Europe/Helsinki"  # the zone override reached the remote browser
