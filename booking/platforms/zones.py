"""Reading a page's display zone from its label ("Eastern European Standard Time (10:00 AM)").

Pages name zones the way the browser's Intl API does, and Python has no such names, so the browser
itself resolves them: candidate IANA zones are compared by their long names in January and July
(standard and summer), optionally by UTC offset too. Preferred candidates (the teammate's zone, a
zone the URL names) are tried first, so a label shared by several zones resolves to the one the
page most likely means; among the other zones that share a name, the one whose generic name is a generic label ("Eastern
Time" is New York's, not Cancún's) wins, then one that calls itself that today, then one with summer
time ("Eastern Standard Time" in winter is New York's; in summer, Cancún's).
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from booking.browser.page import Page

_WORDS = re.compile(r"\b(standard|daylight|summer)\b", re.I)

_RESOLVE_JS = """
const [wanted, offsets, preferred] = arguments;
const norm = s => (s || '').replace(/\\b(Standard|Daylight|Summer)\\b/gi, '').replace(/\\s+/g, ' ').trim().toLowerCase();
const year = new Date().getUTCFullYear();
const dates = [new Date(Date.UTC(year, 0, 15, 12)), new Date(Date.UTC(year, 6, 15, 12))];
const nameOf = (zone, date) => {
  try {
    const part = new Intl.DateTimeFormat('en-US', {timeZone: zone, timeZoneName: 'long'}).formatToParts(date)
      .find(p => p.type === 'timeZoneName');
    return part ? part.value : '';
  } catch (e) { return ''; }
};
const offsetOf = (zone, date) => {
  try {
    const part = new Intl.DateTimeFormat('en-US', {timeZone: zone, timeZoneName: 'longOffset'}).formatToParts(date)
      .find(p => p.type === 'timeZoneName');
    const m = /GMT(?:([+-])(\\d{2}):(\\d{2}))?/.exec(part ? part.value : '');
    if (!m) return null;
    return m[1] ? (m[1] === '-' ? -1 : 1) * (parseInt(m[2], 10) * 60 + parseInt(m[3], 10)) : 0;
  } catch (e) { return null; }
};
const genericOf = zone => {
  try {
    const part = new Intl.DateTimeFormat('en-US', {timeZone: zone, timeZoneName: 'longGeneric'}).formatToParts(new Date())
      .find(p => p.type === 'timeZoneName');
    return part ? part.value : '';
  } catch (e) { return ''; }
};
const now = new Date();
const fits = zone => dates.some(d => norm(nameOf(zone, d)) === norm(wanted))
  && (!offsets.length || dates.concat([now]).some(d => offsets.includes(offsetOf(zone, d))));
for (const zone of preferred) if (fits(zone)) return zone;
// Several zones share a name ("Eastern Standard Time": New York, Cancún, Panama). Rank: a generic label
// ("Eastern Time") is the zone's generic name, then the label is its name today, then it has summer time.
const squash = s => (s || '').replace(/\\s+/g, ' ').trim().toLowerCase();
const generic = !/\\b(Standard|Daylight|Summer)\\b/i.test(wanted);
let best = null, bestScore = -1;
for (const zone of (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : [])) {
  if (!fits(zone)) continue;
  const score = (generic && squash(genericOf(zone)) === squash(wanted) ? 4 : 0) + (squash(nameOf(zone, now)) === squash(wanted) ? 2 : 0)
    + (nameOf(zone, dates[0]) !== nameOf(zone, dates[1]) ? 1 : 0);
  if (score > bestScore) { best = zone; bestScore = score; }
}
return best;
"""


def normalise(name: str) -> str:
    return " ".join(_WORDS.sub("", name).split()).lower()


def zone_for_label(page: Page, name: str, preferred: list[str], offset_minutes: int | None = None) -> str | None:
    """The IANA zone a page means by ``name`` (and, if shown, its offset); None if no zone fits."""
    candidates = [z for z in dict.fromkeys(preferred) if z]
    offsets = [] if offset_minutes is None else [offset_minutes]
    found = page.driver.execute_script(_RESOLVE_JS, name, offsets, candidates)
    return str(found) if found else None


def offset_minutes(zone: str, moment: datetime) -> int:
    offset = moment.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    return int(offset.total_seconds() // 60)


def browser_zone(page: Page) -> str:
    return str(page.driver.execute_script("return Intl.DateTimeFormat().resolvedOptions().timeZone") or "UTC")
