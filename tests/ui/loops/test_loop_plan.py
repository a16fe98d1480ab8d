"""services/loop_plan.py, without Qt or a database: what the Loops screen puts into words."""

from __future__ import annotations

from datetime import UTC, datetime

from interviewkit.domain.interview import LoopCoverageResult
from interviewkit.services.loop_plan import (
    loop_figures,
    overruns,
    planned_elsewhere,
    repeats,
    requirement_stages,
    stage_label,
)
from interviewkit.services.loops import LoopCoverage, LoopDetail, PlannedQuestion, StageDetail

T9 = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


def _q(qid: str, minutes: int = 10) -> PlannedQuestion:
    return PlannedQuestion(qid, 1, 1, qid.title(), minutes, "technical", (), False)


def _stage(
    sid: int,
    position: int,
    name: str,
    questions: tuple[str, ...],
    *,
    minutes: int = 45,
    when: datetime | None = None,
    status: str | None = None,
) -> StageDetail:
    return StageDetail(sid, position, name, None, "", when, minutes, (), tuple(_q(q) for q in questions), status)


def _loop() -> tuple[LoopDetail, LoopCoverage]:
    # stage ids are not in position order on purpose: the order is the stages' positions
    stages = (
        _stage(30, 1, "Screen", ("b", "x"), when=T9, status="submitted"),
        _stage(10, 2, "Design", ("a", "b", "c"), minutes=20),
        _stage(20, 3, "People", ("a", "e"), minutes=60),
    )
    detail = LoopDetail(1, "Onsite", 7, "Priya", 3, "ML EM", None, stages)
    result = LoopCoverageResult(
        by_stage={30: ["r1"], 10: ["r1", "r2"], 20: []},
        stages_of={"r1": [10, 30], "r2": [10]},
        unassessed=["r3"],
        repeated={"a": [20, 10], "b": [10, 30]},  # a is listed first, b planned first
        overrun={10: 30},
        total=3,
    )
    return detail, LoopCoverage(result, {"r1": "One", "r2": "Two", "r3": "Three"}, {}, {"a": "Question A"})


def test_overruns_and_repeats_in_stage_order() -> None:
    detail, coverage = _loop()
    (over,) = overruns(coverage, detail)
    assert (over.stage_id, over.label, over.planned, over.minutes, over.over) == (10, "2. Design", 30, 20, 10)
    found = repeats(coverage, detail)
    assert [(r.question_id, r.labels, r.first_stage_id) for r in found] == [
        ("b", ("1. Screen", "2. Design"), 30),
        ("a", ("2. Design", "3. People"), 10),
    ]
    assert found[1].title == "Question A" and found[0].title == "b"  # the id when the title is unknown


def test_where_questions_and_requirements_are_planned() -> None:
    detail, coverage = _loop()
    assert planned_elsewhere(detail, 10) == {
        "b": ["1. Screen"],
        "x": ["1. Screen"],
        "a": ["3. People"],
        "e": ["3. People"],
    }
    assert requirement_stages(coverage, detail, "r1") == ["1. Screen", "2. Design"]
    assert requirement_stages(coverage, detail, "r3") == []
    assert stage_label(detail.stages[2]) == "3. People"


def test_the_loop_at_a_glance() -> None:
    detail, _coverage = _loop()
    figures = loop_figures(detail)
    assert (figures.stages, figures.minutes, figures.submitted, figures.first_at) == (3, 125, 1, T9)
