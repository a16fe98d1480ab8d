"""Bank-wide checks: coverage, near-duplicates, loop templates."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from interviewkit.bank.checks import (
    check_bank,
    is_must_have,
    loop_coverage,
    must_have_ids,
    near_duplicates,
    requirement_coverage,
    variant_groups,
)
from interviewkit.bank.jd import JDRequirement
from interviewkit.bank.loader import load_bank
from interviewkit.bank.model import Problem
from interviewkit.services.loops import loop_templates
from tests.conftest import QUESTION, write_question

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
    # the coverage itself is information (bank check prints it under the loop's heading), not a warning
    assert not [p for p in check_bank(bank) if "assesses" in p.message]


P05 = "ml-eng-manager-profile.production-ml-systems.05"
L05 = "ml-lead-lisbon-ad.ml-engineering-manager.05"
IO3 = "ml-eng-manager-profile.infrastructure-operations.03"
EXP1 = "ml-eng-manager-profile.technical-expertise.01"


def _question(root: Path, qid: str, *, prompt: str, extra: str = "", requirements: tuple[str, ...] = (P05,)) -> None:
    text = QUESTION.format(qid=qid, title=f"Question {qid}", prompt=prompt)
    text = text.replace(f"requirements:\n  - {P05}\n  - {L05}\n", "requirements: [" + ", ".join(requirements) + "]\n")
    text = text.replace("---\n" + prompt, extra + "---\n" + prompt)
    write_question(root, qid, text=text, folder="questions/extra")


def test_coverage_counts_primary_links_and_lists_related_ones_apart(mini_bank: Path) -> None:
    _question(
        mini_bank, "serving-cost", prompt="How did you cut serving cost?", extra=f"related_requirements: [{IO3}]\n"
    )
    (mini_bank / "screening.yaml").write_text(f"items:\n  - requirement: {EXP1}\n    ask: Eight years?\n")
    bank = load_bank(mini_bank)
    assert bank.errors == []
    cov = {c.id: c for c in requirement_coverage(bank)}
    assert cov[P05].questions == ("drift-incident", "gpu-cost-cut", "latency-regression", "serving-cost")
    assert (cov[IO3].questions, cov[IO3].related_questions, cov[IO3].count) == ((), ("serving-cost",), 0)
    assert cov[EXP1].screen and not cov[P05].screen
    thin = {p.field: p for p in check_bank(bank) if p.severity == "error"}
    assert EXP1 not in thin  # the screen covers it
    assert thin[IO3].message == (
        "covered by 0 question(s) as a primary requirement (none); at least 2 are needed, or list it in "
        'screening.yaml; related in serving-cost (not counted): "Optimize model serving for latency and cost"'
    )
    assert thin[IO3].path == "job_descriptions/ml-eng-manager-profile.md"


def test_variant_groups_follow_chains_and_stars(mini_bank: Path) -> None:
    _question(mini_bank, "head", prompt="Tell me about an outage.")
    _question(mini_bank, "child", prompt="Tell me about a rollback.", extra="variant_of: head\n")
    _question(mini_bank, "grandchild", prompt="Tell me about a page at night.", extra="variant_of: child\n")
    _question(mini_bank, "sibling", prompt="Tell me about a bad deploy.", extra="variant_of: head\n")
    groups = variant_groups(load_bank(mini_bank))
    assert {q: h for q, h in groups.items() if h == "head"} == {
        "head": "head",
        "child": "head",
        "grandchild": "head",
        "sibling": "head",
    }
    assert groups["latency-regression"] == "latency-regression"


def test_a_near_duplicate_warning_names_the_similarity_and_a_variant_is_not_one(mini_bank: Path) -> None:
    prompt = "Tell me about a time a model API you were responsible for got slower after a release."
    write_question(mini_bank, "latency-regression-again", title="A latency regression", prompt=prompt)
    (warning,) = [p for p in check_bank(load_bank(mini_bank)) if p.severity == "warning"]
    assert warning.path == "questions/serving/latency-regression.md"
    assert warning.message.startswith(
        "nearly the same as 'latency-regression-again' (questions/serving/latency-regression-again.md): TF-IDF "
        "cosine similarity of title and prompt 0."
    )
    assert warning.message.endswith(
        ", at or above the threshold 0.50; if both ask for the same evidence mark one a variant "
        "(variant_of: latency-regression-again) so that a loop plans only one, otherwise make them ask different "
        "things"
    )
    text = (mini_bank / "questions/serving/latency-regression-again.md").read_text()
    (mini_bank / "questions/serving/latency-regression-again.md").write_text(
        text.replace("---\n" + prompt, "variant_of: latency-regression\n---\n" + prompt)
    )
    bank = load_bank(mini_bank)
    assert near_duplicates(bank) == []
    assert [p for p in check_bank(bank) if p.severity == "warning"] == []


def test_must_haves_are_the_qualifications_the_documents_ask_for_less_what_they_mark_optional() -> None:
    from interviewkit.paths import shipped_bank_dir

    bank = load_bank(shipped_bank_dir())
    must = [r for r in bank.requirements().values() if is_must_have(r)]
    sections = sorted({(r.id.split(".")[0], r.section) for r in must})
    # The profile's "Key Experience Required" (its four subsections), "Technical Skills Required" and
    # "Typical Background"; the ad's "To excel in this role, you should have". Not "Key Responsibilities"
    # and its subsections, "Success Metrics", "As the ML Engineering Manager, you will" or "Your typical day".
    assert sections == [
        ("ml-eng-manager-profile", "Data & Infrastructure"),
        ("ml-eng-manager-profile", "Engineering Leadership"),
        ("ml-eng-manager-profile", "Production ML Systems"),
        ("ml-eng-manager-profile", "Technical Expertise"),
        ("ml-eng-manager-profile", "Technical Skills Required"),
        ("ml-eng-manager-profile", "Typical Background"),
        ("ml-lead-lisbon-ad", "To excel in this role, you should have"),
    ]
    # "Open source contributions or published papers (preferred)" is a qualification, but optional;
    # "Languages: Python (expert), SQL, Scala/Java (preferred)" still requires Python.
    assert len(must) == 20 + 8 + 4 + 10
    assert "ml-eng-manager-profile.typical-background.04" not in {r.id for r in must}
    assert "ml-eng-manager-profile.technical-skills-required.01" in {r.id for r in must}

    def req(section: str, text: str) -> JDRequirement:
        return JDRequirement("d.s.01", section, 1, text)

    for section in ("Nice to have", "Bonus points", "Preferred qualifications", "Pluses", "Nice-to-haves"):
        assert not is_must_have(req(section, "Rust"))
    for text in (
        "Rust is a plus",
        "Bonus: Rust",
        "Nice to have - Rust",
        "Experience with Rust would be an advantage.",
        "Rust (nice to have)",
    ):
        assert not is_must_have(req("Requirements", text))
    assert is_must_have(req("Requirements", "Rust, Go, C++ (a plus)"))
    assert is_must_have(req("What you bring", "Plus-size models at scale"))
    for section in ("Responsibilities", "What you'll do", "Your typical day will involve", "Success metrics", "KPIs"):
        assert not is_must_have(req(section, "Rust")), section
    assert is_must_have(req("General", "Rust"))  # no heading says otherwise: a qualification


def test_must_haves_read_back_from_the_database_take_their_kind_from_the_stored_text() -> None:
    """The database keeps a requirement's section, not the heading above it: "Team Leadership" alone reads
    as a qualification; read again from the document's text it is a responsibility."""
    text = (
        "# Role\n\n## Key Experience Required\n\n### Team Leadership\n- Managed a team of five\n\n"
        "## Key Responsibilities\n\n### Team Leadership\n- Hire three engineers\n"
    )
    stored = [
        JDRequirement("d.team-leadership.01", "Team Leadership", 1, "Managed a team of five"),
        JDRequirement("d.team-leadership.02", "Team Leadership", 2, "Hire three engineers"),
    ]
    assert all(is_must_have(r) for r in stored)  # the section alone cannot tell
    assert must_have_ids(stored, {"d": text}) == {"d.team-leadership.01"}
    assert must_have_ids(stored, {"d": ""}) == {r.id for r in stored}  # no text to read: the section decides


