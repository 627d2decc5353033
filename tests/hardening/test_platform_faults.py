"""The fault suite, on every platform: each fault injected into a real booking on real headless Chromium.

For each fault: no booking is lost (it ends booked, or failed with a reason the teammate reads), none
is made twice on the replica, retries stay within ``max_retries``, and every browser is quit (the
factory's count returns to zero and no process still holds a job's profile).
"""
from __future__ import annotations

import pytest

from booking.domain.states import BookingStatus
from tests.hardening.worlds import PLATFORMS, build_world

pytestmark = pytest.mark.browser
S = BookingStatus


@pytest.fixture(params=PLATFORMS)
def world(request, db, settings, clock, teammate):
    with build_world(request.param, db, settings, clock, teammate) as built:
        yield built


def booked_status(world) -> BookingStatus:
    return S.CONFIRMED if world.confirms else S.PENDING_CONFIRMATION


def assert_browsers_quit(world, started: int) -> None:
    assert world.browsers.live_sessions == 0 and world.browsers.drivers_started == started
    assert world.orphans() == [], "a browser process outlived its job"


def test_chromedriver_killed_mid_flow_is_retried_and_books_once(world):
    """chromedriver dies (OOM killer, crash) after the slots were read, before anything was sent."""
    killed: list[int] = []

    def kill_on_slots(booking, text):  # type: ignore[no-untyped-def]
        if not killed and text.startswith("Free "):
            killed.append(booking.id)
            world.browsers.pages[-1].driver.service.process.kill()

    world.notifier.on_step = kill_on_slots
    final = world.book()

    assert killed and final.status == booked_status(world), final.error_message
    assert final.retry_count == 1 and len(world.booked()) == 1
    assert any(text.startswith("Hit a problem, retrying (1/3): The browser") for text in world.notifier.told(final.id))
    assert_browsers_quit(world, started=2)


def test_page_that_never_finishes_loading_fails_after_bounded_retries(world):
    world.browsers.settings = world.browsers.settings.with_overrides(page_load_timeout=1.5)
    world.hang_first_page()
    final = world.book()

    assert final.status == S.FAILED
    assert final.retry_count == final.max_retries == 3
    assert "page did not finish loading" in final.error_message
    assert world.booked() == []
    told = world.notifier.told(final.id)
    assert [t for t in told if t.startswith("Hit a problem, retrying")] == [
        f"Hit a problem, retrying ({n}/3): {final.error_message}" for n in (1, 2, 3)]
    assert world.notifier.updates[-1].status == S.FAILED  # the booking message says so
    assert_browsers_quit(world, started=4)


def test_an_element_that_never_appears_fails_naming_the_hook(world):
    world.break_hook()
    final = world.book()

    assert final.status == S.FAILED and final.retry_count == 0  # a changed page is not worth a retry
    assert "changed or did not finish loading" in final.error_message
    assert world.hook in final.error_message and final.error_message.endswith("did not appear")
    assert final.screenshots[-1].endswith("_failure.png")
    assert world.booked() == []
    assert world.notifier.updates[-1].status == S.FAILED
    assert_browsers_quit(world, started=1)


def test_slot_taken_between_choice_and_submit_books_the_next_slot_once(world):
    world.take_slots(1)
    final = world.book()

    assert final.status == booked_status(world), final.error_message
    [booked] = world.booked()
    assert final.retry_count == 0 and len(final.proposed_slots) == 1  # the taken time is no alternative any more
    assert any("was just taken" in text and "trying the other time" in text for text in world.notifier.told(final.id))
    assert_browsers_quit(world, started=1)


def test_both_slots_taken_fails_without_trying_a_third(world):
    world.take_slots(2)
    final = world.book()

    assert final.status == S.FAILED and final.retry_count == 0
    assert world.booked() == []
    assert "may already have been sent" not in final.error_message  # the page said no: nothing was booked
    assert sum("was just taken" in text for text in world.notifier.told(final.id)) == 1
    assert world.notifier.updates[-1].status == S.FAILED
    assert_browsers_quit(world, started=1)


# Chrome's own words when an element's document is replaced mid-command (SeleniumHQ/selenium#15401).
REPLACED = 'unknown error: unhandled inspector error: {"code":-32000,"message":"Node with given id does not belong to the document"}'
ELEMENT_COMMANDS = ("findElement", "findElements", "getElementText", "w3cExecuteScript", "sendKeysToElement")


def test_chromes_replaced_document_error_after_sending_is_looked_at_again(world):
    """While the startup's answer replaces the page, Chrome sometimes reports a read with an
    inspector error instead of "stale element" (seen in CI after a custom page's last submit): the
    first command of each kind answered once the form reached the startup gets it (also the read that was
    under way while the page moved to the answer: Slush's last read can be that one), and the booking goes on."""
    from selenium.common.exceptions import WebDriverException

    injected: list[str] = []
    create_driver = world.browsers.create_driver

    def driver_racing_the_answer(job_tag, timezone=None):  # type: ignore[no-untyped-def]
        driver = create_driver(job_tag, timezone)
        execute = driver.execute

        def execute_during_the_answer(command, params=None):  # type: ignore[no-untyped-def]
            if command not in ELEMENT_COMMANDS or command in injected:
                return execute(command, params)
            if world.booked():
                injected.append(command)
                raise WebDriverException(REPLACED)
            result = execute(command, params)
            if world.booked():  # sent before the startup had the form, answered after: it raced the answer
                injected.append(command)
                raise WebDriverException(REPLACED)
            return result

        driver.execute = execute_during_the_answer
        return driver

    world.browsers.create_driver = driver_racing_the_answer
    final = world.book()

    assert final.status == booked_status(world), final.error_message
    assert injected and len(world.booked()) == 1
    assert final.retry_count == 0
    assert_browsers_quit(world, started=1)
