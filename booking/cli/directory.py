"""``python -m booking startups import|list|export|remove|recipe``: the directory from a terminal.

    python -m booking startups import FILE [--skip-invalid]   (.csv ; or tab separated, .yaml, .xlsx)
    python -m booking startups list
    python -m booking startups export [FILE]                  (.csv or .yaml; stdout: CSV)
    python -m booking startups remove NAME
    python -m booking startups recipe set NAME FILE
    python -m booking startups recipe show NAME

Each prints what it did, or one line per problem on stderr and exits 2 (nothing changed).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.exc import SQLAlchemyError

from booking.config.settings import Settings
from booking.domain.errors import BookingError
from booking.store import directory_ops
from booking.store.db import Database, open_database
from booking.workflow.admin import ShortlistError, load_shortlist, store_entries

VERBS = ("import", "list", "export", "remove", "recipe")


def add_directory_commands(startup_commands: Any) -> None:
    """The directory's subcommands, added to ``python -m booking startups``."""
    load = startup_commands.add_parser(
        "import", help="add or update startups from a CSV (name,booking_url,platform,aliases,people,recipe), "
                       "YAML or XLSX file")
    load.add_argument("file", help="path to a .csv, .yaml or .xlsx shortlist")
    load.add_argument("--skip-invalid", action="store_true",
                      help="store the valid rows and skip the others (each with its reason) instead of storing none")
    startup_commands.add_parser("list", help="one line per startup: id, platform, page, people, recipe")
    export = startup_commands.add_parser("export", help="write the directory in the import's format")
    export.add_argument("file", nargs="?", help="a .csv or .yaml file (default: CSV on stdout)")
    remove = startup_commands.add_parser("remove", help="remove a startup (refused while a booking of it is on its way)")
    remove.add_argument("name", help="startup name, id or alias")
    recipe = startup_commands.add_parser("recipe", help="store or show a startup's recipe")
    recipe_commands = recipe.add_subparsers(dest="recipe_command", required=True)
    recipe_set = recipe_commands.add_parser("set", help="validate FILE and store it as the startup's recipe")
    recipe_set.add_argument("name", help="startup name, id or alias")
    recipe_set.add_argument("file", type=Path, help="the recipe (YAML)")
    recipe_show = recipe_commands.add_parser("show", help="print the startup's recipe")
    recipe_show.add_argument("name", help="startup name, id or alias")


def directory_command(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Run one directory subcommand; every refusal is one line on stderr and exit 2."""
    try:
        if args.startups_command == "import":
            return import_file(args.file, settings, out, skip_invalid=args.skip_invalid)
        db = _open(settings)
        try:
            return _run(args, db, out)
        finally:
            db.dispose()
    except ShortlistError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except BookingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _open(settings: Settings) -> Database:
    try:
        return open_database(settings.database_url)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise BookingError(f"can't open the database {settings.database_url.split('@')[-1]}: {reason}") from None


def _run(args: argparse.Namespace, db: Database, out: TextIO) -> int:
    verb = args.startups_command
    if verb == "list":
        lines = directory_ops.list_lines(db)
        print("\n".join(lines) if lines else "The directory is empty.", file=out)
    elif verb == "export":
        return export_file(db, args.file, out)
    elif verb == "remove":
        print(directory_ops.remove_startup(db, args.name), file=out)
    elif args.recipe_command == "set":
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            raise BookingError(f"can't read {args.file}: {reason}") from None
        print(directory_ops.set_recipe(db, args.name, text), file=out)
    else:
        name, recipe = directory_ops.show_recipe(db, args.name)
        if recipe is None:
            print(f"error: {name} has no recipe (store one with: startups recipe set {args.name!r} FILE)",
                  file=sys.stderr)
            return 1
        print(recipe.rstrip("\n"), file=out)
    return 0


def export_file(db: Database, file: str | None, out: TextIO) -> int:
    if file is None:
        out.write(directory_ops.export_text(db, "csv"))
        return 0
    path = Path(file)
    fmt = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}.get(path.suffix.lower())
    if fmt is None:
        raise BookingError(f"{path.name}: export to a .csv or .yaml file")
    text = directory_ops.export_text(db, fmt)
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise BookingError(f"can't write {path}: {exc.strerror or exc}") from None
    print(f"Exported {len(directory_ops.export_rows(db))} startups to {path}", file=out)
    return 0


def import_file(file: str, settings: Settings, out: TextIO, *, skip_invalid: bool = False) -> int:
    """All rows valid, or nothing stored and every problem printed (exit 2); with ``skip_invalid``
    the valid rows are stored and each skipped row is named with its reason."""
    try:
        entries = load_shortlist(Path(file))
        if not entries:
            raise ShortlistError([f"{file} lists no startups"])
        db = _open(settings)
        try:
            report = store_entries(db, settings.allowed_hosts, entries, skip_invalid=skip_invalid)
        finally:
            db.dispose()
    except ShortlistError as exc:
        raise ShortlistError([*exc.problems, "nothing was imported"]) from None
    for line in report.skipped:
        print(f"skipped {line}", file=sys.stderr)
    print(report.summary(), file=out)
    return 0
