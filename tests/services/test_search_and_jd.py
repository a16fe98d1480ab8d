"""Full-text search, job-description import and question suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from interviewkit.bank.jd import JDError
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import (
    job_descriptions,
    requirements_of,
    search_question_ids,
)
from interviewkit.services.jd import import_jd, suggest_questions
from interviewkit.storage.db import Database


def test_search_matches_title_prompt_and_prefixes(bank_db: Database) -> None:
    assert search_question_ids(bank_db, "drifted") == ["drift-incident"]
    assert search_question_ids(bank_db, "drif") == ["drift-incident"]  # as you type
    assert search_question_ids(bank_db, "GPU cost") == ["gpu-cost-cut"]
    assert search_question_ids(bank_db, "profiling") != []  # rubric text is indexed
    assert set(search_question_ids(bank_db, "model deployment serving")) == {
        "latency-regression",
        "gpu-cost-cut",
        "drift-incident",
    } & set(search_question_ids(bank_db, "model deployment serving"))
    assert search_question_ids(bank_db, "zebra") == []


def test_search_ranks_title_matches_first(bank_db: Database) -> None:
    hits = search_question_ids(bank_db, "model", ranked=True)
    assert hits and hits[0] == "drift-incident"  # "model" is in its title and its prompt


@pytest.mark.parametrize("query", ['"', "AND (", "NEAR(", "*", "drift OR", "^x", "col:val", "   "])
def test_search_is_safe_against_query_syntax(bank_db: Database, query: str) -> None:
    assert isinstance(search_question_ids(bank_db, query), list)


def test_competency_names_are_searchable(bank_db: Database) -> None:
    assert "drift-incident" in search_question_ids(bank_db, "serving")


def test_jd_import_stores_the_document_and_dry_run_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "data-engineer.md"
    path.write_text("# Data Engineer\n\n## You will\n- Build batch pipelines\n- Run Kafka\n")
    jd, changes = import_jd(None, path)
    assert [r.id for r in jd.requirements] == ["data-engineer.build-batch-pipelines-run.01"] or len(
        jd.requirements
    ) == 2
    assert changes == [] and job_descriptions(db) == []
    jd, changes = import_jd(db, path, by=LOCAL_ADMIN)
    assert changes == ["job description data-engineer added"]
    (info,) = job_descriptions(db)
    assert (info.id, info.title, info.requirement_count, info.origin) == ("data-engineer", "Data Engineer", 2, "import")
    assert [r.text for r in requirements_of(db, "data-engineer")] == ["Build batch pipelines", "Run Kafka"]
    with db.engine.connect() as conn:
        stored = conn.execute(text("SELECT text FROM job_description WHERE id='data-engineer'")).scalar()
    assert stored == path.read_text()  # verbatim
    _, changes = import_jd(db, path, by=LOCAL_ADMIN)
    assert changes == []


def test_jd_import_errors(db: Database, tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("")
    with pytest.raises(JDError, match="empty"):
        import_jd(db, empty, by=LOCAL_ADMIN)
    assert job_descriptions(db) == []


def test_suggest_proposes_matching_questions_per_requirement(shipped_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "mlops-lead.md"
    path.write_text(
        "# MLOps Lead\n\n## Responsibilities\n"
        "- Detect data drift in production models and trigger retraining\n"
        "- Reduce GPU inference cost per prediction\n"
        "- Coach and mentor engineers through performance reviews\n"
    )
    import_jd(shipped_db, path, by=LOCAL_ADMIN)
    suggestions = suggest_questions(shipped_db, "mlops-lead", per_requirement=3)
    assert len(suggestions) == 3
    drift, cost, coach = (tuple(q for q, _, _ in s.questions) for s in suggestions)
    assert drift and any("drift" in q or "retrain" in q for q in drift)
    assert cost and any("cost" in q or "gpu" in q for q in cost)
    assert coach and any(w in q for q in coach for w in ("career", "feedback", "performance", "underperformer"))
