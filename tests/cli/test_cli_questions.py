"""The CLI and the form's own questions, run as a teammate runs it: ``python -m booking`` in a subprocess.

``book --answer "Label=value"`` answers a required question Booker can't (remembered for the startup);
without it, a terminal is asked, and a script (no TTY) gets a one-line error naming the question.
``startups answers`` shows and edits what a startup remembers.
"""
from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from booking.store.db import open_database
from booking.store.models import StartupBookingConfig
from replicas.world import seed_directory
from tests.question_world import PLATFORMS, QUESTION, zeta_world

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKER_", "DATABASE_", "SLACK_", "GOOGLE_"))}
    env.update({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "10", "BOOKER_PAGE_LOAD_TIMEOUT": "10",
        "BOOKER_USER_NAME": "Ana Lima", "BOOKER_USER_EMAIL": "ana.lima@axa-innovation.example",
        "BOOKER_TEST_RUN": os.environ.get("BOOKER_TEST_RUN", ""),
    })
    return env


@pytest.fixture(params=PLATFORMS)
def zeta(request, cli_env):
    """Zeta Labs in the CLI's directory, its page on the real clock (as the CLI's)."""
    db = open_database(cli_env["DATABASE_URL"])
    try:
        with zeta_world(request.param, db) as world:
            yield world
    finally:
        db.dispose()


def cli(env, *argv, stdin=subprocess.DEVNULL, timeout=180):
    return subprocess.run([sys.executable, "-m", "booking", *argv], cwd=ROOT, env=env, stdin=stdin,
                          capture_output=True, text=True, timeout=timeout)


def remembered(env):
    db = open_database(env["DATABASE_URL"])
    with db.session() as session:
        answers = session.query(StartupBookingConfig).one().form_answers
    db.dispose()
    return answers


@pytest.mark.browser
def test_answer_flag_books_the_form_with_that_answer(cli_env, zeta):
    done = cli(cli_env, "book", "Zeta", "--answer", f"{QUESTION}=Intro to AXA's pilots", "--json")
    assert done.returncode == 0, done.stderr
    assert zeta.answers() == ["Intro to AXA's pilots"]
    assert remembered(cli_env) == {QUESTION: "Intro to AXA's pilots"}


@pytest.mark.browser
def test_without_an_answer_and_without_a_terminal_it_fails_naming_the_question(cli_env, zeta):
    done = cli(cli_env, "book", "Zeta")
    assert done.returncode == 1 and zeta.bookings == []
    assert done.stderr == (f"error: the form asks '{QUESTION}'; answer with --answer \"{QUESTION}=…\"\n")
    assert f"form requires '{QUESTION}', which Booker can't answer; nothing was sent" in done.stdout


@pytest.mark.browser
def test_a_terminal_is_asked_and_the_booking_goes_on_with_the_answer(cli_env, zeta):
    controller, terminal = pty.openpty()
    try:
        os.write(controller, b"Partnership\n")  # typed at the prompt (the terminal keeps it until read)
        done = cli(cli_env, "book", "Zeta", stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{QUESTION}: " in done.stdout and "the form asks something only you can answer" in done.stdout
    assert zeta.answers() == ["Partnership"]
    assert remembered(cli_env) == {QUESTION: "Partnership"}


@pytest.mark.parametrize("argv, words", [
    (["book", "Zeta", "--answer", "no equals sign"], "is not Label=value"),
    (["book", "Zeta", "--answer", f"{QUESTION}="], "is not Label=value"),
    (["startups", "answers", "Zeta", "--set", "=Intro"], "--set '=Intro' is not Label=value"),
    (["startups", "answers", "Nobody"], "I don't know a startup called 'Nobody'"),
    (["startups", "answers", "Zeta", "--clear", "Budget"], "Zeta Labs has no remembered answer to 'Budget'"),
])
def test_bad_answers_and_unknown_startups_exit_two_with_one_line(cli_env, argv, words):
    db = open_database(cli_env["DATABASE_URL"])
    seed_directory(db, [{"name": "Zeta Labs", "aliases": ["zeta"], "platform": "calendly",
                         "booking_url": "https://calendly.com/zeta/intro"}])
    db.dispose()
    done = cli(cli_env, *argv)
    assert done.returncode == 2 and words in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_startups_answers_shows_and_edits_what_is_remembered(cli_env):
    db = open_database(cli_env["DATABASE_URL"])
    seed_directory(db, [{"name": "Zeta Labs", "aliases": ["zeta"], "platform": "calendly",
                         "booking_url": "https://calendly.com/zeta/intro"}])
    db.dispose()
    shown = cli(cli_env, "startups", "answers", "zeta")
    assert (shown.returncode, shown.stdout) == (0, "Zeta Labs: no remembered answers\n")
    edited = cli(cli_env, "startups", "answers", "Zeta Labs", "--set", f"{QUESTION}=Intro", "--set", "Budget=Under 50k")
    assert (edited.returncode, edited.stdout) == (0, f"{QUESTION}=Intro\nBudget=Under 50k\n")
    changed = cli(cli_env, "startups", "answers", "zeta", "--set", "what is this meeting about=Pilot",
                  "--clear", "budget")
    assert (changed.returncode, changed.stdout) == (0, f"{QUESTION}=Pilot\n")  # the form's spelling stays
    assert remembered(cli_env) == {QUESTION: "Pilot"}
