"""The CLI front-end: same service, progress lines or one JSON object, honest exit codes."""
from __future__ import annotations

import io
import json

import pytest

from booking.cli.main import main

pytestmark = pytest.mark.browser


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    for name, value in {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BOOKER_SCREENSHOT_DIR": str(tmp_path / "shots"),
        "BOOKER_ALLOWED_HOSTS": "127.0.0.1", "BOOKER_STEP_TIMEOUT": "6",
    }.items():
        monkeypatch.setenv(name, value)
    return tmp_path


@pytest.fixture
def live_calendly():
    """The CLI uses the real clock, so this replica does too."""
    from replicas.world import build_calendly

    with build_calendly() as site:
        yield site


def run(*argv):
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_book_by_url_prints_json_and_exits_zero(cli_env, live_calendly):
    code, out = run("book", "--url", live_calendly.event_url("carla-beta", "30min"), "--platform", "calendly",
                    "--name", "Ana Lima", "--email", "ana@axa.example", "--message", "Hi {person}, {user_name} here", "--json")
    assert code == 0
    result = json.loads(out)
    assert result["status"] == "confirmed" and result["person"] == "Carla Diaz" and len(result["slots"]) == 2
    assert result["external_booking_id"] == live_calendly.bookings[0]["invitee_uuid"]
    assert live_calendly.bookings[0]["answers"] and result["error"] is None
    assert all(path.endswith(".png") for path in result["screenshots"])


def test_progress_lines_and_failure_exit_code(cli_env, live_calendly):
    live_calendly.faults.details_form_never_renders = True
    code, out = run("book", "--url", live_calendly.event_url("carla-beta", "30min"), "--platform", "calendly",
                    "--name", "Ana Lima", "--email", "ana@axa.example")
    assert code == 1
    assert "Opened the Calendly page" in out and "failed: The Calendly page changed" in out


@pytest.mark.parametrize("argv, words", [
    (["book", "--url", "file:///etc/passwd", "--name", "A", "--email", "a@b.co"], "http(s)"),
    (["book", "Acme", "--name", "A", "--email", "nope"], "not an e-mail"),
    (["book", "Nobody", "--name", "A", "--email", "a@b.co"], "don't know a startup"),
    (["book", "--url", "https://calendly.com/x", "--name", "A", "--email", "a@b.co", "--message", "{0}"], "unknown placeholder"),
])
def test_bad_input_exits_two_with_one_line(cli_env, capsys, argv, words):
    code, _ = run(*argv)
    err = capsys.readouterr().err
    assert code == 2 and words in err and err.count("\n") == 1 and "Traceback" not in err
