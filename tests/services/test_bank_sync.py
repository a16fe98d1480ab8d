"""Bank sync: versions, retirement, idempotence."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_queries import (
    coverage,
    has_live_questions,
    question_detail,
    question_summaries,
    search_question_ids,
)
from interviewkit.services.bank_sync import BankHasErrors, sync_bank
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
    report = sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert sorted(report.added) == ["drift-incident", "gpu-cost-cut", "latency-regression"]
    assert _count(db, "requirement") == 112
    assert _count(db, "competency") == 15
    assert [s.id for s in question_summaries(db)] == ["drift-incident", "gpu-cost-cut", "latency-regression"]


def test_a_second_sync_with_no_change_writes_nothing(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    with count_writes(db) as writes:
        report = sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert writes == []
    assert report.skipped_parse and not report.wrote
    with count_writes(db) as writes:  # even when every file is parsed again
        report = sync_bank(db, mini_bank, force=True, by=LOCAL_ADMIN)
    assert writes == []
    assert report.unchanged == 3 and not report.wrote


def test_touching_a_file_without_changing_it_makes_no_new_version(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    path = mini_bank / "questions" / "serving" / "drift-incident.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    report = sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert report.changed == [] and report.unchanged == 3
    assert _count(db, "question_version") == 3


def test_a_changed_question_gets_a_new_version_and_keeps_the_old_text(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    old = question_detail(db, "latency-regression")
    assert old is not None and old.version == 1
    write_question(mini_bank, "latency-regression", prompt="How did you find and fix a p99 latency regression?")
    report = sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert report.changed == ["latency-regression"]
    new = question_detail(db, "latency-regression")
    assert new is not None and new.version == 2
    assert new.prompt == "How did you find and fix a p99 latency regression?"
    first = question_detail(db, "latency-regression", version=1)
    assert first is not None and first.prompt == old.prompt
    assert first.version_id != new.version_id


def test_a_removed_question_is_retired_never_deleted(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    path = mini_bank / "questions" / "serving" / "gpu-cost-cut.md"
    content = path.read_text()
    path.unlink()
    report = sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert report.retired == ["gpu-cost-cut"]
    assert "gpu-cost-cut" not in [s.id for s in question_summaries(db)]
    detail = question_detail(db, "gpu-cost-cut")
    assert detail is not None and detail.retired  # still readable: recorded interviews may point at it
    assert _count(db, "question_version") == 3
    path.write_text(content)
    report = sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert report.restored == ["gpu-cost-cut"]
    assert "gpu-cost-cut" in [s.id for s in question_summaries(db)]


def _snapshot(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (the index's shadow tables too), sorted: equal snapshots, same data."""
    with db.engine.connect() as conn:
        if db.is_sqlite:
            names = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))]
        else:
            names = [r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))]
        out = {}
        for name in sorted(names):
            if name == "question_fts" and db.is_sqlite:
                continue  # the virtual table; its shadow tables (question_fts_data, ...) are compared
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted(tuple(map(repr, r)) for r in rows)
    return out


def test_has_live_questions_answers_as_the_summaries_do(db: Database, mini_bank: Path) -> None:
    """The command line's first-load check asks for one row; it says what question_summaries' emptiness says."""
    assert not has_live_questions(db) and question_summaries(db) == []
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert has_live_questions(db) and question_summaries(db)
    for path in (mini_bank / "questions").rglob("*.md"):
        path.unlink()
    assert sorted(sync_bank(db, mini_bank, by=LOCAL_ADMIN).retired) == [
        "drift-incident", "gpu-cost-cut", "latency-regression"]
    assert not has_live_questions(db) and question_summaries(db) == []  # every question retired: none live


