"""The Slack Web API client every part of the bot uses: the configured base URL (a loopback fake in
tests), and retries for connection errors, 5xx and 429 (after Retry-After).

Apart from the app so the notifier plugin (bot.notifier) can make one without loading the listeners.
"""
from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, ServerErrorRetryHandler,
)

from booking.config.settings import Settings


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
