"""The composition root: builds the service from settings for every front-end."""
from __future__ import annotations

from typing import Any

from booking.browser.chrome import BrowserFactory, ChromeFactory
from booking.browser.processes import sweep_orphaned_browsers
from booking.config.settings import Settings
from booking.confirmations.checks import PlatformApiCheck
from booking.confirmations.gmail import GmailConfirmationCheck, GmailMailbox
from booking.confirmations.teammate_calendar import GoogleCalendar
from booking.notify.notifier import NotifierFactory
from booking.platforms.http import UrllibHttp
from booking.runtime.runner import JobRunner
from booking.store.db import open_database
from booking.store.leases import Lease, monitor_ttl
from booking.workflow.monitor import ConfirmationMonitor, PageRecheck
from booking.workflow.ports import Clock, utc_now
from booking.workflow.queueing import DatabaseQueue
from booking.workflow.service import BookingService


def build_service(
    settings: Settings,
    *,
    notifiers: NotifierFactory | None = None,
    clock: Clock = utc_now,
    browsers: BrowserFactory | None = None,
    availability: Any = None,
    mailbox: Any = None,
    queue_in_database: bool | None = None,
) -> BookingService:
    """Raises a one-line BookingError (CalendarNotConnected) when Google credentials are unusable.

    Booking jobs run in this process, or (``queue_in_database``; default: ``BOOKER_RUN_JOBS=false``) are
    queued in the database for any worker process; a worker's own retries go back there too.
    """
    settings.screenshot_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if browsers is None and not settings.remote_webdriver_url:
        sweep_orphaned_browsers()
    if availability is None and settings.google_enabled:
        availability = GoogleCalendar.from_settings(settings)
    if mailbox is None:
        mailbox = build_mailbox(settings, availability)  # e-mailed codes for recipes
    db = open_database(settings.database_url)
    if queue_in_database is None:
        queue_in_database = not settings.run_jobs
    return BookingService(
        db=db,
        settings=settings,
        browsers=browsers or ChromeFactory(settings),
        runner=JobRunner(settings.max_browsers),
        clock=clock,
        notifiers=notifiers,
        availability=availability,
        mailbox=mailbox,
        queue=DatabaseQueue(db, clock) if queue_in_database else None,
    )


def build_mailbox(settings: Settings, availability: Any = None) -> Any:
    """Where recipes read e-mailed codes: the teammate's Gmail when Google is configured, else None.

    Raises a one-line BookingError (CalendarNotConnected) when Google credentials are unusable.
    """
    if availability is None and settings.google_enabled:
        availability = GoogleCalendar.from_settings(settings)
    workspace = getattr(availability, "workspace", None)
    if workspace is None:
        return None
    return GmailMailbox(workspace)


def build_monitor(service: BookingService, owner: str | None = None):  # type: ignore[no-untyped-def]
    """The confirmation monitor with every check this deployment can run, in order."""
    lease = Lease(service.db, "confirmation-monitor", owner or service.worker_id,
                  ttl=monitor_ttl(service.settings.check_interval_seconds), clock=service.clock)
    checks: list = []
    workspace = getattr(service.availability, "workspace", None)
    if workspace is not None:
        checks.append(GmailConfirmationCheck(workspace, service.db, service.clock, service.settings.mail_senders))
    checks.append(PlatformApiCheck(UrllibHttp()))
    checks.append(PageRecheck(service))
    return ConfirmationMonitor(service, lease, checks)
