"""The views of revisions 0008 and 0009, as tables to select from (kept out of the models' metadata: nothing
creates them but the migration).

On PostgreSQL each view shows only what the session's login may see (row-level security's functions);
on SQLite they show everything and the services filter. Services read them instead of the rows they
come from where a screen needs to know *that* something exists without reading it: which stages have a
scorecard and in what state, how far each screen stage's checklist is answered, and the numbers
calibration works on.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table

__all__ = ["calibration_asked", "calibration_rating", "calibration_scorecard", "scorecard_status", "screen_progress"]

_views = MetaData()

scorecard_status = Table(
    "scorecard_status", _views,
    Column("id", Integer, primary_key=True),
    Column("stage_id", Integer),
    Column("interviewer_id", Integer),
    Column("status", String(20)),
    Column("submitted_at", DateTime(timezone=True)),
    Column("loop_id", Integer),
    Column("candidate_id", Integer),
)

calibration_rating = Table(
    "calibration_rating", _views,
    Column("scorecard_id", Integer),
    Column("competency_id", String(80)),
    Column("score", Integer),
    Column("not_assessed", Boolean),
    Column("interviewer_id", Integer),
    Column("candidate_id", Integer),
    Column("opening_id", Integer),
    Column("scheduled_at", DateTime(timezone=True)),
    Column("submitted_at", DateTime(timezone=True)),
    Column("held_at", DateTime(timezone=True)),  # COALESCE(scheduled_at, submitted_at), indexed (revision 0014)
)

calibration_scorecard = Table(
    "calibration_scorecard", _views,
    Column("scorecard_id", Integer),
    Column("interviewer_id", Integer),
    Column("recommendation", String(40)),
    Column("loop_id", Integer),
    Column("candidate_id", Integer),
    Column("opening_id", Integer),
    Column("scheduled_at", DateTime(timezone=True)),
    Column("submitted_at", DateTime(timezone=True)),
    Column("outcome", String(30)),
    Column("held_at", DateTime(timezone=True)),  # COALESCE(scheduled_at, submitted_at), indexed (revision 0014)
)

calibration_asked = Table(
    "calibration_asked", _views,
    Column("scorecard_id", Integer),
    Column("question_version_id", Integer),
    Column("held_at", DateTime(timezone=True)),  # the scorecard's (revision 0014)
)

screen_progress = Table(
    "screen_progress", _views,
    Column("stage_id", Integer, primary_key=True),
    Column("loop_id", Integer),
    Column("candidate_id", Integer),
    Column("answered", Integer),
)
