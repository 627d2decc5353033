"""Alembic environment: runs on the connection :func:`booking.store.db.migrate` hands in."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from booking.store.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` CLI use: take the URL from -x url=... or settings
        from booking.config.settings import Settings

        url = context.get_x_argument(as_dictionary=True).get("url") or Settings.from_env().database_url
        with create_engine(url).connect() as conn:
            _configure_and_run(conn)
            conn.commit()
        return
    _configure_and_run(connection)


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
