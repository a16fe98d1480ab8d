"""Schema 0006 (the full-text index reads its text from the versions): down to 0005 and back up, and a
copy of a 0005 database, all keep search working."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import search_question_ids
from interviewkit.services.bank_sync import sync_bank
from interviewkit.storage.copy import copy_database
from interviewkit.storage.db import open_database
from interviewkit.storage.migrate import alembic_config

pytestmark = pytest.mark.sqlite_only

QUERIES = ("latency", "drift", "gpu cost", "model serving", "d")


def _matches(path: Path, query: str) -> set[int]:
    """Version ids whose index entry matches, straight from the FTS5 table (any layout)."""
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        found = {
            r[0] for r in conn.execute(text("SELECT rowid FROM question_fts WHERE question_fts MATCH :q"), {"q": query})
        }
    engine.dispose()
    return found


def _downgrade_to_0005(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    engine.dispose()


def _synced_then_0005(path: Path, bank: Path) -> dict[str, list[str]]:
    """Sync the bank into a new database at 0006, take it down to 0005; return what each query found."""
    db = open_database(path)
    sync_bank(db, bank, by=LOCAL_ADMIN)
    found = {q: search_question_ids(db, q) for q in QUERIES}
    db.dispose()
    assert all(found.values())
    _downgrade_to_0005(path)
    return found


def _found_once_opened(path: Path) -> dict[str, list[str]]:
    db = open_database(path)  # migrates to 0006, which builds the index
    try:
        return {q: search_question_ids(db, q) for q in QUERIES}
    finally:
        db.dispose()


def test_down_to_0005_and_up_again_keeps_every_match(tmp_path: Path, mini_bank: Path) -> None:
    path = tmp_path / "db.sqlite"
    expected = _synced_then_0005(path, mini_bank)
    assert _matches(path, '"latency"*')  # 0003's own layout, filled again
    assert _found_once_opened(path) == expected


def test_a_copy_of_a_0005_database_searches_once_opened(tmp_path: Path, mini_bank: Path) -> None:
    source, target = tmp_path / "old.sqlite", tmp_path / "copy.sqlite"
    expected = _synced_then_0005(source, mini_bank)
    report = copy_database(source, target)
    assert report.ok and report.revision == "0005"
    assert _found_once_opened(target) == expected
