"""Gmail in the booking flow: the confirmation check and the mailbox recipes read codes from.

:class:`GmailConfirmationCheck` reads each teammate's new mail once per cycle (``history.list``
from the stored history id; a full ``messages.list`` when Google forgot that id, or the first
time) and turns mails into verdicts with :mod:`booking.mail_signals`. :class:`GmailMailbox`
implements :class:`booking.mail.Mailbox` on the same client.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Sequence

from booking.db import Database
from booking.mail import MailboxUnavailable, MailMessage, MailQuery
from booking.mail_signals import Candidate, Mail, parse_invites, verdict_for
from booking.models import GmailSyncState

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


def _mail_signals(platform_name: str) -> Any:
    """The platform's own notification-mail rules (None for platforms without, or unknown names)."""
    from booking.errors import UnknownPlatform
    from booking.platforms import get_platform

    try:
        return get_platform(platform_name).mail_signals
    except UnknownPlatform:
        return None


class GmailConfirmationCheck:
    """One ``history.list`` per teammate per cycle, however many of their bookings are pending."""

    name = "email"

    def __init__(self, workspace: Any, db: Database, clock: Callable[[], datetime]) -> None:
        self.workspace = workspace
        self.db = db
        self.clock = clock

    def check(self, bookings: Sequence[Any], now: datetime) -> dict[int, Any]:
        from booking.confirm import Verdict

        by_teammate: dict[str, list[Candidate]] = defaultdict(list)
        for b in bookings:
            if self.workspace.serves(b.user_email):
                by_teammate[b.user_email.casefold()].append(Candidate(
                    id=b.id, startup_name=b.startup_name, external_booking_id=b.external_booking_id,
                    person_email=b.person_email, slot=b.slot, submitted_at=b.submitted_at,
                    timezone=getattr(b, "user_timezone", "UTC"),
                    person_name=getattr(b, "person_name", None), signals=_mail_signals(b.platform),
                ))
        verdicts: dict[int, Verdict] = {}
        for email, candidates in by_teammate.items():
            try:
                mails = self._new_mail(email)
            except Exception as exc:  # Gmail down for one teammate: the others still get checked
                log.warning("Gmail check for %s failed: %s", email, exc)
                continue
            for mail in mails:
                found = verdict_for(mail, [c for c in candidates if c.id not in verdicts])
                if found:
                    verdicts[found.booking_id] = Verdict(found.state, "email", found.detail, found.slot,
                                                         found.location, found.ical_uid)
        return verdicts

    def _new_mail(self, email: str) -> list[Mail]:
        from calendar_sync.errors import HistoryTooOld

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
    """:class:`booking.mail.Mailbox` on Gmail: a search per look-up, newest last."""

    def __init__(self, workspace: Any) -> None:
        self.workspace = workspace

    def messages(self, query: MailQuery) -> list[MailMessage]:
        """Raises MailboxUnavailable (a sentence, never a Google exception) when Gmail can't be read."""
        from calendar_sync.errors import GoogleApiError, GoogleAuthError, GoogleError

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
