"""What the ``auto`` platform reads off an unknown booking page, as pure functions and ways.

A booking page has a small, regular grammar (a person, a date, a time, a form, a submit, an answer);
these are the words and roles of that grammar that hold on any page, kept apart from the browser so
they can be tested without one: which options are placeholders, which name "anyone", which buttons
move a wizard on or send it, which words mean the booking went through.
"""
from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Iterable, Sequence

from booking.browser.semantic import Way, field, label, matching, role, text
from booking.platforms.parts.calendar import MONTH_TITLE, DayPickerSpec, date_in
from booking.platforms.parts.form import PLACEHOLDER_OPTION
from booking.platforms.parts.times import CLOCK_AT_START, clock_of

# "Anyone" choices: what a person picks when they don't mind who they meet.
ANYONE = re.compile(r"^\s*(any(one| ?body)?|any (available )?(person|staff|member|team member|host|one)|"
                    r"no preference|first available|whoever is available|doesn't matter|don't mind)\b", re.I)
# Labels of a person choice (a select or a group), for pages where no configured person is named.
PERSON_WORDS = r"staff|person|people|host|team ?member|with whom|who would you|meet with|provider|expert|advisor|consultant|specialist|representative|employee|colleague"
PERSON_LABEL = re.compile(PERSON_WORDS, re.I)

# A generic day picker: any grid or table of day buttons, a month (or week) title, arrows by their name.
_AHEAD = r"(month|week|days?|period|\d+ days)"
# Arrows by what they say, surest first (the first way that finds any wins): "Next month", then glyphs,
# then a bare "Next" (which a wizard's button may also be called).
NEXT_WAYS: tuple[Way, ...] = tuple(
    way for pattern in (rf"^((go to|view|show|see) )?(the )?(next|following) {_AHEAD}\W*$", r"^[›»>→]+$",
                        r"^(next|forward)\W*$")
    for way in (role("button", matching(pattern)), role("link", matching(pattern))))
PREVIOUS_WAYS: tuple[Way, ...] = tuple(
    way for pattern in (rf"^((go to|view|show|see) )?(the )?(previous|prior|last) {_AHEAD}\W*$", r"^[‹«<←]+$",
                        r"^(previous|prev|back)\W*$")
    for way in (role("button", matching(pattern)), role("link", matching(pattern))))
GENERIC_PICKER = DayPickerSpec(
    days=(role("button"), role("gridcell"), role("link")),
    container=(role("grid"), role("table")),
    month_title=(role("heading", MONTH_TITLE), text(MONTH_TITLE), role("status", MONTH_TITLE)),
    next=NEXT_WAYS,
    previous=PREVIOUS_WAYS,
)
DAY_GRID: tuple[Way, ...] = (role("grid"), role("table"))
DATE_FIELD: tuple[Way, ...] = (field(type="date"),)
# Options of a closed <select> have no box on screen: they are read with ``hidden``.
OPTION = Way("role", role="option", hidden=True)
TIME_OPTION = Way("role", role="option", name=matching(CLOCK_AT_START), hidden=True)
SELECTS: tuple[Way, ...] = (role("combobox"), role("listbox"))

# Moving a wizard on, and sending it: buttons by role and name.
STEP_WORDS = r"^(continue|proceed|go on)(\s+(to|with)\b.*)?\W*$|^next(\s+step)?\s*([:›»→>-].*)?$"
SEND_WORDS = (r"^(book|confirm|schedule|request|reserve|submit|send|finish|complete)\b|"
              r"\b(book( (it|now|meeting|this|the meeting|appointment))?|confirm( booking)?|schedule( (event|meeting))?|"
              r"request( (a )?(meeting|booking))?|reserve)$")
STEP_BUTTONS: tuple[Way, ...] = (role("button", matching(STEP_WORDS)), role("link", matching(STEP_WORDS)))
SEND_BUTTONS: tuple[Way, ...] = (role("button", matching(SEND_WORDS)),)
FORM_SIGNS: tuple[Way, ...] = (field(type="email"), field(autocomplete="email"), label(matching(r"e-?mail")))

# A box agreeing to the page's privacy policy or terms: a person ticks it even when the page validates it
# only on submit (no ``required``); never a marketing opt-in.
POLICY_CONSENT = (r"^(?!.*\b(newsletter|marketing|offers|promotion|updates|news)\b).*\b(agree|accept|consent)\b.*"
                  r"\b(privacy|terms|policy|conditions|data processing)\b")
POLICY_BOXES: tuple[Way, ...] = (role("checkbox", matching(POLICY_CONSENT), checked=False),)

# The answer after submit, in the page's words.
CONFIRMED = re.compile(r"\b(you('|’| a)re (all set|booked|scheduled|confirmed)|(booking|meeting|appointment|reservation)"
                       r"( (is|has been))? (confirmed|booked|scheduled)|(is |been )?(confirmed|scheduled|booked)\b[.!]?$|"
                       r"^(confirmed|booked|scheduled|all set|see you)\b|thank(s| you) for booking|invitation (has been )?sent)", re.I)
REQUESTED = re.compile(r"\brequest(ed)? (has been |was )?(sent|received|submitted)|we('ll| will) (get back|confirm)|"
                       r"pending (approval|confirmation)|awaiting (approval|confirmation)", re.I)
