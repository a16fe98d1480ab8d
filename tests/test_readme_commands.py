"""README's one test command is the one CI runs (.ci/run), and the development guide says the same."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _command_under(heading: str, text: str) -> str:
    section = text.split(heading, 1)[1]
    match = re.search(r"```sh\n(.+?)\n```", section, re.DOTALL)
    assert match, f"no ```sh block under {heading!r}"
    return match.group(1).strip()


def test_ci_runs_exactly_the_readmes_test_command() -> None:
    command = _command_under("## Run the tests", (ROOT / "README.md").read_text(encoding="utf-8"))
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert command in ci
    assert command in (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
