"""A startup's own website with a booking widget on it: Calendly inline, Cal.com, HubSpot, Chili Piper.

Each widget is the markup the vendor's snippet asks site owners to paste (research/platforms.md
§1.1, §2.1, §3.1, §4.1) plus a stand-in for the vendor's loader script, served by this site, that
turns the markup into an iframe the way the real one does (Calendly's ``widget.js``, Cal.com's
``embed.js``, HubSpot's ``MeetingsEmbedCode.js``). ``script_blocked=True`` leaves the markup
without its iframe, as a content blocker or a failed CDN would.

Usage::

    with StartupSite() as site:
        site.add_page("/meet", "Meet Acme", calendly_inline(calendly.event_url("alice-acme", "intro")))
        driver.get(site.page_url("/meet"))
"""
from __future__ import annotations

import json
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Callable
from urllib.parse import urlsplit

from .fault_world import PlatformWorld, counter, mine, switch
from .mail import MailSink
from .server import LoopbackServer, Request, Response
from .site import COOKIE_BANNER, escape
from .world import build_chilipiper


@dataclass
class Snippet:
    """The markup to paste and the loader script (a path on this site) that brings it to life."""

    markup: str
    script: str | None = None


# -- the vendors' snippets -----------------------------------------------------------------------------
def calendly_inline(url: str) -> Snippet:
    sep = "&" if "?" in url else "?"
    return Snippet(f'<div class="calendly-inline-widget" data-url="{escape(url + sep + "hide_gdpr_banner=1")}" '
                  'style="min-width:320px;height:760px;"></div>', "/assets/external/widget.js")


def calcom_inline(origin: str, link: str, namespace: str = "intro") -> Snippet:
    config = json.dumps({"origin": origin, "link": link, "namespace": namespace})
    return Snippet(f'<div id="my-cal-inline" style="width:100%;height:760px;overflow:scroll" '
                  f"data-cal-inline='{escape(config)}'></div>", "/embed/embed.js")


def calcom_popup_button(origin: str, link: str) -> Snippet:
    return Snippet(f'<button type="button" data-cal-link="{escape(link)}" data-cal-origin="{escape(origin)}" '
                  'data-cal-config=\'{"layout":"month_view"}\'>Book a call</button>', "/embed/embed.js")


def hubspot_container(url: str) -> Snippet:
    sep = "&" if "?" in url else "?"
    return Snippet(f'<div class="meetings-iframe-container" data-src="{escape(url + sep + "embed=true")}"></div>',
                  "/MeetingsEmbed/ex/MeetingsEmbedCode.js")


def chilipiper_concierge(frame_url: str) -> Snippet:
    """The router's iframe as Chili Piper's script opens it after the site's own form was sent."""
    return Snippet(f'<iframe title="Schedule a time | Chili Piper" src="{escape(frame_url)}" '
                  'style="width:100%;height:760px;border:0"></iframe>')


# -- stand-ins for the loader scripts --------------------------------------------------------------------
_CALENDLY_WIDGET_JS = """
document.querySelectorAll('.calendly-inline-widget[data-url]').forEach(function (el) {
  var url = el.getAttribute('data-url');
  var iframe = document.createElement('iframe');
  iframe.src = url + (url.indexOf('?') < 0 ? '?' : '&') + 'embed_domain=' + encodeURIComponent(location.host) + '&embed_type=Inline';
  iframe.width = '100%'; iframe.height = '100%'; iframe.setAttribute('frameborder', '0');
  iframe.title = 'Select a Date & Time - Calendly';
  el.appendChild(iframe);
});
"""
_CALCOM_EMBED_JS = """
document.querySelectorAll('[data-cal-inline]').forEach(function (el) {
  var c = JSON.parse(el.getAttribute('data-cal-inline'));
  var holder = document.createElement('cal-inline');
  holder.style.display = 'block'; holder.style.height = '100%';
  var iframe = document.createElement('iframe');
  iframe.className = 'cal-embed'; iframe.name = 'cal-embed=' + c.namespace; iframe.title = 'Book a call';
  iframe.src = c.origin + '/' + c.link + '/embed?embed=' + encodeURIComponent(c.namespace) + '&layout=month_view&embedType=inline';
  iframe.style.width = '100%'; iframe.style.height = '100%'; iframe.style.border = '0';
  holder.appendChild(iframe); el.appendChild(holder);
});
document.querySelectorAll('[data-cal-link]').forEach(function (button) {
  button.addEventListener('click', function () {
    var modal = document.createElement('cal-modal-box');
    var iframe = document.createElement('iframe');
    iframe.className = 'cal-embed'; iframe.name = 'cal-embed=popup'; iframe.title = 'Book a call';
    iframe.src = button.getAttribute('data-cal-origin') + '/' + button.getAttribute('data-cal-link') + '/embed?embed=popup&embedType=modal';
    iframe.style.width = '100%'; iframe.style.height = '700px';
    modal.appendChild(iframe); document.body.appendChild(modal);
  });
});
"""
_HUBSPOT_EMBED_JS = """
document.querySelectorAll('.meetings-iframe-container[data-src]').forEach(function (el) {
  var iframe = document.createElement('iframe');
  iframe.src = el.getAttribute('data-src');
  iframe.width = '100%'; iframe.style.minWidth = '312px'; iframe.style.height = '760px'; iframe.style.border = 'none';
  el.appendChild(iframe);
});
"""
SCRIPTS = {
    "/assets/external/widget.js": _CALENDLY_WIDGET_JS,
    "/embed/embed.js": _CALCOM_EMBED_JS,
    "/MeetingsEmbed/ex/MeetingsEmbedCode.js": _HUBSPOT_EMBED_JS,
}


