"""scheduler lease: one confirmation monitor per database

Revision ID: 0005_confirmations
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import booking.store.models

revision = "0005_confirmations"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("expires_at", booking.store.models.UTCDateTime(), nullable=False),
        sa.Column("acquired_at", booking.store.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("scheduler_leases")
