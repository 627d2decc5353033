"""What one mail says, read once and without any booking in mind: its invites, its times, its place.

The confirmation monitor compares these facts with each pending booking (:mod:`booking.mail.signals`);
keeping the reading here means a cycle parses a mail once however many bookings it is compared with.
Times written in a mail's text ("Wed 2 Dec 14:15–14:45 (Helsinki time)", "December 3, 2026 at
2:30 PM", "2026-12-03 10:00 UTC") are read as wall-clock times plus the zone the mail names, if any;
a time without a zone is placed in the reader's zone later (:func:`resolve`), because a mail to a
teammate speaks the teammate's zone unless it says otherwise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parseaddr
from functools import cache, cached_property
from typing import Iterable
from zoneinfo import ZoneInfo, available_timezones

from icalendar import Calendar

SUBJECT_STATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancelled", re.compile(r"\b(cancel+ed|cancel+ation|canceled)\b", re.I)),
    ("declined", re.compile(r"\b(declined|rejected|not accepted|turned down)\b", re.I)),
    ("rescheduled", re.compile(r"\b(reschedul\w*|proposed a new time|new time proposed)\b", re.I)),
    ("confirmed", re.compile(r"\b(confirmed|accepted|is scheduled|been scheduled|you are scheduled|booking confirmed|new event)\b", re.I)),
)
# "Where: Table 7, Meeting Area" / "Location: Hall 2" — the place a mail's text gives its meeting.
PLACE = re.compile(r"^\s*(?:where|location|place|venue|table)\s*:\s*(?P<location>\S[^\n]{0,199})$", re.I | re.M)
MAX_TIMES = 20  # a mail listing a whole calendar says nothing about one booking's time

_MONTHS = {name: n for n, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+)?"
_TIME = r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
_ZONE = (r"(?:\s*[-–]\s*\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?)?"  # the end of a range: ignored
         r"(?:\s*\(?\s*(?:(?P<iana>[A-Z][A-Za-z_]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)|(?P<utc>UTC|GMT)"
         r"(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?|(?P<city>[A-Z][a-z]+(?: [A-Z][a-z]+)?) time))?")
HUMAN_TIME = re.compile(
    rf"\b{_WEEKDAY}(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?P<month1>{_MONTH})|(?P<month2>{_MONTH})\s+"
    rf"(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)(?:,?\s+(?P<year>\d{{4}}))?\s*(?:,|·|•|@|at|-|–)?\s*(?:at\s+)?"
    rf"{_TIME}{_ZONE}", re.I)
ISO_TIME = re.compile(r"\b(?P<stamp>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)"
                      rf"{_ZONE}")


@dataclass(frozen=True)
class Invite:
    """The parts of a VEVENT that matter here."""

    method: str
    uid: str
    start: datetime | None
    status: str
    organizer: str
    attendees: tuple[tuple[str, str], ...]  # (e-mail, PARTSTAT)
    summary: str
    text: str
    location: str | None = None


@dataclass(frozen=True)
class TextTime:
    """A time written in a mail: wall clock, and the zone the mail named (None: the reader's)."""

    wall: datetime  # naive
    zone: tzinfo | None
    year_given: bool


@dataclass(frozen=True)
class Mail:
    sender: str
    subject: str
    body: str
    received_at: datetime
    invites: tuple[Invite, ...] = ()

    # Cached: a cycle asks each mail about every pending booking of its teammate (thousands at Slush).
    @cached_property
    def sender_address(self) -> str:
        return parseaddr(self.sender)[1].casefold()

    @property
    def sender_label(self) -> str:
        name, address = parseaddr(self.sender)
        return name or address.split("@")[-1] or self.sender

    @cached_property
    def searchable(self) -> str:
        return "\n".join([self.subject, self.body, *(i.text for i in self.invites)])

    @cached_property
    def addresses(self) -> frozenset[str]:
        """The sender, and the invites' organizers and attendees (casefolded)."""
        invited = {address for i in self.invites for address in (i.organizer, *(a for a, _ in i.attendees))}
        return frozenset({self.sender_address, *invited} - {""})

    @cached_property
    def folded(self) -> str:
        """Subject, body and invite summaries, casefolded: where a person's name is looked for."""
        return "\n".join([self.subject, self.body, *(i.summary for i in self.invites)]).casefold()

    @cached_property
    def text_times(self) -> tuple[TextTime, ...]:
        return times_in(f"{self.subject}\n{self.body}")

    @cached_property
    def place(self) -> str | None:
        """Where the meeting is: the invite's LOCATION, else a "Where:"/"Location:" line of the text."""
        for invite in self.invites:
            if invite.location:
                return invite.location
        match = PLACE.search(self.body)
        return " ".join(match.group("location").split()) if match else None


def parse_invites(ics_texts: Iterable[str]) -> tuple[Invite, ...]:
    """VEVENTs from calendar parts; unreadable ones are skipped (a mail is never fatal)."""
    invites: list[Invite] = []
    for text in ics_texts:
        try:
            calendar = Calendar.from_ical(text)
        except (ValueError, IndexError, KeyError):
            continue
        method = str(calendar.get("METHOD", "")).upper()
        for event in calendar.walk("VEVENT"):
            start = event.get("DTSTART")
            moment = start.dt if start is not None else None
            if isinstance(moment, datetime) and moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            if not isinstance(moment, datetime):
                moment = None
            attendees = event.get("ATTENDEE") or []
            if not isinstance(attendees, list):
                attendees = [attendees]
            location = " ".join(str(event.get("LOCATION", "")).split())[:500] or None
            invites.append(Invite(
                method=method,
                uid=str(event.get("UID", "")),
                start=moment,
                status=str(event.get("STATUS", "")).upper(),
                organizer=_mailto(event.get("ORGANIZER")),
                attendees=tuple((_mailto(a), str(getattr(a, "params", {}).get("PARTSTAT", "")).upper()) for a in attendees),
                summary=str(event.get("SUMMARY", "")),
                text=text,
                location=location,
            ))
    return tuple(invites)


def _mailto(value: object) -> str:
    return str(value or "").removeprefix("mailto:").removeprefix("MAILTO:").casefold()


def state_of(mail: Mail, invite: Invite | None) -> str | None:
    """What the mail says happened, or None when it says nothing we act on."""
    if invite is not None:
        if invite.method == "CANCEL" or invite.status == "CANCELLED":
            return "cancelled"
        if invite.method == "REPLY" and any(stat == "DECLINED" for _, stat in invite.attendees):
            return "declined"
        if invite.method in {"REQUEST", "PUBLISH", ""} and invite.status != "TENTATIVE":
            return "confirmed"
    for state, pattern in SUBJECT_STATES:
        if pattern.search(mail.subject):
            return state
    return None


def times_in(text: str) -> tuple[TextTime, ...]:
    """Every date-and-time written in ``text`` (at most MAX_TIMES; a bare time without a date is not one)."""
    found: list[TextTime] = []
    for match in ISO_TIME.finditer(text):
        stamp = datetime.fromisoformat(match.group("stamp").replace("Z", "+00:00").replace(" ", "T"))
        zone = stamp.tzinfo or _zone(match)
        found.append(TextTime(stamp.replace(tzinfo=None), zone, True))
    for match in HUMAN_TIME.finditer(text):
        wall = _wall(match)
        if wall is not None:
            found.append(TextTime(wall, _zone(match), match.group("year") is not None))
        if len(found) >= MAX_TIMES:
            break
    return tuple(found[:MAX_TIMES])


def _wall(match: re.Match[str]) -> datetime | None:
    hour, minute, ampm = int(match.group("hour")), match.group("minute"), match.group("ampm")
    if minute is None and ampm is None:  # "3 Dec 2026" then a stray number: not a time
        return None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower().startswith("p") else 0)
    month_name = (match.group("month1") or match.group("month2")).rstrip(".").casefold()
    month = _MONTHS.get(month_name) or _MONTHS.get(month_name[:3])
    day = int(match.group("day1") or match.group("day2"))
    year = int(match.group("year") or 2000)  # 2000 is a leap year: 29 Feb parses; resolve() picks the year
    try:
        return datetime(year, month or 0, day, hour, int(minute or 0))
    except ValueError:
        return None


