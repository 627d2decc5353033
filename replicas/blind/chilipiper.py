"""Chili Piper, second build: written from research/platforms.md §4 and §6 alone, blind to Booker's module.

Inherits the first build's server logic (users, links, round robin, recorded ``bookings`` rows, the
``ChiliPiperFaults`` switches, ``display_timezone`` and ``cookie_banner``) and serves its own pages
and its own JSON API. What the facts say is kept; what they leave open is chosen differently:

- ``book/…`` and ``me/…`` links open on the week calendar and ask for the guest's details after a
  time is picked (the details form *is* their confirm step); concierge routers keep the [S] order:
  guest form, the optional "call now or schedule" choice, the week calendar, then a review step.
- Step markup is rendered by ``chilipiper_assets/app.js`` into a server-rendered shell whose side
  panel (meeting title, length, the picked time) stays on every step.
- The page's JSON calls (all [U], invented here; the first build's ``/api/v1/*`` routes are gone)::

      GET  /api/cp/links/<token>/calendar?tz=&start=YYYY-MM-DD   7 days from start: bookable-slot counts
      GET  /api/cp/links/<token>/slots?tz=&date=YYYY-MM-DD        one day's slots (UTC) with their assignee
      POST /api/cp/links/<token>/route                            a router's guest form: validate, pick a rep
      POST /api/cp/links/<token>/meetings                         book (records via the first build's logic)

  every one answers after a random delay in ``latency`` (seconds), drawn from a ``random.Random``
  seeded with ``seed``; ``(0, 0)`` turns that off. Pages and static assets answer at once.
- ``platform_hooks=False`` drops every ``data-id`` / ``data-test-id`` hook; input ``name``s stay.
- The consent banner (``cookie_banner``) is this build's own: a ``<dialog>`` "Privacy preferences"
  with "Allow all" / "Only necessary", over a backdrop that covers the page; a consent cookie from an
  earlier visit keeps it away. Inside a router iframe (``trigger=`` in the URL) it never shows.
"""
from __future__ import annotations

import hashlib
import json
import random
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from replicas.chilipiper import ChiliPiperLink, ChiliPiperReplica, ChiliPiperUser
from replicas.server import Request, Response
from replicas.site import escape

UTC = timezone.utc
ASSETS = Path(__file__).with_name("chilipiper_assets")
# [U] invented wording, unlike the first build's.
SLOT_GONE = "Sorry, someone just booked that time. Please choose another one."
CONSENT_COOKIE = "cp_privacy"
_API = r"/api/cp/links/(?P<token>[0-9a-f]{12})"

# [U] invented: the consent manager of this build (not the first build's "Cookie consent" banner).
CONSENT_DIALOG = (
    '<div class="css-q0v7zb" id="privacy-backdrop">'
    '<dialog open class="css-w3n1ka" aria-labelledby="privacy-heading" aria-describedby="privacy-text">'
    '<h2 id="privacy-heading" class="css-c4rh0t">Privacy preferences</h2>'
    '<p id="privacy-text">We and our partners store small files on your device to run this scheduler, '
    "remember your choices and measure how it is used. You can allow all of them or keep only those "
    "needed for the page to work.</p>"
    '<div class="css-p1m6gx">'
    '<button type="button" class="css-h8d2ke" onclick="cpConsent(\'necessary\')">Only necessary</button>'
    '<button type="button" class="css-t5yq0r" onclick="cpConsent(\'all\')">Allow all</button>'
    "</div></dialog></div>"
    "<script>function cpConsent(v){document.cookie='" + CONSENT_COOKIE + "='+v+'; path=/; max-age=31536000';"
    "var b=document.getElementById('privacy-backdrop');if(b)b.remove();}</script>"
)


