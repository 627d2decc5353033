"""Cal.com end to end through the service, on real headless Chromium against the replica."""
from __future__ import annotations

import json
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from booking.domain.errors import PlatformApiError
from booking.domain.states import BookingStatus
from booking.platforms.calcom import CalCom, parse_duration
from booking.platforms.http import HttpResponse, UrllibHttp
from booking.platforms.registry import detect_platform
from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput
from replicas.calcom import CalComField

HEL = ZoneInfo("Europe/Helsinki")
WED_9 = datetime(2026, 12, 2, 9, 0, tzinfo=HEL)  # the first slot past the 60-minute lead time


@pytest.fixture
def calcom(clock, build):
    from replicas.world import build_calcom

    with build_calcom(now=clock, build=build) as site:
        yield site


@pytest.fixture
def calcom_directory(db, calcom):
    from replicas.world import calcom_entries, seed_directory

    entries = calcom_entries(calcom)
    seed_directory(db, entries)
    return entries


@pytest.fixture
def api_service(db, settings, browsers, clock):
    """The service with BOOKER_API_FAST_PATH on."""
    from booking.runtime.runner import JobRunner
    from booking.workflow.service import BookingService

    runner = JobRunner(1)
    yield BookingService(db, settings.with_overrides(api_fast_path=True), browsers, runner, clock=clock)
    runner.shutdown()


def book(service, teammate, **request):
    view = service.request_booking(BookingRequestInput(teammate=teammate, **request))
    service.start(view.id)
    assert service.runner.wait_idle(120)
    return service.get(view.id)


def mine(site, teammate):
    return [b for b in site.bookings if b["email"] == teammate.email]


@pytest.mark.browser
def test_instant_event_type_is_booked_and_confirmed(service, calcom, calcom_directory, teammate):
    final = book(service, teammate, startup="gamma")

    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(calcom, teammate)
    assert (recorded["host_name"], recorded["name"], recorded["source"]) == ("Dana Berg", "Eduardo Paz", "web")
    assert recorded["start"] == WED_9 and recorded["end"] == WED_9 + timedelta(minutes=30)
    assert recorded["status"] == "accepted"
    assert recorded["notes"].startswith("Hello, my name is Eduardo Paz from the Venture Clienting team at AXA Innovation.")
    assert "Wed 2 Dec, 09:30 (Europe/Helsinki) would work for me too" in recorded["notes"]
    assert final.message_sent == recorded["notes"]
    assert final.person_name == "Dana Berg" and final.confirmed_slot == WED_9
    assert final.external_booking_id == recorded["uid"]
    with service.db.session() as session:
        row = session.get_one(MeetingBookingRequest, final.id)
        assert row.status_url == f"{calcom.url}/booking/{recorded['uid']}"
        assert row.selected_person_email == "dana@gamma.example" and row.confirmation_method == "page"
    names = [Path(p).name for p in final.screenshots]
    assert names == ["01_page_loaded.png", "02_slots_found.png", "03_slot_selected.png", "04_form_filled.png",
                     "05_submitted.png"]


