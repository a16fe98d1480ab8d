"""``interviewkit demo``: fills an empty database once, then refuses with a clear message."""

from __future__ import annotations

import shlex

import pytest

from interviewkit.cli import main


def test_demo_fills_an_empty_database_then_refuses(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    db = db_url
    assert main(["--db", db, "demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo created: 9 people" in out and "2 openings, 17 candidates" in out and "decisions recorded" in out
    assert "  12 earlier candidates for the second opening: " in out
    # run in-process by pytest: the next command is this Python's "-m interviewkit", quoted for a shell
    command = shlex.split(out.split("Open it with: ")[1].splitlines()[0])
    assert command[1:4] == ["-m", "interviewkit", "--db"] and len(command) == 5
    assert command[4].startswith(db.split("?")[0])  # a server URL's query is %-escaped, its password left out

    assert main(["demo", "--db", db]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("interviewkit: error: ")
    assert "already holds data: the demo only fills an empty database. Use --db demo.sqlite" in captured.err
