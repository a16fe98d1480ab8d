"""The bank loader reports every problem at once, with file:line and field, and loads the valid part."""

from __future__ import annotations

from pathlib import Path

from interviewkit.bank.loader import load_bank
from tests.conftest import QUESTION, write_question


def _problems(bank_root: Path) -> list[str]:
    return [str(p) for p in load_bank(bank_root).problems]


def test_a_valid_bank_loads_without_problems(mini_bank: Path) -> None:
    bank = load_bank(mini_bank)
    assert bank.problems == []
    assert sorted(q.id for q in bank.questions) == ["drift-incident", "gpu-cost-cut", "latency-regression"]
    q = bank.question("latency-regression")
    assert q is not None
    assert q.rubric[2] == (3, "Gives p99 before and after and the cause found by profiling.")
    assert q.path == "questions/serving/latency-regression.md"
    assert len(bank.competencies) == 15
    assert bank.settings.recommendations == ("Strong no", "No", "Yes", "Strong yes")
    assert bank.settings.scale.levels == (1, 2, 3, 4)


def test_every_problem_is_reported_at_once_with_file_line_and_field(mini_bank: Path) -> None:
    good = QUESTION.format(qid="x", title="t", prompt="p")
    write_question(mini_bank, "unknown-comp", text=good.replace("id: x", "id: unknown-comp")
                   .replace("[model-serving]", "[model-serving, wizardry]"))
    write_question(mini_bank, "unknown-req", text=good.replace("id: x", "id: unknown-req")
                   .replace("ml-lead-lisbon-ad.ml-engineering-manager.05", "ml-lead-lisbon-ad.nope.99"))
    write_question(mini_bank, "missing-level", text=good.replace("id: x", "id: missing-level")
                   .replace("  3: Gives p99 before and after and the cause found by profiling.\n", ""))
    write_question(mini_bank, "bad-yaml", text=good.replace("id: x", "id: bad-yaml").replace("kind: behavioural", "kind: [behavioural"))
    write_question(mini_bank, "empty-prompt", text=good.replace("id: x", "id: empty-prompt").replace("\np\n", "\n   \n"))
    write_question(mini_bank, "latency-regression", folder="questions/copy")  # duplicate id
    problems = _problems(mini_bank)
    text = "\n".join(problems)
    assert "questions/serving/unknown-comp.md:4: error: competencies: unknown competency 'wizardry'" in text
    assert "questions/serving/unknown-req.md:7: error: requirements: unknown requirement 'ml-lead-lisbon-ad.nope.99'" in text
    assert "questions/serving/missing-level.md:14: error: rubric: missing rubric level 3" in text
    assert any(p.startswith("questions/serving/bad-yaml.md:") and "bad YAML" in p for p in problems)
    assert "questions/serving/empty-prompt.md:22: error: prompt: empty prompt" in text
    assert "questions/serving/latency-regression.md:2: error: id: duplicate id 'latency-regression' (also in questions/copy/latency-regression.md)" in text
    # The valid part still loads, and each broken file is known so a sync keeps its question.
    bank = load_bank(mini_bank)
    assert sorted(q.id for q in bank.questions) == ["drift-incident", "gpu-cost-cut", "latency-regression"]
    assert len(bank.unloaded) == 6


def test_bad_yaml_names_the_line_of_the_error(mini_bank: Path) -> None:
    text = QUESTION.format(qid="broken", title="t", prompt="p").replace("minutes: 10", "minutes: : 10")
    write_question(mini_bank, "broken", text=text)
    (problem,) = load_bank(mini_bank).problems
    assert problem.path == "questions/serving/broken.md"
    assert problem.line == 10  # the line of 'minutes' in the file
    assert "bad YAML" in problem.message


def test_identical_rubric_anchors_are_an_error(mini_bank: Path) -> None:
    text = QUESTION.format(qid="same", title="t", prompt="p").replace(
        "Names a regression but not its cause.", "Cannot name a concrete regression."
    )
    write_question(mini_bank, "same", text=text)
    (problem,) = load_bank(mini_bank).problems
    assert problem.field == "rubric"
    assert "levels 1 and 2 are the same" in problem.message


def test_yaml_booleans_and_wrong_types_are_explained(mini_bank: Path) -> None:
    text = (
        QUESTION.format(qid="types", title="t", prompt="p")
        .replace("minutes: 10", "minutes: ten")
        .replace("kind: behavioural", "kind: chat")
        .replace("- Blames another team", "- true")
    )
    write_question(mini_bank, "types", text=text)
    messages = {p.field: p.message for p in load_bank(mini_bank).problems}
    assert "whole number" in messages["minutes"]
    assert "must be one of" in messages["kind"]
    assert "quote" in messages["red_flags"]


def test_missing_front_matter_and_unknown_fields(mini_bank: Path) -> None:
    write_question(mini_bank, "plain", text="Just a prompt with no front matter.\n")
    extra = QUESTION.format(qid="extra", title="t", prompt="p").replace("level: manager", "level: manager\ncolour: blue")
    write_question(mini_bank, "extra", text=extra)
    problems = load_bank(mini_bank).problems
    assert any(p.path.endswith("plain.md") and p.line == 1 and "front matter" in p.message for p in problems)
    warning = next(p for p in problems if p.path.endswith("extra.md"))
    assert (warning.severity, warning.field) == ("warning", "colour")
    assert "extra" in {q.id for q in load_bank(mini_bank).questions}


def test_broken_competencies_file_is_reported(mini_bank: Path) -> None:
    (mini_bank / "competencies.yaml").write_text("- id: a\n  name: A\n- id: a\n  name: B\n  description: d\n  strong_evidence: s\n")
    messages = [str(p) for p in load_bank(mini_bank).problems]
    assert any("competencies.yaml:1" in m and "description" in m for m in messages)
    assert any("competencies.yaml:3" in m and "duplicate id 'a'" in m for m in messages) or any(
        "competencies.yaml" in m and "description" in m for m in messages
    )


def test_a_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    bank = load_bank(tmp_path / "nowhere")
    assert bank.questions == []
    assert "no such folder" in str(bank.problems[0])
