"""Reading shortlist files (CSV, YAML, XLSX) into directory entries, the way spreadsheets really look.

CSV goes through the ``csv`` module (``newline=""``, so a cell with a line break stays one cell;
the delimiter — ``,`` ``;`` or tab — is sniffed), headers are matched blind to case, spaces and
underscores ("Booking URL", "Company", "Team"…), and a line break in a People cell separates people.
A ``recipe`` is YAML (inline in the file) or the path of a recipe file next to the shortlist.
Reading never touches the database: :func:`booking.workflow.admin.store_entries` validates and stores.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import openpyxl
import yaml

from booking.domain.errors import BookingError

# "<anything>" or any word with an @ is meant as the e-mail (checked afterwards, so typos are reported)
_EMAIL_IN_TEXT = re.compile(r"<([^<>]*)>|(\S*@\S*)")
_ROLE_IN_TEXT = re.compile(r"\(([^()]*)\)")
_HEADER_SPACE = re.compile(r"[\s_\-]+")
# The columns a shortlist may have, and the spellings people give them.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "startup", "startup name", "company", "company name", "organisation", "organization"),
    "booking_url": ("booking url", "url", "booking link", "link", "booking page", "calendar", "calendar link",
                    "meeting link", "scheduling link", "booking"),
    "platform": ("platform", "booking platform", "tool"),
    "aliases": ("aliases", "alias", "aka", "also known as", "other names"),
    "people": ("people", "team", "contacts", "contact", "persons", "person", "founders"),
    "recipe": ("recipe", "recipe file", "recipe yaml"),
}
_CANONICAL = {spelling: key for key, spellings in HEADERS.items() for spelling in (key.replace("_", " "), *spellings)}


class ShortlistError(BookingError):
    """A shortlist file (or one admin command) has problems; nothing was stored. One line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class StartupEntry:
    """One startup as an admin or a shortlist file gives it (``problems``: what reading it found wrong)."""

    name: str
    booking_url: str
    platform: str | None = None
    aliases: list[str] = field(default_factory=list)
    people: list[dict[str, str]] = field(default_factory=list)
    recipe: str | None = None
    problems: list[str] = field(default_factory=list)


def parse_people(text: str) -> list[dict[str, str]]:
    """``Alice Smith (CEO) <alice@acme.example>, Bob Jones`` → people in order of preference.

    Commas, semicolons and line breaks separate people (a spreadsheet cell often has one per line).
    """
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


def canonical_header(header: Any) -> str:
    """``"Booking URL"`` → ``booking_url``; an unknown header → its own tidy spelling."""
    spelled = _HEADER_SPACE.sub(" ", str(header or "")).strip().casefold()
    return _CANONICAL.get(spelled, spelled)


def load_shortlist(path: Path) -> list[StartupEntry]:
    """Read a CSV, YAML or XLSX shortlist (columns name, booking_url, platform, aliases, people, recipe)."""
    suffix = path.suffix.lower()
    if suffix not in (".yml", ".yaml", ".csv", ".tsv", ".xlsx"):
        raise ShortlistError([f"{path.name}: give a .csv, .yaml or .xlsx file"])
    try:
        if suffix == ".xlsx":
            return from_rows(_xlsx_rows(path), path.parent)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, ValueError, KeyError) as exc:  # openpyxl: ValueError/KeyError for a file that isn't a workbook
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a readable .xlsx workbook"
        raise ShortlistError([f"can't read {path}: {reason}"]) from None
    except UnicodeDecodeError:
        raise ShortlistError([f"can't read {path}: it is not UTF-8 text"]) from None
    if suffix in (".yml", ".yaml"):
        return from_yaml(text, path.parent)
    return from_csv(text, path.parent)


def from_csv(text: str, base: Path) -> list[StartupEntry]:
    """CSV text (any of ``,`` ``;`` tab) → entries; multi-line quoted cells stay one cell."""
    header = text.split("\n", 1)[0]
    try:  # the header line alone: a data row's commas (in People, say) must not outvote it
        delimiter = csv.Sniffer().sniff(header, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = max(",;\t", key=header.count)
    return from_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), base)


def from_rows(rows: Iterable[list[Any]], base: Path) -> list[StartupEntry]:
    """A header row, then one row per startup (CSV or a spreadsheet's first sheet)."""
    iterator: Iterator[list[Any]] = iter(rows)
    header: list[str] = []
    for row in iterator:
        if any(str(cell or "").strip() for cell in row):
            header = [canonical_header(cell) for cell in row]
            break
    missing = [column for column in ("name", "booking_url") if column not in header]
    if missing:
        found = ", ".join(h for h in header if h) or "none"
        raise ShortlistError([f"the header needs a name and a booking URL column (missing {' and '.join(missing)};"
                              f" found {found})"])
    entries = []
    for row in iterator:
        cells = {key: _cell(value) for key, value in zip(header, row) if key}
        if not any(cells.values()):
            continue  # a blank line between blocks of a spreadsheet
        entries.append(_entry(cells, base))
    return entries


def from_yaml(text: str, base: Path) -> list[StartupEntry]:
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
            entries.append(StartupEntry(name="", booking_url="", problems=["not a mapping with name and booking_url"]))
            continue
        item = {canonical_header(key): value for key, value in item.items()}
        entry = _entry(item, base)
        people = item.get("people") or []
        if isinstance(people, list) and all(isinstance(p, (dict, str)) for p in people):
            entry.people = [p if isinstance(p, dict) else {"name": p} for p in people]
        elif not isinstance(people, str):
            entry.problems.append("people must be a list or a text")
        entries.append(entry)
    return entries


def _entry(cells: Mapping[str, Any], base: Path) -> StartupEntry:
    problems: list[str] = []
    aliases = cells.get("aliases") or []
    if isinstance(aliases, str):
        aliases = re.split(r"[;,\n]", aliases)
    people = cells.get("people")
    recipe = None
    try:
        recipe = recipe_text(cells.get("recipe"), base)
    except ShortlistError as exc:
        problems.extend(exc.problems)
    return StartupEntry(
        name=str(cells.get("name") or "").strip(), booking_url=str(cells.get("booking_url") or "").strip(),
        platform=str(cells.get("platform") or "").strip() or None,
        aliases=[str(a).strip() for a in aliases if str(a).strip()],
        people=parse_people(people) if isinstance(people, str) else [], recipe=recipe, problems=problems)


def recipe_text(value: Any, base: Path) -> str | None:
    """A recipe cell: a YAML mapping, YAML text (a multi-line cell), or a file path relative to ``base``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (dict, list)):
        return yaml.safe_dump(value, sort_keys=False, allow_unicode=True)
    text = str(value).strip()
    if "\n" in text or text.startswith("{"):
        return text + "\n"
    path = Path(text).expanduser()
    path = path if path.is_absolute() else base / path
    try:
        return path.read_text(encoding="utf-8").strip() + "\n"
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise ShortlistError([f"can't read the recipe file {text[:200]}: {reason}"]) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    """The first sheet's rows as values (formulas read as their last computed value)."""
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    return iter(rows)
