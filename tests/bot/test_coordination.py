"""Team coordination: one booking per teammate and startup (a database guarantee), and a warning with
"Book anyway?" when a colleague already has the startup."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import IntegrityError

from booking.domain.states import BookingStatus
from booking.store.models import MeetingBookingRequest
from booking.workflow.coordination import DuplicateBooking
from booking.workflow.requests import BookingRequestInput
from bot import ids
from replicas.slack_requests import slash_command
from tests.bot.kit import MARIA, action_ids, click, command, hold_jobs, make_booking, replies, send, status_of
from tests.helpers import eventually

S = BookingStatus


@pytest.fixture
def world(bot, slack, directory, monkeypatch):
    app, service = bot
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example")
    return app, service, hold_jobs(service, monkeypatch)


def rows(service):
    with service.db.session() as session:
        return session.query(MeetingBookingRequest).order_by(MeetingBookingRequest.id).all()


# -- the same teammate twice ----------------------------------------------------------------------
@pytest.mark.both_databases  # the partial unique index is SQL of each engine
def test_the_database_refuses_a_second_live_booking_for_the_same_teammate_and_startup(world, teammate):
    app, service, jobs = world
    first = service.request_booking(BookingRequestInput(teammate=teammate, startup="Acme"))
    with pytest.raises(DuplicateBooking) as raised:
        service.request_booking(BookingRequestInput(teammate=teammate, startup="acme robotics"))
    assert raised.value.existing.id == first.id
    # Underneath it is the index, not a check in Python: a raw insert is refused too.
    with pytest.raises(IntegrityError):
        with service.db.transaction() as session:
            session.add(MeetingBookingRequest(
                user_email=teammate.email, startup_key="startup:acme-robotics", startup_name="Acme Robotics",
                booking_platform="calendly", booking_url="https://calendly.com/acme", user_name="Eduardo Paz"))
    assert len(rows(service)) == 1


def test_after_a_cancel_the_startup_can_be_booked_again(world, teammate):
    app, service, jobs = world
    first = service.request_booking(BookingRequestInput(teammate=teammate, startup="Acme"))
    with service.db.transaction() as session:
        service.transition(session, session.get_one(MeetingBookingRequest, first.id), S.CANCELLED, "test")
    second = service.request_booking(BookingRequestInput(teammate=teammate, startup="Acme"))
    assert second.id != first.id


@pytest.mark.both_databases  # the partial unique index is SQL of each engine
def test_double_sent_command_gives_one_booking_pointed_to_its_thread(world, slack):
    """Two signed `/book Acme` at the same moment (a double Enter): one booking, one thread."""
    app, service, jobs = world
    hooks = [slack.response_url(name, user="U123", channel="C123") for name in ("first", "second")]
    bodies = [slash_command(text="Acme", response_url=hook) for hook in hooks]
    threads = [threading.Thread(target=send, args=(app, body)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [reply] = eventually(lambda: [c.params for c in slack.calls_to("response_url")], 15, "the second answer")
    eventually(lambda: len(slack.messages("C123")) == 1 and rows(service)[0].thread_ref.get("link"), 15, "thread")
    eventually(lambda: jobs, 15, "the job to be queued")
    [row] = rows(service)
    assert len(slack.messages("C123")) == 1 and len(jobs) == 1
    assert f"You already have a booking with *Acme Robotics* (#{row.id}, pending)" in reply["text"]
    assert row.thread_ref["link"] in reply["text"] or "its thread is on its way" in reply["text"]


def test_a_re_sent_command_later_points_to_the_existing_thread(world, slack, teammate):
    app, service, jobs = world
    view = make_booking(service, teammate, S.PENDING_CONFIRMATION)
    hook = command(app, slack, "acme")
    [reply] = replies(slack, hook)
    assert reply["text"] == (f"You already have a booking with *Acme Robotics* (#{view.id}, pending confirmation): "
                             f"<{view.link}|see its thread>. Nothing new was started.")
    assert len(rows(service)) == 1


# -- a colleague has it ----------------------------------------------------------------------------
def test_colleague_warning_then_book_anyway(world, slack, teammate):
    app, service, jobs = world
    theirs = make_booking(service, MARIA, S.PENDING_CONFIRMATION)
    jobs.clear()
    hook = command(app, slack, "Acme")
    [warning] = replies(slack, hook)
    assert warning["text"] == "Heads-up: a colleague already has a booking with Acme. Book anyway?"
    text = warning["blocks"][0]["text"]["text"]
    assert "<@U456> — pending confirmation" in text and f"<{theirs.link}|see the thread>" in text
    assert [e["action_id"] for e in warning["blocks"][1]["elements"]] == [ids.BOOK_ANYWAY, ids.DONT_BOOK]
    assert len(rows(service)) == 1 and jobs == []  # nothing started before the answer

    value = warning["blocks"][1]["elements"][0]["value"]
    first = click(app, slack, ids.BOOK_ANYWAY, value)
    [started] = replies(slack, first)
    mine = [r for r in rows(service) if r.user_id == "U123"]
    assert len(mine) == 1 and started["replace_original"] is True
    assert started["text"] == f"Booking Acme Robotics anyway: <{mine[0].thread_ref['link']}|see its thread>."
    assert len(jobs) == 1

    second = click(app, slack, ids.BOOK_ANYWAY, value)  # a double click on the same button
    [again] = replies(slack, second)
    assert again["text"].startswith(f"You already have a booking with *Acme Robotics* (#{mine[0].id}")
    assert len([r for r in rows(service) if r.user_id == "U123"]) == 1 and len(jobs) == 1
    assert status_of(service, theirs.id) == S.PENDING_CONFIRMATION


def test_dont_book_removes_the_warning_and_books_nothing(world, slack, teammate):
    app, service, jobs = world
    make_booking(service, MARIA, S.CONFIRMED)
    hook = command(app, slack, "Acme")
    [warning] = replies(slack, hook)
    answer = click(app, slack, ids.DONT_BOOK, warning["blocks"][1]["elements"][1]["value"])
    [deleted] = replies(slack, answer)
    assert deleted["delete_original"] is True
    assert [r.user_id for r in rows(service)] == ["U456"]


def test_a_colleagues_failed_or_cancelled_booking_is_no_reason_to_warn(world, slack, teammate):
    app, service, jobs = world
    make_booking(service, MARIA, S.FAILED)
    jobs.clear()
    command(app, slack, "Acme")
    eventually(lambda: jobs, 15, "the new booking to be queued")
    assert slack.calls_to("response_url") == []
    [mine] = [r for r in rows(service) if r.user_id == "U123"]
    assert action_ids(slack.message("C123", mine.thread_ref["ts"])) == [ids.CANCEL]
