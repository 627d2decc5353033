"""The Slush matchmaking flow end to end: /book in Slack → request in the event app → the host
answers in the app → the confirmation monitor notices (the app's e-mail in Gmail, or the page
re-check every 5th check) → calendar event with the table → DM; or failed with Retry; or a new time
the teammate accepts with a button.

Everything real except the world: headless Chromium on the Slush replica, the Bolt app and WebClient
against the Slack fake (signed requests in), google-api-python-client against the Google fake, the
monitor built by ``booking.runtime.wiring.build_monitor`` (Gmail → platform API → page re-check), and a
FakeClock moved one minute per cycle.
"""
from __future__ import annotations

import json
import time
import urllib.request
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.store.models import MeetingBookingRequest
from bot import ids
from replicas.builds import BUILDS
from replicas.mail import discard, into_gmail
from replicas.slush import DEMO_LOGIN, DEMO_PASSWORD, build_slush
from tests.bot.kit import action_ids, click, command, replies
from tests.end_to_end.conftest import TEAMMATE_EMAIL
from tests.helpers import eventually, settled

S = BookingStatus
HEL = ZoneInfo("Europe/Helsinki")
BOB_FIRST_FREE = datetime(2026, 12, 2, 14, 15, tzinfo=HEL)  # 14:00 is not offered


@pytest.fixture(params=BUILDS)
def build(request: pytest.FixtureRequest) -> str:
    """Which build of the event app: the first replica, or the blind one (replicas/builds.py)."""
    return request.param


@pytest.fixture
def slush(clock, google, build):
    """The event app; its notification e-mails land in the teammate's Gmail on the Google fake."""
    with build_slush(now=clock, mail_sink=into_gmail(google), build=build) as site:
        yield site


@pytest.fixture
def world(db, google_settings, slack, browsers, clock, google_calendar, slush):
    """The Bolt app and the service (Slack notifier, Google calendar) plus the monitor as deployed."""
    from booking.runtime.runner import JobRunner
    from booking.runtime.wiring import build_monitor
    from booking.workflow.service import BookingService
    from bot.app import build_app
    from bot.client import make_client
    from bot.notifier import slack_notifiers
    from replicas.world import seed_directory

    settings = google_settings.with_overrides(slack_api_url=slack.api_url, slush_login=DEMO_LOGIN,
                                              slush_password=DEMO_PASSWORD)
    client = make_client(settings)
    runner = JobRunner(settings.max_browsers)
    service = BookingService(db, settings, browsers, runner, clock=clock, notifiers=slack_notifiers(client),
                             availability=google_calendar)
    app = build_app(settings, service, client=client)
    seed_directory(db, [{"name": "Acme Robotics", "aliases": ["acme"], "platform": "slush_platform",
                         "booking_url": slush.people_url(), "people": [{"name": "Bob Jones"}, {"name": "Alice Smith"}]}])
    yield app, service, build_monitor(service)
    runner.shutdown()


