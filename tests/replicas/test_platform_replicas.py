"""The Cal.com, HubSpot and Chili Piper replicas answer like the real endpoints, or the platform tests lie."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from replicas.calcom import SLOT_TAKEN_MESSAGE as CAL_TAKEN
from replicas.chilipiper import SLOT_TAKEN_MESSAGE as CP_TAKEN
from replicas.hubspot import SLOT_TAKEN_MESSAGE as HS_TAKEN

UTC = timezone.utc
HEL = ZoneInfo("Europe/Helsinki")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def call(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, Any, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as response:
            raw, status, head = response.read(), response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        raw, status, head = exc.read(), exc.code, dict(exc.headers)
    try:
        return status, json.loads(raw or b"null"), head
    except ValueError:
        return status, raw.decode(), head


def page_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="booking-config" type="application/json">(.*?)</script>', html, re.S)
                      .group(1).replace("<\\/", "</"))


# -- Cal.com ------------------------------------------------------------------------------------------
@pytest.fixture
def calcom(clock):
    from replicas.world import build_calcom

    with build_calcom(now=clock) as site:
        yield site


def test_cal_com_v2_slots_answer_in_the_requested_zone(calcom):
    base = f"{calcom.url}/v2/slots?eventTypeSlug=intro&username=dana-gamma&start=2026-12-02&end=2026-12-02"
    status, body, _ = call("GET", base + "&timeZone=Europe/Helsinki", headers={"cal-api-version": "2024-09-04"})
    assert status == 200 and body["status"] == "success" and list(body["data"]) == ["2026-12-02"]
    assert body["data"]["2026-12-02"][:2] == [{"start": "2026-12-02T09:00:00.000+02:00"},
                                               {"start": "2026-12-02T09:30:00.000+02:00"}]
    status, ranged, _ = call("GET", base + "&format=range")
    assert ranged["data"]["2026-12-02"][0] == {"start": "2026-12-02T07:00:00.000+00:00", "end": "2026-12-02T07:30:00.000+00:00"}
    by_id = call("GET", f"{calcom.url}/v2/slots?eventTypeId={calcom.users['dana-gamma'].event_types[0].id}"
                        "&start=2026-12-02&end=2026-12-02")[1]
    assert by_id["data"]["2026-12-02"][0] == {"start": "2026-12-02T07:00:00.000+00:00"}  # timeZone defaults to UTC
    status, missing, _ = call("GET", f"{calcom.url}/v2/slots?eventTypeSlug=nope&username=dana-gamma&start=2026-12-02&end=2026-12-03")
    assert status == 404 and missing["status"] == "error" and missing["error"]["code"] == "NotFoundException"


def test_cal_com_v2_booking_takes_the_slot_and_refuses_it_twice(calcom):
    body = {"start": "2026-12-02T07:00:00.000Z", "eventTypeSlug": "intro", "username": "dana-gamma",
            "attendee": {"name": "Ann Invitee", "email": "ann@invitee.test", "timeZone": "Europe/Helsinki"},
            "bookingFieldsResponses": {"notes": "Hello"}}
    status, created, _ = call("POST", f"{calcom.url}/v2/bookings", body, {"cal-api-version": "2024-08-13"})
    booking = created["data"]
    assert status == 201 and booking["status"] == "accepted" and booking["hosts"][0]["name"] == "Dana Berg"
    assert (booking["start"], booking["end"], booking["duration"]) == ("2026-12-02T07:00:00.000Z", "2026-12-02T07:30:00.000Z", 30)
    assert booking["attendees"][0]["email"] == "ann@invitee.test" and booking["bookingFieldsResponses"]["notes"] == "Hello"
    assert call("GET", f"{calcom.url}/v2/bookings/{booking['uid']}")[1]["data"]["uid"] == booking["uid"]
    status, again, _ = call("POST", f"{calcom.url}/v2/bookings", body)
    assert status == 400 and again["error"]["message"] == CAL_TAKEN
    slots = call("GET", f"{calcom.url}/v2/slots?eventTypeSlug=intro&username=dana-gamma&start=2026-12-02&end=2026-12-02")[1]
    assert slots["data"]["2026-12-02"][0]["start"] == "2026-12-02T07:30:00.000+00:00"
    status, gone, _ = call("GET", f"{calcom.url}/v2/bookings/nope")
    assert status == 404 and "was not found" in gone["error"]["message"]


def test_cal_com_opt_in_booking_is_pending_until_the_hosts_link_accepts_it(calcom):
    event = calcom.users["erik-delta"].event_types[0]
    status, created, _ = call("POST", f"{calcom.url}/api/book/event", {
        "eventTypeId": event.id, "start": "2026-12-02T08:00:00.000Z", "timeZone": "Europe/Helsinki",
        "responses": {"name": "Ann Invitee", "email": "ann@invitee.test", "company": "Acme", "notes": "Hi"}})
    assert status == 200 and created["status"] == "PENDING"
    uid = created["uid"]
    page = page_config(call("GET", f"{calcom.url}/booking/{uid}?isSuccessBookingPage=true")[1])
    assert page["page"] == "success" and page["booking"]["status"] == "pending"
    token = calcom.booking(uid)["token"]
    assert call("GET", f"{calcom.url}/api/verify-booking-token?action=accept&token=wrong&bookingUid={uid}")[0] == 400
    status, _, head = call("GET", f"{calcom.url}/api/verify-booking-token?action=accept&token={token}&bookingUid={uid}")
    assert status == 303 and head["Location"] == f"/booking/{uid}"
    assert call("GET", f"{calcom.url}/v2/bookings/{uid}")[1]["data"]["status"] == "accepted"
    status, cancelled, _ = call("POST", f"{calcom.url}/v2/bookings/{uid}/cancel", {"cancellationReason": "Travel"})
    assert status == 200 and cancelled["data"]["status"] == "cancelled" and cancelled["data"]["cancellationReason"] == "Travel"
    assert call("POST", f"{calcom.url}/__replica__/bookings/{uid}/accept", {})[0] == 409  # cancelled stays cancelled


def test_cal_com_required_custom_field_and_api_outage(calcom):
    event = calcom.users["erik-delta"].event_types[0]
    status, body, _ = call("POST", f"{calcom.url}/api/book/event", {
        "eventTypeId": event.id, "start": "2026-12-02T08:00:00.000Z", "responses": {"name": "Ann", "email": "a@b.test"}})
    assert status == 400 and body["errors"] == {"company": "Required"}
    calcom.faults.api_down = True
    assert call("GET", f"{calcom.url}/v2/bookings/x")[0] == 503
    calcom.reset()
    assert not calcom.faults.api_down and calcom.bookings == []


def test_cal_com_pages_render_from_their_config(calcom):
    booker = page_config(call("GET", calcom.embed_url("erik-delta/meet", "ns1"))[1])
    assert booker["page"] == "booker" and booker["embed"] is True and booker["event"]["requires_confirmation"] is True
    assert booker["event"]["fields"] == [{"name": "company", "label": "Company", "type": "text", "required": True}]
    team = page_config(call("GET", calcom.team_url("epsilon"))[1])
    assert [m["name"] for m in team["members"]] == ["Finn Koski", "Gia Rossi"]
    assert team["cards"][0]["href"] == "/team/epsilon/meet-epsilon"
    assert call("GET", f"{calcom.url}/nobody")[0] == 404
    schedule = call("GET", f"{calcom.url}/api/trpc/slots/getSchedule?input=" + urllib.request.quote(json.dumps({"json": {
        "usernameList": ["dana-gamma"], "eventTypeSlug": "intro", "startTime": "2026-12-02T00:00:00Z",
        "endTime": "2026-12-02T23:59:59Z", "timeZone": "Europe/Helsinki"}})))[1]
    assert schedule["result"]["data"]["json"]["slots"]["2026-12-02"][0] == {"time": "2026-12-02T07:00:00.000Z"}


# -- HubSpot ------------------------------------------------------------------------------------------
@pytest.fixture
def hubspot(clock):
    from replicas.world import build_hubspot

    with build_hubspot(now=clock) as site:
        yield site


def hubspot_booking(**changes: Any) -> dict:
    body = {"slug": "lena-zeta/intro", "firstName": "Ann", "lastName": "Invitee", "email": "ann@invitee.test",
            "startTime": int(datetime(2026, 12, 2, 9, 0, tzinfo=HEL).timestamp() * 1000), "duration": 1_800_000,
            "timezone": "Europe/Helsinki", "formFields": [{"name": "company", "value": "Acme"}]}
    return {**body, **changes}


def test_hubspot_availability_page_lists_each_duration(hubspot):
    status, body, _ = call("GET", f"{hubspot.url}/meetings-public/v3/book/availability-page?slug=lena-zeta/intro"
                                  "&monthOffset=0&timezone=Europe/Helsinki")
    by_duration = body["linkAvailability"]["linkAvailabilityByDuration"]
    assert status == 200 and set(by_duration) == {"1800000", "3600000"} and body["isOffline"] is False
    first = by_duration["1800000"]["availabilities"][0]
    assert first["startMillisUtc"] == int(datetime(2026, 12, 2, 7, 0, tzinfo=UTC).timestamp() * 1000)
    assert first["endMillisUtc"] - first["startMillisUtc"] == 1_800_000
    assert call("GET", f"{hubspot.url}/meetings-public/v3/book/availability-page?slug=nobody")[0] == 404


def test_hubspot_booking_checks_required_fields_and_takes_the_slot(hubspot):
    url = f"{hubspot.url}/meetings-public/v3/book"
    status, body, _ = call("POST", url, hubspot_booking(formFields=[]))
    assert status == 400 and body["errors"] == ["company"]
    status, body, _ = call("POST", url, hubspot_booking())
    assert status == 200 and body["isOffline"] is False and body["organizer"]["name"] == "Lena Virta"
    assert call("POST", url, hubspot_booking())[:2] == (409, {"status": "error", "message": HS_TAKEN, "category": "CONFLICT"})
    assert hubspot.bookings[0]["form_fields"] == {"company": "Acme"} and hubspot.bookings[0]["status"] == "confirmed"


def test_hubspot_round_robin_and_offline_links(hubspot):
    url = f"{hubspot.url}/meetings-public/v3/book"
    noon = int(datetime(2026, 12, 2, 13, 0, tzinfo=HEL).timestamp() * 1000)
    hosts = [call("POST", url, hubspot_booking(slug="eta-foods/intro", startTime=noon))[1]["organizer"]["name"] for _ in range(2)]
    assert hosts == ["Mikko Laine", "Nina Aho"]  # both free: the link's order; then the one left
    status, offline, _ = call("POST", url, hubspot_booking(slug="olli-theta", startTime=noon))
    assert status == 200 and offline["isOffline"] is True and offline["calendarEventId"] is None
    assert hubspot.bookings[-1]["status"] == "requested"


# -- Chili Piper --------------------------------------------------------------------------------------
@pytest.fixture
def chilipiper(clock):
    from replicas.world import build_chilipiper

    with build_chilipiper(now=clock) as site:
        yield site


def test_chili_piper_books_round_robin_and_refuses_taken_slots(chilipiper):
    status, availability, _ = call("GET", f"{chilipiper.url}/api/v1/availability?link=book/iota-intro")
    assert status == 200 and availability["slots"][0] == "2026-12-02T07:00:00Z"
    guest = {"FirstName": "Ann", "LastName": "Invitee", "Email": "ann@invitee.test"}
    body = {"link": "book/iota-intro", "start": "2026-12-02T12:00:00Z", "guest": guest, "fields": {}}
    assert call("POST", f"{chilipiper.url}/api/v1/book", body)[1]["assignee"]["name"] == "Pia Nurmi"
    assert call("POST", f"{chilipiper.url}/api/v1/book", body)[1]["assignee"]["name"] == "Quentin Moreau"
    assert call("POST", f"{chilipiper.url}/api/v1/book", body)[:2] == (409, {"error": CP_TAKEN})
    router = chilipiper.links["concierge-router/kappa-inbound"]
    status, refused, _ = call("POST", f"{chilipiper.url}/api/v1/book", {**body, "link": router.path, "start": "2026-12-02T13:00:00Z"})
    assert status == 400 and refused["fields"] == [router.fields[0].name]  # "Company", named by GUID


def test_chili_piper_router_pages(chilipiper):
    hosted = call("GET", chilipiper.link_url("concierge-router/kappa-inbound"))[1]
    framed = call("GET", chilipiper.router_frame_url("kappa-inbound", "https://kappa.example"))[1]
    assert "<title>Schedule a time | Chili Piper</title>" in framed
    assert page_config(hosted)["link"] == page_config(framed)["link"] == "concierge-router/kappa-inbound"
    assert page_config(hosted)["live_choice"] is True
    assert call("GET", f"{chilipiper.url}/book/nobody")[0] == 404
