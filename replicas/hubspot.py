"""Loopback replica of HubSpot Meetings' public booking pages.

Follows /work/shared/research/platforms.md section 3 (roles and accessible names from recorded
accessibility trees; raw HTML attributes are unknown there, so the markup is ours). A vanilla-JS
app (``hubspot_assets/app.js``) renders the two steps, CHOOSE TIME and YOUR INFO, from an embedded
JSON config and talks to the undocumented public endpoints behind the real page.

Routes::

    GET  /<user>[/<slug>]                          the meetings page (?embed=true, ?uuid=, prefill firstName…)
    GET  /meetings-public/v3/book/availability-page?slug=&monthOffset=&timezone=
    POST /meetings-public/v3/book?slug=            book ([U] invented path; the body follows the v3 API)
    GET  /__replica__/bookings   POST /__replica__/reset

A link with several owners is a round-robin link: HubSpot gives the meeting to the first owner who
is free. ``offline=True`` is the offline mode of a host without a connected calendar: the meeting
is requested, not booked.
"""
from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .server import Request, Response
from .site import ReplicaSite, check_aware, free_starts

UTC = timezone.utc
SLOT_TAKEN_MESSAGE = "This time is no longer available. Please choose another time."  # [U] invented wording
_SLUG = r"[A-Za-z0-9][A-Za-z0-9_.-]*"

# HubSpot's own consent banner ([S]: the hs-eu-* ids of HubSpot's cookie banner; wording [U]).
HUBSPOT_COOKIE_BANNER = (
    '<div id="hs-eu-cookie-confirmation" role="region" aria-label="Cookie banner" style="position:fixed;top:0;left:0;'
    'right:0;bottom:0;background:rgba(0,0,0,.5);z-index:9999;display:flex;align-items:center;justify-content:center">'
    '<div id="hs-eu-cookie-confirmation-inner" style="background:#fff;padding:24px;max-width:560px;font:14px sans-serif">'
    '<div id="hs-eu-policy-wording"><p>This website stores cookies on your computer. These cookies are used to improve '
    "your website experience and provide more personalized services to you.</p></div>"
    '<div id="hs-eu-cookie-confirmation-button-group">'
    '<a id="hs-eu-confirmation-button" role="button" href="#" onclick="document.cookie=\'__hs_cookie_cat_pref=1,2,3; path=/\';'
    'document.getElementById(\'hs-eu-cookie-confirmation\').remove();return false">Accept</a> '
    '<a id="hs-eu-decline-button" role="button" href="#" onclick="document.getElementById(\'hs-eu-cookie-confirmation\')'
    '.remove();return false">Decline</a></div></div></div>'
)


@dataclass
class HubSpotField:
    """A form field on the YOUR INFO step, after first name, last name and e-mail."""

    name: str                      # "company"
    label: str                     # "Company name"
    type: str = "text"             # text | textarea | tel | email | url (validated by the page)
    required: bool = False


@dataclass
class HubSpotUser:
    slug: str                      # "lena-zeta"
    name: str                      # "Lena Virta"
    email: str
    slots: list[datetime]          # aware starts the user is free at


@dataclass
class HubSpotLink:
    slug: str                      # "lena-zeta" or "lena-zeta/intro"
    title: str                     # "Intro Chat with Zeta" (the page title)
    owners: list[str]              # user slugs; several = round robin, in order
    durations: list[int] = field(default_factory=lambda: [30])
    fields: list[HubSpotField] = field(default_factory=lambda: [
        HubSpotField("company", "Company name", required=True),
        HubSpotField("message", "What would you like to discuss?", "textarea"),
    ])
    offline: bool = False          # no connected calendar: meetings are requested, not booked
    location: str = "Zoom"
    company_name: str = ""         # shown instead of a person on round-robin links


@dataclass
class HubSpotFaults:
    take_slot_before_submit: int = 0       # the next N bookings (True: one) find their slot taken
    info_step_never_renders: bool = False  # clicking a time does nothing


