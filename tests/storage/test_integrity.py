"""A damaged database is refused up front, with one line, and left as it was (issue 13: a dropped table or a
value of the wrong kind made calibrate crash while other commands did not notice)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from interviewkit.cli import main
from interviewkit.storage.db import DatabaseError, open_database

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def damaged(shipped_db_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(shipped_db_template.read_bytes())
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DROP TABLE exercise_score", "the table exercise_score is missing"),
        ("ALTER TABLE person DROP COLUMN title", "the table person has no column title"),
        (
            "UPDATE question_version SET minutes = 'x' WHERE rowid = 1",
            "1 row of question_version.minutes holds a value that is not a number",
        ),
        (
            "UPDATE question SET created_at = 12 WHERE rowid IN (1, 2)",
            "2 rows of question.created_at hold a value that is not a time",
        ),
    ],
)
@pytest.mark.parametrize("command", [["jd", "list"], ["calibrate"], ["bank", "sync"]])
def test_every_command_refuses_a_damaged_database_the_same_way(
    damaged: Path, capsys: pytest.CaptureFixture[str], sql: str, message: str, command: list[str]
) -> None:
    with sqlite3.connect(damaged) as con:
        con.execute(sql)
    con.close()
    before = _digest(damaged)
    assert main(["--db", str(damaged), *command]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "It was not changed" in err
    assert _digest(damaged) == before


def test_unsupported_servers_fifos_and_unreadable_files_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "mysql://someone@db.example.com/ik", "jd", "list"]) == 2
    assert "'mysql' databases are not supported" in capsys.readouterr().err
    fifo = tmp_path / "pipe.sqlite"
    os.mkfifo(fifo)
    assert main(["--db", str(fifo), "jd", "list"]) == 2  # used to block forever reading the header
    assert "is not a regular file" in capsys.readouterr().err
    locked = tmp_path / "locked.sqlite"
    locked.write_bytes(b"SQLite format 3\x00")

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(DatabaseError, match="cannot be read \\(Permission denied\\)"):
        open_database(locked)
