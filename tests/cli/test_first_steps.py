"""First steps (issue 16, item 9): the README's install commands run the demo before the app, ``demo`` prints
a next command that works as printed from where the user is, and the demo's file is ignored by git."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("interviewkit")


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "INTERVIEWKIT_DB"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _next_command(launcher: list[str], folder: Path) -> list[str]:
    done = subprocess.run([*launcher, "--db", "demo.sqlite", "demo"], cwd=folder, env=_env(), capture_output=True,
                          text=True, timeout=120, check=True)
    line = done.stdout.strip().splitlines()[-1]
    assert line.startswith("Open it with: ")
    return shlex.split(line.removeprefix("Open it with: "))


@pytest.mark.skipif(not SCRIPT.is_file(), reason="the interviewkit script is not installed beside this Python")
def test_the_printed_command_opens_the_demo_from_the_users_folder(tmp_path: Path) -> None:
    venv_bin = tmp_path / "bin"
    venv_bin.symlink_to(SCRIPT.parent)  # as README's install leaves it: ./bin/interviewkit under the folder
    command = _next_command([str(Path("bin") / "interviewkit")], tmp_path)
    assert command == ["bin/interviewkit", "--db", "demo.sqlite"] or command[0] == "interviewkit"
    listed = subprocess.run([*command, "list", "people"], cwd=tmp_path, env=_env(), capture_output=True, text=True,
                            timeout=120, check=True)
    assert "Amara Okafor" in listed.stdout  # the demo's database, opened by the printed command as printed


def test_python_dash_m_prints_python_dash_m(tmp_path: Path) -> None:
    command = _next_command([sys.executable, "-m", "interviewkit"], tmp_path)
    assert command[1:] == ["-m", "interviewkit", "--db", "demo.sqlite"]
    listed = subprocess.run([*command, "list", "openings"], cwd=tmp_path, env=_env(), capture_output=True, text=True,
                            timeout=120, check=True)
    assert "ML Engineering Manager" in listed.stdout


def test_readme_runs_the_demo_before_the_first_empty_start() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install and run", 1)[1]
    block = re.search(r"```sh\n(.+?)\n```", install, re.DOTALL)
    assert block
    commands = [c.strip() for line in block.group(1).splitlines() for c in line.split("&&")]
    opens = [i for i, c in enumerate(commands) if c.startswith(".venv/bin/interviewkit") and not c.endswith(" demo")]
    demo = [i for i, c in enumerate(commands) if c.endswith(" demo")]
    assert demo and opens and demo[0] < opens[0]
    assert all("--db demo.sqlite" in commands[i] for i in opens)  # the first start opens the demo, not an empty file


def test_demo_files_are_ignored_by_git(tmp_path: Path) -> None:
    names = ["demo.sqlite", "demo.sqlite-wal", "demo.sqlite-shm", "demo.sqlite-journal", "sub/other.sqlite"]
    done = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.stdout.split() == names
    fixture = subprocess.run(["git", "check-ignore", "tests/data/interviewkit-schema-0099.sqlite"], cwd=ROOT,
                             capture_output=True, text=True, check=False)
    assert fixture.returncode == 1  # the migration fixtures stay addable
