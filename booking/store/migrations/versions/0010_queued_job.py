"""the database job queue names the job a queued row wants: "book", "check_status", "reschedule:accept", …

Revision ID: 0010_queued_job
Revises: 0009_job_queue
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_queued_job"
down_revision = "0009_job_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: a row queued before this revision (NULL) is a booking job, as it was then.
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.add_column(sa.Column("queued_job", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("meeting_booking_requests") as batch:
        batch.drop_column("queued_job")
