"""Outcomes of hires (issue 18): did the people we hired turn out as we scored them?

``outcome``: one review of a hired candidate, dated: the performance rating on the company's scale (the scale's
ends are stored with it, ``scale_low`` and ``scale_high``, so a rating means the same after the scale changes;
a CHECK constraint keeps the rating inside them), whether the person has left by then (``has_left``) and
whether that was a regretted loss, whether they were promoted, a short note, who recorded it and when.
One review per candidate and date (a unique constraint). Calibration's validity analysis relates each
hire's latest rating to their interview scores; erasing the candidate deletes their outcomes (services/privacy.py).

On PostgreSQL the table lives under the rules of revision 0008: outcomes are read by those who may see
everyone's calibration (hiring managers and admins) and by the lead of the candidate's opening
(``ik_may_read_outcome``); they are recorded, corrected and deleted by an admin or the lead of the
candidate's opening (``ik_may_write_outcome``), as services/outcomes.py decides. Interviewers and
coordinators never see them.

Revision ID: 0010
Revises: 0009
Create Date: 2027-01-18
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_DEFINER = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp"

FUNCTIONS = [
    # An admin, or the lead of the candidate's opening, records (and corrects, and deletes) outcomes.
    f"""CREATE FUNCTION ik_may_write_outcome(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_is_dba() OR (ik_me() IS NOT NULL AND (
          ik_is_admin() OR ik_leads_opening(ik_candidate_opening(p_candidate))))
    $$""",
    # ... and reads them, as do those who see everyone's calibration (hiring managers).
    f"""CREATE FUNCTION ik_may_read_outcome(p_candidate integer) RETURNS boolean {_DEFINER} AS $$
      SELECT ik_may_write_outcome(p_candidate) OR COALESCE(ik_role() = 'hiring_manager', false)
    $$""",
]

# (table, command, using, with check), as in revisions 0008 and 0009
POLICIES: list[tuple[str, str, str | None, str | None]] = [
    ("outcome", "SELECT", "ik_may_read_outcome(candidate_id)", None),
    ("outcome", "INSERT", None, "ik_may_write_outcome(candidate_id)"),
    ("outcome", "UPDATE", "ik_may_write_outcome(candidate_id)", "ik_may_write_outcome(candidate_id)"),
    ("outcome", "DELETE", "ik_may_write_outcome(candidate_id)", None),
]


def _policy_name(table: str, command: str, n: int) -> str:
    return f"ik_{table}_{command.lower()}_10_{n}"


def upgrade() -> None:
    op.create_table(
        "outcome",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("candidate_id", sa.Integer, sa.ForeignKey("candidate.id"), nullable=False, index=True),
        sa.Column("reviewed_on", sa.Date, nullable=False),
        sa.Column("performance", sa.Float, nullable=True),
        sa.Column("scale_low", sa.Float, nullable=False),
        sa.Column("scale_high", sa.Float, nullable=False),
        sa.Column("has_left", sa.Boolean, nullable=True),
        sa.Column("regretted", sa.Boolean, nullable=True),
        sa.Column("promoted", sa.Boolean, nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("recorded_by", sa.Integer, sa.ForeignKey("person.id"), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("candidate_id", "reviewed_on", name="uq_outcome_candidate_date"),
        sa.CheckConstraint("scale_low < scale_high", name="ck_outcome_scale"),
        sa.CheckConstraint(
            "performance IS NULL OR (performance >= scale_low AND performance <= scale_high)",
            name="ck_outcome_performance",
        ),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for sql in FUNCTIONS:
        op.execute(sql)
    for n, (table, command, using, check) in enumerate(POLICIES):
        sql = f"CREATE POLICY {_policy_name(table, command, n)} ON {table} FOR {command}"
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        op.execute(sql)
    op.execute("ALTER TABLE outcome ENABLE ROW LEVEL SECURITY")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for n, (table, command, _using, _check) in enumerate(POLICIES):
            op.execute(f"DROP POLICY IF EXISTS {_policy_name(table, command, n)} ON {table}")
    op.drop_table("outcome")
    if op.get_bind().dialect.name == "postgresql":
        for fn in ("ik_may_read_outcome(integer)", "ik_may_write_outcome(integer)"):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
