"""When an interview was held, stored on its scorecard (issue 17): ``scorecard.held_at``, indexed.

Calibration's period filter (``--since/--until``, the dashboard's period) asks for the scorecards whose
interview falls in a period: the stage's scheduled time or, for a stage never scheduled, when the
scorecard was submitted, ``COALESCE(stage.scheduled_at, scorecard.submitted_at)``. That expression spans
two joined tables, so no index serves it and every submitted scorecard was read (300,000 on the large demo).
``held_at`` holds that very value on the scorecard, with ``ix_scorecard_held_at``,
and the views ``calibration_rating``, ``calibration_scorecard`` and ``calibration_asked`` show it, so the
filter is an index range.

The database keeps it right whoever writes (the app, ``db copy``, the demo, a direct login): triggers set
it when a scorecard is inserted, when its stage or submission time changes (any other value written to it
is replaced), and on every scorecard of a stage whose scheduled time changes. This revision fills it for
the scorecards there are.

On PostgreSQL the triggers' functions are SECURITY DEFINER with a fixed search_path (they read the stage and
write the scorecard whatever the login may see); rescheduling a stage whose scorecard is submitted changes
that scorecard's ``held_at`` under the reason "the interview was rescheduled", so the guard of revision 0008
(``ik_guard_submitted``) lets it through and audits it, and the transaction's own reason is put back. The
row-level security policies of revisions 0008 and 0012 are per row: they cover the new column as they cover
the others, and the views keep their ``ik_calibration_allows`` filter and security barrier.

Revision ID: 0014
Revises: 0013
Create Date: 2027-02-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# On held_at alone: with (status, held_at), SQLite drove the whole table's read from the index for
# status = 'submitted' (nearly every row), in held_at order, three times slower than a scan in rowid order.
INDEX = "ix_scorecard_held_at"
_HELD = "COALESCE((SELECT st.scheduled_at FROM stage st WHERE st.id = {card}.stage_id), {card}.submitted_at)"
_FILL = f"UPDATE scorecard SET held_at = {_HELD.format(card='scorecard')}"

# The views of revision 0008 with held_at added at the end (PostgreSQL's CREATE OR REPLACE VIEW may only add
# columns there; it keeps the views' owner, grants and options).
_CAL_RATING = """
{create} VIEW calibration_rating AS
SELECT r.scorecard_id AS scorecard_id, r.competency_id AS competency_id, r.score AS score,
       r.not_assessed AS not_assessed, sc.interviewer_id AS interviewer_id, l.candidate_id AS candidate_id,
       c.opening_id AS opening_id, st.scheduled_at AS scheduled_at, sc.submitted_at AS submitted_at{held}
FROM rating r
JOIN scorecard sc ON sc.id = r.scorecard_id
JOIN stage st ON st.id = sc.stage_id
JOIN interview_loop l ON l.id = st.loop_id
JOIN candidate c ON c.id = l.candidate_id
WHERE sc.status = 'submitted' {also}
"""

_CAL_SCORECARD = """
{create} VIEW calibration_scorecard AS
SELECT sc.id AS scorecard_id, sc.interviewer_id AS interviewer_id, sc.recommendation AS recommendation,
       st.loop_id AS loop_id, l.candidate_id AS candidate_id, c.opening_id AS opening_id,
       st.scheduled_at AS scheduled_at, sc.submitted_at AS submitted_at,
       (SELECT d.outcome FROM decision d WHERE d.candidate_id = l.candidate_id AND d.superseded_by IS NULL
        ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) AS outcome{held}
