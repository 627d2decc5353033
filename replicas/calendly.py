"""Loopback replica of Calendly's public booking pages.

Follows /work/shared/research/platforms.md section 1. Pages are rendered client-side by a vanilla-JS
single-page app (``calendly_assets/app.js``) from a JSON config the server embeds in
``<script id="booking-config" type="application/json">``; availability and booking go through the
same undocumented JSON endpoints the real booking page calls.

Routes (``<dt>`` is ``YYYY-MM-DDTHH:mm:ss±HH:MM``)::

    GET  /<host>                                   profile page (event-type cards)
    GET  /<team>                                   team page (every member's cards, with host names)
    GET  /<host>/<event>[/<dt>]                    booking SPA (calendar, or the details form for <dt>)
    GET  /<host>/<event>/invitees/<invitee_uuid>   confirmation page            # [U] invented URL
    GET  /d/<team>/<round_robin_slug>[/<dt>]       round-robin booking SPA (Calendly picks the host)
    GET  /d/<team>/<round_robin_slug>/invitees/<invitee_uuid>
    GET  /api/booking/event_types/lookup?profile_slug=&event_type_slug=
    GET  /api/booking/event_types/<uuid>/calendar/range?timezone=&range_start=&range_end=
    GET  /api/booking/scheduling_links/<code>
    POST /api/booking/invitees
    GET  /__replica__/bookings                     test hook: every booking as JSON
    POST /__replica__/reset                        test hook: same as reset()

Usage::

    alice = CalendlyHost("alice-acme", "Alice Smith", "alice@acme.test",
                         [CalendlyEventType("30min", "30 Minute Meeting")], slots=[...])
    with CalendlyReplica([alice], now=lambda: NOW, display_timezone="Europe/Helsinki") as site:
        driver.get(site.event_url("alice-acme", "30min"))
"""
from __future__ import annotations

import json
import sys
import threading
import uuid as uuidlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .server import LoopbackServer, Request, Response

UTC = timezone.utc
ASSETS = Path(__file__).with_name("calendly_assets")
SLOT_TAKEN_MESSAGE = "Sorry, that time is no longer available."
DEFAULT_QUESTION = "Please share anything that will help prepare for our meeting."

_SLUG = r"[A-Za-z0-9][A-Za-z0-9_.~-]*"
_DT = r"\d{4}-\d{2}-\d{2}T[0-9A-Za-z:.%+-]+"
_MAX_RANGE_DAYS = 62  # [U] invented: the real endpoint limits the span too; its limit is unknown


@dataclass
class CalendlyEventType:
    slug: str                      # "30min"
    title: str                     # "30 Minute Meeting"
    duration_minutes: int = 30
    split_name: bool = False       # first/last name fields instead of full name
    questions: list[str] = field(default_factory=lambda: [DEFAULT_QUESTION])
    required_questions: bool = False
    uuid: str = ""                 # filled by the replica if empty


@dataclass
class CalendlyHost:
    slug: str                      # "alice-acme"
    name: str                      # "Alice Smith"
    email: str
    event_types: list[CalendlyEventType]
    slots: list[datetime]          # aware start times the host is free; shared by the host's event types


@dataclass
class CalendlyTeam:
    slug: str                      # team page and round-robin code, e.g. "acme"
    name: str                      # "Acme"
    members: list[str]             # host slugs, in order
    round_robin_slug: str = "intro"  # the /d/<slug>/<round_robin_slug> link


@dataclass
class CalendlyFaults:
    details_form_never_renders: bool = False   # clicking "Next" does nothing (read when the page loads)
    take_slot_before_submit: int = 0           # the next N submits (True: one) find their slot taken
    hang_booking_page: bool = False            # GET of a booking page never answers (until stop/clear)


@dataclass
class _Bookable:
    """One bookable event: a host's event type, or a team's round-robin link."""

    event: CalendlyEventType
    path: str                      # "/alice-acme/30min" or "/d/acme/intro"
    owner_slug: str
    owner_name: str                # host name, or team name for round robin
    host_slugs: list[str]          # candidate hosts, in assignment order
    team_slug: str | None = None


