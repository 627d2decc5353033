"""calendar_sync's Calendar client: the real google-api-python-client against the loopback fake."""
from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from calendar_sync import Attendee, EventSpec, GoogleApiError, NotFound, event_id_for
from tests.google.conftest import TEAMMATE_EMAIL

UTC = timezone.utc
HEL = ZoneInfo("Europe/Helsinki")
START = datetime(2026, 12, 2, 9, 0, tzinfo=HEL)


def spec(**changes):
    base = dict(summary="Meeting with Acme Robotics (Alice Smith)", start=START, end=START + timedelta(minutes=30),
                time_zone="Europe/Helsinki", event_id=event_id_for("booker", "key", 1), description="Hello",
                attendees=(Attendee("alice@acme.example", "Alice Smith"),), private_properties={"booking_id": "1"})
    base.update(changes)
    return EventSpec(**base)


def test_free_busy_reads_the_impersonated_teammates_primary_calendar(google, workspace):
    google.set_busy(TEAMMATE_EMAIL, [(START, START + timedelta(hours=1))])
    google.set_busy("someone.else@axa-innovation.example", [(START + timedelta(hours=3), START + timedelta(hours=4))])
    busy = workspace.calendar(TEAMMATE_EMAIL).free_busy(START - timedelta(days=1), START + timedelta(days=1))
    assert [(b.start, b.end) for b in busy] == [(START, START + timedelta(hours=1))]
    [token_call] = google.calls_to("oauth2.token")
    assert token_call.user == TEAMMATE_EMAIL  # the service account's JWT named the teammate as subject
    [query] = google.calls_to("calendar.freebusy.query")
    assert query.body["items"] == [{"id": "primary"}] and query.user == TEAMMATE_EMAIL
    assert query.body["timeMin"].endswith("Z")


def test_free_busy_includes_events_and_clips_to_the_window(google, workspace):
    calendar = workspace.calendar(TEAMMATE_EMAIL)
    calendar.insert_event(spec())
    google.add_busy(TEAMMATE_EMAIL, START - timedelta(hours=2), START + timedelta(minutes=15))
    busy = calendar.free_busy(START - timedelta(hours=1), START + timedelta(hours=1))
    assert [(b.start, b.end) for b in busy] == [(START - timedelta(hours=1), START + timedelta(minutes=30))]


def test_insert_sends_the_event_in_the_teammates_zone_without_google_invitations(google, workspace):
    event = workspace.calendar(TEAMMATE_EMAIL).insert_event(spec())
    assert event.created and event.id == event_id_for("booker", "key", 1)
    assert event.html_link.startswith("https://www.google.com/calendar/event?eid=")
    [call] = google.calls_to("calendar.events.insert")
    assert call.query["sendUpdates"] == ["none"]  # Calendly already invited Alice
    assert call.body["start"] == {"dateTime": "2026-12-02T09:00:00+02:00", "timeZone": "Europe/Helsinki"}
    assert call.body["attendees"] == [{"email": "alice@acme.example", "displayName": "Alice Smith"}]
    assert call.body["extendedProperties"] == {"private": {"booking_id": "1"}}
    [stored] = google.events(TEAMMATE_EMAIL)
    assert stored["summary"] == "Meeting with Acme Robotics (Alice Smith)" and stored["description"] == "Hello"


def test_inserting_the_same_event_twice_keeps_one_and_reports_it_existed(google, workspace):
    calendar = workspace.calendar(TEAMMATE_EMAIL)
    first = calendar.insert_event(spec())
    again = calendar.insert_event(spec())
    assert (again.id, again.created, again.html_link) == (first.id, False, first.html_link)
    assert [c.status for c in google.calls_to("calendar.events.insert")] == [200, 409]
    assert len(google.events(TEAMMATE_EMAIL)) == 1


def test_an_id_taken_by_another_event_is_an_error_not_a_success(google, workspace):
    calendar = workspace.calendar(TEAMMATE_EMAIL)
    calendar.insert_event(spec(private_properties={"booking_id": "7"}))
    with pytest.raises(GoogleApiError, match="already has a different event"):
        calendar.insert_event(spec(private_properties={"booking_id": "8"}))


def test_event_ids_are_deterministic_base32hex():
    first = event_id_for("booker", "2026-12-01T08:00:00+00:00", 12)
    assert first == event_id_for("booker", "2026-12-01T08:00:00+00:00", 12)
    assert first != event_id_for("booker", "2026-12-01T08:00:00.000001+00:00", 12)
    assert re.fullmatch(r"[a-v0-9]{5,1024}", first)


