"""What replicas "send" by e-mail: handed to an injected sink instead of an SMTP server.

A replica takes ``mail_sink: MailSink`` (any callable). Tests pass an :class:`Outbox`, or a small
adapter that delivers into the booking side's ``InMemoryMailbox``; later the Gmail fake can be
the sink, so the bot reads the same mail through the real Gmail client.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Callable


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