def test_loop_coverage_primary_related_screen_and_stage_minutes(mini_bank: Path) -> None:
    _question(
        mini_bank, "serving-cost", prompt="How did you cut serving cost?", extra=f"related_requirements: [{IO3}]\n"
    )
    (mini_bank / "screening.yaml").write_text(f"items:\n  - requirement: {EXP1}\n    ask: Eight years?\n")
    (mini_bank / "loops").mkdir()
    (mini_bank / "loops" / "l.yaml").write_text(
        "id: l\nname: L\njob_descriptions: [ml-eng-manager-profile]\nstages:\n"
        f"  - name: Screen\n    kind: screen\n    minutes: 30\n    checklist: [{EXP1}]\n"
        "  - name: Serving\n    minutes: 45\n    focus: [model-serving]\n"
        "    questions: [latency-regression, gpu-cost-cut, drift-incident, serving-cost]\n"
    )
    bank = load_bank(mini_bank)
    assert bank.errors == []
    lc = loop_coverage(bank, bank.loops[0])
    assert lc.covered == {P05: ("Serving",)}
    assert lc.screened == {EXP1: ("Screen",)}
    assert lc.related == {IO3: ("Serving",)}
    assert IO3 in lc.uncovered and EXP1 not in lc.uncovered and lc.total == 83
    # The profile's 32 must-haves (its qualifications, less typical-background.04: preferred) less P05,
    # assessed, and EXP1, screened; IO3 is a responsibility ("Key Responsibilities"), not a must-have.
    assert len(lc.must_haves_unassessed) == 32 - 1 - 1 and IO3 not in lc.must_haves_unassessed
    assert [(s.name, s.kind, s.planned, s.questions[:1], s.checklist) for s in lc.stages] == [
        ("Screen", "screen", 0, (), (EXP1,)),
        ("Serving", "interview", 40, (("latency-regression", 10),), ()),
    ]
    messages = [p.message for p in check_bank(bank) if p.path == "loops/l.yaml"]
    assert messages[0].startswith("leaves 30 must-have requirement(s) unassessed: ")
    assert messages[0].endswith("; plan questions that assess them, or say why this loop leaves them to another "
                                "(partial:)")
    assert messages[1:] == [
        "stage 'Serving': plans 4 questions; at most 3 reach evidence for the top level in one stage",
        "stage 'Serving': plans 40 of 45 minutes; keep 10 free for introductions and the candidate's questions",
        (
            "stage 'Serving': minutes unrealistic for the question's kind (kind, minutes; realistic): "
            "latency-regression (behavioural, 10; 12-15), gpu-cost-cut (behavioural, 10; 12-15), drift-incident "
            "(behavioural, 10; 12-15), serving-cost (behavioural, 10; 12-15)"
        ),
    ]


