"""Seeing and pruning the directory: list, export (in the import's own format), remove, recipes.

Shared by ``python -m booking startups …`` and ``/book-admin``; every function takes the database
and answers with text for a person, raising ShortlistError (one line) for a bad name or recipe.
An export re-imports to the same directory, recipes included.
"""
from __future__ import annotations

import csv
import io
from typing import Any

import yaml
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from booking.domain.states import ACTIVE_STATUSES
from booking.recipes.loading import load_recipe
from booking.recipes.schema import RecipeError
from booking.store.db import Database
from booking.store.directory import find_startup
from booking.store.imports import ShortlistError
from booking.store.models import MeetingBookingRequest, Startup

EXPORT_COLUMNS = ("name", "booking_url", "platform", "aliases", "people", "recipe")


def known_startup(session: Session, name: str) -> Startup:
    """The startup ``name`` means, or ShortlistError saying so (with close names to try)."""
    lookup = find_startup(session, name)
    if lookup.startup is None or lookup.startup.config is None:
        hint = f" Did you mean: {', '.join(lookup.suggestions)}?" if lookup.suggestions else ""
        raise ShortlistError([f"I don't know a startup called {name[:80]!r}.{hint}"])
    return lookup.startup


def _all(session: Session) -> list[Startup]:
    query = select(Startup).options(selectinload(Startup.config)).order_by(Startup.display_name)
    return list(session.scalars(query))


def list_lines(db: Database) -> list[str]:
    """One line per startup: name, id, platform, URL, how many people, whether it has a recipe."""
    with db.session() as session:
        lines = []
        for startup in _all(session):
            config = startup.config
            if config is None:
                lines.append(f"{startup.display_name} [{startup.id}]: no booking page")
                continue
            people = len(config.available_people or [])
            extras = [f"{people} {'person' if people == 1 else 'people'}"]
            if config.recipe:
                extras.append("recipe")
            lines.append(f"{startup.display_name} [{startup.id}] {config.platform_type} {config.booking_url}"
                         f" ({', '.join(extras)})")
        return lines


def person_text(person: dict[str, Any]) -> str:
    """``{"name": "Ann Lee", "role": "CTO", "email": "ann@x"}`` → ``Ann Lee (CTO) <ann@x>``, as imports read it."""
    text = str(person.get("name") or "")
    if person.get("role"):
        text += f" ({person['role']})"
    if person.get("email"):
        text += f" <{person['email']}>"
    return text


def export_rows(db: Database) -> list[dict[str, Any]]:
    """The directory as import entries (YAML shape: people as mappings, recipe as its text)."""
    with db.session() as session:
        rows = []
        for startup in _all(session):
            config = startup.config
            if config is None:
                continue
            row: dict[str, Any] = {"name": startup.display_name, "booking_url": config.booking_url,
                                   "platform": config.platform_type}
            if startup.aliases:
                row["aliases"] = list(startup.aliases)
            if config.available_people:
                row["people"] = [dict(p) for p in config.available_people]
            if config.recipe:
                row["recipe"] = config.recipe
            rows.append(row)
        return rows


def export_text(db: Database, fmt: str) -> str:
    """``csv`` (a line break between people, the recipe as a multi-line cell) or ``yaml``."""
    rows = export_rows(db)
    if fmt == "yaml":
        return yaml.safe_dump({"startups": rows}, sort_keys=False, allow_unicode=True)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([row["name"], row["booking_url"], row["platform"], "; ".join(row.get("aliases", [])),
                         "\n".join(person_text(p) for p in row.get("people", [])), row.get("recipe", "")])
    return buffer.getvalue()


def remove_startup(db: Database, name: str) -> str:
    """Remove a startup and its config; refused while one of its bookings is still on its way.

    Finished bookings keep their startup's name and are only unlinked from the entry.
    """
    with db.transaction() as session:
        startup = known_startup(session, name)
        live = session.scalar(select(func.count()).select_from(MeetingBookingRequest).where(
            MeetingBookingRequest.startup_id == startup.id,
            MeetingBookingRequest.status.in_([s.value for s in ACTIVE_STATUSES])))
        if live:
            raise ShortlistError([f"{startup.display_name} has {live} booking{'s' if live != 1 else ''} on its way; "
                                  "cancel or finish them first, nothing was removed"])
        session.execute(update(MeetingBookingRequest).where(MeetingBookingRequest.startup_id == startup.id)
                        .values(startup_id=None))
        display = startup.display_name
        session.delete(startup)
        return f"Removed {display} from the directory."


def set_recipe(db: Database, name: str, recipe: str) -> str:
    """Validate, then store ``recipe`` (YAML) as the startup's recipe; a bad one changes nothing."""
    try:
        parsed = load_recipe(recipe)
    except RecipeError as exc:
        raise ShortlistError([str(exc)]) from None
    with db.transaction() as session:
        startup = known_startup(session, name)
        assert startup.config is not None
        startup.config.recipe = recipe.strip() + "\n"
        steps = len(parsed.steps)
        return f"{startup.display_name}: recipe stored ({steps} step{'s' if steps != 1 else ''})."


def show_recipe(db: Database, name: str) -> tuple[str, str | None]:
    """(the startup's display name, its recipe YAML or None)."""
    with db.session() as session:
        startup = known_startup(session, name)
        assert startup.config is not None
        return startup.display_name, startup.config.recipe or None
