"""The bank's length limits are the database's column lengths (PostgreSQL refuses longer text)."""

from __future__ import annotations

from interviewkit.bank import jd, model
from interviewkit.storage import models as db


def _length(table: type, column: str) -> int:
    return int(table.__table__.c[column].type.length)  # type: ignore[attr-defined]


def test_the_limits_match_the_columns() -> None:
    assert model.MAX_ID == _length(db.Question, "id") == _length(db.LoopTemplate, "id")
    assert model.MAX_TITLE == _length(db.QuestionVersion, "title") == _length(db.LoopTemplate, "name")
    assert _length(db.Competency, "id") == model.MAX_COMPETENCY_ID
    assert _length(db.Competency, "name") == model.MAX_NAME
    assert model.MAX_LABEL == _length(db.QuestionVersion, "level") == _length(db.Scorecard, "recommendation")
    assert model.MAX_PATH == _length(db.QuestionVersion, "source_path") == _length(db.BankFile, "path")
    assert _length(db.JobDescription, "id") == jd.MAX_ID
    assert jd.MAX_TITLE == _length(db.JobDescription, "title") == _length(db.JobDescription, "source_name")
    assert _length(db.Requirement, "section") == jd.MAX_SECTION
    # The longest requirement id: a document id, a section slug and a 4-digit number, with two dots.
    assert _length(db.Requirement, "id") >= jd.MAX_ID + jd.MAX_SLUG + 6