class CalendlyReplica(LoopbackServer):
    """Calendly's public booking pages, on 127.0.0.1. All state is guarded by ``self.lock``."""

    def __init__(
        self,
        hosts: Iterable[CalendlyHost] = (),
        teams: Iterable[CalendlyTeam] = (),
        *,
        now: Callable[[], datetime] | None = None,
        display_timezone: str | None = None,
        cookie_banner: bool = False,
    ) -> None:
        super().__init__()
        if display_timezone is not None:
            ZoneInfo(display_timezone)  # fail early on a typo
        self._now_fn = now or (lambda: datetime.now(UTC))
        self.display_timezone = display_timezone
        self.cookie_banner = cookie_banner
        self.faults = CalendlyFaults()
        self.bookings: list[dict[str, Any]] = []
        self.hosts: dict[str, CalendlyHost] = {}
        self.teams: dict[str, CalendlyTeam] = {}
        self._round_robin_uuids: dict[str, str] = {}
        self._blocked: list[tuple[str, datetime, datetime]] = []  # slots "someone else" booked
        self._stopping = threading.Event()
        self._js = (ASSETS / "app.js").read_text(encoding="utf-8")
        self._css = (ASSETS / "app.css").read_text(encoding="utf-8")
        for host in hosts:
            self.add_host(host)
        for team in teams:
            self.add_team(team)

        self.add_route("GET", r"/favicon\.ico", lambda request: Response(204))
        self.add_route("GET", r"/__replica__/bookings", self._replica_bookings)
        self.add_route("POST", r"/__replica__/reset", self._replica_reset)
        self.add_route("GET", r"/api/booking/event_types/lookup", self._api_lookup)
        self.add_route("GET", r"/api/booking/event_types/(?P<uuid>[^/]+)/calendar/range", self._api_range)
        self.add_route("GET", r"/api/booking/scheduling_links/(?P<code>[^/]+)", self._api_scheduling_link)
        self.add_route("POST", r"/api/booking/invitees", self._api_invitees)
        self.add_route("GET", rf"/d/(?P<code>{_SLUG})/(?P<event>{_SLUG})/invitees/(?P<invitee>[^/]+)/?",
                       self._confirmation_round_robin)
        self.add_route("GET", rf"/d/(?P<code>{_SLUG})/(?P<event>{_SLUG})(?:/(?P<start>{_DT}))?/?",
                       self._booking_round_robin)
        self.add_route("GET", rf"/(?P<host>{_SLUG})/(?P<event>{_SLUG})/invitees/(?P<invitee>[^/]+)/?",
                       self._confirmation_host)
        self.add_route("GET", rf"/(?P<host>{_SLUG})/(?P<event>{_SLUG})(?:/(?P<start>{_DT}))?/?",
                       self._booking_host)
        self.add_route("GET", rf"/(?P<slug>{_SLUG})/?", self._profile)

    # -- public API ---------------------------------------------------------------------------------
    def add_host(self, host: CalendlyHost) -> None:
        for slot in host.slots:
            if slot.tzinfo is None or slot.utcoffset() is None:
                raise ValueError(f"slot {slot!r} of {host.slug} must be timezone-aware")
        with self.lock:
            for event in host.event_types:
                if not event.uuid:
                    event.uuid = str(uuidlib.uuid4())
            self.hosts[host.slug] = host

    def add_team(self, team: CalendlyTeam) -> None:
        with self.lock:
            self.teams[team.slug] = team
            self._round_robin_uuids.setdefault(team.slug, str(uuidlib.uuid4()))

    def profile_url(self, host_slug: str) -> str:
        return f"{self.url}/{host_slug}"

    def event_url(self, host_slug: str, event_slug: str) -> str:
        return f"{self.url}/{host_slug}/{event_slug}"

    def team_url(self, team_slug: str) -> str:
        return f"{self.url}/{team_slug}"

    def round_robin_url(self, team_slug: str) -> str:
        return f"{self.url}/d/{team_slug}/{self.teams[team_slug].round_robin_slug}"

    def available_slots(self, host_slug: str, event_slug: str | None = None) -> list[datetime]:
        """Still-free future slots of a host (UTC). Without ``event_slug`` a slot counts as free when
        the host's shortest event type would fit there."""
        with self.lock:
            host = self.hosts[host_slug]
            durations = [e.duration_minutes for e in host.event_types if event_slug in (None, e.slug)]
            return self._free_starts(host_slug, timedelta(minutes=min(durations, default=30)))

    def reset(self) -> None:
        """Clear bookings and faults; every slot is free again."""
        with self.lock:
            self.bookings.clear()
            self._blocked.clear()
            self.faults = CalendlyFaults()

    def start(self, port: int = 0) -> "CalendlyReplica":
        self._stopping.clear()
        super().start(port)
        httpd = self._httpd
        default_handle_error = httpd.handle_error

        def handle_error(request: Any, client_address: Any) -> None:
            # A client that gave up on a hung page closed its socket; writing the late answer fails.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                default_handle_error(request, client_address)

        httpd.handle_error = handle_error  # type: ignore[method-assign]
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases requests held by hang_booking_page
        super().stop()

    # -- availability -------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self._now_fn().astimezone(UTC)

    def _busy(self, host_slug: str) -> list[tuple[datetime, datetime]]:
        busy = [(b["start_time"], b["end_time"]) for b in self.bookings if b["host_slug"] == host_slug]
        return busy + [(s, e) for h, s, e in self._blocked if h == host_slug]

    def _free_starts(self, host_slug: str, duration: timedelta) -> list[datetime]:
        host = self.hosts.get(host_slug)
        if host is None:
            return []
        now, busy, free = self.now(), self._busy(host_slug), set()
        for slot in host.slots:
            start = slot.astimezone(UTC).replace(microsecond=0)
            if start <= now or any(b0 < start + duration and start < b1 for b0, b1 in busy):
                continue
            free.add(start)
        return sorted(free)

    def _bookable_starts(self, bookable: _Bookable) -> list[datetime]:
        duration = timedelta(minutes=bookable.event.duration_minutes)
        starts: set[datetime] = set()
        for host_slug in bookable.host_slugs:
            starts.update(self._free_starts(host_slug, duration))
        return sorted(starts)

    # -- the registry of bookable events ------------------------------------------------------------
    def _round_robin(self, team: CalendlyTeam) -> _Bookable:
        members = [m for m in team.members if m in self.hosts]
        template = next((e for m in members for e in self.hosts[m].event_types
                         if e.slug == team.round_robin_slug), None)
        if template is not None:  # a member's event type with the same slug sets the form and length
            event = CalendlyEventType(template.slug, template.title, template.duration_minutes,
                                      template.split_name, list(template.questions), template.required_questions)
        else:  # [U] invented: title from the slug, 30 minutes, the default question
            event = CalendlyEventType(team.round_robin_slug, team.round_robin_slug.replace("-", " ").title())
        event.uuid = self._round_robin_uuids[team.slug]
        return _Bookable(event, f"/d/{team.slug}/{team.round_robin_slug}", team.slug, team.name,
                         members, team.slug)

    def _bookables(self) -> dict[str, _Bookable]:
        found: dict[str, _Bookable] = {}
        for host in self.hosts.values():
            for event in host.event_types:
                event.uuid = event.uuid or str(uuidlib.uuid4())  # an event type appended after add_host
                found[event.uuid] = _Bookable(event, f"/{host.slug}/{event.slug}", host.slug, host.name, [host.slug])
        for team in self.teams.values():
            bookable = self._round_robin(team)
            found[bookable.event.uuid] = bookable
        return found

    def _host_event(self, host_slug: str, event_slug: str) -> _Bookable | None:
        host = self.hosts.get(host_slug)
        event = next((e for e in host.event_types if e.slug == event_slug), None) if host else None
        if host is None or event is None:
            return None
        event.uuid = event.uuid or str(uuidlib.uuid4())
        return _Bookable(event, f"/{host.slug}/{event.slug}", host.slug, host.name, [host.slug])

    def _team_event(self, code: str, event_slug: str) -> _Bookable | None:
        team = self.teams.get(code)
        if team is None or team.round_robin_slug != event_slug:
            return None
        return self._round_robin(team)

    def _availability_timezone(self, bookable: _Bookable) -> str:
        for host_slug in bookable.host_slugs:
            for slot in self.hosts[host_slug].slots:
                key = getattr(slot.tzinfo, "key", None)
                if key:
                    return key
        return "UTC"  # [U] invented fallback when slots carry fixed offsets only

    # -- JSON API -------------------------------------------------------------------------------------
    def _api_lookup(self, request: Request) -> Response:
        profile, slug = request.arg("profile_slug", ""), request.arg("event_type_slug", "")
        with self.lock:
            bookable = self._host_event(profile, slug) or self._team_event(profile, slug)
            if bookable is None:
                return Response.json({"message": "Event type not found"}, 404)
            return Response.json(self._event_json(bookable))

    def _api_scheduling_link(self, request: Request, code: str) -> Response:
        with self.lock:
            team = self.teams.get(unquote(code))
            if team is None:
                return Response.json({"message": "Scheduling link not found"}, 404)
            return Response.json({"owner_type": "EventType", "owner_uuid": self._round_robin_uuids[team.slug],
                                  "slug": team.slug})

    def _event_json(self, bookable: _Bookable) -> dict[str, Any]:
        event = bookable.event
        return {
            "uuid": event.uuid,
            "duration": event.duration_minutes,
            "availability_timezone": self._availability_timezone(bookable),
            "name": event.title,
            "slug": event.slug,
            "pooling_type": "round_robin" if bookable.team_slug else None,
            "profile": {"name": bookable.owner_name, "slug": bookable.owner_slug,
                        "type": "Team" if bookable.team_slug else "User"},
        }

    def _api_range(self, request: Request, uuid: str) -> Response:
        try:
            zone = ZoneInfo(request.arg("timezone") or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return Response.json({"message": "Invalid timezone"}, 400)
        try:
            first = date.fromisoformat(request.arg("range_start") or "")
            last = date.fromisoformat(request.arg("range_end") or "")
        except ValueError:
            return Response.json({"message": "range_start and range_end must be YYYY-MM-DD"}, 400)
        if last < first or (last - first).days > _MAX_RANGE_DAYS:
            return Response.json({"message": "Invalid range"}, 400)
        with self.lock:
            bookable = self._bookables().get(unquote(uuid))
            if bookable is None:
                return Response.json({"message": "Event type not found"}, 404)
            by_day: dict[date, list[datetime]] = defaultdict(list)
            for start in self._bookable_starts(bookable):
                local = start.astimezone(zone)
                by_day[local.date()].append(local)
            today = self.now().astimezone(zone).date()
        days = []
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            spots = [{"status": "available", "start_time": s.isoformat(timespec="seconds"),
                      "invitees_remaining": 1} for s in by_day.get(day, [])]
            days.append({"date": day.isoformat(), "status": "available" if spots else "unavailable",
                         "spots": spots, "invitee_events": []})
        return Response.json({"invitee_publisher_error": False, "today": today.isoformat(),
                              "availability_timezone": zone.key, "days": days, "diagnostic_data": None})

    def _api_invitees(self, request: Request) -> Response:
        try:
            data = request.json()
            if not isinstance(data, dict):
                raise ValueError
        except ValueError:
            return Response.json({"message": "Invalid JSON"}, 400)
        with self.lock:
            bookable = self._bookables().get(str(data.get("event_type_uuid") or ""))
            if bookable is None:
                return Response.json({"message": "Event type not found"}, 404)
            event = bookable.event
            try:
                start = datetime.fromisoformat(str(data.get("start_time") or ""))
                if start.tzinfo is None:
                    raise ValueError
            except ValueError:
                return Response.json({"message": "start_time must be an ISO time with a zone"}, 400)
            start = start.astimezone(UTC).replace(microsecond=0)
            end = start + timedelta(minutes=event.duration_minutes)

            errors: dict[str, str] = {}
            first_name = last_name = None
            if event.split_name:
                first_name = str(data.get("first_name") or "").strip()
                last_name = str(data.get("last_name") or "").strip()
                full_name = f"{first_name} {last_name}".strip()
                if not first_name:
                    errors["first_name"] = "can't be blank"
                if not last_name:
                    errors["last_name"] = "can't be blank"
            else:
                full_name = str(data.get("full_name") or "").strip()
                if not full_name:
                    errors["full_name"] = "can't be blank"
            email = str(data.get("email") or "").strip()
            if "@" not in email:
                errors["email"] = "is invalid"
            answers: dict[str, str] = {}
            for item in data.get("questions_and_answers") or []:
                answer = str(item.get("answer") or "").strip()
                if answer:
                    answers[str(item.get("question"))] = answer
            if event.required_questions:
                for position, question in enumerate(event.questions):
                    if question not in answers:
                        errors[f"question_{position}"] = "can't be blank"
            if errors:
                return Response.json({"message": "Please correct the errors below.", "errors": errors}, 400)
            try:
                zone_name = ZoneInfo(str(data.get("timezone") or "UTC")).key
            except (ZoneInfoNotFoundError, ValueError):
                zone_name = "UTC"

            duration = timedelta(minutes=event.duration_minutes)
            free = [h for h in bookable.host_slugs if start in self._free_starts(h, duration)]
            if free and self.faults.take_slot_before_submit:
                self.faults.take_slot_before_submit -= 1  # fires as many times as asked
                self._blocked.extend((h, start, end) for h in free)
                free = []
            if not free:
                return Response.json({"message": SLOT_TAKEN_MESSAGE}, 400)
            host = self.hosts[free[0]]
            booking = {
                "invitee_uuid": str(uuidlib.uuid4()),
                "event_uuid": str(uuidlib.uuid4()),
                "host_slug": host.slug,
                "host_name": host.name,
                "host_email": host.email,
                "event_type": event.slug,
                "event_title": event.title,
                "event_type_uuid": event.uuid,
                "team_slug": bookable.team_slug,
                "path": bookable.path,
                "start_time": start,
                "end_time": end,
                "name": full_name,
                "first_name": first_name,
                "last_name": last_name,
                "email": email,
                "guests": [str(g).strip() for g in data.get("guests") or [] if str(g).strip()],
                "answers": answers,
                "timezone": zone_name,
                "created_at": self.now(),
            }
            self.bookings.append(booking)
        return Response.json({
            "invitee_uuid": booking["invitee_uuid"],
            "event_uuid": booking["event_uuid"],
            "host_name": host.name,
            "start_time": start.isoformat().replace("+00:00", "Z"),
        })

    # -- test hooks -----------------------------------------------------------------------------------
    def _replica_bookings(self, request: Request) -> Response:
        with self.lock:
            rows = [{k: v.isoformat() if isinstance(v, datetime) else v for k, v in b.items()}
                    for b in self.bookings]
        return Response.json(rows)

    def _replica_reset(self, request: Request) -> Response:
        self.reset()
        return Response.json({"ok": True})

    # -- pages ----------------------------------------------------------------------------------------
    def _page(self, title: str, config: dict[str, Any], status: int = 200) -> Response:
        config = {"base_url": self.url, "now": self.now().isoformat(), "cookie_banner": self.cookie_banner,
                  **config}
        data = json.dumps(config).replace("</", "<\\/").replace("<!--", "<\\!--")
        html = (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_escape(title)}</title><style>{self._css}</style></head>"
            "<body><div id=\"root\" class=\"SDtfHdNEXlQj0jfgRWsd\"></div>"
            f"<script id=\"booking-config\" type=\"application/json\">{data}</script>"
            f"<script>{self._js}</script></body></html>"
        )
        return Response.html(html, status)

    def not_found(self, request: Request) -> Response:
        return self._page("Page not found - Calendly", {"page": "not_found"}, 404)

    def _profile(self, request: Request, slug: str) -> Response:
        slug = unquote(slug)
        with self.lock:
            host, team = self.hosts.get(slug), self.teams.get(slug)
            if host is not None:
                cards = [self._card(host, e, with_host=False) for e in host.event_types]
                profile = {"name": host.name, "slug": host.slug, "kind": "user"}
            elif team is not None:
                cards = [self._card(self.hosts[m], e, with_host=True)
                         for m in team.members if m in self.hosts for e in self.hosts[m].event_types]
                profile = {"name": team.name, "slug": team.slug, "kind": "team"}
            else:
                return self.not_found(request)
        return self._page(f"{profile['name']} - Calendly", {"page": "profile", "profile": profile, "cards": cards})

    @staticmethod
    def _card(host: CalendlyHost, event: CalendlyEventType, *, with_host: bool) -> dict[str, Any]:
        return {"href": f"/{host.slug}/{event.slug}", "title": event.title, "duration": event.duration_minutes,
                "host_name": host.name if with_host else None}

    def _booking_host(self, request: Request, host: str, event: str, start: str | None = None) -> Response:
        with self.lock:
            bookable = self._host_event(unquote(host), unquote(event))
        return self._booking(request, bookable, start)

    def _booking_round_robin(self, request: Request, code: str, event: str, start: str | None = None) -> Response:
        with self.lock:
            bookable = self._team_event(unquote(code), unquote(event))
        return self._booking(request, bookable, start)

    def _booking(self, request: Request, bookable: _Bookable | None, start: str | None) -> Response:
        if bookable is None:
            return self.not_found(request)
        selected = None
        if start:
            try:
                selected = datetime.fromisoformat(unquote(start).replace(" ", "+"))
            except ValueError:
                return self.not_found(request)
            if selected.tzinfo is None:
                return self.not_found(request)
        while self.faults.hang_booking_page:  # never answers, until the replica stops or the fault clears
            if self._stopping.wait(0.05):
                return Response.text("replica stopped", 503)
        with self.lock:
            starts = self._bookable_starts(bookable)
            event = bookable.event
            config = {
                "page": "booking",
                "event_path": bookable.path,
                "profile": {"name": bookable.owner_name, "slug": bookable.owner_slug,
                            "kind": "team" if bookable.team_slug else "user"},
                "event_type": {"uuid": event.uuid, "slug": event.slug, "title": event.title,
                               "duration": event.duration_minutes, "split_name": event.split_name,
                               "questions": list(event.questions), "required_questions": event.required_questions},
                "display_timezone": self.display_timezone,
                "last_slot": starts[-1].isoformat() if starts else None,
                "selected_start": selected.isoformat(timespec="seconds") if selected else None,
                "faults": {"details_form_never_renders": self.faults.details_form_never_renders},
                "api": {"range": f"/api/booking/event_types/{event.uuid}/calendar/range",
                        "invitees": "/api/booking/invitees"},
            }
        title = "Enter Details - Calendly" if selected else "Select a Date & Time - Calendly"  # [U] invented
        return self._page(title, config)

    def _confirmation_host(self, request: Request, host: str, event: str, invitee: str) -> Response:
        return self._confirmation(request, f"/{unquote(host)}/{unquote(event)}", unquote(invitee))

    def _confirmation_round_robin(self, request: Request, code: str, event: str, invitee: str) -> Response:
        return self._confirmation(request, f"/d/{unquote(code)}/{unquote(event)}", unquote(invitee))

    def _confirmation(self, request: Request, path: str, invitee_uuid: str) -> Response:
        with self.lock:
            booking = next((b for b in self.bookings
                            if b["invitee_uuid"] == invitee_uuid and b["path"] == path), None)
            if booking is None:
                return self.not_found(request)
            duration = int((booking["end_time"] - booking["start_time"]).total_seconds() // 60)
            config = {
                "page": "confirmation",
                "event_path": path,
                "booking": {
                    "invitee_uuid": booking["invitee_uuid"], "event_uuid": booking["event_uuid"],
                    "host_name": booking["host_name"], "event_title": booking["event_title"],
                    "start_time": booking["start_time"].isoformat(), "duration": duration,
                    "timezone": booking["timezone"], "email": booking["email"], "name": booking["name"],
                },
            }
        return self._page("Confirmed - Calendly", config)  # [U] invented title


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
