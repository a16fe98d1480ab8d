"""An SQLite database's files hold personal data: the pre-migration backup beside it (made private, shredded
by an erasure, deleted after its grace period) and the modes of the database's own files."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from interviewkit.services import loops, people, privacy, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.bank_sync import sync_bank
from interviewkit.storage import schema
from interviewkit.storage.db import open_database
from interviewkit.storage.migrate import alembic_config

pytestmark = pytest.mark.sqlite_only

OLD = "0007"
NAME = "Ingrid Solbakken"
NOTE = "Ingrid described moving to Tromso-5521 for her partner's research post"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _folder_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


@pytest.fixture
def old_db(tmp_path: Path, mini_bank: Path) -> Path:
    """A database of schema 0007 (the version before this one) holding a candidate with notes, left 0644
    as versions before this one left files copied or made under umask 022."""
    path = tmp_path / "team" / "interviewkit.sqlite"
    path.parent.mkdir()
    db = open_database(path)
    sync_bank(db, mini_bank, by=LOCAL_ADMIN)
    admin = people.create_person(db, name="Lee Admin", email="lee@example.com", access_role="admin", by=LOCAL_ADMIN).id
    ana = people.create_person(db, name="Ana Ortiz", email="ana@example.com", by=LOCAL_ADMIN).id
    opening = people.create_opening(db, title="ML EM", jd_ids=["ml-eng-manager-profile"], hiring_manager_id=admin,
                                    by=LOCAL_ADMIN)
    cand = people.create_candidate(db, name=NAME, opening_id=opening.id, email="ingrid.s@example.org",
                                   phone="+47 912 34 567", by=LOCAL_ADMIN)
    stage = loops.add_stage(db, loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id, name="Serving",
                            minutes=45, focus=["model-serving"], interviewer_id=ana, by=LOCAL_ADMIN).id
    loops.set_stage_plan(db, stage, ["latency-regression"], by=LOCAL_ADMIN)
    card = scorecards.open_scorecard(db, stage, ana, "test:1")
    scorecards.save_draft(db, card.id, "test:1", scorecards.DraftChanges(notes={card.questions[0].asked_id: NOTE}),
                          by=ana)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, OLD)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    os.chmod(path, 0o644)
    return path


def test_the_pre_migration_backup_is_a_private_consistent_copy(old_db: Path) -> None:
    db = open_database(old_db)
    try:
        backup = old_db.with_name(f"{old_db.name}.bak-{OLD}")
        assert sorted(p.name for p in old_db.parent.iterdir() if ".bak" in p.name) == [backup.name]
        assert _mode(backup) == 0o600
        assert _mode(old_db) == 0o600
        con = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            assert con.execute("SELECT version_num FROM alembic_version").fetchone() == (OLD,)
            assert con.execute("SELECT name FROM candidate").fetchall() == [(NAME,)]
            assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        finally:
            con.close()
        assert not any(old_db.parent.glob(f"{backup.name}-*")), "one file: no -wal or -shm beside the copy"
        assert any(backup.name in n and "7 days" in n for n in db.notices), db.notices
    finally:
        db.dispose()


def test_an_erasure_shreds_the_backups_and_says_so(old_db: Path) -> None:
    db = open_database(old_db)
    try:
        legacy = old_db.with_name(f"{old_db.name}.before-{OLD}.bak")  # the name older versions used
        legacy.write_bytes(old_db.with_name(f"{old_db.name}.bak-{OLD}").read_bytes())
        cid = next(c.id for c in people.candidates(db, by=LOCAL_ADMIN) if c.name == NAME)
        preview = privacy.erasure_preview(db, cid, by=LOCAL_ADMIN)
        assert any("2 pre-migration backups" in f for f in preview), preview
        report = privacy.erase_candidate(db, cid, by=LOCAL_ADMIN, reason="asked by email")
        assert sorted(report.cleanup.backups_deleted) == sorted([legacy.name, f"{old_db.name}.bak-{OLD}"])
        assert report.compacted
    finally:
        db.dispose()
    assert not [p for p in old_db.parent.iterdir() if ".bak" in p.name]
    raw = _folder_bytes(old_db.parent)
    for secret in (NAME, "Tromso-5521", "ingrid.s@example.org"):
        assert secret.encode() not in raw, secret


def test_a_backup_goes_after_the_grace_period_the_admin_sets(old_db: Path) -> None:
    open_database(old_db).dispose()
    backup = old_db.with_name(f"{old_db.name}.bak-{OLD}")

    def age(days: float) -> None:
        when = time.time() - days * 86400
        os.utime(backup, (when, when))

    age(6.9)
    db = open_database(old_db)
    db.dispose()
    assert backup.exists() and not any("deleted" in n for n in db.notices)
    db = open_database(old_db)
    try:
        assert privacy.backup_days(db) == privacy.DEFAULT_BACKUP_DAYS == 7
        privacy.set_backup_days(db, 30, by=LOCAL_ADMIN)
    finally:
        db.dispose()
    age(29)
    open_database(old_db).dispose()
    assert backup.exists()
    age(30.1)
    db = open_database(old_db)
    db.dispose()
    assert not backup.exists()
    assert any("deleted the pre-migration backup" in n and backup.name in n for n in db.notices), db.notices
    assert [p.name for p in old_db.parent.iterdir()] == [old_db.name]


def test_backups_of_the_current_schema_and_other_files_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    open_database(path).dispose()
    mine = [tmp_path / f"x.sqlite.bak-{schema.HEAD}", tmp_path / "x.sqlite.bak-mine", tmp_path / "x.sqlite.old"]
    for p in mine:
        p.write_bytes(b"keep")
        os.utime(p, (0, 0))
    open_database(path).dispose()
    assert all(p.exists() for p in mine)


def test_files_are_tightened_to_0600_on_open_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    open_database(path).dispose()
    holder = sqlite3.connect(path)  # another copy, keeping the -wal and -shm in place
    try:
        holder.execute("CREATE TABLE IF NOT EXISTS scratch (x)")
        holder.execute("INSERT INTO scratch VALUES (1)")
        holder.commit()
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        for p in files:
            os.chmod(p, 0o644)
        db = open_database(path)
        db.dispose()
        assert [_mode(p) for p in files] == [0o600, 0o600, 0o600]
        (notice,) = [n for n in db.notices if "0600" in n]
        assert all(p.name in notice for p in files) and "0644" in notice
        again = open_database(path)
        again.dispose()
        assert not [n for n in again.notices if "0600" in n]
    finally:
        holder.close()


def test_a_new_database_and_its_log_are_private_even_under_umask_022(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        db = open_database(tmp_path / "new.sqlite")
        try:
            with db.engine.begin() as conn:
                conn.execute(text("SELECT 1"))
            assert _mode(tmp_path / "new.sqlite") == 0o600
            assert _mode(tmp_path / "new.sqlite-wal") == 0o600
            assert not db.notices
        finally:
            db.dispose()
    finally:
        os.umask(old)
