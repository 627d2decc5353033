"""The Slack outbox: posts in order off the caller's thread, 429s waited out as Slack asks, a flush to wait on."""
from __future__ import annotations

import threading

import pytest
from slack_sdk.errors import SlackApiError

from bot.client import make_client
from bot.outbox import SlackOutbox, without_rate_limit_retries
from tests.helpers import eventually


@pytest.fixture
def client(slack_settings):
    """A real WebClient at the Slack fake, as the outbox uses it (429s left to the outbox)."""
    return without_rate_limit_retries(make_client(slack_settings))


def texts(slack):
    return [m["text"] for m in slack.messages("C123")]


def test_posts_arrive_in_order_and_a_429_is_retried_after_its_retry_after(slack, client):
    waits = []
    outbox = SlackOutbox(wait=lambda seconds: waits.append(seconds) or False)
    slack.fail("chat.postMessage", status=429, retry_after=3)
    for n in range(5):
        outbox.put(f"post {n}", lambda n=n: client.chat_postMessage(channel="C123", text=f"step {n}"))
    assert outbox.flush(10)
    assert texts(slack) == [f"step {n}" for n in range(5)]
    assert waits == [3.0] and len(slack.calls_to("chat.postMessage")) == 6  # the first one twice


def test_the_caller_never_waits_for_a_rate_limited_slack_and_flush_says_when_all_arrived(slack, client):
    gate = threading.Event()
    outbox = SlackOutbox(wait=lambda seconds: not gate.wait(30))
    slack.fail("chat.postMessage", status=429, retry_after=30)
    delivered = outbox.put("held", lambda: client.chat_postMessage(channel="C123", text="held"))
    outbox.put("next", lambda: client.chat_postMessage(channel="C123", text="next"))
    assert not outbox.flush(0.2) and outbox.pending == 2 and texts(slack) == []
    gate.set()
    assert outbox.flush(10) and delivered.is_set() and texts(slack) == ["held", "next"]


def test_a_post_still_rate_limited_is_given_up_and_the_rest_still_arrive(slack, client, caplog):
    outbox = SlackOutbox(max_attempts=3, wait=lambda seconds: False)
    slack.fail("chat.postMessage", status=429, retry_after=1, times=3)
    outbox.put("doomed", lambda: client.chat_postMessage(channel="C123", text="doomed"))
    outbox.put("fine", lambda: client.chat_postMessage(channel="C123", text="fine"))
    assert outbox.flush(10)
    assert texts(slack) == ["fine"] and "Slack doomed failed: ratelimited" in caplog.text


def test_a_full_outbox_drops_the_post_rather_than_block(slack, client, caplog):
    gate = threading.Event()
    outbox = SlackOutbox(capacity=1, wait=lambda seconds: not gate.wait(30))
    slack.fail("chat.postMessage", status=429, retry_after=30)
    outbox.put("held", lambda: client.chat_postMessage(channel="C123", text="held"))
    eventually(lambda: slack.calls_to("chat.postMessage"), 10, "the held post's first try")  # out of the queue
    outbox.put("queued", lambda: client.chat_postMessage(channel="C123", text="queued"))
    assert outbox.put("extra", lambda: client.chat_postMessage(channel="C123", text="extra")).is_set()
    gate.set()
    assert outbox.flush(10) and texts(slack) == ["held", "queued"]
    assert "Slack outbox full: dropped extra" in caplog.text


def test_the_outbox_client_leaves_429s_to_the_outbox(slack, client):
    """make_client's own 429 handler sleeps in place; the outbox's copy raises at once instead."""
    slack.fail("chat.postMessage", status=429, retry_after=30)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C123", text="now")
    assert raised.value.response.status_code == 429 and len(slack.calls_to("chat.postMessage")) == 1
