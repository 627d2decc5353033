"""Blind second build of the HubSpot Meetings replica.

Written from /work/shared/research/platforms.md §3 and §6 and the first build's server contract only.
The server logic (links, round robin, offline mode, availability, bookings, faults) is inherited from
:class:`replicas.hubspot.HubSpotReplica`; this build serves its own page:

* an HTML shell whose app (``hubspot_assets/app.js``, loaded as an external script, not inlined) reads
  a preloaded state from ``window.__MEETINGS_BOOT__`` and renders CHOOSE TIME, YOUR INFO and the
  confirmation in a layout with a side panel that stays on every step;
* every API call the page makes (``availability-page`` [S] and the booking POST) answers after a
  random delay in ``latency`` drawn from a ``random.Random(seed)`` owned here; HTML and assets stay fast;
* the booking POST goes to ``/meetings-public/v3/book/submit`` ([U] invented path, like the first
  build's; the first build's ``/meetings-public/v3/book`` still answers, for API clients);
* a consent dialog "Privacy preferences" (native ``<dialog>`` opened modal) instead of the first
  build's banner.

Routes::

    GET  /<user>[/<slug>]                             the meetings page (?embed=true, ?uuid=, prefill)
    GET  /_hs/meetings/<name>.(js|css)                the app's assets
    GET  /meetings-public/v3/book/availability-page   (inherited, delayed)
    POST /meetings-public/v3/book/submit?slug=        book (the inherited logic, delayed)
"""
from __future__ import annotations

import json
import random
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote

from replicas.hubspot import HubSpotLink, HubSpotReplica, HubSpotUser
from replicas.server import Request, Response
from replicas.site import escape

_ASSET_VERSION = "b7e21c"

# [U] invented: wording, ids and structure are this build's own. A modal native <dialog> covering the page.
PRIVACY_DIALOG = (
    '<dialog id="pp-consent" class="css-q81vd0" aria-labelledby="pp-consent-title" aria-describedby="pp-consent-text">'
    '<form method="dialog" class="css-1n0x3aa">'
    '<h2 id="pp-consent-title" class="css-7fk2mq">Privacy preferences</h2>'
    '<p id="pp-consent-text">We and our partners use cookies and similar technologies to run this scheduling page, '
    "remember your choices and measure how it is used. You can allow all of them or keep only the necessary ones.</p>"
    '<div class="css-y3p0vh">'
    '<button value="necessary" class="css-0l2kq9 secondary" '
    "onclick=\"document.cookie='pp_consent=necessary; path=/'\">Only necessary</button>"
    '<button value="all" class="css-0l2kq9" '
    "onclick=\"document.cookie='pp_consent=all; path=/'\">Allow all</button>"
    "</div></form></dialog>"
    "<script>(function(){var d=document.getElementById('pp-consent');"
    "if(d&&d.showModal){d.showModal();}else if(d){d.setAttribute('open','');}})();</script>"
)


class BlindHubSpotReplica(HubSpotReplica):
    assets = Path(__file__).with_name("hubspot_assets")
    cookie_banner_html = PRIVACY_DIALOG

    def __init__(
        self,
        users: Iterable[HubSpotUser] = (),
        links: Iterable[HubSpotLink] = (),
        *,
        now: Callable[[], Any] | None = None,
        display_timezone: str | None = None,
        cookie_banner: bool = False,
        latency: tuple[float, float] = (0.3, 0.9),
        platform_hooks: bool = True,
        seed: int = 0,
    ) -> None:
        low, high = latency
        if low < 0 or high < low:
            raise ValueError(f"latency must be (low, high) with 0 <= low <= high, got {latency!r}")
        self.latency = (float(low), float(high))
        self.platform_hooks = platform_hooks  # HubSpot has no known DOM hooks: accepted, nothing changes
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        super().__init__(users, links, now=now, display_timezone=display_timezone, cookie_banner=cookie_banner)
        self.add_route("POST", r"/meetings-public/v3/book/submit", self._book)
        self.add_route("GET", r"/_hs/meetings/(?P<name>app|styles)-(?P<version>[0-9a-f]+)\.(?P<ext>js|css)", self._asset)
        # Every API request answers late; HTML pages and assets stay fast.
        self._routes = [(m, p, self._slowed(h) if p.pattern.startswith("/meetings-public/") else h)
                        for m, p, h in self._routes]

    # -- latency ----------------------------------------------------------------------------------------
    def _delay(self) -> float:
        low, high = self.latency
        if high <= 0:
            return 0.0
        with self._rng_lock:
            return self._rng.uniform(low, high)

    def _slowed(self, handler: Callable[..., Response]) -> Callable[..., Response]:
        def slowed(request: Request, **groups: str) -> Response:
            wait = self._delay()
            if wait:
                time.sleep(wait)
            return handler(request, **groups)
        return slowed

    # -- assets and pages -------------------------------------------------------------------------------
    def _asset(self, request: Request, name: str, version: str, ext: str) -> Response:
        if ext == "js" and name == "app":
            return Response.text(self._js, content_type="text/javascript")
        if ext == "css" and name == "styles":
            return Response.text(self._css, content_type="text/css")
        return Response.text("not found", 404)

    def _shell(self, title: str, boot: dict[str, Any], status: int = 200, banner: bool = False) -> Response:
        boot = {"origin": self.url, "serverTime": self.now().isoformat(), **boot}
        data = json.dumps(boot, default=str).replace("</", "<\\/").replace("<!--", "<\\!--")
        html = (
            "<!doctype html>\n<html lang=\"en-US\" class=\"css-html\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title>"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<link rel=\"stylesheet\" href=\"/_hs/meetings/styles-{_ASSET_VERSION}.css\">"
            f"<script>window.__MEETINGS_BOOT__ = {data};</script>"
            f"<script src=\"/_hs/meetings/app-{_ASSET_VERSION}.js\" defer></script>"
            "</head><body class=\"css-b0dy4x\">"
            "<div id=\"hs-meetings-app\" class=\"css-1k2fz0\"><div class=\"css-boot-spin\" aria-hidden=\"true\"></div></div>"
            f"{self.cookie_banner_html if banner else ''}</body></html>"
        )
        return Response.html(html, status)

    def not_found(self, request: Request) -> Response:
        return self._shell("Meeting link not found", {"view": "missing"}, 404)

    def _page(self, request: Request, slug: str) -> Response:
        with self.lock:
            link = self.links.get(unquote(slug))
            if link is None:
                return self.not_found(request)
            owners = [self.users[o] for o in link.owners if o in self.users]
            team = len(owners) > 1
            boot = {
                "view": "book",
                "link": {
                    "slug": link.slug, "name": link.title, "durations": list(link.durations),
                    "location": link.location, "offline": link.offline, "team": team,
                    "organizer": (link.company_name if team and link.company_name else (owners[0].name if owners else "")),
                    "questions": [{"key": f.name, "label": f.label, "kind": f.type, "mandatory": f.required}
                                  for f in link.fields],
                },
                "zone": self.display_timezone,
                "embedded": request.arg("embed") == "true",
                "broken": {"noInfoStep": self.faults.info_step_never_renders},
            }
        return self._shell(link.title, boot, banner=self.cookie_banner and request.arg("embed") != "true")


REPLICA = BlindHubSpotReplica
