"""Reading confirmations out of e-mail: pure functions from a mail to a verdict on one booking.

A mail counts for a booking when it names the booking's external id (Cal.com's uid, a Slush
request id), or carries an invite (``text/calendar``, inline or ``.ics``) at the booking's time, or
comes from the startup's person / names the startup in its subject while the teammate has exactly
one pending booking with that startup. What it says is read from the invite's METHOD/STATUS
(REQUEST → confirmed, CANCEL → cancelled, a REPLY declining → declined) or from the subject.

A platform whose own app sends the notifications (the Slush matchmaking app: "Bob Jones declined
your meeting request") describes them with :class:`PlatformMailSignals` on its class
(``mail_signals``); a mail from its senders is read with those rules only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timedelta, timezone
from email.utils import parseaddr
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

SUBJECT_STATES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancelled", re.compile(r"\b(cancel+ed|cancel+ation|canceled)\b", re.I)),
    ("declined", re.compile(r"\b(declined|rejected|not accepted|turned down)\b", re.I)),
    ("rescheduled", re.compile(r"\b(reschedul\w*|proposed a new time|new time proposed)\b", re.I)),
    ("confirmed", re.compile(r"\b(confirmed|accepted|is scheduled|been scheduled|you are scheduled|booking confirmed|new event)\b", re.I)),
)
SLOT_TOLERANCE = timedelta(minutes=1)


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


@dataclass(frozen=True)
class PlatformMailSignals:
    """How one platform's own notification mails read: set as ``mail_signals`` on its Platform class.

    A mail is the platform's when its sender's domain is one of ``sender_domains`` (or a subdomain).
    ``states`` (subject patterns) say what it means; a subject none of them matches means nothing.
    The booking is the one whose external id the ``booking_id`` pattern finds (group ``id``), else
    the one with the person the ``person`` pattern names in the subject (group ``person``).
    ``location`` (group ``location``) reads where an accepted meeting takes place (a table number).
    """

    sender_domains: tuple[str, ...]
    states: tuple[tuple[str, re.Pattern[str]], ...] = ()
    booking_id: re.Pattern[str] | None = None
    person: re.Pattern[str] | None = None
    location: re.Pattern[str] | None = None

    def sent(self, mail: Mail) -> bool:
        domain = mail.sender_address.rpartition("@")[2]
        return any(domain == d or domain.endswith(f".{d}") for d in self.sender_domains)

    def state(self, mail: Mail) -> str | None:
        """The platform's own words decide (a reminder or a chat notice says nothing); no words: generic."""
        if not self.states:
            return state_of(mail, None)
        return next((state for state, pattern in self.states if pattern.search(mail.subject)), None)

    def booking_ids(self, mail: Mail) -> set[str]:
        if self.booking_id is None:
            return set()
        return {m.group("id") for m in self.booking_id.finditer(mail.searchable)}

    def person_named(self, mail: Mail) -> str | None:
        match = self.person.search(mail.subject) if self.person else None
        return " ".join(match.group("person").split()) if match else None

    def location_in(self, mail: Mail) -> str | None:
        match = self.location.search(mail.body) if self.location else None
        return match.group("location").strip() if match else None


@dataclass(frozen=True)
class Candidate:
    """A pending booking a mail may be about (plain data)."""

    id: int
    startup_name: str
    external_booking_id: str | None
    person_email: str | None
    slot: datetime | None
    submitted_at: datetime
    timezone: str = "UTC"
    person_name: str | None = None
    signals: PlatformMailSignals | None = None  # its platform's own mails, if it describes them


