"""Directory administration: add a startup, set its people, test its page, import a shortlist.

Used by ``/book-admin`` (admins from ``BOOKER_ADMINS`` only) and ``python -m booking startups
import FILE``. Every entry is validated before anything is stored (URL safety, a known platform,
people with names); a bad entry changes nothing and the error names the row and the field.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

import yaml

from booking.directory import find_startup, slugify, upsert_startup
from booking.errors import BookingError
from booking.models import Startup
from booking.notify import DRY_RUN, BookingView
from booking.platforms import PLATFORMS, detect_platform, get_platform
from booking.settings import EMAIL_RE
from booking.urls import check_booking_url

if TYPE_CHECKING:
    from booking.service import BookingService, Teammate

MAX_PEOPLE = 20
# "<anything>" or any word with an @ is meant as the e-mail (checked afterwards, so typos are reported)
_EMAIL_IN_TEXT = re.compile(r"<([^<>]*)>|(\S*@\S*)")
_ROLE_IN_TEXT = re.compile(r"\(([^()]*)\)")


class NotAdmin(BookingError):
    """Someone outside ``BOOKER_ADMINS`` tried an admin command; nothing changed."""

    def __init__(self) -> None:
        super().__init__("Only Booker admins can change the startup directory (ask one to add you to BOOKER_ADMINS)")


class ShortlistError(BookingError):
    """A shortlist file (or one admin command) has problems; nothing was stored. One line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class StartupEntry:
    """One startup as an admin or a shortlist file gives it."""

    name: str
    booking_url: str
    platform: str | None = None
    aliases: list[str] = field(default_factory=list)
    people: list[dict[str, str]] = field(default_factory=list)


def parse_people(text: str) -> list[dict[str, str]]:
    """``Alice Smith (CEO) <alice@acme.example>, Bob Jones`` → people in order of preference."""
    people = []
    for chunk in re.split(r"[;,\n]", text or ""):
        chunk = chunk.strip()
        if not chunk:
            continue
        person: dict[str, str] = {}
        email = _EMAIL_IN_TEXT.search(chunk)
        if email:
            person["email"] = (email.group(1) or email.group(2) or "").strip().removeprefix("mailto:")
            chunk = (chunk[:email.start()] + chunk[email.end():]).strip()
        role = _ROLE_IN_TEXT.search(chunk)
        if role:
            if role.group(1).strip():
                person["role"] = role.group(1).strip()
            chunk = (chunk[:role.start()] + chunk[role.end():]).strip()
        person["name"] = re.sub(r"\s+", " ", chunk).strip(" -:")
        people.append(person)
    return people


def check_entry(entry: StartupEntry, allowed_hosts: Iterable[str]) -> tuple[StartupEntry, list[str]]:
    """The entry with its platform resolved, and what is wrong with it (empty when fine)."""
    allowed_hosts = tuple(allowed_hosts)
    problems = []
    name = (entry.name or "").strip()
    if not name:
        problems.append("the name is missing")
    elif len(name) > 200:
        problems.append("the name is longer than 200 characters")
    url = (entry.booking_url or "").strip()
    try:
        check_booking_url(url, tuple(allowed_hosts))
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
                check_booking_url(str(person["booking_url"]), tuple(allowed_hosts))
            except BookingError as exc:
                problems.append(f"person {position}'s booking link: {exc}")
    resolved = StartupEntry(name=name, booking_url=url, platform=platform,
                            aliases=[str(a).strip() for a in entry.aliases if str(a).strip()],
                            people=[{k: str(v).strip() for k, v in p.items() if v} for p in entry.people])
    return resolved, problems


def store_entries(service: "BookingService", entries: list[StartupEntry]) -> tuple[int, int]:
    """Validate every entry, then store all of them in one transaction: (added, updated)."""
    checked = []
    problems = []
    for position, entry in enumerate(entries, 1):
        resolved, wrong = check_entry(entry, service.settings.allowed_hosts)
        label = f"{entry.name!r}" if entry.name else f"entry {position}"
        problems.extend(f"{label}: {p}" if len(entries) == 1 else f"row {position} ({label}): {p}" for p in wrong)
        checked.append(resolved)
    if problems:
        raise ShortlistError(problems)
    added = updated = 0
    with service.db.transaction() as session:
        for entry in checked:
            # An exact name or alias updates that startup; its recipe and notes are kept.
            existing = find_startup(session, entry.name).startup or session.get(Startup, slugify(entry.name))
            config = existing.config if existing else None
            upsert_startup(
                session, name=entry.name, booking_url=entry.booking_url, platform=entry.platform or "",
                people=entry.people or (config.available_people if config else []), aliases=entry.aliases,
                startup_id=existing.id if existing else None,
                selectors=config.selectors if config else None,
                success_indicators=config.success_indicators if config else None,
                notes=config.automation_notes if config else None,
            )
            session.flush()
            if existing is None:
                added += 1
            else:
                updated += 1
    return added, updated


