"""Schema migrations create the tables and upgrade an existing database in place."""
import pytest
from sqlalchemy import inspect, text

from booking.db import create_db_engine, migrate, open_database

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
