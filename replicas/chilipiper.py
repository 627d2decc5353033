"""Loopback replica of Chili Piper's booking pages and concierge router (one tenant).

Follows /work/shared/research/platforms.md section 4: the guest form first (``FirstName``,
``LastName``, ``Email``, ``Phone``, custom fields named by GUID), the concierge's optional "Call
now / Schedule a meeting" choice, the week calendar (``[data-id="calendar-day-button"]``,
``[data-id="time-slot-button"]`` with "9:30 AM", ``[data-id="next-week-button"]``), then a confirm
step and the booking-confirmed screen, whose DOM and text no public source shows: both are
invented here and marked [U]. A vanilla-JS app (``chilipiper_assets/app.js``) renders it all from
an embedded JSON config.

Routes::

    GET  /book/<slug>                              a booking link (round robin over its assignees)
    GET  /book/me/<user>                           a personal booking link
    GET  /me/<user>/<meeting_type>                 a ChiliCal personal link
    GET  /concierge-router/link/<router>           a hosted concierge router (guest form, then the choice)
    GET  /concierge-router/<router>?trigger=ThirdPartyForm&timezone=UTC&sourceUrl=…   the same, in an iframe
    GET  /api/v1/availability?link=&start=&end=    [U] invented: the page's slot lookup
    POST /api/v1/book                              [U] invented: the page's booking call
    GET  /__replica__/bookings   POST /__replica__/reset

The display zone is the replica's ``display_timezone`` if set, else the URL's ``timezone``, else the
browser's; the page names it in a label such as "Eastern European Standard Time (10:00 AM)".
"""
from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from .server import Request, Response
from .site import ReplicaSite, check_aware, free_starts

UTC = timezone.utc
SLOT_TAKEN_MESSAGE = "This time slot is no longer available. Please pick another time."  # [U] invented wording
_SLUG = r"[A-Za-z0-9][A-Za-z0-9_.-]*"


@dataclass
class ChiliPiperField:
    """A custom guest-form field; real routers name them by GUID."""

    label: str                     # "What would you like to discuss?"
    type: str = "text"             # text | textarea
    required: bool = False
    name: str = ""                 # filled with a GUID when empty


@dataclass
class ChiliPiperUser:
    slug: str                      # "pia-iota"
    name: str                      # "Pia Nurmi"
    email: str
    slots: list[datetime]


@dataclass
class ChiliPiperLink:
    path: str                      # "book/iota-intro", "book/me/pia-iota", "me/pia-iota/intro", "concierge-router/kappa"
    title: str                     # "Intro with Iota Security"
    assignees: list[str]           # user slugs; several = round robin, in order
    duration: int = 30
    fields: list[ChiliPiperField] = field(default_factory=lambda: [
        ChiliPiperField("What would you like to discuss?", "textarea")])
    phone_required: bool = False
    live_choice: bool = False      # the concierge offers "Call now" before "Schedule a meeting"


@dataclass
class ChiliPiperFaults:
    take_slot_before_submit: int = 0       # the next N confirms (True: one) find their slot taken
    calendar_never_renders: bool = False   # the guest form's submit goes nowhere


