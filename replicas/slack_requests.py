"""Build the signed HTTP requests Slack sends to an app, so tests can drive Bolt without Slack.

Bodies copy the field names and encodings of real payloads (slash commands are a urlencoded form,
interactivity is ``payload=<urlencoded JSON>``, events are JSON), because Bolt routes on them and
verifies the signature over the exact body bytes.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_bolt import BoltRequest

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"
VERIFICATION_TOKEN = "verification-token"  # the deprecated token field Slack still sends
API_APP_ID = "A0BOOKER"
TEAM_DOMAIN = "booker-test"
DEFAULT_TRIGGER_ID = "13345224609.738474920.8088930838d88f008e0"
DEFAULT_MESSAGE_TS = "1700000000.000100"  # the first ts SlackFake hands out


def sign(
    signing_secret: str,
    body: str,
    timestamp: int | None = None,
    content_type: str = FORM_CONTENT_TYPE,
) -> dict[str, str]:
    """Headers Slack would send with ``body``: a v0 HMAC-SHA256 signature over ``v0:{ts}:{body}``."""
    ts = int(time.time()) if timestamp is None else int(timestamp)
    digest = hmac.new(
        signing_secret.encode("utf-8"), f"v0:{ts}:{body}".encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": str(ts),
        "x-slack-signature": f"v0={digest}",
    }


def slash_command(
    command: str = "/book",
    text: str = "",
    *,
    user_id: str = "U123",
    user_name: str = "eduardo",
    channel_id: str = "C123",
    channel_name: str = "slush",
    team_id: str = "T0001",
    response_url: str = "",
    trigger_id: str = DEFAULT_TRIGGER_ID,
) -> str:
    """A slash command body: urlencoded form, fields in the order Slack sends them."""
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": channel_name,
            "user_id": user_id,
            "user_name": user_name,
            "command": command,
            "text": text,
            "api_app_id": API_APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def block_actions(
    action_id: str,
    value: str = "",
    *,
    block_id: str = "b1",
    user_id: str = "U123",
    user_name: str = "eduardo",
    team_id: str = "T0001",
    channel_id: str = "C123",
    channel_name: str = "slush",
    message_ts: str | None = None,
    message: dict[str, Any] | None = None,
    response_url: str = "",
    trigger_id: str = DEFAULT_TRIGGER_ID,
    state: dict[str, Any] | None = None,
    button_text: str = "Click",
    is_ephemeral: bool = False,
    action_overrides: dict[str, Any] | None = None,
    view: dict[str, Any] | None = None,
) -> str:
    """A button click body (``payload=<json>``).

    With ``view`` (a modal or the Home tab, e.g. as read back from ``SlackFake.views``) the click
    comes from that view: Slack then sends the view, and no channel, message or response_url.

    ``message_ts`` defaults to ``message["ts"]`` so a message read back from SlackFake can be passed
    as is. ``state`` is the ``state.values`` mapping (block_id → action_id → value dict).
    ``action_overrides`` is merged into the action, e.g. to model a select instead of a button.
    Ephemeral messages come without ``message``, as from Slack.
    """
    if message_ts is None:
        message_ts = str((message or {}).get("ts") or DEFAULT_MESSAGE_TS)
    if message is None:
        message = {
            "type": "message",
            "ts": message_ts,
            "user": "UBOT",
            "bot_id": "B0001",
            "text": "",
            "blocks": [],
        }
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "text": {"type": "plain_text", "text": button_text, "emoji": True},
        "value": value,
        "type": "button",
        "action_ts": f"{time.time():.6f}",
    }
    action.update(action_overrides or {})
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, user_name, team_id),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": is_ephemeral,
        },
        "trigger_id": trigger_id,
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": channel_name},
        "state": {"values": _state_values(state)},
        "response_url": response_url,
        "actions": [action],
    }
    if view is not None:
        for key in ("channel", "response_url"):
            payload.pop(key)
        payload["container"] = {"type": "view", "view_id": view.get("id", "V123")}
        payload["view"] = {"id": "V123", "hash": "1700000000.abcdef", "private_metadata": "",
                           "state": {"values": {}}, **view}
        if state:
            payload["view"]["state"] = {"values": _state_values(state)}
    elif not is_ephemeral:
        payload["message"] = message
    return _payload_form(payload)


def view_submission(
    callback_id: str,
    values: dict[str, Any],
    *,
    user_id: str = "U123",
    user_name: str = "eduardo",
    team_id: str = "T0001",
    private_metadata: str = "",
    view_id: str = "V123",
    blocks: list[dict[str, Any]] | None = None,
    trigger_id: str = DEFAULT_TRIGGER_ID,
) -> str:
    """A modal submit body; ``values`` is ``view.state.values`` (block_id → action_id → value dict)."""
    payload = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(user_id, user_name, team_id),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": {
            "id": view_id,
            "team_id": team_id,
            "type": "modal",
            "blocks": blocks or [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": values},
            "hash": "1700000000.abcdef",
            "title": {"type": "plain_text", "text": "Booker", "emoji": True},
            "clear_on_close": False,
            "notify_on_close": False,
            "close": {"type": "plain_text", "text": "Cancel", "emoji": True},
            "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": API_APP_ID,
            "external_id": "",
            "app_installed_team_id": team_id,
            "bot_id": "B0001",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _payload_form(payload)


def block_suggestion(
    action_id: str,
    value: str = "",
    *,
    block_id: str = "b1",
    user_id: str = "U123",
    user_name: str = "eduardo",
    team_id: str = "T0001",
    view: dict[str, Any] | None = None,
) -> str:
    """An options request from an ``external_select`` while the user types (``payload=<json>``)."""
    payload = {
        "type": "block_suggestion",
        "user": _user(user_id, user_name, team_id),
        "container": {"type": "view", "view_id": (view or {}).get("id", "V123")},
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "action_id": action_id,
        "block_id": block_id,
        "value": value,
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": view or {"id": "V123", "type": "modal", "blocks": [], "private_metadata": "", "callback_id": "",
                         "state": {"values": {}}, "hash": "1700000000.abcdef"},
    }
    return _payload_form(payload)


def event_callback(event: dict[str, Any], *, team_id: str = "T0001", event_id: str = "Ev123") -> str:
    """An Events API body (JSON); sign it with ``content_type=JSON_CONTENT_TYPE``."""
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "api_app_id": API_APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": "UBOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
    )


def bolt_request(body: str, headers: dict[str, str]) -> BoltRequest:
    """Wrap a body and its signed headers the way Bolt's HTTP adapters do."""
    return BoltRequest(body=body, headers={key: [value] for key, value in headers.items()})


def _user(user_id: str, user_name: str, team_id: str) -> dict[str, str]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def _state_values(state: dict[str, Any] | None) -> dict[str, Any]:
    """Accept either the values mapping or a whole ``{"values": ...}`` state object."""
    if not state:
        return {}
    if set(state) == {"values"}:
        return state["values"]
    return state


def _payload_form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})
