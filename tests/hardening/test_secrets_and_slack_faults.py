"""Secrets never reach logs, Slack or screenshots, across a full run.

A teammate books a Slush matchmaking request from Slack with Google connected (a service-account
key), the startup accepts, the confirmation monitor re-checks the request on the page (signing in
again), the meeting goes into Google Calendar and the teammate gets a DM. Every log record at
DEBUG (slack_sdk, Selenium's wire log, google-auth, googleapiclient, ours), everything posted to
Slack and every screenshot's page is then searched for the Slack token and signing secret, the
private key and its id, every OAuth token and signed JWT assertion Google handed out or received,
and the Slush password.
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from booking.config.logs import CHATTY_LOGGERS, RedactSecrets
from booking.domain.states import BookingStatus
from booking.runtime.wiring import build_monitor
from bot.app import build_app
from bot.client import make_client
from bot.notifier import slack_notifiers
from replicas.slack_requests import bolt_request, sign, slash_command
from tests.google.conftest import TEAMMATE_EMAIL, google, retry, timer  # noqa: F401 (fixtures)
from tests.hardening.worlds import RecordingFactory, build_world
from tests.helpers import eventually, settled

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"


def dispatch(app, text, **kw):  # type: ignore[no-untyped-def]
    body = slash_command(text=text, **kw)
    return app.dispatch(bolt_request(body, sign(SECRET, body)))


def key_chunks(key: dict) -> list[str]:  # type: ignore[type-arg]
    """The private key's base64 lines (any one of them in a log is a leak) and its id."""
    body = [line for line in key["private_key"].splitlines() if line and not line.startswith("-----")]
    return [*body, key["private_key_id"]]


@pytest.mark.browser
def test_a_full_run_never_shows_a_secret_in_logs_slack_or_screenshots(db, settings, slack, google, retry, clock,  # noqa: F811
                                                                     teammate, tmp_path, caplog):
    from booking.confirmations.teammate_calendar import GoogleCalendar
    from replicas.slush import DEMO_PASSWORD

    caplog.set_level(logging.DEBUG)
    for chatty in CHATTY_LOGGERS:  # an earlier front-end start in this process may have quietened them
        caplog.set_level(logging.DEBUG, logger=chatty)
    key = google.service_account_key()
    key_file = tmp_path / "service-account.json"
    key_file.write_text(json.dumps(key))
    configured = settings.with_overrides(slack_api_url=slack.api_url, google_credentials_file=key_file,
                                         google_calendar_api_url=google.calendar_endpoint,
                                         google_gmail_api_url=google.gmail_endpoint)
    calendar = GoogleCalendar.from_settings(configured, retry=retry)
    client = make_client(configured)
    with build_world("slush", db, configured, clock, teammate, notifiers=slack_notifiers(client),
                     availability=calendar) as world:
        world.browsers = world.service.browsers = RecordingFactory(world.service.settings, record_pages=True)
        app = build_app(world.service.settings, world.service, client=client)
        assert dispatch(app, "Acme", response_url=slack.response_url("r1", user="U123")).status == 200
        [row] = settled(world.service, 240)
        assert row.status == BookingStatus.PENDING_CONFIRMATION, row.error_message
        [meeting] = world.booked()
        world.replica.accept(meeting.id)

        monitor = build_monitor(world.service, owner="secrets-test")
        for _ in range(5):  # the fifth check re-reads the request on its page (a browser job)
            monitor.run_cycle()
        assert world.service.runner.wait_idle(240)
        final = eventually(lambda: (v := world.service.get(row.id)).status == BookingStatus.ADDED_TO_CALENDAR and v,
                           60, "the meeting in the calendar")
        assert len(google.events(TEAMMATE_EMAIL)) == 1
        # the DM is posted from the browser job, through the Slack outbox (bot/outbox.py)
        eventually(lambda: any("Google Calendar" in m["text"] for m in slack.dms("U123")), 60, "the calendar DM")
    calendar.close()

    assertions = [c.body.get("assertion") for c in google.calls_to("oauth2.token") if isinstance(c.body, dict)]
    secrets = {"the Slack bot token": [TOKEN], "the signing secret": [SECRET], "the private key": key_chunks(key),
               "a Google token": google.issued_tokens, "a signed JWT assertion": [a for a in assertions if a],
               "the Slush password": [DEMO_PASSWORD]}
    assert google.issued_tokens and assertions, "the run did not exercise Google's credentials"
    assert len(world.browsers.captured) >= 6 and world.replica.sign_ins, "the run did not sign in and screenshot"

    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert "slack_sdk" in logged and "googleapiclient" in logged and "remote_connection" in logged  # they did log
    posted = json.dumps([c.params for c in slack.calls], ensure_ascii=False, default=lambda o: "<file bytes>")
    stored = json.dumps([[e.detail, e.data] for e in world.service.events(row.id)], default=str) + str(final)
    shown = "\n".join(text for _, text in world.browsers.captured)
    for what, values in secrets.items():
        for value in values:
            assert value not in logged, f"{what} is in the logs"
            assert value not in posted, f"{what} was posted to Slack"
            assert value not in stored, f"{what} is in the booking's history"
            assert value not in shown, f"{what} was on a screenshot"


@pytest.mark.browser
def test_a_refused_sign_in_screenshot_never_shows_the_typed_password(db, settings, clock, teammate, caplog):
    from booking.config.credentials import CredentialStore

    caplog.set_level(logging.DEBUG)
    wrong = "typed-but-wrong-Pa55word"
    with build_world("slush", db, settings, clock, teammate) as world:
        world.service.settings = world.service.settings.with_overrides(slush_password=wrong)
        world.service.credentials = CredentialStore(world.service.settings)
        world.browsers = world.service.browsers = RecordingFactory(world.service.settings, record_pages=True)
        final = world.book()
    assert final.status == BookingStatus.FAILED and "refused the sign-in" in final.error_message
    [(name, shown)] = world.browsers.captured  # the failure screenshot, taken on the sign-in form
    assert name.endswith("_failure.png") and "Invalid login credentials" in shown
    assert wrong not in shown and wrong not in caplog.text and wrong not in final.error_message


def test_redaction_filter_scrubs_known_and_token_shaped_secrets():
    """Defence in depth for the production logger (bot/__main__.py installs it)."""
    redactor = RedactSecrets(["s3cr3t-value"])
    pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "auth %s then %s then %s and %s, key %s",
                               ("s3cr3t-value", "xoxb-123456-abcdef", "ya29.a0AfB_byC-1234567890",
                                "1//0gLTmQ-fake-refresh-token-abcdef", json.dumps({"private_key": pem})), None)
    redactor.filter(record)
    assert record.getMessage() == 'auth «redacted» then «redacted» then «redacted» and «redacted», key {"private_key": "«redacted»\\n"}'
    assert "MIIEvQIB" not in record.getMessage()
