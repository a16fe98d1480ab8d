"""Bank sync: versions, retirement, idempotence."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text

from interviewkit.services.bank_queries import coverage, question_detail, question_summaries
from interviewkit.services.bank_sync import sync_bank
from interviewkit.storage.db import Database
from tests.conftest import write_question


@contextmanager
def count_writes(db: Database) -> Iterator[list[str]]:
    """Collect every INSERT/UPDATE/DELETE the engine sends."""
    writes: list[str] = []

    def listener(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield writes
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() or 0)


def test_first_sync_loads_everything(db: Database, mini_bank: Path) -> None:
    report = sync_bank(db, mini_bank)
    assert sorted(report.added) == ["drift-incident", "gpu-cost-cut", "latency-regression"]
    assert _count(db, "requirement") == 112
    assert _count(db, "competency") == 15
    assert [s.id for s in question_summaries(db)] == ["drift-incident", "gpu-cost-cut", "latency-regression"]


def test_a_second_sync_with_no_change_writes_nothing(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank)
    with count_writes(db) as writes:
        report = sync_bank(db, mini_bank)
    assert writes == []
    assert report.skipped_parse and not report.wrote
    with count_writes(db) as writes:  # even when every file is parsed again
        report = sync_bank(db, mini_bank, force=True)
    assert writes == []
    assert report.unchanged == 3 and not report.wrote


def test_touching_a_file_without_changing_it_makes_no_new_version(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank)
    path = mini_bank / "questions" / "serving" / "drift-incident.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    report = sync_bank(db, mini_bank)
    assert report.changed == [] and report.unchanged == 3
    assert _count(db, "question_version") == 3


def test_a_changed_question_gets_a_new_version_and_keeps_the_old_text(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank)
    old = question_detail(db, "latency-regression")
    assert old is not None and old.version == 1
    write_question(mini_bank, "latency-regression", prompt="How did you find and fix a p99 latency regression?")
    report = sync_bank(db, mini_bank)
    assert report.changed == ["latency-regression"]
    new = question_detail(db, "latency-regression")
    assert new is not None and new.version == 2
    assert new.prompt == "How did you find and fix a p99 latency regression?"
    first = question_detail(db, "latency-regression", version=1)
    assert first is not None and first.prompt == old.prompt
    assert first.version_id != new.version_id


def test_a_removed_question_is_retired_never_deleted(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank)
    path = mini_bank / "questions" / "serving" / "gpu-cost-cut.md"
    content = path.read_text()
    path.unlink()
    report = sync_bank(db, mini_bank)
    assert report.retired == ["gpu-cost-cut"]
    assert "gpu-cost-cut" not in [s.id for s in question_summaries(db)]
    detail = question_detail(db, "gpu-cost-cut")
    assert detail is not None and detail.retired  # still readable: recorded interviews may point at it
    assert _count(db, "question_version") == 3
    path.write_text(content)
    report = sync_bank(db, mini_bank)
    assert report.restored == ["gpu-cost-cut"]
    assert "gpu-cost-cut" in [s.id for s in question_summaries(db)]


def test_a_broken_file_keeps_its_question_and_reports_the_problem(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank)
    path = mini_bank / "questions" / "serving" / "drift-incident.md"
    path.write_text(path.read_text().replace("kind: behavioural", "kind: [oops"))
    report = sync_bank(db, mini_bank)
    assert report.retired == []
    assert any(p.path.endswith("drift-incident.md") for p in report.problems)
    assert "drift-incident" in [s.id for s in question_summaries(db)]


def test_requirement_links_follow_versions(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank)
    rows = {r.requirement.id: r for r in coverage(db, "ml-lead-lisbon-ad")}
    assert rows["ml-lead-lisbon-ad.ml-engineering-manager.05"].count == 3
    path = mini_bank / "questions" / "serving" / "gpu-cost-cut.md"
    path.write_text(path.read_text().replace("  - ml-lead-lisbon-ad.ml-engineering-manager.05\n", ""))
    sync_bank(db, mini_bank)
    rows = {r.requirement.id: r for r in coverage(db, "ml-lead-lisbon-ad")}
    assert rows["ml-lead-lisbon-ad.ml-engineering-manager.05"].questions == ("drift-incident", "latency-regression")
