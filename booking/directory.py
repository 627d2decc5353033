"""The startup directory: find a startup by name or alias, suggest close names when unsure."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from booking.models import Startup, StartupBookingConfig


@lru_cache(maxsize=65536)  # every lookup normalizes every name in the directory
def normalize(name: str) -> str:
    """Case-, accent- and punctuation-blind form used for matching."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def slugify(name: str) -> str:
    return normalize(name).replace(" ", "-")[:64] or "startup"


@dataclass
class Lookup:
    startup: Startup | None
    suggestions: list[str] = field(default_factory=list)


def find_startup(session: Session, query: str, limit: int = 3) -> Lookup:
    """The startup ``query`` names (its name, id or an alias, blind to case, accents and punctuation),
    else up to ``limit`` close names to suggest."""
    wanted = normalize(query)
    if not wanted:
        return Lookup(None)
    # The usual case, a startup's own name: its id is that name's slug (one primary-key read).
    # A name or id match wins over another startup's alias.
    by_id = session.get(Startup, slugify(query))
    if by_id is not None and wanted in (normalize(by_id.id), normalize(by_id.display_name)):
        return Lookup(by_id)
    names = _name_index(session)
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


def _name_index(session: Session) -> dict[str, tuple[str, str]]:
    """normalized id / name / alias → (startup id, display name), first in display-name order.

    Plain columns, not ORM objects: every ``/book`` reads the whole directory, and at a
    conference it holds hundreds of startups (loading them as objects cost ~0.1 s per command).
    """
    rows = session.execute(select(Startup.id, Startup.display_name, Startup.aliases).order_by(Startup.display_name))
    names: dict[str, tuple[str, str]] = {}
    for startup_id, display_name, aliases in rows:
        for name in (startup_id, display_name, *(aliases or [])):
            names.setdefault(normalize(str(name)), (startup_id, display_name))
    return names


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

    A ``recipe`` (YAML) is validated first: an invalid one raises RecipeError and changes nothing.
    """
    if recipe:
        from booking.recipes import load_recipe

        load_recipe(recipe)
    key = startup_id or slugify(name)
    startup = session.get(Startup, key)
    if startup is None:
        startup = Startup(id=key, display_name=name, aliases=list(aliases))
        session.add(startup)
    else:
        startup.display_name = name
        startup.aliases = list(aliases) or startup.aliases
    config = startup.config or StartupBookingConfig(startup_id=key, platform_type=platform, booking_url=booking_url)
    config.platform_type = platform
    config.booking_url = booking_url
    config.available_people = [dict(p) for p in people]
    config.selectors = selectors or {}
    config.success_indicators = success_indicators or []
    config.automation_notes = notes
    config.recipe = recipe or None
    startup.config = config
    return startup
