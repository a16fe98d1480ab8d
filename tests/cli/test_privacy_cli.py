"""interviewkit erase / retention / --as: personal data and rights from the command line."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from interviewkit.cli import main
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import people
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.debrief import record_decision
from interviewkit.services.demo import create_demo
from interviewkit.storage.db import Database
from interviewkit.storage.models import utcnow


@pytest.fixture
def demo(shipped_db: Database) -> Database:
    create_demo(shipped_db, shipped_bank_dir(), by=LOCAL_ADMIN)
    lead = next(p.id for p in people.people(shipped_db) if p.access_role == "hiring_manager")
    cands = {c.name: c.id for c in people.candidates(shipped_db, by=LOCAL_ADMIN)}
    for name, days in (("Helena Vasconcelos", 500), ("Marcus Lindqvist", 30)):
        record_decision(  # the demo decided already: reopened, with its date set below
            shipped_db, cands[name], lead, outcome="hire", rationale=f"{name} was strong.", participants=[lead],
            reopen_reason="Decided again for the test",
        )
        with shipped_db.engine.begin() as conn:
            conn.execute(text("UPDATE decision SET decided_at = :t WHERE candidate_id = :c"),
                         {"t": utcnow() - timedelta(days=days), "c": cands[name]})
    return shipped_db


def _db(db: Database) -> list[str]:
    return ["--db", db.url.render_as_string(hide_password=False)]


def _names(db: Database) -> set[str]:
    return {c.name for c in people.candidates(db, by=LOCAL_ADMIN)}


def test_retention_dry_run_lists_and_changes_nothing(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_db(demo), "retention", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["days"] == 365 and [d["name"] for d in out["due"]] == ["Helena Vasconcelos"]
    assert "email" in out["due"][0]["fields"]
    assert main([*_db(demo), "retention", "--dry-run", "--days", "10"]) == 0
    text_out = capsys.readouterr().out
    assert "Helena Vasconcelos" in text_out and "Marcus Lindqvist" in text_out and "removes: name, email" in text_out
    assert {"Helena Vasconcelos", "Marcus Lindqvist"} <= _names(demo)


def test_retention_needs_yes_without_a_terminal(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_db(demo), "retention"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert "Helena Vasconcelos" in _names(demo)
    assert main([*_db(demo), "retention", "--yes"]) == 0
    assert "Erased 1 candidate(s)." in capsys.readouterr().out
    assert "Helena Vasconcelos" not in _names(demo) and "Marcus Lindqvist" in _names(demo)


def test_retention_days_are_stored(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_db(demo), "retention", "--days", "20", "--yes"]) == 0
    assert "Retention period: 20 days" in capsys.readouterr().out
    assert not {"Helena Vasconcelos", "Marcus Lindqvist"} & _names(demo)
    assert main([*_db(demo), "retention", "--dry-run"]) == 0
    assert "Retention period: 20 days" in capsys.readouterr().out


def test_erase_one_candidate(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    cid = next(c.id for c in people.candidates(demo, by=LOCAL_ADMIN) if c.name == "Aisha Rahman")
    assert main([*_db(demo), "erase", str(cid), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Erasing Aisha Rahman" in out and f"Candidate #{cid} (erased)" in out
    assert people.candidate(demo, cid, by=LOCAL_ADMIN).erased
    assert main([*_db(demo), "erase", str(cid), "--yes"]) == 2
    assert "already erased" in capsys.readouterr().err
    assert main([*_db(demo), "erase", "999", "--yes"]) == 2


def test_as_someone_without_the_right(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    cid = next(c.id for c in people.candidates(demo, by=LOCAL_ADMIN) if c.name == "Aisha Rahman")
    assert main([*_db(demo), "--as", "rita.figueiredo@example.com", "erase", str(cid), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "Rita Figueiredo (Hiring manager) may not erase" in err
    assert main([*_db(demo), "retention", "--dry-run", "--as", "amara.okafor@example.com"]) == 2
    assert "run_retention" in capsys.readouterr().err
    assert main([*_db(demo), "--as", "nobody@example.com", "retention", "--dry-run"]) == 2
    assert "No person 'nobody@example.com'" in capsys.readouterr().err
    assert not people.candidate(demo, cid, by=LOCAL_ADMIN).erased


def test_calibrate_as_an_interviewer_shows_only_their_own_leniency(
    demo: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_db(demo), "calibrate", "--json"]) == 0
    everyone = json.loads(capsys.readouterr().out)
    assert len(everyone["interviewers"]) > 1
    # an interviewer who submitted for three of the demo's candidates (enough for a calibration of her own)
    assert main([*_db(demo), "--as", "priya.raghunathan@example.com", "calibrate", "--json"]) == 0
    mine = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in mine["interviewers"]] == ["Priya Raghunathan"]
    # Computed from the scorecards she may read, and no colleague is named anywhere, even in the ICC block.
    assert mine["n_candidates"] < everyone["n_candidates"]
    text = json.dumps(mine)
    colleagues = [i["id"] for i in everyone["interviewers"] if i["id"] != "Priya Raghunathan"]
    assert colleagues and not any(name in text for name in colleagues)


def _cid(db: Database, name: str) -> int:
    return next(c.id for c in people.candidates(db, by=LOCAL_ADMIN) if c.name == name)


SECRET = "her sister runs the Fjord-8812 lab in Bergen"


def _plant_note(db: Database, candidate_id: int) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(
            "UPDATE asked_question SET notes = notes || :t WHERE id = (SELECT aq.id FROM asked_question aq "
            "JOIN scorecard sc ON sc.id = aq.scorecard_id JOIN stage st ON st.id = sc.stage_id "
            "JOIN interview_loop l ON l.id = st.loop_id WHERE l.candidate_id = :c ORDER BY aq.id LIMIT 1)"),
            {"t": " " + SECRET, "c": candidate_id})


def _file_and_log(db: Database) -> bytes:
    assert db.path is not None
    wal = db.path.with_name(db.path.name + "-wal")
    return db.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


@pytest.mark.sqlite_only
def test_erase_waits_for_a_reader_says_what_is_pending_and_a_later_command_finishes(
    demo: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: another copy reading for longer than the wait kept the erased text in the file and -wal."""
    import sqlite3

    cid = _cid(demo, "Aisha Rahman")
    _plant_note(demo, cid)
    assert demo.path is not None
    reader = sqlite3.connect(demo.path, isolation_level=None)  # another copy of the app, reading
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT COUNT(*) FROM asked_question").fetchone()[0]
        assert main([*_db(demo), "erase", str(cid), "--yes", "--wait", "1.2"]) == 0
        captured = capsys.readouterr()
        assert "waiting for other copies to let go of the database: 1 s" in captured.err
        assert "Note: the text erased on " in captured.out and "is still in" in captured.out
        assert "until every other copy of InterviewKit lets go of the database" in captured.out
        assert SECRET.encode() in _file_and_log(demo), "the reader's snapshot still needs it"
        # while it still reads, every command tries again and says it is still pending
        assert main([*_db(demo), "retention", "--dry-run"]) == 0
        assert "is still in" in capsys.readouterr().err
        reader.execute("COMMIT")  # it lets go
        assert main([*_db(demo), "retention", "--dry-run"]) == 0
        assert "removed the text erased on" in capsys.readouterr().err
        raw = _file_and_log(demo)
        assert SECRET.encode() not in raw and b"Aisha" not in raw
        assert not demo.path.with_name(demo.path.name + "-wal").stat().st_size
        assert main([*_db(demo), "retention", "--dry-run"]) == 0
        assert "erased" not in capsys.readouterr().err
    finally:
        reader.close()


