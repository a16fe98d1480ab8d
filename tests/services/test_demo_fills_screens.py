"""The demo fills every screen (issue 16, item 7): recorded decisions (a strong hire, a clear no, a split decided
after a debrief), a second opening with decided earlier candidates, calibration exercises with scores, and
enough history that question analytics have decisions to relate to, few questions are over-exposed, leniency
flags someone and the drift chart has a trend."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import debrief, demo, exercises, people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration_report import CalibrationReport, calibration_report
from interviewkit.storage.db import Database, open_database

TODAY = date(2025, 3, 12)
BANK = shipped_bank_dir()
SETTINGS = load_settings(BANK)


@pytest.fixture(scope="module")
def demo_file(shipped_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, demo.DemoReport]:
    path = tmp_path_factory.mktemp("demo-screens") / "demo.sqlite"
    shutil.copy(shipped_db_template, path)
    db = open_database(path)
    try:
        report = demo.create_demo(db, BANK, today=TODAY, by=LOCAL_ADMIN)
    finally:
        db.dispose()
    return path, report


@pytest.fixture
def db(demo_file: tuple[Path, demo.DemoReport]):  # type: ignore[no-untyped-def]
    database = open_database(demo_file[0])
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def calibration(demo_file: tuple[Path, demo.DemoReport]) -> CalibrationReport:
    database = open_database(demo_file[0])
    try:
        return calibration_report(database, SETTINGS, viewer=LOCAL_ADMIN)
    finally:
        database.dispose()


def _candidate(db: Database, name: str) -> int:
    return next(c.id for c in people.candidates(db, by=LOCAL_ADMIN) if c.name == name)


def _by_scenario(scenario: str) -> str:
    return next(c.name for c in demo.CANDIDATES if c.scenario == scenario)


def test_the_finished_candidates_are_decided(db: Database) -> None:  # type: ignore[no-untyped-def]
    strong = debrief.decisions(db, _candidate(db, _by_scenario(demo.STRONG)), by=LOCAL_ADMIN)
    assert [d.outcome for d in strong] == ["hire"]
    no = debrief.decisions(db, _candidate(db, _by_scenario(demo.NO_HIRE)), by=LOCAL_ADMIN)
    assert [d.outcome for d in no] == ["no_hire"]
    split = debrief.decisions(db, _candidate(db, _by_scenario(demo.SPLIT)), by=LOCAL_ADMIN)
    current = [d for d in split if not d.superseded]
    assert len(split) == 2 and len(current) == 1
    assert current[0].outcome == "no_hire" and "Debrief" in current[0].reopen_reason
    assert {d.outcome for d in split if d.superseded} == {"more_information"}
    assert all(d.decided_by == demo.HIRING_MANAGER.name and len(d.participants) >= 4 for d in split)
    for scenario in (demo.MID_LOOP, demo.NEXT_WEEK):
        assert debrief.decisions(db, _candidate(db, _by_scenario(scenario)), by=LOCAL_ADMIN) == []


def test_the_second_opening_has_decided_earlier_candidates(db: Database, demo_file) -> None:  # type: ignore[no-untyped-def]
    report = demo_file[1]
    (second,) = [o for o in people.openings(db) if o.title == demo.SECOND_OPENING_TITLE]
    earlier = people.candidates(db, second.id, by=LOCAL_ADMIN)
    assert len(earlier) == len(demo._HISTORY) == sum(report.earlier)
    outcomes = [debrief.decisions(db, c.id, by=LOCAL_ADMIN)[0].outcome for c in earlier]
    assert outcomes.count("hire") == report.earlier[0] >= 3 and outcomes.count("no_hire") == report.earlier[1] >= 3
    assert report.decisions == len(earlier) + 4  # and the strong hire, the clear no, the split's two
    assert "16 decisions recorded" in report.summary() and "2 calibration exercises" in report.summary()


def test_question_analytics_relate_to_decisions_and_few_are_over_exposed(calibration: CalibrationReport) -> None:
    questions = calibration.questions or ()
    assert len(questions) >= 30  # questions vary between the earlier loops
    assert sum(q.decision_n > 0 for q in questions) >= 0.8 * len(questions)  # not "- (n=0)"
    assert sum(q.decision_r is not None for q in questions) >= 10
    assert sum(q.exposed for q in questions) <= len(questions) // 4  # not every question over-exposed


def test_leniency_and_drift_have_something_to_show(calibration: CalibrationReport) -> None:
    assert calibration.enough
    flagged = {r.interviewer for r in calibration.flagged}
    assert flagged and flagged <= {demo._HARSH, demo._LENIENT}  # the harsh or the lenient interviewer, no other
    trend = next(t for t in calibration.trends if t.interviewer == demo._DRIFTING)
    assert trend.n >= 8 and trend.high is not None and trend.high < 0  # harsher lately, beyond doubt


def test_calibration_exercises_with_scores_and_one_left_to_try(db: Database) -> None:  # type: ignore[no-untyped-def]
    people_by_name = {p.name: p.id for p in people.people(db)}
    made = exercises.exercises(db, people_by_name["José Ñúñez"])
    assert len(made) == 2 and all(e.scores >= 4 and e.my_score is not None for e in made)
    amara = exercises.exercises(db, people_by_name["Amara Okafor"])
    assert all(e.my_score is None and not e.may_see_answer for e in amara)  # hers to try blind
    results = exercises.exercise_results(db, made[0].id, people_by_name["José Ñúñez"], settings=SETTINGS)
    assert results is not None
