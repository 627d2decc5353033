"""Blind second build of the Calendly replica: same server contract, pages written from the public facts.

Written from research/platforms.md section 1 and the first build's server contract only (see this
package's docstring). Everything the facts leave open is chosen differently from the first build:

* pages are server-rendered HTML shells, hydrated by a separate static script
  (``/static/booking.<hash>.js``); the booking state is a ``window.__BOOKING_STATE__`` assignment;
* the calendar asks the public lookup endpoint for the event uuid first (``/d/`` links ask
  ``/api/booking/scheduling_links/<code>``), then the month's range; every ``/api/`` answer is
  delayed by ``latency`` seconds, and day buttons stay disabled until the range answers;
* picking a time and pressing "Next" loads the details URL as a new page (server-rendered form);
* the confirmation page lives at ``/booked/<invitee_uuid>`` ([U] in the facts);
* the consent banner is a modal ``<dialog>`` named "Privacy preferences", remembered by a cookie
  the server reads;
* ``platform_hooks=False`` serves a page with no ``data-*`` hooks and no hook ids at all (input
  ``name``s stay), like a newer build of the real site.

Routes (``<dt>`` is ``YYYY-MM-DDTHH:mm:ss±HH:MM``)::

    GET  /static/<file>                            script and styles
    GET  /booked/<invitee_uuid>                    confirmation page            # [U] chosen here
    GET  /<host> | /<team>                         profile / team page
    GET  /<host>/<event>[/<dt>]                    calendar, or the details form for <dt>
    GET  /d/<team>/<round_robin_slug>[/<dt>]       round-robin link (the replica picks the host)
    GET  /api/booking/...                          the first build's JSON endpoints, delayed
"""
from __future__ import annotations

import hashlib
import json
import random
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from replicas.calendly import (
    _DT, _SLUG, CalendlyEventType, CalendlyHost, CalendlyReplica, CalendlyTeam, _Bookable,
)
from replicas.server import Request, Response

ASSETS = Path(__file__).with_name("calendly_assets")
CONSENT_COOKIE = "calendly_privacy"  # [U] chosen here

_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]

ICON_CLOCK = ('<svg class="css-q1c0n" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">'
              '<circle cx="9" cy="9" r="7.5" fill="none" stroke="currentColor" stroke-width="1.6"/>'
              '<path d="M9 4.5V9l3 1.8" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>')
ICON_CAL = ('<svg class="css-q1c0n" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">'
            '<rect x="1.5" y="3" width="15" height="13" rx="2" fill="none" stroke="currentColor" stroke-width="1.6"/>'
            '<path d="M1.5 7h15M5.5 1v4M12.5 1v4" stroke="currentColor" stroke-width="1.6"/></svg>')
ICON_GLOBE = ('<svg class="css-q1c0n" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" focusable="false">'
              '<circle cx="9" cy="9" r="7.5" fill="none" stroke="currentColor" stroke-width="1.6"/>'
              '<path d="M1.5 9h15M9 1.5c3 2.5 3 12.5 0 15M9 1.5c-3 2.5-3 12.5 0 15" fill="none" stroke="currentColor" '
              'stroke-width="1.3"/></svg>')
ICON_CHECK = ('<svg class="css-9tq0ke" width="44" height="44" viewBox="0 0 44 44" aria-hidden="true" focusable="false">'
              '<circle cx="22" cy="22" r="21" fill="#1f7a4d"/><path d="M13 22.5l6.5 6.5L31.5 16" fill="none" '
              'stroke="#fff" stroke-width="3.2"/></svg>')


def _esc(text: Any) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _clock(moment: datetime) -> str:
    return f"{moment.hour % 12 or 12}:{moment.minute:02d}{'am' if moment.hour < 12 else 'pm'}"


