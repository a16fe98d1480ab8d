"""``db copy`` proves every row (issue 17, point 6): the target's rows are hashed chunk by chunk and compared with
the source's before the copy commits. A row the target drops or alters on the way in, or one changed in the
target after the rows are copied, fails the copy with one line naming the table and the keys, exit 2, and the
target is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from interviewkit.cli import main
from interviewkit.storage import copy as copy_module
from interviewkit.storage import rowhash
from interviewkit.storage.copy import CopyError, copy_database
from interviewkit.storage.db import Database, open_database
from tests.pdf.conftest import build_panel


def _empty_target(backend: str, pg_server, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    """A migrated database without rows on the other backend than the source's."""
    target = pg_server.url(pg_server.new_database()) if backend == "sqlite" else str(tmp_path / "copy.sqlite")
    open_database(target).dispose()
    return target


def _execute(url: str, *statements: str) -> list[tuple[object, ...]]:
    db = open_database(url)
    try:
        with db.engine.begin() as conn:
            rows: list[tuple[object, ...]] = []
            for sql in statements:
                result = conn.execute(text(sql))
                rows = [tuple(r) for r in result] if result.returns_rows else []
            return rows
    finally:
        db.dispose()


def _on_insert(url: str, table: str, when: str, pg_body: str, sqlite_body: str, sqlite_at: str = "BEFORE") -> None:
    """A trigger in the target that spoils the row ``when`` says as the copy inserts it."""
    if url.startswith("postgresql"):
        _execute(
            url,
            f"CREATE FUNCTION ik_test_spoil() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF {when} THEN "
            f"{pg_body} END IF; RETURN NEW; END $$",
            f"CREATE TRIGGER ik_test_spoil BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION ik_test_spoil()",
        )
    else:
        _execute(url, f"CREATE TRIGGER ik_test_spoil {sqlite_at} INSERT ON {table} WHEN {when} BEGIN {sqlite_body} END")


def _rows(url: str, table: str) -> int:
    (count,) = _execute(url, f"SELECT COUNT(*) FROM {table}")[0]
    return int(str(count))


def test_a_row_the_target_drops_fails_the_copy_naming_table_and_keys(  # type: ignore[no-untyped-def]
    shipped_db: Database, backend: str, pg_server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build_panel(shipped_db)
    with shipped_db.engine.connect() as conn:
        last = "SELECT scorecard_id, competency_id FROM rating ORDER BY 1 DESC, 2"
        card, competency = conn.execute(text(last)).first()  # type: ignore[misc]
        ratings = conn.execute(text("SELECT COUNT(*) FROM rating")).scalar_one()
    target = _empty_target(backend, pg_server, tmp_path)
    when = f"NEW.scorecard_id = {card} AND NEW.competency_id = '{competency}'"
    _on_insert(target, "rating", when, "RETURN NULL;", "SELECT RAISE(IGNORE);")

    assert main(["db", "copy", "--from", str(shipped_db.url), "--to", target]) == 2
    lines = capsys.readouterr().err.splitlines()  # the progress lines, then the error
    err = lines[-1]
    assert err.startswith("interviewkit: error: the copy into ") and sum("error" in line for line in lines) == 1
    assert "rolled back: table rating differs from the source in the rows from (scorecard_id, competency_id) (" in err
    assert f"(chunk 1 of 1; {ratings} rows in the source, {ratings - 1} in the target)" in err
    assert _rows(target, "rating") == 0 and _rows(target, "question") == 0  # nothing was written


def test_an_altered_value_is_found_in_its_chunk(  # type: ignore[no-untyped-def]
    shipped_db: Database, backend: str, pg_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = build_panel(shipped_db)
    stage = sorted(panel.stage_ids)[1]
    target = _empty_target(backend, pg_server, tmp_path)
    _on_insert(
        target,
        "stage",
        f"NEW.id = {stage}",
        "NEW.name := NEW.name || '.';",
        "UPDATE stage SET name = name || '.' WHERE id = NEW.id;",
        sqlite_at="AFTER",
    )
    monkeypatch.setattr(rowhash, "CHUNK_ROWS", 1)  # a chunk a row: the error names that row's key
    with pytest.raises(
        CopyError,
        match=rf"table stage differs from the source in the rows from id {stage} to id "
        rf"{stage} \(chunk 2 of 3; 3 rows in the source, 3 in the target\)",
    ):
        copy_database(str(shipped_db.url), target)
    assert _rows(target, "stage") == 0


def test_a_row_changed_in_the_target_after_the_copy_is_found(  # type: ignore[no-untyped-def]
    shipped_db: Database, backend: str, pg_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loop's time moved by a microsecond (PostgreSQL) or rewritten (SQLite) after every row is in, before
    the hashes are compared."""
    build_panel(shipped_db)
    target = _empty_target(backend, pg_server, tmp_path)
    rebuild = copy_module.search.rebuild

    def rebuild_then_spoil(conn):  # type: ignore[no-untyped-def]
        if conn.dialect.name == "postgresql":
            conn.execute(
                text(
                    "UPDATE interview_loop SET created_at = created_at + interval '1 microsecond' "
                    "WHERE id = (SELECT max(id) FROM interview_loop)"
                )
            )
        else:
            conn.execute(
                text(
                    "UPDATE interview_loop SET created_at = '2030-01-01 00:00:00.000001' "
                    "WHERE id = (SELECT max(id) FROM interview_loop)"
                )
            )
        return rebuild(conn)

    monkeypatch.setattr(copy_module.search, "rebuild", rebuild_then_spoil)
    with pytest.raises(
        CopyError, match=r"rolled back: table interview_loop differs from the source in the rows from id "
    ):
        copy_database(str(shipped_db.url), target)
    assert _rows(target, "interview_loop") == 0


def test_values_of_every_kind_hash_alike_on_both_backends(  # type: ignore[no-untyped-def]
    shipped_db: Database, backend: str, pg_server, tmp_path: Path
) -> None:
    """Floats bit for bit, times to the microsecond, booleans, JSON and text with commas and newlines: the copy
    to the other backend and back verifies, and the hashes of the round trip equal the first."""
    build_panel(shipped_db, submit=0)  # drafts: their notes may change
    with shipped_db.engine.begin() as conn:
        conn.execute(text("UPDATE asked_question SET seconds_spent = 0.1 + 0.2, notes = 'a,b\n3:c, é'"))
        conn.execute(text("UPDATE stage SET focus = '[\"x, y\"]' WHERE id = (SELECT min(id) FROM stage)"))
    target = _empty_target(backend, pg_server, tmp_path)
    there = copy_database(str(shipped_db.url), target)
    back = copy_database(
        target, pg_server.url(pg_server.new_database()) if backend == "postgresql" else tmp_path / "back.sqlite"
    )
    assert there.ok and back.ok
    assert {t.name: t.source_sha256 for t in there.tables} == {t.name: t.target_sha256 for t in back.tables}
    assert {t.name: t.target_rows for t in back.tables}["asked_question"] > 0
