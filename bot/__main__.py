"""Run the Slack bot: ``python -m bot``."""
from __future__ import annotations

import logging
import sys

from slack_sdk.errors import SlackApiError

from bot.app import build_app, make_client, serve
from bot.notifier import slack_notifiers
from booking.errors import BookingError
from booking.settings import Settings, SettingsError


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env().require_slack()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from booking.logs import install_redaction
    from booking.wiring import build_service

    install_redaction([settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret,
                       settings.slush_password])

    client = make_client(settings)
    try:
        service = build_service(settings, notifiers=slack_notifiers(client))
        app = build_app(settings, service, client=client)
    except (BookingError, SlackApiError) as exc:
        print(f"error: could not start: {exc}", file=sys.stderr)
        return 2
    if settings.run_scheduler:
        from booking.scheduler import start_scheduler
        from booking.wiring import build_monitor

        start_scheduler(build_monitor(service), settings.check_interval_seconds)
    from booking.controls import BookingControls
    from booking.housekeeping import Housekeeper

    housekeeper = Housekeeper([BookingControls(service).expire_overdue_reviews]).start()
    try:
        serve(app, settings)
    finally:
        housekeeper.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
