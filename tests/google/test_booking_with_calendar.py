"""Free/busy-aware booking end to end: real Chromium on the Calendly replica, the real Google client on the fake."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from booking.domain.states import BookingStatus
from booking.store.models import SlackUser
from booking.workflow.requests import BookingRequestInput, Teammate
from tests.google.conftest import TEAMMATE_EMAIL

pytestmark = pytest.mark.browser
HEL = ZoneInfo("Europe/Helsinki")
NY = ZoneInfo("America/New_York")
UTC = timezone.utc


def book(service, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(180)
    return service.get(view.id)


def steps(service, booking_id):
    return [e.detail for e in service.events(booking_id) if e.kind == "step"]


def test_busy_blocks_make_the_bot_skip_those_slots(google_service, google, calendly, directory, teammate, notifier):
    google.set_busy(TEAMMATE_EMAIL, [(datetime(2026, 12, 2, 9, 0, tzinfo=HEL), datetime(2026, 12, 2, 10, 0, tzinfo=HEL))])
    final = book(google_service, teammate, startup="acme")

    assert final.status == BookingStatus.ADDED_TO_CALENDAR
    [recorded] = calendly.bookings
    assert recorded["host_name"] == "Alice Smith" and recorded["start_time"] == datetime(2026, 12, 2, 10, 0, tzinfo=HEL)
    assert final.proposed_slots == (datetime(2026, 12, 2, 10, 0, tzinfo=HEL), datetime(2026, 12, 2, 10, 30, tzinfo=HEL))
    assert ("Free in your calendar: Wed 2 Dec, 10:00 (Europe/Helsinki) and Wed 2 Dec, 10:30 (Europe/Helsinki); "
            "skipped Wed 2 Dec 09:00, 09:30 (busy in your calendar)") in steps(google_service, final.id)
    [query] = google.calls_to("calendar.freebusy.query")
    assert query.body["timeMin"] == "2026-12-01T09:00:00Z"  # now + 60 min lead time
    assert query.body["timeMax"] == "2026-12-15T08:00:00Z"  # + BOOKER_SEARCH_DAYS

    [event] = google.events(TEAMMATE_EMAIL)
    assert event["start"]["dateTime"] == "2026-12-02T10:00:00+02:00" and final.calendar_event_id == event["id"]
    assert event["summary"] == "Meeting with Acme Robotics (Alice Smith)"
    [dm] = notifier.dms(final.id)
    assert dm == ("✓ Booked Acme Robotics with Alice Smith: Wed 2 Dec, 10:00–10:30 (Europe/Helsinki). "
                  f"In your Google Calendar: {event['htmlLink']}")


def test_teammate_in_another_zone_than_the_page(google_service, google, clock, db, notifier):
    """The page shows Helsinki times; Nora works 08:00–18:00 in New York and is busy 08:00–08:30 there."""
    from replicas.world import build_calendly, directory_entries, seed_directory

    nora = Teammate(name="Nora Quinn", email="nora@axa-innovation.example", timezone="America/New_York", user_id="U777")
    google.add_user(nora.email, "America/New_York")
    google.set_busy(nora.email, [(datetime(2026, 12, 2, 8, 0, tzinfo=NY), datetime(2026, 12, 2, 8, 30, tzinfo=NY))])
    with build_calendly(now=clock, display_timezone="Europe/Helsinki") as helsinki_page:
        seed_directory(db, directory_entries(helsinki_page))
        final = book(google_service, nora, startup="acme")
        [recorded] = helsinki_page.bookings
    # 08:30 in New York is 15:30 in Helsinki; 09:00–15:00 Helsinki is before Nora's day starts.
    assert recorded["start_time"] == datetime(2026, 12, 2, 8, 30, tzinfo=NY) == datetime(2026, 12, 2, 15, 30, tzinfo=HEL)
    assert final.status == BookingStatus.ADDED_TO_CALENDAR
    [event] = google.events(nora.email)
    assert event["start"] == {"dateTime": "2026-12-02T08:30:00-05:00", "timeZone": "America/New_York"}
    assert "Wed 2 Dec, 08:30–09:00 (America/New_York)" in notifier.dms(final.id)[0]


def test_dst_change_day_with_a_page_in_another_zone(google, google_settings, google_calendar, db, browsers, notifier):
    """Sun 25 Oct 2026: Helsinki has just left summer time, New York has not (a 6-hour gap for one week).

    The page shows New York times; Google's busy block 07:00–08:00Z is 09:00–10:00 in Helsinki that day
    (10:00–11:00 the day before), so the 09:00 and 09:30 slots are the ones skipped.
    """
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService
    from replicas.calendly import CalendlyEventType, CalendlyHost, CalendlyReplica
    from replicas.world import seed_directory
    from tests.conftest import FakeClock

    clock = FakeClock(datetime(2026, 10, 24, 8, 0, tzinfo=UTC))  # Saturday
    google._now_fn = clock
    slots = [datetime(2026, 10, 25, h, m, tzinfo=HEL) for h in (9, 10, 11) for m in (0, 30)]
    host = CalendlyHost("alice-acme", "Alice Smith", "alice@acme.example",
                        [CalendlyEventType("intro", "Intro with the Acme team")], slots)
    google.set_busy(TEAMMATE_EMAIL, [(datetime(2026, 10, 25, 7, 0, tzinfo=UTC), datetime(2026, 10, 25, 8, 0, tzinfo=UTC))])
    with db.transaction() as session:  # Eduardo takes meetings on Sundays during the conference
        session.add(SlackUser(id="U123", name="Eduardo Paz", preferences={"working_days": "all"}))
    runner = JobRunner(1)
    service = BookingService(db, google_settings, browsers, runner, clock=clock, notifiers=lambda view: notifier,
                             availability=google_calendar)
    with CalendlyReplica([host], now=clock, display_timezone="America/New_York") as site:
        seed_directory(db, [{"name": "Acme Robotics", "aliases": ["acme"], "platform": "calendly",
                             "booking_url": site.event_url("alice-acme", "intro"),
                             "people": [{"name": "Alice Smith", "email": "alice@acme.example"}]}])
        teammate = Teammate(name="Eduardo Paz", email=TEAMMATE_EMAIL, timezone="Europe/Helsinki", user_id="U123")
        final = book(service, teammate, startup="acme")
        [recorded] = site.bookings
    runner.shutdown()
    assert recorded["start_time"] == datetime(2026, 10, 25, 10, 0, tzinfo=HEL) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    assert ("Free in your calendar: Sun 25 Oct, 10:00 (Europe/Helsinki) and Sun 25 Oct, 10:30 (Europe/Helsinki); "
            "skipped Sun 25 Oct 09:00, 09:30 (busy in your calendar)") in steps(service, final.id)
    [event] = google.events(TEAMMATE_EMAIL)
    assert event["start"]["dateTime"] == "2026-10-25T10:00:00+02:00"
    assert "Sun 25 Oct, 10:00–10:30 (Europe/Helsinki)" in notifier.dms(final.id)[0]


def test_two_parallel_bookings_for_one_teammate_get_non_overlapping_slots(google_service, google, calendly, directory,
                                                                          teammate):
    """Acme and Beta both offer Wed 2 Dec from 09:00; two browser jobs run at once; holds keep them apart."""
    views = [google_service.request_booking(BookingRequestInput(teammate=teammate, startup=name))
             for name in ("acme", "beta")]
    for view in views:
        google_service.start(view.id)
    assert google_service.runner.wait_idle(180)
    finals = [google_service.get(v.id) for v in views]

    assert [f.status for f in finals] == [BookingStatus.ADDED_TO_CALENDAR] * 2, [f.error_message for f in finals]
    mine = sorted((b["start_time"], b["end_time"]) for b in calendly.bookings if b["email"] == teammate.email)
    assert len(mine) == 2 and mine[0][1] <= mine[1][0], mine
    assert mine[0][0] == datetime(2026, 12, 2, 9, 0, tzinfo=HEL)  # whoever held first got the earliest slot
    events = sorted(google.events(TEAMMATE_EMAIL), key=lambda e: e["start"]["dateTime"])
    assert len(events) == 2 and events[0]["end"]["dateTime"] <= events[1]["start"]["dateTime"]
    all_steps = " ".join(s for f in finals for s in steps(google_service, f.id))
    assert "held by another of your bookings" in all_steps or mine[1][0] >= datetime(2026, 12, 2, 10, 0, tzinfo=HEL)


def test_no_common_time_fails_with_the_next_step(google, google_settings, google_calendar, db, browsers, clock,
                                                 calendly, directory, teammate, notifier):
    """The conference ends Thu 3 Dec and Eduardo is busy all of it."""
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService

    conference = google_settings.with_overrides(window_end=datetime(2026, 12, 3).date())
    runner = JobRunner(1)
    service = BookingService(db, conference, browsers, runner, clock=clock, notifiers=lambda view: notifier,
                             availability=google_calendar)
    google.set_busy(TEAMMATE_EMAIL, [(datetime(2026, 12, 1, tzinfo=HEL), datetime(2026, 12, 4, tzinfo=HEL))])
    final = book(service, teammate, startup="acme")
    runner.shutdown()
    assert final.status == BookingStatus.FAILED
    assert final.error_message == (
        "No common free time with Acme Robotics before Fri 4 Dec (tried Alice Smith, Bob Jones: 48 offered times busy "
        "in your calendar); widen your hours or pick a slot yourself")
    assert calendly.bookings == [] and google.events(TEAMMATE_EMAIL) == []


def test_an_unreadable_calendar_stops_the_booking_before_the_browser(google_service, google, calendly, directory,
                                                                     teammate, browsers, timer):
    google.fail("calendar.freebusy.query", status=404, reason="notFound", message="Not Found")
    final = book(google_service, teammate, startup="acme")
    assert final.status == BookingStatus.FAILED
    assert final.error_message == (
        "Couldn't read your Google Calendar's free/busy times: Google Calendar found nothing for freebusy.query "
        "(404 notFound: Not Found); nothing was booked")
    assert calendly.bookings == [] and browsers.drivers_started == 0 and timer.sleeps == []


def test_slack_thread_and_dm_after_booking(slack, slack_settings, db, browsers, clock, google, key_file, calendly,
                                           directory, retry):
    """`/book Acme` through Bolt: the parent says ✓ Booked, the teammate's DM has the time and the event link."""
    from booking.confirmations.teammate_calendar import GoogleCalendar
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService
    from bot.app import build_app
    from bot.client import make_client
    from bot.notifier import slack_notifiers
    from replicas.slack_requests import bolt_request, sign, slash_command
    from tests.helpers import settled

    configured = slack_settings.with_overrides(google_credentials_file=key_file,
                                               google_calendar_api_url=google.calendar_endpoint)
    google.set_busy(TEAMMATE_EMAIL, [(datetime(2026, 12, 2, 9, 0, tzinfo=HEL), datetime(2026, 12, 2, 9, 30, tzinfo=HEL))])
    client = make_client(configured)
    runner = JobRunner(1)
    service = BookingService(db, configured, browsers, runner, clock=clock, notifiers=slack_notifiers(client),
                             availability=GoogleCalendar.from_settings(configured, retry=retry))
    app = build_app(configured, service, client=client)
    body = slash_command(text="Acme", response_url=slack.response_url("r1", user="U123"))
    assert app.dispatch(bolt_request(body, sign("test-signing-secret", body))).status == 200
    [row] = settled(service)
    runner.shutdown()

    assert row.status == BookingStatus.ADDED_TO_CALENDAR
    [parent] = slack.messages("C123")
    assert parent["text"].startswith("✓ Booked Acme Robotics with Alice Smith, Wed 2 Dec 09:30")
    assert "*Calendar*\\nadded to your Google Calendar" in json.dumps(parent["blocks"])
    [event] = google.events(TEAMMATE_EMAIL)
    [dm] = [m for m in slack.dms("U123") if "Google Calendar" in m["text"]]
    assert dm["text"].startswith("✓ Booked Acme Robotics with Alice Smith: Wed 2 Dec, 09:30–10:00 (Europe/Helsinki). "
                                 f"In your Google Calendar: {event['htmlLink']}")
    assert "see the thread" in dm["text"]  # the DM links back to the booking's thread
    assert slack.calls_to("conversations.open")
