"""Which pending booking an answer mail is about, and what it says: pure functions, no Gmail, no DB.

A mail is matched, in this order of trust:

1. by the platform's id of the request (Cal.com's uid, a Slush meeting link) — a mail naming a request
   that isn't one of ours matches nothing;
2. else by person AND time together: the startup's person (their address, or their name in the mail)
   and a time in the mail (an invite's start, or a date written in the text, read in the zone it names
   or else the teammate's) equal to one of the booking's slots;
3. else by one weaker sign that only one booking shows: the sender is the booking's person, an invite
   is at its time, or the platform's own mail names its person;
4. else by the startup's name in the subject — enough only while the teammate has one pending booking
   with that startup.

Two bookings that fit equally make the mail *ambiguous*: it changes nothing, and each booking gets an
``ambiguous`` verdict so its thread can say so. What the mail says comes from its invite (METHOD /
STATUS), the platform's own words, or the subject; a confirmation carries the meeting's place (the
invite's LOCATION, the platform's "table", a "Where:" line) and a reschedule the new time when the
mail gives one.

A platform whose own app sends the notifications (the Slush matchmaking app: "Bob Jones declined
your meeting request") describes them with :class:`PlatformMailSignals` on its class
(``mail_signals``); a mail from its senders is read for that platform's bookings only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Sequence
from zoneinfo import ZoneInfo

from booking.mail.reading import Invite, Mail, TextTime, parse_invites, resolve, state_of

__all__ = ["AMBIGUOUS", "Candidate", "Invite", "Mail", "MailVerdict", "PlatformMailSignals", "parse_invites",
           "read_mail", "state_of", "verdict_for", "with_senders"]

SLOT_TOLERANCE = timedelta(minutes=1)
AMBIGUOUS = "ambiguous"


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

    def state(self, mail: Mail, invite: Invite | None = None) -> str | None:
        """The platform's own words decide (a reminder or a chat notice says nothing); no words: generic."""
        if not self.states:
            return state_of(mail, invite)
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
    other_slots: tuple[datetime, ...] = ()  # the alternative offered, the confirmed time

    @property
    def slots(self) -> tuple[datetime, ...]:
        return tuple(s for s in (self.slot, *self.other_slots) if s is not None)


@dataclass(frozen=True)
class MailVerdict:
    booking_id: int
    state: str  # confirmed, declined, cancelled, rescheduled — or AMBIGUOUS (nothing is changed)
    detail: str
    slot: datetime | None = None
    ical_uid: str | None = None
    location: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    others: tuple[int, ...] = ()  # an ambiguous mail: the other bookings it fits


def with_senders(signals: PlatformMailSignals | None, domains: Sequence[str] | None) -> PlatformMailSignals | None:
    """A platform's rules with the sender domains a deployment configured (None: the platform's own)."""
    if domains is None:
        return signals
    if signals is None:
        return PlatformMailSignals(sender_domains=tuple(domains))
    return replace(signals, sender_domains=tuple(domains))


def verdict_for(mail: Mail, candidates: Sequence[Candidate]) -> MailVerdict | None:
    """The one booking this mail decides, or None (no match, nothing said, or ambiguous)."""
    verdicts = read_mail(mail, candidates)
    return verdicts[0] if len(verdicts) == 1 and verdicts[0].state != AMBIGUOUS else None


def read_mail(mail: Mail, candidates: Sequence[Candidate]) -> list[MailVerdict]:
    """One verdict for the booking the mail decides, an AMBIGUOUS one per booking it fits equally, or []."""
    live = [c for c in candidates if mail.received_at >= c.submitted_at - SLOT_TOLERANCE]
    sent_by_platform = [c for c in live if c.signals is not None and c.signals.sent(mail)]
    found = _matching(mail, sent_by_platform or live)
    said = [(c, _invite_for(mail, c)) for c in found]
    said = [(c, invite, state) for c, invite in said if (state := _state(mail, c, invite)) is not None]
    if len(said) == 1:
        return [_verdict(mail, *said[0])]
    ids = [c.id for c, _, _ in said]
    subject = mail.subject if len(mail.subject) <= 80 else mail.subject[:79] + "…"
    return [MailVerdict(
        booking_id=c.id, state=AMBIGUOUS, others=tuple(i for i in ids if i != c.id),
        detail=(f"An e-mail from {mail.sender_label} ({subject!r}) fits this booking and "
                f"{_numbered([i for i in ids if i != c.id])} equally, so Booker changed neither; "
                f"check which meeting it is about"),
    ) for c, _, _ in said]


def _numbered(ids: Sequence[int]) -> str:
    return ", ".join(f"#{i}" for i in ids)


