"""Blind second build of the Cal.com replica: same server contract, pages written from the public facts.

Written from research/platforms.md §2 and §6 and the first build's *server* contract only. It inherits
:class:`replicas.calcom.CalComReplica` (users, teams, slots, bookings, faults, the public v2 API, the
host's accept/reject links) and replaces everything a person sees:

* profile, team and success pages are rendered on the server (the first build renders all of them
  client-side from a JSON config); only the booker runs a script, fed from ``<script id="__NEXT_DATA__">``;
* the booker loads availability from its own endpoint ``GET /api/public/slots`` (a /v2/slots-style
  answer, not the first build's tRPC lookup), once per month for the day grid and once per picked day
  for the time column; every ``/api/*`` and ``/v2/*`` request answers after a random delay
  (``latency``) so day buttons stay disabled and the time column shows a skeleton meanwhile;
* the consent banner is a modal ``<dialog>`` named "Privacy preferences" ("Allow all" / "Only
  necessary") that remembers its answer in a cookie;
* ``platform_hooks=False`` serves a newer build: no ``data-testid`` anywhere (input names, ``data-time``
  and ``data-disabled`` stay);
* ``/<user>/<slug>.md`` serves the agent-readable summary [V].

Extra routes (placed before the inherited ones)::

    GET /api/public/slots?eventTypeId=&timeZone=&month=YYYY-MM | date=YYYY-MM-DD
    GET /<user>/<slug>.md   GET /team/<team>/<slug>.md
"""
from __future__ import annotations

import json
import random
import re
import threading
import time as _time
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from replicas.calcom import _SLUG, CalComReplica, CalComTeam, CalComUser, _Bookable, _iso_ms
from replicas.server import Request, Response
from replicas.site import escape

UTC = timezone.utc
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CONSENT_COOKIE = "cal_privacy"

# Invented [U]: the consent manager. A modal <dialog> (the page behind is inert) shown from the first
# paint; the answer is kept in a cookie so a reload does not ask again.
PRIVACY_DIALOG = (
    '<dialog id="cal-privacy" class="css-pv0x1k" aria-labelledby="cal-privacy-title" aria-describedby="cal-privacy-text">'
    '<h2 id="cal-privacy-title" class="css-pv0x1k-t">Privacy preferences</h2>'
    '<p id="cal-privacy-text">We use strictly necessary cookies to run this scheduling page and, with your '
    'permission, optional ones to measure and improve it.</p>'
    '<div class="css-pv0x1k-a"><button type="button" class="css-k8e2ry" value="necessary">Only necessary</button>'
    '<button type="button" class="css-j3u6pt" value="all">Allow all</button></div></dialog>'
    "<script>(function(){var d=document.getElementById('cal-privacy');if(!d)return;"
    "try{d.showModal();}catch(e){d.setAttribute('open','');}"
    "d.addEventListener('cancel',function(e){e.preventDefault();});"
    "Array.prototype.forEach.call(d.querySelectorAll('button'),function(b){b.addEventListener('click',function(){"
    f"document.cookie='{CONSENT_COOKIE}='+b.value+'; path=/; SameSite=Lax';d.close();d.remove();}});}});}})();</script>"
)

CLOCK_ICON = ('<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><circle cx="8" cy="8" r="6.5" '
              'fill="none" stroke="currentColor"/><path d="M8 4v4l3 2" fill="none" stroke="currentColor"/></svg>')
VIDEO_ICON = ('<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><rect x="1.5" y="4" width="9" '
              'height="8" rx="1.5" fill="none" stroke="currentColor"/><path d="M10.5 7l4-2.5v7l-4-2.5" fill="none" '
              'stroke="currentColor"/></svg>')
CHECK_ICON = ('<svg aria-hidden="true" viewBox="0 0 16 16" width="16" height="16"><path d="M3 8.5l3 3 7-7" '
              'fill="none" stroke="currentColor" stroke-width="1.5"/></svg>')


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


