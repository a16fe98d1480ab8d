"""Screens read off the GUI thread (issue 17, point 2): a slow read shows the busy state while the window keeps
running; a newer read wins over an older one, and requests made while a read runs do not pile up.

The service is replaced by one that waits for the test to let it finish (no sleeps): the GUI stays responsive
while it waits, which a 5 ms timer ticking on the GUI thread shows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from interviewkit.services.loops import MyStage, my_interviews
from interviewkit.ui.my_interviews import view as view_module
from interviewkit.ui.my_interviews.view import MyInterviewsView
from interviewkit.ui.shell.section import StandaloneHost
from interviewkit.ui.widgets import tasks
from tests.ui.cockpit.conftest import Planned


class SlowReads:
    """Stands for ``my_interviews``: each call waits for its gate, then answers with its rows."""

    def __init__(self, rows: list[MyStage]) -> None:
        self.rows = rows
        self.gates: list[threading.Event] = []
        self.answers: list[list[MyStage]] = []
        self.started = threading.Semaphore(0)

    def __call__(self, db: object, person_id: int) -> list[MyStage]:
        gate = threading.Event()
        self.gates.append(gate)
        answer = self.answers.pop(0) if self.answers else self.rows
        self.started.release()
        assert gate.wait(10), "the test never let the read finish"
        return answer


@pytest.fixture
def slow(planned: Planned, monkeypatch: pytest.MonkeyPatch) -> Iterator[SlowReads]:
    reads = SlowReads(my_interviews(planned.ctx.db, planned.interviewer_id))
    monkeypatch.setattr(view_module, "my_interviews", reads)
    yield reads
    for gate in reads.gates:  # never leave a worker waiting
        gate.set()


def _view(qtbot: QtBot, planned: Planned) -> MyInterviewsView:
    view = MyInterviewsView()
    qtbot.addWidget(view)
    view.set_host(StandaloneHost(view, reads_in_background=True))  # as in the window
    return view


def test_a_slow_read_shows_the_busy_state_and_the_gui_keeps_running(
    qtbot: QtBot, planned: Planned, slow: SlowReads
) -> None:
    view = _view(qtbot, planned)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    with qtbot.waitSignal(view.sig_loading) as busy:
        view.set_context(planned.ctx)
    assert busy.args == [True] and view.loading
    assert view.stack.currentWidget() is view.empty and "Reading" in view.empty.text()
    assert slow.started.acquire(timeout=10)  # the read is under way, on another thread
    qtbot.waitUntil(lambda: len(ticks) >= 10)  # ...while the GUI thread runs its timers
    assert view.loading and view.model.rowCount() == 0
    with qtbot.waitSignal(view.sig_loading) as idle:
        slow.gates[0].set()
    assert idle.args == [False] and not view.loading
    assert view.model.rowCount() == 1 and view.stack.currentWidget() is view.table
    timer.stop()


def test_a_newer_read_wins_and_reads_do_not_pile_up(qtbot: QtBot, planned: Planned, slow: SlowReads) -> None:
    view = _view(qtbot, planned)
    old, new = slow.rows[0], replace(slow.rows[0], stage_name="Renamed since")
    slow.answers = [[old], [new]]
    view.set_context(planned.ctx)
    assert slow.started.acquire(timeout=10)  # the first read runs
    view.refresh()  # changes arrive meanwhile: read again, twice; the second request replaces the first
    view.refresh()
    slow.gates[0].set()  # the first read ends: its rows are out of date, and the last request starts
    qtbot.waitUntil(lambda: slow.started.acquire(blocking=False))  # started from the GUI thread, once told
    assert len(slow.gates) == 2 and view.model.rowCount() == 0 and view.loading
    slow.gates[1].set()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert view.model.row_at(0).stage_name == "Renamed since" and not view.loading
    qtbot.waitUntil(lambda: not tasks._callbacks)  # every read delivered (none waits for the GUI thread)
    assert len(slow.gates) == 2  # two reads ran for three requests