def _long_day(moment: datetime) -> str:
    return f"{_WEEKDAYS[moment.weekday()]}, {_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def _span(start: datetime, minutes: int) -> str:
    """'9:00am – 9:30am · Wednesday, December 2, 2026' (en dash, middle dot: this build's choice)."""
    end = start + timedelta(minutes=minutes)
    return f"{_clock(start)} – {_clock(end)} · {_long_day(start)}"


def _duration(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def _zone_title(zone: str) -> str:
    return "UTC Time" if zone in ("UTC", "Etc/UTC", "Etc/Universal", "Universal", "Zulu", "Etc/Zulu") else zone.replace("_", " ")


class BlindCalendlyReplica(CalendlyReplica):
    """Calendly's public booking pages, second build. Server logic (slots, bookings, faults) is the
    first build's; routes, pages, the confirmation URL and API latency are this build's."""

    def __init__(
        self,
        hosts: Iterable[CalendlyHost] = (),
        teams: Iterable[CalendlyTeam] = (),
        *,
        now: Callable[[], datetime] | None = None,
        display_timezone: str | None = None,
        cookie_banner: bool = False,
        latency: tuple[float, float] = (0.3, 0.9),
        platform_hooks: bool = True,
        seed: int | None = None,
    ) -> None:
        super().__init__(hosts, teams, now=now, display_timezone=display_timezone, cookie_banner=cookie_banner)
        low, high = (float(latency[0]), float(latency[1]))
        if low < 0 or high < low:
            raise ValueError(f"latency must be (low, high) with 0 <= low <= high, not {latency!r}")
        self.latency = (low, high)
        self.platform_hooks = platform_hooks
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self._script = (ASSETS / "booking.js").read_text(encoding="utf-8")
        self._styles = (ASSETS / "booking.css").read_text(encoding="utf-8")
        digest = hashlib.sha1((self._script + self._styles).encode("utf-8")).hexdigest()[:10]
        self._static = {f"booking.{digest}.js": (self._script, "application/javascript"),
                        f"booking.{digest}.css": (self._styles, "text/css")}
        self._script_url = f"/static/booking.{digest}.js"
        self._styles_url = f"/static/booking.{digest}.css"

        self._routes = []  # the first build's routes are replaced; its handlers for the API stay
        self.add_route("GET", r"/favicon\.ico", lambda request: Response(204))
        self.add_route("GET", r"/__replica__/bookings", self._replica_bookings)
        self.add_route("POST", r"/__replica__/reset", self._replica_reset)
        self.add_route("GET", r"/static/(?P<name>[A-Za-z0-9_.-]+)", self._static_file)
        self.add_route("GET", r"/api/booking/event_types/lookup", self._api_lookup)
        self.add_route("GET", r"/api/booking/event_types/(?P<uuid>[^/]+)/calendar/range", self._api_range)
        self.add_route("GET", r"/api/booking/scheduling_links/(?P<code>[^/]+)", self._api_scheduling_link)
        self.add_route("POST", r"/api/booking/invitees", self._api_invitees)
        self.add_route("GET", r"/booked/(?P<invitee>[0-9A-Za-z-]+)/?", self._booked)
        self.add_route("GET", rf"/d/(?P<code>{_SLUG})/(?P<event>{_SLUG})(?:/(?P<start>{_DT}))?/?",
                       self._booking_round_robin)
        self.add_route("GET", rf"/(?P<host>{_SLUG})/(?P<event>{_SLUG})(?:/(?P<start>{_DT}))?/?", self._booking_host)
        self.add_route("GET", rf"/(?P<slug>{_SLUG})/?", self._profile)

    # -- latency ------------------------------------------------------------------------------------
    def _delay(self) -> float:
        low, high = self.latency
        if high <= 0:
            return 0.0
        with self._rng_lock:
            return self._rng.uniform(low, high)

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith("/api/"):
            delay = self._delay()
            if delay and self._stopping.wait(delay):
                return Response.json({"message": "Service unavailable"}, 503)
        return super().dispatch(request)

    def confirmation_url(self, invitee_uuid: str) -> str:
        return f"{self.url}/booked/{invitee_uuid}"

    # -- markup helpers -------------------------------------------------------------------------------
    def _hook(self, attribute: str, value: str) -> str:
        """A platform hook attribute, or nothing when the page is the hook-less newer build."""
        return f' {attribute}="{_esc(value)}"' if self.platform_hooks else ""

    def _static_file(self, request: Request, name: str) -> Response:
        found = self._static.get(name)
        if found is None:
            return Response.text("not found", 404)
        return Response.text(found[0], content_type=found[1])

    def _consent_wanted(self, request: Request) -> bool:
        if not self.cookie_banner or request.arg("hide_gdpr_banner") == "1":
            return False
        cookies = request.header("cookie") or ""
        return not any(part.strip().startswith(CONSENT_COOKIE + "=") for part in cookies.split(";"))

    def _consent_dialog(self, show: bool) -> str:
        # [V] button texts "I understand" / "Do not allow cookies" (DS); everything else is this build's.
        return (
            '<dialog class="css-8vd2mq" aria-labelledby="pp-h" aria-describedby="pp-p">'
            '<form method="dialog" class="css-w3o1nf">'
            '<h2 id="pp-h" class="css-1ylr0c">Privacy preferences</h2>'
            '<p id="pp-p" class="css-0q6v2d">This scheduling page stores small files on your device so it can '
            "work properly and so we can measure how it is used. Necessary ones are always on.</p>"
            '<div class="css-r5u1hx">'
            '<button class="css-5bx0t1" value="all" autofocus>I understand</button>'
            '<button class="css-7yq3pa" value="necessary">Do not allow cookies</button></div></form></dialog>'
            "<script>(function(){var d=document.currentScript.previousElementSibling;"
            "d.addEventListener('cancel',function(e){e.preventDefault();});"
            "d.addEventListener('close',function(){document.cookie='" + CONSENT_COOKIE + "='+(d.returnValue||'necessary')"
            "+'; path=/; SameSite=Lax';});"
            "window.__openPrivacy=function(){if(!d.open)d.showModal();};"
            + ("d.showModal();" if show else "") + "})();</script>"
        )

    def _document(self, request: Request, title: str, body: str, state: dict[str, Any], status: int = 200) -> Response:
        state = {"now": self.now().isoformat(), "hooks": self.platform_hooks, **state}
        data = json.dumps(state, default=str).replace("</", "<\\/").replace("<!--", "<\\!--")
        html = (
            "<!DOCTYPE html>\n<html lang=\"en\" class=\"css-h7m1rw\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_esc(title)}</title><link rel=\"stylesheet\" href=\"{self._styles_url}\"></head>"
            f"<body class=\"css-3kq8zn\"><div class=\"css-0m3n8x\">{body}</div>"
            '<footer class="css-f2xk0p"><button type="button" class="css-u8kd3e" '
            'onclick="window.__openPrivacy&&window.__openPrivacy()">Cookie settings</button>'
            '<a class="css-u8kd3e" href="https://calendly.com/pages/report-abuse" rel="nofollow">Report abuse</a>'
            '<a class="css-b4dg3z" href="https://calendly.com/" rel="nofollow"><span class="css-v9ly1a">powered by</span> '
            "<strong>Calendly</strong></a></footer>"
            f"{self._consent_dialog(self._consent_wanted(request))}"
            f"<script>window.__BOOKING_STATE__={data};</script>"
            f"<script src=\"{self._script_url}\" defer></script></body></html>"
        )
        return Response.html(html, status)

    def _side_panel(self, owner: str, event: CalendlyEventType, extra: str = "", hidden_details: bool = False) -> str:
        # [S] data-container="side-panel" kept; present on every booking step (calendar, times, form).
        return (
            f'<aside class="css-s1d3pn"{self._hook("data-container", "side-panel")} aria-label="Event details"'
            f'{" hidden" if hidden_details else ""}>'
            f'<p class="css-9xk2ow">{_esc(owner)}</p>'
            f'<h2 class="css-e4tl7m">{_esc(event.title)}</h2>'
            f'<ul class="css-m0t4aq"><li class="css-k2bf9c">{ICON_CLOCK}<span>{_esc(_duration(event.duration_minutes))}</span></li>'
            f"{extra}</ul></aside>"
        )

    # -- pages ----------------------------------------------------------------------------------------
    def not_found(self, request: Request) -> Response:
        body = ('<main class="css-n0f4dd"><h2 class="css-1ylr0c">We couldn\'t find that page</h2>'
                "<p>The link may be mistyped, or the event may no longer be offered.</p></main>")
        return self._document(request, "Calendly - Page not found", body, {"page": "missing"}, 404)

    def _profile(self, request: Request, slug: str) -> Response:
        slug = unquote(slug)
        with self.lock:
            host, team = self.hosts.get(slug), self.teams.get(slug)
            if host is not None:
                name, cards = host.name, [(host, e) for e in host.event_types]
                intro = "Pick a meeting below to see my open times."
            elif team is not None:
                name = team.name
                cards = [(self.hosts[m], e) for m in team.members if m in self.hosts for e in self.hosts[m].event_types]
                intro = "Book time with someone on our team."
            else:
                return self.not_found(request)
            team_page = team is not None and host is None
            items = []
            for owner, event in cards:
                # [S] data-id="event-type-header-title" kept; the host line ([U]) sits above the title.
                host_line = f'<span class="css-7hn2ad">{_esc(owner.name)}</span>' if team_page else ""
                items.append(
                    f'<li class="css-l1c8rd"><a class="css-c4rd0a" href="/{quote(owner.slug)}/{quote(event.slug)}">'
                    '<span class="css-p1p5zx" aria-hidden="true"></span><span class="css-b0dy1k">'
                    f'{host_line}<div class="css-t1t1e9"{self._hook("data-id", "event-type-header-title")}>'
                    f"{_esc(event.title)}</div>"
                    f'<span class="css-g7d0ra">{_esc(_duration(event.duration_minutes))}, one-on-one</span></span>'
                    '<span class="css-ch3vr0" aria-hidden="true">›</span></a></li>'
                )
        initials = "".join(w[0].upper() for w in name.split()[:2])
        body = (
            '<main class="css-pf8a2m"><header class="css-hd0p3q">'
            f'<span class="css-av4t4r" aria-hidden="true">{_esc(initials)}</span>'
            f'<h2 class="css-1ylr0c">{_esc(name)}</h2><p class="css-0q6v2d">{_esc(intro)}</p></header>'
            f'<ul class="css-lst9fe" aria-label="Event types">{"".join(items)}</ul></main>'
        )
        return self._document(request, f"{name} | Calendly", body, {"page": "profile"})

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
            fault_no_form = self.faults.details_form_never_renders
            state = {
                "page": "details" if selected else "calendar",
                "event_path": bookable.path,
                "owner": {"name": bookable.owner_name, "kind": "team" if bookable.team_slug else "user"},
                "lookup": ({"link": f"/api/booking/scheduling_links/{quote(bookable.owner_slug)}"} if bookable.team_slug
                           else {"profile_slug": bookable.owner_slug, "event_type_slug": event.slug}),
                "event": {"title": event.title, "duration": event.duration_minutes, "split_name": event.split_name,
                          "questions": list(event.questions), "required": event.required_questions},
                "display_timezone": self.display_timezone,
                "horizon": starts[-1].isoformat() if starts else None,
                "start": selected.isoformat(timespec="seconds") if selected else None,
                "stalls": fault_no_form,
            }
        hide_details = request.arg("hide_event_type_details") == "1"
        if selected is None:
            return self._document(request, "Select a Date & Time - Calendly",
                                  self._calendar_body(bookable, hide_details), state)
        return self._document(request, "Your details - Calendly",
                              self._details_body(request, bookable, selected, fault_no_form, hide_details), state)

    def _calendar_body(self, bookable: _Bookable, hide_details: bool) -> str:
        calendar_hook = self._hook("data-testid", "calendar")  # [S] kept
        return (
            '<div class="css-w8p0c1">'
            + self._side_panel(bookable.owner_name, bookable.event, hidden_details=hide_details)
            + '<main class="css-m4in0x"><h1 class="css-h1x0rq">Select a Date &amp; Time</h1>'
            '<div class="css-c0l5ab">'
            f'<section class="css-k8lnd2"{calendar_hook} aria-label="Calendar">'
            '<div class="css-sp1n0r" role="progressbar" aria-label="Loading availability"><span></span></div>'
            "</section>"
            '<section class="css-t1m3zq" aria-label="Available times" hidden></section></div>'
            '<div class="css-tz0ne1"><p class="css-tzl4b3">Time zone</p>'
            '<button type="button" class="css-tzb7t0" aria-haspopup="menu" aria-expanded="false" '
            f'aria-label="Time zone">{ICON_GLOBE}<span class="css-tzt8x1">Detecting…</span>'
            '<span class="css-c4r3t9" aria-hidden="true"> ▾</span></button></div>'
            '<div class="css-sr0nly" role="status" aria-live="polite"></div></main></div>'
        )

    def _field(self, label: str, control: str, required: bool, hint_id: str) -> str:
        star = '<span class="css-r3q0st" aria-hidden="true"> *</span>' if required else ""
        return (f'<div class="css-f13ld0"><label class="css-l4b3lx"><span class="css-l7xt0p">{_esc(label)}{star}</span>'
                f'{control}</label><p class="css-3rr0r1" id="{hint_id}" hidden></p></div>')

    def _input(self, name: str, kind: str, required: bool, value: str, autocomplete: str = "",
               hook_id: str | None = None) -> str:
        ident = f' id="{hook_id}"' if hook_id and self.platform_hooks else ""  # [S] older-build ids kept
        auto = f' autocomplete="{autocomplete}"' if autocomplete else ""
        req = ' required aria-required="true"' if required else ""
        return (f'<input class="css-1np7tz" type="{kind}" name="{name}"{ident}{auto}{req} '
                f'value="{_esc(value)}" aria-describedby="err-{name}">')

    def _details_body(self, request: Request, bookable: _Bookable, selected: datetime, stalls: bool,
                      hide_details: bool) -> str:
        event = bookable.event
        local = selected  # the URL's own offset; the script re-renders it in the page's zone
        day = local.date().isoformat()
        back = f"{bookable.path}?month={day[:7]}&date={day}"
        extra = (f'<li class="css-k2bf9c">{ICON_CAL}<span class="css-wh3n0w">{_esc(_span(local, event.duration_minutes))}</span></li>'
                 f'<li class="css-k2bf9c">{ICON_GLOBE}<span class="css-z0n3nm"></span></li>')
        panel = self._side_panel(bookable.owner_name, event, extra, hidden_details=hide_details)
        if stalls:  # fault: the form never appears, only its loading state
            main = ('<main class="css-m4in0x"><div class="css-sp1n0r" role="progressbar" aria-label="Loading">'
                    "<span></span></div></main>")
            return f'<div class="css-w8p0c1">{panel}{main}</div>'
        q = {k: v[0] for k, v in request.query.items() if v}
        full = q.get("name") or " ".join(p for p in (q.get("first_name"), q.get("last_name")) if p)
        first = q.get("first_name") or (q.get("name") or "").split(" ")[0]
        last = q.get("last_name") or " ".join((q.get("name") or "").split(" ")[1:])
        if event.split_name:
            names = (self._field("First name", self._input("first_name", "text", True, first, "given-name"), True, "err-first_name")
                     + self._field("Last name", self._input("last_name", "text", True, last, "family-name"), True, "err-last_name"))
        else:
            names = self._field("Full name", self._input("full_name", "text", True, full, "name", "full_name_input"),
                                True, "err-full_name")
        email = self._field("Email address", self._input("email", "email", True, q.get("email", ""), "email", "email_input"),
                            True, "err-email")
        questions = ""
        for position, question in enumerate(event.questions):
            name = f"question_{position}"
            value = q.get(f"a{position + 1}", "") if position < 10 else ""
            req = ' required aria-required="true"' if event.required_questions else ""
            control = (f'<textarea class="css-1np7tz css-txa9r2" name="{name}" rows="4"{req} '
                       f'aria-describedby="err-{name}">{_esc(value)}</textarea>')
            questions += self._field(question, control, event.required_questions, f"err-{name}")
        guests = (
            '<div class="css-gu35ts"><button type="button" class="css-0utl1n">Add Guests</button>'
            '<div class="css-f13ld0" hidden><label class="css-l4b3lx"><span class="css-l7xt0p">Guest emails</span>'
            '<input class="css-1np7tz" type="text" name="guests" autocomplete="off"></label>'
            '<p class="css-h1nt0p">Separate addresses with commas. Up to 10 guests.</p></div></div>'
        )
        main = (
            '<main class="css-m4in0x">'
            f'<a class="css-b4ck0a" href="{_esc(back)}"><span aria-hidden="true">‹ </span>Back</a>'
            '<h1 class="css-h1x0rq" id="details-h">Your details</h1>'
            '<form class="css-f0rm3d" novalidate aria-labelledby="details-h">'
            '<div class="css-4l3rt0" role="alert" hidden></div>'
            f"{names}{email}{guests}{questions}"
            '<p class="css-t3rm5x">By continuing you agree to the Terms of Use and acknowledge the Privacy Notice.</p>'
            '<button type="submit" class="css-sbm1t0"><span class="css-sp1n1i" aria-hidden="true"></span>Schedule Event</button>'
            "</form></main>"
        )
        return f'<div class="css-w8p0c1">{panel}{main}</div>'

    def _booked(self, request: Request, invitee: str) -> Response:
        with self.lock:
            booking = next((b for b in self.bookings if b["invitee_uuid"] == invitee), None)
            if booking is None:
                return self.not_found(request)
            booking = dict(booking)
        try:
            zone = ZoneInfo(booking["timezone"] or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        start = booking["start_time"].astimezone(zone)
        minutes = int((booking["end_time"] - booking["start_time"]).total_seconds() // 60)
        body = (
            '<main class="css-c0nf1r">'
            f'<div class="css-6k0x1s">{ICON_CHECK}<p class="css-3y3br0">Confirmed</p></div>'
            '<h2 class="css-1ylr0c">You are scheduled</h2>'
            f'<p class="css-0q6v2d">A calendar invitation has been sent to your email address.</p>'
            '<dl class="css-d3t4l5">'
            f'<div><dt>What</dt><dd>{_esc(booking["event_title"])}</dd></div>'
            f'<div><dt>With</dt><dd>You are scheduled with {_esc(booking["host_name"])}</dd></div>'
            f'<div><dt>When</dt><dd>{_esc(_span(start, minutes))}</dd></div>'
            f'<div><dt>Time zone</dt><dd>{_esc(_zone_title(zone.key))}</dd></div>'
            f'<div><dt>Invitee</dt><dd>{_esc(booking["name"])} &lt;{_esc(booking["email"])}&gt;</dd></div>'
            "</dl>"
            f'<a class="css-u8kd3e" href="{_esc(booking["path"])}">Schedule another meeting</a></main>'
        )
        state = {"page": "booked", "event_uuid": booking["event_uuid"], "invitee_uuid": booking["invitee_uuid"]}
        return self._document(request, "Event Scheduled - Calendly", body, state)


REPLICA = BlindCalendlyReplica