FROM scorecard sc
JOIN stage st ON st.id = sc.stage_id
JOIN interview_loop l ON l.id = st.loop_id
JOIN candidate c ON c.id = l.candidate_id
WHERE sc.status = 'submitted' {also}
"""
_CAL_ASKED = """
{create} VIEW calibration_asked AS
SELECT a.scorecard_id AS scorecard_id, a.question_version_id AS question_version_id{held}
FROM asked_question a
JOIN scorecard sc ON sc.id = a.scorecard_id
JOIN stage st ON st.id = sc.stage_id
JOIN interview_loop l ON l.id = st.loop_id
WHERE sc.status = 'submitted' {also}
"""
_VIEWS = (("calibration_rating", _CAL_RATING), ("calibration_scorecard", _CAL_SCORECARD),
          ("calibration_asked", _CAL_ASKED))
_ALSO_PG = "AND ik_calibration_allows(l.candidate_id)"

# SQLite: after the row is written, held_at is set from the stage (the WHEN keeps a trigger from firing
# itself again should recursive triggers be on).
_SQLITE_TRIGGERS = (
    ("ik_scorecard_held_at_insert", "AFTER INSERT ON scorecard",
     f"UPDATE scorecard SET held_at = {_HELD.format(card='NEW')} WHERE id = NEW.id"),
    ("ik_scorecard_held_at_update",
     f"AFTER UPDATE OF stage_id, submitted_at, held_at ON scorecard WHEN NEW.held_at IS NOT {_HELD.format(card='NEW')}",
     f"UPDATE scorecard SET held_at = {_HELD.format(card='NEW')} WHERE id = NEW.id"),
    ("ik_stage_held_at", "AFTER UPDATE OF scheduled_at ON stage",
     ("UPDATE scorecard SET held_at = COALESCE(NEW.scheduled_at, submitted_at) WHERE stage_id = NEW.id "
      "AND held_at IS NOT COALESCE(NEW.scheduled_at, submitted_at)")),
)

_PG_SCORECARD_HELD = f"""
CREATE FUNCTION ik_scorecard_held_at() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  BEGIN
    NEW.held_at := {_HELD.format(card='NEW')};
    RETURN NEW;
  END $$
"""

_PG_STAGE_HELD = """
CREATE FUNCTION ik_stage_held_at() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    why text := current_setting('interviewkit.change_reason', true);
  BEGIN
    PERFORM set_config('interviewkit.change_reason', 'the interview was rescheduled', true);
    UPDATE scorecard SET held_at = COALESCE(NEW.scheduled_at, submitted_at)
      WHERE stage_id = NEW.id AND held_at IS DISTINCT FROM COALESCE(NEW.scheduled_at, submitted_at);
    PERFORM set_config('interviewkit.change_reason', COALESCE(why, ''), true);
    RETURN NEW;
  END $$
"""

# Named so that ik_scorecard_held_at runs before revision 0008's ik_scorecard_submitted (BEFORE triggers
# fire in name order): the guard sees the value that will be stored.
_PG_TRIGGERS = (
    ("ik_scorecard_held_at", "scorecard", "BEFORE INSERT OR UPDATE", "ik_scorecard_held_at()"),
    ("ik_stage_held_at", "stage", "AFTER UPDATE OF scheduled_at", "ik_stage_held_at()"),
)


def _views(*, held: bool, pg: bool) -> None:
    for name, sql in _VIEWS:
        if not pg:
            op.execute(f"DROP VIEW IF EXISTS {name}")
        create = "CREATE OR REPLACE" if pg and held else "CREATE"
        op.execute(sql.format(create=create, held=", sc.held_at AS held_at" if held else "",
                              also=_ALSO_PG if pg else ""))
        if pg:
            op.execute(f"ALTER VIEW {name} SET (security_barrier = true)")


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.add_column("scorecard", sa.Column("held_at", sa.DateTime(timezone=True), nullable=True))
    if pg:  # revision 0008's guard would refuse (and audit) a change to every submitted scorecard
        op.execute("ALTER TABLE scorecard DISABLE TRIGGER ik_scorecard_submitted")
    op.execute(_FILL)
    if pg:
        op.execute("ALTER TABLE scorecard ENABLE TRIGGER ik_scorecard_submitted")
    op.create_index(INDEX, "scorecard", ["held_at"])
    _views(held=True, pg=pg)
    if pg:
        op.execute(_PG_SCORECARD_HELD)
        op.execute(_PG_STAGE_HELD)
        for name, table, when, function in _PG_TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}")
    else:
        for name, when, body in _SQLITE_TRIGGERS:
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body}; END")


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    if pg:
        for name, table, _when, _function in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ik_stage_held_at()")
        op.execute("DROP FUNCTION IF EXISTS ik_scorecard_held_at()")
        for name, _sql in _VIEWS:  # a column leaves a view only with the view (its grants: migrate applies them again)
            op.execute(f"DROP VIEW IF EXISTS {name}")
    else:
        for name, _when, _body in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    _views(held=False, pg=pg)
    for name in (INDEX, "ix_scorecard_status_held_at"):  # the second: 0014's first index, for a day
        op.execute(f"DROP INDEX IF EXISTS {name}")
    op.drop_column("scorecard", "held_at")
