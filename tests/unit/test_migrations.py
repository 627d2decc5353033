"""Schema migrations create the tables and upgrade an existing database in place."""
import sqlite3

from sqlalchemy import inspect

from booking.db import create_db_engine, migrate, open_database


def test_fresh_database_has_every_table(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    tables = set(inspect(db.engine).get_table_names())
    assert {"startups", "startup_booking_configs", "slack_users", "meeting_booking_requests",
            "booking_events", "alembic_version"} <= tables


def test_database_from_the_first_release_upgrades_in_place(tmp_path):
    path = tmp_path / "old.db"
    engine = create_db_engine(f"sqlite:///{path}")
    migrate(engine, "0001")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO startups (id, display_name, aliases, created_at) VALUES ('acme', 'Acme', '[]', '2026-01-01 00:00:00')")
    migrate(engine)  # every later revision
    migrate(engine)  # and again: idempotent
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT display_name FROM startups").fetchall() == [("Acme",)]
