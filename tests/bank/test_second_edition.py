"""The bank's second edition (issue 14, docs/bank-format.md): primary and related requirements, evidence
checklists with thresholds, example answers, scope, variant groups, screening.yaml and screen stages.
Each problem is checked with its file, line and field, as ``bank check`` prints it."""

from __future__ import annotations

from pathlib import Path

import pytest

from interviewkit.bank.loader import load_bank
from interviewkit.bank.model import Bank
from interviewkit.domain.evidence import suggested_level
from tests.conftest import QUESTION, write_question

PROBE = QUESTION.format(qid="probe", title="A probe", prompt="Tell me about the probe.")
PATH = "questions/serving/probe.md"
P05 = "ml-eng-manager-profile.production-ml-systems.05"
L05 = "ml-lead-lisbon-ad.ml-engineering-manager.05"
FIRST_EDITION = PROBE[: PROBE.index("evidence:")] + "---\nTell me about the probe.\n"
THRESHOLDS = "thresholds:\n  2: any 1\n  3: 1, 2\n  4: all\n"


def _load(bank_root: Path, text: str) -> tuple[Bank, list[str]]:
    write_question(bank_root, "probe", text=text)
    bank = load_bank(bank_root)
    return bank, [str(p) for p in bank.problems if p.path == PATH]


def _with(old: str, new: str, text: str = PROBE) -> str:
    assert old in text, old
    return text.replace(old, new)


def test_a_second_edition_question_loads_with_its_checklist(mini_bank: Path) -> None:
    text = _with(
        "---\nTell me",
        "related_requirements:\n  - ml-eng-manager-profile.infrastructure-operations.03\n"
        "examples:\n  2: >-\n    We saw p99 go from 40 to 90 ms.\n    I did not find out why.\n"
        "  4: We profiled, found the tokenizer, and added a latency gate to the release.\n"
        "scope: Team of 6, one tech lead.\n---\nTell me",
    )
    bank, problems = _load(mini_bank, text)
    assert problems == []
    q = bank.question("probe")
    assert q is not None
    assert q.requirements == (P05, L05)
    assert q.related_requirements == ("ml-eng-manager-profile.infrastructure-operations.03",)
    assert q.evidence[0] == "Names a concrete regression with p99 before and after"
    assert [(lv, r.text) for lv, r in q.thresholds] == [(2, "any 1"), (3, "1, 2"), (4, "all")]
    assert q.example(2) == "We saw p99 go from 40 to 90 ms. I did not find out why."
    assert q.scope == "Team of 6, one tech lead."
    assert suggested_level(q.thresholds, {1, 2}, 1) == 3
    content = q.content()
    assert content["thresholds"] == {"2": "any 1", "3": "1, 2", "4": "all"}
    assert content["related_requirements"] == ["ml-eng-manager-profile.infrastructure-operations.03"]


