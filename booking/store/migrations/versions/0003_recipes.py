"""recipes for custom booking pages; the teammate's phone on a booking

Revision ID: 0003_recipes
Revises: 0001
Create Date: 2026-11-25 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_recipes"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("startup_booking_configs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipe", sa.Text(), nullable=True))
    with op.batch_alter_table("meeting_booking_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_phone", sa.String(length=50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests", schema=None) as batch_op:
        batch_op.drop_column("user_phone")
    with op.batch_alter_table("startup_booking_configs", schema=None) as batch_op:
        batch_op.drop_column("recipe")
