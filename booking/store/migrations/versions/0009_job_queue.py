"""the database job queue: a booking is runnable by any worker from ``run_after`` until one takes it

Revision ID: 0009_job_queue
Revises: 0008_form_answers
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_job_queue"
down_revision = "0008_form_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: existing rows are not queued (a pending one left behind is re-queued by the monitor as before).
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.add_column(sa.Column("run_after", sa.DateTime(), nullable=True))
        batch.create_index("ix_meeting_booking_requests_run_after", ["run_after"])


def downgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.drop_index("ix_meeting_booking_requests_run_after")
        batch.drop_column("run_after")
