"""A finished screen is stored on its stage (issue 14): ``stage.finished_at`` and ``stage.finished_by``.

Until now finishing a recruiter's screen (services/screening.finish_screen) left only an audit entry (entity
``stage``, action ``finished``), which a panel member's login may not read on a team database: the panel
could not see that a screen was finished. The finish is a fact about the stage, one per stage, as a
scorecard's submission is a fact about the scorecard; it goes on the stage row, which everyone who sees
the candidate already reads, so the panel sees THAT the screen was finished (by whom, when) at any time.
Finishes already in the audit trail are copied into the columns here (the first entry of each stage).

What the screen SAYS (answers and notes) is read, as services/policy.screen_access decides, by the person
who ran or finished it, an admin, the opening's hiring manager, and a panel member only once their own
scorecard for the candidate is submitted (independent judgement first, as with scorecards): revision
0009's ``ik_may_read_screen`` read the whole panel in. On PostgreSQL:

* ``ik_may_read_screen`` is replaced by that rule (``ik_screen_finisher``: who finished a stage);
* a trigger on ``stage`` (``ik_guard_screen_finish``): the finish is written only by the screen's
  interviewer or an admin (``ik_may_write_screen``), once, with the database's clock and the login's
  person (the administrator may name both, for history and copies); it is never undone, and a finished
  screen's kind and checklist no longer change;
* a trigger on ``screen_answer`` (``ik_guard_finished_screen``): a finished screen's answers change only
  inside a transaction that says why (``SET LOCAL interviewkit.change_reason``: an amendment, an
  erasure), every change audited, as revision 0008 does for submitted scorecards; they are never deleted.

On SQLite the services keep the rules (the file's holder holds everything).

Revision ID: 0013
Revises: 0012
Create Date: 2027-02-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_DEFINER = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"

# The first finish of each screen stage recorded in the audit trail (what the services wrote before 0013).
_FIRST_FINISH = """(SELECT a.{column} FROM audit_event a
    WHERE a.entity = 'stage' AND a.entity_id = CAST(stage.id AS {text}) AND a.action = 'finished'
    ORDER BY a.at, a.id LIMIT 1)"""
_COPY_FINISHES = """UPDATE stage SET finished_at = {at}, finished_by = {by}
    WHERE kind = 'screen' AND EXISTS (SELECT 1 FROM audit_event a WHERE a.entity = 'stage'
        AND a.entity_id = CAST(stage.id AS {text}) AND a.action = 'finished')"""

FUNCTIONS = [
    f"""CREATE FUNCTION ik_screen_finisher(p_stage integer) RETURNS integer {_DEFINER} AS $$
      SELECT finished_by FROM stage WHERE id = p_stage
    $$""",
]

# Who reads a screen's answers and notes (services/policy.screen_access): who may write them (its
# interviewer, an admin), who finished it, the opening's hiring manager (ik_leads_opening: or an admin), and
# a panel member once their own scorecard for the candidate is submitted.
_MAY_READ_SCREEN = f"""CREATE OR REPLACE FUNCTION ik_may_read_screen(p_stage integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_may_write_screen(p_stage) OR (ik_me() IS NOT NULL AND (
          ik_screen_finisher(p_stage) = ik_me()
          OR ik_leads_opening(ik_candidate_opening(ik_stage_candidate(p_stage)))
          OR ik_own_submitted(ik_stage_candidate(p_stage))))
    $$"""

# Revision 0009's rule, for the downgrade.
_MAY_READ_SCREEN_0009 = f"""CREATE OR REPLACE FUNCTION ik_may_read_screen(p_stage integer) RETURNS boolean
      {_DEFINER} AS $$
      SELECT ik_may_write_screen(p_stage) OR (ik_me() IS NOT NULL AND (
          ik_on_panel(ik_stage_candidate(p_stage))
          OR ik_leads_opening(ik_candidate_opening(ik_stage_candidate(p_stage)))))
    $$"""

_GUARD_FINISH = """
CREATE FUNCTION ik_guard_screen_finish() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  BEGIN
    IF ik_is_dba() THEN RETURN NEW; END IF;
    IF TG_OP = 'INSERT' THEN
      IF NEW.finished_at IS NOT NULL OR NEW.finished_by IS NOT NULL THEN
        RAISE EXCEPTION 'a stage is finished by finishing its screen, not when it is planned' USING ERRCODE = '42501';
      END IF;
      RETURN NEW;
    END IF;
    IF OLD.finished_at IS NOT NULL THEN
      IF NEW.finished_at IS DISTINCT FROM OLD.finished_at OR NEW.finished_by IS DISTINCT FROM OLD.finished_by
         OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.checklist::text IS DISTINCT FROM OLD.checklist::text THEN
        RAISE EXCEPTION 'the screen of stage % was finished: its finish, kind and checklist are the record', OLD.id
          USING ERRCODE = '42501';
      END IF;
      RETURN NEW;
    END IF;
    IF NEW.finished_at IS NULL AND NEW.finished_by IS NULL THEN RETURN NEW; END IF;
    IF OLD.kind <> 'screen' OR NEW.kind <> 'screen' OR NEW.finished_at IS NULL
       OR NOT ik_may_write_screen(OLD.id) THEN
      RAISE EXCEPTION 'only the interviewer of the screen of stage % (or an admin) finishes it', OLD.id
        USING ERRCODE = '42501';
    END IF;
    NEW.finished_at := now();
    NEW.finished_by := ik_me();
    RETURN NEW;
  END $$
"""

_GUARD_ANSWERS = """
CREATE FUNCTION ik_guard_finished_screen() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    st integer := CASE WHEN TG_OP = 'DELETE' THEN OLD.stage_id ELSE NEW.stage_id END;
    why text := NULLIF(current_setting('interviewkit.change_reason', true), '');
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM stage WHERE id = st AND finished_at IS NOT NULL) THEN
      RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'the screen of stage % was finished: its answers are never deleted', st USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'INSERT' AND ik_is_dba() THEN RETURN NEW; END IF;  -- a copy of the database
    IF why IS NULL THEN
      RAISE EXCEPTION 'the screen of stage % was finished: its answers change only by an amendment with a reason', st
        USING ERRCODE = '42501';
    END IF;
    PERFORM ik_audit_record('db_change', st::text, 'screen_answer changed', why,
        json_build_object('table', 'screen_answer', 'requirement', NEW.requirement_id,
                          'columns', CASE WHEN TG_OP = 'INSERT' THEN '["answer", "note"]'::json ELSE
                              (SELECT json_agg(key) FROM jsonb_each(to_jsonb(NEW)) n
                               WHERE n.value IS DISTINCT FROM (to_jsonb(OLD) -> n.key)) END),
        NULL, NULL);
    RETURN NEW;
  END $$
