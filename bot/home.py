"""The Home tab: the teammate's bookings grouped by state (with their buttons), their review
default, their working hours (a form), and the team's upcoming confirmed meetings. Published on
``app_home_opened`` and again after every button pressed on it."""
from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import blocks as ui
from bot.desk import BookingDesk
from bot.hours_modal import HOURS_VIEW, HoursForm, hours_modal, saved_notice
from bot.modals import open_book_modal
from booking.workflow.controls import BookingControls
from booking.workflow.overview import grouped, my_bookings, team_upcoming
from booking.workflow.preferences import review_by_default, save_working_time, set_review_by_default, working_time
from booking.workflow.service import BookingService

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

    @app.action(ui.HOME_HOURS)
    def hours_from_home(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        """The working-hours form, filled with what the teammate has now (views.open first: 3 s trigger)."""
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=hours_modal(working_time(service, body["user"]["id"])))

    @app.view(HOURS_VIEW)
    def hours_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """Checked before the ack: a mistake shows under its field and nothing is stored."""
        chosen, problems = HoursForm.read(view.get("state") or {}).checked()
        if chosen is None:
            ack(response_action="errors", errors=problems)
            return
        ack()
        user_id = body["user"]["id"]
        try:
            save_working_time(service, desk.teammate(user_id), chosen)
            notice = saved_notice(chosen)
        except Exception:
            log.exception("saving the working hours of %s failed", user_id)
            notice = "Your working hours could not be saved; nothing was changed. Please try again."
        publish_home(client, service, user_id, notice)
