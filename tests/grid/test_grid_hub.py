"""The Selenium Grid hub dies mid-booking: the job is retried once the hub is back and books once, or, while the hub
stays down, fails saying which server doesn't answer — never lost, never sent twice; the doctor says the hub is down.

Booker talks only to the hub, so with the hub gone the running browser's commands fail ("the browser stopped
unexpectedly") and no new browser can start. A hub restarted on its address and event bus gets its nodes back
(they re-register), and the next retry gets a browser there.
"""
from __future__ import annotations

from typing import Iterator

import pytest

from booking.domain.states import BookingStatus
from booking.runtime.doctor_checks import urllib_http
from booking.runtime.doctor_grid import check_grid
from tests.grid.grid import SeleniumGrid, require_grid_jar
from tests.hardening.worlds import build_world

pytestmark = pytest.mark.browser
S = BookingStatus


@pytest.fixture
def grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeleniumGrid]:
    """A Grid of its own per test: the tests kill its hub."""
    require_grid_jar()
    with SeleniumGrid(tmp_path_factory.mktemp("grid")) as started:
        yield started


def hub_line(grid: SeleniumGrid) -> str:
    return check_grid(grid.hub_url, urllib_http).checks[0].line()


def test_a_hub_back_after_a_crash_gets_the_booking_retried_and_sent_once(settings, grid, db, clock, teammate):
    said_down: list[str] = []

    with build_world("calendly", db, settings.with_overrides(remote_webdriver_url=grid.hub_url), clock,
                     teammate) as world:
        def hub_dies_then_returns(booking, text):  # type: ignore[no-untyped-def]
            if text.startswith("Free ") and grid.hub is not None and grid.hub.poll() is None and not said_down:
                grid.kill_hub()  # mid-booking: the slots are read, nothing is sent yet
                said_down.append(hub_line(grid))
            elif text.startswith("Hit a problem, retrying (2/3): The browser could not start"):
                grid.start_hub()  # back before the last retry (the job waits here, so no timing is assumed)
                grid.wait_for(lambda status: len(grid.nodes_up(status)) == 2, "the nodes to re-register")

        world.notifier.on_step = hub_dies_then_returns
        final = world.book()
        told = world.notifier.told(final.id)
        booked = world.booked()
    assert said_down == [f"✗ Grid hub {grid.hub_url}: can't reach it ([Errno 111] Connection refused); start the hub "
                         "or fix BOOKER_REMOTE_WEBDRIVER_URL"]
    assert final.status == S.CONFIRMED, (final.error_message, told)
    assert len(booked) == 1 and final.retry_count == 2  # sent once, by the retry after the hub came back
    assert [t for t in told if t.startswith("Hit a problem")] == [
        "Hit a problem, retrying (1/3): The browser stopped unexpectedly (its driver is gone)",
        f"Hit a problem, retrying (2/3): The browser could not start: the WebDriver server at {grid.hub_url} "
        "doesn't answer (Connection refused)"]
    assert hub_line(grid).startswith(f"✓ Grid hub {grid.hub_url}: ready, 2 nodes up")


def test_a_hub_that_stays_down_fails_the_booking_with_the_reason(settings, grid, db, clock, teammate):
    with build_world("calendly", db, settings.with_overrides(remote_webdriver_url=grid.hub_url), clock,
                     teammate) as world:
        def hub_dies(booking, text):  # type: ignore[no-untyped-def]
            if text.startswith("Free ") and grid.hub is not None and grid.hub.poll() is None:
                grid.kill_hub()

        world.notifier.on_step = hub_dies
        final = world.book()
        booked = world.booked()
    assert final.status == S.FAILED and final.retry_count == 3
    assert final.error_message == (f"The browser could not start: the WebDriver server at {grid.hub_url} doesn't "
                                   "answer (Connection refused)")  # not "something went wrong on our side"
    assert booked == []  # nothing was sent: the teammate presses Retry once the hub is back
    assert hub_line(grid).startswith(f"✗ Grid hub {grid.hub_url}: can't reach it")
