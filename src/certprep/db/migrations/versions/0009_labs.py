"""lab_results: scored runs of a lab's checks per learner (evidence for the planner)

Revision ID: 0009
Revises: 0008 (re-chained to 0008 at merge)
Create Date: 2026-12-06 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_results",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("lab_id", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_lab_results_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_results")),
    )
    for column in ("lab_id", "learner_id", "recorded_at"):
        op.create_index(op.f(f"ix_lab_results_{column}"), "lab_results", [column], unique=False)


def downgrade() -> None:
    for column in ("lab_id", "learner_id", "recorded_at"):
        op.drop_index(op.f(f"ix_lab_results_{column}"), table_name="lab_results")
    op.drop_table("lab_results")