def test_a_first_edition_question_still_loads_with_one_warning(mini_bank: Path) -> None:
    many = "requirements:\n" + "".join(f"  - ml-eng-manager-profile.production-ml-systems.0{i}\n" for i in range(1, 6))
    text = _with("requirements:\n  - " + P05 + "\n  - " + L05 + "\n", many, FIRST_EDITION)
    bank, problems = _load(mini_bank, text)
    assert problems == [
        (
            f"{PATH}:2: warning: evidence: no evidence checklist yet: add evidence and thresholds; then cut its 5 "
            "requirements to 1 to 3 primary ones"
        )
    ]
    q = bank.question("probe")
    assert q is not None and len(q.requirements) == 5 and q.evidence == () and q.thresholds == ()
    # Its content (and so its version) is what the first edition made of it: no new keys.
    assert set(q.content()) == {
        "id",
        "title",
        "competencies",
        "requirements",
        "kind",
        "level",
        "minutes",
        "follow_ups",
        "rubric",
        "red_flags",
        "prompt",
    }


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            f"  - {L05}\n",
            (
                f"  - {L05}\n  - ml-eng-manager-profile.production-ml-systems.01\n"
                "  - ml-eng-manager-profile.production-ml-systems.02\n"
            ),
            (
                ":5: error: requirements: has 4 primary requirements; a question is built for 1 to 3 (move the others "
                "to related_requirements)"
            ),
        ),
        (
            f"requirements:\n  - {P05}\n  - {L05}\n",
            "requirements: []\n",
            (
                ":5: error: requirements: has 0 primary requirements; a question is built for 1 to 3 (move the "
                "others to related_requirements)"
            ),
        ),
        (
            "---\nTell",
            f"related_requirements:\n  - ml-eng-manager-profile.production-ml-systems.01\n  - {L05}\n---\nTell",
            f":31: error: related_requirements: '{L05}' is a primary requirement already (requirements)",
        ),
        (
            "---\nTell",
            "related_requirements: [nope.01]\n---\nTell",
            ":29: error: related_requirements: unknown requirement 'nope.01'",
        ),
        (
            "  - Changed the release process so that it cannot recur silently\n",
            "",
            ":21: error: evidence: needs 3 to 7 evidence items, has 2",
        ),
        (
            "  - Changed the release process so that it cannot recur silently\n",
            "".join(f"  - Item {i}\n" for i in range(6)),
            ":21: error: evidence: needs 3 to 7 evidence items, has 8",
        ),
        (
            "  - Changed the release process so that it cannot recur silently\n",
            "  - names a concrete regression with p99 before and after\n",
            ":24: error: evidence: items 1 and 3 are the same",
        ),
        ("  3: 1, 2\n", "  3: 1 or 2\n", ":27: error: thresholds: level 3: '1 or 2' is not a term"),
        (
            "  4: all\n",
            "  4: 1-4\n",
            ":28: error: thresholds: level 4: item 4 does not exist: the checklist has items 1 to 3",
        ),
        ("  4: all\n", "", ":25: error: thresholds: no rule for level 4"),
        (
            "  2: any 1\n",
            "  1: any 1\n  2: any 1\n",
            ":26: error: thresholds: level 1 is the lowest: it needs no rule (no rule met rates 1)",
        ),
        ("  2: any 1\n", "  2: any 1\n  9: all\n", ":27: error: thresholds: level 9 is outside the scale 1..4"),
        ("  2: any 1\n", "  two: any 1\n", ":26: error: thresholds: 'two' is not a level of the scale"),
        (
            "  2: any 1\n  3: 1, 2\n",
            "  2: any 2\n  3: any 1 of 1, 2\n",
            (
                ":27: error: thresholds: level 3 ('any 1 of 1, 2') can be met with 1 ticked item(s) but level 2 "
                "('any 2') needs 2: a higher level needs at least as many"
            ),
        ),
        ("  3: 1, 2\n", "  3: ''\n", ":27: error: thresholds: the rule of level 3 is empty or not text"),
        (
            THRESHOLDS,
            "",
            ":2: error: thresholds: missing: every level above the lowest needs a rule of ticked evidence items",
        ),
        (
            (
                "evidence:\n  - Names a concrete regression with p99 before and after\n"
                "  - Names the cause and how it was found (profiling, traces)\n"
                "  - Changed the release process so that it cannot recur silently\n"
            ),
            "",
            ":21: error: thresholds: the rules need an evidence checklist to count items of (evidence)",
        ),
        ("---\nTell", "examples:\n  5: Too high.\n---\nTell", ":30: error: examples: level 5 is outside the scale"),
        ("---\nTell", "scope: ''\n---\nTell", ":29: error: scope: must be a text"),
        (
            "---\nTell",
            "variant_of: probe\n---\nTell",
            ":29: error: variant_of: a question cannot be a variant of itself",
        ),
        ("---\nTell", "variant_of: Not An Id\n---\nTell", ":29: error: variant_of: must be the id of another"),
        ("---\nTell", "variant_of: no-such-question\n---\nTell", ":29: error: variant_of: unknown question"),
    ],
)
def test_each_check_of_the_second_edition_names_its_line(mini_bank: Path, old: str, new: str, expected: str) -> None:
    _, problems = _load(mini_bank, _with(old, new))
    assert [p for p in problems if p.startswith(PATH + expected)] != [], problems


