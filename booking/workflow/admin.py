"""Directory administration: add a startup, set its people, test its page, import a shortlist.

Used by ``/book-admin`` (admins from ``BOOKER_ADMINS`` only) and ``python -m booking startups
import FILE``. Every entry is validated before anything is stored (URL safety, a known platform,
people with names, a valid recipe; ``custom`` only with a recipe); a bad entry changes nothing and
the error names the row and the field. Imports read the directory once and commit in batches, so
10 000 rows take seconds and never hold SQLite's write lock for long (a ``/book`` meanwhile waits
its turn instead of failing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, selectinload

from booking.config.settings import EMAIL_RE
from booking.domain.errors import BookingError
from booking.domain.urls import check_booking_url, resolve_host
from booking.notify.notifier import DRY_RUN, BookingView
from booking.platforms.registry import PLATFORMS, detect_platform, get_platform
from booking.recipes.loading import load_recipe
from booking.recipes.schema import RecipeError
from booking.store import directory_ops
from booking.store.db import Database
from booking.store.directory import exact, free_id
from booking.store.imports import ShortlistError, StartupEntry, load_shortlist, parse_people
from booking.store.models import Startup, StartupBookingConfig, utcnow
from booking.workflow.requests import BookingRequestInput

if TYPE_CHECKING:
    from booking.workflow.requests import Teammate
    from booking.workflow.service import BookingService

__all__ = ["Admin", "ImportReport", "NotAdmin", "ShortlistError", "StartupEntry", "check_entry", "load_shortlist",
           "parse_people", "store_entries"]

MAX_PEOPLE = 20
BATCH_SIZE = 500
CUSTOM = "custom"


class NotAdmin(BookingError):
    """Someone outside ``BOOKER_ADMINS`` tried an admin command; nothing changed."""

    def __init__(self) -> None:
        super().__init__("Only Booker admins can change the startup directory (ask one to add you to BOOKER_ADMINS)")


@dataclass
class ImportReport:
    """What an import did: counts, and one line per skipped row saying why."""

    added: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # the stored rows' startup ids, in file order

    def summary(self) -> str:
        stored = self.added + self.updated
        return (f"Imported {stored} startups ({self.added} new, {self.updated} updated"
                + (f", {len(self.skipped)} skipped)" if self.skipped else ")"))


def check_entry(entry: StartupEntry, allowed_hosts: Iterable[str],
                resolver: Callable[[str], list[str]] = resolve_host) -> tuple[StartupEntry, list[str]]:
    """The entry with its platform resolved, and what is wrong with it (empty when fine)."""
    allowed_hosts = tuple(allowed_hosts)
    problems = list(entry.problems)
    name = (entry.name or "").strip()
    if not name:
        problems.append("the name is missing")
    elif len(name) > 200:
        problems.append("the name is longer than 200 characters")
    url = (entry.booking_url or "").strip()
    try:
        check_booking_url(url, allowed_hosts, resolver)
        url_ok = True
    except BookingError as exc:
        problems.append(str(exc))
        url_ok = False
    platform = (entry.platform or "").strip().lower() or None
    if platform:
        try:
            get_platform(platform)
        except BookingError as exc:
            problems.append(str(exc))
    elif url_ok:
        detected = detect_platform(url)
        if detected is None:
            known = ", ".join(p.name for p in PLATFORMS)
            problems.append(f"Booker doesn't recognise {url[:200]}; give its platform ({known})")
        else:
            platform = detected.name
    if len(entry.people) > MAX_PEOPLE:
        problems.append(f"at most {MAX_PEOPLE} people")
    for position, person in enumerate(entry.people, 1):
        if not str(person.get("name") or "").strip():
            problems.append(f"person {position} has no name")
        email = person.get("email")
        if email is not None and not EMAIL_RE.fullmatch(str(email)):
            problems.append(f"person {position} has an invalid e-mail {str(email)[:80]!r}")
        if person.get("booking_url"):
            try:
                check_booking_url(str(person["booking_url"]), allowed_hosts, resolver)
            except BookingError as exc:
                problems.append(f"person {position}'s booking link: {exc}")
    if entry.recipe:
        try:
            load_recipe(entry.recipe)
        except RecipeError as exc:
            problems.append(str(exc))
    resolved = StartupEntry(name=name, booking_url=url, platform=platform,
                            aliases=[str(a).strip() for a in entry.aliases if str(a).strip()],
                            people=[{k: str(v).strip() for k, v in p.items() if v} for p in entry.people],
                            recipe=entry.recipe)
    return resolved, problems


def store_entries(db: Database, allowed_hosts: Iterable[str], entries: list[StartupEntry], *,
                  skip_invalid: bool = False, batch_size: int = BATCH_SIZE,
                  resolver: Callable[[str], list[str]] = resolve_host) -> ImportReport:
    """Validate every entry, then store them, committing every ``batch_size`` rows.

    An invalid entry stops the whole import before anything is stored (ShortlistError listing every
    problem), unless ``skip_invalid``: then it is skipped with its reason and the rest are stored.
    A startup already stored keeps its recipe, selectors and notes unless the entry gives a recipe,
    and keeps its people when the entry names none.
    """
    resolve = lru_cache(maxsize=None)(resolver)  # one DNS question per host, not per row
    label = (lambda position, entry: f"{entry.name!r}" if entry.name else f"entry {position}") if len(entries) == 1 \
        else (lambda position, entry: f"row {position} ({entry.name!r})" if entry.name else f"row {position} (entry {position})")
    checked: list[tuple[int, StartupEntry]] = []
    problems: list[tuple[int, str]] = []  # (row, what is wrong), reported in row order
    for position, entry in enumerate(entries, 1):
        resolved, wrong = check_entry(entry, allowed_hosts, resolve)
        problems.extend((position, f"{label(position, entry)}: {p}") for p in wrong)
        if not wrong:
            checked.append((position, resolved))
    with db.session() as session:
        directory = _Directory(session)
        plan: list[tuple[StartupEntry, Startup | None]] = []
        first_row: dict[str, int] = {}  # exact name → the row of this file that gives it
        skipped: list[str] = []
        for position, entry in checked:
            existing = directory.find(entry.name)
            config = existing.config if existing else None
            if entry.platform == CUSTOM and not entry.recipe and not (config and (config.recipe or config.selectors)):
                problems.append((position, f"{label(position, entry)}: the custom platform needs a recipe (a 'recipe' "
                                           "column: the YAML, or the path of a recipe file next to this one)"))
            elif (earlier := first_row.setdefault(existing.id if existing else exact(entry.name), position)) != position:
                skipped.append(f"{label(position, entry)}: the same startup as row {earlier} (the first one is kept)")
            else:
                plan.append((entry, existing))
        problems.sort(key=lambda problem: problem[0])
        if problems and not skip_invalid:
            raise ShortlistError([text for _, text in problems])
        report = ImportReport(skipped=[text for _, text in problems] + skipped)
        batch = _Batch()
        for count, (entry, existing) in enumerate(plan, 1):
            key = existing.id if existing else free_id(entry.name, directory.holder_of)
            directory.names_by_id[key] = entry.name
            batch.add(key, entry, existing)
            report.ids.append(key)
            if existing is None:
                report.added += 1
            else:
                report.updated += 1
            if count % batch_size == 0:  # short write transactions: a /book meanwhile waits a moment, not the import
                batch.write(session)
                session.commit()
                batch = _Batch()
        batch.write(session)
        session.commit()
    return report


class _Directory:
    """The whole directory read once, as an import sees it: exact names and aliases → startup."""

    def __init__(self, session: Session) -> None:
        rows = session.scalars(select(Startup).options(selectinload(Startup.config)).order_by(Startup.display_name))
        self.by_id: dict[str, Startup] = {startup.id: startup for startup in rows}
        self.names: dict[str, Startup] = {}
        for startup in self.by_id.values():  # own names before anyone's alias; not ids (`mir-tekh` is Мир Тех's)
            self.names.setdefault(exact(startup.display_name), startup)
        for startup in self.by_id.values():
            for alias in startup.aliases or []:
                self.names.setdefault(exact(str(alias)), startup)

        self.names_by_id: dict[str, str] = {startup.id: startup.display_name for startup in self.by_id.values()}

    def find(self, name: str) -> Startup | None:
        return self.names.get(exact(name))

    def holder_of(self, startup_id: str) -> str | None:
        return self.names_by_id.get(startup_id)


class _Batch:
    """One batch of an import as rows for bulk INSERT/UPDATE statements (the ORM's per-object
    bookkeeping was most of an import's time: 1.3 ms a row)."""

    def __init__(self) -> None:
        self.new_startups: list[dict[str, Any]] = []
        self.new_configs: list[dict[str, Any]] = []
        self.startups: list[dict[str, Any]] = []
        self.configs: list[dict[str, Any]] = []

    def add(self, key: str, entry: StartupEntry, existing: Startup | None) -> None:
        config = existing.config if existing else None
        people = entry.people or (config.available_people if config else [])
        if existing is None:
            self.new_startups.append({"id": key, "display_name": entry.name, "aliases": entry.aliases})
        else:
            self.startups.append({"id": key, "display_name": entry.name,
                                  "aliases": entry.aliases or existing.aliases or []})
        if config is None:
            self.new_configs.append({"startup_id": key, "platform_type": entry.platform or "",
                                     "booking_url": entry.booking_url, "available_people": people, "selectors": {},
                                     "success_indicators": [], "recipe": entry.recipe, "form_answers": {},
                                     "requires_auth": False, "is_working": True})
        else:  # a stored recipe stays unless the entry brings one
            self.configs.append({"id": config.id, "platform_type": entry.platform or "",
                                 "booking_url": entry.booking_url, "available_people": people,
                                 "recipe": entry.recipe or config.recipe, "updated_at": utcnow()})

    def write(self, session: Session) -> None:
        for model, rows in ((Startup, self.new_startups), (StartupBookingConfig, self.new_configs)):
            if rows:
                session.execute(insert(model), rows)
        for model, rows in ((Startup, self.startups), (StartupBookingConfig, self.configs)):
            if rows:
                session.execute(update(model), rows)


class Admin:
    """The admin verbs behind ``/book-admin``; each checks the actor first and answers in one sentence."""

    def __init__(self, service: "BookingService") -> None:
        self.service = service

    def is_admin(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.service.settings.admins

    def require_admin(self, user_id: str | None) -> None:
        if not self.is_admin(user_id):
            raise NotAdmin()

    def add_startup(self, actor: str, name: str, url: str, platform: str | None = None) -> str:
        self.require_admin(actor)
        report = store_entries(self.service.db, self.service.settings.allowed_hosts,
                               [StartupEntry(name=name, booking_url=url, platform=platform)])
        with self.service.db.session() as session:  # by the id just stored: a name in any script reads back
            startup = session.get(Startup, report.ids[0])
            if startup is None or startup.config is None:
                raise BookingError(f"{name[:80]!r} was not stored; please try again")
            label = get_platform(startup.config.platform_type).label
            verb = "Added" if report.added else "Updated"
            return f"{verb} {startup.display_name} ({label}): {startup.config.booking_url}"

    def set_people(self, actor: str, startup_name: str, people: list[dict[str, str]]) -> str:
        self.require_admin(actor)
        if not people:
            raise ShortlistError(["give at least one person, e.g. Alice Smith (CEO) <alice@acme.example>"])
        with self.service.db.transaction() as session:
            startup = directory_ops.known_startup(session, startup_name)
            assert startup.config is not None
            _, problems = check_entry(StartupEntry(startup.display_name, startup.config.booking_url,
                                                   startup.config.platform_type, people=people),
                                      self.service.settings.allowed_hosts)
            if problems:
                raise ShortlistError([f"{startup.display_name}: {p}" for p in problems])
            startup.config.available_people = [dict(p) for p in people]
            names = ", ".join(p["name"] for p in people)
            return f"{startup.display_name}: Booker will ask for {names}, in that order."

    def list_startups(self, actor: str) -> list[str]:
        self.require_admin(actor)
        return directory_ops.list_lines(self.service.db)

    def export(self, actor: str) -> str:
        self.require_admin(actor)
        return directory_ops.export_text(self.service.db, "csv")

    def remove(self, actor: str, name: str) -> str:
        self.require_admin(actor)
        return directory_ops.remove_startup(self.service.db, name)

    def set_recipe(self, actor: str, name: str, recipe: str) -> str:
        self.require_admin(actor)
        return directory_ops.set_recipe(self.service.db, name, recipe)

    def show_recipe(self, actor: str, name: str) -> tuple[str, str | None]:
        self.require_admin(actor)
        return directory_ops.show_recipe(self.service.db, name)

    def dry_run(self, actor: "Teammate", startup_name: str, thread_ref: dict[str, Any]) -> BookingView:
        """Fill the startup's form as ``actor`` with screenshots, and stop before sending."""
        self.require_admin(actor.user_id)
        view = self.service.request_booking(BookingRequestInput(
            teammate=actor, startup=startup_name, requested_via=DRY_RUN, thread_ref=thread_ref))
        return self.service.start(view.id)