def host(slush, action: str, meeting_id: str, **body: Any) -> dict[str, Any]:
    """What the startup does in its own app: the replica's host-side endpoint, over HTTP."""
    request = urllib.request.Request(f"{slush.url}/__replica__/meetings/{meeting_id}/{action}",
                                     data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def idle(service):
    """The browser jobs finished and what they told Slack (through its outbox, bot/outbox.py) arrived."""
    assert service.runner.wait_idle(120) and service.notifiers.inner.flush(60)


def cycle(monitor, service, clock):
    """One minute passes, one monitor cycle runs, and the browser jobs it queued finish."""
    clock.advance(minutes=1)
    report = monitor.run_cycle()
    assert report.held_lease
    idle(service)
    return report


def book_acme(app, slack, service, slush):
    """`/book acme` in Slack; returns the booking (pending confirmation) and the app's request."""
    command(app, slack, "acme")
    [row] = settled(service)
    view = service.get(row.id)
    assert view.status == S.PENDING_CONFIRMATION, view.error_message
    [meeting] = slush.meetings.values()
    return view, meeting


def parent(slack, view):
    return slack.message(view.thread_ref["channel"], view.thread_ref["ts"])


def thread_texts(slack, view) -> list[str]:
    return [m.get("text", "") for m in slack.thread(view.thread_ref["channel"], view.thread_ref["ts"])]


def dm_texts(slack) -> list[str]:
    return [m["text"] for m in slack.dms("U123")]


def event_start(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["start"]["dateTime"])


@pytest.mark.browser
def test_host_accepts_and_the_apps_mail_puts_the_meeting_in_the_calendar_at_the_table(
        world, slack, slush, google, clock):
    app, service, monitor = world
    view, meeting = book_acme(app, slack, service, slush)
    # The request: the right person, slot and message.
    assert slush.attendees[meeting.attendee_id].name == "Bob Jones"
    assert meeting.start == BOB_FIRST_FREE and meeting.status == "pending"
    assert meeting.message == view.message_sent and meeting.message.startswith("Hello, my name is Eduardo Paz")
    assert (view.external_booking_id, view.person_name) == (meeting.id, "Bob Jones")

    assert cycle(monitor, service, clock).confirmed == 0  # the first Gmail sync: nothing yet
    assert service.get(view.id).status == S.PENDING_CONFIRMATION

    host(slush, "accept", meeting.id)
    report = cycle(monitor, service, clock)
    assert (report.confirmed, report.by_check.get("email")) == (1, 1)

    final = service.get(view.id)
    assert final.status == S.ADDED_TO_CALENDAR and final.confirmation_method == "email"
    assert final.confirmed_slot == BOB_FIRST_FREE
    [event] = google.events(TEAMMATE_EMAIL)
    assert event["location"] == "Table 1"
    assert event_start(event) == BOB_FIRST_FREE and event["summary"] == "Meeting with Acme Robotics (Bob Jones)"
    assert event["id"] == final.calendar_event_id
    with service.db.session() as session:
        assert session.get_one(MeetingBookingRequest, view.id).meeting_location == "Table 1"

    assert parent(slack, view)["text"].startswith("✓ Booked Acme Robotics with Bob Jones, Wed 2 Dec 14:15")
    assert any(t.startswith("Confirmed by e-mail from Slush Matchmaking at 10:") for t in thread_texts(slack, view))
    [dm] = [t for t in dm_texts(slack) if "In your Google Calendar" in t]
    assert dm.startswith("✓ Booked Acme Robotics with Bob Jones: Wed 2 Dec, 14:15–14:30 (Europe/Helsinki)")
    print(f"\nSlush accept → added_to_calendar by e-mail: 1 cycle (check {final.confirmation_check_count})")


@pytest.mark.browser
def test_without_mail_the_fifth_check_reads_the_accepted_meeting_on_the_page(world, slack, slush, google, clock):
    app, service, monitor = world
    slush.mail_sink = discard  # the app's e-mail never arrives
    view, meeting = book_acme(app, slack, service, slush)
    cycle(monitor, service, clock)
    host(slush, "accept", meeting.id, table="Table 42")
    history_calls = len(google.calls_to("gmail.users.history.list"))
    for check in (2, 3, 4):
        cycle(monitor, service, clock)
        assert service.get(view.id).status == S.PENDING_CONFIRMATION, f"decided on check {check}"
    assert len(google.calls_to("gmail.users.history.list")) - history_calls == 3  # Gmail was asked each time

    started = time.perf_counter()
    cycle(monitor, service, clock)  # check 5: the page re-check (a browser job) sees the Schedule
    page_seconds = time.perf_counter() - started
    final = service.get(view.id)
    assert final.status == S.ADDED_TO_CALENDAR and final.confirmation_method == "page"
    assert final.confirmation_check_count == 5 and final.confirmed_slot == BOB_FIRST_FREE
    [event] = google.events(TEAMMATE_EMAIL)
    assert event["location"] == "Table 42" and event_start(event) == BOB_FIRST_FREE
    assert any("Confirmed on Slush matchmaking (checked on the page), Table 42" in t for t in thread_texts(slack, view))
    assert any("In your Google Calendar" in t for t in dm_texts(slack))
    print(f"\nSlush accept → added_to_calendar without mail: 4 cycles (the 5th check); that cycle with its "
          f"page re-check took {page_seconds:.1f} s")


@pytest.mark.browser
def test_host_declines_the_booking_fails_with_a_dm_and_a_retry_button(world, slack, slush, google, clock):
    app, service, monitor = world
    view, meeting = book_acme(app, slack, service, slush)
    cycle(monitor, service, clock)

    host(slush, "decline", meeting.id)
    report = cycle(monitor, service, clock)
    assert (report.declined, report.by_check.get("email")) == (1, 1)

    final = service.get(view.id)
    assert final.status == S.FAILED and final.error_message == "declined by Acme Robotics"
    assert "Your meeting request with Acme Robotics failed: declined by Acme Robotics" in " ".join(dm_texts(slack))
    message = parent(slack, view)
    assert ids.RETRY in action_ids(message)
    assert any(t.startswith("Declined by e-mail from Slush Matchmaking") for t in thread_texts(slack, view))
    assert google.events(TEAMMATE_EMAIL) == []
    assert slush.accounts[DEMO_LOGIN].quota == 3  # the declined request came back


@pytest.mark.browser
def test_host_proposes_a_new_time_the_teammate_accepts_it_with_a_button(world, slack, slush, google, clock):
    app, service, monitor = world
    view, meeting = book_acme(app, slack, service, slush)
    cycle(monitor, service, clock)

    new_time = datetime(2026, 12, 2, 15, 30, tzinfo=HEL)
    host(slush, "reschedule", meeting.id, start=new_time.isoformat())
    cycle(monitor, service, clock)  # the mail says the new time

    asked = service.get(view.id)
    assert asked.status == S.PENDING_CONFIRMATION and asked.reschedule_to == new_time
    assert any(t.startswith("Rescheduled by e-mail from Slush Matchmaking at 10:01")
               and t.endswith("the new time is Wed 2 Dec 15:30 (Europe/Helsinki)") for t in thread_texts(slack, view))
    message = parent(slack, view)
    assert action_ids(message)[:2] == [ids.ACCEPT_RESCHEDULE, ids.DECLINE_RESCHEDULE]
    assert any("proposed a new time for your meeting: Wed 2 Dec 15:30 (Europe/Helsinki)" in t for t in dm_texts(slack))
    cycle(monitor, service, clock)  # asking again changes nothing: one DM, one proposal
    assert sum("proposed a new time" in t for t in dm_texts(slack)) == 1

    started = time.perf_counter()
    hook = click(app, slack, ids.ACCEPT_RESCHEDULE, view.id, message=message)
    [reply] = replies(slack, hook)
    assert reply["text"] == ("Accepting Acme Robotics's new time on Slush matchmaking; "
                             "the message updates with the result.")
    idle(service)
    print(f"\nAccept new time → added_to_calendar: {time.perf_counter() - started:.1f} s (one browser job)")

    answered = slush.meetings[meeting.id]
    assert (answered.status, answered.start, answered.table) == ("accepted", new_time, "Table 1")
    final = service.get(view.id)
    assert final.status == S.ADDED_TO_CALENDAR and final.confirmation_method == "teammate"
    assert final.confirmed_slot == new_time and final.reschedule_to is None
    [event] = google.events(TEAMMATE_EMAIL)
    assert event_start(event) == new_time and event["location"] == "Table 1"
    assert parent(slack, view)["text"].startswith("✓ Booked Acme Robotics with Bob Jones, Wed 2 Dec 15:30")
    assert "You accepted Acme Robotics's new time on Slush matchmaking, Table 1" in thread_texts(slack, view)
    assert any("Wed 2 Dec, 15:30–15:45 (Europe/Helsinki). In your Google Calendar" in t for t in dm_texts(slack))


@pytest.mark.browser
def test_declining_the_new_time_fails_the_booking_and_frees_the_request(world, slack, slush, google, clock):
    app, service, monitor = world
    view, meeting = book_acme(app, slack, service, slush)
    cycle(monitor, service, clock)
    host(slush, "reschedule", meeting.id, start=datetime(2026, 12, 2, 15, 30, tzinfo=HEL).isoformat())
    cycle(monitor, service, clock)

    hook = click(app, slack, ids.DECLINE_RESCHEDULE, view.id, message=parent(slack, view))
    replies(slack, hook)
    idle(service)
    assert slush.meetings[meeting.id].status == "declined"
    final = service.get(view.id)
    assert final.status == S.FAILED and final.error_message == "you declined Acme Robotics's new time"
    assert ids.RETRY in action_ids(parent(slack, view)) and google.events(TEAMMATE_EMAIL) == []
    assert "You declined Acme Robotics's new time on Slush matchmaking" in thread_texts(slack, view)


@pytest.mark.browser
def test_check_now_reads_the_app_at_once(world, slack, slush, google, clock):
    """The Check now button on a Slush booking: a page check right away, counted as a check."""
    app, service, monitor = world
    slush.mail_sink = discard
    view, meeting = book_acme(app, slack, service, slush)
    host(slush, "accept", meeting.id)
    hook = click(app, slack, ids.CHECK_NOW, view.id, message=parent(slack, view))
    [reply] = replies(slack, hook)
    assert reply["text"] == "Checking Acme Robotics on Slush matchmaking now; the message updates with the result."
    idle(service)
    final = service.get(view.id)
    assert final.status == S.ADDED_TO_CALENDAR and final.confirmation_check_count == 1
    assert google.events(TEAMMATE_EMAIL)[0]["location"] == "Table 1"


@pytest.mark.browser
def test_page_rechecks_that_find_nothing_new_stay_out_of_the_thread(world, slack, slush, google, clock):
    """Ten quiet minutes: two page re-checks (checks 5 and 10) happen, the thread gets no "still waiting"."""
    app, service, monitor = world
    view, meeting = book_acme(app, slack, service, slush)
    before = len(thread_texts(slack, view))
    for _ in range(10):
        cycle(monitor, service, clock)
    assert len(slush.sign_ins) == 3  # the booking, then the re-checks on checks 5 and 10
    after = service.get(view.id)
    assert after.status == S.PENDING_CONFIRMATION and after.confirmation_check_count == 10
    assert len(thread_texts(slack, view)) == before
    assert "checked 10×" in json.dumps(parent(slack, view), ensure_ascii=False)  # the message, updated in place

    click(app, slack, ids.CHECK_NOW, view.id, message=parent(slack, view))  # asked: the thread answers
    eventually(lambda: len(thread_texts(slack, view)) > before, 30, "the Check now answer")
    assert thread_texts(slack, view)[-1] == "Checked Slush matchmaking: still waiting for Acme Robotics to confirm."
    assert service.get(view.id).confirmation_check_count == 11
