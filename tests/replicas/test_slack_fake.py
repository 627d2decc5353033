"""The Slack fake must behave like Slack for the real slack_sdk/slack_bolt, or every bot test lies."""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from replicas.slack_api import SlackFake
from replicas.slack_requests import (
    JSON_CONTENT_TYPE, block_actions, bolt_request, event_callback, sign, slash_command, view_submission,
)

BOT_TOKEN = "xoxb-test-token"
SIGNING_SECRET = "shhh-signing-secret"


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk honours HTTP(S)_PROXY but ignores NO_PROXY, so loopback calls would go to a proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def _running_fake() -> Iterator[SlackFake]:
    # One server per module: stopping a server costs ~0.5 s (serve_forever's poll interval).
    with SlackFake(bot_token=BOT_TOKEN) as server:
        yield server  # type: ignore[misc]


@pytest.fixture
def fake(_running_fake: SlackFake) -> SlackFake:
    _running_fake.reset()
    return _running_fake


@pytest.fixture
def client(fake: SlackFake) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake.api_url)


def _app(fake: SlackFake) -> App:
    # process_before_response makes listeners finish before dispatch() returns: no sleeping in tests.
    return App(
        client=WebClient(token=BOT_TOKEN, base_url=fake.api_url),
        signing_secret=SIGNING_SECRET,
        process_before_response=True,
    )


# -- messages, threads, DMs -----------------------------------------------------------------------
def test_update_is_applied_in_place(fake: SlackFake, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "Booking Acme…"}}]
    posted = client.chat_postMessage(channel="C123", text="Booking Acme…", blocks=blocks)
    second = client.chat_postMessage(channel="C123", text="another")
    assert float(second["ts"]) > float(posted["ts"])

    updated = client.chat_update(channel="C123", ts=posted["ts"], text="Booked Acme")

    assert updated["message"]["text"] == "Booked Acme"
    message = fake.message("C123", posted["ts"])
    assert message["text"] == "Booked Acme"
    assert message["blocks"] == blocks  # Slack keeps blocks that an update leaves out
    assert [m["text"] for m in fake.messages("C123")] == ["Booked Acme", "another"]
    assert message["user"] == "UBOT"


