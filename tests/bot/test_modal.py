"""`/book` alone: the booking form, opened before anything slow, with a searchable startup picker."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from slack_sdk.models.views import View

from booking.domain.states import BookingStatus
from booking.store.models import MeetingBookingRequest
from booking.workflow.preferences import set_review_by_default
from bot import ids
from bot.blocks.modals import book_modal
from replicas.slack_requests import block_suggestion
from tests.bot.kit import MARIA, click, command, hold_jobs, make_booking, send, submit
from tests.helpers import eventually

S = BookingStatus


@pytest.fixture
def world(bot, slack, directory, monkeypatch):
    app, service = bot
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example")
    return app, service, hold_jobs(service, monkeypatch)


def rows(service, user="U123"):
    with service.db.session() as session:
        return session.query(MeetingBookingRequest).filter_by(user_id=user).all()


def opened_form(slack):
    return eventually(lambda: slack.calls_to("views.open"), 10, "the form")[-1].params


def form_values(startup="acme-robotics", person=None, message=None, review=False, anyway=False, **times):
    values = {"startup": {ids.STARTUP_PICK: {"type": "external_select",
                                            "selected_option": {"value": startup, "text": {"type": "plain_text", "text": startup}}}}}
    if person:
        values["person"] = {ids.PERSON_PICK: {"type": "static_select", "selected_option": {"value": person}}}
    for block, action in (("day", ids.PREF_DAY), ("from", ids.PREF_FROM), ("until", ids.PREF_UNTIL)):
        if block in times:
            key = "selected_date" if block == "day" else "selected_time"
            values[block] = {action: {key: times[block]}}
    values["message"] = {ids.MESSAGE: {"type": "plain_text_input", "value": message or "Hello {person}"}}
    values["options"] = {ids.OPTIONS: {"type": "checkboxes",
                                      "selected_options": [{"value": ids.REVIEW_OPTION}] if review else []}}
    if anyway:
        values["anyway"] = {ids.ANYWAY_OPTION: {"type": "checkboxes", "selected_options": [{"value": ids.ANYWAY_OPTION}]}}
    return values


def test_book_alone_opens_the_form_before_anything_else(world, slack, teammate):
    app, service, jobs = world
    set_review_by_default(service, teammate, True)
    before = len(slack.calls)
    command(app, slack, "")
    params = opened_form(slack)
    assert [c.method for c in slack.calls[before:]][0] == "views.open"
    assert params["trigger_id"].startswith("trigger-")
    form = params["view"]
    View(**form).validate_json()
    assert form["callback_id"] == ids.BOOK_MODAL and json.loads(form["private_metadata"]) == {"c": "C123"}
    blocks = {b["block_id"]: b for b in form["blocks"]}
    assert blocks["startup"]["element"]["type"] == "external_select" and blocks["startup"]["dispatch_action"]
    assert blocks["message"]["element"]["initial_value"].startswith("Hello, my name is {user_name}")
    assert [o["value"] for o in blocks["options"]["element"]["initial_options"]] == [ids.REVIEW_OPTION]


def test_startup_search_and_people_of_the_chosen_startup(world, slack):
    app, service, jobs = world
    answer = json.loads(send(app, block_suggestion(ids.STARTUP_PICK, "ac", block_id="startup")).body)
    assert answer == {"options": [{"text": {"type": "plain_text", "text": "Acme Robotics", "emoji": True},
                                   "value": "acme-robotics"}]}
    everything = json.loads(send(app, block_suggestion(ids.STARTUP_PICK, "", block_id="startup")).body)
    assert [o["value"] for o in everything["options"]] == ["acme-robotics", "beta-health"]

    form = book_modal(metadata='{"c":"C123"}', template="Hi", review_default=False)
    state = {"startup": {ids.STARTUP_PICK: {"type": "external_select",
                                           "selected_option": {"value": "acme-robotics",
                                                               "text": {"type": "plain_text", "text": "Acme Robotics"}}}},
             "message": {ids.MESSAGE: {"type": "plain_text_input", "value": "My own words"}}}
    click(app, slack, ids.STARTUP_PICK, "", view={"id": "V9", "hash": "h1", **form}, block_id="startup", state=state,
          action={"type": "external_select", "selected_option": state["startup"][ids.STARTUP_PICK]["selected_option"]})
    update = eventually(lambda: slack.calls_to("views.update"), 10, "the form update")[0].params
    assert (update["view_id"], update["hash"]) == ("V9", "h1")
    blocks = {b["block_id"]: b for b in update["view"]["blocks"]}
    assert [o["value"] for o in blocks["person"]["element"]["options"]] == [ids.ANYONE, "Alice Smith", "Bob Jones"]
    assert blocks["message"]["element"]["initial_value"] == "My own words"  # what was typed is kept
    assert blocks["startup"]["element"]["initial_option"]["value"] == "acme-robotics"


def test_submitting_the_form_books_with_its_choices(world, slack, teammate):
    app, service, jobs = world
    command(app, slack, "")
    form = opened_form(slack)["view"]
    response = submit(app, ids.BOOK_MODAL, form_values(person="Bob Jones", message="Hi {person}!", review=True,
                                                      day="2026-12-03", **{"from": "14:00"}),
                      metadata=form["private_metadata"])
    assert response.body == ""  # closes the form
    [row] = eventually(lambda: rows(service), 10, "the booking")
    assert (row.startup_id, row.preferred_person, row.message_template, row.review_before_submit) == (
        "acme-robotics", "Bob Jones", "Hi {person}!", True)
    start, end = row.preferred_times[0]
    assert (datetime.fromisoformat(start), datetime.fromisoformat(end)) == (
        datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc), datetime(2026, 12, 3, 22, 0, tzinfo=timezone.utc))
    eventually(lambda: jobs, 10, "the job to be queued")
    assert [fn.__name__ for fn, _ in jobs] == ["run_booking"] and len(slack.messages("C123")) == 1
    # Bob goes first when the job runs; the others stay as fallbacks.
    with service.db.session() as session:
        job = service.build_job(session, session.get_one(MeetingBookingRequest, row.id))
    assert [p.name for p in job.people] == ["Bob Jones", "Alice Smith"] and job.stop_before_submit


def test_form_mistakes_show_under_their_fields_and_store_nothing(world, slack):
    app, service, jobs = world
    values = form_values(message="Hi {whoever}", **{"from": "15:00", "until": "14:00", "day": "2026-12-03"})
    answer = json.loads(submit(app, ids.BOOK_MODAL, values, metadata='{"c":"C123"}').body)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"message", "until"}
    assert rows(service) == [] and jobs == []


def test_the_form_warns_about_a_colleague_then_books_anyway(world, slack, teammate):
    app, service, jobs = world
    theirs = make_booking(service, MARIA, S.CONFIRMED)
    jobs.clear()
    answer = json.loads(submit(app, ids.BOOK_MODAL, form_values(message="Hi {person}"), metadata='{"c":"C123"}').body)
    assert answer["response_action"] == "update"
    blocks = {b["block_id"]: b for b in answer["view"]["blocks"]}
    when = f"<!date^{int(theirs.confirmed_slot.timestamp())}^{{date_short_pretty}} at {{time}}|Wed 2 Dec 09:00 (Europe/Helsinki)>"
    assert f"<@U456> — confirmed, {when} · <{theirs.link}|see the thread>" in blocks["warning"]["text"]["text"]
    assert blocks["message"]["element"]["initial_value"] == "Hi {person}"  # nothing typed is lost
    assert rows(service) == []

    submit(app, ids.BOOK_MODAL, form_values(message="Hi {person}", anyway=True), metadata='{"c":"C123"}')
    [row] = eventually(lambda: rows(service), 10, "the booking")
    assert row.startup_id == "acme-robotics"


def test_the_form_refuses_a_startup_i_already_have(world, slack, teammate):
    app, service, jobs = world
    mine = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    answer = json.loads(submit(app, ids.BOOK_MODAL, form_values(), metadata='{"c":"C123"}').body)
    assert answer == {"response_action": "errors", "errors": {
        "startup": f"You already have a booking with Acme Robotics (#{mine.id}); `/book status {mine.id}` shows it."}}
