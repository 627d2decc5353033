"""Gmail in the booking flow: the confirmation check and the mailbox recipes read codes from.

:class:`GmailConfirmationCheck` reads each teammate's new mail once per cycle (``history.list``
from the stored history id; a full ``messages.list`` when Google forgot that id, or the first
time) and turns mails into verdicts with :mod:`booking.mail.signals`. :class:`GmailMailbox`
implements :class:`booking.mail.mailbox.Mailbox` on the same client.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping, Sequence

from booking.config.settings import SettingsError
from booking.confirmations.checks import Verdict
from booking.domain.errors import UnknownPlatform
from booking.mail.mailbox import MailboxUnavailable, MailMessage, MailQuery
from booking.mail.signals import AMBIGUOUS, Candidate, Mail, PlatformMailSignals, parse_invites, read_mail, with_senders
from booking.platforms.registry import PLATFORMS, get_platform
from booking.store.db import Database
from booking.store.models import GmailSyncState
from calendar_sync.errors import GoogleApiError, GoogleAuthError, GoogleError, HistoryTooOld

log = logging.getLogger(__name__)

FULL_SYNC_QUERY = "newer_than:2d"
FULL_SYNC_LIMIT = 200
GMAIL_SCOPE = "https://www.googleapis.com/auth/gmail.readonly"
CANT_READ = "Couldn't read your Gmail for the code the page e-mailed you"


def to_mail(client: Any, message: Any) -> Mail:
    """A Gmail message as :class:`Mail`, with its invites read inline or from attachments."""
    ics = []
    for part in message.calendar_parts():
        try:
            ics.append(client.part_bytes(message, part).decode("utf-8", "replace"))
        except Exception as exc:  # one broken attachment must not hide the rest of the mail
            log.warning("could not read an invite in message %s: %s", message.id, exc)
    received = message.internal_date or datetime.now(timezone.utc)
    return Mail(sender=message.sender, subject=message.subject, body=message.text(), received_at=received,
                invites=parse_invites(ics))


def platform_rules(senders: Mapping[str, Sequence[str]]) -> dict[str, PlatformMailSignals | None]:
    """Each platform's notification-mail rules with the sender domains configured for it
    (``BOOKER_MAIL_SENDERS_<PLATFORM>``); a setting naming no platform is a SettingsError."""
    rules = {p.name: p.mail_signals for p in PLATFORMS}
    for key, domains in senders.items():
        name = next((p.name for p in PLATFORMS if key in (p.name, p.name.removesuffix("_platform"))), None)
        if name is None:
            known = ", ".join(sorted(p.name.removesuffix("_platform") for p in PLATFORMS))
            raise SettingsError(f"BOOKER_MAIL_SENDERS_{key.upper()} names no platform (known: {known})")
        rules[name] = with_senders(rules[name], domains)
    return rules


def _rules_of(rules: Mapping[str, PlatformMailSignals | None], platform_name: str) -> PlatformMailSignals | None:
    """The platform's rules (None for platforms without, or a name no module has any more)."""
    if platform_name in rules:
        return rules[platform_name]
    try:
        return get_platform(platform_name).mail_signals
    except UnknownPlatform:
        return None


class GmailConfirmationCheck:
    """One ``history.list`` per teammate per cycle, however many of their bookings are pending."""

    name = "email"

    def __init__(self, workspace: Any, db: Database, clock: Callable[[], datetime],
                 senders: Mapping[str, Sequence[str]] | None = None) -> None:
        self.workspace = workspace
        self.db = db
        self.clock = clock
        self.rules = platform_rules(senders or {})

    def check(self, bookings: Sequence[Any], now: datetime) -> dict[int, Verdict]:
        """Verdicts by booking id; an ``ambiguous`` one changes nothing (the monitor notes it in the thread)
        and is replaced by a later mail's decisive verdict."""
        by_teammate: dict[str, list[Candidate]] = defaultdict(list)
        for b in bookings:
            if self.workspace.serves(b.user_email):
                by_teammate[b.user_email.casefold()].append(Candidate(
                    id=b.id, startup_name=b.startup_name, external_booking_id=b.external_booking_id,
                    person_email=b.person_email, slot=b.slot, submitted_at=b.submitted_at,
                    timezone=getattr(b, "user_timezone", "UTC"),
                    person_name=getattr(b, "person_name", None), signals=_rules_of(self.rules, b.platform),
                    other_slots=tuple(s for s in (getattr(b, "slot_2", None), getattr(b, "reschedule_to", None)) if s),
                ))
        verdicts: dict[int, Verdict] = {}
        for email, candidates in by_teammate.items():
            try:
                mails = self._new_mail(email)
            except Exception as exc:  # Gmail down for one teammate: the others still get checked
                log.warning("Gmail check for %s failed: %s", email, exc)
                continue
            for mail in mails:
                open_ = [c for c in candidates if c.id not in verdicts or verdicts[c.id].state == AMBIGUOUS]
                for found in read_mail(mail, open_):
                    verdicts[found.booking_id] = Verdict(found.state, "email", found.detail, found.slot,
                                                         found.location, found.ical_uid)
        return verdicts

    def _new_mail(self, email: str) -> list[Mail]:
        client = self.workspace.gmail(email)
        with self.db.session() as session:
            state = session.get(GmailSyncState, email)
            start = state.history_id if state else None
        ids: list[str]
        full = start is None
        if not full:
            try:
                page = client.changes_since(start)
                ids, latest = page.added, page.history_id
            except HistoryTooOld:
                full = True
        if full:
            latest = client.profile().history_id
            ids = list(client.iter_message_ids(FULL_SYNC_QUERY, limit=FULL_SYNC_LIMIT))
        mails = [to_mail(client, client.get_message(message_id)) for message_id in ids]
        with self.db.transaction() as session:
            state = session.get(GmailSyncState, email) or GmailSyncState(user_email=email, full_syncs=0)
            state.history_id = latest
            state.synced_at = self.clock()
            state.full_syncs = (state.full_syncs or 0) + (1 if full else 0)
            session.add(state)
        return mails


class GmailMailbox:
    """:class:`booking.mail.mailbox.Mailbox` on Gmail: a search per look-up, newest last."""

    def __init__(self, workspace: Any) -> None:
        self.workspace = workspace

    def messages(self, query: MailQuery) -> list[MailMessage]:
        """Raises MailboxUnavailable (a sentence, never a Google exception) when Gmail can't be read."""
        if not self.workspace.serves(query.to):
            raise MailboxUnavailable(f"{CANT_READ}: Booker's Google access doesn't cover {query.to}")
        terms = [f"after:{int((query.after - timedelta(minutes=1)).timestamp())}"]
        if query.sender:
            terms.append(f"from:{query.sender}")
        if query.subject:
            terms.append(f'subject:"{query.subject}"')
        found = []
        try:
            client = self.workspace.gmail(query.to)
            for message_id in client.iter_message_ids(" ".join(terms), limit=20):
                message = client.get_message(message_id)
                mail = MailMessage(sender=message.sender, to=message.header("To") or query.to,
                                   subject=message.subject, body=message.text(),
                                   received_at=message.internal_date or query.after)
                if query.matches(mail):
                    found.append(mail)
        except GoogleError as exc:
            refused = isinstance(exc, GoogleAuthError) or (isinstance(exc, GoogleApiError) and exc.status in (401, 403))
            hint = f"; an admin grants Booker {GMAIL_SCOPE} for your account" if refused else ""
            raise MailboxUnavailable(f"{CANT_READ} ({exc}){hint}") from None
        return sorted(found, key=lambda m: m.received_at)
