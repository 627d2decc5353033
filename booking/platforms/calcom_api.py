"""Cal.com's URL shapes (research/platforms.md §2.1 [V]) and its public v2 API (§2.4 [V], no key needed):

- ``GET /v2/slots`` (``cal-api-version: 2024-09-04``) by ``eventTypeSlug`` + ``username``/``teamSlug``
  (+ ``organizationSlug``): the fast path's slots;
- ``POST /v2/bookings`` (``cal-api-version: 2024-08-13``): the fast path's booking, ``accepted`` or
  ``pending`` (an event type that needs the host's approval);
- ``GET /v2/bookings/{uid}``: public for whoever knows the uid; the confirmation monitor's poll.

Kept apart from the page module (:mod:`booking.platforms.calcom`) because none of it reads a page.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from booking.domain.errors import PlatformApiError, SlotTaken
from booking.domain.slots import Interval, OfferedSlot, parse_iso
from booking.platforms.base import Invitee, RemoteBookingStatus
from booking.platforms.http import HttpClient, HttpError

log = logging.getLogger(__name__)
UTC = timezone.utc
API_BASE = "https://api.cal.com"
SLOTS_VERSION = "2024-09-04"
BOOKINGS_VERSION = "2024-08-13"
STATES = {"accepted": "confirmed", "pending": "pending", "rejected": "declined", "cancelled": "cancelled"}
SLOT_TAKEN_WORDS = ("no longer available", "not available", "already has booking", "no_available_users")
# First path segments that are Cal.com's own pages, never a user's profile.
RESERVED = {"api", "auth", "apps", "settings", "bookings", "booking", "event-types", "availability", "workflows",
            "insights", "docs", "signup", "login", "d", "team"}
RESERVED_PATHS = (r"(?!(?:api|auth|apps|settings|bookings|booking|event-types|availability|workflows|insights|docs"
                  r"|signup|login)(?:/|$))")


@dataclass(frozen=True)
class EventRef:
    """Which event type a booker page is, as the v2 API names it."""

    slug: str
    username: str | None = None
    team_slug: str | None = None
    organization_slug: str | None = None

    def params(self) -> dict[str, str]:
        owner = {"username": self.username} if self.username else {"teamSlug": self.team_slug or ""}
        org = {"organizationSlug": self.organization_slug} if self.organization_slug else {}
        return {"eventTypeSlug": self.slug, **owner, **org}


@dataclass(frozen=True)
class ApiBooking:
    """What ``POST /v2/bookings`` answered."""

    uid: str
    confirmed: bool
    host: str | None
    status_url: str


def utc_text(moment: datetime) -> str:
    """Cal.com's UTC instant format (``data-time``, the API's ``start``): 2026-12-02T07:00:00.000Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def segments(url: str) -> list[str]:
    return [part for part in urlsplit(url).path.split("/") if part]


def is_listing(url: str) -> bool:
    """A profile ``/<user>`` or a team page ``/team/<team>``: event types, not a booker."""
    path = segments(url)
    return (len(path) == 1 and path[0] not in RESERVED) or (len(path) == 2 and path[0] == "team")


def api_base_for(page_url: str) -> str:
    """api.cal.com for cal.com pages; a self-hosted (or replica) instance answers on its own origin."""
    parts = urlsplit(page_url)
    host = (parts.hostname or "").lower()
    if host == "cal.com" or host.endswith(".cal.com"):
        return API_BASE
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def event_ref(event_url: str | None) -> EventRef | None:
    """The event type a booker URL shows (§2.1 [V] shapes); None for private ``/d/`` links."""
    if not event_url:
        return None
    parts = urlsplit(event_url)
    path = [p for p in parts.path.split("/") if p]
    if path and path[-1] == "embed":
        path = path[:-1]
    host = (parts.hostname or "").lower()
    org = host.split(".")[0] if host.endswith(".cal.com") and host not in ("app.cal.com", "www.cal.com") else None
    if len(path) == 3 and path[0] == "team":
        return EventRef(path[2], team_slug=path[1], organization_slug=org)
    if len(path) == 2 and path[0] != "d":
        return EventRef(path[1], username=path[0], organization_slug=org)
    return None


