"""calibration_jobs: a calibration run's progress and outcome, shared by every server process

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 23:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calibration_jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("slot", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("iteration", sa.Integer(), nullable=False),
        sa.Column("log_likelihood", sa.Float(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.Column("persons", sa.Integer(), nullable=True),
        sa.Column("items_updated", sa.Integer(), nullable=True),
        sa.Column("converged", sa.Boolean(), nullable=True),
        sa.Column("held", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["started_by"],
            ["accounts.id"],
            name=op.f("fk_calibration_jobs_started_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_jobs")),
        sa.UniqueConstraint("slot", name=op.f("uq_calibration_jobs_slot")),
    )
    op.create_index(op.f("ix_calibration_jobs_started_at"), "calibration_jobs", ["started_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_calibration_jobs_started_at"), table_name="calibration_jobs")
    op.drop_table("calibration_jobs")
