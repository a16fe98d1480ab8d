"""Bank-wide checks: coverage, near-duplicates, loop templates."""

from __future__ import annotations

from pathlib import Path

from interviewkit.bank.checks import check_bank, loop_coverage, near_duplicates, requirement_coverage
from interviewkit.bank.loader import load_bank
from tests.conftest import write_question

LOOP = """id: mini-loop
name: Mini loop
job_descriptions: [ml-lead-lisbon-ad]
stages:
  - name: Serving
    minutes: {minutes}
    focus: [model-serving]
    questions: [latency-regression, gpu-cost-cut]
  - name: Monitoring
    minutes: 30
    focus: [monitoring-drift]
    questions: [{second}]
"""


def test_requirement_coverage_counts_questions(mini_bank: Path) -> None:
    cov = {c.id: c for c in requirement_coverage(load_bank(mini_bank))}
    assert len(cov) == 112
    assert cov["ml-eng-manager-profile.production-ml-systems.05"].count == 3
    assert cov["ml-eng-manager-profile.technical-expertise.01"].count == 0


def test_under_covered_requirements_are_errors(mini_bank: Path) -> None:
    problems = check_bank(load_bank(mini_bank))
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 110  # every requirement but the two the mini bank's questions cover
    assert any(
        p.field == "ml-eng-manager-profile.technical-expertise.01" and "covered by 0 question(s)" in p.message
        for p in errors
    )


def test_near_duplicate_prompts_are_flagged_and_distinct_ones_are_not(mini_bank: Path) -> None:
    write_question(
        mini_bank,
        "latency-regression-again",
        title="A latency regression",
        prompt="Tell me about a time a model API you were responsible for got slower after a release.",
    )
    bank = load_bank(mini_bank)
    pairs = {frozenset((a.id, b.id)) for a, b, _ in near_duplicates(bank)}
    assert pairs == {frozenset(("latency-regression", "latency-regression-again"))}
    warnings = [p for p in check_bank(bank) if p.severity == "warning"]
    assert len(warnings) == 1
    assert "nearly the same as 'latency-regression" in warnings[0].message


def test_loop_template_problems(mini_bank: Path) -> None:
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "mini-loop.yaml").write_text(LOOP.format(minutes=15, second="latency-regression"))
    messages = [str(p) for p in load_bank(mini_bank).problems]
    assert any(
        "plans 20 minutes of questions but lasts 15" in m and m.startswith("loops/mini-loop.yaml:6") for m in messages
    )
    assert any("'latency-regression' is planned twice" in m for m in messages)


def test_loop_coverage_is_reported(mini_bank: Path) -> None:
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "mini-loop.yaml").write_text(LOOP.format(minutes=25, second="drift-incident"))
    bank = load_bank(mini_bank)
    assert bank.problems == []
    (loop,) = bank.loops
    lc = loop_coverage(bank, loop)
    assert lc.total == 29
    assert set(lc.covered) == {"ml-lead-lisbon-ad.ml-engineering-manager.05"}
    assert lc.covered["ml-lead-lisbon-ad.ml-engineering-manager.05"] == ("Serving", "Monitoring")
    warning = next(p for p in check_bank(bank) if p.path == "loops/mini-loop.yaml")
    assert "assesses 1 of 29 requirements" in warning.message