class Admin:
    def __init__(self, service: "BookingService") -> None:
        self.service = service

    def is_admin(self, user_id: str | None) -> bool:
        return bool(user_id) and user_id in self.service.settings.admins

    def require_admin(self, user_id: str | None) -> None:
        if not self.is_admin(user_id):
            raise NotAdmin()

    def add_startup(self, actor: str, name: str, url: str, platform: str | None = None) -> str:
        self.require_admin(actor)
        added, _ = store_entries(self.service, [StartupEntry(name=name, booking_url=url, platform=platform)])
        with self.service.db.session() as session:
            startup = find_startup(session, name).startup
            assert startup is not None and startup.config is not None
            label = get_platform(startup.config.platform_type).label
            verb = "Added" if added else "Updated"
            return f"{verb} {startup.display_name} ({label}): {startup.config.booking_url}"

    def set_people(self, actor: str, startup_name: str, people: list[dict[str, str]]) -> str:
        self.require_admin(actor)
        if not people:
            raise ShortlistError(["give at least one person, e.g. Alice Smith (CEO) <alice@acme.example>"])
        with self.service.db.transaction() as session:
            lookup = find_startup(session, startup_name)
            startup = lookup.startup
            if startup is None or startup.config is None:
                hint = f" Did you mean: {', '.join(lookup.suggestions)}?" if lookup.suggestions else ""
                raise ShortlistError([f"I don't know a startup called {startup_name[:80]!r}.{hint}"])
            _, problems = check_entry(StartupEntry(startup.display_name, startup.config.booking_url,
                                                   startup.config.platform_type, people=people),
                                      self.service.settings.allowed_hosts)
            if problems:
                raise ShortlistError([f"{startup.display_name}: {p}" for p in problems])
            startup.config.available_people = [dict(p) for p in people]
            names = ", ".join(p["name"] for p in people)
            return f"{startup.display_name}: Booker will ask for {names}, in that order."

    def dry_run(self, actor: "Teammate", startup_name: str, thread_ref: dict[str, Any]) -> BookingView:
        """Fill the startup's form as ``actor`` with screenshots, and stop before sending."""
        from booking.service import BookingRequestInput

        self.require_admin(actor.user_id)
        view = self.service.request_booking(BookingRequestInput(
            teammate=actor, startup=startup_name, requested_via=DRY_RUN, thread_ref=thread_ref))
        return self.service.start(view.id)


# -- shortlist files ---------------------------------------------------------------------------------
def load_shortlist(path: Path) -> list[StartupEntry]:
    """Read a CSV (columns name, booking_url, platform, aliases, people) or YAML list of startups."""
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ShortlistError([f"can't read {path}: {exc.strerror or exc}"]) from None
    if suffix in (".yml", ".yaml"):
        return _from_yaml(text)
    if suffix == ".csv":
        return _from_csv(text)
    raise ShortlistError([f"{path.name}: give a .csv or .yaml file"])


def _from_yaml(text: str) -> list[StartupEntry]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ShortlistError([f"not valid YAML: {str(exc).splitlines()[0]}"]) from None
    if isinstance(data, dict) and "startups" in data:
        data = data["startups"]
    if not isinstance(data, list):
        raise ShortlistError(["the YAML must be a list of startups (or have a 'startups:' list)"])
    entries = []
    for position, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise ShortlistError([f"entry {position} is not a mapping with name and booking_url"])
        people = item.get("people") or []
        if isinstance(people, str):
            people = parse_people(people)
        elif not isinstance(people, list) or not all(isinstance(p, (dict, str)) for p in people):
            raise ShortlistError([f"entry {position}: people must be a list"])
        else:
            people = [p if isinstance(p, dict) else {"name": p} for p in people]
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = [a for a in re.split(r"[;,]", aliases)]
        entries.append(StartupEntry(name=str(item.get("name") or ""), booking_url=str(item.get("booking_url") or item.get("url") or ""),
                                    platform=item.get("platform"), aliases=list(aliases), people=people))
    return entries


def _from_csv(text: str) -> list[StartupEntry]:
    reader = csv.DictReader(text.splitlines())
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    missing = {"name", "booking_url"} - fields
    if missing:
        raise ShortlistError([f"the CSV header needs the columns name and booking_url (missing {', '.join(sorted(missing))})"])
    entries = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        entries.append(StartupEntry(name=row.get("name", ""), booking_url=row.get("booking_url", ""),
                                    platform=row.get("platform") or None,
                                    aliases=[a for a in re.split(r"[;,]", row.get("aliases", "")) if a.strip()],
                                    people=parse_people(row.get("people", ""))))
    return entries
