"""Reading the Slush matchmaking app's words the way a person does: the requests-remaining count, a
slot's "your time", a request's status, its time, a proposed new time and its table.

Pure functions over visible text (lines of ``innerText``), so they are tested without a browser, and
the in-page scripts that collect those words (an entry's lines, a slot's day labels, a page's lines). The
vocabulary comes from research/platforms.md §5.2: Brella's help pages [V] (pending, accept, decline,
reschedule, "Meeting Requests Remaining", a table number in Schedule, "your local time and theirs")
and the unofficial client's status words [S] (pending|requested|suggested, accepted|confirmed,
rejected|declined, cancelled, reschedule_requested).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Sequence

from booking.browser.semantic import Way, matching, role
from booking.domain.slots import SlotParseError, localize, parse_clock
from booking.platforms.parts.calendar import date_in

_CLOCK = r"\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?)?"
_CLOCK_ONLY = re.compile(r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?)?|\d{1,2}\s*[ap]\.?\s?m\.?", re.I)
_RANGE = re.compile(rf"(?P<start>{_CLOCK_ONLY.pattern})(?:\s*(?:[-–—]|to)\s*(?P<end>{_CLOCK}))?", re.I)
_MERIDIEM = re.compile(r"[ap]\.?\s?m\.?", re.I)
_YOURS_AFTER = re.compile(r"^\W*(your|you|my|local)\b", re.I)
_LABEL_FIRST = re.compile(r"\btime\W*$", re.I)
_YOURS_BEFORE = re.compile(r"\b(your|my|local)(\s+(local\s+)?time)?\W*$", re.I)
_QUOTA = (re.compile(r"requests?\s+remaining\W{0,3}?\s*(?P<n>-?\d+)", re.I),
          re.compile(r"(?P<n>-?\d+)\s+(?:meeting\s+)?requests?\s+(?:remaining|left)", re.I))
_TABLE = re.compile(r"\btable\s*(?:no\.?|number|#)?\s*(?P<id>[A-Z]?\d+[A-Z]?)\b", re.I)
_PLACE = re.compile(r"^(?:where|meeting point|location|place|table)\s*:?\s*(?P<place>.*)$", re.I)
_STATUS_LABEL = re.compile(r"^status\b\s*:?\s*(?P<value>.*)$", re.I)
_NEW_TIME = re.compile(r"\b(new|proposed|suggested|another|different) time\b", re.I)
# One status line: short (a badge, a term's value), never the intro message's prose.
STATUS_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("rescheduled", re.compile(r"\b(suggested|proposed)\b.*\b(new|another|different|other) time\b"
                               r"|\b(new|another|different) time (suggested|proposed|requested)\b|\breschedul", re.I)),
    ("declined", re.compile(r"^(request |meeting )?(declined|rejected)\b|\b(declined|rejected) by\b", re.I)),
    ("cancelled", re.compile(r"^(request |meeting )?cancel+ed\b|\bcancel+ed by\b", re.I)),
    ("accepted", re.compile(r"^(request |meeting )?(accepted|confirmed)\b|\b(accepted|confirmed) by\b", re.I)),
    ("pending", re.compile(r"^(request |meeting )?(pending|requested|awaiting|waiting)\b|\bpending\W*$", re.I)),
)
STATUS_LINE_MAX = 60


def normal(words: str) -> str:
    """Case-, space- and apostrophe-tolerant text for comparing names."""
    return " ".join((words or "").replace("’", "'").casefold().split())


def quota_in(words: str) -> int | None:
    """The "Meeting Requests Remaining" number a page shows (§5.2 [V]); None when it shows none yet."""
    for pattern in _QUOTA:
        match = pattern.search(words or "")
        if match:
            return int(match.group("n"))
    return None


def says_remaining(words: str) -> bool:
    return re.search(r"requests?\s+(remaining|left)", words or "", re.I) is not None


@dataclass(frozen=True)
class Clock:
    """The "your time" part of a slot or a request time: its start, its end if shown, and the words."""

    start: time
    end: time | None
    words: str


def your_clock(words: str) -> Clock | None:
    """The time a control or a line shows in *your* time (§5.2 [V]: "your local time and theirs").

    Labels follow the times ("2:15 PM – 2:30 PM your time · 2:15 PM Bob's time") unless the words
    start with one ("Bob's time 09:00 · Your time 10:00"); without a label the first time is taken.
    """
    words = words or ""
    ranges = list(_RANGE.finditer(words))
    if not ranges:
        return None
    after = [words[r.end():ranges[i + 1].start() if i + 1 < len(ranges) else None] for i, r in enumerate(ranges)]
    before = [words[ranges[i - 1].end() if i else 0:r.start()] for i, r in enumerate(ranges)]
    by_label_after = next((r for r, tail in zip(ranges, after) if _YOURS_AFTER.search(tail)), None)
    by_label_before = next((r for r, head in zip(ranges, before) if _YOURS_BEFORE.search(head)), None)
    if _LABEL_FIRST.search(before[0]):
        by_label_after, by_label_before = by_label_before, by_label_after
    chosen = by_label_after or by_label_before or ranges[0]
    starting, ending = chosen.group("start"), chosen.group("end") or ""
    start_half, end_half = _MERIDIEM.search(starting), _MERIDIEM.search(ending)
    if ending and end_half and not start_half:  # "1:00 – 1:15 pm": the start shares the end's half of the day
        hours = [int(re.match(r"\d+", part).group(0)) % 12 for part in (starting, ending)]
        flip = {"a": "pm", "p": "am"}[end_half.group(0)[0].lower()]
        starting += " " + (end_half.group(0) if hours[0] <= hours[1] else flip)
    elif ending and start_half and not end_half:  # "2:15 PM – 2:30"
        ending += " " + start_half.group(0)
    try:
        start = parse_clock(starting)
        end = parse_clock(ending) if ending else None
    except SlotParseError:
        return None
    return Clock(start, end, chosen.group(0).strip())


def date_of(words: str, today: date) -> date | None:
    """The day ``words`` name, clock times left out first ("Wed 2 Dec 14:30" is not 14 December)."""
    return date_in(_RANGE.sub(" ", words or ""), None, today)


def moment_in(line: str, today: date, zone: str) -> datetime | None:
    """The instant a line names with a date and a clock ("Wed, 2 Dec 2026, 2:30 PM – 2:45 PM (your time)")."""
    day = date_of(line, today)
    clock = your_clock(line) if day else None
    if day is None or clock is None:
        return None
    try:
        return localize(day, clock.start, zone)
    except SlotParseError:
        return None


def status_of(lines: Sequence[str]) -> str | None:
    """The request's state from the page's lines: the value labelled "Status" first, else the first
    short line that reads as a status (badges and terms come before the message on every layout)."""
    for index, line in enumerate(lines):
        labelled = _STATUS_LABEL.match(line)
        if labelled:
            value = labelled.group("value") or (lines[index + 1] if index + 1 < len(lines) else "")
            state = _classify(value)
            if state:
                return state
    for line in lines:
        if len(line) <= STATUS_LINE_MAX:
            state = _classify(line)
            if state:
                return state
    return None


def _classify(line: str) -> str | None:
    return next((state for state, pattern in STATUS_PATTERNS if pattern.search(line.strip())), None)


def times_in(lines: Sequence[str], today: date, zone: str) -> tuple[datetime | None, datetime | None]:
    """(the request's time, a newly proposed time): the first dated time on the page, and the last
    one the page puts next to words like "proposed a new time" (on its line or the line before)."""
    first = proposed = None
    for index, line in enumerate(lines):
        moment = moment_in(line, today, zone)
        if moment is None:
            continue
        first = first or moment
        near = line + " " + (lines[index - 1] if index else "")
        if _NEW_TIME.search(near) and moment != first:
            proposed = moment
    return first, proposed


def table_in(lines: Sequence[str]) -> str | None:
    """Where to meet: "Table 12" (§5.2 [V]: accepted meetings get a table number), else the value
    labelled Where / Meeting point / Location."""
    for line in lines:
        match = _TABLE.search(line)
        if match:
            return f"Table {match.group('id')}"
    for index, line in enumerate(lines):
        labelled = _PLACE.match(line)
        if labelled:
            place = labelled.group("place") or (lines[index + 1] if index + 1 < len(lines) else "")
            return place.split(",")[0].strip() or None
    return None


def heading_of(name: str) -> Way:
    """A heading naming ``name`` ("Bob Jones", "Bob Jones, CTO"; not "Alice Smithson" for "Alice Smith")."""
    escaped = re.sub(r"[.*+?^${}()|[\]\\]", lambda m: "\\" + m.group(0), " ".join(name.lower().split()))
    return role("heading", matching(rf"^{escaped}(?![\w'-])"))


# -- in-page scripts (one round trip each) ----------------------------------------------------------

# The entry around each "Suggest Meeting" button: up to its row / item / card, never a list holding others.
ENTRIES_JS = """
const [buttons] = arguments;
const item = 'li, tr, article, [role="row"], [role="listitem"], [role="article"]';
const list = 'ul, ol, table, tbody, [role="list"], [role="table"], [role="grid"], [role="rowgroup"], main, [role="dialog"], dialog';
return buttons.map((button) => {
  let box = button;
  while (!box.matches(item) && box.parentElement && box.parentElement !== document.body) {
    const up = box.parentElement;
    if (up.matches(list) || buttons.some((other) => other !== button && up.contains(other))) break;
    box = up;
  }
  return (box.innerText || box.textContent || '').split(/[\\n\\t]+/).map((s) => s.trim()).filter(Boolean);
});
"""
# Per slot control: its group's name and the headings before it (nearest first); plus the person:
# the nearest heading around the controls that is not about availability, times or days (a name).
SLOTS_JS = """
const [controls, skip] = arguments;
const words = (el) => (el ? (el.innerText || el.textContent || '') : '').replace(/\\s+/g, ' ').trim();
const headings = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6,[role="heading"],legend,caption'))
  .filter((h) => h.getClientRects().length > 0);
const before = (el) => headings.filter((h) => h.compareDocumentPosition(el) & 4).reverse().slice(0, 4).map(words);
const groupOf = (el) => {
  const group = el.closest('fieldset, [role="radiogroup"], [role="group"], [role="listbox"]');
  if (!group) return '';
  if (group.tagName === 'FIELDSET') return words(group.querySelector('legend'));
  const by = group.getAttribute('aria-labelledby');
  return group.getAttribute('aria-label') || (by ? by.split(/\\s+/).map((id) => words(document.getElementById(id))).join(' ') : '');
};
const looksLikeName = (h) => { const t = words(h); return t && !new RegExp(skip, 'i').test(t) && !/\\d/.test(t); };
let person = '';
for (let box = controls[0] && controls[0].parentElement; box && box !== document.body; box = box.parentElement) {
  const named = Array.from(box.querySelectorAll('h1,h2,h3,h4,h5,h6,[role="heading"]')).find(looksLikeName);
  if (named) { person = words(named); break; }
}
return {slots: controls.map((el) => [groupOf(el), before(el)]), person};
"""
LINES_JS = """
const [root] = arguments;
const box = root || document.querySelector('main, [role="main"]') || document.body;
return (box.innerText || '').split('\\n').map((s) => s.replace(/\\s+/g, ' ').trim()).filter(Boolean);
"""
# The request's own part of the page around the message box: its dialog, form or section.
REQUEST_BOX_JS = """
const [box] = arguments;
let up = box;
while (up.parentElement && up.parentElement !== document.body &&
       !up.matches('[role="dialog"], dialog, form, section, aside')) up = up.parentElement;
return up;
"""
CLEAR_PASSWORD_JS = "document.querySelectorAll('input[type=password]').forEach((f) => { f.value = ''; });"
