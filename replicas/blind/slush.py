"""Blind second build of the Slush matchmaking replica (Brella-style), written from
research/platforms.md §5 and the first build's server contract only.

Same URLs, JSON API, meetings, quota, host-side ``/__replica__/…`` endpoints and fault switches as
:class:`replicas.slush.SlushReplica` (all inherited); what differs is everything a person sees and
everything the facts leave open:

- pages are server-rendered shells (header, nav, an always-present "Meeting Requests Remaining"
  side panel, a skeleton where the data will be) that ``slush_assets/slush.js`` fills from the
  same API, every ``/api/`` answer delayed by ``latency`` seconds;
- "Log in" (not "Sign in"), a form whose inputs are named by wrapping labels only;
- the People tab is a table, the profile a modal ``<dialog>``, slots are radio buttons grouped
  per day in fieldsets, 12-hour clock ("8:00 AM – 8:15 AM your time");
- the request is confirmed inside the dialog ("Meeting request sent") instead of a page change;
- the meeting page shows its status as "Request pending", "Confirmed", … and "Meeting point:
  Table N";
- an optional consent dialog ("Privacy preferences": "Allow all" / "Only necessary").

No ``data-*`` platform hooks at all (§5 marks none [V]; the first build's are [U]), so
``platform_hooks`` is accepted for symmetry and changes nothing.
"""
from __future__ import annotations

import json
import random
import re
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import quote

from replicas.mail import MailSink, discard
from replicas.server import Request, Response
from replicas.slush import SlushAccount, SlushAttendee, SlushReplica

ASSETS = Path(__file__).with_name("slush_assets")
JS_PATH = "/static/js/slush.9c41e2.js"     # [U] invented asset URLs (hashed, as bundlers name them)
CSS_PATH = "/static/css/slush.4b07aa.css"
CONSENT_COOKIE = "slush_privacy"          # [U] invented


def _esc(text: Any) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


# [U] invented consent dialog: modal (showModal at first paint), so the page behind is inert.
PRIVACY_DIALOG = (
    '<dialog id="privacy-preferences" class="css-p7k2d1" aria-labelledby="pp-title-31" '
    'aria-describedby="pp-text-31">'
    '<h2 id="pp-title-31" class="css-1q0b9x">Privacy preferences</h2>'
    '<p id="pp-text-31">Slush and its partners store small files on your device to keep you logged in and, '
    'if you allow it, to measure how the matchmaking app is used.</p>'
    '<div class="css-9dd2k0">'
    '<button type="button" class="css-b3k1s0 css-b3k1s0--ghost" value="necessary">Only necessary</button>'
    '<button type="button" class="css-b3k1s0" value="all">Allow all</button></div></dialog>'
    "<script>(function(){var d=document.getElementById('privacy-preferences');"
    "d.addEventListener('cancel',function(e){e.preventDefault();});"
    "d.querySelectorAll('button').forEach(function(b){b.addEventListener('click',function(){"
    f"document.cookie='{CONSENT_COOKIE}='+b.value+'; path=/; SameSite=Lax';d.close();"
    "});});d.showModal();})();</script>"
)


