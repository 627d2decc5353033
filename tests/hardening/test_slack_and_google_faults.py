"""Slack and Google faults around a real booking, on every platform.

Slack answers 429 or 500 (or is down), Slack delivers the same command twice (a Socket Mode
envelope retried with ``retry_attempt``), a teammate double-clicks Retry, Google answers 429/500
on free/busy and on event creation, or creates the event and loses the answer (the retry then
gets 409). Each time: the booking is made once on the replica, the calendar has one event, the
teammate's thread says what happened, and every retry is bounded.
"""
from __future__ import annotations

import threading
from urllib.parse import parse_qsl

import pytest
from slack_bolt.adapter.socket_mode.internals import run_bolt_app
from slack_sdk.socket_mode.request import SocketModeRequest

from booking.domain.states import BookingStatus
from bot import ids
from bot.app import build_app
from bot.blocks.booking import headline
from bot.client import make_client
from bot.notifier import slack_notifiers
from replicas.slack_requests import slash_command
from replicas.studio import PHONE
from tests.bot.kit import click, command, replies
from tests.google.conftest import TEAMMATE_EMAIL, FakeTimer, google, key_file, retry, timer  # noqa: F401 (fixtures)
from tests.hardening.worlds import PLATFORMS, build_world
from tests.helpers import eventually, settled

pytestmark = pytest.mark.browser
S = BookingStatus


def booked_status(world) -> BookingStatus:  # type: ignore[no-untyped-def]
    return S.CONFIRMED if world.confirms else S.PENDING_CONFIRMATION


@pytest.fixture(params=PLATFORMS)
def slack_world(request, db, slack, slack_settings, clock, teammate):
    """A platform world whose teammate is U123 in the Slack fake and whose notifier is the Slack one."""
    slack.add_user("U123", "Eduardo Paz", teammate.email, tz="Europe/Helsinki", phone=PHONE)
    client = make_client(slack_settings)
    with build_world(request.param, db, slack_settings, clock, teammate, notifiers=slack_notifiers(client)) as world:
        yield world, build_app(world.service.settings, world.service, client=client)


# -- Slack answers badly -----------------------------------------------------------------------------
def test_slack_429_and_500_on_post_update_and_upload_lose_nothing(slack_world, slack):
    world, app = slack_world
    slack.fail("chat.postMessage", status=429, retry_after=0, times=2)
    slack.fail("chat.update", status=500, times=1)
    slack.fail("files.completeUploadExternal", status=500, times=1)
    command(app, slack, world.startup)
    [row] = settled(world.service, 240)

    assert row.status == booked_status(world), row.error_message
    assert len(world.booked()) == 1
    [parent] = slack.messages("C123")
    assert parent["text"] == headline(world.service.get(row.id))  # the last update arrived
    shared = [m for m in slack.thread("C123", parent["ts"]) if m.get("files")]
    assert len(shared) == len(row.selenium_screenshots) > 0  # every screenshot despite the 500
    assert len(slack.calls_to("chat.postMessage")) >= 3  # the two 429s were retried, not dropped


def test_slack_down_for_good_still_books_and_keeps_the_story(slack_world, slack):
    world, app = slack_world
    for method in ("chat.postMessage", "chat.update", "files.getUploadURLExternal", "conversations.open"):
        slack.fail(method, status=500, times=1000)
    command(app, slack, world.startup)
    [row] = settled(world.service, 240)

    assert row.status == booked_status(world), row.error_message
    assert len(world.booked()) == 1 and slack.messages("C123") == []
    steps = [e.detail for e in world.service.events(row.id) if e.kind == "step"]
    assert steps and steps[0].startswith("Opened the")  # `/book status` tells the story from the audit trail


# -- the same request twice -----------------------------------------------------------------------------
def socket_mode_envelope(text: str, response_url: str, attempt: int | None) -> SocketModeRequest:
    """A slash command as Socket Mode delivers it; Slack re-sends an envelope it saw no ack for."""
    payload = dict(parse_qsl(slash_command(text=text, response_url=response_url)))
    return SocketModeRequest(type="slash_commands", envelope_id="a9bb2c4e-0001", payload=payload,
                             accepts_response_payload=True, retry_attempt=attempt,
                             retry_reason="timeout" if attempt else None)


