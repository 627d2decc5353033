"""What the booking-site replicas share: the clock, recorded bookings, pages rendered from JSON.

A replica subclasses :class:`ReplicaSite`, names its assets folder (``app.js`` + ``app.css``) and
registers its routes. Pages are a shell whose single-page app renders everything client-side from
``<script id="booking-config" type="application/json">``; "now" always comes from that config (the
replica's clock), never from the browser's. The cookie banner is server-rendered so it covers the
page from the first paint, as consent managers do.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from .server import LoopbackServer, Request, Response

UTC = timezone.utc

# [U] invented: a generic consent banner (wording and ids), dismissed by "Accept all".
COOKIE_BANNER = (
    '<div id="cookie-consent" class="cookie-banner" role="dialog" aria-label="Cookie consent" '
    'style="position:fixed;inset:auto 0 0 0;top:0;background:rgba(0,0,0,.55);z-index:9999;display:flex;'
    'align-items:flex-end;justify-content:center">'
    '<div style="background:#fff;padding:24px;margin:0;width:100%;font:15px sans-serif">'
    "<p>We use cookies to make this site work and to understand how you use it.</p>"
    '<button type="button" onclick="document.cookie=\'consent=all; path=/\';'
    'document.getElementById(\'cookie-consent\').remove()">Accept all</button> '
    '<button type="button" onclick="document.cookie=\'consent=none; path=/\';'
    'document.getElementById(\'cookie-consent\').remove()">Reject all</button></div></div>'
)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def check_aware(slots: Iterable[datetime], owner: str) -> None:
    for slot in slots:
        if slot.tzinfo is None or slot.utcoffset() is None:
            raise ValueError(f"slot {slot!r} of {owner} must be timezone-aware")


def free_starts(slots: Iterable[datetime], busy: Iterable[tuple[datetime, datetime]], now: datetime,
                duration: timedelta) -> list[datetime]:
    """Offered starts (UTC) after ``now`` whose whole ``duration`` misses every busy interval."""
    taken = list(busy)
    free = set()
    for slot in slots:
        start = slot.astimezone(UTC).replace(microsecond=0)
        if start <= now or any(b0 < start + duration and start < b1 for b0, b1 in taken):
            continue
        free.add(start)
    return sorted(free)


class ReplicaSite(LoopbackServer):
    """Shared state and page rendering; subclasses add routes. All state is guarded by ``self.lock``."""

    assets: Path
    cookie_banner_html = COOKIE_BANNER

    def __init__(self, *, now: Callable[[], datetime] | None = None, cookie_banner: bool = False) -> None:
        super().__init__()
        self._now_fn = now or (lambda: datetime.now(UTC))
        self.cookie_banner = cookie_banner
        self.bookings: list[dict[str, Any]] = []
        self._js = (self.assets / "app.js").read_text(encoding="utf-8")
        self._css = (self.assets / "app.css").read_text(encoding="utf-8")
        self.add_route("GET", r"/favicon\.ico", lambda request: Response(204))
        self.add_route("GET", r"/__replica__/bookings", self._replica_bookings)
        self.add_route("POST", r"/__replica__/reset", self._replica_reset)

    def now(self) -> datetime:
        return self._now_fn().astimezone(UTC)

    def reset(self) -> None:
        with self.lock:
            self.bookings.clear()

    def render(self, title: str, config: dict[str, Any], status: int = 200, banner: bool | None = None) -> Response:
        config = {"base_url": self.url, "now": self.now().isoformat(), **config}
        data = json.dumps(config, default=str).replace("</", "<\\/").replace("<!--", "<\\!--")
        show_banner = self.cookie_banner if banner is None else banner
        html = (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{self._css}</style></head>"
            "<body><div id=\"root\"></div>"
            f"<script id=\"booking-config\" type=\"application/json\">{data}</script>"
            f"<script>{self._js}</script>{self.cookie_banner_html if show_banner else ''}</body></html>"
        )
        return Response.html(html, status)

    def _replica_bookings(self, request: Request) -> Response:
        with self.lock:
            rows = [{k: v.isoformat() if isinstance(v, datetime) else v for k, v in b.items()} for b in self.bookings]
        return Response.json(rows)

    def _replica_reset(self, request: Request) -> Response:
        self.reset()
        return Response.json({"ok": True})
