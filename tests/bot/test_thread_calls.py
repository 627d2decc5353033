"""One booking's Slack thread: one message per step with its screenshot, and how many calls it costs."""
from __future__ import annotations

import threading

import pytest

from booking.domain.states import BookingStatus
from booking.runtime.runner import JobRunner
from booking.store.models import MeetingBookingRequest
from booking.workflow.service import BookingService
from bot.app import build_app
from bot.client import make_client
from bot.notifier import SlackNotifiers
from bot.outbox import SlackOutbox
from replicas.slack_requests import slash_command
from tests.bot.kit import send
from tests.helpers import eventually, settled

FILE_METHODS = ("files.getUploadURLExternal", "upload", "files.completeUploadExternal", "files.info", "files.upload")


def booked(service):
    with service.db.session() as session:
        return [r.status for r in session.query(MeetingBookingRequest)] == [BookingStatus.CONFIRMED]


def thread_calls(slack):
    """chat.postMessage, files.* and chat.update calls the fake received, by method."""
    counts = {m: len(slack.calls_to(m)) for m in ("chat.postMessage", "chat.update", *FILE_METHODS)}
    counts["files.*"] = sum(counts.pop(m) for m in FILE_METHODS)
    return counts


@pytest.mark.browser
def test_one_booking_tells_its_story_in_six_messages_each_with_its_screenshot(bot, slack, calendly, directory):
    """`/book Acme`: six steps, six thread messages, each carrying its step's text and screenshot."""
    app, service = bot
    send(app, slash_command(text="Acme", response_url=slack.response_url("r1", user="U123")))
    [row] = settled(service)  # the jobs finished and their posts arrived
    assert row.status == BookingStatus.CONFIRMED

    [parent] = slack.messages("C123")
    replies = slack.thread("C123", parent["ts"])
    print(f"\nthread messages: {len(replies)}; calls: {thread_calls(slack)}; "
          f"posts: {[c.params.get('channel') for c in slack.calls_to('chat.postMessage')]}")
    assert [m["text"].split(" ")[0] for m in replies] == ["Opened", "Chose", "Free", "Selected", "Filled", "Submitted"]
    assert all(len(m["files"]) == 1 for m in replies)
    assert thread_calls(slack) == {"chat.postMessage": 2, "chat.update": 3, "files.*": 18}


@pytest.fixture
def held_bot(slack_settings, db, browsers, clock):
    """The real app and service whose Slack outbox waits out 429s on a gate the test opens."""
    gate, asked = threading.Event(), []

    def wait(seconds: float) -> bool:
        asked.append(seconds)
        return not gate.wait(60)  # give up only if the test never opens the gate

    client = make_client(slack_settings)
    notifiers = SlackNotifiers(client, outbox=SlackOutbox(wait=wait))
    runner = JobRunner(slack_settings.max_browsers)
    service = BookingService(db, slack_settings, browsers, runner, clock=clock, notifiers=notifiers)
    yield build_app(slack_settings, service, client=client), service, notifiers, gate, asked
    gate.set()
    runner.shutdown()


@pytest.mark.browser
def test_a_rate_limited_thread_never_holds_the_browser(held_bot, slack, calendly, directory, browsers):
    """Slack answers the first step's upload with 429 Retry-After 7: the booking finishes and its
    browser is released while the posts wait; once the wait is over they all arrive, in step order."""
    app, service, notifiers, gate, asked = held_bot
    slack.fail("files.getUploadURLExternal", status=429, retry_after=7)
    send(app, slash_command(text="Acme", response_url=slack.response_url("r1", user="U123")))

    eventually(lambda: service.runner.wait_idle(0) and booked(service), 120, "the booking job to finish")
    assert browsers.live_sessions == 0
    [parent] = slack.messages("C123")
    assert asked == [7.0] and slack.thread("C123", parent["ts"]) == [] and notifiers.outbox.pending > 0

    gate.set()
    assert notifiers.flush(30)
    replies = slack.thread("C123", parent["ts"])
    assert [m["text"].split(" ")[0] for m in replies] == ["Opened", "Chose", "Free", "Selected", "Filled", "Submitted"]
    assert all(len(m["files"]) == 1 for m in replies)
    assert slack.message("C123", parent["ts"])["text"].startswith("✓ Booked Acme Robotics with Alice Smith")
    assert len(slack.calls_to("files.getUploadURLExternal")) == 7  # six uploads, one of them twice
