"""Calibration on a team database: a recruiter's screen does not put someone on the interview panel.

Revision 0008 keeps from the people who see everyone's calibration (hiring managers, admins) the ratings of
candidates whose panel they sit on without having submitted their own scorecard: their judgement of that
candidate must stay their own. A recruiter's screen stage (revision 0009) has answers, never a scorecard, so
whoever ran a candidate's screen could never "submit for" that candidate and lost every rating of every
candidate they screened: a hiring manager who screens their opening's candidates saw almost no calibration.
``ik_calibration_allows`` now asks about interview stages only, as services/policy.calibration_scope does.

On SQLite there is nothing to change (the rule lives in the services).

Revision ID: 0012
Revises: 0011
Create Date: 2027-01-24
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_DEFINER = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"

_ON_INTERVIEW_PANEL = f"""CREATE FUNCTION ik_on_interview_panel(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_me() IS NOT NULL AND EXISTS (
          SELECT 1 FROM stage s JOIN interview_loop l ON l.id = s.loop_id
          LEFT JOIN scorecard sc ON sc.stage_id = s.id
          WHERE l.candidate_id = p_candidate AND s.kind <> 'screen'
            AND (s.interviewer_id = ik_me() OR sc.interviewer_id = ik_me()))
    $$"""

# Revision 0008's rule, with the panel that matters for independence: the interview stages.
_CALIBRATION_ALLOWS = """CREATE OR REPLACE FUNCTION ik_calibration_allows(p_candidate integer) RETURNS boolean
      {definer} AS $$
      SELECT ik_is_dba() OR (ik_me() IS NOT NULL AND CASE
          WHEN ik_role() IN ('hiring_manager', 'admin')
              THEN ik_own_submitted(p_candidate) OR NOT {panel}(p_candidate)
          ELSE ik_own_submitted(p_candidate) END)
    $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_ON_INTERVIEW_PANEL)
    op.execute(_CALIBRATION_ALLOWS.format(definer=_DEFINER, panel="ik_on_interview_panel"))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_CALIBRATION_ALLOWS.format(definer=_DEFINER, panel="ik_on_panel"))
    op.execute("DROP FUNCTION ik_on_interview_panel(integer)")
