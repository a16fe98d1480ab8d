"""The loader's messages, each with its file, line and field: a question's header, lists and format; a job
description's bullets; a loop template, its stages, their focus and questions. One test per check that
no other test names, so that the wording and place of every problem stay as users and tools read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.bank.jd import JDError, parse_jd_text
from interviewkit.bank.loader import load_bank, parse_question_text
from interviewkit.bank.model import MAX_ID, MAX_LABEL, MAX_PATH, BankSettings, Problem
from tests.conftest import QUESTION, write_question

PROBE = QUESTION.format(qid="probe", title="A probe", prompt="Tell me about it.")
REQUIREMENTS = (
    "requirements:\n"
    "  - ml-eng-manager-profile.production-ml-systems.05\n"
    "  - ml-lead-lisbon-ad.ml-engineering-manager.05\n"
)


def _problems_of(bank_root: Path, rel: str) -> list[str]:
    return [str(p) for p in load_bank(bank_root).problems if p.path == rel]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("id: probe", "id: Probe_1", ":2: error: id: must be a kebab-case id such as 'serving-latency-regression'"),
        (
            "id: probe",
            "id: " + "a" * (MAX_ID + 1),
            f":2: error: id: is {MAX_ID + 1} characters long; at most {MAX_ID} are allowed",
        ),
        ("minutes: 10\n", "", ":2: error: minutes: missing field"),
        (
            "[model-serving]",
            "[model-serving, cloud-infra, mlops-cicd, ml-fundamentals]",
            ":4: error: competencies: needs 1 to 3 competencies, has 4",
        ),
        (
            "level: manager",
            "level: wizard",
            ":9: error: level: must be one of senior, lead, manager, senior-manager (got 'wizard')",
        ),
        (
            REQUIREMENTS,
            "requirements: []\n",
            (
                ":5: error: requirements: has 0 primary requirements; a question is built for 1 to 3 (move the "
                "others to related_requirements)"
            ),
        ),
        (
            "  - ml-lead-lisbon-ad.ml-engineering-manager.05\n",
            "  - ml-lead-lisbon-ad.ml-engineering-manager.05\n  - ml-lead-lisbon-ad.ml-engineering-manager.05\n",
            ":5: warning: requirements: lists a requirement twice",
        ),
        ("  - What did you change afterwards?\n", "", ":11: warning: follow_ups: has 1 probes; 2 to 4 are expected"),
    ],
)
def test_each_check_of_a_question_names_its_line_and_field(mini_bank: Path, old: str, new: str, expected: str) -> None:
    assert old in PROBE
    write_question(mini_bank, "probe", text=PROBE.replace(old, new))
    assert _problems_of(mini_bank, "questions/serving/probe.md") == ["questions/serving/probe.md" + expected]
    loaded = {q.id for q in load_bank(mini_bank).questions}
    assert ("probe" in loaded) == (": warning: " in expected)  # a warning does not stop the question


def test_front_matter_that_is_not_a_mapping_is_an_error_on_its_first_line(mini_bank: Path) -> None:
    write_question(mini_bank, "probe", text="---\n- id: probe\n---\nTell me about it.\n")
    assert _problems_of(mini_bank, "questions/serving/probe.md") == [
        "questions/serving/probe.md:2: error: the front matter must be a mapping of fields"
    ]


def test_a_path_longer_than_the_limit_is_shown_cut(mini_bank: Path) -> None:
    folder = "questions/" + "/".join(["d" * 200] * 3)
    write_question(mini_bank, "probe", folder=folder, text=PROBE)
    rel = f"{folder}/probe.md"
    assert [str(p) for p in load_bank(mini_bank).problems] == [
        f"{rel[:MAX_PATH]}...: error: the file's path is longer than {MAX_PATH} characters"
    ]


def test_without_levels_in_the_bank_a_level_is_any_short_text() -> None:
    problems: list[Problem] = []
    settings = BankSettings()
    assert settings.levels == ()
    ok = parse_question_text(
        PROBE.replace("level: manager", "level: wizard"),
        "probe.md",
        settings=settings,
        competencies=None,
        requirements=None,
        problems=problems,
    )
    assert problems == [] and ok is not None and ok.level == "wizard"
    long_level = "w" * (MAX_LABEL + 1)
    bad = parse_question_text(
        PROBE.replace("level: manager", f"level: {long_level}"),
        "probe.md",
        settings=settings,
        competencies=None,
        requirements=None,
        problems=problems,
    )
    assert bad is None
    assert [str(p) for p in problems] == [
        f"probe.md:9: error: level: is {MAX_LABEL + 1:,} characters long; at most {MAX_LABEL} are allowed"
    ]


# --- job descriptions ------------------------------------------------------------------------------------


def test_a_blank_job_description_is_empty() -> None:
    with pytest.raises(JDError, match=r"^the document is empty$"):
        parse_jd_text(" \n\t\n", "doc")


def test_a_rule_ends_a_bullet_and_a_bullet_without_text_is_not_a_requirement() -> None:
    jd = parse_jd_text("# Role\n## Skills\n- one\n  more\n- ;\n- two\n---\n  not a continuation\n", "doc")
    assert [(r.id, r.text) for r in jd.requirements] == [("doc.skills.01", "one more"), ("doc.skills.02", "two")]


# --- loop templates ----------------------------------------------------------------------------------------

BROKEN_LOOP = """\
id: broken-loop
name: Broken loop
job_descriptions: [ml-lead-lisbon-ad, no-such-jd]
stages:
  - just a name
  - minutes: 3
    focus: nothing
    questions: latency-regression
  - name: Serving
    minutes: 30
    focus: [model-serving, wizardry]
    questions: [latency-regression, no-such-question, broken-question]
  - name: Again
    minutes: 30
    questions: [latency-regression]
