"""Run the Slack bot: ``python -m bot`` (settings from the environment or ``.env``; see README).

Whatever stops the start is one line on stderr and README's exit code (booking/failures.py): 2 for
a bad or revoked token or setting, 3 when Slack or the database can't be reached.
"""
from __future__ import annotations

import argparse
import logging
import sys
import urllib.error
from typing import Sequence

from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from booking.config.logs import configure_logging, install_redaction, quieted
from booking.config.settings import Settings
from booking.runtime.failures import (
    EXIT_BAD_INPUT, EXIT_UNREACHABLE, Failure, explain_and_keep, first_line, safe_database_url,
)
from booking.runtime.health import health_report
from booking.runtime.housekeeping import Housekeeper
from booking.runtime.scheduler import start_scheduler
from booking.runtime.wiring import build_monitor, build_service
from booking.workflow.controls import BookingControls
from bot.app import build_app, serve
from bot.client import make_client
from bot.notifier import slack_notifiers

log = logging.getLogger("bot")

# What Slack answers auth.test with when the token itself is the problem (Bolt wraps it in BoltError).
TOKEN_ERRORS = ("invalid_auth", "token_revoked", "account_inactive", "not_authed", "token_expired",
                "not_allowed_token_type")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Run Booker's Slack bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP "
                    "(Slack events on /slack/events, health on /healthz). Settings come from the "
                    "environment or .env (see .env.example); check them first with "
                    "`python -m booking doctor`.")
    return parser.parse_args(argv)


def explain_start(exc: BaseException, settings: Settings | None) -> Failure:
    """Slack's own refusals first (a revoked token is a setting to fix), then the shared translations."""
    if isinstance(exc, (BoltError, SlackApiError)):
        said = str(exc.response.get("error")) if isinstance(exc, SlackApiError) and exc.response else str(exc)
        token_problem = next((code for code in TOKEN_ERRORS if code in said), None)
        if token_problem:
            return Failure(f"Slack refused SLACK_BOT_TOKEN ({token_problem}); copy the Bot User OAuth Token "
                           "again (OAuth & Permissions), or reinstall the app if it was revoked", EXIT_BAD_INPUT)
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, (urllib.error.URLError, OSError)):
            exc = cause
        else:
            return Failure(f"Slack refused the start ({first_line(said)})", EXIT_BAD_INPUT)
    if isinstance(exc, (urllib.error.URLError, OSError)) and not getattr(exc, "filename", None):
        api = settings.slack_api_url if settings else "Slack"
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        return Failure(f"can't reach Slack at {api} ({first_line(reason)}); check the network "
                       "(or SLACK_API_URL)", EXIT_UNREACHABLE)
    return explain_and_keep(exc, settings)


def run_bot(settings: Settings) -> int:
    install_redaction([settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret,
                       settings.slush_password])
    client = make_client(settings)
    service = build_service(settings, notifiers=slack_notifiers(client))
    with quieted("slack_sdk.web.base_client", "slack_bolt.App"):  # auth.test: a refusal becomes our one line
        app = build_app(settings, service, client=client)
    scheduler = start_scheduler(build_monitor(service), settings.check_interval_seconds) \
        if settings.run_scheduler else None
    housekeeper = Housekeeper([BookingControls(service).expire_overdue_reviews]).start()

    def ready(mode: str) -> None:
        report = health_report(service.db, scheduler)
        jobs = f"up to {settings.max_browsers} browsers" if settings.run_jobs else \
            "booking jobs queued for workers (BOOKER_RUN_JOBS=false)"
        log.info("Booker bot ready: %s; database %s (%s); confirmation monitor %s; %s",
                 mode, safe_database_url(settings.database_url), report["database"], report["scheduler"], jobs)

    try:
        serve(app, settings, health=lambda: health_report(service.db, scheduler), ready=ready)
    finally:
        housekeeper.stop()
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        service.runner.shutdown(wait=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parse_args(argv)
    configure_logging(logging.INFO)
    settings: Settings | None = None
    try:
        settings = Settings.from_env().require_slack()
        return run_bot(settings)
    except (Exception, KeyboardInterrupt) as exc:
        failure = explain_start(exc, settings)
        print(f"error: {failure.line}", file=sys.stderr)
        return failure.exit_code


if __name__ == "__main__":
    sys.exit(main())
