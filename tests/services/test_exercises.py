"""Calibration exercises: blind scoring, who may see the agreed rating, deviations and spread."""

from __future__ import annotations

import pytest

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.errors import NotFound, PermissionDenied, ValidationFailed
from interviewkit.services.exercises import (
    archive_exercise,
    create_exercise,
    exercise,
    exercise_results,
    exercises,
    submit_exercise_score,
)

SETTINGS = load_settings(shipped_bank_dir())
TRANSCRIPT = "**Candidate:** We saw p99 go from 80 ms to 140 ms after the release.\n\nWe bisected the change..."


@pytest.fixture
def team(bank_db):  # type: ignore[no-untyped-def]
    def make(db, **kwargs):  # type: ignore[no-untyped-def]
        return people.create_person(db, **kwargs, by=LOCAL_ADMIN)

    return {
        "lead": make(bank_db, name="Lena Lead", email="lena@example.com").id,
        "ann": make(bank_db, name="Ann Archer", email="ann@example.com").id,
        "bob": make(bank_db, name="Bob Brown", email="bob@example.com").id,
        "cy": make(bank_db, name="Cy Cole", email="cy@example.com").id,
        "admin": make(bank_db, name="Ada Admin", email="ada@example.com", access_role="admin").id,
    }


@pytest.fixture
def ex_id(bank_db, team) -> int:  # type: ignore[no-untyped-def]
    return create_exercise(
        bank_db, question_id="latency-regression", transcript=TRANSCRIPT, agreed_score=3,
        rationale="Gives numbers before and after and the cause, but did not change the process.",
        created_by=team["lead"], settings=SETTINGS,
    ).id


def test_the_agreed_rating_is_hidden_until_one_has_scored(bank_db, team, ex_id) -> None:  # type: ignore[no-untyped-def]
    before = exercise(bank_db, ex_id, team["ann"])
    assert before.agreed_score is None and before.rationale is None
    assert before.may_score and before.my_score is None
    assert before.transcript.startswith("**Candidate:**") and "slower" in before.prompt
    assert before.rubric[2] == (3, "Gives p99 before and after and the cause found by profiling.")
    with pytest.raises(PermissionDenied, match="Score this exercise first"):
        exercise_results(bank_db, ex_id, team["ann"], settings=SETTINGS)
    [row] = exercises(bank_db, team["ann"])
    assert not row.may_see_answer and row.my_score is None and row.scores == 0

    results = submit_exercise_score(bank_db, ex_id, team["ann"], 4, settings=SETTINGS)
    assert results.agreed_score == 3 and results.rationale.startswith("Gives numbers")
    after = exercise(bank_db, ex_id, team["ann"])
    assert after.agreed_score == 3 and after.my_score == 4 and not after.may_score
    # Bob still has not scored: still hidden from him, even though Ann's score is in.
    assert exercise(bank_db, ex_id, team["bob"]).agreed_score is None
    with pytest.raises(PermissionDenied):
        exercise_results(bank_db, ex_id, team["bob"], settings=SETTINGS)


def test_the_creator_and_admins_see_it_without_scoring(bank_db, team, ex_id) -> None:  # type: ignore[no-untyped-def]
    assert exercise(bank_db, ex_id, team["lead"]).agreed_score == 3
    assert exercise(bank_db, ex_id, team["admin"]).rationale is not None
    assert exercise_results(bank_db, ex_id, team["admin"], settings=SETTINGS).n == 0
    creator_view = exercise(bank_db, ex_id, team["lead"])
    assert not creator_view.may_score and "not be blind" in creator_view.why_not_score
    with pytest.raises(PermissionDenied, match="not be blind"):
        submit_exercise_score(bank_db, ex_id, team["lead"], 3, settings=SETTINGS)


def test_deviations_and_spread(bank_db, team, ex_id) -> None:  # type: ignore[no-untyped-def]
    submit_exercise_score(bank_db, ex_id, team["ann"], 4, settings=SETTINGS, notes="  generous?  ")
    submit_exercise_score(bank_db, ex_id, team["bob"], 2, settings=SETTINGS)
    r = submit_exercise_score(bank_db, ex_id, team["cy"], 3, settings=SETTINGS)
    assert [(s.interviewer, s.score, s.deviation) for s in r.scores] == [
        ("Ann Archer", 4, 1), ("Cy Cole", 3, 0), ("Bob Brown", 2, -1),
    ]
    assert r.scores[0].notes == "generous?"
    assert r.n == 3 and r.mean == pytest.approx(3.0) and r.sd == pytest.approx(1.0)
    assert (r.low, r.high, r.range_text) == (2, 4, "2–4")
    assert r.mean_deviation == pytest.approx(0.0) and r.mean_abs_deviation == pytest.approx(2 / 3)
    assert r.exact_share == pytest.approx(1 / 3)
    assert r.agreed_label == SETTINGS.scale.label(3)
    [row] = exercises(bank_db, team["bob"])
    assert row.scores == 3 and row.my_score == 2 and row.may_see_answer


def test_a_score_is_final_and_on_the_scale(bank_db, team, ex_id) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed, match="bank's scale"):
        submit_exercise_score(bank_db, ex_id, team["ann"], 9, settings=SETTINGS)
    submit_exercise_score(bank_db, ex_id, team["ann"], 2, settings=SETTINGS)
    with pytest.raises(ValidationFailed, match="already scored"):
        submit_exercise_score(bank_db, ex_id, team["ann"], 3, settings=SETTINGS)
    assert exercise_results(bank_db, ex_id, team["ann"], settings=SETTINGS).scores[0].score == 2


def test_create_checks_everything_at_once(bank_db, team) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        create_exercise(bank_db, question_id="no-such-question", transcript="  ", agreed_score=7, rationale="",
                        created_by=team["lead"], settings=SETTINGS)
    text = str(caught.value)
    for part in ("Transcript", "Agreed rating", "Rationale", "no-such-question"):
        assert part in text
    with pytest.raises(NotFound):
        create_exercise(bank_db, question_id="latency-regression", transcript="x", agreed_score=2, rationale="y",
                        created_by=9999, settings=SETTINGS)
    made = create_exercise(bank_db, question_id="drift-incident", transcript="x", agreed_score=2, rationale="y",
                           created_by=team["lead"], settings=SETTINGS)
    assert made.title == "Reference answer: A model that drifted" and made.is_creator


def test_archived_exercises_take_no_scores(bank_db, team, ex_id) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        archive_exercise(bank_db, ex_id, team["ann"])
    archive_exercise(bank_db, ex_id, team["lead"])
    assert exercises(bank_db, team["ann"]) == []
    assert len(exercises(bank_db, team["ann"], include_archived=True)) == 1
    assert "archived" in exercise(bank_db, ex_id, team["ann"]).why_not_score
    with pytest.raises(ValidationFailed, match="archived"):
        submit_exercise_score(bank_db, ex_id, team["ann"], 3, settings=SETTINGS)
