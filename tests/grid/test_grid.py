"""Bookings through a real Selenium Grid (hub + two nodes on 127.0.0.1), including a node killed mid-booking.

Booker talks to the hub only (``BOOKER_REMOTE_WEBDRIVER_URL``); the hub places each browser on a node.
Each node takes one browser at a time here, so two bookings at once must use both nodes. When a node
dies mid-booking the job's browser is gone: the job is retried on the other node and books once, or —
had the booking possibly been sent — fails saying so. Never lost, never sent twice.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest

from booking.domain.states import BookingStatus
from booking.workflow.requests import BookingRequestInput
from tests.grid.grid import SeleniumGrid, require_grid_jar
from tests.hardening.worlds import build_world

pytestmark = pytest.mark.browser
S = BookingStatus


@pytest.fixture(scope="module")
def selenium_grid(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeleniumGrid]:
    require_grid_jar()
    with SeleniumGrid(tmp_path_factory.mktemp("grid")) as grid:
        yield grid


@pytest.fixture
def grid_settings(settings, selenium_grid):
    selenium_grid.wait_for(lambda s: len(selenium_grid.nodes_up(s)) == len([n for n in selenium_grid.nodes if n.alive]),
                           "the live nodes to be up")
    return settings.with_overrides(remote_webdriver_url=selenium_grid.hub_url)


def screenshots_of(settings, booking_id: int) -> list[Path]:
    return sorted(Path(settings.screenshot_dir).glob(f"{booking_id}/*.png"))


def test_a_booking_through_the_grid_keeps_screenshots_zone_and_page_checks(grid_settings, db, clock, teammate):
    with build_world("calendly", db, grid_settings, clock, teammate) as world:
        final = world.book()
        assert final.status == S.CONFIRMED, final.error_message
        [booked] = world.booked()
    assert booked["name"] == teammate.name
    assert booked["timezone"] == "Europe/Helsinki"  # the zone emulation reached the node's browser (CDP over the hub)
    shots = screenshots_of(grid_settings, final.id)
    assert len(shots) >= 3 and all(p.stat().st_size > 1000 for p in shots)  # real PNGs from the node's browser
    assert world.browsers.job_tags == []  # the node owns its browser's profile and clean-up


def test_two_bookings_at_once_run_on_both_nodes(grid_settings, selenium_grid, db, clock, teammate):
    used: dict[int, str] = {}

    with build_world("calcom", db, grid_settings, clock, teammate) as world:
        def note_node(booking, text):  # type: ignore[no-untyped-def]
            if booking.id in used:
                return
            for page in list(world.browsers.pages):
                node = selenium_grid.node_of(page.driver.session_id)
                if node is not None and node.url not in used.values():
                    used[booking.id] = node.url
                    return

        world.notifier.on_step = note_node
        first = world.request()
        world.service.start(first.id)
        colleague = replace(world.teammate, name="Mia Lund", email="mia.lund@axa-innovation.example", user_id="U0MIA")
        second = world.service.request_booking(BookingRequestInput(teammate=colleague, startup=world.startup))
        world.service.start(second.id)
        assert world.service.runner.wait_idle(240)
        finals = [world.service.get(first.id), world.service.get(second.id)]
        assert all(f.status in (S.CONFIRMED, S.PENDING_CONFIRMATION) for f in finals), [f.error_message for f in finals]
        emails = sorted(row.get("email") for row in world.replica.bookings)
    assert emails == sorted([teammate.email, "mia.lund@axa-innovation.example"])
    assert len(set(used.values())) == 2, f"both bookings ran on one node: {used}"


def test_a_node_killed_mid_booking_retries_on_the_other_node_and_books_once(grid_settings, selenium_grid, db,
                                                                           clock, teammate):
    killed: list[str] = []

    with build_world("calendly", db, grid_settings, clock, teammate) as world:
        def kill_on_slots(booking, text):  # type: ignore[no-untyped-def]
            if not killed and text.startswith("Free "):
                node = selenium_grid.node_of(world.browsers.pages[-1].driver.session_id)
                assert node is not None, "the hub does not know the session's node"
                killed.append(node.url)
                selenium_grid.kill_node(node)

        world.notifier.on_step = kill_on_slots
        final = world.book()
        told = world.notifier.told(final.id)
        booked = world.booked()
    assert killed, "the booking never reached its slots"
    assert final.status == S.CONFIRMED, final.error_message
    assert final.retry_count == 1 and len(booked) == 1
    assert any(t.startswith("Hit a problem, retrying (1/3): The browser") for t in told), told
    assert not [n for n in selenium_grid.nodes if n.url == killed[0] and n.alive]