def _matching(mail: Mail, pool: Sequence[Candidate]) -> list[Candidate]:
    """The bookings the mail fits best (one: a match; more: ambiguous; none: not ours)."""
    named: set[str] = set()
    for signals in {id(c.signals): c.signals for c in pool if c.signals is not None}.values():
        if signals is not None and signals.sent(mail):
            named |= signals.booking_ids(mail)
    by_id = [c for c in pool if c.external_booking_id and (
        c.external_booking_id in named
        or (len(c.external_booking_id) >= 6 and c.external_booking_id in mail.searchable))]
    if by_id or named:  # a mail naming its request is about that one, or about none of ours
        return by_id
    said = {id(s): (s.person_named(mail) or "").casefold() for s in {id(c.signals): c.signals for c in pool
            if c.signals is not None and c.signals.person is not None and c.signals.sent(mail)}.values() if s}
    person = {c.id: _person(mail, c, said) for c in pool}  # computed once: pools run to thousands
    strong = [c for c in pool if person[c.id] and _at_time(mail, c, text=True)]
    if strong:
        return strong
    weak = [c for c in pool if person[c.id] == SURE or (mail.invites and _at_time(mail, c, text=False))]
    if weak:
        return weak
    # The startup's name: enough while the teammate has one pending booking with it; two fit equally.
    subject = mail.subject.casefold()
    return [c for c in pool if _names(subject, c.startup_name)]


NAMED, SURE = 1, 2  # how a booking's person is in a mail: their name somewhere / their address or the app's words


def _person(mail: Mail, c: Candidate, said: dict[int, str]) -> int:
    """Is the booking's person in the mail? SURE by address or by the platform's own words (``said``:
    the person each sending platform's mail names); NAMED by their name anywhere (counts only with a time)."""
    if c.person_email and c.person_email.casefold() in mail.addresses:
        return SURE
    name = " ".join((c.person_name or "").split()).casefold()
    if not name:
        return 0
    if c.signals is not None and id(c.signals) in said:
        return SURE if said[id(c.signals)] == name else 0
    return NAMED if len(name) >= 3 and _names(mail.folded, name) else 0


def _at_time(mail: Mail, c: Candidate, *, text: bool) -> bool:
    """Is one of the booking's slots in the mail: an invite's start, or (``text``) a written time?"""
    return any(_moment_in(mail, c, slot, text) for slot in c.slots)


def _moment_in(mail: Mail, c: Candidate, slot: datetime, text: bool) -> bool:
    if any(i.start is not None and abs(i.start - slot) <= SLOT_TOLERANCE for i in mail.invites):
        return True
    return text and any(abs(_written(t, c, mail) - slot) <= SLOT_TOLERANCE for t in mail.text_times)


def _written(time: TextTime, c: Candidate, mail: Mail) -> datetime:
    return resolve(time, ZoneInfo(c.timezone), c.slot or mail.received_at)


def _invite_for(mail: Mail, c: Candidate) -> Invite | None:
    """The invite about this booking: the one at one of its times, else the mail's first."""
    at_slot = [i for i in mail.invites if i.start is not None
               and any(abs(i.start - s) <= SLOT_TOLERANCE for s in c.slots)]
    return next(iter(at_slot or mail.invites), None)


def _state(mail: Mail, c: Candidate, invite: Invite | None) -> str | None:
    if c.signals is not None and c.signals.sent(mail):
        return c.signals.state(mail, invite)
    return state_of(mail, invite)


def _verdict(mail: Mail, c: Candidate, invite: Invite | None, state: str) -> MailVerdict:
    local = mail.received_at.astimezone(ZoneInfo(c.timezone))
    slot = None
    location = None
    if state == "confirmed":  # at the invite's time, else at the one of its times the mail names
        slot = invite.start if invite else _named_slot(mail, c)
        own = c.signals.location_in(mail) if c.signals is not None and c.signals.sent(mail) else None
        location = own or mail.place
    elif state == "rescheduled":
        slot = _new_time(mail, c)
    return MailVerdict(
        booking_id=c.id, state=state, detail=f"{state} by e-mail from {mail.sender_label} at {local:%H:%M}",
        slot=slot, ical_uid=invite.uid if invite and invite.uid else None, location=location,
    )


def _named_slot(mail: Mail, c: Candidate) -> datetime | None:
    """The one of the booking's times (first choice, alternative, a proposed new time) the mail names."""
    named = {s for s in c.slots for t in mail.text_times if abs(_written(t, c, mail) - s) <= SLOT_TOLERANCE}
    return named.pop() if len(named) == 1 else None


def _new_time(mail: Mail, c: Candidate) -> datetime | None:
    """The time a reschedule mail proposes: the one time in it that is none of the booking's own
    (an invite's start, else a written time). Without the booking's times, old and new can't be told apart."""
    if not c.slots:
        return None
    from_invites = _unlike([i.start for i in mail.invites if i.start is not None], c.slots)
    if from_invites:
        return from_invites.pop() if len(from_invites) == 1 else None
    written = _unlike([_written(t, c, mail) for t in mail.text_times], c.slots)
    return written.pop() if len(written) == 1 else None


def _unlike(moments: Sequence[datetime], slots: Sequence[datetime]) -> set[datetime]:
    return {m for m in moments if all(abs(m - s) > SLOT_TOLERANCE for s in slots)}


def _names(subject: str, startup: str) -> bool:
    """Does the (casefolded) subject name the startup as a whole word? The substring test first:
    it rejects almost every pair without building a pattern (one per startup would overflow re's cache)."""
    name = startup.casefold().strip()
    if len(name) < 3 or name not in subject:
        return False
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", subject) is not None
