"""Outcomes of hires (issue 18), on SQLite and PostgreSQL: recorded and imported by an admin or the opening's
hiring manager, read by them and by hiring managers, refused to everyone else; an import is all or nothing
with each problem named file:line; erasing the candidate deletes their outcomes and says so beforehand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from interviewkit.services import outcomes, people, privacy, screening
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.storage.db import Database
from tests.second_edition import SCREENED, World, build_world, make_second_edition


@pytest.fixture
def world(db: Database, mini_bank: Path) -> World:
    return build_world(db, make_second_edition(mini_bank))


def _other_manager(w: World) -> int:
    """A hiring manager of another opening: sees everyone's calibration, leads nothing of this candidate."""
    return people.create_person(w.db, name="Hugo Other", email="hugo@example.com", access_role="hiring_manager",
                                by=LOCAL_ADMIN).id


def test_the_openings_manager_and_admins_record_hiring_managers_read_nobody_else(world: World) -> None:
    w, db = world, world.db
    created = outcomes.record_outcome(db, w.candidate, date(2027, 6, 30), 4.0, has_left=False, note="Ramped fast",
                                      by=w.manager)
    assert created.changes.candidates == {w.candidate}
    outcomes.record_outcome(db, w.candidate, date(2027, 12, 31), 4.5, promoted=True, by=w.admin)
    other = _other_manager(w)
    for reader in (w.manager, w.admin, other, LOCAL_ADMIN):
        rows = outcomes.list_outcomes(db, by=reader)
        assert [(r.reviewed_on, r.performance, r.scale) for r in rows] == [
            (date(2027, 6, 30), 4.0, (1.0, 5.0)), (date(2027, 12, 31), 4.5, (1.0, 5.0))]
    first, second = outcomes.list_outcomes(db, by=w.manager, candidate_id=w.candidate)
    assert (first.candidate, first.recorded_by, first.note, first.has_left) == (
        "Priya Natarajan", "Maria Manager", "Ramped fast", False)
    assert (second.recorded_by, second.promoted, second.has_left) == ("Ada Admin", True, None)
    for nobody in (w.interviewer, w.recruiter, w.outsider, None):
        with pytest.raises(PermissionDenied):
            outcomes.list_outcomes(db, by=nobody)
        with pytest.raises(PermissionDenied):
            outcomes.record_outcome(db, w.candidate, date(2028, 1, 1), 3.0, by=nobody)
    with pytest.raises(PermissionDenied, match="only an admin or the hiring manager of the candidate's opening"):
        outcomes.record_outcome(db, w.candidate, date(2028, 1, 1), 3.0, by=other)
    assert outcomes.may_record_outcomes(db, by=w.manager) and outcomes.may_record_outcomes(db, by=w.admin)
    assert not outcomes.may_record_outcomes(db, by=other) and not outcomes.may_record_outcomes(db, by=w.interviewer)
    assert len(outcomes.list_outcomes(db, by=LOCAL_ADMIN)) == 2  # nothing more was written


