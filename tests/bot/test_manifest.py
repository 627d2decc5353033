"""manifest.yml installs the app as the code is: its commands, events and scopes match what `bot/`
registers and calls (read from the source, so a new call without its scope fails here)."""
from __future__ import annotations

import ast
from pathlib import Path

import yaml
from slack_sdk import WebClient

from bot.listeners.commands import COMMANDS
from bot.listeners.events import EVENTS

ROOT = Path(__file__).resolve().parents[2]
BOT_SOURCES = sorted((ROOT / "bot").rglob("*.py"))

# The bot scopes each Web API method needs (https://docs.slack.dev/reference/methods).
SCOPES_BY_METHOD: dict[str, set[str]] = {
    # chat:write.public: the booking thread goes to the channel /book was typed in, joined or not
    "chat_postMessage": {"chat:write", "chat:write.public"},
    "chat_update": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_getPermalink": set(),
    "conversations_open": {"im:write"},
    "files_upload_v2": {"files:write"},
    # users:read.email: the booking form needs the teammate's address (it requires users:read)
    "users_info": {"users:read", "users:read.email"},
    "views_open": set(),
    "views_update": set(),
    "views_publish": set(),  # needs the Home tab enabled instead of a scope
}


def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def registered(kind: str) -> set[str]:
    """Names given to ``@app.<kind>("…")`` across bot/."""
    names = set()
    for path in BOT_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == kind
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "app"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                names.add(node.args[0].value)
    return names


def listener_kinds() -> set[str]:
    kinds = set()
    for path in BOT_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "app"
                    and node.attr in {"action", "view", "options", "command", "event", "shortcut"}):
                kinds.add(node.attr)
    return kinds


def web_api_calls() -> set[str]:
    """WebClient methods called on anything named like a client (client, self.client, app.client)."""
    calls = set()
    for path in BOT_SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = ast.unparse(node.func.value)
                if receiver.split(".")[-1].endswith("client") and hasattr(WebClient, node.func.attr):
                    calls.add(node.func.attr)
    return calls


def test_commands_match():
    declared = {c["command"] for c in manifest()["features"]["slash_commands"]}
    assert registered("command") == set(COMMANDS) == declared


def test_events_match():
    assert registered("event") == set(EVENTS) == set(manifest()["settings"]["event_subscriptions"]["bot_events"])


def test_scopes_are_exactly_what_the_calls_need():
    calls = web_api_calls()
    unknown = calls - set(SCOPES_BY_METHOD)
    assert not unknown, f"new Web API calls {unknown}: add their scopes to SCOPES_BY_METHOD and manifest.yml"
    needed = set().union(*(SCOPES_BY_METHOD[m] for m in calls)) | ({"commands"} if registered("command") else set())
    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == needed
    assert {"chat_postMessage", "chat_update", "files_upload_v2", "users_info", "views_publish"} <= calls


def test_surfaces_the_code_uses_are_enabled():
    data = manifest()
    kinds = listener_kinds()
    assert {"action", "view", "options"} <= kinds and data["settings"]["interactivity"]["is_enabled"] is True
    assert "views_publish" in web_api_calls() and data["features"]["app_home"]["home_tab_enabled"] is True
    assert data["settings"]["socket_mode_enabled"] is True
    assert all("url" not in c for c in data["features"]["slash_commands"])  # Socket Mode: no request URLs
