"""google: calendar retry bookkeeping and the per-teammate lock row for slot holds

Revision ID: 0002_google
Revises: 0001
Create Date: 2026-11-25 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import booking.store.models

revision = "0002_google"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teammate_locks",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("locked_at", booking.store.models.UTCDateTime(), nullable=True),
        sa.Column("locked_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("email"),
    )
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.add_column(sa.Column("calendar_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("calendar_retry_at", booking.store.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.drop_column("calendar_retry_at")
        batch.drop_column("calendar_attempts")
    op.drop_table("teammate_locks")
