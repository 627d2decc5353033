"""Working hours, days, buffer and time zone set from the Home tab's form, not as JSON in the database."""
from __future__ import annotations

import json
from datetime import time

import pytest
from slack_sdk.models.views import View

from booking.domain.hours import parse_preferences
from booking.store.models import SlackUser
from bot import ids
from bot.ids import BUFFER, DAYS, END, HOURS_VIEW, START, ZONE
from tests.bot.kit import click, command, event, hold_jobs, submit
from tests.helpers import eventually


@pytest.fixture
def world(bot, slack, directory, monkeypatch):
    app, service = bot
    return app, service, hold_jobs(service, monkeypatch)


def stored(service, user="U123"):
    with service.db.session() as session:
        row = session.get(SlackUser, user)
        return dict(row.preferences or {}) if row else None


def open_form(app, slack):
    """Open the Home tab and press Working hours; returns the form Slack was asked to open."""
    published, opened = len(slack.calls_to("views.publish")), len(slack.calls_to("views.open"))
    event(app, {"type": "app_home_opened", "user": "U123", "channel": "DU123", "tab": "home"})
    home = eventually(lambda: slack.calls_to("views.publish")[published:], 10, "the Home tab")[-1].params["view"]
    [button] = [e for b in home["blocks"] if b.get("block_id") == "home:actions" for e in b["elements"]
                if e["action_id"] == ids.HOME_HOURS]
    click(app, slack, ids.HOME_HOURS, button["value"], view={"id": "VHOME", **home}, block_id="home:actions")
    return eventually(lambda: slack.calls_to("views.open")[opened:], 10, "the working-hours form")[-1].params["view"]


def values(start="09:00", end="17:00", days=("mon", "tue", "wed", "thu"), buffer="15", zone="America/New_York"):
    """view.state.values as Slack sends them for this form."""
    return {START: {START: {"type": "timepicker", "selected_time": start}},
            END: {END: {"type": "timepicker", "selected_time": end}},
            DAYS: {DAYS: {"type": "checkboxes", "selected_options": [{"value": d} for d in days]}},
            BUFFER: {BUFFER: {"type": "plain_text_input", "value": buffer}},
            ZONE: {ZONE: {"type": "plain_text_input", "value": zone}}}


def initial(form, block_id):
    element = next(b for b in form["blocks"] if b.get("block_id") == block_id)["element"]
    return element.get("initial_time") or element.get("initial_value") or \
        [o["value"] for o in element.get("initial_options", [])]


@pytest.mark.both_databases
def test_the_form_saves_hours_days_buffer_and_zone_where_bookings_read_them(world, slack):
    """Defaults first; Save stores them on the teammate, the job reads them back, and the next
    /book runs in the zone chosen; the form shows the saved values when opened again."""
    app, service, jobs = world
    form = open_form(app, slack)
    View(**form).validate_json()
    assert form["callback_id"] == HOURS_VIEW
    assert (initial(form, START), initial(form, END), initial(form, DAYS), initial(form, BUFFER)) == \
        ("08:00", "18:00", ["mon", "tue", "wed", "thu", "fri"], "0")

    response = submit(app, HOURS_VIEW, values())
    assert response.body == ""  # accepted: the form closes
    assert eventually(lambda: stored(service), 10, "the saved hours") == {
        "working_hours": "09:00-17:00", "working_days": "mon,tue,wed,thu", "buffer_minutes": 15,
        "timezone": "America/New_York"}
    prefs = parse_preferences(stored(service))
    assert (prefs.working_hours, prefs.working_days, prefs.buffer_minutes) == \
        ((time(9), time(17)), frozenset({0, 1, 2, 3}), 15)
    notice = eventually(lambda: [c.params["view"] for c in slack.calls_to("views.publish")][1:], 10, "the Home tab")
    assert any(b.get("block_id") == "home:notice" and "09:00–17:00, Mon, Tue, Wed, Thu, 15 min buffer, America/New_York"
               in b["elements"][0]["text"] for b in notice[-1]["blocks"])

    command(app, slack, "Acme")
    booked = eventually(lambda: service.get(1) if len(jobs) else None, 10, "the booking")
    assert booked.user_timezone == "America/New_York"  # the chosen zone wins over Slack's Europe/Helsinki

    again = open_form(app, slack)
    assert (initial(again, START), initial(again, DAYS), initial(again, BUFFER), initial(again, ZONE)) == \
        ("09:00", ["mon", "tue", "wed", "thu"], "15", "America/New_York")


@pytest.mark.parametrize("form, field, words", [
    (values(start="17:00", end="09:00"), END, "end after it starts"),
    (values(days=()), DAYS, "at least one day"),
    (values(buffer="ten"), BUFFER, "whole number of minutes"),
    (values(buffer="500"), BUFFER, "0 to 240"),
    (values(zone="Mars/Olympus_Mons"), ZONE, "is not a time zone"),
    (values(zone="../../etc/passwd"), ZONE, "is not a time zone"),
])
def test_a_mistake_shows_under_its_field_and_nothing_is_stored(world, slack, form, field, words):
    app, service, jobs = world
    response = submit(app, HOURS_VIEW, form)
    body = json.loads(response.body)
    assert body["response_action"] == "errors" and list(body["errors"]) == [field]
    assert words in body["errors"][field] and "\n" not in body["errors"][field]
    assert stored(service) is None and slack.calls_to("views.publish") == []


def test_saving_again_keeps_the_other_preferences_and_an_empty_zone_means_slacks(world, slack, teammate):
    """The review default stored next to them survives; clearing the zone goes back to Slack's."""
    app, service, jobs = world
    submit(app, HOURS_VIEW, values())
    saved = eventually(lambda: stored(service), 10, "the saved hours")
    with service.db.transaction() as session:
        session.get(SlackUser, "U123").preferences = {**saved, "review_before_submit": True}
    submit(app, HOURS_VIEW, values(zone=""))
    assert eventually(lambda: "timezone" not in stored(service) and stored(service), 10, "the second save") == {
        "working_hours": "09:00-17:00", "working_days": "mon,tue,wed,thu", "buffer_minutes": 15,
        "review_before_submit": True}
    command(app, slack, "Acme")
    booked = eventually(lambda: service.get(1) if len(jobs) else None, 10, "the booking")
    assert booked.user_timezone == "Europe/Helsinki"