class HubSpotReplica(ReplicaSite):
    assets = Path(__file__).with_name("hubspot_assets")
    cookie_banner_html = HUBSPOT_COOKIE_BANNER

    def __init__(
        self,
        users: Iterable[HubSpotUser] = (),
        links: Iterable[HubSpotLink] = (),
        *,
        now: Callable[[], datetime] | None = None,
        display_timezone: str | None = None,
        cookie_banner: bool = False,
    ) -> None:
        super().__init__(now=now, cookie_banner=cookie_banner)
        if display_timezone is not None:
            ZoneInfo(display_timezone)
        self.display_timezone = display_timezone
        self.faults = HubSpotFaults()
        self.users: dict[str, HubSpotUser] = {}
        self.links: dict[str, HubSpotLink] = {}
        self._blocked: list[tuple[str, datetime, datetime]] = []
        for user in users:
            self.add_user(user)
        for link in links:
            self.add_link(link)
        self.add_route("GET", r"/meetings-public/v3/book/availability-page", self._availability)
        self.add_route("POST", r"/meetings-public/v3/book", self._book)
        self.add_route("GET", rf"/(?P<slug>{_SLUG}(?:/{_SLUG})?)/?", self._page)

    def add_user(self, user: HubSpotUser) -> None:
        check_aware(user.slots, user.slug)
        with self.lock:
            self.users[user.slug] = user

    def add_link(self, link: HubSpotLink) -> None:
        with self.lock:
            self.links[link.slug] = link

    def link_url(self, slug: str) -> str:
        return f"{self.url}/{slug}"

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self._blocked.clear()
            self.faults = HubSpotFaults()

    # -- availability -------------------------------------------------------------------------------
    def _free(self, user_slug: str, duration: timedelta) -> list[datetime]:
        user = self.users.get(user_slug)
        if user is None:
            return []
        busy = [(b["start"], b["end"]) for b in self.bookings if b["host_slug"] == user_slug]
        busy += [(s, e) for h, s, e in self._blocked if h == user_slug]
        return free_starts(user.slots, busy, self.now(), duration)

    def _starts(self, link: HubSpotLink, minutes: int) -> list[datetime]:
        return sorted({s for owner in link.owners for s in self._free(owner, timedelta(minutes=minutes))})

    def _availability(self, request: Request) -> Response:
        slug = unquote(request.arg("slug") or "")
        try:
            zone = ZoneInfo(request.arg("timezone") or "UTC")
            offset = int(request.arg("monthOffset") or "0")
        except (ZoneInfoNotFoundError, ValueError):
            return Response.json({"status": "error", "message": "Invalid timezone or monthOffset"}, 400)
        with self.lock:
            link = self.links.get(slug)
            if link is None:
                return Response.json({"status": "error", "message": "Meeting link not found", "category": "OBJECT_NOT_FOUND"}, 404)
            local_now = self.now().astimezone(zone)
            index = local_now.year * 12 + local_now.month - 1 + offset
            year, month = divmod(index, 12)
            by_duration = {}
            for minutes in link.durations:
                starts = [s for s in self._starts(link, minutes)
                          if (s.astimezone(zone).year, s.astimezone(zone).month) == (year, month + 1)]
                millis = minutes * 60_000
                by_duration[str(millis)] = {"meetingDurationMillis": millis, "availabilities": [
                    {"startMillisUtc": int(s.timestamp() * 1000), "endMillisUtc": int(s.timestamp() * 1000) + millis}
                    for s in starts]}
            later = any(s.astimezone(zone).year * 12 + s.astimezone(zone).month - 1 > index
                        for minutes in link.durations for s in self._starts(link, minutes))
        return Response.json({"linkAvailability": {"linkAvailabilityByDuration": by_duration, "hasMore": later},
                              "allUsersBusyTimes": [], "isOffline": link.offline})

    def _book(self, request: Request) -> Response:
        try:
            data = request.json()
            slug = str(data.get("slug") or request.arg("slug") or "")
            start = datetime.fromtimestamp(int(data["startTime"]) / 1000, UTC)
            minutes = int(data["duration"]) // 60_000
        except (AttributeError, KeyError, TypeError, ValueError):
            return Response.json({"status": "error", "message": "Invalid booking request"}, 400)
        with self.lock:
            link = self.links.get(slug)
            if link is None:
                return Response.json({"status": "error", "message": "Meeting link not found"}, 404)
            values = {str(f.get("name")): str(f.get("value") or "").strip() for f in data.get("formFields") or []}
            first, last = str(data.get("firstName") or "").strip(), str(data.get("lastName") or "").strip()
            email = str(data.get("email") or "").strip()
            missing = [name for name, ok in (("firstName", first), ("lastName", last), ("email", "@" in email)) if not ok]
            missing += [f.name for f in link.fields if f.required and not values.get(f.name)]
            if missing or minutes not in link.durations:
                return Response.json({"status": "error", "message": "Please complete all required fields.",
                                      "category": "VALIDATION_ERROR", "errors": missing}, 400)
            duration = timedelta(minutes=minutes)
            free = [owner for owner in link.owners if start in self._free(owner, duration)]
            if free and self.faults.take_slot_before_submit:
                self.faults.take_slot_before_submit -= 1
                self._blocked.extend((owner, start, start + duration) for owner in free)
                free = []
            if not free:
                return Response.json({"status": "error", "message": SLOT_TAKEN_MESSAGE, "category": "CONFLICT"}, 409)
            host = self.users[free[0]]
            booking = {
                "calendar_event_id": None if link.offline else uuidlib.uuid4().hex,
                "contact_id": uuidlib.uuid4().int % 10**9,
                "slug": link.slug, "host_slug": host.slug, "host_name": host.name, "host_email": host.email,
                "start": start, "end": start + duration, "duration_minutes": minutes,
                "first_name": first, "last_name": last, "name": f"{first} {last}".strip(), "email": email,
                "form_fields": values, "guests": [str(g) for g in data.get("guestEmails") or []],
                "timezone": str(data.get("timezone") or "UTC"), "offline": link.offline,
                "status": "requested" if link.offline else "confirmed", "created_at": self.now(),
            }
            self.bookings.append(booking)
        return Response.json({
            "calendarEventId": booking["calendar_event_id"], "contactId": booking["contact_id"],
            "start": int(start.timestamp() * 1000), "end": int((start + duration).timestamp() * 1000),
            "duration": minutes * 60_000, "subject": f"{link.title}", "location": link.location,
            "webConferenceUrl": None, "isOffline": link.offline, "guestEmails": booking["guests"],
            "formFields": [{"name": k, "value": v} for k, v in values.items()], "bookingTimezone": booking["timezone"],
            "organizer": {"name": host.name, "email": host.email},
        })

    # -- the page -----------------------------------------------------------------------------------
    def not_found(self, request: Request) -> Response:
        return self.render("Page not found | HubSpot", {"page": "not_found"}, 404, banner=False)

    def _page(self, request: Request, slug: str) -> Response:
        with self.lock:
            link = self.links.get(unquote(slug))
            if link is None:
                return self.not_found(request)
            owners = [self.users[o] for o in link.owners if o in self.users]
            last = max((s for m in link.durations for s in self._starts(link, m)), default=None)
            config = {
                "page": "meetings", "slug": link.slug, "title": link.title, "durations": link.durations,
                "fields": [f.__dict__ for f in link.fields], "location": link.location, "offline": link.offline,
                "round_robin": len(owners) > 1,
                "display_name": link.company_name if len(owners) > 1 and link.company_name else (owners[0].name if owners else ""),
                "display_timezone": self.display_timezone, "last_slot": last.isoformat() if last else None,
                "embed": request.arg("embed") == "true",
                "faults": {"info_step_never_renders": self.faults.info_step_never_renders},
            }
        return self.render(link.title, config, banner=self.cookie_banner and request.arg("embed") != "true")
