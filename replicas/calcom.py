"""Loopback replica of Cal.com's public booking pages and its public v2 API.

Follows /work/shared/research/platforms.md section 2. The booker (profile, team, event and success
pages) is a vanilla-JS app (``calcom_assets/app.js``) rendered from an embedded JSON config; it reads
slots and books through the same internal endpoints the real booker calls. The public v2 endpoints
answer without auth, as the real ones do.

Routes::

    GET  /<user>                                   profile: [data-testid="event-types"]
    GET  /<user>/<slug>[/embed]                    booker (month view; ?month=&date=&slot=; embed=<ns>)
    GET  /team/<team>                              team page: event types + "Book a team member"
    GET  /team/<team>/<slug>[/embed]               round-robin team event (Cal.com assigns the host)
    GET  /booking/<uid>                            success / status page (?isSuccessBookingPage=true…)
    GET  /api/trpc/slots/getSchedule?input=        the booker's slot lookup (tRPC + superjson shape)
    POST /api/book/event                           the booker's booking call
    GET  /api/verify-booking-token?action=accept|reject&token=&bookingUid=   the host's e-mail link
    GET  /v2/slots                                 public: ?eventTypeId | eventTypeSlug+username|teamSlug
    POST /v2/bookings                              public: start, attendee{…}, event type
    GET  /v2/bookings/<uid>                        public if you know the uid
    POST /v2/bookings/<uid>/cancel                 public (auth optional)
    POST /__replica__/bookings/<uid>/accept|reject|cancel   the host, from their bookings page
    GET  /__replica__/bookings   POST /__replica__/reset

Usage::

    alice = CalComUser("alice", "Alice Smith", "alice@acme.test", [CalComEventType("intro", "Intro")], slots)
    with CalComReplica([alice], now=lambda: NOW) as site:
        driver.get(site.event_url("alice", "intro"))
"""
from __future__ import annotations

import json
import secrets
import uuid as uuidlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .server import Request, Response
from .site import ReplicaSite, check_aware, free_starts

UTC = timezone.utc
SLOT_TAKEN_MESSAGE = "User either already has booking at this time or is not available"  # [U] API wording
HOLDING = ("accepted", "pending")  # statuses whose booking keeps its slot
_SLUG = r"[A-Za-z0-9][A-Za-z0-9_.-]*"


@dataclass
class CalComField:
    """A custom booking question, answered under ``responses[name]``."""

    name: str                      # "company"
    label: str                     # "Company"
    type: str = "text"             # text | textarea | phone | email
    required: bool = False


@dataclass
class CalComEventType:
    slug: str                      # "intro"
    title: str                     # "Intro call"
    length: int = 30               # minutes
    requires_confirmation: bool = False
    fields: list[CalComField] = field(default_factory=list)
    id: int = 0                    # filled by the replica


@dataclass
class CalComUser:
    username: str                  # "alice"
    name: str                      # "Alice Smith"
    email: str
    event_types: list[CalComEventType]
    slots: list[datetime]          # aware starts the user is free at, shared by their event types


@dataclass
class CalComTeam:
    slug: str                      # "acme"
    name: str                      # "Acme Robotics"
    members: list[str]             # usernames, in round-robin order
    event_types: list[CalComEventType] = field(default_factory=list)
    book_a_team_member: bool = True  # the team page lists members to book directly


@dataclass
class CalComFaults:
    take_slot_before_submit: int = 0       # the next N booking attempts (True: one) find their slot taken
    api_down: bool = False                 # the public v2 endpoints answer 503
    form_never_renders: bool = False       # clicking a time does nothing


@dataclass
class _Bookable:
    event: CalComEventType
    path: str                      # "/alice/intro" or "/team/acme/intro"
    owner_name: str                # the user's or the team's name
    hosts: list[str]               # usernames, in assignment order
    username: str | None = None
    team_slug: str | None = None


