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
    from booking.wiring import build_service

    client = make_client(settings)
    try:
        service = build_service(settings, notifiers=slack_notifiers(client))
        app = build_app(settings, service, client=client)
    except (BookingError, SlackApiError) as exc:
        print(f"error: could not start: {exc}", file=sys.stderr)
        return 2
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