def _json_for_script(data: Any) -> str:
    text = json.dumps(data, default=str)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class BlindChiliPiperReplica(ChiliPiperReplica):
    assets = ASSETS

    def __init__(
        self,
        users: Iterable[ChiliPiperUser] = (),
        links: Iterable[ChiliPiperLink] = (),
        *,
        now: Callable[[], datetime] | None = None,
        display_timezone: str | None = None,
        cookie_banner: bool = False,
        tenant: str = "acme",
        latency: tuple[float, float] = (0.3, 0.9),
        platform_hooks: bool = True,
        seed: int = 2718,
    ) -> None:
        super().__init__(users, links, now=now, display_timezone=display_timezone,
                         cookie_banner=cookie_banner, tenant=tenant)
        low, high = (float(latency[0]), float(latency[1]))
        if low < 0 or high < low:
            raise ValueError(f"latency must be (low, high) with 0 <= low <= high, not {latency!r}")
        self.latency = (low, high)
        self.platform_hooks = platform_hooks
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self._asset_tag = hashlib.sha1((self._js + self._css).encode()).hexdigest()[:8]
        # The first build's invented JSON routes are not part of this page.
        self._routes = [r for r in self._routes if not r[1].pattern.startswith("/api/v1/")]
        self.add_route("GET", rf"/static/cp-app\.{self._asset_tag}\.js",
                       lambda r: Response.text(self._js, content_type="application/javascript"))
        self.add_route("GET", rf"/static/cp-app\.{self._asset_tag}\.css",
                       lambda r: Response.text(self._css, content_type="text/css"))
        self.add_route("GET", _API + r"/calendar", self._api_calendar)
        self.add_route("GET", _API + r"/slots", self._api_slots)
        self.add_route("POST", _API + r"/route", self._api_route)
        self.add_route("POST", _API + r"/meetings", self._api_meetings)

    # -- plumbing -----------------------------------------------------------------------------------
    def _slow(self) -> None:
        low, high = self.latency
        if high <= 0:
            return
        with self._rng_lock:
            delay = self._rng.uniform(low, high)
        time.sleep(delay)

    def _token(self, path: str) -> str:
        return hashlib.sha1(f"{self.tenant}/{path}".encode()).hexdigest()[:12]

    def _link_by_token(self, token: str) -> ChiliPiperLink | None:
        for link in self.links.values():
            if self._token(link.path) == token:
                return link
        return None

    @staticmethod
    def _problem(message: str, status: int, **extra: Any) -> Response:
        return Response.json({"ok": False, "message": message, **extra}, status)

    def _local_today(self, zone: ZoneInfo) -> date:
        return self.now().astimezone(zone).date()

    # -- the page's JSON API ([U] invented) ---------------------------------------------------------
    def _api_calendar(self, request: Request, token: str) -> Response:
        self._slow()
        zone = _zone(request.arg("tz") or "UTC")
        if zone is None:
            return self._problem("Unknown time zone", 400)
        with self.lock:
            link = self._link_by_token(token)
            if link is None:
                return self._problem("This booking link does not exist", 404)
            starts = self._starts(link)
            today = self._local_today(zone)
        try:
            first = date.fromisoformat(request.arg("start") or today.isoformat())
        except ValueError:
            return self._problem("Bad start date", 400)
        first = max(first, today)
        last = first + timedelta(days=6)
        counts: dict[date, int] = {}
        for start in starts:
            counts[start.astimezone(zone).date()] = counts.get(start.astimezone(zone).date(), 0) + 1
        days = [{"date": (first + timedelta(days=i)).isoformat(), "open": counts.get(first + timedelta(days=i), 0)}
                for i in range(7)]
        later = sorted(d for d in counts if d > last)
        return Response.json({"ok": True, "tz": str(zone), "start": first.isoformat(), "days": days,
                              "canGoBack": first > today, "nextOpenDay": later[0].isoformat() if later else None})

    def _api_slots(self, request: Request, token: str) -> Response:
        self._slow()
        zone = _zone(request.arg("tz") or "UTC")
        if zone is None:
            return self._problem("Unknown time zone", 400)
        try:
            day = date.fromisoformat(request.arg("date") or "")
        except ValueError:
            return self._problem("Bad date", 400)
        with self.lock:
            link = self._link_by_token(token)
            if link is None:
                return self._problem("This booking link does not exist", 404)
            duration = timedelta(minutes=link.duration)
            free = {slug: set(self._free(slug, duration)) for slug in link.assignees}
            starts = [s for s in self._starts(link) if s.astimezone(zone).date() == day]
            slots = []
            for start in starts:
                owner = next((slug for slug in link.assignees if start in free[slug]), None)
                person = self.users.get(owner) if owner else None
                slots.append({"start": _iso(start), "end": _iso(start + duration),
                              "host": person.name if person else None})
        return Response.json({"ok": True, "date": day.isoformat(), "tz": str(zone), "slots": slots})

    def _api_route(self, request: Request, token: str) -> Response:
        """A router's guest form: check the required answers, then say who takes the meeting."""
        self._slow()
        try:
            data = request.json() or {}
            guest = dict(data.get("guest") or {})
            answers = {str(k): str(v).strip() for k, v in dict(data.get("answers") or {}).items()}
        except (AttributeError, TypeError, ValueError):
            return self._problem("Invalid request", 400)
        with self.lock:
            link = self._link_by_token(token)
            if link is None:
                return self._problem("This router does not exist", 404)
            missing = [k for k in ("firstName", "lastName", "email") if not str(guest.get(k) or "").strip()]
            if link.phone_required and not str(guest.get("phone") or "").strip():
                missing.append("phone")
            missing += [f.name for f in link.fields if f.required and not answers.get(f.name)]
            if missing:
                return self._problem("Some required answers are missing", 422, missing=missing)
            rep = self.users.get(link.assignees[0]) if link.assignees else None
        return Response.json({"ok": True, "next": "live" if link.live_choice else "calendar",
                              "rep": rep.name if rep else None})

    def _api_meetings(self, request: Request, token: str) -> Response:
        """Book through the first build's logic (same checks, faults and recorded row), answered our way."""
        self._slow()
        try:
            data = request.json() or {}
            guest = dict(data.get("guest") or {})
            body = {
                "start": data["start"],
                "guest": {"FirstName": guest.get("firstName"), "LastName": guest.get("lastName"),
                          "Email": guest.get("email"), "Phone": guest.get("phone")},
                "fields": dict(data.get("answers") or {}),
                "timezone": data.get("tz") or "UTC",
                "trigger": data.get("trigger"),
            }
        except (AttributeError, KeyError, TypeError, ValueError):
            return self._problem("Invalid request", 400)
        with self.lock:
            link = self._link_by_token(token)
            if link is None:
                return self._problem("This booking link does not exist", 404)
            body["link"] = link.path
        inner = Request("POST", "/book", {}, {"content-type": "application/json"}, json.dumps(body).encode())
        answer = super()._book(inner)
        result = json.loads(answer.body or b"null") or {}
        if answer.status == 409:
            return self._problem(SLOT_GONE, 409, reason="slot_unavailable")
        if answer.status == 400 and "fields" in result:
            mapping = {"FirstName": "firstName", "LastName": "lastName", "Email": "email", "Phone": "phone"}
            return self._problem("Some required answers are missing", 422,
                                 missing=[mapping.get(f, f) for f in result["fields"]])
        if answer.status != 200:
            return self._problem(str(result.get("error") or "Something went wrong"), answer.status)
        return Response.json({"ok": True, "meeting": {
            "id": result["eventId"], "host": result["assignee"], "start": result["start"], "end": result["end"]}}, 201)

    # -- pages ----------------------------------------------------------------------------------------
    def not_found(self, request: Request) -> Response:
        body = ('<main class="css-9fj2la"><h1 class="css-c4rh0t">We couldn\'t find that page</h1>'
                "<p>The scheduling link you followed doesn't exist or has been turned off by its owner.</p></main>")
        return Response.html(self._document("Page not found · Chili Piper", body, None, banner=False), 404)

    def render(self, title: str, config: dict[str, Any], status: int = 200, banner: bool | None = None) -> Response:
        """Kept for callers of the base class; this build's pages go through :meth:`_page`."""
        return Response.html(self._document(title, "<main></main>", None, banner=bool(banner)), status)

    def _page(self, request: Request, path: str) -> Response:
        from urllib.parse import unquote

        with self.lock:
            link = self.links.get(unquote(path))
            if link is None:
                return self.not_found(request)
            router = link.path.startswith("concierge-router/")
            boot = {
                "token": self._token(link.path), "title": link.title, "minutes": link.duration,
                "router": router, "liveChoice": link.live_choice, "phoneRequired": link.phone_required,
                "questions": [{"name": f.name, "label": f.label, "kind": f.type, "required": f.required}
                              for f in link.fields],
                "zone": self.display_timezone, "now": _iso(self.now()), "hooks": self.platform_hooks,
                "stall": self.faults.calendar_never_renders, "company": self.tenant,
            }
        framed = request.arg("trigger") is not None
        consented = CONSENT_COOKIE + "=" in (request.header("cookie") or "")
        title = "Schedule a time | Chili Piper" if router else f"{link.title} · Chili Piper"
        side = (
            '<aside class="css-5bq1ye" aria-labelledby="cp-event-name">'
            f'<div class="css-0m3vdk" aria-hidden="true">{escape(self.tenant[:1].upper())}</div>'
            f'<h2 id="cp-event-name" class="css-j7x4fd">{escape(link.title)}</h2>'
            f'<p class="css-u2n8rw"><span aria-hidden="true">&#9719;</span> {link.duration} min</p>'
            '<div id="cp-side-extra" class="css-r6k1pv"></div>'
            '<p class="css-y9s3hn">Scheduling by Chili Piper</p></aside>'
        )
        body = (f'<div class="css-3n8v0c">{side}<main id="cp-stage" class="css-9fj2la" tabindex="-1">'
                '<div class="css-l0a7sd" role="status"><span class="css-s1pn9r" aria-hidden="true"></span>'
                " Loading…</div></main></div>")
        return Response.html(self._document(title, body, boot, banner=self.cookie_banner and not framed and not consented))

    def _document(self, title: str, body: str, boot: dict[str, Any] | None, *, banner: bool) -> str:
        scripts = ""
        if boot is not None:
            scripts = (f"<script>window.__CP_BOOT__ = {_json_for_script(boot)};</script>"
                       f'<script src="/static/cp-app.{self._asset_tag}.js" defer></script>')
        return (
            '<!doctype html><html lang="en-US"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{escape(title)}</title>"
            f'<link rel="stylesheet" href="/static/cp-app.{self._asset_tag}.css"></head>'
            f'<body class="css-b7t0qe">{body}{scripts}{CONSENT_DIALOG if banner else ""}</body></html>'
        )


REPLICA = BlindChiliPiperReplica