def test_update_of_unknown_message_fails(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C123", ts="1.000001", text="x")
    assert raised.value.response["error"] == "message_not_found"


def test_form_encoded_blocks_are_decoded(fake: SlackFake, client: WebClient) -> None:
    blocks = [{"type": "divider"}]
    client.api_call("chat.postMessage", params={"channel": "C9", "text": "t", "blocks": json.dumps(blocks)})

    assert fake.messages("C9")[0]["blocks"] == blocks
    assert fake.calls_to("chat.postMessage")[0].params["blocks"] == blocks
    assert fake.calls_to("chat.postMessage")[0].headers["authorization"] == f"Bearer {BOT_TOKEN}"


def test_thread_replies_stay_out_of_the_channel(fake: SlackFake, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C123", text="Booking Acme")
    client.chat_postMessage(channel="C123", thread_ts=parent["ts"], text="step 1")
    client.chat_postMessage(channel="C123", thread_ts=parent["ts"], text="step 2")

    assert [m["text"] for m in fake.thread("C123", parent["ts"])] == ["step 1", "step 2"]
    assert [m["text"] for m in fake.messages("C123")] == ["Booking Acme"]
    assert fake.message("C123", parent["ts"])["reply_count"] == 2


def test_not_in_channel(fake: SlackFake, client: WebClient) -> None:
    fake.set_channel_membership("C777", False)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C777", text="hi")
    assert raised.value.response["error"] == "not_in_channel"
    fake.set_channel_membership("C777", True)
    assert client.chat_postMessage(channel="C777", text="hi")["ok"]


def test_dm_via_conversations_open(fake: SlackFake, client: WebClient) -> None:
    channel_id = client.conversations_open(users="U42")["channel"]["id"]
    assert channel_id == "DU42"
    client.chat_postMessage(channel=channel_id, text="Your demo is booked")
    client.chat_postMessage(channel="U42", text="posting to a user id lands in the DM too")

    assert [m["text"] for m in fake.dms("U42")] == [
        "Your demo is booked",
        "posting to a user id lands in the DM too",
    ]


def test_ephemeral_and_delete(fake: SlackFake, client: WebClient) -> None:
    result = client.chat_postEphemeral(channel="C123", user="U42", text="only you")
    assert result["message_ts"]
    assert [e["text"] for e in fake.ephemerals("U42")] == ["only you"]
    assert fake.ephemerals("U1") == []

    posted = client.chat_postMessage(channel="C123", text="oops")
    client.chat_delete(channel="C123", ts=posted["ts"])
    assert fake.messages("C123") == []


# -- files ------------------------------------------------------------------------------------------
def test_files_upload_v2_into_a_thread(fake: SlackFake, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C123", text="Booking Acme")

    uploaded = client.files_upload_v2(
        channel="C123", thread_ts=parent["ts"], content=b"png", filename="x.png",
        initial_comment="Confirmation screenshot",
    )

    file_id = uploaded["file"]["id"]
    stored = fake.files[file_id]
    assert stored["content"] == b"png"
    assert stored["filename"] == "x.png"
    assert (stored["channel"], stored["thread_ts"]) == ("C123", parent["ts"])
    assert stored["initial_comment"] == "Confirmation screenshot"
    [share] = fake.thread("C123", parent["ts"])
    assert share["text"] == "Confirmation screenshot"
    assert [f["id"] for f in share["files"]] == [file_id]
    assert [c.method for c in fake.calls][-3:] == [
        "files.getUploadURLExternal", "upload", "files.completeUploadExternal",
    ]


# -- users ------------------------------------------------------------------------------------------
def test_users_info_and_lookup(fake: SlackFake, client: WebClient) -> None:
    fake.add_user("U42", "Eduardo Ruiz", "eduardo@example.com", tz="Europe/Helsinki")

    user = client.users_info(user="U42")["user"]
    assert user["profile"]["email"] == "eduardo@example.com"
    assert user["real_name"] == "Eduardo Ruiz"
    assert user["tz_offset"] in (7200, 10800)
    assert client.users_lookupByEmail(email="EDUARDO@example.com")["user"]["id"] == "U42"
    with pytest.raises(SlackApiError) as raised:
        client.users_info(user="U404")
    assert raised.value.response["error"] == "user_not_found"


# -- views ------------------------------------------------------------------------------------------
def test_views_are_recorded_with_ids(fake: SlackFake, client: WebClient) -> None:
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "Book"}, "blocks": []}
    opened = client.views_open(trigger_id="t-1", view=modal)
    client.views_update(view_id=opened["view"]["id"], view=modal)
    home = client.views_publish(user_id="U42", view={"type": "home", "blocks": []})
    again = client.views_publish(user_id="U42", view={"type": "home", "blocks": []})

    assert opened["view"]["id"].startswith("V")
    assert home["view"]["id"] == again["view"]["id"]
    assert [(v["method"], v["view_id"]) for v in fake.views][:2] == [
        ("views.open", opened["view"]["id"]), ("views.update", opened["view"]["id"]),
    ]
    assert fake.views[0]["trigger_id"] == "t-1"
    assert fake.views[2]["user_id"] == "U42"


# -- failures and auth ------------------------------------------------------------------------------
def test_rate_limit_is_retried(fake: SlackFake) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=0)
    client = WebClient(
        token=BOT_TOKEN, base_url=fake.api_url, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)]
    )

    assert client.chat_postMessage(channel="C123", text="hi")["ok"]
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert len(fake.messages("C123")) == 1


def test_rate_limit_without_retry_handler_surfaces(fake: SlackFake, client: WebClient) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C123", text="hi")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["retry-after"] == "7"
    assert raised.value.response["error"] == "ratelimited"


def test_injected_errors_count_down(fake: SlackFake, client: WebClient) -> None:
    fake.fail("chat.update", status=200, error="msg_too_long", times=2)
    posted = client.chat_postMessage(channel="C1", text="x")
    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_update(channel="C1", ts=posted["ts"], text="y")
        assert raised.value.response["error"] == "msg_too_long"
    assert client.chat_update(channel="C1", ts=posted["ts"], text="y")["ok"]

    fake.fail("auth.test", status=500)
    with pytest.raises(SlackApiError) as server_error:
        client.auth_test()
    assert server_error.value.response.status_code == 500


def test_wrong_token_is_invalid_auth(fake: SlackFake) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(token="xoxb-wrong", base_url=fake.api_url).chat_postMessage(channel="C1", text="x")
    assert raised.value.response["error"] == "invalid_auth"
    assert len(fake.calls_to("chat.postMessage")) == 1  # failed calls are recorded too
    assert fake.messages("C1") == []


def test_auth_test_and_socket_mode_url(fake: SlackFake, client: WebClient) -> None:
    auth = client.auth_test()
    assert (auth["user_id"], auth["team_id"]) == ("UBOT", "T0001")
    app_client = WebClient(token="xapp-1-A1-xyz", base_url=fake.api_url)
    assert app_client.apps_connections_open(app_token="xapp-1-A1-xyz")["url"].startswith("ws://")


