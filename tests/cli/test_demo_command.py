"""``interviewkit demo``: fills an empty database once, then refuses with a clear message."""

from __future__ import annotations

import pytest

from interviewkit.cli import main


def test_demo_fills_an_empty_database_then_refuses(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    db = db_url
    assert main(["--db", db, "demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo created: 9 people" in out and "5 candidates" in out
    assert f"Open it with: interviewkit --db {db.split('?')[0]}" in out  # a server URL's query is %-escaped

    assert main(["demo", "--db", db]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("interviewkit: error: ")
    assert "already holds data: the demo only fills an empty database. Use --db demo.sqlite" in captured.err