"""


def test_every_problem_of_a_loop_template_is_reported_in_order(mini_bank: Path) -> None:
    write_question(
        mini_bank,
        "broken-question",
        text=PROBE.replace("id: probe", "id: broken-question").replace("kind: behavioural", "kind: chat"),
    )
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "broken.yaml").write_text(BROKEN_LOOP, encoding="utf-8")
    bank = load_bank(mini_bank)
    assert bank.loops == []
    at = "loops/broken.yaml:"
    assert _problems_of(mini_bank, "loops/broken.yaml") == [
        at + "3: error: job_descriptions: unknown job description 'no-such-jd'",
        at + "5: error: stages: stage 1 must be a mapping",
        at + "6: error: name: stage 2 needs a name of at most 300 characters",
        at + "6: error: minutes: stage 'Stage 2': minutes must be a whole number from 5 to 480",
        at + "7: error: focus: stage 'Stage 2' needs focus competencies",
        at + "8: error: questions: stage 'Stage 2': questions must be a list of ids",
        at + "11: error: focus: stage 'Serving': unknown competency 'wizardry'",
        at + "12: error: questions: stage 'Serving': unknown question 'no-such-question'",
        at + "12: error: questions: stage 'Serving': question 'broken-question' has errors of its own",
        at + "13: error: focus: stage 'Again' needs focus competencies",
        at + "15: error: questions: question 'latency-regression' is planned twice (also in stage 'Serving')",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- id: x\n", ["1: error: a loop template must be a mapping"]),
        (
            "id: Not An Id\nname: ''\njob_descriptions: ml-lead-lisbon-ad\nstages: []\n",
            [
                f"1: error: id: needs a kebab-case id of at most {MAX_ID} characters",
                "2: error: name: missing, empty or longer than 300 characters",
                "3: error: job_descriptions: must be a list of job-description ids",
                "4: error: stages: needs a list of stages",
            ],
        ),
    ],
)
def test_a_loop_template_needs_a_mapping_an_id_a_name_and_stages(
    mini_bank: Path, text: str, expected: list[str]
) -> None:
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "bad.yaml").write_text(text, encoding="utf-8")
    assert _problems_of(mini_bank, "loops/bad.yaml") == ["loops/bad.yaml:" + e for e in expected]


def test_a_second_template_with_the_same_id_is_refused_and_the_first_kept(mini_bank: Path) -> None:
    loop = "id: mini-loop\nname: {name}\nstages:\n  - name: S\n    minutes: 30\n    focus: [model-serving]\n"
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "a.yaml").write_text(loop.format(name="First"), encoding="utf-8")
    (mini_bank / "loops" / "b.yaml").write_text(loop.format(name="Second"), encoding="utf-8")
    bank = load_bank(mini_bank)
    assert [(t.id, t.name, t.path) for t in bank.loops] == [("mini-loop", "First", "loops/a.yaml")]
    assert _problems_of(mini_bank, "loops/b.yaml") == ["loops/b.yaml:1: error: id: duplicate loop id 'mini-loop'"]


def test_a_loop_template_that_is_not_yaml_is_reported_and_skipped(mini_bank: Path) -> None:
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "bad.yaml").write_text("id: mini-loop\nname: [Mini\n", encoding="utf-8")
    bank = load_bank(mini_bank)
    (problem,) = [p for p in bank.problems if p.path == "loops/bad.yaml"]
    assert (problem.severity, problem.field) == ("error", "")
    assert problem.message.startswith("bad YAML: ")  # the parser's own words follow
    assert bank.loops == []
