"""Calibration exercises: a reference answer to a question version with an agreed rating, scored blind.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calibration_exercise",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("question_version_id", sa.Integer, sa.ForeignKey("question_version.id"), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("transcript", sa.Text, nullable=False),
        sa.Column("agreed_score", sa.Integer, nullable=False),
        sa.Column("rationale", sa.Text, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("archived", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_calibration_exercise_question_version_id", "calibration_exercise", ["question_version_id"])
    op.create_table(
        "exercise_score",
        sa.Column("exercise_id", sa.Integer, sa.ForeignKey("calibration_exercise.id"), primary_key=True),
        sa.Column("interviewer_id", sa.Integer, sa.ForeignKey("person.id"), primary_key=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_exercise_score_interviewer_id", "exercise_score", ["interviewer_id"])


def downgrade() -> None:
    op.drop_table("exercise_score")
    op.drop_table("calibration_exercise")