def _zone(match: re.Match[str]) -> tzinfo | None:
    if match.group("iana"):
        return _zone_named(match.group("iana"))
    if match.group("utc"):
        offset = match.group("offset")
        if not offset:
            return timezone.utc
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))
    if match.group("city"):
        return _city_zones().get(match.group("city").replace(" ", "_").casefold())
    return None


def _zone_named(name: str) -> tzinfo | None:
    return ZoneInfo(name) if name in _all_zones() else None


@cache
def _all_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@cache
def _city_zones() -> dict[str, ZoneInfo]:
    """"Helsinki time" → Europe/Helsinki: the last part of each IANA name (unique ones only)."""
    cities: dict[str, list[str]] = {}
    for name in _all_zones():
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/")):
            cities.setdefault(name.rsplit("/", 1)[1].casefold(), []).append(name)
    return {city: ZoneInfo(names[0]) for city, names in cities.items() if len(names) == 1}


def resolve(time: TextTime, reader_zone: tzinfo, around: datetime) -> datetime:
    """The moment a written time means for a reader in ``reader_zone``; a time written without a year
    is taken in the year that puts it nearest to ``around`` (mails speak of the coming weeks)."""
    zone = time.zone or reader_zone
    if time.year_given:
        return time.wall.replace(tzinfo=zone)
    options = []
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            options.append(time.wall.replace(year=year, tzinfo=zone))
        except ValueError:  # 29 Feb in a common year
            continue
    return min(options, key=lambda moment: abs(moment - around))
