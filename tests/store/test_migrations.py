"""Schema migrations create the tables and upgrade an existing database in place."""
import pytest
from sqlalchemy import inspect, text

from booking.store.db import create_db_engine, migrate, open_database

pytestmark = pytest.mark.both_databases


def test_fresh_database_has_every_table(database_url):
    db = open_database(database_url)
    tables = set(inspect(db.engine).get_table_names())
    db.dispose()
    assert {"startups", "startup_booking_configs", "slack_users", "meeting_booking_requests",
            "booking_events", "alembic_version"} <= tables


def test_database_from_the_first_release_upgrades_in_place(database_url):
    engine = create_db_engine(database_url)
    migrate(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO startups (id, display_name, aliases, created_at) VALUES ('acme', 'Acme', '[]', '2026-01-01 00:00:00')"))
    migrate(engine)  # every later revision
    migrate(engine)  # and again: idempotent
    with engine.connect() as connection:
        assert connection.execute(text("SELECT display_name FROM startups")).all() == [("Acme",)]
        heads = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert heads


BEFORE_0008 = ("0002_google", "0002_platforms", "0002_slack_ux", "0003_recipes", "0005_confirmations", "0007_reschedule")


def test_0008_merges_the_six_heads_and_adds_remembered_answers_in_place(database_url):
    """A database at the six heads gets one head, and its startups' configs a form_answers column
    (empty for existing rows, which the code reads as nothing remembered)."""
    from sqlalchemy.orm import Session

    from booking.store.models import StartupBookingConfig
    from booking.workflow.questions import remember

    engine = create_db_engine(database_url)
    for head in BEFORE_0008:
        migrate(engine, head)
    with engine.begin() as connection:
        assert "form_answers" not in {c["name"] for c in inspect(connection).get_columns("startup_booking_configs")}
        connection.execute(text(
            "INSERT INTO startups (id, display_name, aliases, created_at) VALUES ('zeta', 'Zeta', '[]', '2026-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO startup_booking_configs (startup_id, platform_type, booking_url, available_people, selectors, "
            "success_indicators, requires_auth, is_working, created_at, updated_at) VALUES ('zeta', 'calendly', "
            "'https://calendly.com/zeta', '[]', '{}', '[]', false, true, '2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
    migrate(engine, "0008_form_answers")  # the step under test (later revisions follow it)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == ["0008_form_answers"]
    with Session(engine) as session, session.begin():
        config = session.query(StartupBookingConfig).one()
        assert config.form_answers is None
        remember(config, {"What is this meeting about?": "Intro"})
    with Session(engine) as session:
        assert session.query(StartupBookingConfig).one().form_answers == {"What is this meeting about?": "Intro"}
    engine.dispose()
