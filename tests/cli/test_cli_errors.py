"""Whatever stops a command a teammate starts is ONE line on stderr, no traceback, and README's exit code.

Run as a teammate runs them: ``python -m booking …``, ``python -m bot …`` and ``./dev`` in a subprocess.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from booking.store.models import MeetingBookingRequest
from booking.workflow.requests import BookingRequestInput, Teammate

ROOT = Path(__file__).resolve().parents[2]
ANA = Teammate(name="Ana Lima", email="ana.lima@axa-innovation.example", timezone="Europe/Helsinki")
PAGE = "http://127.0.0.1:9/acme-robotics"


@pytest.fixture
def cli_env(tmp_path, database_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKER_", "DATABASE_", "SLACK_", "GOOGLE_"))}
    env.update({
        "DATABASE_URL": database_url, "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_USER_NAME": ANA.name, "BOOKER_USER_EMAIL": ANA.email,
        "BOOKER_TEST_RUN": os.environ.get("BOOKER_TEST_RUN", ""), "PYTHONPATH": str(ROOT),
    })
    return env


def run(env, *argv, module="booking", timeout=120):
    return subprocess.run([sys.executable, "-m", module, *argv], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)


def one_line(done) -> str:
    """The single stderr line, asserted to be the only one and no traceback."""
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.both_databases
def test_a_second_live_booking_of_the_same_startup_is_one_line_and_exit_2(cli_env, service, db_backend):
    """Used to be a DuplicateBooking traceback (exit 1)."""
    first = service.request_booking(BookingRequestInput(teammate=ANA, url=PAGE, platform="calendly",
                                                        requested_via="cli"))
    done = run(cli_env, "book", "--url", PAGE, "--platform", "calendly")
    assert done.returncode == 2
    assert one_line(done) == f"error: You already have a booking with {first.startup_name} (#{first.id}, pending)"
    with service.db.session() as session:
        assert session.scalar(select(func.count()).select_from(MeetingBookingRequest)) == 1


@pytest.mark.parametrize("name, value, code, words", [
    ("DATABASE_URL", "postgresql://booker:secret@127.0.0.1:1/booker", 3,
     "error: can't open the database postgresql://booker:***@127.0.0.1:1/booker ("),
    ("DATABASE_URL", "sqlite:////proc/nope/x.db", 2, "error: can't use /proc/nope (No such file or directory); "
                                                     "check DATABASE_URL"),
    ("BOOKER_SCREENSHOT_DIR", "/etc/passwd", 2,
     "error: BOOKER_SCREENSHOT_DIR points to /etc/passwd, which is a file, not a folder"),
    ("BOOKER_RETRY_BACKOFF_SECONDS", "1e12", 2,
     "error: BOOKER_RETRY_BACKOFF_SECONDS must be at most 3600 (allowed 0–3600 s), got 1e+12"),
    ("BOOKER_PAGE_LOAD_TIMEOUT", "inf", 2, "error: BOOKER_PAGE_LOAD_TIMEOUT must be a finite number from 1 to 600"),
    ("BOOKER_STEP_TIMEOUT", "nan", 2, "error: BOOKER_STEP_TIMEOUT must be a finite number from 1 to 600"),
])
def test_bad_storage_and_settings_are_one_line(cli_env, name, value, code, words):
    cli_env[name] = value
    done = run(cli_env, "book", "--url", PAGE, "--platform", "calendly")
    assert done.returncode == code
    line = one_line(done)
    assert line.startswith(words) and "secret" not in line


def test_the_unreachable_database_names_the_setting(cli_env):
    cli_env["DATABASE_URL"] = "postgresql://booker@127.0.0.1:1/booker"
    line = one_line(run(cli_env, "startups", "answers", "Acme"))
    assert line.endswith("check DATABASE_URL") and "Connection refused" in line


def test_python_m_bot_help_only_helps(cli_env):
    """Used to start the bot (and, without tokens, fail)."""
    done = run(cli_env, "--help", module="bot")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("usage: python -m bot") and "/healthz" in done.stdout


def test_gallery_help_writes_nothing(cli_env, tmp_path):
    """Used to write twelve files into a folder named --help."""
    done = subprocess.run([sys.executable, "-m", "bot.gallery", "--help"], cwd=tmp_path, env=cli_env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "usage: python -m bot.gallery" in done.stdout
    assert not (tmp_path / "--help").exists()


def test_bot_with_a_revoked_token_is_one_line_exit_2(cli_env, slack):
    """Used to be a 50-line BoltError."""
    cli_env.update(SLACK_BOT_TOKEN="xoxb-revoked", SLACK_SIGNING_SECRET="s", SLACK_API_URL=slack.api_url,
                   BOOKER_HTTP_PORT="0", BOOKER_RUN_SCHEDULER="false")
    done = run(cli_env, module="bot")
    assert done.returncode == 2
    assert one_line(done).startswith("error: Slack refused SLACK_BOT_TOKEN (invalid_auth); copy the Bot User")
    assert "xoxb-revoked" not in done.stderr


def test_bot_without_network_is_one_line_exit_3(cli_env):
    """Used to be a 100-line URLError."""
    cli_env.update(SLACK_BOT_TOKEN="xoxb-test-token", SLACK_SIGNING_SECRET="s", SLACK_API_URL="http://127.0.0.1:1/api/",
                   BOOKER_HTTP_PORT="0", BOOKER_RUN_SCHEDULER="false")
    done = run(cli_env, module="bot")
    assert done.returncode == 3
    assert one_line(done).startswith("error: can't reach Slack at http://127.0.0.1:1/api/ (")


def test_dev_help_lists_every_command_and_nothing_else():
    done = subprocess.run([str(ROOT / "dev"), "help"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "set -euo" not in done.stdout + done.stderr
    listed = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("  ./dev ")]
    assert set(listed) >= {"demo", "test", "bot", "bench", "cli", "setup", "doctor"}
    unknown = subprocess.run([str(ROOT / "dev"), "nope"], capture_output=True, text=True, timeout=30)
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "./dev help" in unknown.stderr


def test_a_bug_is_one_line_and_its_traceback_is_kept_in_the_file_the_line_names(monkeypatch, capsys, tmp_path):
    """Booker's own bug: exit 70, one line on the terminal, the full traceback in a file (nothing lost)."""
    import booking.cli.main as cli

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'booker.db'}")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(cli, "run_command", broken)
    assert cli.main(["startups", "list"]) == 70
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: unexpected RuntimeError: a bug deep inside") and "details in " in line
    kept = Path(line.rsplit("details in ", 1)[1])
    assert kept.parent == tmp_path and "Traceback" in kept.read_text() and "def broken" not in line
    assert "a bug deep inside" in kept.read_text()


def test_try_save_recipe_with_a_recipe_is_one_line_exit_2_and_writes_nothing(cli_env, tmp_path):
    """``--save-recipe`` writes what auto did; with ``--recipe`` there is nothing to record."""
    recipe = tmp_path / "r.yaml"
    recipe.write_text("steps: [{open: '{url}'}]\n")
    out = tmp_path / "saved.yaml"
    done = run(cli_env, "try", PAGE, "--recipe", str(recipe), "--save-recipe", str(out))
    assert done.returncode == 2
    assert one_line(done) == "error: --save-recipe writes what auto did; it can't be used with --recipe"
    assert not out.exists()
