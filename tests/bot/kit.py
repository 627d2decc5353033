"""Helpers for bot tests: signed requests in, what a teammate would see out (via the Slack fake)."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from typing import Any

from booking.domain.states import BookingStatus
from booking.notify.notifier import BookingView, SafeNotifier
from booking.store.models import BookingEvent, MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput, Teammate
from booking.workflow.service import BookingService
from replicas.slack_requests import (
    FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, block_actions, bolt_request, event_callback, sign, slash_command,
    view_submission,
)
from tests.helpers import eventually

S = BookingStatus
SECRET = "test-signing-secret"
MARIA = Teammate(name="Maria Lopez", email="maria.lopez@axa-innovation.example", timezone="Europe/Helsinki",
                 user_id="U456")
# Wed 2 Dec 2026, 09:00 and 09:30 in Helsinki (the fake clock says Tue 1 Dec 08:00 UTC)
SLOT_1 = datetime(2026, 12, 2, 7, 0, tzinfo=timezone.utc)
SLOT_2 = datetime(2026, 12, 2, 7, 30, tzinfo=timezone.utc)
_names = itertools.count(1)


def send(app: Any, body: str, content_type: str = FORM_CONTENT_TYPE) -> Any:
    response = app.dispatch(bolt_request(body, sign(SECRET, body, content_type=content_type)))
    assert response.status == 200, response.body
    return response


def command(app: Any, slack: Any, text: str, *, user: str = "U123", channel: str = "C123",
            name: str = "/book") -> str:
    """Type a slash command; returns the response_url name its private replies are filed under."""
    hook = f"cmd{next(_names)}"
    send(app, slash_command(name, text=text, user_id=user, channel_id=channel,
                            response_url=slack.response_url(hook, user=user, channel=channel),
                            trigger_id=f"trigger-{hook}"))
    return hook


def click(app: Any, slack: Any, action_id: str, value: str | int, *, user: str = "U123", channel: str = "C123",
          message: dict[str, Any] | None = None, view: dict[str, Any] | None = None, block_id: str = "b1",
          state: dict[str, Any] | None = None, action: dict[str, Any] | None = None) -> str:
    """Press a button (on a message, or on a view such as the Home tab); returns its response_url name."""
    hook = f"click{next(_names)}"
    url = "" if view is not None else slack.response_url(hook, user=user, channel=channel)
    send(app, block_actions(action_id, str(value), user_id=user, channel_id=channel, message=message,
                            response_url=url, view=view, block_id=block_id, state=state,
                            trigger_id=f"trigger-{hook}", action_overrides=action))
    return hook


def submit(app: Any, callback_id: str, values: dict[str, Any], *, user: str = "U123", metadata: str = "") -> Any:
    return send(app, view_submission(callback_id, values, user_id=user, private_metadata=metadata))


def event(app: Any, payload: dict[str, Any]) -> Any:
    return send(app, event_callback(payload), content_type=JSON_CONTENT_TYPE)


def replies(slack: Any, hook: str, count: int = 1, timeout: float = 15) -> list[dict[str, Any]]:
    """The private replies posted to one response_url (waits: listeners run after their ack)."""
    def found() -> list[dict[str, Any]]:
        calls = [c.params for c in slack.calls_to("response_url") if c.params.get("_name") == hook]
        return calls if len(calls) >= count else []

    return eventually(found, timeout, f"{count} replies to {hook}")


def hold_jobs(service: BookingService, monkeypatch: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    """Record browser jobs instead of running them (for tests about what a button decides)."""
    queued: list[tuple[Any, tuple[Any, ...]]] = []
    monkeypatch.setattr(service.runner, "submit", lambda fn, *args, **kwargs: queued.append((fn, args)))
    return queued


def make_booking(service: BookingService, teammate: Teammate, status: BookingStatus, *, startup: str = "Acme",
                 channel: str = "C123", slots: tuple[datetime, ...] = (SLOT_1, SLOT_2),
                 person: str | None = "Alice Smith", **columns: Any) -> BookingView:
    """A booking in ``status`` with its parent message in the Slack fake, as the job would have left it."""
    view = service.request_booking(BookingRequestInput(teammate=teammate, startup=startup, requested_via="slack",
                                                       thread_ref={"channel": channel}))
    service.start(view.id)
    with service.db.transaction() as session:
        row = session.get_one(MeetingBookingRequest, view.id)
        row.status = status.value
        if status not in (S.PENDING, S.BOOKING_IN_PROGRESS):
            row.selected_person_name = person
            row.proposed_slot_1_datetime = slots[0] if slots else None
            row.proposed_slot_2_datetime = slots[1] if len(slots) > 1 else None
            row.slot_duration_minutes = 30
        if status in (S.CONFIRMED, S.ADDED_TO_CALENDAR):
            row.confirmed_slot_datetime = slots[0]
        if status is S.AWAITING_REVIEW:
            row.review_state = {"person": person, "message": "Hello", "decision": None}
            row.review_expires_at = service.clock() + timedelta(minutes=30)
        if status is S.FAILED:
            row.error_message = "The Calendly page changed or did not finish loading: the details form did not appear"
        for key, value in columns.items():
            setattr(row, key, value)
        view = service.view(row)
    SafeNotifier(service.notifiers(view)).updated(view)
    return service.get(view.id)


def parent(slack: Any, view: BookingView) -> dict[str, Any]:
    return slack.message(view.thread_ref["channel"], view.thread_ref["ts"])


def action_ids(message: dict[str, Any]) -> list[str]:
    return [e["action_id"] for b in message.get("blocks", []) if b["type"] == "actions" for e in b["elements"]]


def status_of(service: BookingService, booking_id: int) -> str:
    return service.get(booking_id).status


def events_of(service: BookingService, booking_id: int, kind: str) -> list[BookingEvent]:
    return [e for e in service.events(booking_id) if e.kind == kind]