def _length_text(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return " ".join(p for p in ((f"{hours}h" if hours else ""), (f"{rest}m" if rest else "")) if p)


def _clock_text(moment: datetime, h24: bool) -> str:
    """dayjs "h:mma" → 9:00am, "HH:mm" → 09:00 (platforms.md §2.2, [V])."""
    if h24:
        return moment.strftime("%H:%M")
    return f"{moment.hour % 12 or 12}:{moment.minute:02d}{'am' if moment.hour < 12 else 'pm'}"


def _range_text(start: datetime, end: datetime, h24: bool) -> str:
    """The sidebar's range, "2:00 – 2:30 pm" (§2.2 [V]); 24h: "14:00 – 14:30"."""
    if h24:
        return f"{start:%H:%M} – {end:%H:%M}"
    a, b = _clock_text(start, False), _clock_text(end, False)
    if a[-2:] == b[-2:]:
        return f"{a[:-2]} – {b[:-2]} {b[-2:]}"
    return f"{a[:-2]} {a[-2:]} – {b[:-2]} {b[-2:]}"


def _long_date(moment: datetime) -> str:
    return f"{moment:%A}, {MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


class BlindCalComReplica(CalComReplica):
    """Cal.com booking pages from the public facts; server logic inherited from the first build."""

    assets = Path(__file__).with_name("calcom_assets")
    cookie_banner_html = PRIVACY_DIALOG

    def __init__(
        self,
        users: Iterable[CalComUser] = (),
        teams: Iterable[CalComTeam] = (),
        *,
        now: Callable[[], datetime] | None = None,
        display_timezone: str | None = None,
        cookie_banner: bool = False,
        time_format_24h: bool = False,
        latency: tuple[float, float] = (0.3, 0.9),
        platform_hooks: bool = True,
        latency_seed: int = 20261201,
    ) -> None:
        super().__init__(users, teams, now=now, display_timezone=display_timezone, cookie_banner=cookie_banner,
                         time_format_24h=time_format_24h)
        low, high = latency
        if low < 0 or high < low:
            raise ValueError(f"latency must be (low, high) with 0 <= low <= high, not {latency!r}")
        self.latency = (float(low), float(high))
        self.platform_hooks = platform_hooks
        self._rng = random.Random(latency_seed)
        self._rng_lock = threading.Lock()
        own = [
            ("GET", r"/api/public/slots", self._page_slots),
            ("GET", rf"/team/(?P<team>{_SLUG})/(?P<slug>{_SLUG})\.md", self._team_markdown),
            ("GET", rf"/(?P<user>{_SLUG})/(?P<slug>{_SLUG})\.md", self._user_markdown),
        ]
        self._routes[:0] = [(method, re.compile(pattern), handler) for method, pattern, handler in own]

    # -- latency ------------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        if request.path.startswith(("/api/", "/v2/")):
            low, high = self.latency
            if high > 0:
                with self._rng_lock:
                    delay = self._rng.uniform(low, high)
                _time.sleep(delay)
        return super().dispatch(request)

    # -- the booker's availability endpoint ---------------------------------------------------------
    def _page_slots(self, request: Request) -> Response:
        """Starts of one month or one day in ``timeZone``, grouped by local date, /v2/slots-shaped."""
        try:
            zone = ZoneInfo(request.arg("timeZone") or "UTC")
            day, month = request.arg("date"), request.arg("month")
            if day:
                first_day = date.fromisoformat(day)
                after = first_day + timedelta(days=1)
            elif month and re.fullmatch(r"\d{4}-\d{2}", month):
                first_day = date(int(month[:4]), int(month[5:]), 1)
                after = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
            else:
                raise ValueError("month or date is required")
        except (ValueError, ZoneInfoNotFoundError) as exc:
            return Response.json({"status": "error", "error": {"code": "BadRequestException", "message": str(exc)}}, 400)
        low = datetime.combine(first_day, time(0), zone).astimezone(UTC)
        high = datetime.combine(after, time(0), zone).astimezone(UTC)
        with self.lock:
            bookable = self._by_id(request.arg("eventTypeId"))
            if bookable is None:
                return Response.json({"status": "error", "error": {"code": "NotFoundException",
                                                                   "message": "Event type not found"}}, 404)
            starts = [s for s in self._starts(bookable) if low <= s < high]
        data: dict[str, list[dict[str, str]]] = {}
        for start in starts:
            local = start.astimezone(zone)
            data.setdefault(local.date().isoformat(), []).append({"start": _iso_ms(local)})
        return Response.json({"status": "success", "data": data})

    # -- page rendering -------------------------------------------------------------------------------
    def _tid(self, name: str) -> str:
        return f' data-testid="{escape(name)}"' if self.platform_hooks else ""

    def _show_banner(self, request: Request, embed: bool = False) -> bool:
        consented = f"{CONSENT_COOKIE}=" in (request.header("cookie") or "")
        return self.cookie_banner and not embed and not consented

    def _page(self, title: str, body: str, *, banner: bool = False, props: dict[str, Any] | None = None,
              status: int = 200) -> Response:
        script = ""
        if props is not None:
            data = {"props": {"pageProps": {"now": self.now().isoformat(), "hooks": self.platform_hooks, **props}},
                    "page": props.get("page"), "buildId": "blind"}
            text = json.dumps(data, default=str).replace("</", "<\\/").replace("<!--", "<\\!--")
            script = (f'<script id="__NEXT_DATA__" type="application/json">{text}</script>'
                      f"<script>{self._js}</script>")
        html = (
            '<!DOCTYPE html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{self._css}</style></head>"
            f'<body class="css-1n3wz8q"><div id="__next">{body}</div>{script}'
            f"{self.cookie_banner_html if banner else ''}</body></html>"
        )
        return Response.html(html, status)

    def not_found(self, request: Request) -> Response:
        body = ('<main class="css-pr9x3m css-nf0d4e"><p class="css-nf0d4e-c">404</p>'
                '<h2>This page does not exist.</h2><p><a href="/">Go back home</a></p></main>')
        return self._page("404 | Cal.com", body, status=404)

    def _event_cards(self, cards: list[dict[str, Any]]) -> str:
        items = []
        for card in cards:
            badges = f'<span class="css-bd5q2n">{CLOCK_ICON}{escape(_length_text(card["length"]))}</span>'
            if card["requires_confirmation"]:
                badges += '<span class="css-bd5q2n">Requires confirmation</span>'
            items.append(f'<a{self._tid("event-type-link")} class="css-ev2k7s" href="{escape(card["href"])}">'
                         f'<h3 class="css-ev2k7s-t">{escape(card["title"])}</h3>'
                         f'<div class="css-ev2k7s-b">{badges}</div></a>')
        empty = '<p class="css-t2m8dq">No event types have been set up yet.</p>'
        return f'<div{self._tid("event-types")} class="css-ev0list">{"".join(items) or empty}</div>'

    def _profile_page(self, request: Request, user: str) -> Response:
        with self.lock:
            found = self.users.get(unquote(user))
            if found is None:
                return self.not_found(request)
            cards = [{"href": f"/{found.username}/{e.slug}", "title": e.title, "length": e.length,
                      "requires_confirmation": e.requires_confirmation} for e in found.event_types]
        body = (f'<main class="css-pr9x3m"><header class="css-pr9x3m-h">'
                f'<span class="css-av6d1w" aria-hidden="true">{escape(_initials(found.name))}</span>'
                f'<h2 class="css-pr9x3m-n">{escape(found.name)}</h2></header>{self._event_cards(cards)}</main>')
        return self._page(f"{found.name} | Cal.com", body, banner=self._show_banner(request))

    def _team_page(self, request: Request, team: str) -> Response:
        with self.lock:
            found = self.teams.get(unquote(team))
            if found is None:
                return self.not_found(request)
            cards = [{"href": f"/team/{found.slug}/{e.slug}", "title": e.title, "length": e.length,
                      "requires_confirmation": e.requires_confirmation} for e in found.event_types]
            members = [self.users[m] for m in found.members if m in self.users] if found.book_a_team_member else []
        header = (f'<header class="css-pr9x3m-h"><span class="css-av6d1w" aria-hidden="true">'
                  f'{escape(_initials(found.name))}</span><h2 class="css-pr9x3m-n">{escape(found.name)}</h2></header>')
        if not members:
            body = f'<main class="css-pr9x3m">{header}{self._event_cards(cards)}</main>'
        else:
            people = "".join(
                f'<li><a class="css-mb8r4c" href="/{quote(m.username)}"><span class="css-av6d1w css-av6d1w-s" '
                f'aria-hidden="true">{escape(_initials(m.name))}</span><span class="css-mb8r4c-n">{escape(m.name)}</span></a></li>'
                for m in members)
            body = (
                f'<main class="css-pr9x3m">{header}'
                '<div class="css-tb3n0x" role="tablist" aria-label="Team booking options">'
                '<button type="button" role="tab" id="team-tab-events" aria-controls="team-panel-events" '
                'aria-selected="true" class="css-tb3n0x-b">Event types</button>'
                '<button type="button" role="tab" id="team-tab-members" aria-controls="team-panel-members" '
                'aria-selected="false" tabindex="-1" class="css-tb3n0x-b">Book a team member</button></div>'
                f'<section role="tabpanel" id="team-panel-events" aria-labelledby="team-tab-events">{self._event_cards(cards)}</section>'
                '<section role="tabpanel" id="team-panel-members" aria-labelledby="team-tab-members" hidden>'
                f'<ul class="css-mb8r4c-l">{people}</ul></section></main>'
            )
        return self._page(f"{found.name} | Cal.com", body, banner=self._show_banner(request),
                          props={"page": "team"} if members else None)

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
            host_names = [self.users[h].name for h in bookable.hosts]
            props = {
                "page": "booker", "embed": embed,
                "event": {"id": event.id, "slug": event.slug, "title": event.title, "length": event.length,
                          "requiresConfirmation": event.requires_confirmation,
                          "fields": [{"name": f.name, "label": f.label, "type": f.type, "required": f.required}
                                     for f in event.fields]},
                "username": bookable.username, "teamSlug": bookable.team_slug,
                "displayTimezone": self.display_timezone, "force24h": self.time_format_24h,
                "lastSlot": starts[-1].isoformat() if starts else None,
                "faults": {"formNeverRenders": self.faults.form_never_renders},
            }
        who = bookable.owner_name if bookable.team_slug else ", ".join(host_names)
        avatars = "".join(f'<span class="css-av6d1w css-av6d1w-s" aria-hidden="true">{escape(_initials(n))}</span>'
                          for n in host_names[:3])
        facts = [f"<li>{CLOCK_ICON}<span>{escape(_length_text(event.length))}</span></li>",
                 f"<li>{VIDEO_ICON}<span>Cal Video</span></li>"]
        if event.requires_confirmation:
            facts.append(f"<li>{CHECK_ICON}<span>Requires confirmation</span></li>")
        facts.append('<li><span id="booker-tz-label" class="css-v1s0rz">Timezone Select</span>'
                     '<select id="booker-tz" class="css-z8j1tm" aria-labelledby="booker-tz-label"></select></li>')
        body = (
            f'<div class="css-9k2vlr{" css-e4mbd0" if embed else ""}">'
            f'<aside class="css-u7c0pa"><div class="css-u7c0pa-a">{avatars}</div>'
            f'<p class="css-t2m8dq">{escape(who)}</p><h2 class="css-h5q1xe">{escape(event.title)}</h2>'
            '<div id="booker-when" class="css-w0r7ne" hidden></div>'
            f'<ul class="css-f3a9zk">{"".join(facts)}</ul></aside>'
            '<section id="booker-main" class="css-m6b4yp" aria-busy="true">'
            '<div class="css-x4j7cd" role="status"><span class="css-v1s0rz">Loading…</span></div></section></div>'
        )
        # [V] "<Event title> | <Host name> | Cal.com"; team pages "<Event> | <Team>".
        title = f"{event.title} | {bookable.owner_name}" + ("" if bookable.team_slug else " | Cal.com")
        return self._page(title, body, banner=self._show_banner(request, embed), props=props)

    def _success_page(self, request: Request, uid: str) -> Response:
        booking = self.booking(unquote(uid))
        if booking is None or booking["hidden"]:
            return self.not_found(request)
        with self.lock:
            booking = dict(booking)
            bookable = self._by_id(booking["event_type_id"])
        fields = bookable.event.fields if bookable else []
        zone_name = self.display_timezone or booking["time_zone"] or "UTC"
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            zone_name, zone = "UTC", ZoneInfo("UTC")
        start, end = booking["start"].astimezone(zone), booking["end"].astimezone(zone)
        status = booking["status"]
        host = booking["host_name"]
        if status == "accepted":
            # [V] headline; the subtitle's wording is this build's own.
            headline, subtitle, page_title = ("This meeting is scheduled",
                                              "A calendar invitation with all the details is on its way to everyone's inbox.",
                                              "Booking Confirmed")
        elif status == "pending":
            headline, subtitle, page_title = ("Your booking has been submitted",
                                              f"{host} still needs to confirm or reject the booking. "
                                              "You will get an email once they do.", "Booking Submitted")
        elif status == "rejected":
            headline, subtitle, page_title = ("This booking has been rejected",
                                              f"{host} declined this booking request.", "Booking Rejected")
        else:
            headline, subtitle, page_title = ("This event is cancelled", "Nobody is expected at this time any more.",
                                              "Booking Cancelled")
        closed = status in ("cancelled", "rejected")
        rows = [
            ("What", f'<span{self._tid("booking-title")}>{escape(booking["title"])}</span>'),
            ("When", f'{escape(_long_date(start))}<br>{escape(_range_text(start, end, self.time_format_24h))} '
                     f'<span class="css-t2m8dq">({escape(zone_name)})</span>'),
            ("Who", f'<div><span{self._tid("booking-host-name")}>{escape(host)}</span> '
                    f'<span class="css-bd5q2n">Host</span></div><div class="css-t2m8dq">{escape(booking["host_email"])}</div>'
                    f'<div{self._tid("attendee-name-" + booking["name"])}>{escape(booking["name"])}</div>'
                    f'<div class="css-t2m8dq"{self._tid("attendee-email-" + booking["email"])}>{escape(booking["email"])}</div>'),
            ("Where", "Cal Video"),
        ]
        for custom in fields:
            answer = str(booking["responses"].get(custom.name) or "")
            if answer:
                rows.append((custom.label, escape(answer)))
        if booking["notes"]:
            rows.append(("Additional notes", escape(booking["notes"]).replace("\n", "<br>")))
        grid = "".join(f'<div class="css-sc4h2v-k">{escape(k)}</div><div class="css-sc4h2v-v">{v}</div>' for k, v in rows)
        links = "" if closed else (
            f'<p class="css-sc4h2v-f">Need to make a change? <a{self._tid("reschedule-link")} '
            f'href="/reschedule/{quote(booking["uid"])}">Reschedule</a> or <a{self._tid("cancel")} '
            f'href="/booking/{quote(booking["uid"])}?cancel=true">Cancel</a></p>')
        icon = "css-sc4h2v-i css-sc4h2v-x" if closed else "css-sc4h2v-i"
        body = (
            f'<main class="css-sc4h2v"{self._tid("success-page")}>'
            f'<div class="{icon}" aria-hidden="true">{"✕" if closed else "✓"}</div>'
            f'<h3 id="modal-headline" class="css-sc4h2v-h"{self._tid("cancelled-headline") if status == "cancelled" else ""}>'
            f"{escape(headline)}</h3><p class=\"css-t2m8dq\">{escape(subtitle)}</p>"
            f'<div class="css-sc4h2v-g">{grid}</div>{links}</main>'
        )
        return self._page(f"{page_title} | Cal.com", body)

    # -- the agent-readable summary [V] ---------------------------------------------------------------
    def _markdown(self, bookable: _Bookable | None, request: Request) -> Response:
        if bookable is None:
            return self.not_found(request)
        with self.lock:
            event = bookable.event
            hosts = ", ".join(self.users[h].name for h in bookable.hosts)
        confirmation = ("The host confirms each booking; it stays pending until they accept it."
                        if event.requires_confirmation else "Bookings are confirmed instantly.")
        text = (f"# {event.title}\n\n- Host: {hosts}\n- Duration: {event.length} minutes\n"
                f"- Time zone: {self.display_timezone or 'UTC'}\n- Event type id: {event.id}\n\n"
                f"Confirmation: {confirmation}\n")
        return Response.text(text, content_type="text/markdown")

    def _user_markdown(self, request: Request, user: str, slug: str) -> Response:
        with self.lock:
            bookable = self._user_event(unquote(user), unquote(slug))
        return self._markdown(bookable, request)

    def _team_markdown(self, request: Request, team: str, slug: str) -> Response:
        with self.lock:
            bookable = self._team_event(unquote(team), unquote(slug))
        return self._markdown(bookable, request)


REPLICA = BlindCalComReplica
