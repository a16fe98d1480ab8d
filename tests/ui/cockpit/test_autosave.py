"""The autosaver's when_saved: what waits for the database (a submission, an export) is told when every
change pushed so far is there, without waiting on the GUI thread."""

from __future__ import annotations

import threading
from concurrent.futures import Future

from pytestqt.qtbot import QtBot

from interviewkit.services.scorecards import DraftChanges
from interviewkit.ui.cockpit.autosave import Autosaver


class FakeDatabase:
    """Takes batches on the autosaver's thread; each waits for ``gate`` while it is closed."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.gate.set()
        self.fail = False
        self.notes: dict[int, str] = {}

    def write(self, batch: DraftChanges) -> int:
        assert self.gate.wait(10)
        if self.fail:
            raise OSError("database is locked")
        self.notes.update(batch.notes)
        return 1


def test_when_saved_waits_for_every_change_pushed_so_far(qtbot: QtBot) -> None:
    db = FakeDatabase()
    saver = Autosaver(db.write, interval_ms=60_000)  # a long interval: only when_saved writes now
    told: list[bool] = []
    saver.when_saved(told.append)
    assert told == [True]  # nothing pending: at once
    db.gate.clear()
    saver.push(DraftChanges(notes={1: "first"}))
    saver.when_saved(told.append)
    qtbot.waitUntil(lambda: saver._inflight is not None)  # written now, not after the interval
    saver.push(DraftChanges(notes={1: "first and more"}))  # typed while the write runs
    saver.when_saved(told.append)
    assert told == [True]  # the GUI thread went on
    db.gate.set()
    qtbot.waitUntil(lambda: len(told) == 3)
    assert told == [True, True, True] and db.notes == {1: "first and more"}  # the second waited for its change
    saver.close()


def test_when_saved_says_so_when_the_database_refuses(qtbot: QtBot) -> None:
    db = FakeDatabase()
    db.fail = True
    saver = Autosaver(db.write, interval_ms=60_000)
    saver.retry_ms = 60_000
    told: list[bool] = []
    saver.push(DraftChanges(notes={1: "kept"}))
    saver.when_saved(told.append)
    qtbot.waitUntil(lambda: told == [False])
    assert saver.dirty  # kept for the retry
    db.fail = False
    saver.when_saved(told.append)  # asking again writes now, without waiting for the retry
    qtbot.waitUntil(lambda: told == [False, True])
    assert db.notes == {1: "kept"}
    saver.close()


class _AtOnce:
    """An executor whose work is done before submit returns (a write quicker than adding its callback)."""

    def submit(self, fn, *args):  # type: ignore[no-untyped-def]
        future: Future[object] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the future, as an executor does
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def test_flush_copes_with_a_write_over_before_its_callback_is_added(qtbot: QtBot) -> None:
    """The callback of a future already done runs at once, on the GUI thread, and settles the write: flush()
    (closing the window) saw no write in flight and failed an assertion."""
    db = FakeDatabase()
    saver = Autosaver(db.write, interval_ms=10_000)
    saver._executor = _AtOnce()  # type: ignore[assignment]
    saver.push(DraftChanges(notes={1: "said at once"}))
    assert saver.flush() and db.notes == {1: "said at once"} and not saver.dirty
    db.fail = True
    saver.push(DraftChanges(notes={1: "refused at once"}))
    assert not saver.flush() and saver.dirty