@pytest.mark.browser
def test_event_type_that_requires_confirmation_waits_for_the_host(service, calcom, calcom_directory, teammate):
    """"Your booking has been submitted" → pending_confirmation with the uid; the host's accept shows in the API."""
    final = book(service, teammate, startup="Delta Energy")

    assert final.status == BookingStatus.PENDING_CONFIRMATION
    [recorded] = mine(calcom, teammate)
    assert recorded["status"] == "pending" and recorded["host_name"] == "Erik Lund"
    assert recorded["start"] == datetime(2026, 12, 2, 10, 0, tzinfo=HEL)
    assert recorded["responses"]["company"] == "AXA Innovation"  # a required custom field, from the profile
    assert recorded["notes"].startswith("Hello, my name is Eduardo Paz")
    assert final.external_booking_id == recorded["uid"]
    steps = [e.detail for e in service.events(final.id) if e.kind == "step"]
    assert any("sent, waiting for confirmation" in s and
               "Your booking has been submitted with Erik Lund. Erik Lund still needs to confirm it" in s for s in steps)

    http = UrllibHttp(5)
    with service.db.session() as session:
        status_url = session.get_one(MeetingBookingRequest, final.id).status_url
    pending = CalCom.remote_status(final.external_booking_id, status_url, http)
    assert (pending.state, pending.raw, pending.host_name, pending.start) == (
        "pending", "pending", "Erik Lund", recorded["start"])

    request = urllib.request.Request(f"{calcom.url}/__replica__/bookings/{recorded['uid']}/accept", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.load(response)["status"] == "accepted"
    accepted = CalCom.remote_status(final.external_booking_id, status_url, http)
    assert (accepted.state, accepted.raw) == ("confirmed", "accepted")
    assert service.confirm(final.id, "api", accepted.detail).status == BookingStatus.CONFIRMED


@pytest.mark.browser
def test_team_page_books_the_configured_people_in_order(service, calcom, calcom_directory, teammate):
    """Epsilon lists Gia before Finn in the config; "Book a team member" offers Finn first on the page."""
    final = book(service, teammate, startup="epsilon")
    assert (final.status, final.person_name) == (BookingStatus.CONFIRMED, "Gia Rossi")
    [recorded] = mine(calcom, teammate)
    assert recorded["host_name"] == "Gia Rossi" and recorded["start"] == datetime(2026, 12, 2, 11, 0, tzinfo=HEL)
    steps = [e.detail for e in service.events(final.id) if e.kind == "step"]
    assert "Chose Gia Rossi" in steps


@pytest.mark.browser
def test_round_robin_records_the_host_cal_com_assigned(service, calcom, teammate):
    final = book(service, teammate, url=calcom.team_event_url("epsilon", "meet-epsilon"), platform="calcom")
    [recorded] = mine(calcom, teammate)
    # 11:00 is the earliest time either member has; only Gia is free then, so Cal.com gives her the meeting
    assert recorded["start"] == datetime(2026, 12, 2, 11, 0, tzinfo=HEL) and recorded["host_name"] == "Gia Rossi"
    assert (final.status, final.person_name) == (BookingStatus.CONFIRMED, "Gia Rossi")


@pytest.mark.browser
def test_api_fast_path_books_through_the_public_v2_endpoints(api_service, calcom, calcom_directory, teammate):
    final = book(api_service, teammate, startup="gamma")
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(calcom, teammate)
    assert (recorded["source"], recorded["start"], recorded["host_name"]) == ("api", WED_9, "Dana Berg")
    assert recorded["notes"].startswith("Hello, my name is Eduardo Paz") and recorded["time_zone"] == "Europe/Helsinki"
    assert final.external_booking_id == recorded["uid"]
    steps = [e.detail for e in api_service.events(final.id) if e.kind == "step"]
    assert any("booked through Cal.com's API" in s for s in steps)


@pytest.mark.browser
def test_api_fast_path_keeps_pending_bookings_pending(api_service, calcom, calcom_directory, teammate):
    final = book(api_service, teammate, startup="delta")
    [recorded] = mine(calcom, teammate)
    # The API refuses the missing required "Company" answer, so the page books it (and fills it in)
    assert recorded["source"] == "web" and recorded["responses"]["company"] == "AXA Innovation"
    assert final.status == BookingStatus.PENDING_CONFIRMATION and final.external_booking_id == recorded["uid"]


@pytest.mark.browser
def test_api_fast_path_falls_back_to_the_page_when_the_api_is_down(api_service, calcom, calcom_directory, teammate):
    calcom.faults.api_down = True
    final = book(api_service, teammate, startup="gamma")
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(calcom, teammate)
    assert (recorded["source"], recorded["start"]) == ("web", WED_9)


@pytest.mark.browser
def test_page_shown_in_another_zone_books_the_same_instant_past_a_cookie_banner(service, clock, db, teammate, build):
    from replicas.world import build_calcom, calcom_entries, seed_directory

    with build_calcom(now=clock, display_timezone="America/New_York", cookie_banner=True, time_format_24h=True,
                      build=build) as site:
        seed_directory(db, calcom_entries(site))
        final = book(service, teammate, startup="gamma")
        [recorded] = mine(site, teammate)
    assert recorded["start"] == WED_9 and final.confirmed_slot == WED_9
    assert final.status == BookingStatus.CONFIRMED


@pytest.mark.browser
def test_blind_page_without_platform_hooks_is_booked_from_what_it_shows(service, clock, db, teammate):
    """No data-testid, no data-time: days by their numbers, times by their clock text in the page's zone
    (read from the Timezone Select), the form by its labels, the answer by its headline."""
    from replicas.world import build_calcom, calcom_entries, seed_directory

    with build_calcom(now=clock, build="blind", platform_hooks=False, display_timezone="America/New_York") as site:
        seed_directory(db, calcom_entries(site))
        final = book(service, teammate, startup="gamma")
        [recorded] = mine(site, teammate)
    assert final.status == BookingStatus.CONFIRMED, final.error_message
    assert (recorded["host_name"], recorded["name"], recorded["source"]) == ("Dana Berg", "Eduardo Paz", "web")
    assert recorded["start"] == WED_9 == final.confirmed_slot and recorded["status"] == "accepted"
    assert recorded["notes"].startswith("Hello, my name is Eduardo Paz") and final.person_name == "Dana Berg"
    assert final.external_booking_id == recorded["uid"]


@pytest.mark.browser
def test_slot_taken_before_submit_books_the_alternative_once(service, calcom, calcom_directory, teammate):
    calcom.faults.take_slot_before_submit = True
    final = book(service, teammate, startup="gamma")
    assert final.status == BookingStatus.CONFIRMED
    [recorded] = mine(calcom, teammate)
    assert recorded["start"] == WED_9 + timedelta(minutes=30) == final.confirmed_slot
    assert any("was just taken" in e.detail for e in service.events(final.id) if e.kind == "step")


@pytest.mark.browser
def test_required_field_booker_cannot_answer_fails_naming_it(service, calcom, calcom_directory, teammate):
    calcom.users["dana-gamma"].event_types[0].fields.append(CalComField("budget", "Budget for a pilot", required=True))
    final = book(service, teammate, startup="gamma")
    assert final.status == BookingStatus.FAILED
    # the shared form filler words the rest of the sentence (what to do next)
    assert final.error_message.startswith("The Cal.com form requires 'Budget for a pilot', which Booker can't answer")
    # the page when it stopped ("_questions.png" since unanswerable questions are asked of the teammate)
    assert Path(final.screenshots[-1]).name.endswith(("_failure.png", "_questions.png"))
    assert mine(calcom, teammate) == []


@pytest.mark.browser
def test_form_that_never_renders_fails_naming_the_hook(service, calcom, calcom_directory, teammate):
    calcom.faults.form_never_renders = True
    final = book(service, teammate, startup="gamma")
    assert final.status == BookingStatus.FAILED
    assert "The Cal.com page changed or did not finish loading: the booking form" in final.error_message
    assert mine(calcom, teammate) == []


@pytest.mark.browser
def test_no_slot_in_the_window_fails_with_the_next_step(service, calcom, calcom_directory, teammate):
    calcom.users["dana-gamma"].slots = [s + timedelta(days=60) for s in calcom.users["dana-gamma"].slots]
    final = book(service, teammate, startup="gamma")
    assert final.status == BookingStatus.FAILED
    assert final.error_message.startswith("No common free time with Gamma AI before Tue 15 Dec (tried Dana Berg: nothing offered)")


# -- the status API the confirmation monitor uses (no browser) ---------------------------------------
class ScriptedHttp:
    """An HttpClient that answers from a script and records what was asked."""

    def __init__(self, *responses: HttpResponse) -> None:
        self.responses = list(responses)
        self.calls: list[tuple[str, str, dict]] = []

    def request(self, method, url, *, json_body=None, headers=None):
        self.calls.append((method, url, dict(headers or {})))
        return self.responses.pop(0)


@pytest.mark.parametrize("raw, state", [("accepted", "confirmed"), ("pending", "pending"),
                                        ("rejected", "declined"), ("cancelled", "cancelled")])
def test_booking_status_maps_cal_com_statuses(raw, state):
    http = ScriptedHttp(HttpResponse(200, {"status": "success", "data": {
        "uid": "abc", "status": raw, "start": "2026-12-02T07:00:00.000Z", "hosts": [{"name": "Erik Lund"}],
        "rejectionReason": "Busy that week" if raw == "rejected" else None}}))
    status = CalCom.booking_status("abc", http)
    assert (status.state, status.raw, status.host_name, status.start) == (
        state, raw, "Erik Lund", datetime(2026, 12, 2, 9, 0, tzinfo=HEL))
    assert http.calls == [("GET", "https://api.cal.com/v2/bookings/abc", {"cal-api-version": "2024-08-13"})]
    if raw == "rejected":
        assert status.detail == "Cal.com says the booking is rejected: Busy that week"


def test_booking_status_failures_are_platform_api_errors():
    with pytest.raises(PlatformApiError, match="doesn't know booking gone") as missing:
        CalCom.booking_status("gone", ScriptedHttp(HttpResponse(404, {"status": "error"})))
    assert not missing.value.retryable
    with pytest.raises(PlatformApiError, match="answered 503") as down:
        CalCom.booking_status("abc", ScriptedHttp(HttpResponse(503, None)))
    assert down.value.retryable


def test_booking_status_reads_the_replica_over_http(calcom):
    """Create through POST /v2/bookings, then follow pending → accepted, and a second one to rejected."""
    http = UrllibHttp(5)
    event_id = calcom.users["erik-delta"].event_types[0].id
    uids = []
    for start in ("2026-12-02T08:00:00.000Z", "2026-12-02T08:30:00.000Z"):
        created = http.request("POST", f"{calcom.url}/v2/bookings", json_body={
            "start": start, "eventTypeId": event_id, "bookingFieldsResponses": {"company": "AXA"},
            "attendee": {"name": "Ann Invitee", "email": "ann@invitee.test", "timeZone": "Europe/Helsinki"}},
            headers={"cal-api-version": "2024-08-13"})
        assert created.status == 201 and created.data["data"]["status"] == "pending"
        uids.append(created.data["data"]["uid"])
    base = CalCom.api_base_for(calcom.event_url("erik-delta", "meet"))
    assert base == calcom.url
    assert CalCom.booking_status(uids[0], http, base).state == "pending"
    calcom.accept(uids[0])
    calcom.reject(uids[1], "Not a fit")
    assert CalCom.booking_status(uids[0], http, base).state == "confirmed"
    rejected = CalCom.booking_status(uids[1], http, base)
    assert (rejected.state, rejected.detail) == ("declined", "Cal.com says the booking is rejected: Not a fit")
    calcom.cancel(uids[0])
    assert CalCom.booking_status(uids[0], http, base).state == "cancelled"


def test_api_base_for_cal_com_hosts():
    assert CalCom.api_base_for("https://cal.com/dana/intro") == "https://api.cal.com"
    assert CalCom.api_base_for("https://acme.cal.com/dana/intro") == "https://api.cal.com"
    assert CalCom.api_base_for("https://cal.acme.example/dana/intro") == "https://cal.acme.example"


@pytest.mark.parametrize("text, minutes", [("30m", 30), ("1h", 60), ("1h 30m", 90), ("45 mins", 45)])
def test_durations_as_the_event_meta_shows_them(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)
    assert parse_duration("Cal Video") is None and parse_duration("") is None


@pytest.mark.parametrize("url", [
    "https://cal.com/dana", "https://cal.com/dana/intro", "https://cal.com/dana/intro?month=2026-12&date=2026-12-02",
    "https://cal.com/team/gleam/connect-with-the-team", "https://cal.com/d/abc123/intro",
    "https://app.cal.com/dana/intro/embed?embed=&layout=month_view&embedType=inline", "https://acme.cal.com/dana/intro",
    "https://www.cal.com/dana/intro",
])
def test_registry_detects_cal_com_urls(url):
    assert detect_platform(url) is CalCom


@pytest.mark.parametrize("url", [
    "https://cal.com.evil.example/dana", "https://mycal.com/dana", "https://cal.co/dana", "https://evil.example/cal.com/dana",
    "https://api.cal.com/v2/bookings", "https://cal.com/booking/abc?isSuccessBookingPage=true", "https://cal.com/auth/login",
    "https://app.cal.com/settings/my-account", "https://docs.cal.com/intro", "ftp://cal.com/dana",
])
def test_registry_rejects_cal_com_look_alikes(url):
    assert detect_platform(url) is None
