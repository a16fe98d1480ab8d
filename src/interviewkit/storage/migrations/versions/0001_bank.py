"""The question bank: job descriptions, requirements, competencies, versioned questions, loop templates.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from interviewkit import __version__

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    _create_meta()
    _create_job_descriptions()
    _create_questions()
    _create_templates_and_files()
    _create_search_index()


def _create_meta() -> None:
    """ik_meta, with the application's name and the version that created the database."""
    meta = op.create_table(
        "ik_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.bulk_insert(
        meta,
        [
            {"key": "application", "value": "interviewkit"},
            {"key": "created_by", "value": __version__},
        ],
    )


def _create_job_descriptions() -> None:
    """Job descriptions and their requirements."""
    op.create_table(
        "job_description",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("source_name", sa.String(300), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "requirement",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("jd_id", sa.String(120), sa.ForeignKey("job_description.id"), nullable=False),
        sa.Column("section", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_requirement_jd_id", "requirement", ["jd_id"])


def _create_questions() -> None:
    """Competencies, questions and their versions, and what each version assesses and covers."""
    op.create_table(
        "competency",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("strong_evidence", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "question",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("current_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "question_version",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("question_id", sa.String(120), sa.ForeignKey("question.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("level", sa.String(40), nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("follow_ups", sa.JSON, nullable=False),
        sa.Column("rubric", sa.JSON, nullable=False),
        sa.Column("red_flags", sa.JSON, nullable=False),
        sa.Column("source_path", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("question_id", "version"),
    )
    op.create_index("ix_question_version_question_id", "question_version", ["question_id"])
    op.create_table(
        "question_competency",
        sa.Column("question_version_id", sa.Integer, sa.ForeignKey("question_version.id"), primary_key=True),
        sa.Column("competency_id", sa.String(80), sa.ForeignKey("competency.id"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "question_requirement",
        sa.Column("question_version_id", sa.Integer, sa.ForeignKey("question_version.id"), primary_key=True),
        sa.Column("requirement_id", sa.String(200), sa.ForeignKey("requirement.id"), primary_key=True),
    )
    op.create_index("ix_question_requirement_requirement", "question_requirement", ["requirement_id"])


def _create_templates_and_files() -> None:
    """Loop templates, and the bank's files as last synced."""
    op.create_table(
        "loop_template",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("content", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "bank_file",
        sa.Column("path", sa.String(500), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )


def _create_search_index() -> None:
    """SQLite: the full-text search index over the questions."""
    if op.get_bind().dialect.name == "sqlite":
        # Full-text search over the current version of each live question (bm25-ranked).
        op.execute(
            "CREATE VIRTUAL TABLE question_fts USING fts5("
            "question_id UNINDEXED, title, prompt, competencies, rubric, follow_ups, "
            "tokenize='unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS question_fts")
    for table in (
        "bank_file",
        "loop_template",
        "question_requirement",
        "question_competency",
        "question_version",
        "question",
        "competency",
        "requirement",
        "job_description",
        "ik_meta",
    ):
        op.drop_table(table)
