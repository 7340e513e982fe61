"""practice sets and adaptive sessions have no scaled score or pass/fail

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.alter_column("scaled", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("passed", existing_type=sa.Boolean(), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.alter_column("passed", existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column("scaled", existing_type=sa.Integer(), nullable=False)
