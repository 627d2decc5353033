"""``python -m booking doctor``: one ✓/✗ line per part of the set-up, with the fix on every ✗.

Run as an operator runs it (a subprocess) against the Slack fake, the Google fake and a temporary
database; exit 0 only when every line is ✓.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from booking.runtime.doctor_checks import manifest_scopes
from booking.store.db import open_database
from booking.store.models import Startup, StartupBookingConfig

ROOT = Path(__file__).resolve().parents[2]
TEAMMATE = "eduardo.paz@axa-innovation.example"


@pytest.fixture
def google(clock):
    from replicas.google_api import GoogleFake

    with GoogleFake(now=clock) as fake:
        fake.add_user(TEAMMATE, "Europe/Helsinki")
        yield fake


@pytest.fixture
def healthy_env(tmp_path, database_url, slack, google):
    """Everything right: granted scopes = the manifest's, a migrated database with one allowed startup."""
    slack.granted_scopes = tuple(sorted(manifest_scopes()))
    db = open_database(database_url)
    with db.transaction() as session:
        session.add(Startup(id="acme", display_name="Acme Robotics", aliases=[]))
        session.add(StartupBookingConfig(startup_id="acme", platform_type="calendly",
                                         booking_url="http://127.0.0.1:9/acme"))
    db.dispose()
    key = tmp_path / "service-account.json"
    key.write_text(json.dumps(google.service_account_key()))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOOKER_", "DATABASE_", "SLACK_", "GOOGLE_"))}
    env.update({
        "DATABASE_URL": database_url, "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_USER_EMAIL": TEAMMATE,
        "SLACK_BOT_TOKEN": slack.bot_token, "SLACK_SIGNING_SECRET": "secret", "SLACK_API_URL": slack.api_url,
        "GOOGLE_CREDENTIALS_FILE": str(key), "GOOGLE_CALENDAR_API_URL": google.calendar_endpoint,
        "GOOGLE_GMAIL_API_URL": google.gmail_endpoint,
        "BOOKER_TEST_RUN": os.environ.get("BOOKER_TEST_RUN", ""), "PYTHONPATH": str(ROOT),
    })
    return env


@pytest.fixture
def fake_driver(tmp_path):
    """A chromedriver that says it is major version 99 (the real Chromium here is another)."""
    script = tmp_path / "chromedriver"
    script.write_text("#!/bin/sh\necho 'ChromeDriver 99.0.4844.51 (d537ec02474b5afe23684e7963d538896c63ac77)'\n")
    script.chmod(0o755)
    return script


def doctor(env):
    done = subprocess.run([sys.executable, "-m", "booking", "doctor"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert "Traceback" not in done.stdout + done.stderr
    return done


def line(done, what: str) -> str:
    [found] = [text for text in done.stdout.splitlines() if text[2:].startswith(f"{what}:")]
    return found


@pytest.mark.browser
@pytest.mark.both_databases
def test_a_healthy_set_up_is_all_ticks(healthy_env, slack, google, db_backend):
    done = doctor(healthy_env)
    print(done.stdout)
    checks = done.stdout.splitlines()[:-1]
    assert done.returncode == 0, done.stdout
    assert [text[2:].split(":")[0] for text in checks] == [
        "Slack", "Slack scopes", "Slack mode", "Browser", "Headless page", "Database", "Directory",
        "Google Calendar", "Gmail"]
    assert all(text.startswith("✓ ") for text in checks)
    assert line(done, "Slack") == "✓ Slack: auth.test ok as booker in Booker Test"
    assert line(done, "Directory") == "✓ Directory: all 1 startups' URLs allowed"
    assert done.stdout.splitlines()[-1] == "9 of 9 ✓"
    assert [c.method for c in slack.calls] == ["auth.test"]


def test_a_missing_scope_is_named_with_the_fix(healthy_env, slack, fake_driver):
    slack.granted_scopes = tuple(sorted(manifest_scopes() - {"files:write"}))
    healthy_env["BOOKER_CHROMEDRIVER_PATH"] = str(fake_driver)  # no browser needed for this one
    done = doctor(healthy_env)
    assert done.returncode == 1
    assert line(done, "Slack scopes") == ("✗ Slack scopes: missing files:write; add them from manifest.yml "
                                          "(OAuth & Permissions) and Reinstall to Workspace")
    assert line(done, "Database").startswith("✓")


def test_a_revoked_token_says_to_copy_it_again(healthy_env, fake_driver):
    healthy_env.update(SLACK_BOT_TOKEN="xoxb-revoked", BOOKER_CHROMEDRIVER_PATH=str(fake_driver))
    done = doctor(healthy_env)
    assert done.returncode == 1
    assert line(done, "Slack").startswith("✗ Slack: auth.test says invalid_auth; copy the Bot User OAuth Token")
    assert "xoxb-revoked" not in done.stdout + done.stderr


def test_a_wrong_driver_path_and_a_mismatched_driver(healthy_env, fake_driver, tmp_path):
    healthy_env["BOOKER_CHROMEDRIVER_PATH"] = str(tmp_path / "nowhere" / "chromedriver")
    done = doctor(healthy_env)
    assert done.returncode == 1
    assert line(done, "Browser").startswith(f"✗ Browser: {tmp_path}/nowhere/chromedriver can't run (")
    assert line(done, "Browser").endswith("; apt-get install chromium-driver or set BOOKER_CHROMEDRIVER_PATH")
    assert line(done, "Headless page") == "✗ Headless page: not tried until the browser and driver match"

    healthy_env["BOOKER_CHROMEDRIVER_PATH"] = str(fake_driver)
    mismatched = line(doctor(healthy_env), "Browser")
    assert mismatched.startswith("✗ Browser: Chromium ") and " but chromedriver 99; install the matching" in mismatched


def test_an_unreachable_database(healthy_env, fake_driver):
    healthy_env.update(DATABASE_URL="postgresql://booker:pw@127.0.0.1:1/booker",
                       BOOKER_CHROMEDRIVER_PATH=str(fake_driver))
    done = doctor(healthy_env)
    assert done.returncode == 1
    assert line(done, "Database").startswith("✗ Database: can't reach postgresql://booker:***@127.0.0.1:1/booker (")
    assert line(done, "Directory") == "✗ Directory: not checked until the database is ready"
    assert line(done, "Gmail").startswith("✓")


def test_a_refused_directory_url_and_an_unknown_google_user(healthy_env, fake_driver):
    healthy_env.update(BOOKER_ALLOWED_HOSTS="", BOOKER_USER_EMAIL="nobody@elsewhere.example",
                       BOOKER_CHROMEDRIVER_PATH=str(fake_driver))
    done = doctor(healthy_env)
    assert line(done, "Directory").startswith("✗ Directory: 1 of 1 URLs refused: Acme Robotics (The booking URL "
                                              "points at a private or local address")
    assert line(done, "Google Calendar").startswith("✗ Google Calendar: ")


def test_socket_mode_token_is_asked_of_slack(healthy_env, slack, fake_driver):
    healthy_env.update(SLACK_APP_TOKEN="xapp-1-A0001-test", BOOKER_CHROMEDRIVER_PATH=str(fake_driver))
    assert line(doctor(healthy_env), "Slack mode") == "✓ Slack mode: Socket Mode (Slack accepts SLACK_APP_TOKEN)"
    slack.fail("apps.connections.open", status=200, error="invalid_auth")
    refused = line(doctor(healthy_env), "Slack mode")
    assert refused.startswith("✗ Slack mode: Socket Mode: apps.connections.open says invalid_auth; create an "
                              "app-level token with connections:write")
