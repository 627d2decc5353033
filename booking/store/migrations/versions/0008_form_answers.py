"""the startup's remembered answers to its booking form's questions; merges the six heads

Revision ID: 0008_form_answers
Revises: 0002_google, 0002_platforms, 0002_slack_ux, 0003_recipes, 0005_confirmations, 0007_reschedule
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_form_answers"
down_revision = ("0002_google", "0002_platforms", "0002_slack_ux", "0003_recipes", "0005_confirmations",
                 "0007_reschedule")
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no server default: existing rows read as "nothing remembered" (None → {} in the code).
    with op.batch_alter_table("startup_booking_configs") as batch:
        batch.add_column(sa.Column("form_answers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("startup_booking_configs") as batch:
        batch.drop_column("form_answers")
