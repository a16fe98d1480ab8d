"""Opening databases: ours, foreign, newer, read-only, and migrating an older one."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from interviewkit.storage import schema
from interviewkit.storage.db import (
    DatabaseError,
    NewerSchemaError,
    NotInterviewKitDatabase,
    ReadOnlyLocationError,
    open_database,
    resolve_url,
)

DATA = Path(__file__).parent.parent / "data"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_database_has_wal_foreign_keys_and_private_permissions(db_path: Path) -> None:
    db = open_database(db_path)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("SELECT value FROM ik_meta WHERE key='application'")).scalar() == "interviewkit"
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
    db.dispose()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_foreign_keys_are_enforced(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Exception, match=r"(?i)foreign key"), db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO requirement (id, jd_id, section, position, text) VALUES ('r', 'missing', 's', 1, 't')")
        )


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shopping list: milk, eggs")
    before = _digest(path)
    with pytest.raises(NotInterviewKitDatabase, match="not an InterviewKit database") as info:
        open_database(path)
    assert str(path) in str(info.value)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_foreign_sqlite_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    con.execute("INSERT INTO invoices VALUES (1, 9.5)")
    con.commit()
    con.close()
    before = _digest(path)
    with pytest.raises(NotInterviewKitDatabase, match="invoices"):
        open_database(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_damaged_database_is_explained(tmp_path: Path, db_path: Path) -> None:
    open_database(db_path).dispose()
    data = bytearray(db_path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # keep the header, wreck the schema page
    db_path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    before = _digest(db_path)
    with pytest.raises(DatabaseError) as info:
        open_database(db_path)
    assert str(db_path) in str(info.value)
    assert _digest(db_path) == before


def test_a_newer_schema_is_refused_and_untouched(db_path: Path) -> None:
    open_database(db_path).dispose()
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = _digest(db_path)
    with pytest.raises(NewerSchemaError, match="newer version of InterviewKit") as info:
        open_database(db_path)
    assert "9999" in str(info.value)
    assert _digest(db_path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only files")
def test_a_read_only_file_is_refused(db_path: Path) -> None:
    open_database(db_path).dispose()
    db_path.chmod(0o400)
    try:
        with pytest.raises(ReadOnlyLocationError, match="read-only"):
            open_database(db_path)
    finally:
        db_path.chmod(0o600)


def test_a_read_only_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    real_access = os.access

    def access(path: os.PathLike[str] | str, mode: int) -> bool:  # root ignores modes: simulate them
        if Path(path) == folder and mode & os.W_OK:
            return False
        return real_access(path, mode)

    monkeypatch.setattr(os, "access", access)
    with pytest.raises(ReadOnlyLocationError, match="read-only"):
        open_database(folder / "x.sqlite")
    assert list(folder.iterdir()) == []


def test_a_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(tmp_path / "no" / "such" / "x.sqlite")


def test_urls_and_paths() -> None:
    assert resolve_url("sqlite:///tmp/x.sqlite").get_backend_name() == "sqlite"
    assert resolve_url("/tmp/x.sqlite").database == "/tmp/x.sqlite"
    assert resolve_url("postgresql+psycopg://u:p@localhost/ik").get_backend_name() == "postgresql"
    with pytest.raises(DatabaseError, match="not a database URL"):
        resolve_url("not a url://x")


def test_the_schema_lists_match_the_migration_scripts() -> None:
    from interviewkit.storage.migrate import script_revisions

    assert tuple(script_revisions()) == schema.REVISIONS


def test_a_database_made_by_release_0_1_0_opens_with_nothing_lost(tmp_path: Path) -> None:
    """tests/data/interviewkit-0.1.0.sqlite was written by InterviewKit 0.1.0 (schema 0001)."""
    path = tmp_path / "old.sqlite"
    shutil.copy(DATA / "interviewkit-0.1.0.sqlite", path)
    con = sqlite3.connect(path)
    before = {
        t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        for t in (
            "job_description",
            "requirement",
            "competency",
            "question",
            "question_version",
            "question_requirement",
        )
    }
    old_prompt = con.execute("SELECT prompt FROM question_version WHERE question_id='latency-regression'").fetchone()[0]
    con.close()
    assert before["requirement"] == 112 and before["question"] == 3
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.HEAD
            for table, count in before.items():
                assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == count, table
            assert conn.execute(
                text("SELECT prompt FROM question_version WHERE question_id='latency-regression'")
            ).scalar() == old_prompt
    finally:
        db.dispose()