def test_a_bank_with_an_error_is_not_synced_at_all(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    questions = mini_bank / "questions" / "serving"
    write_question(mini_bank, "new-one", prompt="Tell me about a model you shipped last quarter.")  # valid
    write_question(mini_bank, "latency-regression", prompt="How did you find the p99 regression?")  # changed
    (questions / "gpu-cost-cut.md").unlink()  # would be retired
    path = questions / "drift-incident.md"
    path.write_text(path.read_text().replace("kind: behavioural", "kind: [oops"))
    before = _snapshot(db)
    with pytest.raises(BankHasErrors) as info:
        sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    message = str(info.value)
    assert message.startswith("the question bank has 1 error, so nothing was synced; first: ")
    assert "questions/serving/drift-incident.md:" in message and "\n" not in message
    assert _snapshot(db) == before  # not even the valid new file, the change or the retirement
    path.write_text(path.read_text().replace("kind: [oops", "kind: behavioural"))
    report = sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert (report.added, report.changed, report.retired) == (["new-one"], ["latency-regression"], ["gpu-cost-cut"])


def test_the_refusal_counts_every_error_and_names_the_first(db: Database, mini_bank: Path) -> None:
    for i in range(3):
        write_question(mini_bank, f"broken-{i}", text=f"---\nid: broken-{i}\ntitle: [\n---\nx\n")
    (mini_bank / "competencies.yaml").write_text("- id: x\n")  # an error in the framework, found first
    with pytest.raises(BankHasErrors) as info:
        sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    # x misses 3 fields, the 3 broken files, and the 3 good questions' competency is gone with the framework
    assert "has 9 errors" in str(info.value)
    assert "first: competencies.yaml:1: error:" in str(info.value)
    assert question_summaries(db) == []


def test_errors_found_after_a_batch_was_written_roll_it_back(
    db: Database, mini_bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interviewkit.services import bank_sync

    monkeypatch.setattr(bank_sync, "_BATCH", 2)  # the first two questions are written before the error is read
    write_question(mini_bank, "zz-last", text="---\nid: zz-last\n---\nx\n")  # sorts after the others
    before = _snapshot(db)
    with count_writes(db) as writes, pytest.raises(BankHasErrors, match="has 7 errors"):  # zz-last's missing fields
        sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert any("question_version" in w for w in writes)  # a batch went out before the error was read...
    assert _snapshot(db) == before  # ...and was rolled back


def test_a_file_that_takes_another_questions_id_is_refused(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    questions = mini_bank / "questions" / "serving"
    # drift-incident.md now says it is gpu-cost-cut: before, the sync gave gpu-cost-cut drift's text as a
    # new version and retired drift-incident.
    drift = questions / "drift-incident.md"
    drift.write_text(drift.read_text().replace("id: drift-incident", "id: gpu-cost-cut"))
    before = _snapshot(db)
    with pytest.raises(BankHasErrors, match="does not match the file name"):
        sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert _snapshot(db) == before
    # The same with the other file gone: still refused, the id is the file's name.
    (questions / "gpu-cost-cut.md").unlink()
    with pytest.raises(BankHasErrors, match="does not match the file name"):
        sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert _snapshot(db) == before
    detail = question_detail(db, "gpu-cost-cut")
    assert detail is not None and detail.version == 1 and "GPU" in detail.prompt


def test_a_competency_listed_twice_is_refused_not_a_crash(db: Database, mini_bank: Path) -> None:
    path = mini_bank / "questions" / "serving" / "gpu-cost-cut.md"
    path.write_text(
        path.read_text().replace("competencies: [model-serving]", "competencies: [model-serving, model-serving]")
    )
    with pytest.raises(BankHasErrors, match="lists competency 'model-serving' twice"):
        sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert question_summaries(db) == []


def test_the_app_start_raises_the_one_line_error_and_lets_the_database_go(tmp_path: Path, mini_bank: Path) -> None:
    from interviewkit.services.context import open_app

    db_file = tmp_path / "app.sqlite"
    ctx, _ = open_app(str(db_file), mini_bank)
    ctx.db.dispose()
    digest = db_file.read_bytes()
    (mini_bank / "questions" / "serving" / "new.md").write_text("---\nid: new\n---\n")
    with pytest.raises(BankHasErrors, match="nothing was synced"):
        open_app(str(db_file), mini_bank)
    assert db_file.read_bytes() == digest
    assert not (tmp_path / "app.sqlite-wal").exists()  # let go of: the last connection closed


def test_requirement_links_follow_versions(db: Database, mini_bank: Path) -> None:
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    rows = {r.requirement.id: r for r in coverage(db, "ml-lead-lisbon-ad")}
    assert rows["ml-lead-lisbon-ad.ml-engineering-manager.05"].count == 3
    path = mini_bank / "questions" / "serving" / "gpu-cost-cut.md"
    path.write_text(path.read_text().replace("  - ml-lead-lisbon-ad.ml-engineering-manager.05\n", ""))
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    rows = {r.requirement.id: r for r in coverage(db, "ml-lead-lisbon-ad")}
    assert rows["ml-lead-lisbon-ad.ml-engineering-manager.05"].questions == ("drift-incident", "latency-regression")


_LIVE_VERSIONS = (
    "SELECT v.id FROM question q JOIN question_version v ON v.question_id = q.id "
    "AND v.version = q.current_version WHERE q.retired_at IS NULL"
)


def _assert_index_exact(db: Database) -> None:
    """The full-text index holds the current version of every live question and nothing else.

    On SQLite the index is read term by term (each term, version id, column and offset) and compared with
    the same texts indexed afresh in a scratch table; so are the bm25 scores of common terms, which also
    depend on the index's row count and lengths. On PostgreSQL the indexed version ids are compared.
    """
    with db.engine.begin() as conn:
        live = {r[0] for r in conn.execute(text(_LIVE_VERSIONS))}
        assert live, "the scenario should leave something indexed"
        if not db.is_sqlite:
            assert {r[0] for r in conn.execute(text("SELECT version_id FROM question_fts"))} == live
            return
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.fresh USING fts5(title, prompt, competencies, rubric, follow_ups, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        conn.exec_driver_sql(
            "INSERT INTO temp.fresh (rowid, title, prompt, competencies, rubric, follow_ups) "
            "SELECT id, title, prompt, competencies, rubric, follow_ups FROM question_fts_source "
            f"WHERE id IN ({_LIVE_VERSIONS})"
        )
        conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.fresh_terms USING fts5vocab(temp, fresh, instance)")
        conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.index_terms USING fts5vocab(main, question_fts, instance)")
        try:
            terms = "SELECT term, doc, col, offset FROM temp.{}"
            indexed = set(conn.exec_driver_sql(terms.format("index_terms")).all())
            assert indexed == set(conn.exec_driver_sql(terms.format("fresh_terms")).all())
            assert {doc for _t, doc, _c, _o in indexed} == live
            for term in ("model", "tell", "latency"):
                in_index = conn.exec_driver_sql(
                    "SELECT rowid, round(bm25(question_fts), 9) FROM question_fts WHERE question_fts MATCH ? "
                    "ORDER BY rowid",
                    (term,),
                ).all()
                afresh = conn.exec_driver_sql(
                    "SELECT rowid, round(bm25(fresh), 9) FROM temp.fresh WHERE fresh MATCH ? ORDER BY rowid", (term,)
                ).all()
                assert in_index == afresh, term
        finally:
            for table in ("index_terms", "fresh_terms", "fresh"):
                conn.exec_driver_sql(f"DROP TABLE temp.{table}")


def test_the_search_index_holds_exactly_the_current_version_of_every_live_question(
    db: Database, mini_bank: Path
) -> None:
    questions = mini_bank / "questions" / "serving"
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    _assert_index_exact(db)
    write_question(mini_bank, "latency-regression", prompt="How did you find and fix a p99 latency regression?")
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)  # a new version replaces the old one in the index
    _assert_index_exact(db)
    gpu = (questions / "gpu-cost-cut.md").read_text()
    (questions / "gpu-cost-cut.md").unlink()
    assert sync_bank(db, mini_bank, by=LOCAL_ADMIN).retired == ["gpu-cost-cut"]  # out of the index
    _assert_index_exact(db)
    (questions / "gpu-cost-cut.md").write_text(gpu)
    assert sync_bank(db, mini_bank, by=LOCAL_ADMIN).restored == ["gpu-cost-cut"]  # back in, same version
    _assert_index_exact(db)
    drift = questions / "drift-incident.md"
    good = drift.read_text()
    drift.write_text(good.replace("kind: behavioural", "kind: [oops"))
    with pytest.raises(BankHasErrors):
        sync_bank(db, mini_bank, by=LOCAL_ADMIN)  # a bank with an error changes nothing, the index neither
    _assert_index_exact(db)
    drift.write_text(good)
    competencies = mini_bank / "competencies.yaml"
    text_before = competencies.read_text()
    assert "name: Model deployment and serving" in text_before
    competencies.write_text(text_before.replace("name: Model deployment and serving", "name: Online inference"))
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)  # a renamed competency: every live question is indexed with the new name
    _assert_index_exact(db)
    assert sorted(search_question_ids(db, "online inference")) == [
        "drift-incident",
        "gpu-cost-cut",
        "latency-regression",
    ]
    write_question(
        mini_bank, "drift-incident", title="A model that drifted", prompt="What did you do when inputs drifted?"
    )
    (questions / "latency-regression.md").unlink()
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)  # changed and retired in one sync
    _assert_index_exact(db)


def test_a_bank_larger_than_one_batch_syncs_whole(db: Database, mini_bank: Path) -> None:
    # More questions than the sync writes at a time (500), so that several batches are written and
    # indexed while the next ones are read.
    for i in range(1203):
        write_question(mini_bank, f"generated-{i:04d}", folder=f"questions/g{i % 7}",
                       prompt=f"Tell me about incident number {i} and what you changed afterwards.")
    report = sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    assert len(report.added) == 1206 and not report.problems
    assert _count(db, "question_version") == 1206
    assert _count(db, "question_competency") >= 1206
    _assert_index_exact(db)
    assert sync_bank(db, mini_bank, force=True, by=LOCAL_ADMIN).unchanged == 1206


@pytest.mark.sqlite_only
def test_after_a_sync_the_index_is_back_to_fts5s_defaults(db: Database, mini_bank: Path) -> None:
    # A sync loads the index in bulk with a large buffer and late merges; later small writes get the defaults.
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    with db.engine.connect() as conn:
        config = dict(conn.execute(text("SELECT k, v FROM question_fts_config")).all())
    assert config["hashsize"] == 1024 * 1024 and config["automerge"] == 4
