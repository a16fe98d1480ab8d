"""The bank that ships with the app: valid, and every requirement of both job descriptions assessed by primary
questions or checked by the screen."""

from __future__ import annotations

from collections import Counter

import pytest

from interviewkit.bank.checks import check_bank, loop_coverage, requirement_coverage, variant_groups
from interviewkit.bank.loader import load_bank
from interviewkit.bank.model import Bank
from interviewkit.paths import shipped_bank_dir


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(shipped_bank_dir())


# What the loader may still warn about while the question files are converted to the second edition
# (issue 14); anything else it reports is a defect of the bank.
TRANSITION = ("no evidence checklist yet", "no example answer for level", "missing: a ")


def test_the_shipped_bank_loads_without_errors(bank: Bank) -> None:
    assert [str(p) for p in bank.errors] == []
    assert [str(p) for p in bank.warnings if not p.message.startswith(TRANSITION)] == []


def test_bank_check_finds_no_errors(bank: Bank) -> None:
    # Warnings (loop density, unassessed requirements of a shorter loop) are for the authors to weigh.
    assert [str(p) for p in check_bank(bank) if p.severity == "error"] == []


def test_every_requirement_is_assessed_by_two_primary_questions_or_the_screen(bank: Bank) -> None:
    cov = requirement_coverage(bank)
    assert len(cov) == 83 + 29
    thin = [c.id for c in cov if c.count < 2 and not c.screen]
    assert thin == []


def test_the_bank_has_the_required_mix(bank: Bank) -> None:
    kinds = Counter(q.kind for q in bank.questions)
    assert set(kinds) == {"behavioural", "situational", "technical", "system-design", "work-sample"}
    design = [q for q in bank.questions if q.kind == "system-design" and q.minutes == 45]
    assert len(design) >= 2
    assert kinds["work-sample"] >= 1
    assert 10 <= len(bank.competencies) <= 16


def test_every_question_meets_the_authoring_rules(bank: Bank) -> None:
    for q in bank.questions:
        assert 2 <= len(q.follow_ups) <= 4, q.id
        assert [lv for lv, _ in q.rubric] == [1, 2, 3, 4], q.id
        assert len({a for _, a in q.rubric}) == 4, q.id
        assert q.red_flags, q.id
        assert 1 <= len(q.competencies) <= 3, q.id
        assert q.requirements, q.id
        assert q.minutes >= 5, q.id
        if q.evidence:  # the second edition
            assert 1 <= len(q.requirements) <= 3, q.id
            assert not set(q.related_requirements) & set(q.requirements), q.id
            assert 3 <= len(q.evidence) <= 7, q.id
            assert [lv for lv, _ in q.thresholds] == [2, 3, 4], q.id


def test_the_standard_loop_plans_one_question_per_variant_group_within_its_stages(bank: Bank) -> None:
    standard = next((loop for loop in bank.loops if loop.id == "ml-em-standard"), None)
    if standard is None:
        pytest.skip("no standard loop template yet")
    planned = [q for s in standard.stages for q in s.questions]
    groups = variant_groups(bank)
    assert len({groups[q] for q in planned}) == len(planned)
    by_id = {q.id: q for q in bank.questions}
    for stage in standard.stages:
        assert sum(by_id[q].minutes for q in stage.questions) <= stage.minutes
        assert stage.focus or stage.kind == "screen"
    assert loop_coverage(bank, standard).total == 112


@pytest.mark.xfail(
    strict=True,
    reason="issue 14 is open: the standard loop (5 x 60 min, 12 questions, at most 3 primary links each) assesses "
    "23 requirements by primary links and 8 by the screen; every requirement of both documents counts as a "
    "must-have today, and 81 stay unassessed. Even the best five-stage loop reaches 44 of 104.",
)
def test_the_standard_loop_assesses_every_must_have(bank: Bank) -> None:
    standard = next(loop for loop in bank.loops if loop.id == "ml-em-standard")
    assert loop_coverage(bank, standard).must_haves_unassessed == ()