class ChiliPiperReplica(ReplicaSite):
    assets = Path(__file__).with_name("chilipiper_assets")

    def __init__(
        self,
        users: Iterable[ChiliPiperUser] = (),
        links: Iterable[ChiliPiperLink] = (),
        *,
        now: Callable[[], datetime] | None = None,
        display_timezone: str | None = None,
        cookie_banner: bool = False,
        tenant: str = "acme",
    ) -> None:
        super().__init__(now=now, cookie_banner=cookie_banner)
        if display_timezone is not None:
            ZoneInfo(display_timezone)
        self.display_timezone = display_timezone
        self.tenant = tenant
        self.faults = ChiliPiperFaults()
        self.users: dict[str, ChiliPiperUser] = {}
        self.links: dict[str, ChiliPiperLink] = {}
        self._blocked: list[tuple[str, datetime, datetime]] = []
        for user in users:
            self.add_user(user)
        for link in links:
            self.add_link(link)
        self.add_route("GET", r"/api/v1/availability", self._availability)
        self.add_route("POST", r"/api/v1/book", self._book)
        self.add_route("GET", rf"/book/me/(?P<a>{_SLUG})/?", lambda r, a: self._page(r, f"book/me/{a}"))
        self.add_route("GET", rf"/book/(?P<a>{_SLUG})/?", lambda r, a: self._page(r, f"book/{a}"))
        self.add_route("GET", rf"/me/(?P<a>{_SLUG})/(?P<b>{_SLUG})/?", lambda r, a, b: self._page(r, f"me/{a}/{b}"))
        self.add_route("GET", rf"/concierge-router/link/(?P<a>{_SLUG})/?",
                       lambda r, a: self._page(r, f"concierge-router/{a}"))
        self.add_route("GET", rf"/concierge-router/(?P<a>{_SLUG})/?", lambda r, a: self._page(r, f"concierge-router/{a}"))

    def add_user(self, user: ChiliPiperUser) -> None:
        check_aware(user.slots, user.slug)
        with self.lock:
            self.users[user.slug] = user

    def add_link(self, link: ChiliPiperLink) -> None:
        with self.lock:
            for custom in link.fields:
                custom.name = custom.name or str(uuidlib.uuid4())
            self.links[link.path] = link

    def link_url(self, path: str) -> str:
        """The page for a link path; a router's hosted page is /concierge-router/link/<router>."""
        if path.startswith("concierge-router/"):
            return f"{self.url}/concierge-router/link/{path.split('/', 1)[1]}"
        return f"{self.url}/{path}"

    def router_frame_url(self, router: str, source_url: str = "") -> str:
        return f"{self.url}/concierge-router/{router}?trigger=ThirdPartyForm&timezone=UTC&sourceUrl={source_url}"

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self._blocked.clear()
            self.faults = ChiliPiperFaults()

    # -- availability and booking -------------------------------------------------------------------
    def _free(self, user_slug: str, duration: timedelta) -> list[datetime]:
        user = self.users.get(user_slug)
        if user is None:
            return []
        busy = [(b["start"], b["end"]) for b in self.bookings if b["assignee_slug"] == user_slug]
        busy += [(s, e) for h, s, e in self._blocked if h == user_slug]
        return free_starts(user.slots, busy, self.now(), duration)

    def _starts(self, link: ChiliPiperLink) -> list[datetime]:
        return sorted({s for a in link.assignees for s in self._free(a, timedelta(minutes=link.duration))})

    def _availability(self, request: Request) -> Response:
        with self.lock:
            link = self.links.get(unquote(request.arg("link") or ""))
            if link is None:
                return Response.json({"error": "Link not found"}, 404)
            starts = self._starts(link)
        return Response.json({"duration": link.duration, "slots": [s.isoformat().replace("+00:00", "Z") for s in starts]})

    def _book(self, request: Request) -> Response:
        try:
            data = request.json()
            guest = dict(data["guest"])
            start = datetime.fromisoformat(str(data["start"]).replace("Z", "+00:00")).astimezone(UTC)
        except (AttributeError, KeyError, TypeError, ValueError):
            return Response.json({"error": "Invalid request"}, 400)
        with self.lock:
            link = self.links.get(str(data.get("link") or ""))
            if link is None:
                return Response.json({"error": "Link not found"}, 404)
            answers = {str(k): str(v).strip() for k, v in dict(data.get("fields") or {}).items()}
            missing = [k for k in ("FirstName", "LastName", "Email") if not str(guest.get(k) or "").strip()]
            missing += [f.name for f in link.fields if f.required and not answers.get(f.name)]
            if link.phone_required and not str(guest.get("Phone") or "").strip():
                missing.append("Phone")
            if missing:
                return Response.json({"error": "Please fill in the required fields", "fields": missing}, 400)
            duration = timedelta(minutes=link.duration)
            free = [a for a in link.assignees if start in self._free(a, duration)]
            if free and self.faults.take_slot_before_submit:
                self.faults.take_slot_before_submit -= 1
                self._blocked.extend((a, start, start + duration) for a in free)
                free = []
            if not free:
                return Response.json({"error": SLOT_TAKEN_MESSAGE}, 409)
            assignee = self.users[free[0]]
            labels = {f.name: f.label for f in link.fields}
            booking = {
                "event_id": uuidlib.uuid4().hex, "link": link.path, "assignee_slug": assignee.slug,
                "assignee_name": assignee.name, "assignee_email": assignee.email,
                "start": start, "end": start + duration,
                "first_name": str(guest.get("FirstName") or "").strip(), "last_name": str(guest.get("LastName") or "").strip(),
                "email": str(guest.get("Email") or "").strip(), "phone": str(guest.get("Phone") or "").strip(),
                "answers": {labels.get(k, k): v for k, v in answers.items() if v},
                "timezone": str(data.get("timezone") or "UTC"), "trigger": data.get("trigger"),
                "created_at": self.now(),
            }
            booking["name"] = f"{booking['first_name']} {booking['last_name']}".strip()
            self.bookings.append(booking)
        return Response.json({"eventId": booking["event_id"], "assignee": {"name": assignee.name, "email": assignee.email},
                              "start": start.isoformat().replace("+00:00", "Z"),
                              "end": booking["end"].isoformat().replace("+00:00", "Z")})

    # -- pages --------------------------------------------------------------------------------------
    def not_found(self, request: Request) -> Response:
        return self.render("Chili Piper", {"page": "not_found"}, 404, banner=False)

    def _page(self, request: Request, path: str) -> Response:
        with self.lock:
            link = self.links.get(unquote(path))
            if link is None:
                return self.not_found(request)
            starts = self._starts(link)
            config = {
                "page": "booking", "link": link.path, "title": link.title, "duration": link.duration,
                "fields": [f.__dict__ for f in link.fields], "phone_required": link.phone_required,
                "live_choice": link.live_choice, "concierge": link.path.startswith("concierge-router/"),
                "display_timezone": self.display_timezone, "tenant": self.tenant,
                "last_slot": starts[-1].isoformat() if starts else None,
                "faults": {"calendar_never_renders": self.faults.calendar_never_renders},
            }
        title = "Schedule a time | Chili Piper" if config["concierge"] else f"{link.title} | Chili Piper"  # [U] hosted title
        framed = request.arg("trigger") is not None
        return self.render(title, config, banner=self.cookie_banner and not framed)