def test_examples_and_scope_missing_are_warnings_while_the_files_are_converted(mini_bank: Path) -> None:
    text = _with("kind: behavioural", "kind: system-design")
    text = _with("[model-serving]", "[model-serving, people-leadership]", text)
    text = _with("---\nTell", "examples:\n  4: A strong answer.\n---\nTell", text)
    bank, problems = _load(mini_bank, text)
    assert problems == [
        (
            f"{PATH}:29: warning: examples: no example answer for level 2 (technical, system-design, work-sample "
            "questions show what levels 2 and 4 sound like)"
        ),
        (
            f"{PATH}:2: warning: scope: missing: a manager question on people-leadership says what scope each level "
            "shows (team size, span, budget)"
        ),
    ]
    assert bank.question("probe") is not None
    # A senior question needs no scope; a behavioural one no examples.
    _, problems = _load(
        mini_bank, _with("kind: system-design", "kind: behavioural", _with("level: manager", "level: senior", text))
    )
    assert problems == []


def _variant(bank_root: Path, qid: str, of: str | None, prompt: str) -> None:
    text = QUESTION.format(qid=qid, title=f"Story {qid}", prompt=prompt)
    if of:
        text = text.replace("---\n" + prompt, f"variant_of: {of}\n---\n{prompt}")
    write_question(bank_root, qid, text=text, folder="questions/variants")


def test_variant_of_may_not_loop(mini_bank: Path) -> None:
    _variant(mini_bank, "story-a", "story-c", "Tell me about a hard quarter.")
    _variant(mini_bank, "story-b", "story-a", "Tell me about a release you rolled back.")
    _variant(mini_bank, "story-c", "story-b", "Tell me about an outage you led.")
    problems = [str(p) for p in load_bank(mini_bank).problems if p.field == "variant_of"]
    assert problems == [
        (
            "questions/variants/story-a.md:29: error: variant_of: variant_of makes a loop: story-a -> story-c -> "
            "story-b -> story-a; a group has one head"
        )
    ]


LOOP = """id: mini-loop
name: Mini loop
job_descriptions: [ml-eng-manager-profile]
stages:
  - name: Screen
    kind: screen
    minutes: 30
    checklist: [{checklist}]
  - name: Serving
    minutes: 60
    focus: [model-serving]
    questions: [latency-regression, story-b]
  - name: Monitoring
    minutes: 60
    focus: [monitoring-drift]
    questions: [{second}]
"""
SCREENING = """# Requirements a recruiter's screen checks
items:
  - requirement: ml-eng-manager-profile.technical-expertise.01
    ask: Eight or more years of hands-on ML engineering?
  - requirement: ml-eng-manager-profile.typical-background.01
    ask: A degree in computer science, engineering or a related field?
"""


def _loop_problems(bank_root: Path, checklist: str, second: str) -> tuple[Bank, list[str]]:
    (bank_root / "loops").mkdir(exist_ok=True)
    (bank_root / "loops" / "mini-loop.yaml").write_text(LOOP.format(checklist=checklist, second=second))
    bank = load_bank(bank_root)
    return bank, [str(p) for p in bank.problems if p.path == "loops/mini-loop.yaml"]


def test_a_screen_stage_and_one_question_per_variant_group(mini_bank: Path) -> None:
    (mini_bank / "screening.yaml").write_text(SCREENING)
    _variant(mini_bank, "story-a", None, "Tell me about a hard quarter.")
    _variant(mini_bank, "story-b", "story-a", "Tell me about a release you rolled back.")
    _variant(mini_bank, "story-c", "story-b", "Tell me about an outage you led.")
    bank, problems = _loop_problems(mini_bank, "ml-eng-manager-profile.technical-expertise.01", "drift-incident")
    assert problems == []
    assert bank.screening["ml-eng-manager-profile.typical-background.01"].startswith("A degree")
    screen = bank.loops[0].stages[0]
    assert (screen.kind, screen.checklist, screen.questions) == (
        "screen",
        ("ml-eng-manager-profile.technical-expertise.01",),
        (),
    )
    assert bank.loops[0].content()["stages"][0]["checklist"] == ["ml-eng-manager-profile.technical-expertise.01"]
    assert "kind" not in bank.loops[0].content()["stages"][1]  # an interview stage is stored as before

    _, problems = _loop_problems(mini_bank, "ml-eng-manager-profile.technical-expertise.02", "story-c")
    assert problems == [
        (
            "loops/mini-loop.yaml:8: error: checklist: stage 'Screen': "
            "'ml-eng-manager-profile.technical-expertise.02' is not a requirement of screening.yaml"
        ),
        (
            "loops/mini-loop.yaml:16: error: questions: question 'story-c' is a variant of 'story-b' (group of "
            "'story-a'), planned in stage 'Serving': a loop plans one question per variant group"
        ),
    ]


