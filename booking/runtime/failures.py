"""What went wrong at start-up, in one line and an exit code, for every front-end.

A traceback on a terminal or in a service log tells an operator nothing they can act on; a line
naming the setting does. Front-ends (the CLI, the bot, the worker) wrap their start in
:func:`explain` and print ``error: <line>``. README's exit codes:

    0  done (a booking reached pending_confirmation or better)
    1  a booking failed (the page, the calendar: see its story)
    2  bad input or settings, or a request Booker refuses (e.g. a booking you already have)
    3  something Booker needs can't be reached (the database, Slack, the network)
    70 Booker's own bug (please report the line; the traceback is kept in the file it names)
    130 interrupted (Ctrl-C)
"""
from __future__ import annotations

import tempfile
import traceback
import urllib.error
from dataclasses import dataclass, replace
from pathlib import Path

from alembic.util.exc import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from booking.config.settings import Settings, SettingsError
from booking.domain.errors import BookingError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3
EXIT_BUG = 70
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Failure:
    """One line for stderr and the process's exit code."""

    line: str
    exit_code: int


def first_line(text: object, limit: int = 200) -> str:
    """The first non-empty line of an error's text, cut to ``limit`` characters."""
    for line in str(text).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


def safe_database_url(url: str) -> str:
    """The URL without its password, fit for a terminal."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable)"


def explain(exc: BaseException, settings: Settings | None = None) -> Failure:
    """Translate anything a front-end's start can raise into a :class:`Failure`."""
    if isinstance(exc, KeyboardInterrupt):
        return Failure("interrupted", EXIT_INTERRUPTED)
    if isinstance(exc, (SettingsError, BookingError)):
        return Failure(first_line(exc, 400), EXIT_BAD_INPUT)
    if isinstance(exc, (SQLAlchemyError, CommandError)):
        return _database(exc, settings)
    if isinstance(exc, urllib.error.URLError):
        return Failure(f"can't reach the network ({first_line(exc.reason)})", EXIT_UNREACHABLE)
    if isinstance(exc, OSError) and exc.filename:
        return _file(exc, settings)
    if isinstance(exc, OSError):
        return Failure(f"can't reach the network ({first_line(exc)})", EXIT_UNREACHABLE)
    return Failure(f"unexpected {type(exc).__name__}: {first_line(exc)} (a bug in Booker; please report this line)",
                   EXIT_BUG)


def explain_and_keep(exc: BaseException, settings: Settings | None = None,
                     folder: Path | None = None) -> Failure:
    """:func:`explain`, and for Booker's own bug the traceback kept in a file the line names: one line
    on the terminal, and nothing a developer needs is lost."""
    failure = explain(exc, settings)
    if failure.exit_code != EXIT_BUG:
        return failure
    try:
        with tempfile.NamedTemporaryFile("w", prefix="booker-bug-", suffix=".txt", delete=False,
                                         dir=folder, encoding="utf-8") as report:
            report.write("".join(traceback.format_exception(exc)))
    except OSError:
        return failure
    return replace(failure, line=f"{failure.line}; details in {report.name}")


def _database(exc: BaseException, settings: Settings | None) -> Failure:
    where = safe_database_url(settings.database_url) if settings else "the database"
    reason = first_line(exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc)
    if isinstance(exc, CommandError):
        return Failure(f"the database {where} has a schema this Booker doesn't know ({reason}); "
                       "is it a newer version's database?", EXIT_UNREACHABLE)
    return Failure(f"can't open the database {where} ({reason}); check DATABASE_URL", EXIT_UNREACHABLE)


def _file(exc: OSError, settings: Settings | None) -> Failure:
    path = Path(str(exc.filename))
    reason = exc.strerror or first_line(exc)
    setting = _setting_for(path, settings)
    hint = f"; check {setting}" if setting else ""
    return Failure(f"can't use {str(path)[:200]} ({reason}){hint}", EXIT_BAD_INPUT)


def _setting_for(path: Path, settings: Settings | None) -> str | None:
    """Which setting put Booker at ``path`` (the database file or the screenshot folder)."""
    if settings is None:
        return None
    candidates: dict[str, Path] = {"BOOKER_SCREENSHOT_DIR": settings.screenshot_dir}
    if settings.is_sqlite:
        database = make_url(settings.database_url).database
        if database:
            candidates["DATABASE_URL"] = Path(database)
    for name, place in candidates.items():
        if path == place or path in place.parents:
            return name
    return None
