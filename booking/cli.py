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
never a traceback; see booking/failures.py).
"""
from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Sequence, TextIO

from booking.cli_directory import add_directory_commands, directory_command
from booking.console import AskingConsoleNotifier, ConsoleNotifier
from booking.doctor import run_doctor
from booking.errors import BookingError
from booking.failures import explain_and_keep
from booking.logs import configure_logging
from booking.notify import BookingView
from booking.plugins import load_notifiers
from booking.questions import AnswerError, check_answer, give_up, labels, parse_answer, startup_answers
from booking.scheduler import start_scheduler
from booking.service import BookingInputError, BookingRequestInput, BookingService, Teammate
from booking.settings import EMAIL_RE, Settings
from booking.states import BookingStatus
from booking.wiring import build_monitor, build_service


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
    trial = commands.add_parser("try", help="run a recipe step by step, printing and screenshotting each step")
    trial.add_argument("target", help="startup name from the directory, or the booking page URL")
    trial.add_argument("--recipe", required=True, type=Path, help="the recipe file (YAML)")
    trial.add_argument("--dry-run", action="store_true", help="stop before the first submit step: nothing is sent")
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


def booking_json(view: BookingView) -> dict[str, object]:
    return {
        "id": view.id,
        "status": view.status,
        "startup": view.startup_name,
        "platform": view.platform,
        "person": view.person_name,
        "slots": [s.isoformat() for s in view.proposed_slots],
        "booked_slot": view.confirmed_slot.isoformat() if view.confirmed_slot else None,
        "external_booking_id": view.external_booking_id,
        "screenshots": list(view.screenshots),
        "error": view.error_message,
        "questions": [q["label"] for q in view.questions] if view.status == BookingStatus.FAILED else [],
    }


def run_booking(service: BookingService, request: BookingRequestInput, out: TextIO, as_json: bool,
                notifier: ConsoleNotifier) -> int:
    try:
        view = service.request_booking(request)
    except BookingInputError as exc:
        hint = f" Did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        print(f"error: {exc}.{hint}", file=sys.stderr)
        return 2
    service.start(view.id)
    service.runner.wait_idle()
    final = service.get(view.id)
    while final.awaiting_answer:  # only with an interactive terminal (AskingConsoleNotifier)
        final = answer_on_terminal(service, final)
    if final.status == BookingStatus.FAILED and final.questions:
        print(f"error: the form asks {labels(list(final.questions))}; answer with "
              + " ".join(f'--answer "{q["label"]}=…"' for q in final.questions), file=sys.stderr)
    if as_json:
        print(json.dumps(booking_json(final), ensure_ascii=False), file=out)
    else:
        if final.screenshots:
            notifier._print(f"[#{final.id}] Screenshots: {final.screenshots[0].rsplit('/', 1)[0]}")
    return 0 if BookingStatus(final.status).is_booked else 1


def answer_on_terminal(service: BookingService, view: BookingView) -> BookingView:
    """Ask the form's questions on the terminal, then run the booking again with the answers."""
    answers: dict[str, str] = {}
    for question in view.questions:
        while True:
            choices = f" [{' / '.join(question['choices'])}]" if question.get("choices") else ""
            try:
                typed = input(f"{question['label']}{choices}: ")
            except (EOFError, KeyboardInterrupt):
                print(file=sys.stderr)
                return give_up(service, view.id, f"No answer to {labels([question])} was given, so nothing was sent")
            try:
                answers[question["label"]] = check_answer(question, typed)
                break
            except AnswerError as exc:
                print(f"  {exc}", file=sys.stderr)
    service.answer_questions(view.id, None, answers)
    service.runner.wait_idle()
    return service.get(view.id)


def parse_answers(texts: Sequence[str]) -> dict[str, str]:
    """``--answer``/``--set`` values → {label: value}; AnswerError for a malformed one."""
    return dict(parse_answer(text) for text in texts)


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
        from booking.demo import run_demo

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


