"""Command-line front-end over the same service the Slack bot uses.

    python -m booking book Acme
    python -m booking book --url URL --name "Eduardo Paz" --email e@x.com [--message M] [--json]
    python -m booking demo
    python -m booking try <startup-or-url> --recipe FILE [--dry-run]
    python -m booking book Acme --answer "What is this meeting about?=Intro"   (the form's own questions)
    python -m booking startups import FILE     (a CSV, YAML or XLSX shortlist into the startup directory)
    python -m booking startups list|export [FILE]|remove NAME|recipe set NAME FILE|recipe show NAME
    python -m booking startups answers NAME [--set "Label=value"] [--clear LABEL]   (remembered answers)

Exit status: 0 when the booking reached pending_confirmation or better, 1 when it failed,
2 for bad input or settings, 3 when the database or network can't be reached (one line on stderr,
never a traceback; see booking/runtime/failures.py).
"""
from __future__ import annotations

import argparse
import logging
import sys
from typing import Sequence, TextIO

from booking.cli.commands import answers_command, book_command, try_command, worker_command
from booking.cli.demo import run_demo
from booking.cli.directory import directory_command
from booking.cli.parser import build_parser
from booking.config.logs import configure_logging
from booking.config.settings import Settings
from booking.runtime.doctor import run_doctor
from booking.runtime.failures import explain_and_keep

__all__ = ["build_parser", "main", "run_command"]


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command; whatever stops it is one line on stderr and README's exit code."""
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    configure_logging(logging.WARNING, with_time=False)
    settings: Settings | None = None
    try:
        settings = Settings.from_env()
        return run_command(args, settings, out)
    except (Exception, KeyboardInterrupt) as exc:
        failure = explain_and_keep(exc, settings)
        print(f"error: {failure.line}", file=sys.stderr)
        return failure.exit_code


def run_command(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    if args.command == "doctor":
        return run_doctor(settings, out)
    if args.command == "demo":
        return run_demo(settings, out=out, as_json=args.json)
    if args.command == "worker":
        return worker_command(args, settings, out)
    if args.command == "try":
        return try_command(args, settings, out)
    if args.command == "startups" and args.startups_command == "answers":
        return answers_command(args, settings, out)
    if args.command == "startups":
        return directory_command(args, settings, out)
    return book_command(args, settings, out)
