"""People, openings, candidates, interview loops, scorecards and the append-only audit trail.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _create_people_and_openings()
    _create_loops()
    _create_scorecards()
    _create_audit_trail()
    _protect_audit_trail()


def _create_people_and_openings() -> None:
    """People, openings (with their job descriptions) and candidates."""
    op.create_table(
        "person",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("access_role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "opening",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("hiring_manager_id", sa.Integer, sa.ForeignKey("person.id"), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "opening_jd",
        sa.Column("opening_id", sa.Integer, sa.ForeignKey("opening.id"), primary_key=True),
        sa.Column("jd_id", sa.String(120), sa.ForeignKey("job_description.id"), primary_key=True),
    )
    op.create_table(
        "candidate",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("phone", sa.String(60), nullable=False),
        sa.Column("opening_id", sa.Integer, sa.ForeignKey("opening.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_candidate_opening_id", "candidate", ["opening_id"])


def _create_loops() -> None:
    """Interview loops, their stages and each stage's planned questions."""
    op.create_table(
        "interview_loop",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("candidate_id", sa.Integer, sa.ForeignKey("candidate.id"), nullable=False),
        sa.Column("template_id", sa.String(120), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_interview_loop_candidate_id", "interview_loop", ["candidate_id"])
    op.create_table(
        "stage",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("loop_id", sa.Integer, sa.ForeignKey("interview_loop.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("interviewer_id", sa.Integer, sa.ForeignKey("person.id"), nullable=True),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("focus", sa.JSON, nullable=False),
    )
    op.create_index("ix_stage_loop_id", "stage", ["loop_id"])
    op.create_index("ix_stage_interviewer_id", "stage", ["interviewer_id"])
    op.create_table(
        "stage_question",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("stage_id", sa.Integer, sa.ForeignKey("stage.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("question_version_id", sa.Integer, sa.ForeignKey("question_version.id"), nullable=False),
        sa.UniqueConstraint("stage_id", "position"),
    )
    op.create_index("ix_stage_question_stage_id", "stage_question", ["stage_id"])


def _create_scorecards() -> None:
    """Scorecards, the questions asked and the ratings."""
    op.create_table(
        "scorecard",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("stage_id", sa.Integer, sa.ForeignKey("stage.id"), nullable=False, unique=True),
        sa.Column("interviewer_id", sa.Integer, sa.ForeignKey("person.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("current_position", sa.Integer, nullable=False),
        sa.Column("elapsed_seconds", sa.Float, nullable=False),
        sa.Column("recommendation", sa.String(40), nullable=True),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lock_owner", sa.String(80), nullable=True),
        sa.Column("lock_heartbeat", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
    )
    op.create_index("ix_scorecard_interviewer_id", "scorecard", ["interviewer_id"])
    op.create_table(
        "asked_question",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scorecard_id", sa.Integer, sa.ForeignKey("scorecard.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("question_version_id", sa.Integer, sa.ForeignKey("question_version.id"), nullable=False),
        sa.Column("planned", sa.Boolean, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("seconds_spent", sa.Float, nullable=False),
        sa.UniqueConstraint("scorecard_id", "question_version_id"),
    )
    op.create_index("ix_asked_question_scorecard_id", "asked_question", ["scorecard_id"])
    op.create_table(
        "rating",
        sa.Column("scorecard_id", sa.Integer, sa.ForeignKey("scorecard.id"), primary_key=True),
        sa.Column("competency_id", sa.String(80), sa.ForeignKey("competency.id"), primary_key=True),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("not_assessed", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
    )


def _create_audit_trail() -> None:
    """The audit trail."""
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("person.id"), nullable=True),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    op.create_index("ix_audit_event_entity_id", "audit_event", ["entity_id"])


def _protect_audit_trail() -> None:
    """Triggers that keep the audit trail append-only (only a redaction may change a row)."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "WHEN OLD.redacted_at IS NOT NULL OR NEW.redacted_at IS NULL "
            "OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.entity IS NOT OLD.entity "
            "OR NEW.entity_id IS NOT OLD.entity_id OR NEW.action IS NOT OLD.action "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )
    elif dialect == "postgresql":
        op.execute(
            """
            CREATE FUNCTION ik_audit_append_only() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'DELETE' OR OLD.redacted_at IS NOT NULL OR NEW.redacted_at IS NULL
                 OR NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.entity <> OLD.entity
                 OR NEW.entity_id <> OLD.entity_id OR NEW.action <> OLD.action THEN
                RAISE EXCEPTION 'the audit trail is append-only';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION ik_audit_append_only()"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS ik_audit_append_only()")
    for table in (
        "audit_event", "rating", "asked_question", "scorecard", "stage_question", "stage",
        "interview_loop", "candidate", "opening_jd", "opening", "person",
    ):
        op.drop_table(table)
