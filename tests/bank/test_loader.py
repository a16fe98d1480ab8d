"""The bank loader reports every problem at once, with file:line and field, and loads the valid part."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

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
    write_question(
        mini_bank,
        "bad-yaml",
        text=good.replace("id: x", "id: bad-yaml").replace("kind: behavioural", "kind: [behavioural"),
    )
    write_question(
        mini_bank, "empty-prompt", text=good.replace("id: x", "id: empty-prompt").replace("\np\n", "\n   \n")
    )
    write_question(mini_bank, "latency-regression", folder="questions/copy")  # duplicate id
    problems = _problems(mini_bank)
    text = "\n".join(problems)
    assert "questions/serving/unknown-comp.md:4: error: competencies: unknown competency 'wizardry'" in text
    assert (
        "questions/serving/unknown-req.md:7: error: requirements: unknown requirement 'ml-lead-lisbon-ad.nope.99'"
        in text
    )
    assert "questions/serving/missing-level.md:14: error: rubric: missing rubric level 3" in text
    assert any(p.startswith("questions/serving/bad-yaml.md:") and "bad YAML" in p for p in problems)
    assert "questions/serving/empty-prompt.md:30: error: prompt: empty prompt" in text
    assert (
        "questions/serving/latency-regression.md:2: error: id: duplicate id 'latency-regression' "
        "(also in questions/copy/latency-regression.md)"
        in text
    )
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
    extra = QUESTION.format(qid="extra", title="t", prompt="p").replace(
        "level: manager", "level: manager\ncolour: blue"
    )
    write_question(mini_bank, "extra", text=extra)
    problems = load_bank(mini_bank).problems
    assert any(p.path.endswith("plain.md") and p.line == 1 and "front matter" in p.message for p in problems)
    warning = next(p for p in problems if p.path.endswith("extra.md"))
    assert (warning.severity, warning.field) == ("warning", "colour")
    assert "extra" in {q.id for q in load_bank(mini_bank).questions}


def test_broken_competencies_file_is_reported(mini_bank: Path) -> None:
    (mini_bank / "competencies.yaml").write_text(
        "- id: a\n  name: A\n- id: a\n  name: B\n  description: d\n  strong_evidence: s\n"
    )
    messages = [str(p) for p in load_bank(mini_bank).problems]
    assert any("competencies.yaml:1" in m and "description" in m for m in messages)
    assert any("competencies.yaml:3" in m and "duplicate id 'a'" in m for m in messages) or any(
        "competencies.yaml" in m and "description" in m for m in messages
    )


def test_a_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    bank = load_bank(tmp_path / "nowhere")
    assert bank.questions == []
    assert "no such folder" in str(bank.problems[0])


def _only(bank_root: Path, name: str) -> list[str]:
    return [str(p) for p in load_bank(bank_root).problems if name in p.path]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("1.5", "1.5 is not a level of the scale: levels are whole numbers from 1 to 4"),
        (".inf", "inf is not a level of the scale"),
        (".nan", "nan is not a level of the scale"),
        ("-.inf", "-inf is not a level of the scale"),
        ("'²'", "'²' is not a level of the scale"),
        ("false", "False is not a level of the scale"),
        ("[1, 2]", "a list of 2 items is not a level of the scale"),
        ("100000000000000000000000000000", "level a number too large to show is outside the scale 1..4"),
        ("7", "level 7 is outside the scale 1..4"),
    ],
)
def test_a_rubric_key_must_be_a_whole_number_of_the_scale(mini_bank: Path, key: str, expected: str) -> None:
    text = QUESTION.format(qid="keys", title="t", prompt="p").replace(
        "  4: As 3,", f"  {key}: x\n  4: As 3," if not key.startswith("[") else f"  ? {key}\n  : x\n  4: As 3,"
    )
    write_question(mini_bank, "keys", text=text)
    (problem,) = _only(mini_bank, "keys.md")
    assert problem.startswith("questions/serving/keys.md:") and ": error: rubric: " in problem
    assert expected in problem
    assert "keys" not in {q.id for q in load_bank(mini_bank).questions}


def test_a_level_written_as_1_point_5_is_no_longer_level_1(mini_bank: Path) -> None:
    text = QUESTION.format(qid="half", title="t", prompt="p").replace("  1: Cannot", "  1.5: Cannot")
    write_question(mini_bank, "half", text=text)
    problems = _only(mini_bank, "half.md")
    assert problems == [
        (
            "questions/serving/half.md:15: error: rubric: 1.5 is not a level of the scale: levels are "
            "whole numbers from 1 to 4"
        )
    ]  # before: read as level 1 without a word


@pytest.mark.parametrize(
    "scale",
    [
        "{min: 1, max: .inf}",
        "{min: -.inf, max: 4}",
        "{min: 1, max: 1e400}",
        "{min: 1.5, max: 4}",
        "{min: 1, max: 99999999999999999999999}",
        "{min: 1, max: 4, labels: {.inf: x}}",
        "{min: 1, max: 4, labels: {1.5: x}}",
        "{min: 1, max: 4, labels: [a, b]}",
        "[1, 4]",
    ],
)
def test_a_scale_that_is_not_small_whole_numbers_is_an_error_not_a_crash(mini_bank: Path, scale: str) -> None:
    (mini_bank / "bank.yaml").write_text(f"name: Bank\nscale: {scale}\n")
    bank = load_bank(mini_bank)
    (problem,) = [str(p) for p in bank.problems if p.path == "bank.yaml"]
    assert problem.startswith("bank.yaml:2: error: scale: ")
    assert bank.settings.scale.levels == (1, 2, 3, 4)  # the default stays


def test_numbers_of_thousands_of_digits_are_errors_not_a_crash(mini_bank: Path) -> None:
    # Python will not turn an integer of more than 4,300 digits into text: nothing may try.
    huge = "9" * 5000
    text = (QUESTION.format(qid="digits", title="t", prompt="p").replace("minutes: 10", f"minutes: {huge}")
            .replace("title: t", f"title: {huge}").replace("kind: behavioural", f"kind: {huge}")
            .replace("  - Blames another team", f"  - {huge}"))
    write_question(mini_bank, "digits", text=text)
    problems = _only(mini_bank, "digits.md")
    assert problems == [
        "questions/serving/digits.md:3: error: title: must not be empty",
        (
            "questions/serving/digits.md:8: error: kind: must be one of behavioural, technical, system-design, "
            "situational, work-sample (got a number too large to show)"
        ),
        "questions/serving/digits.md:10: error: minutes: must be a whole number of minutes from 1 to 240",
        "questions/serving/digits.md:20: error: red_flags: item 1 is empty or not text",
    ]


def test_twenty_thousand_unknown_fields_are_summed_up_quickly(mini_bank: Path) -> None:
    extra = "".join(f"field_{i}: {i}\n" for i in range(20_000))
    text = QUESTION.format(qid="wide", title="t", prompt="p").replace("level: manager\n", "level: manager\n" + extra)
    write_question(mini_bank, "wide", text=text)
    started = time.perf_counter()
    problems = _only(mini_bank, "wide.md")
    assert time.perf_counter() - started < 5  # 24 s before (generous: a shared machine)
    assert problems[:2] == [
        "questions/serving/wide.md:10: warning: field_0: unknown field (ignored)",
        "questions/serving/wide.md:11: warning: field_1: unknown field (ignored)",
    ]
    assert problems[5] == "questions/serving/wide.md:15: warning: and 19,995 more unknown fields (ignored)"
    assert len(problems) == 6


def test_many_unknown_ids_in_a_list_are_summed_up(mini_bank: Path) -> None:
    reqs = "".join(f"  - nope.{i}\n" for i in range(10_000))
    text = QUESTION.format(qid="reqs", title="t", prompt="p").replace("requirements:\n", "requirements:\n" + reqs)
    write_question(mini_bank, "reqs", text=text)
    problems = _only(mini_bank, "reqs.md")
    assert len(problems) == 6 and problems[-1].endswith("requirements: and 9,996 more problems like these")


def test_the_id_is_the_file_name(mini_bank: Path) -> None:
    text = QUESTION.format(qid="gpu-cost-cut", title="t", prompt="p")
    write_question(mini_bank, "other-name", text=text)
    (problem,) = _only(mini_bank, "other-name.md")
    assert problem == ("questions/serving/other-name.md:2: error: id: 'gpu-cost-cut' does not match the file name "
                       "'other-name.md': a question's id is its file name without .md")


def test_a_competency_listed_twice_is_an_error(mini_bank: Path) -> None:
    text = QUESTION.format(qid="twice", title="t", prompt="p").replace(
        "[model-serving]", "[model-serving, model-serving]"
    )
    write_question(mini_bank, "twice", text=text)
    assert _only(mini_bank, "twice.md") == [
        "questions/serving/twice.md:4: error: competencies: lists competency 'model-serving' twice"
    ]


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("title: t", "title: " + "x" * 301), "title: is 301 characters long; at most 300 are allowed"),
        (("title: t", 'title: "a\\0b"'), "title: must not be empty"),
        (("kind: behavioural", "kind: " + "x" * 500), "kind: must be one of"),
    ],
)
def test_texts_the_database_cannot_keep_are_errors(mini_bank: Path, replace: tuple[str, str], expected: str) -> None:
    write_question(mini_bank, "texts", text=QUESTION.format(qid="texts", title="t", prompt="p").replace(*replace))
    (problem,) = _only(mini_bank, "texts.md")
    assert expected in problem and len(problem) < 300


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and byte file names are POSIX")
def test_file_system_oddities_are_problems_of_their_files(mini_bank: Path, tmp_path: Path) -> None:
    questions = mini_bank / "questions" / "serving"
    os.mkfifo(questions / "fifo.md")
    (questions / "dangling.md").symlink_to(questions / "gone.md")
    (questions / "loop.md").symlink_to(questions / "loop.md")
    (questions / "out.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "elsewhere.md").write_text("x")
    (questions / os.fsdecode(b"caf\xe9.md")).write_text("x")
    os.mkfifo(mini_bank / "job_descriptions" / "fifo.md")
    (mini_bank / "bank.yaml").unlink()
    (mini_bank / "bank.yaml").symlink_to("/dev/zero")
    problems = [str(p) for p in load_bank(mini_bank).problems]
    assert problems == [
        "bank.yaml: error: is a symbolic link to /dev/zero, outside the bank folder",
        "job_descriptions/fifo.md: error: is a named pipe (FIFO), not a regular file",
        "questions/serving/caf\\xe9.md: error: not read: its name is not UTF-8 text; rename it",
        "questions/serving/dangling.md: error: is a symbolic link to nothing (its target does not exist)",
        "questions/serving/fifo.md: error: is a named pipe (FIFO), not a regular file",
        "questions/serving/loop.md: error: is a symbolic link that loops back on itself",
        f"questions/serving/out.md: error: is a symbolic link to {tmp_path / 'elsewhere.md'}, outside the bank folder",
    ]
    assert len(load_bank(mini_bank).questions) == 3


def test_a_question_file_over_1_mb_is_refused(mini_bank: Path) -> None:
    write_question(mini_bank, "huge", prompt="x" * (1024 * 1024))
    (problem,) = _only(mini_bank, "huge.md")
    assert problem.startswith("questions/serving/huge.md: error: is 1,04")
    assert problem.endswith(" bytes; a question file may be at most 1,048,576 bytes")


def test_a_missing_questions_folder_is_an_error_not_an_empty_bank(mini_bank: Path) -> None:
    import shutil

    shutil.rmtree(mini_bank / "questions")
    assert "questions/: error: missing: a bank keeps its questions in this folder" in _only(mini_bank, "questions")
    (mini_bank / "questions").write_text("not a folder")
    assert _only(mini_bank, "questions") == ["questions: error: is not a folder"]