def worker_command(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The confirmation monitor on its own (the bot runs one too unless BOOKER_RUN_SCHEDULER=false)."""
    console = ConsoleNotifier(out)
    try:
        service = build_service(settings, notifiers=load_notifiers(settings, fallback=lambda view: console))
    except BookingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    monitor = build_monitor(service)
    if args.once:  # one cycle, then the lease goes back: a second run right after checks again
        try:
            report = monitor.run_cycle()
            service.runner.wait_idle()
        finally:
            monitor.lease.release()
            service.runner.shutdown()
        print(json.dumps({k: v for k, v in report.__dict__.items()}, default=str), file=out)
        return 0
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    scheduler = start_scheduler(monitor, settings.check_interval_seconds)
    print(f"worker {service.worker_id}: checking confirmations every {settings.check_interval_seconds:g} s", file=out, flush=True)
    stop.wait()
    scheduler.shutdown(wait=False)
    monitor.lease.release()
    service.runner.shutdown(wait=False)
    return 0


def try_command(args: argparse.Namespace, settings: Settings, out: TextIO, **hooks: object) -> int:
    """``hooks`` (mailbox, clock, browsers) let tests and the lead's wiring supply the outside world."""
    from booking.platforms.base import Invitee
    from booking.recipes import RecipeError
    from booking.trying import read_recipe, try_recipe

    try:
        recipe = read_recipe(args.recipe)
    except RecipeError as exc:
        print(f"error: {args.recipe}: {exc}", file=sys.stderr)
        return 2
    name = args.name or settings.user_name
    email = args.email or settings.user_email
    if not name or not email or not EMAIL_RE.fullmatch(email):
        print("error: give --name and a valid --email (or set BOOKER_USER_NAME and BOOKER_USER_EMAIL)", file=sys.stderr)
        return 2
    invitee = Invitee(name=name, email=email, company=settings.company, role=settings.role,
                      timezone=args.timezone or settings.default_timezone, phone=args.phone or settings.user_phone)
    try:
        if "mailbox" not in hooks and not args.dry_run:  # a dry run stops before any code is sent
            from booking.wiring import build_mailbox

            hooks["mailbox"] = build_mailbox(settings)
        return try_recipe(args.target, recipe, invitee, settings, out, dry_run=args.dry_run, **hooks).exit_code  # type: ignore[arg-type]
    except BookingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def answers_command(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Show (and with --set / --clear edit) a startup's remembered answers."""
    from booking.wiring import build_service

    try:
        to_set = parse_answers(args.set_answers)
    except AnswerError as exc:
        print(f"error: {str(exc).replace('--answer', '--set', 1)}", file=sys.stderr)
        return 2
    try:
        service = build_service(settings)
        try:
            name, answers = startup_answers(service, args.name, set_answers=to_set, clear=args.clear)
        finally:
            service.runner.shutdown()
    except BookingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not answers:
        print(f"{name}: no remembered answers", file=out)
    for label, value in answers.items():
        print(f"{label}={value}", file=out)
    return 0


def book_command(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    name = args.name or settings.user_name
    email = args.email or settings.user_email
    if not name or not email:
        print("error: give --name and --email (or set BOOKER_USER_NAME and BOOKER_USER_EMAIL)", file=sys.stderr)
        return 2
    if not EMAIL_RE.fullmatch(email):
        print(f"error: --email {email!r} is not an e-mail address", file=sys.stderr)
        return 2
    if not args.startup and not args.url:
        print("error: name a startup or give --url", file=sys.stderr)
        return 2
    try:
        answers = parse_answers(args.answer)
    except AnswerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from booking.wiring import build_service

    interactive = not args.json and sys.stdin.isatty()  # can the form's questions be asked here?
    notifier = (AskingConsoleNotifier if interactive else ConsoleNotifier)(out, quiet=args.json)
    try:
        service = build_service(settings, notifiers=lambda view: notifier)
    except BookingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    teammate = Teammate(name=name, email=email, timezone=args.timezone or settings.default_timezone,
                        phone=args.phone or settings.user_phone)
    request = BookingRequestInput(
        teammate=teammate, startup=args.startup, url=args.url, platform=args.platform,
        message_template=args.message, requested_via="cli", answers=answers,
    )
    try:
        return run_booking(service, request, out, args.json, notifier)
    finally:
        service.runner.shutdown()
