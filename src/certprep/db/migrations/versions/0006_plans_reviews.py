"""study plans and their blocks, the review queue (FSRS cards and review logs), a learner's desired retention

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def _learner(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["learner_id"], ["learners.id"], name=op.f(f"fk_{table}_learner_id_learners"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("goal", sa.String(length=100), nullable=False),
        sa.Column("preset", sa.String(length=20), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("exam_day", sa.Date(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("hours_needed", sa.Float(), nullable=False),
        sa.Column("hours_available", sa.Float(), nullable=False),
        sa.Column("realistic", sa.Boolean(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("feed_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        _learner("plans"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
        sa.UniqueConstraint("feed_token", name=op.f("uq_plans_feed_token")),
    )
    op.create_index(op.f("ix_plans_active"), "plans", ["active"], unique=False)
    op.create_index(op.f("ix_plans_learner_id"), "plans", ["learner_id"], unique=False)
    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=220), nullable=False),
        sa.Column("fsrs", sa.JSON(), nullable=False),
        sa.Column("due", TIME, nullable=False),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("last_review", TIME, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        _learner("review_cards"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cards")),
        sa.UniqueConstraint("learner_id", "key", name=op.f("uq_review_cards_learner_id")),
    )
    op.create_index(op.f("ix_review_cards_due"), "review_cards", ["due"], unique=False)
    op.create_index(op.f("ix_review_cards_learner_id"), "review_cards", ["learner_id"], unique=False)
    op.create_table(
        "plan_blocks",
        sa.Column("plan_id", sa.String(length=32), nullable=False),
        sa.Column("block_id", sa.String(length=40), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("activity", sa.String(length=20), nullable=False),
        sa.Column("objective", sa.String(length=200), nullable=True),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("done_at", TIME, nullable=True),
        _learner("plan_blocks"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_blocks_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("plan_id", "block_id", name=op.f("pk_plan_blocks")),
    )
    op.create_index(op.f("ix_plan_blocks_day"), "plan_blocks", ["day"], unique=False)
    op.create_index(op.f("ix_plan_blocks_learner_id"), "plan_blocks", ["learner_id"], unique=False)
    op.create_table(
        "review_logs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", TIME, nullable=False),
        sa.Column("log", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["review_cards.id"],
            name=op.f("fk_review_logs_card_id_review_cards"),
            ondelete="CASCADE",
        ),
        _learner("review_logs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_logs")),
    )
    op.create_index(op.f("ix_review_logs_card_id"), "review_logs", ["card_id"], unique=False)
    op.create_index(op.f("ix_review_logs_learner_id"), "review_logs", ["learner_id"], unique=False)
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retention", sa.Float(), server_default="0.9", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("learners", schema=None) as batch_op:
        batch_op.drop_column("retention")
    for table in ("review_logs", "plan_blocks", "review_cards", "plans"):
        op.drop_table(table)