class BlindSlushReplica(SlushReplica):
    """The Slush matchmaking app as a second, independent page over the same server logic."""

    def __init__(
        self,
        attendees: Iterable[SlushAttendee] = (),
        accounts: Iterable[SlushAccount] = (),
        *,
        event_slug: str = "slush2026",
        event_name: str = "Slush 2026",
        now: Callable[[], datetime] | None = None,
        mail_sink: MailSink = discard,
        first_table: int = 1,
        latency: tuple[float, float] = (0.3, 0.9),
        platform_hooks: bool = True,
        cookie_banner: bool = False,
        seed: int = 2026,
    ) -> None:
        super().__init__(attendees, accounts, event_slug=event_slug, event_name=event_name, now=now,
                         mail_sink=mail_sink, first_table=first_table)
        self.latency = (float(latency[0]), float(latency[1]))
        self.platform_hooks = platform_hooks  # nothing to switch: this build has no platform hooks
        self.cookie_banner = cookie_banner
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        # The first build's bundle URLs stay routed (same URLs) but serve this build's code.
        self._js = (ASSETS / "slush.js").read_text(encoding="utf-8")
        self._css = (ASSETS / "slush.css").read_text(encoding="utf-8")
        own = [
            ("GET", JS_PATH, lambda r: Response.text(self._js, content_type="text/javascript")),
            ("GET", CSS_PATH, lambda r: Response.text(self._css, content_type="text/css")),
        ]
        for method, pattern, handler in reversed(own):
            self._routes.insert(0, (method, re.compile(re.escape(pattern)), handler))

    # -- latency on every API call the page makes ----------------------------------------------------
    def _delay(self) -> float:
        low, high = self.latency
        if high <= 0:
            return 0.0
        with self._rng_lock:
            return self._rng.uniform(low, high)

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith("/api/"):
            pause = self._delay()
            if pause > 0:
                time.sleep(pause)
        return super().dispatch(request)

    # -- pages ---------------------------------------------------------------------------------------------
    def _consented(self, request: Request) -> bool:
        cookies = request.header("cookie") or ""
        return any(part.strip().startswith(CONSENT_COOKIE + "=") for part in cookies.split(";"))

    def _page_sign_in(self, request: Request, slug: str) -> Response:
        if slug != self.event_slug:
            return self.not_found(request)
        target = request.arg("next") or f"/events/{slug}/people"
        if not target.startswith("/") or target.startswith("//"):
            target = f"/events/{slug}/people"
        with self.lock:
            account = self._login(request)
        if account is not None:
            return Response.redirect(target, 302)
        body = (
            '<main class="css-l0g1n5"><div class="css-c4rd77">'
            f'<h1 class="css-3vt9na">{_esc(self.event_name)}</h1>'
            '<h2 class="css-h2x0qq">Log in</h2>'
            '<p class="css-mut3d0">Use the e-mail address and password of your event ticket.</p>'
            '<form class="css-f0rm8a" novalidate>'
            '<label class="css-lb41zz"><span>Email address</span>'
            '<input type="email" autocomplete="username" required spellcheck="false"></label>'
            '<label class="css-lb41zz"><span>Password</span>'
            '<input type="password" autocomplete="current-password" required></label>'
            '<div class="css-err0r1" aria-live="assertive"></div>'
            '<button type="submit" class="css-b3k1s0">Log in</button>'
            "</form></div></main>"
        )
        return self._shell("Log in", body, request, {"page": "login", "next": target})

    def _page(self, name: str) -> Callable[..., Response]:
        def handler(request: Request, slug: str, **groups: str) -> Response:
            if slug != self.event_slug:
                return self.not_found(request)
            with self.lock:
                account = self._login(request)
                me = {"name": account.name, "company": account.company} if account else None
            if me is None:
                target = request.path + (f"?profile={request.arg('profile')}" if request.arg("profile") else "")
                return Response.redirect(f"/events/{slug}/sign-in?next={quote(target, safe='')}", 302)
            state: dict[str, Any] = {"page": name, "me": me}
            if name == "people":
                state["profile"] = request.arg("profile")
                title, main = "People", self._people_main()
            elif name == "schedule":
                title, main = "Schedule", self._schedule_main()
            else:
                state["meeting"] = groups["meeting_id"]
                title, main = "Meeting request", self._meeting_main()
            body = self._header(name, me["name"]) + (
                f'<div class="css-w2a8pl">{main}{self._side_panel()}</div>')
            return self._shell(title, body, request, state)

        return handler

    def _header(self, active: str, who: str) -> str:
        def link(path: str, text: str, key: str) -> str:
            current = ' aria-current="page" class="css-n4v1tm css-n4v1tm--on"' if key == active else ' class="css-n4v1tm"'
            return f'<li><a href="/events/{self.event_slug}{path}"{current}>{text}</a></li>'

        return (
            '<header class="css-hd0r3k">'
            f'<a class="css-l0g0aa" href="/events/{self.event_slug}/people">{_esc(self.event_name)} · Matchmaking</a>'
            '<nav aria-label="Event" class="css-nv91x2"><ul>'
            + link("/people", "People", "people") + link("/schedule", "Schedule", "schedule") +
            f'</ul></nav><p class="css-wh0am1">Logged in as {_esc(who)}</p></header>'
        )

    @staticmethod
    def _skeleton(rows: int, cls: str = "css-sk3l00") -> str:
        return "".join(f'<div class="{cls}" aria-hidden="true"></div>' for _ in range(rows))

    def _people_main(self) -> str:
        skeleton_rows = "".join(
            '<tr class="css-r0wsk1" aria-hidden="true"><td><span class="css-sk3l00"></span></td>'
            '<td><span class="css-sk3l00"></span></td><td><span class="css-sk3l00"></span></td></tr>'
            for _ in range(4))
        return (
            '<main class="css-m41n0p" aria-labelledby="people-title-8">'
            '<h1 id="people-title-8" class="css-3vt9na">People</h1>'
            '<p class="css-mut3d0">Your best matches. Suggest a meeting to someone and pick one of their free '
            "networking slots.</p>"
            '<div class="css-s34rch"><label for="people-q-8">Search by name or company</label>'
            '<input id="people-q-8" type="search" autocomplete="off" placeholder="Search"></div>'
            '<p class="css-st4tus" role="status">Loading attendees…</p>'
            '<table class="css-t4bl3x"><caption class="css-vh1dd3">Attendees</caption>'
            '<thead><tr><th scope="col">Name</th><th scope="col">Company</th>'
            '<th scope="col"><span class="css-vh1dd3">Actions</span></th></tr></thead>'
            f'<tbody aria-busy="true">{skeleton_rows}</tbody></table></main>'
        )

    def _meeting_main(self) -> str:
        return (
            '<main class="css-m41n0p" aria-busy="true">'
            '<h1 class="css-3vt9na">Meeting request</h1>'
            f'<div class="css-m33t1n">{self._skeleton(5)}</div></main>'
        )

    def _schedule_main(self) -> str:
        return (
            '<main class="css-m41n0p" aria-busy="true">'
            '<h1 class="css-3vt9na">My schedule</h1>'
            '<p class="css-mut3d0">Meetings that were accepted, with where to meet.</p>'
            f'<div class="css-sch3d0">{self._skeleton(3, "css-sk3l00 css-sk3l00--tall")}</div></main>'
        )

    @staticmethod
    def _side_panel() -> str:
        return (
            '<aside class="css-s1d3pn" aria-labelledby="quota-title-8" aria-busy="true">'
            '<h2 id="quota-title-8" class="css-h2x0qq">Meeting Requests Remaining</h2>'
            '<p class="css-qu0t4n"><span class="css-b1gnum">…</span></p>'
            '<p class="css-mut3d0">Your ticket limits how many requests you can send. A declined or cancelled '
            "request gives one back.</p></aside>"
        )

    def _shell(self, title: str, body: str, request: Request, state: dict[str, Any]) -> Response:
        state = {**state, "slug": self.event_slug, "event": self.event_name,
                 "api": f"/api/events/{self.event_slug}", "now": self.now().isoformat(), "minutes": 15}
        data = json.dumps(state).replace("</", "<\\/").replace("<!--", "<\\!--")
        banner = PRIVACY_DIALOG if self.cookie_banner and not self._consented(request) else ""
        html = (
            "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_esc(title)} – {_esc(self.event_name)} matchmaking</title>"
            f"<link rel=\"stylesheet\" href=\"{CSS_PATH}\"></head>"
            f"<body class=\"css-b0dy00\">{body}"
            f"<script>window.__SLUSH_EVENT__ = {data};</script>"
            f"<script src=\"{JS_PATH}\" defer></script>{banner}</body></html>"
        )
        return Response.html(html)

    # -- the API: same answers, plus whether the message box may open (the fault, read late) ------------
    def _api_timeslots(self, request: Request, slug: str, attendee_id: str) -> Response:
        response = super()._api_timeslots(request, slug, attendee_id)
        if response.status == 200:
            data = json.loads(response.body)
            data["compose"] = not self.faults.request_form_never_opens
            response = Response.json(data)
        return response


REPLICA = BlindSlushReplica
