"""Slack events: ``app_home_opened`` publishes the Home tab (bot/blocks/home.py), the teammate's
bookings grouped by state with their buttons, their review default, and the team's upcoming
meetings. ``publish_home`` is also how a button pressed on the Home tab shows its result there.
"""
from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from booking.workflow.controls import BookingControls
from booking.workflow.overview import grouped, my_bookings, team_upcoming
from booking.workflow.preferences import review_by_default
from booking.workflow.service import BookingService
from bot.blocks.home import home_view

EVENTS = ("app_home_opened",)


def publish_home(client: WebClient, service: BookingService, user_id: str, notice: str | None = None) -> None:
    view = home_view(grouped(my_bookings(service, user_id)), team_upcoming(service),
                     review_by_default(service, user_id), notice)
    client.views_publish(user_id=user_id, view=view)


def is_home(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "home"


def register_events(app: App, service: BookingService, controls: BookingControls) -> None:
    @app.event("app_home_opened")
    def home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        controls.expire_overdue_reviews()
        publish_home(client, service, event["user"])
