"""Secrets never reach logs or Slack; Slack outages never lose a booking."""
from __future__ import annotations

import logging

import pytest

from booking.logs import RedactSecrets
from booking.states import BookingStatus
from replicas.slack_requests import bolt_request, sign, slash_command
from tests.helpers import settled

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"


def dispatch(app, text, **kw):
    body = slash_command(text=text, **kw)
    return app.dispatch(bolt_request(body, sign(SECRET, body)))


@pytest.mark.browser
def test_tokens_never_appear_in_logs_or_slack(bot, slack, calendly, directory, caplog):
    caplog.set_level(logging.DEBUG)
    app, service = bot
    assert dispatch(app, "Acme").status == 200
    [row] = settled(service)
    assert row.status == BookingStatus.CONFIRMED
    logged = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "slack_sdk" in caplog.text  # the client did log its requests at DEBUG…
    for secret in (TOKEN, SECRET):
        assert secret not in logged  # …without the token or the signing secret
        assert secret not in str([c.params for c in slack.calls])


@pytest.mark.browser
def test_slack_429_and_500_during_a_booking_lose_nothing(bot, slack, calendly, directory):
    app, service = bot
    slack.fail("chat.postMessage", status=429, retry_after=0, times=2)
    slack.fail("chat.update", status=500, times=1)
    slack.fail("files.completeUploadExternal", status=500, times=1)
    assert dispatch(app, "Acme").status == 200
    [row] = settled(service)
    assert row.status == BookingStatus.CONFIRMED and len(calendly.bookings) == 1
    [parent] = slack.messages("C123")
    assert parent["text"].startswith("✓ Booked Acme Robotics")
    replies = slack.thread("C123", parent["ts"])
    assert len([m for m in replies if m.get("files")]) == 6  # every screenshot arrived despite the 500


@pytest.mark.browser
def test_slack_down_for_good_still_books(bot, slack, calendly, directory):
    app, service = bot
    for method in ("chat.postMessage", "chat.update", "files.getUploadURLExternal"):
        slack.fail(method, status=500, times=1000)
    assert dispatch(app, "Acme").status == 200
    [row] = settled(service)
    assert row.status == BookingStatus.CONFIRMED and len(calendly.bookings) == 1


def test_redaction_filter_scrubs_known_and_token_shaped_secrets():
    redactor = RedactSecrets(["s3cr3t-value"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "auth %s then %s", ("s3cr3t-value", "xoxb-123456-abcdef"), None)
    redactor.filter(record)
    assert record.getMessage() == "auth «redacted» then «redacted»"
