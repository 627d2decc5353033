"""Front-end plugins the core loads by name, so it never imports Slack itself.

``BOOKER_NOTIFIER`` names a ``module:function`` that takes the settings and returns a
NotifierFactory. With a Slack bot token and no explicit choice, the Slack notifier is used, so a
separate ``python -m booking worker`` still posts in the booking threads and DMs teammates.
"""
from __future__ import annotations

import importlib
from typing import Callable

from booking.config.settings import Settings
from booking.domain.errors import BookingError
from booking.notify.notifier import NotifierFactory

SLACK_NOTIFIER = "bot.notifier:notifiers_from_settings"


def load_notifiers(settings: Settings, fallback: NotifierFactory) -> NotifierFactory:
    target = settings.notifier or (SLACK_NOTIFIER if settings.slack_bot_token else None)
    if not target:
        return fallback
    module_name, _, function_name = target.partition(":")
    try:
        factory: Callable[[Settings], NotifierFactory] = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as exc:
        raise BookingError(f"BOOKER_NOTIFIER={target!r} can't be loaded: {exc}") from None
    return factory(settings)
