"""A stamp that every write which can change calibration's input changes (issue 17): ``calibration_stamp``.

Calibration reads every submitted rating (1.2 million on the large demo); services/rating_columns keeps
them in memory as columns and reads them again only when this stamp has moved. The database keeps it,
whoever writes (this process, a second app on the same file, a direct login, ``db copy``): triggers add
one to ``calibration_stamp.n`` on every write that can change what the calibration views show:

* a rating or a question asked of a submitted scorecard (written, changed or deleted);
* a scorecard that is or was submitted: inserted, deleted, or its status, recommendation, interviewer,
  stage, submission time or ``held_at`` changed (a draft's autosave, lock heartbeat or summary does not);
* a stage's loop, interviewer or scheduled time; a loop's candidate; any change to a candidate, a person
  (names are the interviewers' labels), a decision (the outcome), a question version or what it assesses.

A reader reads the stamp BEFORE the rows: a write committed in between makes the next stamp differ, so a
cache is at worst read again, never kept stale. On PostgreSQL the trigger function is SECURITY DEFINER
(every login may write ratings, none may write the stamp directly) and adds one at most once per
transaction (``interviewkit.stamp_bumped``): a bulk insert of a million ratings updates the row once,
and a transaction holds the stamp row's lock only from its first calibration write. The stamp holds no
personal data: under row-level security like every table, with one policy, everyone reads it; no policy and
no grant lets a login write it (the trigger function runs as the table's owner). ``db copy`` leaves it out
(each database counts its own writes).

Revision ID: 0016
Revises: 0015
Create Date: 2027-02-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLE = "calibration_stamp"
_SUBMITTED = "EXISTS (SELECT 1 FROM scorecard WHERE id = {row}.scorecard_id AND status = 'submitted')"
_CARD_COLUMNS = "status, recommendation, interviewer_id, stage_id, submitted_at, held_at"

# (trigger name suffix, table, event, SQLite WHEN condition or "")
_SQLITE: tuple[tuple[str, str, str, str], ...] = (
    ("rating_i", "rating", "INSERT", _SUBMITTED.format(row="NEW")),
    ("rating_u", "rating", "UPDATE", f"{_SUBMITTED.format(row='NEW')} OR {_SUBMITTED.format(row='OLD')}"),
    ("rating_d", "rating", "DELETE", _SUBMITTED.format(row="OLD")),
    ("asked_i", "asked_question", "INSERT", _SUBMITTED.format(row="NEW")),
    ("asked_u", "asked_question", "UPDATE OF scorecard_id, question_version_id",
     f"{_SUBMITTED.format(row='NEW')} OR {_SUBMITTED.format(row='OLD')}"),
    ("asked_d", "asked_question", "DELETE", _SUBMITTED.format(row="OLD")),
    ("card_i", "scorecard", "INSERT", "NEW.status = 'submitted'"),
    ("card_u", "scorecard", f"UPDATE OF {_CARD_COLUMNS}", "NEW.status = 'submitted' OR OLD.status = 'submitted'"),
    ("card_d", "scorecard", "DELETE", "OLD.status = 'submitted'"),
    ("stage_u", "stage", "UPDATE OF loop_id, interviewer_id, scheduled_at, kind", ""),
    ("stage_d", "stage", "DELETE", ""),
    ("loop_u", "interview_loop", "UPDATE OF candidate_id", ""),
    ("loop_d", "interview_loop", "DELETE", ""),
    *((f"{short}_{op_[0].lower()}", table, op_, "")
      for short, table in (("candidate", "candidate"), ("person", "person"), ("decision", "decision"),
                           ("version", "question_version"), ("assesses", "question_competency"))
      for op_ in ("INSERT", "UPDATE", "DELETE")),
)  # fmt: skip

_PG_FUNCTION = f"""
CREATE FUNCTION ik_bump_calibration_stamp() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  DECLARE
    cards integer[];
  BEGIN
    IF TG_TABLE_NAME IN ('rating', 'asked_question') THEN
      cards := CASE TG_OP WHEN 'INSERT' THEN ARRAY[NEW.scorecard_id] WHEN 'DELETE' THEN ARRAY[OLD.scorecard_id]
                          ELSE ARRAY[NEW.scorecard_id, OLD.scorecard_id] END;
      IF NOT EXISTS (SELECT 1 FROM scorecard WHERE id = ANY(cards) AND status = 'submitted') THEN
        RETURN NULL;
      END IF;
    ELSIF TG_TABLE_NAME = 'scorecard' THEN
      IF NOT ((TG_OP <> 'DELETE' AND NEW.status = 'submitted') OR (TG_OP <> 'INSERT' AND OLD.status = 'submitted'))
      THEN
        RETURN NULL;
      END IF;
    END IF;
    IF current_setting('interviewkit.stamp_bumped', true) = 'yes' THEN
      RETURN NULL;
    END IF;
    UPDATE {TABLE} SET n = n + 1 WHERE id = 1;
    PERFORM set_config('interviewkit.stamp_bumped', 'yes', true);
    RETURN NULL;
  END $$
"""

# (table, events) on PostgreSQL: the function decides per row (no subquery may sit in a WHEN there)
_PG: tuple[tuple[str, str], ...] = (
    ("rating", "INSERT OR UPDATE OR DELETE"),
    ("asked_question", "INSERT OR UPDATE OF scorecard_id, question_version_id OR DELETE"),
    ("scorecard", f"INSERT OR UPDATE OF {_CARD_COLUMNS} OR DELETE"),
    ("stage", "UPDATE OF loop_id, interviewer_id, scheduled_at, kind OR DELETE"),
    ("interview_loop", "UPDATE OF candidate_id OR DELETE"),
    ("candidate", "INSERT OR UPDATE OR DELETE"),
    ("person", "INSERT OR UPDATE OR DELETE"),
    ("decision", "INSERT OR UPDATE OR DELETE"),
    ("question_version", "INSERT OR UPDATE OR DELETE"),
    ("question_competency", "INSERT OR UPDATE OR DELETE"),
)


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("n", sa.BigInteger, nullable=False),
    )
    op.execute(f"INSERT INTO {TABLE} (id, n) VALUES (1, 0)")
    if pg:
        op.execute(_PG_FUNCTION)
        op.execute(f"CREATE POLICY {TABLE}_read ON {TABLE} FOR SELECT USING (true)")
        op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
        for table, events in _PG:
            op.execute(
                f"CREATE TRIGGER ik_calibration_stamp AFTER {events} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION ik_bump_calibration_stamp()"
            )
    else:
        for suffix, table, event, when in _SQLITE:
            condition = f" WHEN {when}" if when else ""
            op.execute(
                f"CREATE TRIGGER ik_calibration_stamp_{suffix} AFTER {event} ON {table}{condition} "
                f"BEGIN UPDATE {TABLE} SET n = n + 1 WHERE id = 1; END"
            )


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    if pg:
        for table, _events in _PG:
            op.execute(f"DROP TRIGGER IF EXISTS ik_calibration_stamp ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ik_bump_calibration_stamp()")
    else:
        for suffix, _table, _event, _when in _SQLITE:
            op.execute(f"DROP TRIGGER IF EXISTS ik_calibration_stamp_{suffix}")
    op.drop_table(TABLE)
