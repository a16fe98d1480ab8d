"""The loop planner's reliability lines (issue 18, point 2): per competency a loop rates, its interviewers, the
reliability of its score now and with one more, from the history or, with none, a published figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.services import reliability
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import import_ratings_csv
from interviewkit.services.loop_reliability import PUBLISHED_AGREEMENT, loop_reliability
from interviewkit.services.loops import add_stage, create_loop, loop_detail, set_stage_plan
from interviewkit.services.people import create_candidate, create_opening, create_person
from interviewkit.services.reliability import competency_reliability
from tests.services.test_calibration_report import SETTINGS, history_csv


def _loop(db) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """An empty loop for a candidate, and an interviewer (id) to give its stages."""
    ann = create_person(db, name="Ann Reyes", email="ann.reyes@example.com", by=LOCAL_ADMIN).id
    opening = create_opening(db, title="ML Engineering Manager", jd_ids=["ml-eng-manager-profile"], by=LOCAL_ADMIN)
    cand = create_candidate(db, name="Priya Natarajan", opening_id=opening.id, by=LOCAL_ADMIN)
    return create_loop(db, cand.id, name="Loop", by=LOCAL_ADMIN).id, ann


def test_each_competency_gets_its_interviewers_and_reliability(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)  # 14 candidates, model-serving
    loop_id, ann = _loop(bank_db)
    serving = add_stage(bank_db, loop_id, name="Serving", focus=["model-serving"], interviewer_id=ann, by=LOCAL_ADMIN)
    set_stage_plan(bank_db, serving.id, ["latency-regression", "drift-incident"], by=LOCAL_ADMIN)
    add_stage(bank_db, loop_id, name="Leadership", focus=["people-leadership"], by=LOCAL_ADMIN)
    rows = loop_reliability(bank_db, loop_detail(bank_db, loop_id, by=LOCAL_ADMIN), by=LOCAL_ADMIN)
    assert [r.competency for r in rows] == ["model-serving", "people-leadership"]

    history = competency_reliability(bank_db, by=LOCAL_ADMIN)["model-serving"]
    first = rows[0]
    assert (first.plan.interviewers, first.plan.questions, first.plan.questions_each) == (1, 2, 2.0)
    assert first.basis == "short" and first.candidates == 14
    assert first.now.absolute == pytest.approx(history.at(1).absolute)
    assert first.one_more.absolute == pytest.approx(history.at(2).absolute)
    low, high = first.now.absolute_ci or (None, None)
    assert first.text == (
        f"Model deployment and serving: 1 interviewer, reliability {first.now.absolute:.2f} (95% {low:.2f} to "
        f"{high:.2f}: only 14 candidates so far, a rough figure); a second interviewer would raise it to "
        f"{first.one_more.absolute:.2f}."
    )
    assert "Rated in 1. Serving; 2 planned questions on it." in first.detail

    prior = rows[1]  # never rated: the published figure, said as an assumption with its source
    assert prior.basis == "published" and prior.now.absolute == pytest.approx(PUBLISHED_AGREEMENT)
    assert prior.one_more.absolute == pytest.approx(2 * 0.44 / 1.44)
    assert prior.now.absolute_ci is None
    assert "No ratings yet: with a typical interviewer agreement of 0.44, reliability 0.44; a second " in prior.text
    assert "Huffcutt, Culbertson & Weyhrauch (2013)" in prior.detail and "not a measurement" in prior.detail
    assert "a stage rates it with no question planned on it" in prior.detail


def test_stages_by_the_same_person_are_one_interviewer(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    loop_id, ann = _loop(bank_db)
    for name in ("Serving", "Serving again"):
        add_stage(bank_db, loop_id, name=name, focus=["model-serving"], interviewer_id=ann, by=LOCAL_ADMIN)
    history = competency_reliability(bank_db, by=LOCAL_ADMIN)["model-serving"]

    def line() -> str:
        rows = loop_reliability(bank_db, loop_detail(bank_db, loop_id, by=LOCAL_ADMIN), by=LOCAL_ADMIN)
        assert rows[0].now.absolute == pytest.approx(history.at(rows[0].plan.interviewers).absolute)
        return rows[0].text

    assert "1 interviewer (2 stages, one person), reliability" in line()
    add_stage(bank_db, loop_id, name="Serving, nobody yet", focus=["model-serving"], by=LOCAL_ADMIN)
    assert "2 interviewers (3 stages, some share a person), reliability" in line()  # unassigned: one more
    assert "a third interviewer would raise it to" in line()


def test_someone_who_sees_only_their_ratings_is_told_so(bank_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_ratings_csv(bank_db, history_csv(tmp_path), SETTINGS, by=LOCAL_ADMIN)
    loop_id, ann = _loop(bank_db)
    add_stage(bank_db, loop_id, name="Serving", focus=["model-serving"], interviewer_id=ann, by=LOCAL_ADMIN)
    rows = loop_reliability(bank_db, loop_detail(bank_db, loop_id, by=LOCAL_ADMIN), by=ann)
    assert rows[0].basis == "published" and "No ratings you may see yet" in rows[0].text


def test_the_fits_are_kept_until_the_ratings_change(bank_db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fits: list[object] = []
    real = reliability.fit_variance_components
    monkeypatch.setattr(reliability, "fit_variance_components", lambda obs: fits.append(obs) or real(obs))
    reliability._fitted.cache_clear()
    import_ratings_csv(bank_db, history_csv(tmp_path, candidates=8), SETTINGS, by=LOCAL_ADMIN)
    loop_id, ann = _loop(bank_db)
    stage = add_stage(bank_db, loop_id, name="Serving", focus=["model-serving"], interviewer_id=ann, by=LOCAL_ADMIN)
    detail = loop_detail(bank_db, loop_id, by=LOCAL_ADMIN)
    before = loop_reliability(bank_db, detail, by=LOCAL_ADMIN)
    assert len(fits) == 2  # model-serving and ml-system-design, once each
    set_stage_plan(bank_db, stage.id, ["latency-regression"], by=LOCAL_ADMIN)  # an edit: the ratings are the same
    again = loop_reliability(bank_db, loop_detail(bank_db, loop_id, by=LOCAL_ADMIN), by=LOCAL_ADMIN)
    assert len(fits) == 2 and again[0].now == before[0].now
    more = tmp_path / "more.csv"
    more.write_text("candidate,interviewer,competency,score\nc99,ann,model-serving,4\nc99,bob,model-serving,3\n")
    import_ratings_csv(bank_db, more, SETTINGS, by=LOCAL_ADMIN)  # new scorecards: fitted afresh
    after = loop_reliability(bank_db, detail, by=LOCAL_ADMIN)
    assert len(fits) == 4 and after[0].candidates == before[0].candidates + 1
