"""The Google fake holds every request to the shipped discovery documents, so a wrong request fails a test."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

from calendar_sync import GoogleApiError
from tests.google.conftest import TEAMMATE_EMAIL

START = datetime(2026, 12, 2, 7, 0, tzinfo=timezone.utc)


def send(google, method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(google.url + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def take_problems(google):
    problems = google.problems
    google._problems.clear()  # the fixture checks none are left over
    return problems


def test_an_unknown_body_field_is_a_400_naming_it(google, workspace):
    calendar = workspace.calendar(TEAMMATE_EMAIL)
    body = {"summary": "x", "start": {"dateTime": START.isoformat()}, "end": {"dateTime": START.isoformat()},
            "extendedProperties": {"private": {"booking_id": "1"}}, "attendee": [{"email": "a@b.example"}]}
    with pytest.raises(GoogleApiError) as refused:
        calendar.session.execute(lambda s: s.events().insert(calendarId="primary", body=body), "events.insert")
    assert refused.value.status == 400 and "unknown field Event.attendee" in str(refused.value)
    assert take_problems(google) == ["unknown field Event.attendee"]
    assert google.events(TEAMMATE_EMAIL) == []


def test_nested_fields_and_types_are_checked(google):
    token = google.issue_token(TEAMMATE_EMAIL)
    status, answer = send(google, "POST", "/calendar/v3/freeBusy", token,
                          {"timeMin": "tomorrow", "timeMax": START.isoformat(), "items": [{"id": "primary", "x": 1}]})
    assert status == 400
    assert take_problems(google) == ["FreeBusyRequest.timeMin must be an RFC 3339 date-time, got 'tomorrow'",
                                     "unknown field FreeBusyRequest.items[0].x"]
    assert answer["error"]["errors"][0]["reason"] == "invalid"


def test_unknown_and_missing_parameters_are_refused(google):
    token = google.issue_token(TEAMMATE_EMAIL)
    assert send(google, "GET", "/calendar/v3/calendars/primary/events?privateProperty=a%3Db", token)[0] == 400
    assert send(google, "GET", "/gmail/v1/users/me/messages/123?format=html", token)[0] == 400
    assert send(google, "POST", "/calendar/v3/calendars/primary/events?sendUpdates=all&sendUpdates=none", token,
                {"start": {"date": "2026-12-02"}, "end": {"date": "2026-12-03"}})[0] == 400
    assert send(google, "POST", "/calendar/v3/freeBusy", token)[0] == 400
    assert take_problems(google) == [
        "calendar.events.list: unknown query parameter 'privateProperty'",
        "gmail.users.messages.get: parameter format must be one of minimal, full, raw, metadata, got 'html'",
        "calendar.events.insert: parameter sendUpdates given 2 times but is not repeated",
        "calendar.freebusy.query: a JSON body (FreeBusyRequest) is required",
    ]


def test_a_path_that_is_no_method_is_a_problem(google):
    token = google.issue_token(TEAMMATE_EMAIL)
    assert send(google, "GET", "/calendar/v3/calendars/primary/eventz", token)[0] == 404
    assert send(google, "DELETE", "/calendar/v3/freeBusy", token)[0] == 405
    assert len(take_problems(google)) == 2


def test_credentials_and_scopes_are_enforced(google):
    assert send(google, "GET", "/gmail/v1/users/me/profile")[0] == 401
    assert send(google, "GET", "/gmail/v1/users/me/profile", "ya29.stolen")[0] == 401
    calendar_only = google.issue_token(TEAMMATE_EMAIL, ["https://www.googleapis.com/auth/calendar.events"])
    status, answer = send(google, "GET", "/gmail/v1/users/me/profile", calendar_only)
    assert status == 403 and answer["error"]["errors"][0]["reason"] == "insufficientPermissions"
    status, _ = send(google, "GET", "/gmail/v1/users/someone.else@axa-innovation.example/profile",
                     google.issue_token(TEAMMATE_EMAIL))
    assert status == 403


def test_event_ids_must_be_base32hex_and_unique(google):
    token = google.issue_token(TEAMMATE_EMAIL)
    event = {"start": {"dateTime": "2026-12-02T09:00:00", "timeZone": "Europe/Helsinki"},
             "end": {"dateTime": "2026-12-02T09:30:00", "timeZone": "Europe/Helsinki"}}
    assert send(google, "POST", "/calendar/v3/calendars/primary/events", token, {**event, "id": "Booking-1"})[0] == 400
    assert send(google, "POST", "/calendar/v3/calendars/primary/events", token, {**event, "id": "booking1"})[0] == 200
    status, answer = send(google, "POST", "/calendar/v3/calendars/primary/events", token, {**event, "id": "booking1"})
    assert status == 409 and answer["error"]["message"] == "The requested identifier already exists."
    send(google, "DELETE", "/calendar/v3/calendars/primary/events/booking1", token)
    assert send(google, "POST", "/calendar/v3/calendars/primary/events", token, {**event, "id": "booking1"})[0] == 409
    assert send(google, "POST", "/calendar/v3/calendars/primary/events", token,
                {"start": {"dateTime": "2026-12-02T09:00:00"}, "end": event["end"]})[0] == 400  # no zone at all
    [stored] = google.events(TEAMMATE_EMAIL, include_cancelled=True)
    assert stored["start"]["dateTime"] == "2026-12-02T09:00:00" and stored["status"] == "cancelled"


def test_an_unsupported_search_fails_loudly(google, workspace):
    with pytest.raises(GoogleApiError, match="does not model"):
        workspace.gmail(TEAMMATE_EMAIL).list_messages("from:calendly.com OR from:cal.com")
    assert take_problems(google) == ["the fake does not model 'or' in Gmail searches"]


def test_injected_faults_and_the_record(google, workspace, timer):
    google.fail("calendar.events.get", status=404, times=1)
    google.fail("oauth2.token", status=400, reason="invalid_grant", message="Invalid grant")
    calendar = workspace.calendar(TEAMMATE_EMAIL)
    with pytest.raises(Exception, match="invalid_grant"):
        calendar.free_busy(START, START + timedelta(hours=1))
    calendar.free_busy(START, START + timedelta(hours=1))
    assert [(c.method, c.status) for c in google.calls] == [
        ("oauth2.token", 400), ("oauth2.token", 200), ("calendar.freebusy.query", 200)]
    assert "client_secret" not in google.calls[0].body and "assertion" in google.calls[0].body