class CalComReplica(ReplicaSite):
    assets = Path(__file__).with_name("calcom_assets")

    def __init__(
        self,
        users: Iterable[CalComUser] = (),
        teams: Iterable[CalComTeam] = (),
        *,
        now: Callable[[], datetime] | None = None,
        display_timezone: str | None = None,
        cookie_banner: bool = False,
        time_format_24h: bool = False,
    ) -> None:
        super().__init__(now=now, cookie_banner=cookie_banner)
        if display_timezone is not None:
            ZoneInfo(display_timezone)
        self.display_timezone = display_timezone
        self.time_format_24h = time_format_24h
        self.faults = CalComFaults()
        self.users: dict[str, CalComUser] = {}
        self.teams: dict[str, CalComTeam] = {}
        self._next_id = 1000
        for user in users:
            self.add_user(user)
        for team in teams:
            self.add_team(team)

        self.add_route("GET", r"/api/trpc/slots/getSchedule", self._trpc_slots)
        self.add_route("POST", r"/api/book/event", self._book_event)
        self.add_route("GET", r"/api/verify-booking-token", self._verify_token)
        self.add_route("GET", r"/v2/slots", self._v2_slots)
        self.add_route("POST", r"/v2/bookings", self._v2_create)
        self.add_route("GET", r"/v2/bookings/(?P<uid>[^/]+)", self._v2_get)
        self.add_route("POST", r"/v2/bookings/(?P<uid>[^/]+)/cancel", self._v2_cancel)
        self.add_route("POST", r"/__replica__/bookings/(?P<uid>[^/]+)/(?P<action>accept|reject|cancel)", self._admin)
        self.add_route("GET", r"/booking/(?P<uid>[^/]+)/?", self._success_page)
        self.add_route("GET", rf"/team/(?P<team>{_SLUG})/?", self._team_page)
        self.add_route("GET", rf"/team/(?P<team>{_SLUG})/(?P<slug>{_SLUG})(?P<embed>/embed)?/?", self._team_event_page)
        self.add_route("GET", rf"/(?P<user>{_SLUG})/(?P<slug>{_SLUG})(?P<embed>/embed)?/?", self._user_event_page)
        self.add_route("GET", rf"/(?P<user>{_SLUG})/?", self._profile_page)

    # -- set-up and test helpers --------------------------------------------------------------------
    def _number(self, event: CalComEventType) -> None:
        if not event.id:
            self._next_id += 1
            event.id = self._next_id

    def add_user(self, user: CalComUser) -> None:
        check_aware(user.slots, user.username)
        with self.lock:
            for event in user.event_types:
                self._number(event)
            self.users[user.username] = user

    def add_team(self, team: CalComTeam) -> None:
        with self.lock:
            for event in team.event_types:
                self._number(event)
            self.teams[team.slug] = team

    def profile_url(self, username: str) -> str:
        return f"{self.url}/{username}"

    def event_url(self, username: str, slug: str) -> str:
        return f"{self.url}/{username}/{slug}"

    def team_url(self, team: str) -> str:
        return f"{self.url}/team/{team}"

    def team_event_url(self, team: str, slug: str) -> str:
        return f"{self.url}/team/{team}/{slug}"

    def embed_url(self, link: str, namespace: str = "") -> str:
        return f"{self.url}/{link}/embed?embed={quote(namespace)}&layout=month_view&embedType=inline"

    def available_slots(self, username: str) -> list[datetime]:
        with self.lock:
            return self._free(username, timedelta(minutes=30))

    def booking(self, uid: str) -> dict[str, Any] | None:
        with self.lock:
            return next((b for b in self.bookings if b["uid"] == uid), None)

    def accept(self, uid: str) -> None:
        self._set_status(uid, "accepted", {"pending"})

    def reject(self, uid: str, reason: str = "") -> None:
        self._set_status(uid, "rejected", {"pending"}, reason)

    def cancel(self, uid: str, reason: str = "") -> None:
        self._set_status(uid, "cancelled", {"pending", "accepted"}, reason)

    def _set_status(self, uid: str, status: str, allowed_from: set[str], reason: str = "") -> bool:
        with self.lock:
            booking = next((b for b in self.bookings if b["uid"] == uid), None)
            if booking is None or booking["status"] not in allowed_from:
                return False
            booking["status"] = status
            if reason:
                booking["reason"] = reason
            return True

    def reset(self) -> None:
        with self.lock:
            super().reset()
            self.faults = CalComFaults()

    # -- availability -------------------------------------------------------------------------------
    def _free(self, username: str, duration: timedelta) -> list[datetime]:
        user = self.users.get(username)
        if user is None:
            return []
        busy = [(b["start"], b["end"]) for b in self.bookings if b["host_username"] == username and b["status"] in HOLDING]
        return free_starts(user.slots, busy, self.now(), duration)

    def _starts(self, bookable: _Bookable) -> list[datetime]:
        duration = timedelta(minutes=bookable.event.length)
        return sorted({s for host in bookable.hosts for s in self._free(host, duration)})

    def _user_event(self, username: str, slug: str) -> _Bookable | None:
        user = self.users.get(username)
        event = next((e for e in user.event_types if e.slug == slug), None) if user else None
        if user is None or event is None:
            return None
        self._number(event)
        return _Bookable(event, f"/{user.username}/{event.slug}", user.name, [user.username], username=user.username)

    def _team_event(self, team_slug: str, slug: str) -> _Bookable | None:
        team = self.teams.get(team_slug)
        event = next((e for e in team.event_types if e.slug == slug), None) if team else None
        if team is None or event is None:
            return None
        self._number(event)
        members = [m for m in team.members if m in self.users]
        return _Bookable(event, f"/team/{team.slug}/{event.slug}", team.name, members, team_slug=team.slug)

    def _bookables(self) -> list[_Bookable]:
        found = [self._user_event(u.username, e.slug) for u in self.users.values() for e in u.event_types]
        found += [self._team_event(t.slug, e.slug) for t in self.teams.values() for e in t.event_types]
        return [b for b in found if b is not None]

    def _by_id(self, event_id: Any) -> _Bookable | None:
        try:
            wanted = int(event_id)
        except (TypeError, ValueError):
            return None
        return next((b for b in self._bookables() if b.event.id == wanted), None)

    def _find(self, event_type_id: Any = None, slug: str | None = None, username: str | None = None,
              team_slug: str | None = None) -> _Bookable | None:
        if event_type_id not in (None, ""):
            return self._by_id(event_type_id)
        if slug and username:
            return self._user_event(username, slug)
        if slug and team_slug:
            return self._team_event(team_slug, slug)
        return None

    # -- booking (shared by the booker and the v2 API) ----------------------------------------------
    def _create(self, bookable: _Bookable, start: datetime, name: str, email: str, time_zone: str,
                responses: dict[str, Any], guests: list[str], source: str) -> tuple[dict[str, Any] | None, str | None]:
        """Book ``start`` for the first free host; returns (booking, None) or (None, error message)."""
        event = bookable.event
        if start <= self.now():
            return None, "Attempting to book a meeting in the past."
        duration = timedelta(minutes=event.length)
        free_hosts = [h for h in bookable.hosts if start in self._free(h, duration)]
        if free_hosts and self.faults.take_slot_before_submit:
            self.faults.take_slot_before_submit -= 1  # as if someone else booked it just now
            for host in free_hosts:
                self.bookings.append(self._record(bookable, host, start, "Someone Else", "someone@else.test",
                                                  "UTC", {}, [], "web", hidden=True))
            free_hosts = []
        if not free_hosts:
            return None, SLOT_TAKEN_MESSAGE
        booking = self._record(bookable, free_hosts[0], start, name, email, time_zone, responses, guests, source)
        self.bookings.append(booking)
        return booking, None

    def _record(self, bookable: _Bookable, host_username: str, start: datetime, name: str, email: str,
                time_zone: str, responses: dict[str, Any], guests: list[str], source: str,
                hidden: bool = False) -> dict[str, Any]:
        event, host = bookable.event, self.users[host_username]
        self._next_id += 1
        return {
            "id": self._next_id,
            "uid": uuidlib.uuid4().hex[:22],
            "token": secrets.token_urlsafe(12),
            "status": "pending" if event.requires_confirmation else "accepted",
            "event_type_id": event.id,
            "event_type_slug": event.slug,
            "title": f"{event.title} between {host.name} and {name}",
            "event_title": event.title,
            "team_slug": bookable.team_slug,
            "host_username": host.username,
            "host_name": host.name,
            "host_email": host.email,
            "start": start,
            "end": start + timedelta(minutes=event.length),
            "name": name,
            "email": email,
            "time_zone": time_zone,
            "notes": str(responses.get("notes") or ""),
            "responses": responses,
            "guests": guests,
            "source": source,          # "web" (the booker) or "api" (POST /v2/bookings)
            "hidden": hidden,          # a fault's stand-in booking, not the invitee's
            "created_at": self.now(),
        }

    def _validate_fields(self, event: CalComEventType, responses: dict[str, Any]) -> dict[str, str]:
        errors = {}
        if not str(responses.get("name") or "").strip():
            errors["name"] = "Required"
        if "@" not in str(responses.get("email") or ""):
            errors["email"] = "Invalid email"
        for custom in event.fields:
            if custom.required and not str(responses.get(custom.name) or "").strip():
                errors[custom.name] = "Required"
        return errors

    # -- the booker's internal endpoints ------------------------------------------------------------
    def _trpc_slots(self, request: Request) -> Response:
        try:
            payload = json.loads(request.arg("input") or "{}")["json"]
            first = _parse_time(payload["startTime"])
            last = _parse_time(payload["endTime"])
            zone = ZoneInfo(payload.get("timeZone") or "UTC")
        except (KeyError, TypeError, ValueError, ZoneInfoNotFoundError):
            return Response.json({"error": {"json": {"message": "Invalid input", "code": -32600}}}, 400)
        with self.lock:
            bookable = self._find(payload.get("eventTypeId"), payload.get("eventTypeSlug"),
                                  (payload.get("usernameList") or [None])[0], payload.get("teamSlug"))
            if bookable is None:
                return Response.json({"error": {"json": {"message": "Event type not found", "code": -32004}}}, 404)
            starts = [s for s in self._starts(bookable) if first <= s <= last]
        by_day: dict[str, list[dict[str, str]]] = defaultdict(list)
        for start in starts:
            by_day[start.astimezone(zone).date().isoformat()].append({"time": _z(start)})
        return Response.json({"result": {"data": {"json": {"slots": by_day}}}})

    def _book_event(self, request: Request) -> Response:
        try:
            data = request.json()
            responses = dict(data.get("responses") or {})
            start = _parse_time(str(data.get("start")))
        except (AttributeError, TypeError, ValueError):
            return Response.json({"message": "Invalid booking request"}, 400)
        with self.lock:
            bookable = self._by_id(data.get("eventTypeId"))
            if bookable is None:
                return Response.json({"message": "Event type not found"}, 404)
            errors = self._validate_fields(bookable.event, responses)
            if errors:
                return Response.json({"message": "Please fill in the required fields", "errors": errors}, 400)
            guests = [str(g) for g in responses.get("guests") or [] if str(g).strip()]
            booking, error = self._create(bookable, start, str(responses["name"]).strip(), str(responses["email"]).strip(),
                                          str(data.get("timeZone") or "UTC"), responses, guests, "web")
            if booking is None:
                return Response.json({"message": error}, 400)
            return Response.json({"uid": booking["uid"], "id": booking["id"], "status": booking["status"].upper(),
                                  "title": booking["title"], "startTime": _z(booking["start"]),
                                  "endTime": _z(booking["end"]), "user": {"name": booking["host_name"]}})

    def _verify_token(self, request: Request) -> Response:
        uid, token, action = request.arg("bookingUid", ""), request.arg("token", ""), request.arg("action", "")
        with self.lock:
            booking = next((b for b in self.bookings if b["uid"] == uid), None)
            if booking is None or not token or token != booking["token"] or action not in ("accept", "reject"):
                return Response.json({"message": "Invalid token"}, 400)
        (self.accept if action == "accept" else self.reject)(uid)
        return Response.redirect(f"/booking/{uid}", 303)

    def _admin(self, request: Request, uid: str, action: str) -> Response:
        reason = ""
        if request.body:
            try:
                reason = str((request.json() or {}).get("reason") or "")
            except ValueError:
                reason = ""
        changed = {"accept": lambda: self._set_status(uid, "accepted", {"pending"}),
                   "reject": lambda: self._set_status(uid, "rejected", {"pending"}, reason),
                   "cancel": lambda: self._set_status(uid, "cancelled", {"pending", "accepted"}, reason)}[action]()
        if not changed:
            return Response.json({"ok": False, "message": f"can't {action} booking {uid}"}, 409)
        return Response.json({"ok": True, "status": self.booking(uid)["status"]})  # type: ignore[index]

    # -- the public v2 API --------------------------------------------------------------------------
    def _api_error(self, status: int, code: str, message: str) -> Response:
        return Response.json({"status": "error", "timestamp": self.now().isoformat(),
                              "path": "", "error": {"code": code, "message": message}}, status)

    def _api_unavailable(self) -> Response | None:
        return self._api_error(503, "ServiceUnavailableException", "Service unavailable") if self.faults.api_down else None

    def _v2_slots(self, request: Request) -> Response:
        if (down := self._api_unavailable()) is not None:
            return down
        try:
            first = _parse_time(request.arg("start") or "")
            last = _parse_time(request.arg("end") or "", end_of_day=True)
            zone = ZoneInfo(request.arg("timeZone") or "UTC")
        except (ValueError, ZoneInfoNotFoundError):
            return self._api_error(400, "BadRequestException", "start and end must be dates or ISO times; timeZone an IANA zone")
        with self.lock:
            bookable = self._find(request.arg("eventTypeId"), request.arg("eventTypeSlug"),
                                  request.arg("username"), request.arg("teamSlug"))
            if bookable is None:
                return self._api_error(404, "NotFoundException", "Event type not found")
            starts = [s for s in self._starts(bookable) if first <= s <= last]
            length = timedelta(minutes=bookable.event.length)
        ranged = request.arg("format") == "range"
        by_day: dict[str, list[dict[str, str]]] = defaultdict(list)
        for start in starts:
            local = start.astimezone(zone)
            item = {"start": _iso_ms(local)}
            if ranged:
                item["end"] = _iso_ms(local + length)
            by_day[local.date().isoformat()].append(item)
        return Response.json({"status": "success", "data": by_day})

    def _v2_create(self, request: Request) -> Response:
        if (down := self._api_unavailable()) is not None:
            return down
        try:
            data = request.json()
            attendee = dict(data["attendee"])
            start = _parse_time(str(data["start"]))
        except (KeyError, TypeError, ValueError):
            return self._api_error(400, "BadRequestException", "start and attendee are required")
        with self.lock:
            bookable = self._find(data.get("eventTypeId"), data.get("eventTypeSlug"), data.get("username"),
                                  data.get("teamSlug"))
            if bookable is None:
                return self._api_error(404, "NotFoundException", "Event type not found")
            responses = {"name": attendee.get("name"), "email": attendee.get("email"),
                         **dict(data.get("bookingFieldsResponses") or {})}
            errors = self._validate_fields(bookable.event, responses)
            if errors:
                missing = ", ".join(sorted(errors))
                return self._api_error(400, "BadRequestException", f"Missing or invalid booking fields: {missing}")
            booking, error = self._create(bookable, start, str(attendee["name"]).strip(), str(attendee["email"]).strip(),
                                          str(attendee.get("timeZone") or "UTC"), responses,
                                          [str(g) for g in data.get("guests") or []], "api")
            if booking is None:
                return self._api_error(400, "BadRequestException", error or "Booking failed")
            return Response.json({"status": "success", "data": self._booking_json(booking)}, 201)

    def _v2_get(self, request: Request, uid: str) -> Response:
        if (down := self._api_unavailable()) is not None:
            return down
        booking = self.booking(unquote(uid))
        if booking is None or booking["hidden"]:
            return self._api_error(404, "NotFoundException", f"Booking with uid={unquote(uid)} was not found in the database")
        return Response.json({"status": "success", "data": self._booking_json(booking)})

    def _v2_cancel(self, request: Request, uid: str) -> Response:
        if (down := self._api_unavailable()) is not None:
            return down
        reason = str((request.json() or {}).get("cancellationReason") or "") if request.body else ""
        if not self._set_status(unquote(uid), "cancelled", {"pending", "accepted"}, reason):
            return self._api_error(400, "BadRequestException", "Booking can't be cancelled")
        return Response.json({"status": "success", "data": self._booking_json(self.booking(unquote(uid)))})  # type: ignore[arg-type]

    def _booking_json(self, booking: dict[str, Any]) -> dict[str, Any]:
        host = self.users[booking["host_username"]]
        return {
            "id": booking["id"], "uid": booking["uid"], "title": booking["title"],
            "description": booking["notes"], "hosts": [{"id": abs(hash(host.username)) % 10_000, "name": host.name,
                                                        "email": host.email, "username": host.username,
                                                        "timeZone": "Europe/Helsinki"}],
            "status": booking["status"], "cancellationReason": booking.get("reason") if booking["status"] == "cancelled" else None,
            "rejectionReason": booking.get("reason") if booking["status"] == "rejected" else None,
            "start": _z(booking["start"]), "end": _z(booking["end"]),
            "duration": int((booking["end"] - booking["start"]).total_seconds() // 60),
            "eventTypeId": booking["event_type_id"],
            "eventType": {"id": booking["event_type_id"], "slug": booking["event_type_slug"]},
            "attendees": [{"name": booking["name"], "email": booking["email"], "timeZone": booking["time_zone"],
                           "language": "en", "absent": False}],
            "guests": booking["guests"], "meetingUrl": f"{self.url}/video/{booking['uid']}",
            "location": "integrations:daily", "absentHost": False,
            "bookingFieldsResponses": booking["responses"], "metadata": {},
            "createdAt": _z(booking["created_at"]),
        }

    # -- pages ----------------------------------------------------------------------------------------
    def not_found(self, request: Request) -> Response:
        return self.render("404 | Cal.com", {"page": "not_found"}, 404)

    def _profile_page(self, request: Request, user: str) -> Response:
        with self.lock:
            found = self.users.get(unquote(user))
            if found is None:
                return self.not_found(request)
            cards = [{"href": f"/{found.username}/{e.slug}", "title": e.title, "length": e.length,
                      "requires_confirmation": e.requires_confirmation} for e in found.event_types]
        return self.render(f"{found.name} | Cal.com", {"page": "profile", "name": found.name, "cards": cards})

    def _team_page(self, request: Request, team: str) -> Response:
        with self.lock:
            found = self.teams.get(unquote(team))
            if found is None:
                return self.not_found(request)
            cards = [{"href": f"/team/{found.slug}/{e.slug}", "title": e.title, "length": e.length,
                      "requires_confirmation": e.requires_confirmation} for e in found.event_types]
            members = [{"name": self.users[m].name, "href": f"/{m}"} for m in found.members if m in self.users]
        return self.render(f"{found.name} | Cal.com", {
            "page": "profile", "name": found.name, "cards": cards,
            "members": members if found.book_a_team_member else []})

    def _user_event_page(self, request: Request, user: str, slug: str, embed: str | None = None) -> Response:
        with self.lock:
            bookable = self._user_event(unquote(user), unquote(slug))
        return self._booker(request, bookable, bool(embed))

    def _team_event_page(self, request: Request, team: str, slug: str, embed: str | None = None) -> Response:
        with self.lock:
            bookable = self._team_event(unquote(team), unquote(slug))
        return self._booker(request, bookable, bool(embed))

    def _booker(self, request: Request, bookable: _Bookable | None, embed: bool) -> Response:
        if bookable is None:
            return self.not_found(request)
        with self.lock:
            event = bookable.event
            starts = self._starts(bookable)
            config = {
                "page": "booker",
                "embed": embed,
                "event": {"id": event.id, "slug": event.slug, "title": event.title, "length": event.length,
                          "requires_confirmation": event.requires_confirmation,
                          "fields": [f.__dict__ for f in event.fields]},
                "owner_name": bookable.owner_name,
                "hosts": [self.users[h].name for h in bookable.hosts],
                "username": bookable.username,
                "team_slug": bookable.team_slug,
                "event_path": bookable.path,
                "display_timezone": self.display_timezone,
                "time_format_24h": self.time_format_24h,
                "last_slot": starts[-1].isoformat() if starts else None,
                "faults": {"form_never_renders": self.faults.form_never_renders},
            }
        return self.render(f"{event.title} | {bookable.owner_name} | Cal.com", config, banner=self.cookie_banner and not embed)

    def _success_page(self, request: Request, uid: str) -> Response:
        booking = self.booking(unquote(uid))
        if booking is None or booking["hidden"]:
            return self.not_found(request)
        config = {"page": "success", "booking": {
            "uid": booking["uid"], "status": booking["status"], "title": booking["title"],
            "event_title": booking["event_title"], "host_name": booking["host_name"],
            "host_email": booking["host_email"], "name": booking["name"], "email": booking["email"],
            "start": _z(booking["start"]), "end": _z(booking["end"]), "notes": booking["notes"],
            "event_type_slug": booking["event_type_slug"], "display_timezone": self.display_timezone}}
        return self.render(f"{booking['title']} | Cal.com", config, banner=False)


def _parse_time(text: str, end_of_day: bool = False) -> datetime:
    """An ISO time (Z or offset) or a bare date (UTC midnight, or the end of that day)."""
    text = text.strip()
    if len(text) == 10:
        day = date.fromisoformat(text)
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return moment + timedelta(days=1) - timedelta(seconds=1) if end_of_day else moment
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(text)
    return value.astimezone(UTC).replace(microsecond=0)


def _z(moment: datetime) -> str:
    """Cal.com's UTC format: 2026-12-02T07:00:00.000Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _iso_ms(moment: datetime) -> str:
    """2026-12-02T09:00:00.000+02:00, as /v2/slots gives starts in the requested zone."""
    return moment.isoformat(timespec="milliseconds")