def test_unknown_methods_answer_ok_and_reset_forgets(fake: SlackFake, client: WebClient) -> None:
    assert client.reactions_add(channel="C1", timestamp="1.1", name="tada")["ok"]
    assert fake.calls_to("reactions.add")[0].params["name"] == "tada"
    client.chat_postMessage(channel="C1", text="x")

    fake.add_user("U42", "Eduardo Ruiz", "eduardo@example.com")
    fake.reset()

    assert fake.calls == [] and fake.messages("C1") == []
    with pytest.raises(SlackApiError):
        client.users_info(user="U42")


# -- response_url -----------------------------------------------------------------------------------
def test_response_url_posts_are_recorded(fake: SlackFake) -> None:
    url = fake.response_url("cmd", user="U42")
    WebhookClient(url).send(text="Queued…", replace_original=True)
    WebhookClient(url).send(text="Everyone sees this", response_type="in_channel")

    [call, _] = fake.calls_to("response_url")
    assert call.params["_name"] == "cmd"
    assert call.params["replace_original"] is True
    assert [e["text"] for e in fake.ephemerals("U42")] == ["Queued…"]


# -- signing and Bolt -------------------------------------------------------------------------------
def test_signature_validates_with_slack_sdk() -> None:
    body = slash_command(text="Acme")
    headers = sign(SIGNING_SECRET, body)
    verifier = SignatureVerifier(SIGNING_SECRET)

    assert verifier.is_valid(
        body=body,
        timestamp=headers["x-slack-request-timestamp"],
        signature=headers["x-slack-signature"],
    )
    assert not verifier.is_valid(
        body=body + "x",
        timestamp=headers["x-slack-request-timestamp"],
        signature=headers["x-slack-signature"],
    )
    old = sign(SIGNING_SECRET, body, timestamp=int(time.time()) - 3600)
    assert not verifier.is_valid_request(body, old)


def test_slash_command_through_bolt(fake: SlackFake) -> None:
    app = _app(fake)
    seen: dict[str, Any] = {}

    @app.command("/book")
    def book(ack: Any, command: dict[str, Any]) -> None:
        seen.update(command)
        ack(f"Queued {command['text']}")

    body = slash_command(text="Acme Oy", response_url=fake.response_url())
    response = app.dispatch(bolt_request(body, sign(SIGNING_SECRET, body)))

    assert response.status == 200
    assert "Queued Acme Oy" in response.body
    assert (seen["user_id"], seen["channel_id"], seen["team_id"]) == ("U123", "C123", "T0001")
    assert fake.calls_to("auth.test")  # Bolt verified its token against the fake

    forged = app.dispatch(bolt_request(body, sign("wrong-secret", body)))
    assert forged.status == 401


def test_button_click_updates_the_message_through_bolt(fake: SlackFake) -> None:
    app = _app(fake)
    poster = WebClient(token=BOT_TOKEN, base_url=fake.api_url)
    posted = poster.chat_postMessage(channel="C123", text="Book Acme?")

    @app.action("book_confirm")
    def confirm(ack: Any, body: dict[str, Any], client: WebClient, respond: Any, action: dict[str, Any]) -> None:
        ack()
        container = body["container"]
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], text=f"Booked {action['value']}")
        respond(text="Done", replace_original=False)

    body = block_actions(
        "book_confirm", "Acme", message=fake.message("C123", posted["ts"]), response_url=fake.response_url("click")
    )
    response = app.dispatch(bolt_request(body, sign(SIGNING_SECRET, body)))

    assert response.status == 200
    assert fake.message("C123", posted["ts"])["text"] == "Booked Acme"
    assert fake.calls_to("chat.update")[0].params["team_id"] == "T0001"  # Bolt's context client adds it
    assert fake.calls_to("response_url")[0].params["text"] == "Done"


def test_view_submission_and_event_through_bolt(fake: SlackFake) -> None:
    app = _app(fake)
    submitted: dict[str, Any] = {}
    events: list[dict[str, Any]] = []

    @app.view("book_modal")
    def on_submit(ack: Any, view: dict[str, Any]) -> None:
        submitted.update(view)
        ack()

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any]) -> None:
        events.append(event)

    values = {"startup": {"name": {"type": "plain_text_input", "value": "Acme"}}}
    body = view_submission("book_modal", values, private_metadata="C123")
    assert app.dispatch(bolt_request(body, sign(SIGNING_SECRET, body))).status == 200
    assert submitted["state"]["values"] == values
    assert submitted["private_metadata"] == "C123"

    event_body = event_callback({"type": "app_home_opened", "user": "U123", "channel": "DU123", "tab": "home"})
    headers = sign(SIGNING_SECRET, event_body, content_type=JSON_CONTENT_TYPE)
    assert app.dispatch(bolt_request(event_body, headers)).status == 200
    assert events[0]["user"] == "U123"