_PARTIAL_LOOP = (
    "id: l\nname: L\njob_descriptions: [ml-eng-manager-profile]\n{partial}stages:\n"
    "  - name: Serving\n    minutes: 45\n    focus: [model-serving]\n    questions: [latency-regression]\n"
)


def _partial_loop(root: Path, partial: str) -> list[Problem]:
    (root / "loops").mkdir(exist_ok=True)
    (root / "loops" / "l.yaml").write_text(_PARTIAL_LOOP.format(partial=partial), encoding="utf-8")
    bank = load_bank(root)
    stages = [p for p in check_bank(bank) if p.path == "loops/l.yaml" and not p.message.startswith("stage '")]
    return [*bank.problems, *stages]  # (not its stages' density: the mini bank's questions are short)


def test_a_loop_that_misses_a_must_have_warns_unless_it_says_why(mini_bank: Path) -> None:
    """A real gap stays a warning; a loop that declares itself partial, with its reason, does not warn."""
    (gap,) = [p for p in _partial_loop(mini_bank, "") if p.severity == "warning"]
    assert gap.message.startswith("leaves 31 must-have requirement(s) unassessed: ")
    reason = "A 45-minute technical screen; the onsite loop assesses the rest."
    assert _partial_loop(mini_bank, f"partial: {reason}\n") == []
    (loop,) = load_bank(mini_bank).loops
    assert loop.partial == reason and loop.content()["partial"] == reason
    assert "partial" not in replace(loop, partial="").content()  # a loop without it keeps its stored content


@pytest.mark.parametrize("partial", ["partial: [a, b]\n", "partial: ''\n", "partial:\n", "partial: 3\n",
                                     f"partial: {'x' * 601}\n"])
def test_a_partial_declaration_must_give_a_reason(mini_bank: Path, partial: str) -> None:
    (error,) = [p for p in _partial_loop(mini_bank, partial) if p.severity == "error"]
    assert (error.path, error.line, error.field) == ("loops/l.yaml", 4, "partial")
    assert error.message.startswith("must say in a sentence why the loop leaves must-haves unassessed, at most 600")
    assert load_bank(mini_bank).loops == []


def test_a_partial_loop_that_assesses_every_must_have_is_told_to_drop_the_declaration(mini_bank: Path) -> None:
    (mini_bank / "job_descriptions" / "tiny.md").write_text(
        "# Tiny role\n\n## Requirements\n\n- Keeps model serving latency within its budget in production\n",
        encoding="utf-8",
    )
    _question(mini_bank, "latency-budget", prompt="How did you keep a model within its latency budget?",
              requirements=("tiny.requirements.01",))
    (mini_bank / "loops").mkdir()
    loop = ("id: l\nname: L\njob_descriptions: [tiny]\n{partial}stages:\n  - name: Serving\n    minutes: 45\n"
            "    focus: [model-serving]\n    questions: [latency-budget]\n")
    (mini_bank / "loops" / "l.yaml").write_text(loop.format(partial="partial: On purpose.\n"), encoding="utf-8")
    bank = load_bank(mini_bank)
    assert bank.errors == [] and loop_coverage(bank, bank.loops[0]).must_haves_unassessed == ()
    (warning,) = [p for p in check_bank(bank) if p.path == "loops/l.yaml" and p.field == "partial"]
    assert "assesses every must-have" in warning.message
    (mini_bank / "loops" / "l.yaml").write_text(loop.format(partial=""), encoding="utf-8")
    assert [p for p in check_bank(load_bank(mini_bank)) if p.path == "loops/l.yaml" and p.field == "partial"] == []


def test_the_loops_screen_reads_why_a_template_is_partial(shipped_db) -> None:  # type: ignore[no-untyped-def]
    partial = {t.id: t.partial for t in loop_templates(shipped_db)}
    assert partial["ml-em-standard"] == ""
    assert partial["ml-em-compact"].startswith("Three interviews cannot assess the hands-on must-haves")