@dataclass(frozen=True)
class MailVerdict:
    booking_id: int
    state: str
    detail: str
    slot: datetime | None = None
    ical_uid: str | None = None
    location: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def parse_invites(ics_texts: Iterable[str]) -> tuple[Invite, ...]:
    """VEVENTs from calendar parts; unreadable ones are skipped (a mail is never fatal)."""
    from icalendar import Calendar

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
            invites.append(Invite(
                method=method,
                uid=str(event.get("UID", "")),
                start=moment,
                status=str(event.get("STATUS", "")).upper(),
                organizer=_mailto(event.get("ORGANIZER")),
                attendees=tuple((_mailto(a), str(getattr(a, "params", {}).get("PARTSTAT", "")).upper()) for a in attendees),
                summary=str(event.get("SUMMARY", "")),
                text=text,
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


def match_booking(mail: Mail, candidates: Sequence[Candidate]) -> tuple[Candidate, Invite | None] | None:
    """The one pending booking this mail is about, with the invite that matched (if any)."""
    live = [c for c in candidates if mail.received_at >= c.submitted_at - SLOT_TOLERANCE]
    text = mail.searchable
    by_id = [c for c in live if c.external_booking_id and len(c.external_booking_id) >= 6
             and c.external_booking_id in text]
    if len(by_id) == 1:
        return by_id[0], next(iter(mail.invites), None)
    for invite in mail.invites:
        if invite.start is None:
            continue
        at_time = [c for c in live if c.slot and abs(c.slot - invite.start) <= SLOT_TOLERANCE]
        if len(at_time) == 1:
            return at_time[0], invite
    subject = mail.subject.casefold()
    named = [c for c in live if (c.person_email and c.person_email.casefold() == mail.sender_address)
             or _names(subject, c.startup_name)]
    if len(named) == 1:
        return named[0], next(iter(mail.invites), None)
    return None


def _names(subject: str, startup: str) -> bool:
    """Does the (casefolded) subject name the startup as a whole word? The substring test first:
    it rejects almost every pair without building a pattern (one per startup would overflow re's cache)."""
    name = startup.casefold().strip()
    if len(name) < 3 or name not in subject:
        return False
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", subject) is not None


def platform_verdict(mail: Mail, candidates: Sequence[Candidate]) -> MailVerdict | None:
    """The verdict of a mail the booking's platform sent itself, read with that platform's rules."""
    live = [c for c in candidates if c.signals is not None and mail.received_at >= c.submitted_at - SLOT_TOLERANCE]
    for signals in {id(c.signals): c.signals for c in live}.values():
        if signals is None or not signals.sent(mail):
            continue
        mine = [c for c in live if c.signals is signals]
        ids = signals.booking_ids(mail)
        if ids:  # it names its request: that one or none of ours
            found = [c for c in mine if c.external_booking_id in ids]
        else:
            person = (signals.person_named(mail) or "").casefold()
            found = [c for c in mine if person and (c.person_name or "").casefold() == person]
        state = signals.state(mail)
        if len(found) != 1 or state is None:
            continue
        booking = found[0]
        local = mail.received_at.astimezone(ZoneInfo(booking.timezone))
        return MailVerdict(
            booking_id=booking.id, state=state,
            detail=f"{state} by e-mail from {mail.sender_label} at {local:%H:%M}",
            location=signals.location_in(mail) if state == "confirmed" else None,
        )
    return None


def verdict_for(mail: Mail, candidates: Sequence[Candidate]) -> MailVerdict | None:
    platforms = {id(c.signals): c.signals for c in candidates if c.signals is not None}
    senders = {key for key, signals in platforms.items() if signals.sent(mail)}  # at most a few platforms
    from_platform = platform_verdict(mail, [c for c in candidates if id(c.signals) in senders]) if senders else None
    if from_platform is not None:
        return from_platform
    # A booking whose platform sent this mail was judged by that platform's rules above, and only by them.
    found = match_booking(mail, [c for c in candidates if id(c.signals) not in senders] if senders else candidates)
    if found is None:
        return None
    booking, invite = found
    state = state_of(mail, invite)
    if state is None:
        return None
    local = mail.received_at.astimezone(ZoneInfo(booking.timezone))
    slot = invite.start if invite and state == "confirmed" else None
    return MailVerdict(
        booking_id=booking.id, state=state,
        detail=f"{state} by e-mail from {mail.sender_label} at {local:%H:%M}",
        slot=slot, ical_uid=invite.uid if invite and invite.uid else None,
    )
