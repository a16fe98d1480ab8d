"""Decisions on candidates, and the content hash of scorecards imported from another machine.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate_id", sa.Integer, sa.ForeignKey("candidate.id"), nullable=False),
        sa.Column("outcome", sa.String(30), nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Integer, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("participants", sa.JSON, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_by", sa.Integer, sa.ForeignKey("decision.id"), nullable=True),
        sa.Column("reopen_reason", sa.Text, nullable=False),
    )
    op.create_index("ix_decision_candidate_id", "decision", ["candidate_id"])
    # A plain ADD COLUMN: rebuilding the table would drop it while ratings still refer to it.
    op.add_column("scorecard", sa.Column("imported_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("scorecard") as batch:
        batch.drop_column("imported_hash")
    op.drop_table("decision")
