"""Saving a reviewed job description (issue 20): priorities stored (revision 0011), what the table showed is
what the database holds, documents already there refused unless replaced, suggestions read from the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from interviewkit.bank.jd import parse_jd_text
from interviewkit.bank.jd_review import delete, merge, retag
from interviewkit.bank.loader import load_bank
from interviewkit.bank.suggest import Ranker, bank_inputs, load_examples, load_thesaurus
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import coverage, job_descriptions
from interviewkit.services.errors import PermissionDenied
from interviewkit.services.jd import (
    AlreadyImported,
    save_jd,
    save_reviewed_jd,
    suggest_for_texts,
    suggest_questions,
)
from interviewkit.services.people import create_person
from interviewkit.storage.db import Database

TEXT = """# Data Platform Lead

## Responsibilities
- Run the feature store in production
- Coach engineers
- Write the roadmap

## Nice to have
- Spark experience
"""


def _stored(db: Database, jd_id: str) -> list[tuple[str, str, str | None]]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT text, section, priority FROM requirement WHERE jd_id = :j AND retired_at IS NULL "
                "ORDER BY position"
            ),
            {"j": jd_id},
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_priorities_are_stored_and_the_reviewed_table_is_saved(db: Database) -> None:
    jd = parse_jd_text(TEXT, "dp-lead")
    saved = save_reviewed_jd(db, jd, by=LOCAL_ADMIN)
    assert saved.changes.bank and saved.id == "dp-lead"
    assert _stored(db, "dp-lead") == [
        ("Run the feature store in production", "Responsibilities", "must"),
        ("Coach engineers", "Responsibilities", "must"),
        ("Write the roadmap", "Responsibilities", "must"),
        ("Spark experience", "Nice to have", "nice"),
    ]
    reviewed = retag(merge(delete(jd, [2]), [0, 1]), [0], "nice")
    again = save_reviewed_jd(db, reviewed, by=LOCAL_ADMIN, replace_existing=True)
    assert again.changes.bank
    assert _stored(db, "dp-lead") == [
        ("Run the feature store in production; Coach engineers", "Responsibilities", "nice"),
        ("Spark experience", "Nice to have", "nice"),
    ]


def test_a_document_already_there_is_refused_unless_replaced(db: Database) -> None:
    jd = parse_jd_text(TEXT, "dp-lead")
    save_jd(db, jd, by=LOCAL_ADMIN, replace_existing=False)
    before = _stored(db, "dp-lead")
    with pytest.raises(AlreadyImported, match=r"'dp-lead' is already in the database.*--replace") as same_id:
        save_reviewed_jd(db, delete(jd, [0]), by=LOCAL_ADMIN)
    assert same_id.value.existing_id == "dp-lead"
    copy = parse_jd_text(TEXT, "dp-lead-copy")
    with pytest.raises(AlreadyImported, match="already in the database as 'dp-lead'"):
        save_jd(db, copy, by=LOCAL_ADMIN, replace_existing=False)
    assert _stored(db, "dp-lead") == before and [d.id for d in job_descriptions(db)] == ["dp-lead"]
    # replaced: the same text under another id is a new version of the document already there
    save_jd(db, delete(copy, [0]), by=LOCAL_ADMIN, replace_existing=True)
    assert [d.id for d in job_descriptions(db)] == ["dp-lead"] and len(_stored(db, "dp-lead")) == 3


def test_only_bank_managers_save(db: Database) -> None:
    pid = create_person(db, name="Ivy Interviewer", email="ivy@example.com", by=LOCAL_ADMIN).id
    with pytest.raises(PermissionDenied):
        save_reviewed_jd(db, parse_jd_text(TEXT, "dp-lead"), by=pid)
    assert job_descriptions(db) == []


def test_suggestions_from_the_database_are_the_files(shipped_db: Database, tmp_path: Path) -> None:
    jd = parse_jd_text(TEXT, "dp-lead")
    from_db = suggest_for_texts(shipped_db, jd)
    bank = load_bank(shipped_bank_dir())
    questions, comps, texts, screen = bank_inputs(bank)
    thesaurus = load_thesaurus(bank.root / "thesaurus.yaml")
    examples = load_examples(bank.root / "competency_examples.yaml")
    ranker = Ranker(questions, comps, texts, thesaurus, screen=screen, examples=examples)
    assert [s.matches for s in from_db] == [ranker.rank(r.text).matches for r in jd.requirements]
    save_jd(shipped_db, jd, by=LOCAL_ADMIN)
    stored = suggest_questions(shipped_db, "dp-lead")
    assert [s.matches for s in stored] == [s.matches for s in from_db]
    assert any(s.matches for s in stored) and all(m.reason for s in stored for m in s.matches)


def test_pasted_text_is_read_like_a_text_file() -> None:
    from interviewkit.bank.jd import JDError
    from interviewkit.services.jd import read_pasted_jd

    jd = read_pasted_jd(TEXT)
    assert jd.id == "data-platform-lead" and jd.source_name == "(pasted text)" and len(jd.requirements) == 4
    assert read_pasted_jd(TEXT, doc_id="dp").requirements[0].id == "dp.responsibilities.01"
    with pytest.raises(JDError, match=r"^the pasted text: the file is empty"):
        read_pasted_jd(" \n ")
    with pytest.raises(JDError, match=r"^the pasted text is 6\.4 MB"):
        read_pasted_jd("- a requirement\n" * 400_000)
    with pytest.raises(JDError, match="is not a document id"):
        read_pasted_jd(TEXT, doc_id="Not An Id")


def test_a_requirement_retagged_nice_in_review_is_no_longer_a_must_have(db: Database) -> None:
    jd = parse_jd_text("# ML Lead\n\n## Requirements\n- Python in production\n- Kubernetes operations\n", "ml-lead")
    save_reviewed_jd(db, jd, by=LOCAL_ADMIN)
    assert {r.requirement.text: r.must_have for r in coverage(db, "ml-lead")} == {
        "Python in production": True,
        "Kubernetes operations": True,
    }
    save_reviewed_jd(db, retag(jd, [1], "nice"), by=LOCAL_ADMIN, replace_existing=True)
    # The stored priority is the reviewer's, though the text alone would read as a must-have.
    assert {r.requirement.text: r.must_have for r in coverage(db, "ml-lead")} == {
        "Python in production": True,
        "Kubernetes operations": False,
    }
