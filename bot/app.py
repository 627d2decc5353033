"""The Slack front-end: ``build_app(settings, service)`` and how it is served.

Socket Mode when ``SLACK_APP_TOKEN`` is set, otherwise HTTP through a production WSGI server
(waitress), never Bolt's development server.
"""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.actions import register_actions
from bot.commands import register_commands
from bot.desk import BookingDesk
from bot.home import register_home
from bot.modals import register_modals
from booking.admin import Admin
from booking.controls import BookingControls
from booking.service import BookingService
from booking.settings import Settings

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def make_client(settings: Settings) -> WebClient:
    """The Web API client: configurable base URL; retries connection errors, 5xx and 429 (Retry-After)."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )


def build_app(settings: Settings, service: BookingService, client: WebClient | None = None) -> App:
    settings.require_slack()
    app = App(
        token=settings.slack_bot_token,
        client=client or make_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=bool(settings.slack_signing_secret) or not settings.slack_app_token,
        token_verification_enabled=True,
    )
    register_listeners(app, service)
    return app


def register_listeners(app: App, service: BookingService) -> None:
    """Listeners grouped by Slack surface; all of them share one desk and one set of controls."""
    desk = BookingDesk(service, app.client)
    controls = BookingControls(service)
    register_commands(app, desk, controls, Admin(service))
    register_actions(app, desk, controls)
    register_modals(app, service, desk, controls)
    register_home(app, service, desk, controls)


def wsgi_app(app: App) -> Any:
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    return SlackRequestHandler(app, path=EVENTS_PATH)


def create_http_server(app: App, host: str, port: int) -> Any:
    """A waitress server for the app (``.run()`` serves, ``.close()`` stops); port 0 picks one."""
    from waitress import create_server

    return create_server(wsgi_app(app), host=host, port=port, threads=8, ident="booker")


def serve(app: App, settings: Settings) -> None:
    if settings.slack_app_token:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("Starting in Socket Mode")
        SocketModeHandler(app, settings.slack_app_token).start()
        return
    server = create_http_server(app, settings.http_host, settings.http_port)
    log.info("Serving Slack events on http://%s:%s%s", settings.http_host, server.effective_port, EVENTS_PATH)
    server.run()
