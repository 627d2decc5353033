"""What replicas "send" by e-mail: handed to an injected sink instead of an SMTP server.

A replica takes ``mail_sink: MailSink`` (any callable). Tests pass an :class:`Outbox`, a small
adapter that delivers into the booking side's ``InMemoryMailbox``, or :func:`into_gmail`, which
puts the mail in the recipient's inbox on the Google fake, so the bot reads it through the real
Gmail client exactly as it would read the platform's real notification.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable


@dataclass(frozen=True)
class SentMail:
    sender: str
    to: str
    subject: str
    body: str
    sent_at: datetime


MailSink = Callable[[SentMail], None]


class Outbox:
    """A sink that keeps every mail, for assertions."""

    def __init__(self) -> None:
        self.sent: list[SentMail] = []
        self._lock = threading.Lock()

    def __call__(self, mail: SentMail) -> None:
        with self._lock:
            self.sent.append(mail)


def discard(mail: SentMail) -> None:
    """The default sink: mail goes nowhere."""


def into_gmail(google: Any) -> MailSink:
    """A sink delivering into ``google`` (a :class:`replicas.google_api.GoogleFake`): the recipient's
    Gmail inbox, received at the replica's "now"."""

    def deliver(mail: SentMail) -> None:
        google.deliver(mail.to, sender=mail.sender, subject=mail.subject, text=mail.body, at=mail.sent_at)

    return deliver