def test_get_patch_list_delete_and_import(google, workspace):
    calendar = workspace.calendar(TEAMMATE_EMAIL)
    created = calendar.insert_event(spec())
    assert calendar.get_event(created.id).summary == created.summary
    patched = calendar.patch_event(created.id, location="Table 12", private_properties={"table": "12"})
    assert patched.location == "Table 12"
    assert patched.private_properties == {"booking_id": "1", "table": "12"}  # patch merges the map
    assert [e.id for e in calendar.find_events(private={"booking_id": "1"})] == [created.id]
    assert calendar.find_events(private={"booking_id": "2"}) == []

    uid = "calendly-7f3a@calendly.com"
    imported = calendar.import_event(spec(event_id=None, ical_uid=uid, summary="Invite from Calendly",
                                           private_properties={}))
    again = calendar.import_event(spec(event_id=None, ical_uid=uid, summary="Invite from Calendly (moved)",
                                        private_properties={}))
    assert imported.id == again.id and again.summary.endswith("(moved)")
    assert [e.id for e in calendar.find_events(ical_uid=uid)] == [imported.id]

    calendar.delete_event(created.id)
    assert calendar.get_event(created.id).status == "cancelled"
    assert calendar.find_events(private={"booking_id": "1"}) == []
    with pytest.raises(NotFound):
        calendar.get_event("nosuchevent0")


def test_listing_follows_pages(google, workspace):
    calendar = workspace.calendar(TEAMMATE_EMAIL)
    for n in range(3):
        calendar.insert_event(spec(event_id=event_id_for("booker", "page", n), start=START + timedelta(hours=n),
                                   end=START + timedelta(hours=n, minutes=30), private_properties={"kind": "x"}))
    found = []
    token = None
    while True:  # maxResults=2 forces two pages through the fake
        answer = calendar.session.execute(lambda s: s.events().list(
            calendarId="primary", privateExtendedProperty=["kind=x"], maxResults=2,
            **({"pageToken": token} if token else {})), "events.list")
        found += [item["id"] for item in answer["items"]]
        token = answer.get("nextPageToken")
        if not token:
            break
    assert len(found) == 3 and len(calendar.find_events(private={"kind": "x"})) == 3


def test_rate_limit_is_retried_after_the_servers_retry_after(google, workspace, timer):
    google.fail("calendar.freebusy.query", status=429, times=2, retry_after=7)
    workspace.calendar(TEAMMATE_EMAIL).free_busy(START, START + timedelta(hours=1))
    assert timer.sleeps == [7, 7]
    assert [c.status for c in google.calls_to("calendar.freebusy.query")] == [429, 429, 200]


def test_server_errors_back_off_exponentially_then_give_up_with_a_clear_error(google, workspace, timer):
    google.fail("calendar.events.insert", status=503, times=10)
    with pytest.raises(GoogleApiError) as failed:
        workspace.calendar(TEAMMATE_EMAIL).insert_event(spec())
    assert timer.sleeps == [1, 2, 4, 8]  # five tries
    assert failed.value.retryable and "Google Calendar is unavailable for events.insert" in str(failed.value)
    assert google.events(TEAMMATE_EMAIL) == []


def test_rate_limit_403_is_retried_and_an_http_date_retry_after_is_honoured(google, workspace, timer, clock):
    from email.utils import format_datetime

    workspace.retry.now = lambda: datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    google.fail("calendar.events.insert", status=403, reason="rateLimitExceeded",
                retry_after=format_datetime(datetime(2026, 12, 1, 8, 0, 12, tzinfo=UTC), usegmt=True))
    workspace.calendar(TEAMMATE_EMAIL).insert_event(spec())
    assert timer.sleeps == [12]


def test_a_retry_after_beyond_the_budget_gives_up_at_once(google, workspace, timer):
    google.fail("calendar.freebusy.query", status=429, retry_after=3600)
    with pytest.raises(GoogleApiError, match="will try again later") as failed:
        workspace.calendar(TEAMMATE_EMAIL).free_busy(START, START + timedelta(hours=1))
    assert failed.value.retryable and timer.sleeps == []


@pytest.mark.parametrize("status, reason", [(400, "invalid"), (403, "forbidden"), (404, "notFound")])
def test_permanent_errors_are_not_retried_and_say_what_was_refused(google, workspace, timer, status, reason):
    google.fail("calendar.events.insert", status=status, reason=reason, message="Nope")
    with pytest.raises(GoogleApiError) as failed:
        workspace.calendar(TEAMMATE_EMAIL).insert_event(spec())
    assert not failed.value.retryable and failed.value.status == status
    assert f"{status} {reason}: Nope" in str(failed.value) and "\n" not in str(failed.value)
    assert timer.sleeps == [] and len(google.calls_to("calendar.events.insert")) == 1


def test_each_thread_gets_its_own_http_connection(google, workspace):
    calendar = workspace.calendar(TEAMMATE_EMAIL)
    google.set_busy(TEAMMATE_EMAIL, [(START, START + timedelta(minutes=30))])
    seen: dict[str, object] = {}
    results: list[int] = []
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            for _ in range(5):
                results.append(len(calendar.free_busy(START, START + timedelta(hours=1))))
            seen[name] = calendar.session.http()
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"t{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and results == [1] * 20
    assert len({id(http) for http in seen.values()}) == 4
    assert {c.status for c in google.calls_to("calendar.freebusy.query")} == {200}
