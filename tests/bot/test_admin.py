"""`/book-admin` (admins from BOOKER_ADMINS only) and `python -m booking startups import FILE`."""
from __future__ import annotations

import io
import textwrap

import pytest

from booking.cli import main as cli
from booking.domain.states import BookingStatus
from booking.store.directory import find_startup
from booking.store.models import MeetingBookingRequest, Startup
from tests.bot.kit import command, hold_jobs, replies
from tests.helpers import eventually, settled

S = BookingStatus


@pytest.fixture
def slack_settings(settings, slack):
    slack.add_user("UADMIN", "Ada Admin", "ada@axa-innovation.example")
    return settings.with_overrides(slack_api_url=slack.api_url, admins=("UADMIN",))


def admin_says(app, slack, text, user="UADMIN"):
    return replies(slack, command(app, slack, text, user=user, name="/book-admin"))[0]["text"]


def startup(service, name):
    with service.db.session() as session:
        found = find_startup(session, name).startup
        return (found.display_name, found.config.platform_type, found.config.booking_url,
                found.config.available_people) if found else None


def test_non_admins_are_refused_and_nothing_changes(bot, slack, directory):
    app, service = bot
    assert admin_says(app, slack, "add NewCo https://calendly.com/newco/intro", user="U123") == \
        "Only Booker admins can use `/book-admin` (admins are listed in BOOKER_ADMINS)."
    assert startup(service, "NewCo") is None


def test_add_a_startup_then_book_it(bot, slack, directory, calendly, monkeypatch):
    app, service = bot
    jobs = hold_jobs(service, monkeypatch)
    url = calendly.event_url("carla-beta", "30min")
    assert admin_says(app, slack, f"add Zeta Robotics <{url}> calendly") == f"Added Zeta Robotics (Calendly): {url}"
    assert startup(service, "zeta robotics")[:3] == ("Zeta Robotics", "calendly", url)
    assert admin_says(app, slack, "add Zeta Robotics https://calendly.com/zeta/intro") == \
        "Updated Zeta Robotics (Calendly): https://calendly.com/zeta/intro"  # platform from the URL
    command(app, slack, "Zeta Robotics")
    eventually(lambda: jobs, 10, "the booking to be queued")
    assert [r.startup_name for r in _rows(service)] == ["Zeta Robotics"]


@pytest.mark.parametrize("text, message", [
    ("add Zeta https://example.org/book", "'Zeta': Booker doesn't recognise https://example.org/book; give its platform"),
    ("add Zeta https://calendly.com/zeta/intro webex", "'Zeta': Booker has no module for the platform 'webex'"),
    ("add Zeta file:///etc/passwd calendly", "Give the booking page URL"),
    ("add https://calendly.com/zeta/intro", "Give the startup's name before its URL"),
])
def test_bad_admin_input_says_why_and_stores_nothing(bot, slack, directory, text, message):
    app, service = bot
    assert admin_says(app, slack, text).startswith(message)
    assert startup(service, "Zeta") is None


def test_people_in_order_of_preference(bot, slack, directory):
    app, service = bot
    text = "people Acme Robotics: Bob Jones (CTO) <mailto:bob@acme.example|bob@acme.example>, Alice Smith (CEO)"
    assert admin_says(app, slack, text) == "Acme Robotics: Booker will ask for Bob Jones, Alice Smith, in that order."
    assert startup(service, "acme")[3] == [{"email": "bob@acme.example", "role": "CTO", "name": "Bob Jones"},
                                           {"role": "CEO", "name": "Alice Smith"}]
    assert admin_says(app, slack, "people Acme: bob <not-an-email@>") == \
        "Acme Robotics: person 1 has an invalid e-mail 'not-an-email@'"
    assert admin_says(app, slack, "people Nobody: Alice").startswith("I don't know a startup called 'Nobody'")


@pytest.mark.browser
def test_dry_run_fills_the_form_with_screenshots_and_sends_nothing(bot, slack, calendly, directory, monkeypatch):
    app, service = bot
    reply = admin_says(app, slack, "test acme")
    [row] = settled(service)
    assert row.status == S.CANCELLED and row.requested_via == "dry_run" and calendly.bookings == []
    assert reply.startswith("Testing Acme Robotics: the form is filled as you and not sent; screenshots <https://")
    parent = slack.message("C123", row.thread_ref["ts"])
    assert parent["text"] == "🧪 Dry run of Acme Robotics passed: the form was filled and not sent"
    assert not [b for b in parent["blocks"] if b["type"] == "actions"]
    shots = [f["filename"] for f in slack.files.values()]
    assert shots[-1].endswith("_form_filled.png") and len(shots) >= 4
    with service.db.session() as session:
        config = session.get_one(Startup, "acme-robotics").config
        assert config.is_working and config.last_tested is not None
    # A dry run is nobody's booking: a teammate booking Acme now is not warned about it.
    jobs = hold_jobs(service, monkeypatch)
    hook = command(app, slack, "acme")
    eventually(lambda: jobs, 10, "Eduardo's booking to be queued")
    assert [c for c in slack.calls_to("response_url") if c.params["_name"] == hook] == []


def _rows(service):
    with service.db.session() as session:
        return session.query(MeetingBookingRequest).all()


# -- python -m booking startups import FILE ------------------------------------------------------
@pytest.fixture
def env(settings, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOOKER_SCREENSHOT_DIR", str(settings.screenshot_dir))
    return settings


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(err):
        code = cli.main(list(args), out=out)
    return code, out.getvalue(), err.getvalue()


def test_import_a_csv_shortlist(env, db, tmp_path):
    path = tmp_path / "shortlist.csv"
    path.write_text(textwrap.dedent("""\
        name,booking_url,platform,aliases,people
        Acme Robotics,https://calendly.com/acme,,acme;acme bots,Alice Smith (CEO) <alice@acme.example>; Bob Jones
        Beta Health,https://calendly.com/beta/30min,calendly,,
    """))
    code, out, err = run_cli("startups", "import", str(path))
    assert (code, out, err) == (0, "Imported 2 startups (2 new, 0 updated)\n", "")
    with db.session() as session:
        acme = find_startup(session, "acme bots").startup
        assert acme.display_name == "Acme Robotics" and acme.config.platform_type == "calendly"
        assert [p["name"] for p in acme.config.available_people] == ["Alice Smith", "Bob Jones"]
    code, out, _ = run_cli("startups", "import", str(path))
    assert out == "Imported 2 startups (0 new, 2 updated)\n"


def test_import_yaml_with_a_bad_row_imports_nothing(env, db, tmp_path):
    path = tmp_path / "shortlist.yaml"
    path.write_text(textwrap.dedent("""\
        startups:
          - name: Acme Robotics
            booking_url: https://calendly.com/acme
            people: [{name: Alice Smith, role: CEO}]
          - name: Gamma
            booking_url: javascript:alert(1)
          - booking_url: https://calendly.com/nobody
    """))
    code, out, err = run_cli("startups", "import", str(path))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: row 2 ('Gamma'): Only http(s) booking pages can be opened, not javascript:",
        "error: row 3 (entry 3): the name is missing",
        "error: nothing was imported",
    ]
    with db.session() as session:
        assert session.query(Startup).count() == 0


def test_import_refuses_other_files(env, db, tmp_path):
    path = tmp_path / "shortlist.txt"
    path.write_text("Acme")
    assert run_cli("startups", "import", str(path))[0] == 2