def test_a_socket_mode_envelope_delivered_twice_books_once(slack_world, slack):
    world, app = slack_world
    hook = slack.response_url("socket", user="U123", channel="C123")
    deliveries = [socket_mode_envelope(world.startup, hook, attempt) for attempt in (None, 1)]
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda r=r: statuses.append(run_bolt_app(app, r).status)) for r in deliveries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200, 200]
    [row] = settled(world.service, 240)
    assert row.status == booked_status(world), row.error_message

    late = run_bolt_app(app, socket_mode_envelope(world.startup, hook, 2))  # a retry after the booking finished
    assert late.status == 200
    [first, second] = replies(slack, "socket", count=2)
    for reply in (first, second):
        assert reply["text"].startswith(f"You already have a booking with *{row.startup_name}* (#{row.id}")
    assert len(world.booked()) == 1 and len(slack.messages("C123")) == 1
    assert world.browsers.drivers_started == 1


def test_a_double_click_on_retry_runs_one_job(slack_world, slack):
    """Both slots were taken, the booking failed; the teammate clicks Retry twice at once."""
    world, app = slack_world
    world.take_slots(2)
    command(app, slack, world.startup)
    [failed] = settled(world.service, 240)
    assert failed.status == S.FAILED and world.booked() == []

    parent = slack.messages("C123")[0]
    hooks: list[str] = []
    threads = [threading.Thread(target=lambda: hooks.append(click(app, slack, ids.RETRY, failed.id, message=parent)))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    answers = sorted(r["text"] for hook in hooks for r in replies(slack, hook))
    assert world.service.runner.wait_idle(240)

    final = world.service.get(failed.id)
    assert final.status == booked_status(world), final.error_message
    assert len(world.booked()) == 1 and world.browsers.drivers_started == 2
    assert len(answers) == 2 and sum(a.startswith(f"Trying {final.startup_name} again") for a in answers) == 1


# -- Google answers badly ---------------------------------------------------------------------------------
@pytest.fixture(params=PLATFORMS)
def google_world(request, db, settings, google, key_file, retry, clock, teammate):  # noqa: F811
    from booking.confirmations.teammate_calendar import GoogleCalendar

    configured = settings.with_overrides(google_credentials_file=key_file, google_calendar_api_url=google.calendar_endpoint,
                                         google_gmail_api_url=google.gmail_endpoint)
    calendar = GoogleCalendar.from_settings(configured, retry=retry)
    with build_world(request.param, db, configured, clock, teammate, availability=calendar) as world:
        yield world
    calendar.close()


def test_google_429_and_500_then_a_lost_answer_give_one_event(google_world, google, timer):  # noqa: F811
    world = google_world
    google.fail("calendar.freebusy.query", status=429, retry_after=3)
    google.fail("calendar.freebusy.query", status=500)
    google.fail("calendar.events.insert", status=429, retry_after=2)
    google.fail("calendar.events.insert", status=500, after_success=True)  # created, but the answer is lost
    final = world.book()
    if not world.confirms:  # a Slush request: the calendar follows the startup's acceptance
        assert final.status == S.PENDING_CONFIRMATION, final.error_message
        final = world.service.confirm(final.id, "page", "Accepted on Slush matchmaking")

    assert final.status == S.ADDED_TO_CALENDAR, final.error_message
    assert len(world.booked()) == 1
    [event] = google.events(TEAMMATE_EMAIL)
    assert final.calendar_event_id == event["id"]
    assert [c.status for c in google.calls_to("calendar.freebusy.query")] == [429, 500, 200]
    assert [c.status for c in google.calls_to("calendar.events.insert")] == [429, 500, 409]
    assert timer.sleeps == [3, 2, 2, 2]  # Retry-After, then the backoff's 1 s, 2 s steps (or Retry-After when longer)
    assert any("In your Google Calendar" in text for text in world.notifier.told(final.id))
    assert google.problems == []


def test_google_down_at_confirmation_keeps_the_booking_and_adds_the_event_later(google_world, google, clock, timer):  # noqa: F811
    world = google_world
    google.fail("calendar.events.insert", status=503, times=5)  # every try of the first attempt
    final = world.book()
    if not world.confirms:
        final = world.service.confirm(final.id, "page", "Accepted on Slush matchmaking")

    assert final.status == S.CONFIRMED and "Couldn't add the meeting to your Google Calendar" in final.error_message
    assert len(world.booked()) == 1 and google.events(TEAMMATE_EMAIL) == []
    assert len(timer.sleeps) == 4  # five tries, bounded
    assert any("I couldn't add it to your Google Calendar yet" in text for text in world.notifier.told(final.id))

    clock.advance(minutes=5)
    assert world.service.calendar_retries_due() == [final.id]
    later = world.service.retry_calendar(final.id)
    assert later.status == S.ADDED_TO_CALENDAR and len(google.events(TEAMMATE_EMAIL)) == 1
