"""Each button of the booking message, in each state, through signed block_actions payloads.

The buttons update the message in place (chat.update on the thread's parent), tell whoever clicked
what happened (privately), and refuse anyone who neither owns the booking nor is an admin.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from booking.domain.states import BookingStatus
from booking.workflow.review import CANCEL_REQUEST
from bot import ids
from tests.bot.kit import (
    MARIA, SLOT_1, SLOT_2, action_ids, click, events_of, hold_jobs, make_booking, parent, replies, status_of, submit,
)
from tests.helpers import eventually

S = BookingStatus


@pytest.fixture
def slack_settings(settings, slack):
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example")
    slack.add_user("UADMIN", "Ada Admin", "ada@axa-innovation.example")
    return settings.with_overrides(slack_api_url=slack.api_url, admins=("UADMIN",))


@pytest.fixture
def world(bot, slack, directory, teammate, monkeypatch):
    app, service = bot
    jobs = hold_jobs(service, monkeypatch)
    return app, service, jobs


def updates_of(slack, view):
    return [c for c in slack.calls_to("chat.update") if c.params.get("ts") == view.thread_ref["ts"]]


def wait_status(service, booking_id, status):
    return eventually(lambda: status_of(service, booking_id) == status, 15, f"booking {booking_id} to be {status}")


# -- the buttons each state shows ------------------------------------------------------------------
@pytest.mark.parametrize("status, expected", [
    (S.PENDING, [ids.CANCEL]),
    (S.BOOKING_IN_PROGRESS, [ids.CANCEL]),
    (S.AWAITING_REVIEW, [ids.APPROVE, ids.OTHER_SLOT, ids.CANCEL]),
    (S.PENDING_CONFIRMATION, [ids.MARK_CONFIRMED, ids.CHECK_NOW, ids.CANCEL]),
    (S.FAILED, [ids.RETRY, ids.EDIT_RETRY, ids.OPEN_PAGE]),
    (S.CONFIRMED, [ids.OPEN_CALENDAR, ids.CANCEL]),
    (S.CANCELLED, []),
])
def test_each_state_shows_its_buttons_with_the_plans_details(world, slack, teammate, status, expected):
    app, service, jobs = world
    view = make_booking(service, teammate, status)
    message = parent(slack, view)
    assert action_ids(message) == expected
    assert message["text"]  # the plain-text fallback is always there
    if status is S.PENDING_CONFIRMATION:
        fields = " ".join(f["text"] for f in message["blocks"][0]["fields"])
        assert "Alice Smith" in fields and "Wed 2 Dec 09:00 (Europe/Helsinki)" in fields
        assert "Wed 2 Dec 09:00 (Europe/Helsinki) (requested)" in fields
        assert "Wed 2 Dec 09:30 (Europe/Helsinki) (alternative)" in fields and "checked 0×" in fields


# -- pending / in progress ------------------------------------------------------------------------------
def test_cancel_a_queued_booking(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.PENDING)
    hook = click(app, slack, ids.CANCEL, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"] == "Cancelled before it started: nothing was sent to Acme Robotics."
    assert status_of(service, view.id) == S.CANCELLED
    message = parent(slack, view)
    assert message["text"] == "Booking Acme Robotics cancelled" and action_ids(message) == []


def test_cancel_while_the_browser_runs_asks_the_job_to_stop(world, slack, teammate):
    """The job owns the row while it runs: the click is recorded; the job stops at its next step."""
    app, service, jobs = world
    view = make_booking(service, teammate, S.BOOKING_IN_PROGRESS)
    hook = click(app, slack, ids.CANCEL, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"].startswith("Stopping the booking with Acme Robotics: nothing is sent after the step")
    assert status_of(service, view.id) == S.BOOKING_IN_PROGRESS
    assert [e.detail for e in events_of(service, view.id, CANCEL_REQUEST)] == ["Cancel requested by U123"]


# -- awaiting review --------------------------------------------------------------------------------------
def test_pick_the_other_slot_swaps_the_slots_and_queues_the_resume(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.AWAITING_REVIEW)
    jobs.clear()
    hook = click(app, slack, ids.OTHER_SLOT, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"] == "Sending the form for Acme Robotics with Wed 2 Dec, 09:30 (Europe/Helsinki)."
    after = service.get(view.id)
    assert after.status == S.PENDING and after.proposed_slots == (SLOT_2, SLOT_1)
    assert [fn.__name__ for fn, args in jobs] == ["run_booking"] and jobs[0][1] == (view.id,)
    assert action_ids(parent(slack, view)) == [ids.CANCEL]


def test_approve_twice_queues_one_job(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.AWAITING_REVIEW)
    jobs.clear()
    first = click(app, slack, ids.APPROVE, view.id, message=parent(slack, view))
    replies(slack, first)
    second = click(app, slack, ids.APPROVE, view.id, message=parent(slack, view))
    [reply] = replies(slack, second)
    assert reply["text"] == "This booking isn't waiting for a review any more; it is pending."
    assert len(jobs) == 1


def test_a_review_nobody_answers_expires(world, slack, teammate, clock):
    app, service, jobs = world
    view = make_booking(service, teammate, S.AWAITING_REVIEW)
    clock.advance(minutes=31)
    hook = click(app, slack, ids.APPROVE, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert "Nobody approved the filled form within 30 min, so nothing was sent" in reply["text"]
    assert status_of(service, view.id) == S.FAILED
    assert action_ids(parent(slack, view)) == [ids.RETRY, ids.EDIT_RETRY, ids.OPEN_PAGE]


def test_cancel_during_review_sends_nothing(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.AWAITING_REVIEW)
    hook = click(app, slack, ids.CANCEL, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"] == "Cancelled: the form was filled but never sent, so Acme Robotics received nothing."
    assert status_of(service, view.id) == S.CANCELLED


# -- pending confirmation ------------------------------------------------------------------------------------
def test_mark_as_confirmed(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    hook = click(app, slack, ids.MARK_CONFIRMED, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"] == "Marked Acme Robotics as confirmed."
    after = service.get(view.id)
    assert after.status == S.CONFIRMED and after.confirmation_method == "teammate" and after.confirmed_slot == SLOT_1
    message = parent(slack, view)
    assert message["text"] == "✓ Booked Acme Robotics with Alice Smith, Wed 2 Dec 09:00 (Europe/Helsinki)"
    assert action_ids(message) == [ids.OPEN_CALENDAR, ids.CANCEL]


def test_check_now_says_when_the_platform_cant_be_checked_and_changes_nothing(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    jobs.clear()
    before = len(updates_of(slack, view))
    hook = click(app, slack, ids.CHECK_NOW, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"] == ("Booker can't check Calendly bookings automatically yet. When Acme Robotics confirms "
                             "(usually by e-mail), press Mark as confirmed.")
    assert len(updates_of(slack, view)) == before and jobs == []
    assert service.get(view.id).confirmation_check_count == 0


def test_cancel_a_submitted_booking_explains_what_stays(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    hook = click(app, slack, ids.CANCEL, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"].startswith("Cancelled in Booker. The booking on Calendly stays: Booker can't cancel on "
                                    "Calendly, so use the cancel link in the e-mail Calendly sent to eduardo.paz@")
    assert status_of(service, view.id) == S.CANCELLED
    [note] = [m for m in slack.thread("C123", view.thread_ref["ts"]) if "stays" in m["text"]]
    assert "Calendly" in note["text"]


# -- failed ---------------------------------------------------------------------------------------------------
def test_retry_runs_again_in_the_same_thread(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.FAILED)
    jobs.clear()
    hook = click(app, slack, ids.RETRY, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"] == "Trying Acme Robotics again; this message updates as it goes."
    after = service.get(view.id)
    assert after.status == S.PENDING and after.error_message is None and after.retry_count == 0
    assert [(fn.__name__, args) for fn, args in jobs] == [("run_booking", (view.id,))]
    message = parent(slack, view)
    assert message["text"] == "Booking Acme Robotics… ⏳" and action_ids(message) == [ids.CANCEL]
    assert len(slack.messages("C123")) == 1  # no second thread


def test_edit_and_retry_opens_the_form_first_then_retries_with_the_edits(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.FAILED)
    jobs.clear()
    before = len(slack.calls)
    click(app, slack, ids.EDIT_RETRY, view.id, message=parent(slack, view))
    opened = eventually(lambda: slack.calls_to("views.open"), 10, "the edit form")
    assert [c.method for c in slack.calls[before:]][0] == "views.open"  # before anything slow
    form = opened[0].params["view"]
    assert form["callback_id"] == ids.EDIT_MODAL
    person = next(b for b in form["blocks"] if b["block_id"] == "person")["element"]
    assert [o["value"] for o in person["options"]] == [ids.ANYONE, "Alice Smith", "Bob Jones"]

    values = {
        "person": {ids.PERSON_PICK: {"type": "static_select", "selected_option": {"value": "Bob Jones"}}},
        "day": {ids.PREF_DAY: {"type": "datepicker", "selected_date": "2026-12-03"}},
        "from": {ids.PREF_FROM: {"type": "timepicker", "selected_time": "13:00"}},
        "until": {ids.PREF_UNTIL: {"type": "timepicker", "selected_time": "15:00"}},
        "message": {ids.MESSAGE: {"type": "plain_text_input", "value": "Hi {person}, {user_name} here."}},
        "options": {ids.OPTIONS: {"type": "checkboxes", "selected_options": [{"value": ids.REVIEW_OPTION}]}},
    }
    submit(app, ids.EDIT_MODAL, values, metadata=form["private_metadata"])
    wait_status(service, view.id, S.PENDING)
    after = service.get(view.id)
    assert after.preferred_person == "Bob Jones" and after.review_before_submit
    assert after.message_template == "Hi {person}, {user_name} here."
    [(start, end)] = after.preferred_times
    assert (start, end) == (datetime(2026, 12, 3, 11, 0, tzinfo=timezone.utc),  # 13:00–15:00 in Helsinki
                            datetime(2026, 12, 3, 13, 0, tzinfo=timezone.utc))
    eventually(lambda: jobs, 10, "the retry to be queued")
    assert [fn.__name__ for fn, _ in jobs] == ["run_booking"]


def test_edit_form_errors_show_under_the_field_and_change_nothing(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.FAILED)
    values = {"message": {ids.MESSAGE: {"type": "plain_text_input", "value": "Hi {boss}"}},
              "from": {ids.PREF_FROM: {"type": "timepicker", "selected_time": "13:00"}}}
    response = submit(app, ids.EDIT_MODAL, values, metadata=f'{{"b":{view.id}}}')
    answer = json.loads(response.body)
    assert answer["response_action"] == "errors"
    assert answer["errors"]["message"].startswith("unknown placeholder {boss}")
    assert answer["errors"]["day"] == "Pick the day these times are for."
    assert status_of(service, view.id) == S.FAILED


@pytest.mark.parametrize("status, action_id", [(S.FAILED, ids.OPEN_PAGE), (S.CONFIRMED, ids.OPEN_CALENDAR)])
def test_link_buttons_are_acked_and_change_nothing(world, slack, teammate, status, action_id):
    app, service, jobs = world
    view = make_booking(service, teammate, status)
    message = parent(slack, view)
    url = next(e["url"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
               if e["action_id"] == action_id)
    assert url.startswith(("http://127.0.0.1", "https://calendar.google.com/calendar/render?action=TEMPLATE"))
    before = len(slack.calls)
    click(app, slack, action_id, view.id, message=message)
    assert status_of(service, view.id) == status
    assert [c.method for c in slack.calls[before:]] == []


# -- confirmed -------------------------------------------------------------------------------------------------
def test_cancel_a_confirmed_meeting(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.CONFIRMED)
    cancel = next(e for b in parent(slack, view)["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == ids.CANCEL)
    assert "The booking on Calendly stays" in cancel["confirm"]["text"]["text"]  # said before the click
    hook = click(app, slack, ids.CANCEL, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert "The booking on Calendly stays" in reply["text"]
    assert status_of(service, view.id) == S.CANCELLED


def test_cancel_with_a_calendar_event_but_no_calendar_says_to_remove_it(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.ADDED_TO_CALENDAR, calendar_event_id="ev1")
    assert action_ids(parent(slack, view)) == [ids.OPEN_CALENDAR, ids.CANCEL]
    hook = click(app, slack, ids.CANCEL, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"].endswith("Remove the meeting from your calendar yourself (no calendar is connected).")


# -- ownership --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("action_id, status", [
    (ids.CANCEL, S.PENDING_CONFIRMATION), (ids.MARK_CONFIRMED, S.PENDING_CONFIRMATION), (ids.RETRY, S.FAILED),
    (ids.APPROVE, S.AWAITING_REVIEW), (ids.EDIT_RETRY, S.FAILED), (ids.CHECK_NOW, S.PENDING_CONFIRMATION),
])
def test_someone_elses_click_is_refused_and_changes_nothing(world, slack, teammate, action_id, status):
    app, service, jobs = world
    view = make_booking(service, teammate, status)
    jobs.clear()
    before_updates = len(updates_of(slack, view))
    hook = click(app, slack, action_id, view.id, user="U456", message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"] == ("This booking belongs to <@U123>; only they or a Booker admin can change it. "
                             "Nothing was changed.")
    assert reply["response_type"] == "ephemeral" and not reply.get("replace_original")
    assert [e["user"] for e in slack.ephemerals() if e.get("name") == hook] == ["U456"]
    assert status_of(service, view.id) == status and jobs == []
    assert len(updates_of(slack, view)) == before_updates and slack.calls_to("views.open") == []


def test_an_admin_may_press_anyones_buttons(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    hook = click(app, slack, ids.MARK_CONFIRMED, view.id, user="UADMIN", message=parent(slack, view))
    assert replies(slack, hook)[0]["text"] == "Marked Acme Robotics as confirmed."
    assert status_of(service, view.id) == S.CONFIRMED


# -- /book cancel, status, list ---------------------------------------------------------------------------------
def test_book_cancel_status_and_list(world, slack, teammate):
    from tests.bot.kit import command

    app, service, jobs = world
    mine = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    theirs = make_booking(service, MARIA, S.CONFIRMED, startup="Beta")

    hook = command(app, slack, f"status {mine.id}")
    [status] = replies(slack, hook)
    assert status["text"] == "Acme Robotics: pending confirmation ⏳"
    assert any(b.get("block_id", "").endswith(":history") for b in status["blocks"])

    hook = command(app, slack, f"cancel #{theirs.id}")
    assert replies(slack, hook)[0]["text"].startswith("This booking belongs to <@U456>")
    assert status_of(service, theirs.id) == S.CONFIRMED

    hook = command(app, slack, f"cancel {mine.id}")
    assert replies(slack, hook)[0]["text"].startswith("Cancelled in Booker.")

    hook = command(app, slack, "list")
    [listing] = replies(slack, hook)
    assert listing["text"] == "Your bookings (1)"
    assert "Cancelled" in listing["blocks"][0]["text"]["text"] and "Beta" not in str(listing["blocks"])

    hook = command(app, slack, "status 999")
    assert replies(slack, hook)[0]["text"] == "There is no booking #999; `/book list` shows yours."


def test_a_rate_limited_update_is_retried_after_retry_after(world, slack, teammate):
    """429 on chat.update: the WebClient's RateLimitErrorRetryHandler waits and sends it again."""
    app, service, jobs = world
    view = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    slack.fail("chat.update", status=429, retry_after=1)
    hook = click(app, slack, ids.MARK_CONFIRMED, view.id, message=parent(slack, view))
    replies(slack, hook)
    assert parent(slack, view)["text"].startswith("✓ Booked Acme Robotics")
    assert len([c for c in updates_of(slack, view)]) >= 2  # the refused one and its retry
