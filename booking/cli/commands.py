"""The subcommands that book, try a recipe, run the worker and edit remembered answers.

Each takes the parsed arguments, the settings and where to print; each returns README's exit code.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence, TextIO

from booking.cli.output import booking_json
from booking.config.settings import EMAIL_RE, Settings
from booking.domain.errors import BookingError
from booking.domain.states import BookingStatus
from booking.notify.console import AskingConsoleNotifier, ConsoleNotifier
from booking.notify.notifier import BookingView
from booking.platforms.base import Invitee
from booking.recipes.schema import RecipeError
from booking.runtime.wiring import build_mailbox, build_service
from booking.runtime.workers import run_worker
from booking.workflow.questions import AnswerError, check_answer, give_up, labels, parse_answer, startup_answers
from booking.workflow.requests import BookingInputError, BookingRequestInput, Teammate
from booking.workflow.service import BookingService
from booking.workflow.trying import read_recipe, try_recipe


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
    elif final.status == BookingStatus.FAILED:  # a script reads why on stderr, one line (README's exit codes)
        print(f"error: {' '.join((final.error_message or 'the booking failed').split())}", file=sys.stderr)
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


def worker_command(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """The confirmation monitor and queued booking jobs (booking/runtime/workers.py); the bot runs a monitor
    too unless BOOKER_RUN_SCHEDULER=false."""
    if args.health_port is not None and not 0 < args.health_port < 65536:
        print("error: --health-port is a TCP port: 1 to 65535", file=sys.stderr)
        return 2
    health = (args.health_host, args.health_port) if args.health_port is not None else None
    return run_worker(settings, out, once=args.once, jobs=args.jobs, health=health)


def try_command(args: argparse.Namespace, settings: Settings, out: TextIO, **hooks: object) -> int:
    """``hooks`` (mailbox, clock, browsers) let tests and the lead's wiring supply the outside world."""
    if args.recipe is not None and args.save_recipe is not None:
        print("error: --save-recipe writes what auto did; it can't be used with --recipe", file=sys.stderr)
        return 2
    try:
        recipe = read_recipe(args.recipe) if args.recipe is not None else None
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
            hooks["mailbox"] = build_mailbox(settings)
        return try_recipe(args.target, recipe, invitee, settings, out, dry_run=args.dry_run,
                          save_recipe=args.save_recipe, **hooks).exit_code  # type: ignore[arg-type]
    except BookingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def answers_command(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Show (and with --set / --clear edit) a startup's remembered answers."""
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
    interactive = not args.json and sys.stdin.isatty()  # can the form's questions be asked here?
    notifier = (AskingConsoleNotifier if interactive else ConsoleNotifier)(out, quiet=args.json)
    try:
        service = build_service(settings, notifiers=lambda view: notifier, queue_in_database=False)  # waits for it
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
