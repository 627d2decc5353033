"""`/book Acme, Beta, Gamma`: one booking and one thread each, and a summary that updates as they finish."""
from __future__ import annotations

import pytest

from booking.domain.states import BookingStatus
from booking.store.models import BookingBatch, MeetingBookingRequest
from bot import ids
from bot.listeners.commands import parse_book_text
from replicas.calendly import CalendlyEventType, CalendlyHost
from replicas.world import seed_directory, working_slots
from tests.bot.kit import MARIA, click, command, hold_jobs, make_booking, replies
from tests.helpers import eventually, settled

S = BookingStatus


@pytest.fixture
def gamma(calendly, directory, db, clock):
    """A third startup on the replica: Gamma Energy, one host."""
    calendly.add_host(CalendlyHost("gina-gamma", "Gina Green", "gina@gamma.example",
                                   [CalendlyEventType(slug="intro", title="Intro")], working_slots(clock())))
    seed_directory(db, [{"name": "Gamma Energy", "aliases": ["gamma"], "platform": "calendly",
                         "booking_url": calendly.event_url("gina-gamma", "intro"),
                         "people": [{"name": "Gina Green"}]}])


def summary_of(slack):
    [summary] = [m for m in slack.messages("C123") if m["text"].startswith("Booking 3 startups")]
    return summary


@pytest.mark.browser
def test_a_batch_of_three_books_three_with_one_summary(bot, slack, calendly, gamma):
    app, service = bot
    command(app, slack, "Acme, Beta, Gamma")
    rows = eventually(lambda: len(settled(service)) == 3 and settled(service), 180, "three bookings")
    assert [r.status for r in rows] == [S.CONFIRMED] * 3
    assert sorted(b["host_name"] for b in calendly.bookings) == ["Alice Smith", "Carla Diaz", "Gina Green"]
    # No two of the teammate's meetings overlap, though all three pages offered Wed 09:00.
    starts = sorted(b["start_time"] for b in calendly.bookings)
    assert len(set(starts)) == 3

    top = slack.messages("C123")
    assert len(top) == 4 and top[0]["text"].startswith("Booking 3 startups for <@U123>")  # summary, then threads
    assert {r.thread_ref["ts"] for r in rows} == {m["ts"] for m in top[1:]}
    summary = eventually(lambda: summary_of(slack)["text"].endswith("All done: 3 of 3 booked or sent.") and summary_of(slack),
                         30, "the final summary")
    lines = summary["blocks"][1]["text"]["text"].splitlines()
    assert [line.split("*")[1] for line in lines] == ["Acme Robotics", "Beta Health", "Gamma Energy"]
    assert all("— booked Wed 2 Dec" in line and "|thread>" in line for line in lines)
    updates = [c for c in slack.calls_to("chat.update") if c.params["ts"] == summary["ts"]]
    assert 3 <= len(updates) <= 12  # once per status change of a booking, never for an unchanged summary
    assert len({str(c.params["blocks"]) for c in updates}) == len(updates)


def test_batch_skips_what_it_cant_book_and_asks_about_colleagues(bot, slack, directory, teammate, monkeypatch):
    app, service = bot
    slack.add_user("U456", "Maria Lopez", "maria.lopez@axa-innovation.example")
    jobs = hold_jobs(service, monkeypatch)
    theirs = make_booking(service, MARIA, S.CONFIRMED, startup="Beta")
    jobs.clear()
    hook = command(app, slack, "acme; beta; Zeta")
    [question] = replies(slack, hook)
    assert question["text"] == "Colleagues already have beta. Book anyway?"
    assert [r.startup_name for r in _mine(service)] == ["Acme Robotics"] and len(jobs) == 1

    summary = eventually(lambda: [m for m in slack.messages("C123") if m["text"].startswith("Booking 3")], 10, "summary")[0]
    lines = summary["blocks"][1]["text"]["text"].splitlines()
    assert lines[0].startswith("⏳ *Acme Robotics* — queued · <https://booker-test.slack.com/archives/C123/p")
    assert lines[1] == (f"⚠️ *beta* — not booked: Maria Lopez already has a booking with them (Book anyway? is in "
                        f"your private reply) · <{theirs.link}|their thread>")
    assert lines[2] == "⚠️ *Zeta* — not booked: I don't know a startup called 'Zeta'. Did you mean: Beta Health?"

    anyway = click(app, slack, ids.BOOK_ANYWAY, question["blocks"][1]["elements"][0]["value"])
    assert replies(slack, anyway)[0]["text"].startswith("Booking Beta Health anyway")
    assert [r.startup_name for r in _mine(service)] == ["Acme Robotics", "Beta Health"]
    with service.db.session() as session:
        [batch] = session.query(BookingBatch).all()
        assert [s["name"] for s in batch.skipped] == ["Zeta"]
        assert {r.batch_id for r in _mine(service)} == {batch.id}
    summary = slack.message("C123", summary["ts"])
    assert "*Beta Health* — queued" in summary["blocks"][1]["text"]["text"]


def _mine(service):
    with service.db.session() as session:
        return (session.query(MeetingBookingRequest).filter_by(user_id="U123")
                .order_by(MeetingBookingRequest.id).all())


@pytest.mark.parametrize("text, expected", [
    ("Acme, Beta, Gamma", [("startup", "Acme"), ("startup", "Beta"), ("startup", "Gamma")]),
    ("Acme;Beta\nacme", [("startup", "Acme"), ("startup", "Beta")]),
    ("Acme, <https://calendly.com/x/y>", [("startup", "Acme"), ("url", "https://calendly.com/x/y")]),
])
def test_parse_batches(text, expected):
    assert parse_book_text(text) == ("batch", expected)


def test_parse_batch_limits():
    assert parse_book_text("Acme, acme") == ("startup", "Acme")
    kind, message = parse_book_text(", ".join(f"s{n}" for n in range(20)))
    assert kind == "invalid" and message == "At most 15 startups at once, please (20 given)."
    assert parse_book_text("Acme, <@U1>")[0] == "invalid"
