"""a new time the startup proposed, waiting for the teammate's answer

Revision ID: 0007_reschedule
Revises: 0006_gmail
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import booking.store.models

revision = "0007_reschedule"
down_revision = "0006_gmail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.add_column(sa.Column("reschedule_proposed_at", booking.store.models.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.drop_column("reschedule_proposed_at")
