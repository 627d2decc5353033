"""The startup directory: find a startup by name or alias, suggest close names when unsure.

Names in any script get a readable id: ``Мир Тех`` → ``mir-tekh`` (transliterated), a name with
nothing to transliterate (``🚀``) → ``startup-<hash>``; two different names never share an id (a
clash gets a ``-2``, ``-3`` suffix), so one startup can't overwrite another's page and people.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session
from text_unidecode import unidecode

from booking.recipes.loading import load_recipe
from booking.store.models import Startup, StartupBookingConfig

MAX_ID = 64


@lru_cache(maxsize=65536)
def exact(name: str) -> str:
    """Case-, accent- and punctuation-blind, but in the name's own script: what "the same name" means."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKC", text).casefold()
    words = re.sub(r"[\W_]+", " ", text).split()
    return " ".join(words) or " ".join(text.split())


@lru_cache(maxsize=65536)  # every lookup normalizes every name in the directory
def normalize(name: str) -> str:
    """Case-, accent-, script- and punctuation-blind form used for matching.

    Transliterated, so ``Мир Тех`` and ``mir tekh`` meet; a name with nothing to transliterate
    (emoji, symbols) keeps its own characters, so it still matches itself.
    """
    latin = re.sub(r"[^0-9a-z]+", " ", unidecode(exact(name)).casefold()).strip()
    return latin or exact(name)


def slugify(name: str) -> str:
    """The id a name asks for: its transliteration, else a short hash of the name (never empty)."""
    slug = re.sub(r"[^0-9a-z]+", "-", normalize(name)).strip("-")[:MAX_ID].strip("-")
    if slug:
        return slug
    return "startup-" + hashlib.sha1(exact(name).encode("utf-8")).hexdigest()[:10]


def free_id(name: str, holder_of: Callable[[str], str | None]) -> str:
    """An id for ``name`` that no startup with another name holds (``holder_of(id)``: its name or None)."""
    base = slugify(name)
    candidate, number = base, 1
    while True:
        holder = holder_of(candidate)
        if holder is None or exact(holder) == exact(name):
            return candidate
        number += 1
        suffix = f"-{number}"
        candidate = base[:MAX_ID - len(suffix)] + suffix


@dataclass
class Lookup:
    startup: Startup | None
    suggestions: list[str] = field(default_factory=list)


def find_startup(session: Session, query: str, limit: int = 3) -> Lookup:
    """The startup ``query`` names (its name, id or an alias, blind to case, accents, script and
    punctuation), else up to ``limit`` close names to suggest."""
    wanted = normalize(query)
    if not wanted:
        return Lookup(None)
    # The usual case, a startup's own name: its id is that name's slug (one primary-key read).
    # A name or id match wins over another startup's alias.
    by_id = session.get(Startup, slugify(query))
    if by_id is not None and (query.strip().casefold() == by_id.id or exact(query) == exact(by_id.display_name)):
        return Lookup(by_id)
    exact_names, names = _name_index(session)
    if exact(query) in exact_names:  # the name as written beats a transliteration's namesake
        return Lookup(session.get_one(Startup, exact_names[exact(query)][0]))
    if wanted in names:
        return Lookup(session.get_one(Startup, names[wanted][0]))
    close = difflib.get_close_matches(wanted, list(names), n=limit * 3, cutoff=0.6)
    contained = [name for name in names if wanted in name.split() or name.startswith(wanted)]
    suggestions: list[str] = []
    for name in contained + close:
        display = names[name][1]
        if display not in suggestions:
            suggestions.append(display)
    return Lookup(None, suggestions[:limit])


def _name_index(session: Session) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(exact, normalized) id / name / alias → (startup id, display name), first in display-name order.

    Plain columns, not ORM objects: every ``/book`` reads the whole directory, and at a
    conference it holds hundreds of startups (loading them as objects cost ~0.1 s per command).
    """
    rows = session.execute(select(Startup.id, Startup.display_name, Startup.aliases).order_by(Startup.display_name))
    exact_names: dict[str, tuple[str, str]] = {}
    names: dict[str, tuple[str, str]] = {}
    for startup_id, display_name, aliases in rows:
        for name in (display_name, *(aliases or [])):
            exact_names.setdefault(exact(str(name)), (startup_id, display_name))
        for name in (startup_id, display_name, *(aliases or [])):
            names.setdefault(normalize(str(name)), (startup_id, display_name))
    return exact_names, names


def upsert_startup(
    session: Session,
    *,
    name: str,
    booking_url: str,
    platform: str,
    people: Iterable[dict[str, Any]] = (),
    aliases: Iterable[str] = (),
    startup_id: str | None = None,
    selectors: dict[str, Any] | None = None,
    success_indicators: list[Any] | None = None,
    notes: str | None = None,
    recipe: str | None = None,
) -> Startup:
    """Add or update a directory entry and its booking config (the caller commits).

    ``selectors``, ``success_indicators``, ``notes`` and ``recipe`` left as None keep what is stored
    (a re-import must not erase a recipe); ``recipe=""`` clears it. A ``recipe`` (YAML) is
    validated first: an invalid one raises RecipeError and changes nothing.
    """
    if recipe:
        load_recipe(recipe)
    key = startup_id or free_id(name, lambda candidate: _holder(session, candidate))
    return write_startup(session, session.get(Startup, key), key, name=name, booking_url=booking_url,
                         platform=platform, people=people, aliases=aliases, selectors=selectors,
                         success_indicators=success_indicators, notes=notes, recipe=recipe)


def write_startup(
    session: Session,
    startup: Startup | None,
    key: str,
    *,
    name: str,
    booking_url: str,
    platform: str,
    people: Iterable[dict[str, Any]] = (),
    aliases: Iterable[str] = (),
    selectors: dict[str, Any] | None = None,
    success_indicators: list[Any] | None = None,
    notes: str | None = None,
    recipe: str | None = None,
) -> Startup:
    """:func:`upsert_startup` on a startup already read (or None to add ``key``): no query of its own,
    so an import of thousands of rows costs one read of the directory, not one per row."""
    if startup is None:
        startup = Startup(id=key, display_name=name, aliases=list(aliases))
        session.add(startup)
    else:
        startup.display_name = name
        startup.aliases = list(aliases) or startup.aliases
    config = startup.config or StartupBookingConfig(startup_id=key, platform_type=platform, booking_url=booking_url,
                                                    selectors={}, success_indicators=[], form_answers={})
    config.platform_type = platform
    config.booking_url = booking_url
    config.available_people = [dict(p) for p in people]
    if selectors is not None:
        config.selectors = selectors
    if success_indicators is not None:
        config.success_indicators = success_indicators
    if notes is not None:
        config.automation_notes = notes
    if recipe is not None:
        config.recipe = recipe or None
    startup.config = config
    return startup


def _holder(session: Session, startup_id: str) -> str | None:
    startup = session.get(Startup, startup_id)
    return startup.display_name if startup is not None else None
