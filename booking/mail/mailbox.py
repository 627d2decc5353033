"""Reading e-mail the booking flow depends on (a one-time code, a platform's notification).

The core never talks to Gmail here. It asks a :class:`Mailbox` — "messages to this address, from
this sender, with this subject, since then" — and waits with a :data:`Waiter` it is given (in a
browser job: the page's explicit wait; in tests: a wait that moves a fake clock). The Gmail client
(``calendar_sync``) implements :class:`Mailbox` for production; :class:`InMemoryMailbox` is the
stand-in the tests and the replicas' mail sinks feed.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Collection, Protocol, Sequence, TypeVar

from booking.domain.errors import BookingError

T = TypeVar("T")
# waiter(condition, timeout_seconds, what) polls ``condition`` until it returns something truthy and
# returns that; on timeout it raises a BookingError naming ``what``.
Waiter = Callable[[Callable[[], T | None], float, str], T]


class CodeNotReceived(BookingError):
    """The e-mail with the code did not arrive (or did not contain a code) in time."""


class MailboxUnavailable(BookingError):
    """The mailbox itself can't be read (access refused, service down): waiting longer won't help."""


@dataclass(frozen=True)
class MailMessage:
    sender: str
    to: str
    subject: str
    body: str
    received_at: datetime


@dataclass(frozen=True)
class MailQuery:
    """Which mails count: all given parts must match (case-insensitive substring for sender/subject)."""

    to: str
    after: datetime
    sender: str | None = None
    subject: str | None = None

    def matches(self, message: MailMessage) -> bool:
        return (
            _address_in(self.to, message.to)
            and message.received_at >= self.after
            and (not self.sender or self.sender.casefold() in message.sender.casefold())
            and (not self.subject or self.subject.casefold() in message.subject.casefold())
        )


def _address_in(address: str, header: str) -> bool:
    return address.casefold() in header.casefold()


class Mailbox(Protocol):
    """Looks mails up without waiting; newest last."""

    def messages(self, query: MailQuery) -> Sequence[MailMessage]:
        ...


class InMemoryMailbox:
    """A thread-safe list of delivered mails; ``deliver`` is what a replica's mail sink calls."""

    def __init__(self) -> None:
        self._messages: list[MailMessage] = []
        self._lock = threading.Lock()

    def deliver(self, message: MailMessage) -> None:
        with self._lock:
            self._messages.append(message)

    def messages(self, query: MailQuery) -> list[MailMessage]:
        with self._lock:
            return [m for m in self._messages if query.matches(m)]

    @property
    def all(self) -> list[MailMessage]:
        with self._lock:
            return list(self._messages)


def extract_code(pattern: str, message: MailMessage) -> str | None:
    """The code in a mail: the named group ``code``, else the first group, else the whole match."""
    match = re.search(pattern, f"{message.subject}\n{message.body}")
    if not match:
        return None
    if "code" in match.re.groupindex:
        return match.group("code")
    return match.group(1) if match.re.groups else match.group(0)


class CodeReader:
    """Waits for a mail matching a query and pulls a code out of it."""

    def __init__(self, mailbox: Mailbox, wait: Waiter) -> None:
        self.mailbox = mailbox
        self.wait = wait

    def wait_for_code(self, query: MailQuery, pattern: str, timeout: float,
                      ignore: Collection[MailMessage] = ()) -> str:
        """The code from the newest matching mail not in ``ignore`` (mails that were there before the
        page was asked to send one); CodeNotReceived if none came within ``timeout``."""
        seen_without_code: list[str] = []

        def code_arrived() -> str | None:
            found = [m for m in self.mailbox.messages(query) if m not in ignore]
            for message in reversed(found):
                code = extract_code(pattern, message)
                if code:
                    return code
            seen_without_code[:] = [m.subject for m in found]
            return None

        what = _describe(query)
        try:
            return self.wait(code_arrived, timeout, what)
        except MailboxUnavailable:
            raise
        except BookingError:
            if seen_without_code:
                raise CodeNotReceived(
                    f"The e-mail {what} arrived ({seen_without_code[-1]!r}) but no code matched the recipe's pattern"
                ) from None
            raise CodeNotReceived(f"No e-mail {what} arrived within {timeout:.0f} s") from None


def _describe(query: MailQuery) -> str:
    parts = []
    if query.sender:
        parts.append(f"from {query.sender}")
    if query.subject:
        parts.append(f"with {query.subject!r} in the subject")
    return " ".join(parts) or f"to {query.to}"


def clock_waiter(clock: Callable[[], datetime], advance: Callable[[timedelta], None],
                 step: timedelta = timedelta(seconds=1)) -> Waiter:
    """A waiter driven by a (fake) clock: polls, then advances the clock by ``step``; for tests and
    for callers that have no page to wait on."""

    def wait(condition: Callable[[], T | None], timeout: float, what: str) -> T:
        deadline = clock() + timedelta(seconds=timeout)
        while True:
            value = condition()
            if value:
                return value
            if clock() >= deadline:
                raise CodeNotReceived(f"Timed out waiting for {what}")
            advance(step)

    return wait