# The site's analytics: every message a widget posts to this window goes to /__site__/messages.
_LISTEN_JS = """
window.addEventListener('message', function (e) {
  if (e.data && typeof e.data === 'object') {
    fetch('/__site__/messages', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(e.data)});
  }
});
"""


class StartupSite(LoopbackServer):
    """Serves pages made of a header, some text and one widget; each page may show a cookie banner.

    ``messages`` holds what the widgets posted to the page (``calendly.event_scheduled``, Cal.com's
    ``bookingSuccessfulV2``, HubSpot's ``meetingBookSucceeded``, Chili Piper's ``booking-confirmed``…),
    as the startup's own analytics would see them: proof that a booking happened inside the widget.
    """

    def __init__(self) -> None:
        super().__init__()
        self.pages: dict[str, tuple[str, Snippet, bool, bool]] = {}
        self.messages: list[dict] = []
        for path, source in SCRIPTS.items():
            self.add_route("GET", path.replace(".", r"\."), self._script(source))
        self.add_route("GET", r"/favicon\.ico", lambda request: Response(204))
        self.add_route("POST", r"/__site__/messages", self._message)
        self.add_route("GET", r"/.*", self._page)

    def _message(self, request: Request) -> Response:
        with self.lock:
            self.messages.append(request.json())
        return Response(204)

    def message_kinds(self) -> list[str]:
        """Each message's name: Calendly's ``event``, Cal.com's ``type``, Chili Piper's ``action``, HubSpot's flag."""
        with self.lock:
            found = list(self.messages)
        kinds = []
        for message in found:
            kind = message.get("event") or message.get("type") or message.get("action")
            kinds.append(str(kind) if kind else ("meetingBookSucceeded" if message.get("meetingBookSucceeded") else "?"))
        return kinds

    @staticmethod
    def _script(source: str):  # type: ignore[no-untyped-def]
        return lambda request: Response.text(source, content_type="application/javascript")

    def add_page(self, path: str, title: str, widget: Snippet, *, cookie_banner: bool = False,
                 script_blocked: bool = False) -> str:
        self.pages[path] = (title, widget, cookie_banner, script_blocked)
        return self.page_url(path)

    def page_url(self, path: str) -> str:
        return f"{self.url}{path}"

    def _page(self, request: Request) -> Response:
        found = self.pages.get(request.path)
        if found is None:
            return Response.html("<h1>Not found</h1>", 404)
        title, widget, banner, blocked = found
        script = f'<script src="{widget.script}"></script>' if widget.script and not blocked else ""
        host = urlsplit(self.url).netloc
        html = (
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>body{{margin:0;font:15px sans-serif;color:#222}}"
            "header{padding:10px 24px;background:#0b3d91;color:#fff}main{padding:8px 24px}</style></head><body>"
            f"<header><b>{escape(title)}</b> · <a style=\"color:#fff\" href=\"/\">{escape(host)}</a></header>"
            f"<main><p>Pick a time that suits you.</p>{widget.markup}</main><script>{_LISTEN_JS}</script>{script}"
            f"{COOKIE_BANNER if banner else ''}</body></html>"
        )
        return Response.html(html)


def fault_world(stack: ExitStack, clock: Callable[[], datetime], build: str, email: str,
                mail_sink: MailSink) -> PlatformWorld:
    """The fault suite's embed: Kappa Cloud's page with Chili Piper's concierge router in an iframe."""
    site = stack.enter_context(build_chilipiper(now=clock, build=build))
    startup_site = stack.enter_context(StartupSite())
    frame = site.router_frame_url("kappa-inbound", source_url="https://kappa.example/demo")
    url = startup_site.add_page("/demo", "Kappa Cloud", chilipiper_concierge(frame))
    entry = {"name": "Kappa Cloud", "aliases": ["kappa"], "platform": "embed", "booking_url": url,
             "people": [{"name": "Rasmus Holm"}]}
    # a concierge router: the guest form comes first
    return PlatformWorld(site, "Kappa Cloud", (startup_site, "/demo"), "the calendar after the guest form",
                         switch(site.faults, "calendar_never_renders"),
                         counter(site.faults, "take_slot_before_submit"), mine(lambda: site.bookings, email),
                         confirms=True, directory=[entry],
                         extra={"details_first": True, "startup_site": startup_site})