"""

_TRIGGERS = (
    ("ik_stage_screen_finish", "stage", "BEFORE INSERT OR UPDATE", "ik_guard_screen_finish()"),
    ("ik_screen_answer_finished", "screen_answer", "BEFORE INSERT OR UPDATE OR DELETE", "ik_guard_finished_screen()"),
)


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    # Plain ADD COLUMNs (no table rebuild: views and foreign keys refer to the stage).
    op.add_column("stage", sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
    if pg:
        op.add_column("stage", sa.Column("finished_by", sa.Integer, sa.ForeignKey("person.id"), nullable=True))
    else:  # Alembic would add the constraint by a separate ALTER, which SQLite cannot do; inline it can
        op.execute("ALTER TABLE stage ADD COLUMN finished_by INTEGER REFERENCES person (id)")
    text = "text" if pg else "TEXT"
    op.execute(_COPY_FINISHES.format(at=_FIRST_FINISH.format(column="at", text=text),
                                     by=_FIRST_FINISH.format(column="actor_id", text=text), text=text))
    if not pg:
        return
    for sql in (*FUNCTIONS, _MAY_READ_SCREEN, _GUARD_FINISH, _GUARD_ANSWERS):
        op.execute(sql)
    for name, table, when, function in _TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}")


def downgrade() -> None:
    """The columns go; every finish stays in the audit trail, where revision 0012's code reads it."""
    if op.get_bind().dialect.name == "postgresql":
        for name, table, _when, _function in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute(_MAY_READ_SCREEN_0009)
        for fn in ("ik_guard_finished_screen()", "ik_guard_screen_finish()", "ik_screen_finisher(integer)"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    op.drop_column("stage", "finished_by")
    op.drop_column("stage", "finished_at")
