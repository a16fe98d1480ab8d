"""Calibration services: reading ratings from CSV (with row numbers) and the database, importing history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from interviewkit.bank.loader import load_settings
from interviewkit.domain.calibration import Rating
from interviewkit.paths import shipped_bank_dir
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import (
    IMPORT_OPENING_TITLE,
    import_ratings_csv,
    pass_through_from_db,
    question_uses_from_db,
    ratings_from_csv,
    ratings_from_db,
)
from interviewkit.services.calibration_json import report_json
from interviewkit.services.calibration_report import calibration_of_ratings, calibration_report
from interviewkit.services.errors import ValidationFailed
from interviewkit.storage.models import (
    Candidate,
    InterviewLoop,
    Opening,
    Person,
    Scorecard,
    Stage,
)
from interviewkit.storage.models import Rating as RatingRow

SETTINGS = load_settings(shipped_bank_dir())

HISTORY = """candidate,interviewer,competency,score,date
c1,alice,model-serving,3,2025-01-10
c1,alice,ml-system-design,4,2025-01-10
c1,bob,model-serving,2,2025-01-11
c1,bob,ml-system-design,,2025-01-11
c2,alice,model-serving,2,2025-02-03
c2,bob,model-serving,1,2025-02-04
c2,bob,ml-system-design,2,2025-02-04
c3,carol,model-serving,4,2025-03-01
c3,bob,model-serving,3,2025-03-02
"""


def write(tmp_path: Path, text: str, name: str = "ratings.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def row_counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


# --- CSV --------------------------------------------------------------------------------------------------


def test_ratings_from_csv(tmp_path: Path) -> None:
    ratings = ratings_from_csv(write(tmp_path, HISTORY))
    assert len(ratings) == 9
    assert ratings[0] == Rating("c1", "alice", "model-serving", 3.0, datetime(2025, 1, 10, tzinfo=UTC))
    assert ratings[3].score is None  # empty score: not rated


def test_csv_columns_in_any_order_any_case_with_bom_and_blank_lines(tmp_path: Path) -> None:
    text = "\ufeffScore, Competency ,INTERVIEWER,candidate\n2.5,k,x,c1\n\n4,k,y,c1\n"
    ratings = ratings_from_csv(write(tmp_path, text))
    assert [(r.candidate, r.interviewer, r.competency, r.score) for r in ratings] == [
        ("c1", "x", "k", 2.5),
        ("c1", "y", "k", 4.0),
    ]


def test_csv_problems_are_listed_with_row_numbers(tmp_path: Path) -> None:
    text = (
        "candidate,interviewer,competency,score\n"
        "c1,alice,k,3\n"          # row 2: fine
        "c1,bob,k,three\n"        # row 3
        ",bob,k,2\n"              # row 4
        "c2,alice,,2\n"           # row 5
        "c2,bob,k\n"              # row 6
        "c3,bob,k,nan\n"          # row 7
        "c3,alice,k,2,extra\n"    # row 8
    )
    with pytest.raises(ValidationFailed) as info:
        ratings_from_csv(write(tmp_path, text))
    problems = info.value.problems
    assert problems == [
        "row 3: score 'three' is not a number",
        "row 4: empty candidate",
        "row 5: empty competency",
        "row 6: 3 field(s), the header has 4",
        "row 7: score 'nan' is not a finite number",
        "row 8: 5 fields, the header has 4 (a stray comma?)",
    ]


def test_csv_header_problems(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as info:
        ratings_from_csv(write(tmp_path, "candidate,rater,competency\nc1,a,k\n"))
    assert info.value.problems[0].startswith("row 1: missing column(s) interviewer, score;")
    with pytest.raises(ValidationFailed, match="the file is empty"):
        ratings_from_csv(write(tmp_path, ""))
    with pytest.raises(ValidationFailed, match="date 'last week' is not an ISO date"):
        ratings_from_csv(write(tmp_path, "candidate,interviewer,competency,score,date\nc,a,k,1,last week\n"))


def test_a_file_that_is_not_utf8_csv_gets_a_clear_message(tmp_path: Path) -> None:
    latin = write(tmp_path, "candidate,interviewer,competency,score\nc1,José,k,3\n", encoding="latin-1")
    with pytest.raises(
        ValidationFailed, match=r"ratings.csv: not UTF-8 text \(byte 0xe9 at offset \d+\); save the file as 'CSV UTF-8'"
    ):
        ratings_from_csv(latin)
    binary = tmp_path / "book.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(ValidationFailed, match="not a CSV file"):
        ratings_from_csv(binary)
    with pytest.raises(ValidationFailed, match="no such file"):
        ratings_from_csv(tmp_path / "missing.csv")


# --- import and reading the database ------------------------------------------------------------------------


def test_import_then_read_back_from_the_database(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = import_ratings_csv(bank_db, write(tmp_path, HISTORY), SETTINGS, by=LOCAL_ADMIN)
    assert (report.scorecards_added, report.ratings_added, report.candidates_added, report.interviewers_added) == (
        6,
        9,
        3,
        3,
    )
    assert report.already_imported == 0
    with bank_db.session() as s:
        opening = s.scalars(select(Opening).where(Opening.title == IMPORT_OPENING_TITLE)).one()
        assert opening.status == "closed"
        assert {p.email for p in s.scalars(select(Person))} == {
            "alice@imported.invalid", "bob@imported.invalid", "carol@imported.invalid",
        }
        assert s.scalar(select(func.count()).select_from(InterviewLoop)) == 3  # one loop per candidate
        cards = list(s.scalars(select(Scorecard)))
        assert all(c.status == "submitted" for c in cards)
        unrated = s.scalars(select(RatingRow).where(RatingRow.score.is_(None))).one()  # type: ignore[union-attr]
        assert unrated.not_assessed and unrated.reason == "Not rated (imported)"
        c1 = s.scalars(select(Candidate).where(Candidate.name == "c1")).one()
    ratings = ratings_from_db(bank_db, by=LOCAL_ADMIN)
    assert len(ratings) == 9
    first = next(
        r for r in ratings if r.candidate == str(c1.id) and r.interviewer == "alice" and r.competency == "model-serving"
    )
    assert first.score == 3.0 and first.at == datetime(2025, 1, 10, tzinfo=UTC)
    assert sum(r.score is None for r in ratings) == 1

    assert len(ratings_from_db(bank_db, competency="ml-system-design", by=LOCAL_ADMIN)) == 3
    assert {r.interviewer for r in ratings_from_db(bank_db, interviewer="carol", by=LOCAL_ADMIN)} == {"carol"}
    assert len(ratings_from_db(bank_db, since=date(2025, 2, 1), by=LOCAL_ADMIN)) == 5
    assert (
        len(ratings_from_db(bank_db, since=date(2025, 2, 1), until=date(2025, 2, 4), by=LOCAL_ADMIN)) == 3
    )  # a day is inclusive
    assert ratings_from_db(bank_db, opening_id=opening.id + 1, by=LOCAL_ADMIN) == []


def test_importing_the_same_file_twice_does_not_duplicate(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, HISTORY)
    import_ratings_csv(bank_db, path, SETTINGS, by=LOCAL_ADMIN)
    before = row_counts(bank_db)
    again = import_ratings_csv(bank_db, path, SETTINGS, by=LOCAL_ADMIN)
    assert (again.scorecards_added, again.already_imported) == (0, 6)
    assert "Nothing imported" in again.summary()
    after = row_counts(bank_db)
    assert after == before
    # A file that grew: only the new scorecard is added.
    grown = write(tmp_path, HISTORY + "c4,carol,model-serving,2,2025-03-05\n", name="grown.csv")
    more = import_ratings_csv(bank_db, grown, SETTINGS, by=LOCAL_ADMIN)
    assert (more.scorecards_added, more.already_imported, more.candidates_added, more.interviewers_added) == (
        1,
        6,
        1,
        0,
    )


def test_reimport_with_different_scores_is_refused(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, write(tmp_path, HISTORY), SETTINGS, by=LOCAL_ADMIN)
    before = row_counts(bank_db)
    changed = HISTORY.replace("c2,alice,model-serving,2", "c2,alice,model-serving,3")
    with pytest.raises(ValidationFailed) as info:
        import_ratings_csv(bank_db, write(tmp_path, changed, name="changed.csv"), SETTINGS, by=LOCAL_ADMIN)
    assert info.value.problems == [
        (
            "row 6: candidate 'c2' and interviewer 'alice' were imported before with different ratings; "
            "an import does not change history (amend the scorecard instead)"
        )
    ]
    assert row_counts(bank_db) == before


def test_import_validates_every_row_and_writes_nothing_on_error(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "candidate,interviewer,competency,score\n"
        "c1,alice,model-serving,3\n"        # row 2: fine
        "c1,alice,team-spirit,3\n"          # row 3: unknown competency
        "c2,bob,model-serving,5\n"          # row 4: off the scale
        "c2,bob,ml-system-design,2.5\n"     # row 5: not a whole number
        "c3,bob,team-spirit,1\n"            # row 6: unknown competency
        "c1,alice,model-serving,2\n"        # row 7: duplicate of row 2
    )
    before = row_counts(bank_db)
    with pytest.raises(ValidationFailed) as info:
        import_ratings_csv(bank_db, write(tmp_path, text), SETTINGS, by=LOCAL_ADMIN)
    problems = info.value.problems
    assert "row 4: score 5 is not on the bank's scale (1-4, whole numbers)" in problems
    assert "row 5: score 2.5 is not on the bank's scale (1-4, whole numbers)" in problems
    assert any(p.startswith("rows 3, 6: unknown competency 'team-spirit'") for p in problems)
    assert any(
        p.startswith("row 7: candidate 'c1', interviewer 'alice', competency 'model-serving' already given in row 2")
        for p in problems
    )
    assert row_counts(bank_db) == before


def test_imported_interviewer_ids_become_placeholder_emails() -> None:
    from interviewkit.services.calibration import imported_email

    assert imported_email("i07") == "i07@imported.invalid"
    odd = imported_email("Zoë Ørsted")
    assert odd.endswith("@imported.invalid") and odd.startswith("Zo-rsted-") and odd != imported_email("Zoe Orsted")


def _add_draft(db) -> None:  # type: ignore[no-untyped-def]
    """A draft scorecard with a rating, which calibration must not see."""
    with db.transaction() as s:
        person = Person(name="dora", email="dora@example.com")
        opening = Opening(title="Live")
        s.add_all([person, opening])
        s.flush()
        cand = Candidate(name="Live candidate", opening_id=opening.id)
        s.add(cand)
        s.flush()
        loop = InterviewLoop(candidate_id=cand.id)
        s.add(loop)
        s.flush()
        stage = Stage(loop_id=loop.id, position=0, name="Design", interviewer_id=person.id, focus=["model-serving"])
        s.add(stage)
        s.flush()
        card = Scorecard(stage_id=stage.id, interviewer_id=person.id, status="draft")
        s.add(card)
        s.flush()
        s.add(RatingRow(scorecard_id=card.id, competency_id="model-serving", score=4))


def test_only_submitted_scorecards_count(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, write(tmp_path, HISTORY), SETTINGS, by=LOCAL_ADMIN)
    _add_draft(bank_db)
    assert "dora" not in {r.interviewer for r in ratings_from_db(bank_db, by=LOCAL_ADMIN)}
    assert pass_through_from_db(bank_db, SETTINGS, by=LOCAL_ADMIN) == []  # imported scorecards carry no recommendation
    uses, loops = question_uses_from_db(bank_db, by=LOCAL_ADMIN)
    assert uses == [] and loops == 3


# --- the report --------------------------------------------------------------------------------------------


BLOCK_KEYS = {
    "n_candidates",
    "n_interviewers",
    "n_ratings",
    "alpha_interval",
    "alpha_ordinal",
    "icc",
    "variance_components",
}


def test_calibration_report_shape(tmp_path: Path) -> None:
    report = report_json(calibration_of_ratings(ratings_from_csv(write(tmp_path, HISTORY))))
    assert set(report["competencies"]) == {"model-serving", "ml-system-design"}
    for block in [*report["competencies"].values(), report["overall"]]:
        assert set(block) >= BLOCK_KEYS
        assert set(block["icc"]) == {"ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"}
        assert {"candidate", "interviewer", "residual", "icc_absolute", "icc_consistency"} <= set(
            block["variance_components"]
        )
    assert report["overall"]["n_ratings"] == 6 and report["n_ratings"] == 8
    assert {i["id"] for i in report["interviewers"]} == {"alice", "bob", "carol"}
    for entry in report["interviewers"]:
        assert {"id", "n", "effect", "se", "shrunk_effect", "flag"} <= set(entry)
    assert report["connectivity"] == {"components": 1, "connected": True, "interviewers_per_component": [3]}


def test_the_demo_database_end_to_end(shipped_db) -> None:  # type: ignore[no-untyped-def]
    """The demo's submitted scorecards: ratings, recommendations, asked questions, decisions."""
    from interviewkit.services.demo import create_demo

    create_demo(shipped_db, shipped_bank_dir(), today=date(2025, 3, 12), by=LOCAL_ADMIN)
    ratings = ratings_from_db(shipped_db, by=LOCAL_ADMIN)
    assert ratings and all(r.at is not None and r.at.tzinfo is not None for r in ratings)
    assert {r.interviewer for r in ratings} >= {"José Ñúñez", "Mateus Carvalho"}
    recs = pass_through_from_db(shipped_db, SETTINGS, by=LOCAL_ADMIN)
    with shipped_db.session() as s:
        submitted = s.scalar(select(func.count()).select_from(Scorecard).where(Scorecard.status == "submitted"))
    assert len(recs) == submitted
    uses, loops = question_uses_from_db(shipped_db, by=LOCAL_ADMIN)
    assert loops >= 3 and uses and all(u.scores for u in uses[:5])
    report = report_json(calibration_report(shipped_db, SETTINGS, viewer=LOCAL_ADMIN))
    assert report["pass_through"]["panel"]["n"] == submitted
    assert report["questions"][0]["times_asked"] >= report["questions"][-1]["times_asked"]
    assert report["n_interviewers"] == len({r.interviewer for r in ratings if r.score is not None})


def test_database_ratings_say_how_many_questions_they_rest_on(shipped_db) -> None:  # type: ignore[no-untyped-def]
    """For the D-study's question facet (issue 18): each rating counts the questions of its scorecard that
    assess its competency, and names the question when there is one."""
    from interviewkit.services.bank_queries import question_summaries
    from tests.pdf.conftest import STAGES, build_panel

    build_panel(shipped_db)
    assesses = {q.id: set(q.competencies) for q in question_summaries(shipped_db)}
    ratings = [r for r in ratings_from_db(shipped_db, by=LOCAL_ADMIN) if r.score is not None]
    assert ratings
    for r in ratings:
        _, _, asked, _, _ = next(stage for stage in STAGES if r.competency in stage[3] and
                                 not isinstance(stage[3][r.competency], str) and stage[3][r.competency] == r.score)
        expected = sorted(q for q in asked if r.competency in assesses[q])
        assert r.questions == (len(expected) or None)
        assert r.question == (expected[0] if len(expected) == 1 else None)
