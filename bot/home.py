"""The Home tab: the teammate's bookings grouped by state (with their buttons), their review
default, and the team's upcoming confirmed meetings. Published on ``app_home_opened`` and again
after every button pressed on it."""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import blocks as ui
from bot.desk import BookingDesk
from bot.modals import open_book_modal
from booking.controls import BookingControls
from booking.overview import grouped, my_bookings, team_upcoming
from booking.preferences import review_by_default, set_review_by_default
from booking.service import BookingService

log = logging.getLogger(__name__)

EVENTS = ("app_home_opened",)


def publish_home(client: WebClient, service: BookingService, user_id: str, notice: str | None = None) -> None:
    view = ui.home_view(grouped(my_bookings(service, user_id)), team_upcoming(service),
                        review_by_default(service, user_id), notice)
    client.views_publish(user_id=user_id, view=view)


def is_home(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "home"


def register_home(app: App, service: BookingService, desk: BookingDesk, controls: BookingControls) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        controls.expire_overdue_reviews()
        publish_home(client, service, event["user"])

    @app.action(ui.HOME_BOOK)
    def book_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        open_book_modal(client, service, body["trigger_id"], body["user"]["id"], None)

    @app.action(ui.HOME_REVIEW_DEFAULT)
    def review_default(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        user_id = body["user"]["id"]
        enabled = any(o.get("value") == ui.REVIEW_OPTION for o in action.get("selected_options") or [])
        set_review_by_default(service, desk.teammate(user_id), enabled)
        notice = ("Booker will show you each filled form before sending it." if enabled
                  else "Booker will send filled forms right away.")
        publish_home(client, service, user_id, notice)
