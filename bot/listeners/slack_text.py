"""Slash-command text read the way Slack sends it.

Slack escapes ``&``, ``<`` and ``>`` in command text as ``&amp;``, ``&lt;`` and ``&gt;``, and sends
links, e-mail addresses and mentions as ``<https://x|label>``, ``<mailto:a@b|a@b>``, ``<@U123>``.
The tokens are taken out FIRST (a ``<`` in them is Slack's, not the user's), then the rest is
un-escaped — so ``R&amp;D Labs`` is one startup "R&D Labs" and never split at the ``;`` of ``&amp;``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

_TOKEN = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


def unescape(text: str) -> str:
    """``&amp;`` ``&lt;`` ``&gt;`` → ``&`` ``<`` ``>`` (the only three Slack escapes), in one pass."""
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], text)


@dataclass(frozen=True)
class Token:
    """A Slack link or mention: ``target`` is the URL, ``mailto:…``, ``@U123``, ``#C123`` or ``!here``."""

    target: str
    label: str | None = None

    @property
    def is_url(self) -> bool:
        return self.target.startswith(("http://", "https://"))

    @property
    def email(self) -> str | None:
        return self.target.removeprefix("mailto:") if self.target.startswith("mailto:") else None

    @property
    def is_mention(self) -> bool:
        return self.target.startswith(("@", "#", "!"))


def tokens(text: str) -> list[str | Token]:
    """The text cut into plain pieces (un-escaped) and Slack's tokens (their parts un-escaped)."""
    pieces: list[str | Token] = []
    at = 0
    for match in _TOKEN.finditer(text or ""):
        if match.start() > at:
            pieces.append(unescape(text[at:match.start()]))
        label = match.group(2)
        pieces.append(Token(unescape(match.group(1)), unescape(label) if label is not None else None))
        at = match.end()
    if at < len(text or ""):
        pieces.append(unescape(text[at:]))
    return pieces


def render(text: str, token: Callable[[Token], str]) -> str:
    """The text as plain words: each Slack token becomes ``token(t)``, the rest is un-escaped."""
    return "".join(piece if isinstance(piece, str) else token(piece) for piece in tokens(text))


def as_typed(item: Token) -> str:
    """What the person typed, as near as we can tell: a link's URL, an address, a mention's label."""
    if item.email is not None:
        return item.email
    if item.is_url:
        return item.target
    return item.label or item.target


def plain(text: str) -> str:
    """Command text as the person typed it (links as their URLs, e-mails as addresses)."""
    return render(text, as_typed)
