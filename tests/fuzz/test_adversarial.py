"""Inputs built to make a parser backtrack or a loop go quadratic, through the command line, each with a
generous time budget: on the old code each of these took from tens of seconds to hours."""

from __future__ import annotations

import time

import pytest

from tests.fuzz.support import QUESTION, Workspace, run_cli

N = 100_000
BUDGET = 2.0  # seconds for a whole command; the parse itself takes milliseconds

JOB_DESCRIPTIONS = {
    "heading '# a' then spaces": "# a" + " " * N + "x\n- x\n",
    "bold line then spaces": "**a**" + " " * N + "x\n- x\n",
    "bullet of repeated '_a '": "- " + "_a " * (N // 3) + "\n",
    "bullet of repeated '*a '": "- " + "*a " * (N // 3) + "\n",
    "brackets without an end": "- " + "[" * N + "\n",
    "links without an end": "- " + "[a](" * (N // 4) + "\n",
    "spaces and no citation": "- a" + " " * N + "x\n",
    "spaces and no list item": "x: - a" + " " * N + "b\n",
    "sections with one slug": "".join(f"# a{'!' * i}\n- x\n" for i in range(900)),
}


@pytest.mark.parametrize("name", sorted(JOB_DESCRIPTIONS))
def test_adversarial_job_descriptions(capsys: pytest.CaptureFixture[str], workspace: Workspace, name: str) -> None:
    workspace.fresh()
    path = workspace.file("adversarial.md")
    path.write_text(JOB_DESCRIPTIONS[name], encoding="utf-8")
    started = time.perf_counter()
    result = run_cli(capsys, "--db", str(workspace.db), "jd", "import", str(path), allowed=(0,))
    assert time.perf_counter() - started < BUDGET
    assert "Imported 'adversarial'" in result.out


BASE = QUESTION.format(qid="adversarial", title="An adversarial question", prompt="Tell me about {x}.")
QUESTIONS = {
    "20,000 unknown fields": BASE.replace(
        "level: lead\n", "level: lead\n" + "".join(f"f{i}: {i}\n" for i in range(20_000))
    ),
    "10,000 unknown requirements": BASE.replace(
        "requirements: [role.duties.01, role.duties.02]",
        "requirements: [" + ", ".join(f"r.{i}" for i in range(10_000)) + "]",
    ),
    "10,000 bad rubric keys": BASE.replace("rubric:\n", "rubric:\n" + "".join(f"  {i}.5: x\n" for i in range(10_000))),
    "aliases that multiply": BASE.replace(
        "level: lead\n",
        "level: lead\n"
        + "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9 if i else ["lol"] * 9) + "]\n" for i in range(9)),
    ),
    "a prompt of a 100,000-character heading": BASE.replace("Tell me about {x}.", "# a" + " " * N + "x"),
    "a prompt of 900 KB of emphasis": BASE.replace("Tell me about {x}.", "_a " * 300_000),
}


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_adversarial_question_files(capsys: pytest.CaptureFixture[str], workspace: Workspace, name: str) -> None:
    workspace.fresh()
    (workspace.bank / "questions" / "adversarial.md").write_text(QUESTIONS[name], encoding="utf-8")
    started = time.perf_counter()
    run_cli(capsys, "--bank", str(workspace.bank), "bank", "check", allowed=(0, 1))
    run_cli(capsys, "--db", str(workspace.db), "--bank", str(workspace.bank), "bank", "sync", allowed=(0, 2))
    assert time.perf_counter() - started < 2 * BUDGET  # two commands
