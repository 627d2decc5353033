"""`python -m booking startups import|list|export|remove|recipe`: spreadsheets as they are, recipes kept."""
from __future__ import annotations

import contextlib
import io
import textwrap

import openpyxl
import pytest

from booking.cli import main as cli
from booking.store.directory import find_startup, upsert_startup
from booking.store.models import MeetingBookingRequest, Startup
from booking.workflow.requests import BookingRequestInput

RECIPE = textwrap.dedent("""\
    name: Studio
    steps:
      - open: '{url}'
      - pick_time: {slots: li, time_from: {text: true, format: "%Y-%m-%d %H:%M"}}
      - fill: {field: '#name', value: '{name}'}
      - submit: {text: Book}
      - success: [.ok]
""")


@pytest.fixture
def env(settings, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("BOOKER_SCREENSHOT_DIR", str(settings.screenshot_dir))
    monkeypatch.setenv("BOOKER_ALLOWED_HOSTS", "127.0.0.1")
    return settings


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(list(args), out=out)
    return code, out.getvalue(), err.getvalue()


def stored(db, name):
    with db.session() as session:
        startup = find_startup(session, name).startup
        return startup and (startup.display_name, startup.config.platform_type, startup.config.booking_url,
                            startup.config.available_people, startup.config.recipe)


def test_a_semicolon_csv_with_spreadsheet_headers_and_multiline_cells(env, db, tmp_path):
    path = tmp_path / "shortlist.csv"
    path.write_bytes('Startup;Booking URL;Team;Platform\r\n'
                     'Acme Robotics;https://calendly.com/acme/intro;"Ann Lee (CTO)\r\nBen Ho <ben@acme.example>";\r\n'
                     'Мир Тех;https://calendly.com/mir/intro;Ivan;calendly\r\n'.encode("utf-8-sig"))
    assert run_cli("startups", "import", str(path)) == (0, "Imported 2 startups (2 new, 0 updated)\n", "")
    assert stored(db, "acme robotics")[3] == [{"role": "CTO", "name": "Ann Lee"},
                                              {"email": "ben@acme.example", "name": "Ben Ho"}]
    assert stored(db, "Мир Тех")[2] == "https://calendly.com/mir/intro"


def test_a_tab_separated_file_and_an_xlsx(env, db, tmp_path):
    tsv = tmp_path / "list.tsv"
    tsv.write_text("Company\tURL\tPeople\nBeta Health\thttps://calendly.com/beta/intro\tBo\n")
    assert run_cli("startups", "import", str(tsv))[:2] == (0, "Imported 1 startups (1 new, 0 updated)\n")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name", "booking url", "People", "Notes"])
    sheet.append(["Gamma", "https://calendly.com/gamma/intro", "Gus Ek (CEO)\nHel Ma", "met at Slush"])
    sheet.append([None, None, None, None])
    sheet.append(["株式会社", "https://calendly.com/kk/intro", None, None])
    book.save(tmp_path / "list.xlsx")
    assert run_cli("startups", "import", str(tmp_path / "list.xlsx")) == \
        (0, "Imported 2 startups (2 new, 0 updated)\n", "")
    assert [p["name"] for p in stored(db, "gamma")[3]] == ["Gus Ek", "Hel Ma"]
    assert stored(db, "株式会社")[0] == "株式会社"


@pytest.mark.both_databases
def test_recipes_come_in_from_the_file_and_are_never_erased(env, db, tmp_path):
    (tmp_path / "studio.yaml").write_text(RECIPE)
    path = tmp_path / "shortlist.yaml"
    path.write_text(textwrap.dedent("""\
        startups:
          - {name: Studio X, url: 'https://studio.example/book', platform: custom, recipe: studio.yaml}
          - name: Studio Y
            booking_url: https://studio.example/y
            platform: custom
            recipe: {steps: [{open: '{url}'}, {pick_time: {slots: li, time_from: {text: true, format: "%Y-%m-%d %H:%M"}}}, {submit: {text: Book}}, {success: [.ok]}]}
    """))
    assert run_cli("startups", "import", str(path))[:2] == (0, "Imported 2 startups (2 new, 0 updated)\n")
    assert stored(db, "Studio X")[4] == RECIPE and "pick_time" in stored(db, "Studio Y")[4]
    # The shortlist again without recipes: both keep theirs (custom with a stored recipe is fine).
    path.write_text("- {name: Studio X, booking_url: 'https://studio.example/book2', platform: custom}\n"
                    "- {name: Studio Y, booking_url: 'https://studio.example/y', platform: custom}\n")
    assert run_cli("startups", "import", str(path))[:2] == (0, "Imported 2 startups (0 new, 2 updated)\n")
    assert stored(db, "Studio X")[2:] == ("https://studio.example/book2", [], RECIPE)
    assert stored(db, "Studio Y")[4] is not None


def test_custom_without_a_recipe_or_with_a_bad_one_is_refused_at_import(env, db, tmp_path):
    path = tmp_path / "shortlist.csv"
    path.write_text('name,booking_url,platform,recipe\n'
                    'Studio Z,https://studio.example/z,custom,\n'
                    'Studio Q,https://studio.example/q,custom,"steps:\n  - teleport: {}"\n')
    code, out, err = run_cli("startups", "import", str(path))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == ("error: row 1 ('Studio Z'): the custom platform needs a recipe (a 'recipe' column: the YAML, "
                        "or the path of a recipe file next to this one)")
    assert lines[1].startswith("error: row 2 ('Studio Q'): Recipe step 1: unknown step 'teleport'")
    assert lines[2:] == ["error: nothing was imported"]
    with db.session() as session:
        assert session.query(Startup).count() == 0


@pytest.mark.both_databases
def test_skip_invalid_stores_the_rest_and_says_why_each_row_was_skipped(env, db, tmp_path):
    path = tmp_path / "shortlist.csv"
    path.write_text("name,url\nAcme,https://calendly.com/acme/intro\nBad,javascript:alert(1)\n"
                    "ACME!,https://calendly.com/acme/other\n")
    code, out, err = run_cli("startups", "import", "--skip-invalid", str(path))
    assert (code, out) == (0, "Imported 1 startups (1 new, 0 updated, 2 skipped)\n")
    assert err.splitlines() == [
        "skipped row 2 ('Bad'): Only http(s) booking pages can be opened, not javascript:",
        "skipped row 3 ('ACME!'): the same startup as row 1 (the first one is kept)"]
    assert stored(db, "acme")[2] == "https://calendly.com/acme/intro"


def test_a_header_without_a_url_column_says_what_it_found(env, db, tmp_path):
    path = tmp_path / "shortlist.csv"
    path.write_text("Startup;Website\nAcme;https://acme.example\n")
    assert run_cli("startups", "import", str(path))[2] == (
        "error: the header needs a name and a booking URL column (missing booking_url; found name, website)\n"
        "error: nothing was imported\n")


@pytest.mark.both_databases
def test_list_export_remove_and_recipe_commands(env, db, tmp_path):
    path = tmp_path / "shortlist.csv"
    path.write_text('name,booking_url,platform,people,aliases\n'
                    'Acme,https://calendly.com/acme/intro,,"Ann Lee (CTO) <ann@acme.example>\nBen Ho",acme bots\n'
                    'Мир Тех,https://calendly.com/mir/intro,,,\n')
    assert run_cli("startups", "import", str(path))[0] == 0
    assert run_cli("startups", "list")[1].splitlines() == [
        "Acme [acme] calendly https://calendly.com/acme/intro (2 people)",
        "Мир Тех [mir-tekh] calendly https://calendly.com/mir/intro (0 people)"]
    (tmp_path / "r.yaml").write_text(RECIPE)
    assert run_cli("startups", "recipe", "set", "mir tekh", str(tmp_path / "r.yaml"))[1] == \
        "Мир Тех: recipe stored (5 steps).\n"
    assert run_cli("startups", "recipe", "show", "Мир Тех")[1] == RECIPE
    assert run_cli("startups", "recipe", "show", "Acme") == \
        (1, "", "error: Acme has no recipe (store one with: startups recipe set 'Acme' FILE)\n")
    (tmp_path / "bad.yaml").write_text("steps: [{teleport: {}}]\n")
    code, _, err = run_cli("startups", "recipe", "set", "Acme", str(tmp_path / "bad.yaml"))
    assert code == 2 and err.startswith("error: Recipe step 1: unknown step 'teleport'") and err.count("\n") == 1
    # An export re-imports to the same directory, recipe and people included.
    assert run_cli("startups", "export", str(tmp_path / "all.csv"))[1] == f"Exported 2 startups to {tmp_path / 'all.csv'}\n"
    before = [stored(db, "Acme"), stored(db, "Мир Тех")]
    assert run_cli("startups", "remove", "acme bots") == (0, "Removed Acme from the directory.\n", "")
    assert run_cli("startups", "remove", "Acme")[2].startswith("error: I don't know a startup called 'Acme'")
    assert run_cli("startups", "import", str(tmp_path / "all.csv"))[1] == "Imported 2 startups (1 new, 1 updated)\n"
    assert [stored(db, "Acme"), stored(db, "Мир Тех")] == before
    assert run_cli("startups", "export")[1].startswith("name,booking_url,platform,aliases,people,recipe\n")


@pytest.mark.both_databases
def test_remove_waits_for_live_bookings_and_keeps_finished_ones(env, db, service, teammate):
    with db.transaction() as session:
        upsert_startup(session, name="Acme", booking_url="https://calendly.com/acme/intro", platform="calendly")
    view = service.request_booking(BookingRequestInput(teammate=teammate, startup="Acme"))
    assert run_cli("startups", "remove", "Acme") == (
        2, "", "error: Acme has 1 booking on its way; cancel or finish them first, nothing was removed\n")
    with db.transaction() as session:
        session.get(MeetingBookingRequest, view.id).status = "failed"
    assert run_cli("startups", "remove", "Acme")[:2] == (0, "Removed Acme from the directory.\n")
    with db.session() as session:
        booking = session.get(MeetingBookingRequest, view.id)
        assert (booking.startup_id, booking.startup_name) == (None, "Acme")