@pytest.mark.sqlite_only
def test_erase_that_waits_less_than_the_reader_finishes_when_it_lets_go_within_the_wait(
    demo: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3
    import threading

    cid = _cid(demo, "Aisha Rahman")
    _plant_note(demo, cid)
    assert demo.path is not None
    reader = sqlite3.connect(demo.path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM asked_question").fetchone()
    import sys

    class Watch:
        """stderr that lets the reader go once the command says it has waited a second."""

        def __init__(self) -> None:
            self.text, self.seen = "", threading.Event()

        def write(self, s: str) -> int:
            self.text += s
            if "let go of the database: 1 s" in self.text:
                self.seen.set()
            return len(s)

        def flush(self) -> None: ...

        def isatty(self) -> bool:
            return False

    watch = Watch()
    thread = threading.Thread(target=lambda: (watch.seen.wait(60), reader.execute("COMMIT")))
    thread.start()
    old, sys.stderr = sys.stderr, watch  # type: ignore[assignment]
    try:
        assert main([*_db(demo), "erase", str(cid), "--yes", "--wait", "60"]) == 0
    finally:
        sys.stderr = old
        thread.join()
        reader.close()
    out = capsys.readouterr().out
    assert "rebuilt and its log emptied after waiting" in out and "Note:" not in out
    assert SECRET.encode() not in _file_and_log(demo)


@pytest.mark.sqlite_only
def test_the_cli_says_once_that_it_made_the_files_private(
    demo: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import stat

    assert demo.path is not None
    os.chmod(demo.path, 0o644)
    assert main([*_db(demo), "retention", "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert f"interviewkit: made {demo.path.name}" in err and "(mode 0600; it was 0644)" in err
    assert stat.S_IMODE(demo.path.stat().st_mode) == 0o600
    assert main([*_db(demo), "retention", "--dry-run"]) == 0
    assert "0600" not in capsys.readouterr().err


def test_backup_days_are_stored_for_an_sqlite_file_only(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    if demo.is_sqlite:
        assert main([*_db(demo), "retention", "--dry-run"]) == 0
        assert "Pre-migration backups of the database file are kept 7 days" in capsys.readouterr().out
        assert main([*_db(demo), "retention", "--backup-days", "3", "--days", "10000"]) == 0
        assert "are kept 3 days" in capsys.readouterr().out
        assert main([*_db(demo), "retention", "--dry-run", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["backup_days"] == 3
    else:
        assert main([*_db(demo), "retention", "--backup-days", "3", "--days", "10000"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "makes no copies of a team database" in err
    assert main([*_db(demo), "retention", "--backup-days", "-1"]) == 2
    assert "between 0 and" in capsys.readouterr().err
    assert main([*_db(demo), "erase", "1", "--yes", "--wait", "-3"]) == 2
    assert "--wait -3" in capsys.readouterr().err


def test_db_maintain_with_nothing_pending(demo: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*_db(demo), "db", "maintain"]) == 0
    out = capsys.readouterr().out
    assert ("Rebuilt" in out and "emptied its log" in out) if demo.is_sqlite else "Nothing to rewrite" in out
