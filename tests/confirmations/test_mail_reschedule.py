"""A new time proposed by e-mail ends somewhere coherent without the platform's page: the mail's own
new time is offered at once, a later answer naming it confirms it, and when neither the mail nor the
page says the time the teammate is told how to go on."""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.store.models import MeetingBookingRequest
from replicas.mail import Outbox
from replicas.slush import build_slush
from tests.confirmations.test_mail_matching import ALICE, BOB, SLOT, pending, started
from tests.google.conftest import TEAMMATE_EMAIL

pytestmark = pytest.mark.both_databases
HEL = ZoneInfo("Europe/Helsinki")


def test_two_requests_to_one_startup_and_a_new_time_mail_offer_that_time_on_the_first_only(
        google_service, google, workspace, clock, notifier, monkeypatch):
    """The Slush app's own mails (as its replica writes them): Alice and Bob of Acme Robotics were both
    asked; Alice suggests another time. Nothing opens the page: the mail says the time."""
    outbox = Outbox()
    with build_slush(now=clock, mail_sink=outbox) as site:
        tomorrow = clock().astimezone(HEL).date() + timedelta(days=1)
        at = lambda h, m=0: datetime(tomorrow.year, tomorrow.month, tomorrow.day, h, m, tzinfo=HEL)  # noqa: E731
        alice = site.request_meeting(TEAMMATE_EMAIL, "a-1001", at(10), "Hello")
        bob = site.request_meeting(TEAMMATE_EMAIL, "a-1002", at(14, 15), "Hello")
        first = pending(google_service, site.meeting_url(alice.id), ALICE, at(10).astimezone(timezone.utc),
                        external=alice.id, platform="slush_platform")
        second = pending(google_service, site.meeting_url(bob.id), BOB, at(14, 15).astimezone(timezone.utc),
                         external=bob.id, platform="slush_platform")
        cycle = started(google_service, workspace, clock)
        site.reschedule(alice.id, at(11, 30))
    sent = outbox.sent[-1]
    google.deliver(TEAMMATE_EMAIL, sender=sent.sender, subject=sent.subject, text=sent.body, at=clock())
    jobs: list[object] = []
    monkeypatch.setattr(google_service.runner, "submit", lambda fn, *args, **kw: jobs.append(fn))
    cycle.run_cycle()  # the replica is gone: a page re-read would fail
    assert google_service.get(first).reschedule_to == at(11, 30)
    assert google_service.get(second).reschedule_to is None
    assert jobs == []
    assert [i for i, _ in notifier.direct_messages] == [first]


def test_a_later_answer_naming_the_new_time_confirms_the_meeting_at_that_time(
        google_service, google, workspace, clock, notifier):
    booking_id = pending(google_service, "https://calendly.com/acme-alice/intro", ALICE, SLOT)
    cycle = started(google_service, workspace, clock)
    google.deliver(TEAMMATE_EMAIL, sender="Alice Smith <alice@acme.example>", subject="New time proposed",
                   text="Sorry, I can't make Thu 3 Dec 12:00 (Helsinki time). How about Thu 3 Dec 15:30 "
                        "(Helsinki time)?", at=clock())
    cycle.run_cycle()
    new_time = datetime(2026, 12, 3, 13, 30, tzinfo=timezone.utc)
    assert google_service.get(booking_id).reschedule_to == new_time
    clock.advance(minutes=5)
    google.deliver(TEAMMATE_EMAIL, sender="Alice Smith <alice@acme.example>", subject="Meeting confirmed",
                   text="Great, see you on December 3, 2026 at 3:30 PM (Europe/Helsinki).\nWhere: Booth B12",
                   at=clock())
    assert cycle.run_cycle().confirmed == 1
    view = google_service.get(booking_id)
    assert (view.confirmed_slot, view.reschedule_to, view.calendar_event_id is not None) == (new_time, None, True)
    with google_service.db.session() as session:
        assert session.get_one(MeetingBookingRequest, booking_id).meeting_location == "Booth B12"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.browser
def test_a_new_time_the_mail_doesnt_give_and_the_page_cant_show_is_handed_to_the_teammate(
        google_service, google, workspace, clock, notifier):
    url = f"http://127.0.0.1:{closed_port()}/events/slush-2026/meetings/m-4"
    booking_id = pending(google_service, url, BOB, SLOT, external="m-4", platform="slush_platform")
    cycle = started(google_service, workspace, clock)
    google.deliver(TEAMMATE_EMAIL, sender="Slush Matchmaking <matchmaking@slush.com>",
                   subject="[Slush 2026] Bob Jones suggested a new time for your meeting",
                   text=f"Bob Jones (Acme Robotics) suggested another time.\nAnswer here: {url}\n", at=clock())
    cycle.run_cycle()
    assert google_service.runner.wait_idle(120)
    view = google_service.get(booking_id)
    assert view.status == "pending_confirmation" and view.reschedule_to is None
    said = [text for i, text in notifier.steps if i == booking_id]
    assert said[0].startswith("Rescheduled by e-mail from Slush Matchmaking") and "reading the new time" in said[0]
    assert said[-1].startswith("Couldn't read Acme Robotics's new time on ") and url in said[-1]
