"""attempts, forms, responses, reports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:08:58.747268
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "attempts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("pack_id", sa.String(length=100), nullable=False),
        sa.Column("exam_code", sa.String(length=20), nullable=False),
        sa.Column("outline_version", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extension_minutes", sa.Integer(), nullable=False),
        sa.Column("current_section", sa.Integer(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expired", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f("fk_attempts_learner_id_learners"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
    )
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attempts_learner_id"), ["learner_id"], unique=False)

    op.create_table(
        "answer_requests",
        sa.Column("attempt_id", sa.String(length=32), nullable=False),
        sa.Column("request_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("acknowledgement", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_answer_requests_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("attempt_id", "request_id", name=op.f("pk_answer_requests")),
    )
    op.create_table(
        "form_entries",
        sa.Column("attempt_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("section", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.String(length=64), nullable=False),
        sa.Column("choice_order", sa.JSON(), nullable=False),
        sa.Column("scored", sa.Boolean(), nullable=False),
        sa.Column("marked", sa.Boolean(), nullable=False),
        sa.Column("seen_before", sa.Integer(), nullable=False),
        sa.Column("key_shown_before", sa.Boolean(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["attempts.id"],
            name=op.f("fk_form_entries_attempt_id_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_form_entries_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revision"], ["item_revisions.revision"], name=op.f("fk_form_entries_revision_item_revisions")
        ),
        sa.PrimaryKeyConstraint("attempt_id", "position", name=op.f("pk_form_entries")),
    )
    with op.batch_alter_table("form_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_entries_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_form_entries_learner_id"), ["learner_id"], unique=False)

    op.create_table(
        "reports",
        sa.Column("attempt_id", sa.String(length=32), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("method_version", sa.String(length=40), nullable=False),
        sa.Column("scaled", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempts.id"], name=op.f("fk_reports_attempt_id_attempts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f("fk_reports_learner_id_learners"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_reports")),
    )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reports_learner_id"), ["learner_id"], unique=False)

    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attempt_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.String(length=64), nullable=False),
        sa.Column("item_id", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("max_points", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("time_on_item_ms", sa.Integer(), nullable=False),
        sa.Column("seen_before", sa.Integer(), nullable=False),
        sa.Column("key_shown_before", sa.Boolean(), nullable=False),
        sa.Column("first_answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempts.id"], name=op.f("fk_responses_attempt_id_attempts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f("fk_responses_learner_id_learners"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responses")),
        sa.UniqueConstraint("attempt_id", "position", name=op.f("uq_responses_attempt_id")),
    )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_responses_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_responses_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_responses_learner_id"), ["learner_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responses_learner_id"))
        batch_op.drop_index(batch_op.f("ix_responses_item_id"))
        batch_op.drop_index(batch_op.f("ix_responses_attempt_id"))

    op.drop_table("responses")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reports_learner_id"))

    op.drop_table("reports")
    with op.batch_alter_table("form_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_entries_learner_id"))
        batch_op.drop_index(batch_op.f("ix_form_entries_item_id"))

    op.drop_table("form_entries")
    op.drop_table("answer_requests")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attempts_learner_id"))

    op.drop_table("attempts")
