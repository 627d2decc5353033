"""The Slack front-end: ``build_app(settings, service)`` and how it is served.

Socket Mode when ``SLACK_APP_TOKEN`` is set, otherwise HTTP through a production WSGI server
(waitress), never Bolt's development server.
"""
from __future__ import annotations

import json
import logging
import threading
from typing import Any, Callable

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import create_server

from booking.config.settings import Settings
from booking.workflow.admin import Admin
from booking.workflow.controls import BookingControls
from booking.workflow.service import BookingService
from bot.client import make_client
from bot.desk import BookingDesk
from bot.listeners.actions import register_actions
from bot.listeners.commands import register_commands
from bot.listeners.events import register_events
from bot.listeners.views import register_views

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Returns the /healthz JSON: {"ok": bool, "database": …, "scheduler": …} (booking.runtime.health.health_report)
Health = Callable[[], dict[str, Any]]


class _SameTokenNotice(logging.Filter):
    """Bolt warns that our client's token wins over SLACK_BOT_TOKEN read from the environment: they
    are the same token, so the warning is noise on every start."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_SAME_TOKEN_NOTICE = _SameTokenNotice()


def build_app(settings: Settings, service: BookingService, client: WebClient | None = None) -> App:
    settings.require_slack()
    logging.getLogger("slack_bolt.App").addFilter(_SAME_TOKEN_NOTICE)  # a set: adding twice keeps one
    app = App(
        client=client or make_client(settings),  # carries the token (giving both makes Bolt warn)
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=bool(settings.slack_signing_secret) or not settings.slack_app_token,
        token_verification_enabled=True,
    )
    register_listeners(app, service)
    return app


def register_listeners(app: App, service: BookingService) -> None:
    """Listeners grouped by Slack surface (bot/listeners/); all of them share one desk and one set of controls."""
    desk = BookingDesk(service, app.client)
    controls = BookingControls(service)
    register_commands(app, desk, controls, Admin(service))
    register_actions(app, desk, controls)
    register_views(app, service, desk, controls)
    register_events(app, service, controls)


def wsgi_app(app: App, health: Health | None = None) -> Any:
    """Slack's events; with ``health``, ``GET /healthz`` answers 200 (or 503) and a small JSON."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)
    if health is None:
        return slack

    def routed(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") != HEALTH_PATH or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return slack(environ, start_response)
        report = health()
        body = json.dumps(report).encode()
        start_response("200 OK" if report.get("ok") else "503 Service Unavailable",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                        ("Cache-Control", "no-store")])
        return [body]

    return routed


def create_http_server(app: App, host: str, port: int, health: Health | None = None) -> Any:
    """A waitress server for the app (``.run()`` serves, ``.close()`` stops); port 0 picks one."""
    return create_server(wsgi_app(app, health), host=host, port=port, threads=8, ident="booker")


def describe_mode(settings: Settings, server: Any = None) -> str:
    """How Slack reaches this process, for the start-up health line."""
    if settings.slack_app_token:
        return "Socket Mode"
    port = server.effective_port if server is not None else settings.http_port
    return f"HTTP on http://{settings.http_host}:{port}{EVENTS_PATH} (health: {HEALTH_PATH})"


def serve(app: App, settings: Settings, health: Health | None = None,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve until stopped; ``ready`` gets the mode line once Slack can reach us."""
    if settings.slack_app_token:
        handler = SocketModeHandler(app, settings.slack_app_token)
        handler.connect()
        if ready:
            ready(describe_mode(settings))
        threading.Event().wait()  # Bolt's start() does the same after connect(); Ctrl-C/SIGTERM end it
        return
    server = create_http_server(app, settings.http_host, settings.http_port, health)
    if ready:
        ready(describe_mode(settings, server))
    server.run()
