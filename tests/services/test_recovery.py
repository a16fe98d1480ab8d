"""The recovery journal: what is typed is on disk within half a second, and reaches the database exactly once.

Replays run on SQLite and PostgreSQL; the "database away" test holds SQLite's write lock from another
connection, and on PostgreSQL refuses connections to the test's database for a while.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from interviewkit.bank.loader import load_settings
from interviewkit.paths import shipped_bank_dir
from interviewkit.services import loops, people, recovery
from interviewkit.services import scorecards as svc
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.recovery import Journal, read_journal, replay
from interviewkit.services.scorecards import DraftChanges, RatingState
from interviewkit.storage.db import Database

FOCUS = ["monitoring-drift", "mlops-cicd"]


@dataclass(frozen=True)
class Card:
    db: Database
    person: int
    stage: int
    id: int
    asked: list[int]
    window: str  # the instance id of the window that has it open


def _card(db: Database, *, email: str = "ana@example.com", window: str = "laptop:111:aaaa") -> Card:
    ana = people.create_person(db, name="Ana Ortiz", email=email, by=LOCAL_ADMIN)
    opening = people.create_opening(
        db, title="ML Engineering Manager", jd_ids=["ml-eng-manager-profile"], by=LOCAL_ADMIN
    )
    cand = people.create_candidate(db, name="Priya Natarajan", opening_id=opening.id, by=LOCAL_ADMIN)
    loop = loops.create_loop(db, cand.id, name="Onsite", by=LOCAL_ADMIN).id
    stage = loops.add_stage(db, loop, name="Production ML", minutes=45, focus=FOCUS, interviewer_id=ana.id,
                            scheduled_at=datetime.now(UTC), by=LOCAL_ADMIN).id
    loops.set_stage_plan(db, stage, ["drift-incident-retraining", "model-rollback-decision"], by=LOCAL_ADMIN)
    state = svc.open_scorecard(db, stage, ana.id, window)
    return Card(db, ana.id, stage, state.id, [q.asked_id for q in state.questions], window)


def _state(card: Card) -> svc.ScorecardState:
    return svc.scorecard_state(card.db, card.id, by=card.person)


def _crashed_journal(folder: Path, card: Card, *changes: DraftChanges) -> Path:
    """A journal as a window that died left it: its changes on disk, none applied, its lock gone."""
    journal = Journal.create(folder, card.db, _state(card), card.person, card.window)
    for c in changes:
        journal.record(c)
    assert journal.sync()
    journal.close()  # keeps the file: nothing in it is applied
    assert journal.path.exists()
    return journal.path


def _resume(card: Card, window: str = "desk:222:bbbb") -> Card:
    """Another window opens the scorecard after the crash (the crashed one's lock is taken over)."""
    svc.open_scorecard(card.db, card.stage, card.person, window, take_over=True)
    return Card(card.db, card.person, card.stage, card.id, card.asked, window)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# -- the file ------------------------------------------------------------------------------------------------


def test_changes_survive_the_round_trip_through_json() -> None:
    changes = DraftChanges(
        notes={7: "- detected via weekly report\n- PSI alerts ✓ «café» \ud83d"},
        seconds={7: 61.5, 8: 0.0},
        order=[8, 7],
        current_position=1,
        elapsed_seconds=123.25,
        ratings={
            "monitoring-drift": RatingState(3, False, "", "named PSI"),
            "mlops-cicd": RatingState(None, True, "no time", ""),
        },
        recommendation=None,
        clear_recommendation=True,
        summary="Strong on monitoring.",
    )
    line = recovery._line({"changes": recovery.encode_changes(changes)})
    assert line.isascii() and line.endswith(b"\n") and line.count(b"\n") == 1
    assert recovery.decode_changes(json.loads(line)["changes"]) == changes


@pytest.mark.parametrize("bad", [
    {"notes": {"x": "a"}}, {"notes": {"1": 5}}, {"seconds": {"1": "nan"}}, {"order": "1,2"},
    {"current_position": True}, {"ratings": {"c": {"score": "3"}}}, {"summary": 3}, {"evil": 1},
])
def test_a_damaged_change_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        recovery.decode_changes(bad)


def test_a_journal_round_trip_merges_changes_newest_last(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a, b = card.asked
    journal = Journal.create(tmp_path, card.db, _state(card), card.person, card.window)
    journal.record(DraftChanges(notes={a: "first"}, elapsed_seconds=10.0))
    journal.record(DraftChanges(notes={a: "first, then more", b: "other"}, elapsed_seconds=11.0))
    journal.sync()
    journal.record(DraftChanges(summary="done", elapsed_seconds=12.0))
    journal.close()
    got = read_journal(journal.path)
    assert got.header is not None and (got.header.scorecard_id, got.header.person_id) == (card.id, card.person)
    assert got.header.candidate == "Priya Natarajan" and got.last_seq == 3 and got.applied_seq == 0
    assert got.pending == DraftChanges(notes={a: "first, then more", b: "other"}, elapsed_seconds=12.0, summary="done")
    assert not got.torn and got.damaged == 0


def test_the_folder_and_files_are_private(shipped_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "deep" / "journal"
    card = _card(shipped_db)
    journal = Journal.create(folder, card.db, _state(card), card.person, card.window)
    journal.close()
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_the_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(recovery.ENV_DIR, str(tmp_path / "j"))
    assert recovery.journal_dir() == tmp_path / "j"
    monkeypatch.delenv(recovery.ENV_DIR)
    assert recovery.journal_dir().parts[-2:] == ("InterviewKit", "journal")


# -- cadence -----------------------------------------------------------------------------------------------------


def test_a_change_is_fsynced_a_quarter_second_after_it_is_typed_not_later(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    (a, _b) = card.asked
    clock, synced = FakeClock(), []
    journal = Journal.create(tmp_path, card.db, _state(card), card.person, card.window, clock=clock,
                             fsync=synced.append)
    assert len(synced) == 1  # the header
    lines = lambda: journal.path.read_bytes().count(b"\n")  # noqa: E731

    seq = journal.record(DraftChanges(notes={a: "d"}))
    assert journal.due == pytest.approx(0.25)
    clock.now = 0.2
    assert not journal.flush_if_due() and lines() == 1 and len(synced) == 1 and journal.durable_seq == 0
    clock.now = 0.1
    journal.record(DraftChanges(notes={a: "de"}))  # typing on does not push the fsync back (a throttle)
    assert journal.due == pytest.approx(0.25)
    clock.now = 0.25
    assert journal.flush_if_due()
    assert lines() == 2 and len(synced) == 2 and journal.durable_seq == seq + 1 and journal.due is None
    assert read_journal(journal.path).pending == DraftChanges(notes={a: "de"})
    clock.now = 0.3
    assert not journal.flush_if_due()  # nothing new: no write, no fsync
    assert len(synced) == 2
    journal.close()


def test_the_writer_thread_fsyncs_without_the_caller_waiting(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a = card.asked[0]
    durable: list[int] = []
    journal = Journal.create(tmp_path, card.db, _state(card), card.person, card.window)
    journal.on_durable = durable.append
    journal.start()
    seq = journal.record(DraftChanges(notes={a: "typed"}))
    assert journal.wait_durable(seq, timeout=10)
    assert durable and durable[-1] >= seq
    assert read_journal(journal.path).pending == DraftChanges(notes={a: "typed"})
    journal.close()


def test_a_full_disk_keeps_the_change_for_the_next_try(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a = card.asked[0]
    clock, errors = FakeClock(), []
    fail = [True]

    def fsync(fd: int) -> None:
        if fail[0]:
            raise OSError(28, "No space left on device")
        os.fsync(fd)

    journal = Journal.create(tmp_path, card.db, _state(card), card.person, card.window, clock=clock)
    journal._fsync = fsync
    journal.on_error = errors.append
    journal.record(DraftChanges(notes={a: "x"}))
    clock.now = 0.25
    assert not journal.flush_if_due()
    assert errors and journal.error is not None and journal.durable_seq == 0
    fail[0] = False
    journal.record(DraftChanges(notes={a: "xy"}))
    clock.now = 1.25  # a second after the failure
    assert journal.flush_if_due() and journal.error is None
    assert read_journal(journal.path).pending == DraftChanges(notes={a: "xy"})
    journal.close()


def test_a_long_journal_is_rewritten_with_only_what_is_unapplied(
    shipped_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recovery, "COMPACT_AT", 20_000)
    card = _card(shipped_db)
    a, b = card.asked
    journal = Journal.create(tmp_path, card.db, _state(card), card.person, card.window)
    for i in range(200):
        seq = journal.record(DraftChanges(notes={a: "x" * (i + 100)}))
        journal.sync()
    journal.writing(seq)
    journal.applied(seq, _state(card).revision + 1)
    for i in range(100):
        journal.record(DraftChanges(notes={b: "y" * (i + 100)}))
        journal.sync()
    journal.close()
    assert journal.path.stat().st_size < 25_000
    got = read_journal(journal.path)
    assert got.pending == DraftChanges(notes={b: "y" * 199}) and got.known_revision == _state(card).revision + 1


# -- replay ------------------------------------------------------------------------------------------------------


def test_replay_applies_a_crashed_windows_changes_exactly_once(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a, b = card.asked
    path = _crashed_journal(
        tmp_path,
        card,
        DraftChanges(notes={a: "- weekly report, 3 weeks late"}, current_position=1),
        DraftChanges(notes={b: "- rolled back in 40 min"}, ratings={FOCUS[0]: RatingState(3)}),
    )
    before = _state(card).revision
    me = _resume(card)
    first = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    assert first.applied and first.kept == () and first.waiting is None
    after = _state(me)
    assert [q.notes for q in after.questions] == ["- weekly report, 3 weeks late", "- rolled back in 40 min"]
    assert after.current_position == 1 and after.ratings[FOCUS[0]].score == 3
    assert after.revision == before + 1 == first.revision
    assert not path.exists()
    again = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    assert not again.applied and again.kept == ()
    assert _state(me).revision == before + 1


def test_replay_after_a_write_that_committed_just_before_the_crash_writes_nothing(
    shipped_db: Database, tmp_path: Path
) -> None:
    card = _card(shipped_db)
    a = card.asked[0]
    changes = DraftChanges(notes={a: "all of it"}, elapsed_seconds=300.0)
    journal = Journal.create(tmp_path, card.db, _state(card), card.person, card.window)
    seq = journal.record(changes)
    journal.sync()
    journal.writing(seq)
    svc.save_draft(card.db, card.id, card.window, changes, by=card.person)  # committed; then kill -9
    journal.close()
    revision = _state(card).revision
    me = _resume(card)
    result = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    assert not result.applied and result.kept == ()
    state = _state(me)
    assert state.revision == revision and state.questions[0].notes == "all of it"
    assert not journal.path.exists()


def test_a_torn_last_line_is_ignored(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a = card.asked[0]
    path = _crashed_journal(tmp_path, card, DraftChanges(notes={a: "safe"}))
    with open(path, "ab") as f:  # kill -9 in the middle of the next line
        f.write(b'{"k":"change","seq":2,"at":1.0,"changes":{"notes":{"' + str(a).encode() + b'":"saf')
    got = read_journal(path)
    assert got.torn and got.damaged == 0 and got.pending == DraftChanges(notes={a: "safe"})
    me = _resume(card)
    assert replay(me.db, me.id, me.window, by=me.person, directory=tmp_path).applied
    assert _state(me).questions[0].notes == "safe"


def test_a_damaged_middle_line_is_skipped_and_counted(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a, b = card.asked
    path = _crashed_journal(tmp_path, card, DraftChanges(notes={a: "one"}))
    with open(path, "ab") as f:
        f.write(b"\x00\x00garbage\n")
        f.write(recovery._line({"k": "change", "seq": 5, "at": 2.0, "changes": {"notes": {str(b): "two"}}}))
    got = read_journal(path)
    assert got.damaged == 1 and not got.torn
    assert got.pending == DraftChanges(notes={a: "one", b: "two"})


def _submit(card: Card) -> None:
    svc.save_draft(card.db, card.id, card.window, DraftChanges(
        ratings={c: RatingState(3) for c in FOCUS}, recommendation="Yes", summary="Solid."), by=card.person)
    svc.submit(card.db, card.id, card.person, load_settings(shipped_bank_dir()))


def test_replay_is_refused_for_a_scorecard_submitted_meanwhile(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a = card.asked[0]
    path = _crashed_journal(tmp_path, card, DraftChanges(notes={a: "typed while the network was down"}))
    me = _resume(card)
    _submit(me)
    result = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    assert not result.applied
    (kept,) = result.kept
    assert "submitted" in kept.reason and kept.message.startswith("Notes for 1 question typed on this computer")
    assert str(kept.text_path) in kept.message and "Priya Natarajan, Stage 1 (Production ML)" in kept.message
    assert not path.exists() and kept.path.exists() and kept.path.parent == tmp_path / "kept"
    text = kept.text_path.read_text(encoding="utf-8")
    assert f"Notes, {_state(me).questions[0].title}:\ntyped while the network was down\n" in text
    assert _state(me).questions[0].notes == ""
    assert replay(me.db, me.id, me.window, by=me.person, directory=tmp_path).kept == ()  # not offered again


def test_replay_is_refused_after_another_window_took_over_and_saved(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a = card.asked[0]
    _crashed_journal(tmp_path, card, DraftChanges(notes={a: "old laptop"}))
    other = _resume(card, "phone:333:cccc")
    svc.save_draft(
        other.db, other.id, other.window, DraftChanges(notes={a: "newer, on another machine"}), by=other.person
    )
    me = _resume(card)
    result = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    (kept,) = result.kept
    assert not result.applied and "changed in another window" in kept.reason
    assert _state(me).questions[0].notes == "newer, on another machine"


def test_replay_is_refused_when_this_window_no_longer_holds_the_scorecard(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a = card.asked[0]
    _crashed_journal(tmp_path, card, DraftChanges(notes={a: "mine"}))
    me = _resume(card)
    _resume(card, "phone:333:cccc")  # taken over before this window could write
    result = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    (kept,) = result.kept
    assert not result.applied and "taken over" in kept.reason
    assert _state(me).questions[0].notes == ""


def test_replay_is_refused_for_someone_elses_journal(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    bo = people.create_person(card.db, name="Bo Chen", email="bo@example.com", by=LOCAL_ADMIN)
    _crashed_journal(tmp_path, card, DraftChanges(notes={card.asked[0]: "Ana's"}))
    result = replay(card.db, card.id, "bo-laptop:1:b", by=bo.id, directory=tmp_path)
    (kept,) = result.kept
    assert not result.applied and kept.path.exists()
    assert _state(card).questions[0].notes == ""


def test_a_journal_about_an_erased_candidate_is_deleted_not_replayed(shipped_db: Database, tmp_path: Path) -> None:
    from interviewkit.services.privacy import erase_candidate

    card = _card(shipped_db)
    path = _crashed_journal(tmp_path, card, DraftChanges(notes={card.asked[0]: "said her manager at Acme..."}))
    me = _resume(card)
    erase_candidate(me.db, _state(me).candidate_id, by=LOCAL_ADMIN, reason="erasure requested", compact_after=False)
    result = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    (gone,) = result.kept
    assert not result.applied and gone.path is None and "were deleted" in gone.message and "erased" in gone.message
    assert "Priya" not in gone.message
    assert not path.exists() and not (tmp_path / "kept").exists()
    assert _state(me).questions[0].notes == ""


def test_a_running_windows_journal_is_left_alone(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    live = Journal.create(tmp_path, card.db, _state(card), card.person, card.window)
    live.record(DraftChanges(notes={card.asked[0]: "still typing"}))
    live.sync()
    me = _resume(card)
    result = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    assert not result.applied and result.kept == () and live.path.exists()
    assert recovery.pending_journals(tmp_path, card.db, card.person) == []
    live.close()
    (pending,) = recovery.pending_journals(tmp_path, card.db, card.person)
    assert (pending.scorecard_id, pending.stage_id, pending.what) == (card.id, card.stage, "notes for 1 question")


def test_opening_a_scorecard_recovers_into_the_new_windows_journal(shipped_db: Database, tmp_path: Path) -> None:
    card = _card(shipped_db)
    a, _b = card.asked
    old = _crashed_journal(tmp_path, card, DraftChanges(notes={a: "before the crash"}, summary="so far"))
    me = _resume(card)
    state = _state(me)
    opened = recovery.open_journal(tmp_path, me.db, state, me.person, me.window, start=False)
    assert opened.journal is not None and opened.kept == ()
    assert opened.recovered == DraftChanges(notes={a: "before the crash"}, summary="so far")
    assert recovery.overlay(state, opened.recovered).questions[0].notes == "before the crash"
    assert not old.exists()
    assert read_journal(opened.journal.path).pending == opened.recovered  # safe before the old file went
    # The cockpit's save of them, as the autosaver does it
    opened.journal.writing(opened.recovered_seq)
    revision = svc.save_draft(me.db, me.id, me.window, opened.recovered, by=me.person).revision
    opened.journal.applied(opened.recovered_seq, revision)
    opened.journal.close(remove=True)
    assert not opened.journal.path.exists()
    assert recovery.open_journal(tmp_path, me.db, _state(me), me.person, me.window, writable=False).recovered is None


# -- the database away --------------------------------------------------------------------------------------------


@contextmanager
def _database_away(db: Database, request: pytest.FixtureRequest) -> Iterator[None]:
    """SQLite: another connection holds the write lock (this one gives up at once). PostgreSQL: the
    database refuses connections and the open ones are cut, as when a VPN drops."""
    if db.is_sqlite:
        event.listen(db.engine, "connect", lambda conn, _rec: conn.execute("PRAGMA busy_timeout=0"))
        db.engine.dispose()
        holder = sqlite3.connect(str(db.path), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    server = request.getfixturevalue("pg_server")
    name = db.url.database
    server.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    server.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    try:
        yield
    finally:
        server.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


def test_while_the_database_is_away_the_journal_waits_then_applies_once(
    shipped_db: Database, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    card = _card(shipped_db)
    a = card.asked[0]
    path = _crashed_journal(tmp_path, card, DraftChanges(notes={a: "typed offline"}))
    me = _resume(card)
    before = _state(me).revision
    with _database_away(me.db, request):
        result = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
        assert result.waiting is not None and not result.applied and result.kept == ()
        assert path.exists() and read_journal(path).pending == DraftChanges(notes={a: "typed offline"})
    back = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    assert back.applied and back.waiting is None
    assert _state(me).questions[0].notes == "typed offline" and _state(me).revision == before + 1
    assert not replay(me.db, me.id, me.window, by=me.person, directory=tmp_path).applied


def test_a_journal_older_than_its_scorecard_is_set_aside(shipped_db: Database, tmp_path: Path) -> None:
    """Journals are named by the database's place and the scorecard id: a database made again at the same place
    (a new demo) reuses the ids, and a crashed interview's journal from the earlier one filled the new
    scorecard with its times ("this question 11:05 of 20:00" beside a stage total of 1:25). A journal made
    before its scorecard was started is set aside, as a replay that may not be applied."""
    card = _card(shipped_db)
    a = card.asked[0]
    path = _crashed_journal(tmp_path, card, DraftChanges(seconds={a: 665.0}, elapsed_seconds=670.0))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    header["created"] = _state(card).started_at.timestamp() - 3600  # the earlier database's interview
    path.write_text(json.dumps(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    me = _resume(card)
    opened = recovery.open_journal(tmp_path, me.db, _state(me), me.person, me.window, start=False)
    assert opened.recovered is None
    (kept,) = opened.kept
    assert "before this scorecard existed" in kept.reason
    assert _state(me).questions[0].seconds_spent == 0.0 and _state(me).elapsed_seconds == 0.0
    result = replay(me.db, me.id, me.window, by=me.person, directory=tmp_path)
    assert not result.applied and _state(me).questions[0].seconds_spent == 0.0
    if opened.journal is not None:
        opened.journal.close()
