"""The command line's shape: ``python -m booking`` and its subcommands, flags and help texts."""
from __future__ import annotations

import argparse
from pathlib import Path

from booking.cli.directory import add_directory_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m booking", description="Book meetings with startups.")
    commands = parser.add_subparsers(dest="command", required=True)

    book = commands.add_parser("book", help="book one startup (from the directory, or --url)")
    book.add_argument("startup", nargs="?", help="startup name or alias from the directory")
    book.add_argument("--url", help="a booking page URL instead of a directory entry")
    book.add_argument("--platform", help="platform module when the URL doesn't show it (e.g. calendly)")
    book.add_argument("--name", help="your full name (default BOOKER_USER_NAME)")
    book.add_argument("--email", help="your e-mail (default BOOKER_USER_EMAIL)")
    book.add_argument("--timezone", help="your IANA time zone (default BOOKER_DEFAULT_TIMEZONE)")
    book.add_argument("--phone", help="your phone number, for pages that require one (default BOOKER_USER_PHONE)")
    book.add_argument("--message", help="the intro message template (placeholders like {user_name})")
    book.add_argument("--json", action="store_true", help="print one JSON object instead of progress lines")
    book.add_argument("--answer", action="append", default=[], metavar="LABEL=VALUE",
                      help="answer a question the form asks (its label, '=', your answer); repeatable; "
                           "remembered for the startup")

    worker = commands.add_parser("worker", help="run the confirmation monitor (every minute, one per database)")
    worker.add_argument("--once", action="store_true", help="run one cycle, print what it did, and exit")
    worker.add_argument("--jobs", type=int, metavar="N", help="also run queued booking jobs, up to N browsers at "
                                                             "once (default BOOKER_MAX_BROWSERS; 0: none)")
    worker.add_argument("--health-port", type=int, metavar="PORT",
                        help="serve GET /healthz on this port (JSON: database, monitor, jobs running)")
    worker.add_argument("--health-host", default="127.0.0.1", metavar="HOST",
                        help="the address /healthz listens on (default 127.0.0.1; 0.0.0.0 for a load balancer)")
    trial = commands.add_parser("try", help="run a recipe step by step (or, without one, let auto read the page), "
                                            "printing and screenshotting each step")
    trial.add_argument("target", help="startup name from the directory, or the booking page URL")
    trial.add_argument("--recipe", type=Path, help="the recipe file (YAML); without it the page is read by auto")
    trial.add_argument("--dry-run", action="store_true", help="stop before the first submit step: nothing is sent")
    trial.add_argument("--save-recipe", type=Path, metavar="OUT.yaml",
                       help="without --recipe: write the recipe auto followed (after a booking or a dry run)")
    trial.add_argument("--name", help="your full name (default BOOKER_USER_NAME)")
    trial.add_argument("--email", help="your e-mail (default BOOKER_USER_EMAIL)")
    trial.add_argument("--phone", help="your phone number (default BOOKER_USER_PHONE)")
    trial.add_argument("--timezone", help="your IANA time zone (default BOOKER_DEFAULT_TIMEZONE)")

    commands.add_parser("doctor", help="check the set-up: Slack, browser, database, Google, directory (✓/✗ each)")
    demo = commands.add_parser("demo", help="book a meeting on the bundled Calendly replica, end to end")
    demo.add_argument("--json", action="store_true", help="print one JSON object at the end")

    startups = commands.add_parser("startups", help="manage the startup directory")
    startup_commands = startups.add_subparsers(dest="startups_command", required=True)
    add_directory_commands(startup_commands)
    answers = startup_commands.add_parser(
        "answers", help="show or edit a startup's remembered answers to its form's questions")
    answers.add_argument("name", help="startup name or alias from the directory")
    answers.add_argument("--set", action="append", default=[], metavar="LABEL=VALUE", dest="set_answers",
                         help="remember this answer (repeatable)")
    answers.add_argument("--clear", action="append", default=[], metavar="LABEL",
                         help="forget the answer to this question (repeatable)")
    return parser
