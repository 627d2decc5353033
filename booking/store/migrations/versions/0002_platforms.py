"""status_url: the platform's own page for a booking (for confirmation re-checks)

Revision ID: 0002_platforms
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_platforms"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.add_column(sa.Column("status_url", sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.drop_column("status_url")
