"""The subset of Gmail's search syntax the fake understands.

Supported: ``from:``, ``to:``, ``subject:``, ``newer_than:`` / ``older_than:`` (``d``, ``h``, ``m`` =
months, ``y``), ``after:`` / ``before:`` (``YYYY/MM/DD`` at midnight US Pacific time, as Gmail
documents, or epoch seconds), ``has:attachment``, ``filename:``, quoted phrases and bare words
(searched in subject and body), and ``-`` to negate a term. Anything else (``OR``, braces, other
operators) is refused with :class:`UnsupportedQuery` so a test never silently matches the wrong
mail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Callable
from zoneinfo import ZoneInfo

PACIFIC = ZoneInfo("America/Los_Angeles")
_TERM = re.compile(r'(?P<neg>-)?(?:(?P<op>[A-Za-z_]+):(?P<value>"[^"]*"|\S+)|"(?P<phrase>[^"]*)"|(?P<word>\S+))')
_AGE = re.compile(r"^(\d+)([dhmy])$")
_AGE_UNITS = {"d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(days=30), "y": timedelta(days=365)}


class UnsupportedQuery(ValueError):
    """The query uses syntax the fake does not model."""


@dataclass(frozen=True)
class MailFacts:
    """What a search looks at in one message."""

    sender: str
    recipients: str
    subject: str
    body: str
    received: datetime
    attachment_names: tuple[str, ...]


Predicate = Callable[[MailFacts], bool]


def _date_bound(value: str) -> datetime:
    if value.isdigit():
        return datetime.fromtimestamp(int(value), timezone.utc)
    match = re.fullmatch(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", value)
    if not match:
        raise UnsupportedQuery(f"can't read the date {value!r} (use YYYY/MM/DD or epoch seconds)")
    year, month, day = (int(g) for g in match.groups())
    return datetime.combine(datetime(year, month, day).date(), time(0), PACIFIC)


def _age(value: str) -> timedelta:
    match = _AGE.fullmatch(value)
    if not match:
        raise UnsupportedQuery(f"can't read the age {value!r} (use e.g. 2d, 12h, 1m, 1y)")
    return int(match.group(1)) * _AGE_UNITS[match.group(2)]


def compile_query(query: str, now: datetime) -> Predicate:
    """A predicate for ``query``; raises UnsupportedQuery for syntax the fake does not model."""
    predicates: list[Predicate] = []
    for match in _TERM.finditer(query or ""):
        negate = bool(match.group("neg"))
        op = (match.group("op") or "").lower()
        value = (match.group("value") or "").strip('"').casefold()
        if match.group("phrase") is not None or match.group("word") is not None:
            word = (match.group("phrase") if match.group("phrase") is not None else match.group("word")).casefold()
            if word in {"or", "and"} or word[:1] in "({})" or word[-1:] in "({})":
                raise UnsupportedQuery(f"the fake does not model {word!r} in Gmail searches")
            predicate: Predicate = lambda m, w=word: w in m.subject.casefold() or w in m.body.casefold()  # noqa: E731
        elif op == "from":
            predicate = lambda m, v=value: v in m.sender.casefold()  # noqa: E731
        elif op == "to":
            predicate = lambda m, v=value: v in m.recipients.casefold()  # noqa: E731
        elif op == "subject":
            predicate = lambda m, v=value: v in m.subject.casefold()  # noqa: E731
        elif op == "newer_than":
            since = now - _age(value)
            predicate = lambda m, s=since: m.received > s  # noqa: E731
        elif op == "older_than":
            until = now - _age(value)
            predicate = lambda m, u=until: m.received < u  # noqa: E731
        elif op == "after":
            bound = _date_bound(value)
            predicate = lambda m, b=bound: m.received >= b  # noqa: E731
        elif op == "before":
            bound = _date_bound(value)
            predicate = lambda m, b=bound: m.received < b  # noqa: E731
        elif op == "has" and value == "attachment":
            predicate = lambda m: bool(m.attachment_names)  # noqa: E731
        elif op == "filename":
            predicate = lambda m, v=value: any(v in n.casefold() for n in m.attachment_names)  # noqa: E731
        else:
            raise UnsupportedQuery(f"the fake does not model the search operator {op}:{value}")
        predicates.append((lambda m, p=predicate: not p(m)) if negate else predicate)
    return lambda facts: all(p(facts) for p in predicates)
