"""Which zone a page shows its times in, read from what it says ("Time zone UTC Time (6:29pm)",
"Currently displaying UTC +02:00 Eastern European Time", "Central European Time (10:05 AM) ▾").

The zone's words are resolved by the browser (:mod:`booking.platforms.zones`); an offset or an IANA
name in the words narrows it. Pages that name no zone show the browser's own zone.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from booking.browser.page import Page
from booking.browser.semantic import Way, matching, role, text
from booking.platforms.zones import browser_zone, zone_for_label

ZONE_CONTROLS: tuple[Way, ...] = (
    role("button", matching(r"time ?zone")),
    role("combobox", matching(r"time ?zone")),
    text(matching(r"^time ?zone\b.+")),
)
_PREFIX = re.compile(r"^.*?(currently displaying|time ?zone( select)?\s*:?)\s*", re.I)
_CLOCK = re.compile(r"\(?\s*\d{1,2}[:.]\d{2}\s*([ap]\.?\s?m\.?)?\s*\)?", re.I)
_OFFSET = re.compile(r"\b(?:UTC|GMT)\s*(?P<sign>[+-])\s*(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?", re.I)
_SHOWN_CLOCK = re.compile(r"\(\s*(?P<h>\d{1,2})[:.](?P<m>\d{2})\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*\)", re.I)
_IANA = re.compile(r"\b[A-Z][A-Za-z_]+/[A-Za-z_]+(?:/[A-Za-z_]+)?\b")
# An IANA name as pages print it, spaces for underscores ("America/New York", "America/Port of Spain").
_IANA_SPACED = re.compile(r"\b[A-Z][A-Za-z_]+/(?:[A-Z][A-Za-z_]+/)?[A-Z][A-Za-z_]+(?: [A-Za-z_]+)+")


def _iana_candidates(words: str) -> list[str]:
    """IANA-looking names in ``words`` in reading order; a spaced one joined, longest first."""
    found = [(m.start(), 1, m.group(0)) for m in _IANA.finditer(words)]
    for match in _IANA_SPACED.finditer(words):
        parts = match.group(0).split(" ")
        found += [(match.start(), 0, "_".join(parts[:count])) for count in range(len(parts), 1, -1)]
    return [name for _, _, name in sorted(found, key=lambda item: item[:2])]


def offset_from_clock(words: str, now: datetime) -> int | None:
    """The zone's UTC offset in minutes from the current time a label shows ("Eastern Time (4:00am)")
    and the real ``now``: what tells apart zones that share a name but not their clocks today."""
    match = _SHOWN_CLOCK.search(words or "")
    if not match:
        return None
    hour, minute = int(match.group("h")) % 12 if match.group("ampm") else int(match.group("h")), int(match.group("m"))
    if (match.group("ampm") or "").lower().startswith("p"):
        hour += 12
    utc = now.astimezone(timezone.utc)
    difference = (hour * 60 + minute) - (utc.hour * 60 + utc.minute)
    difference = (difference + 12 * 60) % (24 * 60) - 12 * 60  # into -12 h … +12 h
    rounded = round(difference / 15) * 15
    return rounded if abs(difference - rounded) <= 2 else None


def zone_from_words(page: Page, words: str, preferred: list[str], now: datetime | None = None) -> str | None:
    """The IANA zone a page's zone label names, or None when it names none Booker can resolve.

    ``now``: the real time, to read the zone's offset from a clock the label shows."""
    for candidate in _iana_candidates(words or ""):
        try:
            ZoneInfo(candidate)
            return candidate
        except (ZoneInfoNotFoundError, ValueError):
            continue
    rest = _PREFIX.sub("", words or "", count=1)
    offset = None
    match = _OFFSET.search(rest)
    if match:
        offset = (-1 if match.group("sign") == "-" else 1) * (int(match.group("h")) * 60 + int(match.group("m") or 0))
        rest = rest[:match.start()] + rest[match.end():]
    if offset is None and now is not None:
        offset = offset_from_clock(rest, now)
    rest = _CLOCK.sub(" ", rest)
    rest = re.sub(r"[^\w\s&'-]", " ", rest)          # glyphs ("▾"), brackets, stray punctuation
    rest = re.split(r"\s+-\s+", rest)[0]              # "Eastern Time - US & Canada" → "Eastern Time"
    name = " ".join(rest.split())
    if re.fullmatch(r"(UTC|GMT|Coordinated Universal)( Time)?", name, re.I) and not offset:
        return "UTC"
    if not name and offset is not None:
        return _fixed_offset(offset)
    for guess in (name, re.sub(r"\bTime\b", "Standard Time", name, count=1)):
        found = zone_for_label(page, guess, preferred, offset)
        if found:
            return found
    return None


def _fixed_offset(minutes: int) -> str | None:
    """An offset with no name: "Etc/GMT-2" style zones exist for whole hours only."""
    if minutes % 60:
        return None
    hours = -minutes // 60
    return "UTC" if hours == 0 else f"Etc/GMT{hours:+d}"


def shown_zone(page: Page, preferred: list[str], ways: tuple[Way, ...] = ZONE_CONTROLS,
               now: datetime | None = None) -> str:
    """The zone the page says it shows times in; the browser's zone when it says none."""
    for found in page.seen_all(*ways):
        for words in (found.name, found.text):
            zone = zone_from_words(page, words, preferred, now)
            if zone:
                return zone
    return browser_zone(page)
