"""The bank's second edition (issue 14): primary and related links, evidence checklists, the recruiter's screen.

* ``question_requirement.is_primary``: a question version is built to produce evidence for its primary
  requirements (counted as assessed); a related one is only touched (listed apart, never counted). Every
  link written before this revision stays primary: scorecards of the first edition keep pointing at the
  versions that were asked, whose links were all counted then.
* ``question_version``: ``evidence`` (the checklist), ``thresholds`` (level -> rule), ``examples`` (level ->
  example answer), ``scope`` and ``variant_of``; empty on a first-edition version.
* ``screening_item``: screening.yaml, the requirements a recruiter's screen checks (synced with the bank).
* ``stage.kind`` ('interview' or 'screen') and ``stage.checklist`` (a screen's requirement ids);
  ``screen_answer``: yes, no or unclear per checklist item, with a note, who and when.
* ``asked_question.evidence_ticks``: the evidence items the interviewer ticked as heard.
* The view ``screen_progress``: how many items of each screen stage are answered, without the answers
  (what the loop planner and the interviewer's list show; on PostgreSQL filtered like ``scorecard_status``).

On PostgreSQL the new table and columns live under the rules of revision 0008: ``screening_item`` is read
by everyone and changed by admins, like the rest of the bank; ``screen_answer`` is written by the stage's
interviewer (or an admin) and read by them, the candidate's panel and the debrief lead (the functions
``ik_may_write_screen`` and ``ik_may_read_screen``, as services/screening.py decides). New columns of
existing tables are under those tables' policies already; ``asked_question.evidence_ticks`` of a
submitted scorecard changes only with a reason, audited, by the trigger of 0008. A debrief lead sees every
scorecard once every INTERVIEW stage has one: a screen stage has answers, never a scorecard
(``ik_lead_sees_all`` is replaced to say so, as services/policy.py does).

Revision ID: 0009
Revises: 0008
Create Date: 2027-01-11
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_EMPTY_LIST = sa.text("'[]'")
_EMPTY_OBJECT = sa.text("'{}'")

_SCREEN_PROGRESS = """
CREATE VIEW screen_progress AS
SELECT st.id AS stage_id, st.loop_id AS loop_id, l.candidate_id AS candidate_id,
       (SELECT count(*) FROM screen_answer a WHERE a.stage_id = st.id) AS answered
