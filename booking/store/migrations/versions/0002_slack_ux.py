"""slack-ux: review before submit, batches, preferred person, one live booking per teammate and startup

Revision ID: 0002_slack_ux
Revises: 0001
Create Date: 2026-11-27 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import booking.store.models

revision = "0002_slack_ux"
down_revision = "0001"
branch_labels = None
depends_on = None

LIVE_STATUS_SQL = booking.store.models.LIVE_STATUS_SQL


def upgrade() -> None:
    op.create_table(
        "booking_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("request_text", sa.Text(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("thread_ref", sa.JSON(), nullable=False),
        sa.Column("created_at", booking.store.models.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("meeting_booking_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("startup_key", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("preferred_person", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("review_before_submit", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("review_state", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("review_expires_at", booking.store.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_meeting_booking_requests_batch_id", "booking_batches", ["batch_id"], ["id"])
        batch_op.create_index(batch_op.f("ix_meeting_booking_requests_startup_key"), ["startup_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_booking_requests_batch_id"), ["batch_id"], unique=False)
    # Rows from before this revision have no startup_key (NULL), so they never clash with the index.
    op.create_index(
        "uq_live_booking_per_teammate_and_startup", "meeting_booking_requests", ["user_email", "startup_key"],
        unique=True, sqlite_where=sa.text(LIVE_STATUS_SQL), postgresql_where=sa.text(LIVE_STATUS_SQL),
    )


def downgrade() -> None:
    op.drop_index("uq_live_booking_per_teammate_and_startup", table_name="meeting_booking_requests")
    with op.batch_alter_table("meeting_booking_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_booking_requests_batch_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_booking_requests_startup_key"))
        batch_op.drop_constraint("fk_meeting_booking_requests_batch_id", type_="foreignkey")
        batch_op.drop_column("batch_id")
        batch_op.drop_column("review_expires_at")
        batch_op.drop_column("review_state")
        batch_op.drop_column("review_before_submit")
        batch_op.drop_column("preferred_person")
        batch_op.drop_column("startup_key")
    op.drop_table("booking_batches")