SUCCESS_PLACES: tuple[Way, ...] = (role("heading"), role("status"), role("alert"))
# A sentence that states the page's zone, as a person reads it: "All times are in Europe/Berlin time",
# "Times shown in Eastern Time", "Time zone: CET".
ZONE_SENTENCE = r"\b(times?|hours|slots)\b[^.]{0,40}?\b(are |is |shown |displayed |listed |given )*in\s+\S|time ?zone"
ZONE_SAYING: tuple[Way, ...] = (text(matching(ZONE_SENTENCE)),)
_ZONE_LEAD = re.compile(r"^.*?\b(times?|hours|slots)\b[^.]{0,40}?\b(?:are |is |shown |displayed |listed |given )*in\s+", re.I)
DURATION = re.compile(r"\b(?P<minutes>\d{1,3})\s*(?:-\s*)?(?:min|minutes|mins)\b", re.I)


def is_placeholder(option: str, value: str | None = None) -> bool:
    """An option that asks for a choice instead of being one ("Select…", "--", empty value)."""
    words = (option or "").strip()
    return bool(PLACEHOLDER_OPTION.match(words)) or value == "" or words.endswith("…") and words.lower().startswith(
        ("select", "choose", "pick"))


def real_options(options: Iterable[tuple[str, str | None]]) -> list[str]:
    """The choices of a list (text, value) without its placeholders, in page order."""
    return [words.strip() for words, value in options if not is_placeholder(words, value)]


# A card that names its person inside a phrase: "Book with Anna Virtanen", "AV  Meet with Anna" (avatar initials).
_WITH_PHRASE = re.compile(r"^.*?\b(book|meet|schedule|talk|speak|chat|call|meeting|session)\b(\s+\w+){0,2}?\s+with\s+", re.I)


def person_name(words: str) -> str:
    """The person a choice names, as the teammate should read it ("AV Book with Anna Virtanen" → "Anna Virtanen")."""
    words = " ".join(words.split())
    match = _WITH_PHRASE.match(words)
    return words[match.end():].strip() if match and match.end() < len(words) else words


def order_people(offered: Sequence[str], configured: Sequence[str]) -> list[str]:
    """Who the page offers, as the agent should try them: the startup's configured people (in their
    order) where the page names them; else "Anyone"/"No preference" first, then the rest."""
    named = [p for p in configured if any(p.casefold() in o.casefold() for o in offered)]
    if named:
        return named
    anyone = [o for o in offered if ANYONE.match(o)]
    return anyone + [o for o in offered if o not in anyone]


def option_for(person: str, offered: Sequence[str]) -> str | None:
    """The offered choice that names ``person`` (exactly, else containing the name)."""
    wanted = person.casefold().strip()
    return next((o for o in offered if o.casefold().strip() == wanted), None) or \
        next((o for o in offered if wanted and wanted in o.casefold()), None)


def clock_in(words: str) -> tuple[time, str] | None:
    """The clock time a control names, at its start ("4:00pm", "14:00 – 14:30", "9 AM")."""
    return clock_of(words)


_WEEKDAY_DAY = re.compile(r"^\s*(?P<weekday>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+(?P<day>\d{1,2})(st|nd|rd|th)?\s*$", re.I)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SHOWN_BEFORE = timedelta(days=7)  # a page's first day may be a few days back (its week starts on Monday)
MONTHLESS_AHEAD = 62  # days after the first shown day a month-less name may mean; further on is a guess


def weekday_and_day(words: str, today: date, first_shown: date | None = None) -> date | None:
    """A day named without its month ("Tue 12", "Friday 4th"), read as a person does: the nearest day on or
    after the page's first shown day (else a week before ``today``) with that weekday and day of the month;
    None when none falls within ~2 months of it — a name that fits only months ahead is not guessed."""
    match = _WEEKDAY_DAY.match(words or "")
    if not match:
        return None
    weekday, number = _WEEKDAYS.index(match.group("weekday").lower()), int(match.group("day"))
    start = first_shown or today - SHOWN_BEFORE
    for ahead in range(MONTHLESS_AHEAD + 1):
        day = start + timedelta(days=ahead)
        if day.weekday() == weekday and day.day == number:
            return day
    return None


def dates_of(options: Iterable[str], today: date) -> list[tuple[date, str]]:
    """The options that name a date ("Wed, December 2", "2026-12-02", "Tue 1"), each with its words; a
    month-less one is read on or after the first date the page shows (in page order)."""
    found: list[tuple[date, str]] = []
    for words in options:
        first = found[0][0] if found else None
        day = date_in(words, None, today) or weekday_and_day(words, today, first)
        if day is not None and all(day != d for d, _ in found):
            found.append((day, words))
    return found


def outcome_of(words: str) -> str | None:
    """"confirmed", "requested" or None: what a heading or status after submit says."""
    if REQUESTED.search(words or ""):
        return "requested"
    if CONFIRMED.search((words or "").strip()):
        return "confirmed"
    return None


def zone_words(sentence: str) -> str:
    """The zone's own words in a sentence stating it ("All times are in Central European Time." →
    "Central European Time"); the sentence unchanged when it is not of that shape."""
    rest = _ZONE_LEAD.sub("", sentence or "", count=1)
    return rest.strip().rstrip(".") if rest != sentence else sentence


def duration_in(words: str, default: int = 30) -> int:
    """A meeting's length in minutes from what the page says ("30 min", "45 minutes")."""
    match = DURATION.search(words or "")
    minutes = int(match.group("minutes")) if match else default
    return minutes if 5 <= minutes <= 240 else default
