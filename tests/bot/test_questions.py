"""A required question on the startup's form Booker can't answer: the thread asks the teammate.

Real headless Chromium on a booking replica whose form has a required "What is this meeting about?",
the real Bolt app and WebClient against the Slack fake, signed payloads as Slack sends them.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from booking.domain.states import BookingStatus
from booking.store.models import MeetingBookingRequest, StartupBookingConfig
from bot import ids
from bot.blocks import questions as question_blocks
from bot.blocks.kit import MAX_MESSAGE_BLOCKS, MAX_VALUE
from bot.blocks.modals import question_modal
from tests.bot.kit import MARIA, action_ids, click, command, event, hold_jobs, make_booking, replies, submit
from tests.helpers import eventually, settled
from tests.question_world import PLATFORMS, QUESTION, zeta_world

S = BookingStatus


@pytest.fixture(params=PLATFORMS)
def zeta(request, clock, db):
    with zeta_world(request.param, db, clock) as world:
        yield world


def remembered(service):
    with service.db.session() as session:
        [config] = session.query(StartupBookingConfig).all()
        return config.form_answers


def question_message(slack, row):
    """The thread reply that asks (the one with the question's blocks)."""
    def found():
        return [m for m in slack.thread("C123", row.thread_ref["ts"])
                if any(b.get("block_id", "").startswith(f"question:{row.id}:") for b in m.get("blocks") or [])]

    return eventually(found, 15, "the question in the thread")[-1]


def booking_row(service, booking_id):
    with service.db.session() as session:
        return session.get_one(MeetingBookingRequest, booking_id)


@pytest.mark.browser
def test_the_thread_asks_and_the_answer_reaches_the_page(bot, slack, zeta, clock):
    """/book → the thread asks → the teammate answers in the one-field form → booked with that answer;
    the startup remembers it, so a colleague's booking later isn't asked again."""
    app, service = bot
    command(app, slack, "Zeta")
    [row] = settled(service)
    assert row.status == S.AWAITING_REVIEW and zeta.bookings == []
    assert row.proposed_slot_1_datetime is None  # nothing is held while the teammate thinks
    parent = slack.message("C123", row.thread_ref["ts"])
    assert parent["text"] == "Zeta Labs: the form asks something only you can answer 👀"
    assert action_ids(parent) == [ids.CANCEL]

    asking = question_message(slack, row)
    assert asking["text"] == "Zeta Labs's form asks a question Booker can't answer"
    sections = [b["text"]["text"] for b in asking["blocks"] if b["type"] == "section"]
    assert f"*{QUESTION}*" in sections and action_ids(asking) == [ids.QUESTION_ANSWER]
    [dm] = slack.dms("U123")
    assert dm["text"].startswith("The Zeta Labs form asks something only you can answer; answer it in the thread by")

    answer_button = next(e for b in asking["blocks"] if b["type"] == "actions" for e in b["elements"])
    click(app, slack, ids.QUESTION_ANSWER, answer_button["value"], message=asking)
    modal = eventually(lambda: slack.calls_to("views.open"), 10, "the one-field form")[0].params["view"]
    [field] = [b for b in modal["blocks"] if b["type"] == "input"]
    assert field["label"]["text"] == QUESTION and field["element"]["type"] == "plain_text_input"

    submit(app, ids.QUESTION_MODAL, {"answer": {ids.QUESTION_INPUT: {"type": "plain_text_input",
                                                                     "value": "Piloting Zeta's sensors at AXA"}}},
           metadata=modal["private_metadata"])
    eventually(lambda: service.get(row.id).status == S.CONFIRMED, 120, "the booking to go through")
    assert zeta.answers() == ["Piloting Zeta's sensors at AXA"]
    assert remembered(service) == {QUESTION: "Piloting Zeta's sensors at AXA"}
    answered = slack.message("C123", asking["ts"])
    assert action_ids(answered) == [] and "answered by <@U123>" in answered["text"]
    confirmations = [c.params["text"] for c in slack.calls_to("chat.postEphemeral")]
    assert "Thanks! Booking Zeta Labs again with your answer; the thread shows how it goes." in confirmations

    # A colleague books Zeta later: the remembered answer fills the form; nobody is asked.
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example", tz="Europe/Helsinki")
    hook = command(app, slack, "Zeta", user="U456")
    [warning] = replies(slack, hook)
    anyway = next(e for b in warning["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == ids.BOOK_ANYWAY)
    click(app, slack, ids.BOOK_ANYWAY, anyway["value"], user="U456")
    rows = eventually(lambda: [r for r in settled(service) if r.user_id == "U456"], 60, "Maria's booking")
    # Submitted (pending_confirmation) and confirmed by the page are two commits of one job: wait for the second.
    eventually(lambda: service.get(rows[0].id).status == S.CONFIRMED, 60, "Maria's booking to be confirmed")
    assert zeta.answers() == ["Piloting Zeta's sensors at AXA"] * 2
    assert not any(m.get("blocks") and any(b.get("block_id", "").startswith("question:") for b in m["blocks"])
                   for m in slack.thread("C123", rows[0].thread_ref["ts"]))


@pytest.mark.browser
def test_nobody_answers_so_the_booking_fails_and_nothing_is_sent(bot, slack, zeta, clock):
    app, service = bot
    command(app, slack, "Zeta")
    [row] = settled(service)
    asking = question_message(slack, row)
    assert service.get(row.id).status == S.AWAITING_REVIEW

    clock.advance(minutes=29)
    event(app, {"type": "app_home_opened", "user": "U123", "channel": "DU123", "tab": "home"})  # runs the expiry
    eventually(lambda: slack.calls_to("views.publish"), 10, "the Home tab")
    assert service.get(row.id).status == S.AWAITING_REVIEW  # still within the window
    clock.advance(minutes=1)
    event(app, {"type": "app_home_opened", "user": "U123", "channel": "DU123", "tab": "home"})
    eventually(lambda: service.get(row.id).status == S.FAILED, 10, "the question to expire")

    view = service.get(row.id)
    reason = (f"Nobody answered '{QUESTION}' within 30 min, so nothing was sent; press Retry to start again")
    assert view.error_message == reason and zeta.bookings == [] and remembered(service) in (None, {})
    parent = slack.message("C123", row.thread_ref["ts"])
    assert parent["text"] == f"Booking Zeta Labs failed: {reason}"
    assert action_ids(parent)[:2] == [ids.RETRY, ids.EDIT_RETRY]
    assert slack.dms("U123")[-1]["text"].startswith(f"The Zeta Labs booking stopped: {reason}")

    # The question's button, pressed late, changes nothing.
    answer_button = next(e for b in asking["blocks"] if b["type"] == "actions" for e in b["elements"])
    hook = click(app, slack, ids.QUESTION_ANSWER, answer_button["value"], message=asking)
    assert replies(slack, hook)[0]["text"] == "This booking isn't waiting for that answer any more; it is failed."
    assert slack.calls_to("views.open") == [] and service.get(row.id).status == S.FAILED and zeta.bookings == []


# -- without a browser: what the buttons decide -----------------------------------------------------
def paused_on(service, teammate, questions, jobs, **columns):
    """A booking stopped on the form's questions, with its thread, as the job leaves it."""
    view = make_booking(service, teammate, S.AWAITING_REVIEW, slots=(), person=None,
                        review_state={"questions": questions, "asked_at": service.clock().isoformat()}, **columns)
    from booking.notify.notifier import SafeNotifier

    SafeNotifier(service.notifiers(view)).ask(view, list(view.questions))
    jobs.clear()  # the job make_booking queued is not part of these stories
    return view


@pytest.fixture
def held(bot, slack, directory, monkeypatch):
    app, service = bot
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example")
    return app, service, hold_jobs(service, monkeypatch)


def test_a_choice_question_gets_a_button_per_choice_and_the_press_answers_it(held, slack, teammate):
    app, service, jobs = held
    view = paused_on(service, teammate, [{"label": "Which stage is your company in?", "kind": "choice",
                                          "choices": ["Seed", "Series A", "Series B+"]}], jobs)
    row = booking_row(service, view.id)
    asking = question_message(slack, row)
    buttons = [e for b in asking["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [(e["text"]["text"], e["action_id"]) for e in buttons] == [
        ("Seed", "question_choice_0"), ("Series A", "question_choice_1"), ("Series B+", "question_choice_2")]

    # Someone else's press changes nothing.
    hook = click(app, slack, buttons[1]["action_id"], buttons[1]["value"], user="U456", message=asking)
    assert replies(slack, hook)[0]["text"].startswith("This booking belongs to <@U123>")
    assert service.get(view.id).status == S.AWAITING_REVIEW and jobs == []

    hook = click(app, slack, buttons[1]["action_id"], buttons[1]["value"], message=asking)
    assert replies(slack, hook)[0]["text"] == ("Thanks! Booking Acme Robotics again with your answer; the thread "
                                               "shows how it goes.")
    after = service.get(view.id)
    assert after.status == S.PENDING and not after.questions and len(jobs) == 1
    assert remembered_for(service, "acme-robotics") == {"Which stage is your company in?": "Series A"}
    assert action_ids(slack.message("C123", asking["ts"])) == []


def test_a_forged_choice_is_refused_and_nothing_changes(held, slack, teammate):
    app, service, jobs = held
    view = paused_on(service, teammate, [{"label": "Which stage?", "kind": "choice", "choices": ["Seed", "Series A"]}], jobs)
    forged = json.dumps({"b": view.id, "l": "Which stage?", "a": "IPO"})
    hook = click(app, slack, ids.QUESTION_CHOICES[0], forged)
    assert replies(slack, hook)[0]["text"] == "'IPO' is not one of the choices for 'Which stage?'"
    hook = click(app, slack, ids.QUESTION_CHOICES[0], '{"b": "1; drop", "l": 3}')
    assert replies(slack, hook)[0]["text"] == "That button is out of date."
    assert service.get(view.id).status == S.AWAITING_REVIEW and jobs == []
    assert remembered_for(service, "acme-robotics") in (None, {})


def test_many_choices_open_a_select_prefilled_with_the_remembered_answer(held, slack, teammate):
    app, service, jobs = held
    countries = ["Finland", "Sweden", "Norway", "Denmark", "Estonia", "Germany", "France"]
    with service.db.transaction() as session:
        config = session.query(StartupBookingConfig).filter_by(startup_id="acme-robotics").one()
        config.form_answers = {"Country": "Estonia"}  # remembered, but the form asked again
    view = paused_on(service, teammate, [{"label": "Country", "kind": "choice", "choices": countries}], jobs)
    asking = question_message(slack, booking_row(service, view.id))
    [answer] = [e for b in asking["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert answer["action_id"] == ids.QUESTION_ANSWER
    click(app, slack, ids.QUESTION_ANSWER, answer["value"], message=asking)
    modal = eventually(lambda: slack.calls_to("views.open"), 10, "the one-field form")[0].params["view"]
    [field] = [b for b in modal["blocks"] if b["type"] == "input"]
    assert field["element"]["type"] == "static_select"
    assert [o["value"] for o in field["element"]["options"]] == countries
    assert field["element"]["initial_option"]["value"] == "Estonia"

    empty = submit(app, ids.QUESTION_MODAL, {"answer": {ids.QUESTION_INPUT: {"type": "static_select",
                                                                            "selected_option": None}}},
                   metadata=modal["private_metadata"])
    assert json.loads(empty.body)["errors"] == {"answer": "Type your answer (or close the form)."}
    submit(app, ids.QUESTION_MODAL, {"answer": {ids.QUESTION_INPUT: {
        "type": "static_select", "selected_option": {"value": "Finland", "text": {"type": "plain_text", "text": "Finland"}}}}},
        metadata=modal["private_metadata"])
    eventually(lambda: service.get(view.id).status == S.PENDING and jobs, 10, "the answer to restart the booking")
    assert remembered_for(service, "acme-robotics") == {"Country": "Finland"} and len(jobs) == 1


def test_two_questions_wait_for_both_answers(held, slack, teammate):
    app, service, jobs = held
    view = paused_on(service, teammate, [
        {"label": "Do you agree to be recorded?", "kind": "checkbox", "choices": []},
        {"label": "Topic", "kind": "text", "choices": []}], jobs)
    asking = question_message(slack, booking_row(service, view.id))
    yes = next(e for b in asking["blocks"] if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == "Yes")
    hook = click(app, slack, yes["action_id"], yes["value"], message=asking)
    assert replies(slack, hook)[0]["text"] == "Noted. The form still asks 'Topic'."
    assert service.get(view.id).status == S.AWAITING_REVIEW and jobs == []
    assert [q["label"] for q in service.get(view.id).questions] == ["Topic"]
    assert action_ids(slack.message("C123", asking["ts"])) == [ids.QUESTION_ANSWER]  # only Topic is left
    outcome = service.answer_questions(view.id, "U123", {"topic": "Pilot"})
    assert outcome.status == S.PENDING and len(jobs) == 1
    assert remembered_for(service, "acme-robotics") == {"Do you agree to be recorded?": "yes", "Topic": "Pilot"}


def test_a_stale_approve_does_not_send_a_form_that_waits_for_an_answer(held, slack, teammate):
    app, service, jobs = held
    view = paused_on(service, teammate, [{"label": "Topic", "kind": "text", "choices": []}], jobs)
    hook = click(app, slack, ids.APPROVE, view.id)
    assert replies(slack, hook)[0]["text"] == "The form asks 'Topic' first; answer it in the booking's thread."
    assert service.get(view.id).status == S.AWAITING_REVIEW and jobs == []


def remembered_for(service, startup_id):
    with service.db.session() as session:
        return session.query(StartupBookingConfig).filter_by(startup_id=startup_id).one().form_answers


def test_the_question_stays_within_slacks_limits_with_huge_input():
    """Long labels and choices, and more questions than a message holds: still valid Block Kit."""
    from slack_sdk.models.blocks import Block
    from slack_sdk.models.views import View

    from bot.gallery import sample

    long = "Ä<@U1>" * 100
    asked = tuple({"label": long[:500], "kind": "choice", "choices": [long[:300], "<!channel>"]} for _ in range(30))
    view = sample(S.AWAITING_REVIEW, questions=asked, review_expires_at=None, startup_name=long[:200])
    text, blocks = question_blocks.question_message(view)
    assert text and len(blocks) <= MAX_MESSAGE_BLOCKS
    for block in blocks:
        Block.parse(block).validate_json()
    rendered = json.dumps([b for b in blocks if b["type"] != "actions"])
    assert "<@U1>" not in rendered and "<!channel>" not in rendered  # user text never becomes a mention
    values = [e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert values and all(len(v) <= MAX_VALUE for v in values)
    many = {"label": long[:500], "kind": "choice", "choices": [f"{long[:100]} {n}" for n in range(150)]}
    View(**question_modal(view, many, metadata="{}", remembered="x" * 5000)).validate_json()
