"""The composition root: builds the service from settings for every front-end."""
from __future__ import annotations

from typing import Any

from booking.browser import BrowserFactory, ChromeFactory
from booking.db import open_database
from booking.notify import NotifierFactory
from booking.runner import JobRunner
from booking.service import BookingService, Clock, utc_now
from booking.settings import Settings


def build_service(
    settings: Settings,
    *,
    notifiers: NotifierFactory | None = None,
    clock: Clock = utc_now,
    browsers: BrowserFactory | None = None,
    availability: Any = None,
    mailbox: Any = None,
) -> BookingService:
    settings.screenshot_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return BookingService(
        db=open_database(settings.database_url),
        settings=settings,
        browsers=browsers or ChromeFactory(settings),
        runner=JobRunner(settings.max_browsers),
        clock=clock,
        notifiers=notifiers,
        availability=availability,
        mailbox=mailbox,
    )