def booking_status(uid: str, http: HttpClient, api_base: str = API_BASE) -> RemoteBookingStatus:
    """``GET /v2/bookings/{uid}`` as plain data; PlatformApiError when the API can't say."""
    url = f"{api_base.rstrip('/')}/v2/bookings/{quote(uid, safe='')}"
    try:
        response = http.request("GET", url, headers={"cal-api-version": BOOKINGS_VERSION})
    except HttpError as exc:
        raise PlatformApiError(f"Cal.com's API did not answer about booking {uid}: {exc}") from None
    data = response.data.get("data") if isinstance(response.data, dict) else None
    if response.status == 404:
        raise PlatformApiError(f"Cal.com doesn't know booking {uid} any more", retryable=False)
    if not response.ok or not isinstance(data, dict) or str(data.get("status")) not in STATES:
        raise PlatformApiError(f"Cal.com's API answered {response.status} about booking {uid}")
    raw = str(data["status"])
    hosts = data.get("hosts") or []
    reason = data.get("rejectionReason") or data.get("cancellationReason") or ""
    try:
        start = parse_iso(str(data.get("start"))) if data.get("start") else None
    except ValueError:
        start = None
    return RemoteBookingStatus(
        state=STATES[raw], raw=raw, start=start,
        host_name=hosts[0].get("name") if hosts and isinstance(hosts[0], dict) else None,
        detail=f"Cal.com says the booking is {raw}" + (f": {reason}" if reason else ""),
    )


class CalComApi:
    """The fast path for one event type; None from a call means "use the page instead"."""

    def __init__(self, http: HttpClient, event_url: str) -> None:
        self.http = http
        self.event_url = event_url
        self.ref = event_ref(event_url)

    def _call(self, method: str, path: str, version: str, body: Any = None,
              query: dict[str, str] | None = None) -> tuple[int, Any]:
        url = f"{api_base_for(self.event_url)}{path}" + (f"?{urlencode(query)}" if query else "")
        response = self.http.request(method, url, json_body=body, headers={"cal-api-version": version})
        return response.status, response.data

    def slots(self, window: Interval, duration: timedelta) -> list[OfferedSlot] | None:
        """Offered starts in ``window`` from ``GET /v2/slots``; None when the API can't say."""
        if self.ref is None:
            return None
        query = {**self.ref.params(), "start": window.start.astimezone(UTC).isoformat(),
                 "end": window.end.astimezone(UTC).isoformat(), "timeZone": "UTC"}
        try:
            status, data = self._call("GET", "/v2/slots", SLOTS_VERSION, query=query)
            if status != 200 or not isinstance(data, dict) or data.get("status") != "success":
                raise ValueError(f"status {status}")
            slots = []
            for items in dict(data["data"]).values():
                for item in items:
                    start = parse_iso(str(item["start"]))
                    if window.start <= start <= window.end:
                        slots.append(OfferedSlot.lasting(start, duration, f"{start.astimezone(UTC):%H:%M} UTC"))
        except (HttpError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("Cal.com /v2/slots failed (%s); reading the page instead", exc)
            return None
        return sorted(slots, key=lambda s: s.start)

    def book(self, start: datetime, invitee: Invitee, message: str) -> ApiBooking | None:
        """Book through ``POST /v2/bookings``; None when the API refused (other than "taken") or is down."""
        if self.ref is None:
            return None
        body: dict[str, Any] = {
            "start": utc_text(start), "metadata": {}, "bookingFieldsResponses": {"notes": message}, **self.ref.params(),
            "attendee": {"name": invitee.name, "email": invitee.email, "timeZone": invitee.timezone, "language": "en"}}
        if invitee.phone:
            body["attendee"]["phoneNumber"] = invitee.phone
        try:
            status, data = self._call("POST", "/v2/bookings", BOOKINGS_VERSION, body=body)
        except HttpError as exc:
            if exc.maybe_delivered:
                raise PlatformApiError(f"Cal.com's booking API did not answer ({exc})", retryable=False) from None
            log.info("Cal.com /v2/bookings unreachable (%s); booking on the page instead", exc)
            return None
        error = data.get("error") if isinstance(data, dict) else None
        if status >= 400:
            text = str(error.get("message") if isinstance(error, dict) else data)
            if status == 400 and any(word in text.lower() for word in SLOT_TAKEN_WORDS):
                raise SlotTaken(f"Cal.com said: {text}")
            log.info("Cal.com /v2/bookings answered %s (%s); booking on the page instead", status, text)
            return None
        booking = data.get("data") if isinstance(data, dict) else None
        if not isinstance(booking, dict) or not booking.get("uid") or \
                booking.get("status") not in ("accepted", "pending"):
            raise PlatformApiError(f"Cal.com's booking API answered {status} with an unexpected body", retryable=False)
        uid = str(booking["uid"])
        parts = urlsplit(self.event_url)
        hosts = booking.get("hosts") or []
        return ApiBooking(uid=uid, confirmed=booking["status"] == "accepted",
                          host=hosts[0].get("name") if hosts and isinstance(hosts[0], dict) else None,
                          status_url=urlunsplit((parts.scheme, parts.netloc, f"/booking/{quote(uid)}", "", "")))