FROM stage st
JOIN interview_loop l ON l.id = st.loop_id
WHERE st.kind = 'screen' {also}
"""

_DEFINER = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"

FUNCTIONS = [
    f"""CREATE FUNCTION ik_stage_interviewer(p_stage integer) RETURNS integer {_DEFINER} AS $$
      SELECT interviewer_id FROM stage WHERE id = p_stage
    $$""",
    # The stage's interviewer writes its screen answers; an admin may too.
    f"""CREATE FUNCTION ik_may_write_screen(p_stage integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_is_dba() OR (ik_me() IS NOT NULL AND (ik_is_admin() OR ik_stage_interviewer(p_stage) = ik_me()))
    $$""",
    # ... and reads them, as do the candidate's panel and the debrief lead.
    f"""CREATE FUNCTION ik_may_read_screen(p_stage integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_may_write_screen(p_stage) OR (ik_me() IS NOT NULL AND (
          ik_on_panel(ik_stage_candidate(p_stage))
          OR ik_leads_opening(ik_candidate_opening(ik_stage_candidate(p_stage)))))
    $$""",
]

# Revision 0008's rule with interview stages only (a screen stage never has a scorecard).
_LEAD_SEES_ALL = """CREATE OR REPLACE FUNCTION ik_lead_sees_all(p_candidate integer) RETURNS boolean {definer} AS $$
      SELECT ik_leads_opening(ik_candidate_opening(p_candidate)) AND (
          EXISTS (SELECT 1 FROM audit_event WHERE entity = 'candidate' AND entity_id = p_candidate::text
                  AND action = 'override')
          OR (SELECT count(*) > 0 AND count(*) = count(sc.id) FILTER (WHERE sc.status = 'submitted')
              FROM stage s JOIN interview_loop l ON l.id = s.loop_id LEFT JOIN scorecard sc ON sc.stage_id = s.id
              WHERE l.candidate_id = p_candidate{interviews}))
    $$"""

# (table, command, using, with check), as in revision 0008
POLICIES: list[tuple[str, str, str | None, str | None]] = [
    ("screening_item", "SELECT", "true", None),
    ("screening_item", "ALL", "ik_is_admin()", "ik_is_admin()"),
    ("screen_answer", "SELECT", "ik_may_read_screen(stage_id)", None),
    ("screen_answer", "INSERT", None, "ik_may_write_screen(stage_id)"),
    ("screen_answer", "UPDATE", "ik_may_write_screen(stage_id)", "ik_may_write_screen(stage_id)"),
]
RLS_TABLES = ("screening_item", "screen_answer")


def _policy_name(table: str, command: str, n: int) -> str:
    return f"ik_{table}_{command.lower()}_9_{n}"


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    _bank_columns()
    _screens()
    # Plain ADD COLUMNs (no table rebuild: views and foreign keys refer to these tables).
    op.add_column("asked_question", sa.Column("evidence_ticks", sa.JSON, nullable=False, server_default=_EMPTY_LIST))
    op.execute(_SCREEN_PROGRESS.format(also="AND ik_sees_candidate(l.candidate_id)" if pg else ""))
    if pg:
        _row_level_security()


def _bank_columns() -> None:
    """Primary and related links; the second edition's content of a question version; screening.yaml."""
    op.add_column("question_requirement",
                  sa.Column("is_primary", sa.Boolean, nullable=False, server_default=sa.true()))
    op.add_column("question_version", sa.Column("evidence", sa.JSON, nullable=False, server_default=_EMPTY_LIST))
    op.add_column("question_version", sa.Column("thresholds", sa.JSON, nullable=False, server_default=_EMPTY_OBJECT))
    op.add_column("question_version", sa.Column("examples", sa.JSON, nullable=False, server_default=_EMPTY_OBJECT))
    op.add_column("question_version", sa.Column("scope", sa.Text, nullable=False, server_default=""))
    op.add_column("question_version", sa.Column("variant_of", sa.String(120), nullable=True))
    op.create_table(
        "screening_item",
        sa.Column("requirement_id", sa.String(200), sa.ForeignKey("requirement.id"), primary_key=True),
        sa.Column("ask", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
    )


def _screens() -> None:
    """A stage's kind and checklist, and the answers of a screen stage."""
    op.add_column("stage", sa.Column("kind", sa.String(20), nullable=False, server_default="interview"))
    op.add_column("stage", sa.Column("checklist", sa.JSON, nullable=False, server_default=_EMPTY_LIST))
    op.create_table(
        "screen_answer",
        sa.Column("stage_id", sa.Integer, sa.ForeignKey("stage.id"), primary_key=True),
        sa.Column("requirement_id", sa.String(200), sa.ForeignKey("requirement.id"), primary_key=True),
        sa.Column("answer", sa.String(10), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("answered_by", sa.Integer, sa.ForeignKey("person.id"), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("answer IN ('yes', 'no', 'unclear')", name="ck_screen_answer_answer"),
    )


def _row_level_security() -> None:
    for sql in FUNCTIONS:
        op.execute(sql)
    op.execute(_LEAD_SEES_ALL.format(definer=_DEFINER, interviews=" AND s.kind = 'interview'"))
    op.execute("ALTER VIEW screen_progress SET (security_barrier = true)")
    for n, (table, command, using, check) in enumerate(POLICIES):
        sql = f"CREATE POLICY {_policy_name(table, command, n)} ON {table} FOR {command}"
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        op.execute(sql)
    for table in RLS_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP VIEW IF EXISTS screen_progress")
    if pg:
        op.execute(_LEAD_SEES_ALL.format(definer=_DEFINER, interviews=""))
        for n, (table, command, _using, _check) in enumerate(POLICIES):
            op.execute(f"DROP POLICY IF EXISTS {_policy_name(table, command, n)} ON {table}")
        for fn in ("ik_may_read_screen(integer)", "ik_may_write_screen(integer)", "ik_stage_interviewer(integer)"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_table("screen_answer")
    op.drop_table("screening_item")
    # Plain DROP COLUMNs (SQLite 3.35 and later): a rebuilt table would trip over the views and foreign
    # keys that refer to it.
    for table, column in (("asked_question", "evidence_ticks"), ("stage", "checklist"), ("stage", "kind"),
                          ("question_version", "variant_of"), ("question_version", "scope"),
                          ("question_version", "examples"), ("question_version", "thresholds"),
                          ("question_version", "evidence"), ("question_requirement", "is_primary")):
        op.drop_column(table, column)