def test_a_recorded_outcome_is_checked_against_its_scale_and_its_date(world: World) -> None:
    w, db = world, world.db
    outcomes.record_outcome(db, w.candidate, date(2027, 6, 30), 80, scale=(0, 100), by=w.manager)
    with pytest.raises(ValidationFailed, match="Performance 6 is outside the scale 1-5"):
        outcomes.record_outcome(db, w.candidate, date(2027, 7, 1), 6, by=w.manager)
    with pytest.raises(ValidationFailed, match="already has an outcome reviewed on 2027-06-30"):
        outcomes.record_outcome(db, w.candidate, date(2027, 6, 30), 3, by=w.manager)
    with pytest.raises(ValidationFailed, match="only a person who left is a regretted loss"):
        outcomes.record_outcome(db, w.candidate, date(2027, 7, 1), 3, has_left=False, regretted=True, by=w.manager)
    with pytest.raises(ValidationFailed, match="at most 2,000"):
        outcomes.record_outcome(db, w.candidate, date(2027, 7, 1), 3, note="x" * 2001, by=w.manager)
    with pytest.raises(NotFound):
        outcomes.record_outcome(db, 999, date(2027, 7, 1), 3, by=w.admin)
    assert outcomes.parse_scale("1-5") == (1.0, 5.0) and outcomes.parse_scale(" 0 - 100 ") == (0.0, 100.0)
    for bad in ("5-1", "one-five", "1", "1-1"):
        with pytest.raises(ValueError):
            outcomes.parse_scale(bad)
    assert [r.performance for r in outcomes.list_outcomes(db, by=w.admin)] == [80]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_names_each_problem_with_file_and_line_and_writes_nothing(world: World, tmp_path: Path) -> None:
    w, db = world, world.db
    outcomes.record_outcome(db, w.candidate, date(2027, 1, 31), 3, by=w.admin)
    bad = _write(tmp_path / "reviews.csv", (
        "candidate,date,performance,left,regretted\n"
        f"{w.candidate},2027-06-30,4,no,\n"  # fine
        "nobody@example.org,2027-06-30,3,,\n"  # unknown candidate
        f"#{w.candidate},2027-12-31,7,,\n"  # outside 1-5
        f"priya@example.org,2027-01-31,3,,\n"  # already recorded
        f"{w.candidate},2028-06-30,3,no,yes\n"  # regretted but did not leave
        f"priya@example.org,2027-06-30,2,,\n"  # the same candidate and date as line 2, named by email
    ))
    with pytest.raises(ValidationFailed) as caught:
        outcomes.import_outcomes(db, bad, by=w.admin)
    assert caught.value.problems == [
        "reviews.csv:3: unknown candidate 'nobody@example.org' (give the candidate's id or email)",
        "reviews.csv:4: performance 7 is outside the scale 1-5",
        "reviews.csv:6: regretted is yes but left is no: only a person who left is a regretted loss",
        f"reviews.csv:5: candidate #{w.candidate} already has an outcome reviewed on 2027-01-31",
        f"reviews.csv:7: candidate #{w.candidate} on 2027-06-30 already given in line 2",
    ]
    with pytest.raises(ValidationFailed, match=r"^reviews\.csv:3: date '31/12/2027' is not a date"):
        outcomes.import_outcomes(db, _write(bad, "candidate,date,performance\n1,2027-01-01,3\n1,31/12/2027,3\n"),
                                 by=w.admin)
    with pytest.raises(ValidationFailed, match=r"reviews\.csv:1: missing column\(s\) date"):
        outcomes.import_outcomes(db, _write(bad, "candidate,performance\n1,3\n"), by=w.admin)
    with pytest.raises(ValidationFailed, match="no outcomes"):
        outcomes.import_outcomes(db, _write(bad, "candidate,date,performance\n"), by=w.admin)
    assert len(outcomes.list_outcomes(db, by=w.admin)) == 1  # nothing of any file was written


def test_an_import_records_every_row_or_is_refused(world: World, tmp_path: Path) -> None:
    w, db = world, world.db
    good = _write(tmp_path / "reviews.csv", (
        "candidate,date,performance,left,regretted,promoted\n"
        f"{w.candidate},2027-06-30,72,no,,no\n"
        f"PRIYA@example.org,2027-12-31,,yes,yes,\n"  # left before the review: no rating
    ))
    for refused in (w.interviewer, w.recruiter, _other_manager(w)):
        with pytest.raises((PermissionDenied, ValidationFailed), match="may not"):
            outcomes.import_outcomes(db, good, scale=(0, 100), by=refused)
    result = outcomes.import_outcomes(db, good, scale=(0, 100), by=w.manager)
    assert (result.added, result.candidates, result.changes.candidates) == (2, 1, {w.candidate})
    assert result.summary() == "Imported 2 outcomes of 1 hire from reviews.csv."
    rows = outcomes.list_outcomes(db, by=w.admin)
    assert [(r.performance, r.scale, r.has_left, r.regretted, r.promoted) for r in rows] == [
        (72.0, (0.0, 100.0), False, None, False), (None, (0.0, 100.0), True, True, None)]
    with pytest.raises(ValidationFailed, match="already has an outcome"):
        outcomes.import_outcomes(db, good, scale=(0, 100), by=w.manager)  # the same file twice


def test_erasing_the_candidate_deletes_their_outcomes_and_the_preview_says_so(world: World) -> None:
    w, db = world, world.db
    screening.record_screen_answer(db, w.screen, SCREENED[0], "yes", "Nine years at Acme.", by=w.recruiter)
    outcomes.record_outcome(db, w.candidate, date(2027, 6, 30), 4, by=w.admin)
    outcomes.record_outcome(db, w.candidate, date(2027, 12, 31), 5, by=w.admin)
    preview = privacy.erasure_preview(db, w.candidate, by=LOCAL_ADMIN)
    assert "the recruiter's notes on 1 screen answer" in preview
    assert "2 outcomes recorded after hiring (performance reviews), deleted" in preview
    report = privacy.erase_candidate(db, w.candidate, by=w.admin, reason="asked on 2028-01-05",
                                     compact_after=False)
    assert "2 outcomes recorded after hiring (performance reviews), deleted" in report.fields
    assert outcomes.list_outcomes(db, by=LOCAL_ADMIN) == ()
    assert outcomes.outcomes_for_validity(db, by=LOCAL_ADMIN) == []
    (item, _) = screening.screen_checklist(db, w.screen, by=w.admin).items
    assert (item.answer, item.note) == ("yes", "")
    with pytest.raises(ValidationFailed, match="erased"):
        outcomes.record_outcome(db, w.candidate, date(2028, 6, 30), 4, by=w.admin)
