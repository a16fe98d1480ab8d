"""Updates never lose data: a database written by the InterviewKit of every earlier schema (tests/data, one file
a schema, made by tests/data/make_schema_fixtures.py) opens with today's code with every row kept, after a
copy has been made beside it through SQLite's backup API; a migration that fails leaves the database as it
was, says so in one line, and names that copy."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from interviewkit import cli
from interviewkit.storage import migrate, schema
from interviewkit.storage.db import open_database
from interviewkit.storage.migrate import MigrationFailed

pytestmark = pytest.mark.sqlite_only

DATA = Path(__file__).resolve().parent.parent / "data"
FIXTURES = ["interviewkit-0.1.0.sqlite", *sorted(p.name for p in DATA.glob("interviewkit-schema-*.sqlite"))]


def _ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _revision(path: Path) -> str:
    con = _ro(path)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


def _dump(path: Path) -> list[str]:
    """Every table's definition and rows, as SQL text."""
    con = _ro(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _rows(path: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Each ordinary table's columns and rows in rowid order (not the full-text index, which migrations rebuild
    in another layout, nor Alembic's own)."""
    con = _ro(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'question_fts%' AND name != 'alembic_version'")]
        out = {}
        for name in names:
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({name})")]
            out[name] = (columns, con.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall())
        return out
    finally:
        con.close()


def _kept(before: dict[str, tuple[list[str], list[tuple[object, ...]]]],
          after: dict[str, tuple[list[str], list[tuple[object, ...]]]]) -> list[str]:
    """What of ``before`` is not in ``after``: tables gone, rows gone or changed (columns a migration added
    are left out of the comparison; ik_meta's version and bookkeeping keys may change)."""
    lost = []
    for table, (columns, old_rows) in before.items():
        if table not in after:
            lost.append(f"table {table} is gone")
            continue
        new_columns, new_rows = after[table]
        rows = [r for r in old_rows if r[0] == "application"] if table == "ik_meta" else old_rows
        if table == "ik_meta":
            new_rows = [r for r in new_rows if r[0] == "application"]
        at = [new_columns.index(c) if c in new_columns else None for c in columns]
        if None in at:
            lost.append(f"{table}: columns {[c for c, i in zip(columns, at) if i is None]} are gone")
            continue
        projected = [tuple(row[i] for i in at if i is not None) for row in new_rows]
        if projected != rows:
            lost.append(f"{table}: {len(rows)} rows before, {len(projected)} after, or their values changed")
    return lost


def test_every_earlier_schema_has_a_fixture() -> None:
    revisions = {_revision(DATA / name) for name in FIXTURES}
    assert set(schema.REVISIONS[:-1]) <= revisions <= set(schema.REVISIONS)


@pytest.mark.parametrize("name", FIXTURES)
def test_a_database_of_an_earlier_schema_opens_with_every_row_kept(name: str, tmp_path: Path) -> None:
    path = tmp_path / "interviewkit.sqlite"
    shutil.copy(DATA / name, path)
    revision, dump, before = _revision(path), _dump(path), _rows(path)
    db = open_database(path)
    try:
        notices = db.notices
    finally:
        db.dispose()
    assert _revision(path) == schema.HEAD
    assert _kept(before, _rows(path)) == []
    backup = path.with_name(f"interviewkit.sqlite.bak-{revision}")
    if revision == schema.HEAD:
        assert not backup.exists()
        return
    assert _dump(backup) == dump  # the copy holds the database exactly as the older version left it
    assert any(backup.name in notice and "before this upgrade" in notice for notice in notices)
    again = open_database(path)  # nothing left to migrate: no second copy
    again.dispose()
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak" in p.name) == [backup.name]


def _failing_migrations(tmp_path: Path, step: str) -> Path:
    """A copy of the migration scripts whose step ``step`` raises after doing its work."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (script,) = (folder / "versions").glob(f"{step}_*.py")
    script.write_text(script.read_text(encoding="utf-8") + (
        "\n\n_real_upgrade = upgrade\n\n\ndef upgrade() -> None:\n    _real_upgrade()\n"
        f"    raise RuntimeError('step {step} broke after its own changes')\n"), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("name", "step"), [("interviewkit-0.1.0.sqlite", "0005"),
                                            ("interviewkit-schema-0007.sqlite", schema.HEAD)])
def test_a_failed_migration_leaves_the_database_as_it_was(
    name: str, step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "team.sqlite"
    shutil.copy(DATA / name, path)
    revision, dump = _revision(path), _dump(path)
    monkeypatch.setattr(migrate, "MIGRATIONS", _failing_migrations(tmp_path, step))
    with pytest.raises(MigrationFailed) as failed:
        open_database(path)
    backup = path.with_name(f"team.sqlite.bak-{revision}")
    message = str(failed.value)
    assert f"upgrading {path} from schema {revision} to {schema.HEAD} failed" in message
    assert f"RuntimeError: step {step} broke after its own changes" in message
    assert f"still at schema {revision}" in message and f"The copy made before the upgrade is {backup}." in message
    assert "\n" not in message
    assert _dump(path) == dump  # every step before the failing one was undone with it
    assert _dump(backup) == dump
    con = _ro(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        con.close()
    monkeypatch.undo()  # the real migrations: the same file now upgrades
    db = open_database(path)
    db.dispose()
    assert _revision(path) == schema.HEAD


def test_the_command_line_says_a_failed_migration_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.sqlite"
    shutil.copy(DATA / "interviewkit-schema-0007.sqlite", path)
    dump = _dump(path)
    monkeypatch.setattr(migrate, "MIGRATIONS", _failing_migrations(tmp_path, schema.HEAD))
    assert cli.main(["--db", str(path), "jd", "list"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"interviewkit: error: upgrading {path} from schema 0007 to {schema.HEAD} failed")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "mine.sqlite.bak-0007" in err
    assert _dump(path) == dump