def test_a_screen_stage_has_a_checklist_and_no_questions(mini_bank: Path) -> None:
    (mini_bank / "screening.yaml").write_text(SCREENING)
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "bad.yaml").write_text(
        "id: bad\nname: Bad\nstages:\n"
        "  - name: Screen\n    kind: screen\n    minutes: 30\n    questions: [latency-regression]\n"
        "  - name: Talk\n    kind: chat\n    minutes: 30\n    focus: [model-serving]\n"
        "  - name: Serving\n    minutes: 30\n    focus: [model-serving]\n    checklist: [x]\n"
    )
    problems = [str(p) for p in load_bank(mini_bank).problems if p.path == "loops/bad.yaml"]
    assert problems == [
        "loops/bad.yaml:7: error: questions: stage 'Screen' is a screen: it has a checklist, not questions",
        (
            "loops/bad.yaml:4: error: checklist: stage 'Screen' is a screen: it needs a checklist of requirement ids "
            "from screening.yaml"
        ),
        "loops/bad.yaml:9: error: kind: stage 'Talk': kind must be interview or screen (got 'chat')",
        "loops/bad.yaml:15: error: checklist: stage 'Serving': only a screen stage (kind: screen) has a checklist",
    ]


def test_screening_yaml_is_checked(mini_bank: Path) -> None:
    (mini_bank / "screening.yaml").write_text(
        SCREENING
        + "  - requirement: ml-eng-manager-profile.technical-expertise.01\n    ask: Again?\n"
        + "  - requirement: nope.01\n    ask: What?\n"
        + "  - requirement: ml-eng-manager-profile.typical-background.02\n"
        + "  - requirement: "
        + P05
        + "\n    ask: Cost?\n    weight: 2\n"
    )
    problems = [str(p) for p in load_bank(mini_bank).problems if p.path == "screening.yaml"]
    assert problems == [
        (
            "screening.yaml:7: error: requirement: 'ml-eng-manager-profile.technical-expertise.01' is listed twice "
            "(first at line 3)"
        ),
        "screening.yaml:9: error: requirement: unknown requirement 'nope.01'",
        "screening.yaml:11: error: ask: item 5 needs the question the recruiter asks",
        "screening.yaml:14: warning: weight: unknown field (ignored)",
        # The three questions of the mini bank have P05 as a primary requirement: each is named.
        (
            f"screening.yaml:12: error: requirement: '{P05}' is screen-only, but question 'drift-incident' "
            "(questions/serving/drift-incident.md) has it as a primary requirement: take it off the screen or make "
            "it a related requirement there"
        ),
        (
            f"screening.yaml:12: error: requirement: '{P05}' is screen-only, but question 'gpu-cost-cut' "
            "(questions/serving/gpu-cost-cut.md) has it as a primary requirement: take it off the screen or make "
            "it a related requirement there"
        ),
        (
            f"screening.yaml:12: error: requirement: '{P05}' is screen-only, but question 'latency-regression' "
            "(questions/serving/latency-regression.md) has it as a primary requirement: take it off the screen or "
            "make it a related requirement there"
        ),
    ]
    (mini_bank / "screening.yaml").write_text("- just a list\n")
    problems = [str(p) for p in load_bank(mini_bank).problems if p.path == "screening.yaml"]
    assert problems == [
        "screening.yaml:1: error: items: screening.yaml must be a mapping with a list of items (requirement, ask)"
    ]


def test_a_first_edition_question_on_a_screen_only_requirement_is_a_warning(mini_bank: Path) -> None:
    (mini_bank / "screening.yaml").write_text("items:\n  - requirement: " + L05 + "\n    ask: FastAPI?\n")
    write_question(mini_bank, "probe", text=FIRST_EDITION)
    conflicts = [p for p in load_bank(mini_bank).problems if p.path == "screening.yaml"]
    assert [(p.severity, p.message.split("'")[3]) for p in conflicts] == [
        ("error", "drift-incident"),
        ("error", "gpu-cost-cut"),
        ("error", "latency-regression"),
        ("warning", "probe"),  # a first-edition file: its requirements are not yet cut to the primary ones
    ]
