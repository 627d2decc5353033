"""Gmail sync state per teammate; the startup's invite iCalUID on bookings

Revision ID: 0006_gmail
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import booking.store.models

revision = "0006_gmail"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gmail_sync_states",
        sa.Column("user_email", sa.String(length=320), nullable=False),
        sa.Column("history_id", sa.BigInteger(), nullable=True),
        sa.Column("synced_at", booking.store.models.UTCDateTime(), nullable=True),
        sa.Column("full_syncs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_email"),
    )
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.add_column(sa.Column("invite_ical_uid", sa.String(length=1024), nullable=True))
        batch.add_column(sa.Column("meeting_location", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.drop_column("meeting_location")
        batch.drop_column("invite_ical_uid")
    op.drop_table("gmail_sync_states")
