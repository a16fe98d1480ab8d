"""The selected candidate's debrief is read off the GUI thread (ui/debrief/debrief_reads.py), through the
section's read queue: busy meanwhile, shown when the read ends, dropped if the candidate is no longer selected,
and a refresh of the same candidate keeps the decision form as typed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from interviewkit.bank.model import BankSettings
from interviewkit.services import demo
from interviewkit.services.access import Actor
from interviewkit.services.debrief import Debrief
from interviewkit.storage.db import Database
from interviewkit.ui.debrief import debrief_reads
from interviewkit.ui.debrief.view import DebriefView
from interviewkit.ui.shell.section import StandaloneHost
from interviewkit.ui.widgets import tasks
from tests.ui.debrief.conftest import Demo


@dataclass
class Reads:
    """The debrief service, wrapped: the thread of each call and its candidate; ``hold`` gates a candidate."""

    calls: list[tuple[int, threading.Thread]] = field(default_factory=list)
    held: dict[int, threading.Event] = field(default_factory=dict)

    def hold(self, candidate_id: int) -> threading.Event:
        return self.held.setdefault(candidate_id, threading.Event())


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Reads]:
    record = Reads()
    real = debrief_reads.debrief

    def wrapped(db: Database, candidate_id: int, viewer: Actor, settings: BankSettings) -> Debrief:
        record.calls.append((candidate_id, threading.current_thread()))
        gate = record.held.get(candidate_id)
        if gate is not None:
            assert gate.wait(20), "the test never let the read finish"
        return real(db, candidate_id, viewer, settings)

    monkeypatch.setattr(debrief_reads, "debrief", wrapped)
    yield record
    for gate in record.held.values():  # never leave a pool thread waiting
        gate.set()


def _view(qtbot: QtBot, seeded: Demo) -> DebriefView:
    view = DebriefView()
    qtbot.addWidget(view)
    view.set_host(StandaloneHost(view, reads_in_background=True))  # as in the window
    view.resize(1110, 750)
    view.set_context(seeded.ctx)
    view.show()
    qtbot.waitUntil(lambda: not view.loading and view.shown is not None, timeout=10000)
    return view


def _shown(view: DebriefView, candidate_id: int) -> bool:
    return not view.loading and view.shown is not None and view.shown.candidate_id == candidate_id


def test_selecting_a_candidate_reads_the_debrief_off_the_gui_thread(qtbot: QtBot, seeded: Demo, reads: Reads) -> None:
    view = _view(qtbot, seeded)
    candidate = seeded.candidates[demo.SPLIT]
    assert view.current_candidate_id() != candidate
    gate = reads.hold(candidate)
    assert view.select_candidate(candidate)
    # The read waits on a worker; the GUI thread went on: busy, the previous page greyed out meanwhile.
    assert view.loading and not view.page.isEnabled()
    assert view.shown is None or view.shown.candidate_id != candidate
    assert not view.export_pdf()  # nothing is exported for the candidate no longer selected
    gate.set()
    qtbot.waitUntil(lambda: _shown(view, candidate), timeout=10000)
    assert view.page.isEnabled() and view.right_stack.currentWidget() is view.page
    assert view.grid_stack.currentWidget() is view.grid and view.grid_model.rowCount() > 0
    assert view.shown is not None and view.shown.candidate in view.header.text()
    assert reads.calls and all(thread is not threading.main_thread() for _id, thread in reads.calls)


def test_a_read_for_a_candidate_no_longer_selected_is_dropped(qtbot: QtBot, seeded: Demo, reads: Reads) -> None:
    view = _view(qtbot, seeded)
    first, second = seeded.candidates[demo.SPLIT], seeded.candidates[demo.STRONG]
    gate = reads.hold(first)
    assert view.select_candidate(first)
    assert view.select_candidate(second)  # waits behind the first read, which is then dropped
    gate.set()
    qtbot.waitUntil(lambda: _shown(view, second), timeout=10000)
    assert [c for c, _thread in reads.calls][-2:] == [first, second]
    assert view.shown is not None and view.shown.candidate_id == second


def test_a_refresh_of_the_same_candidate_keeps_the_form_as_typed(qtbot: QtBot, seeded: Demo, reads: Reads) -> None:
    view = _view(qtbot, seeded)
    candidate = seeded.candidates[demo.SPLIT]
    assert view.select_candidate(candidate)
    qtbot.waitUntil(lambda: _shown(view, candidate), timeout=10000)
    view.tabs.setCurrentWidget(view.decision)
    view.decision.rationale.setPlainText("Half a thought about the system design")
    before = len(reads.calls)
    view.refresh()
    assert view.loading
    qtbot.waitUntil(lambda: len(reads.calls) > before and _shown(view, candidate), timeout=10000)
    assert view.decision.rationale.toPlainText() == "Half a thought about the system design"


def test_adjusted_means_are_computed_for_the_candidate_settled_on_on_the_quiet_lane(
    qtbot: QtBot, seeded: Demo, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each candidate shown asked calibration for adjusted means at once, on the pool the debriefs are read on:
    seconds of CPU per candidate over every rating of a large database, piling up while a person went through
    the list (issue 17: switch and filter stalls of seconds). Now only the candidate a person stays on."""
    from interviewkit.services import calibration

    computed: list[tuple[int, threading.Thread]] = []
    real = calibration.candidate_adjustment

    def recorded(db: Database, candidate_id: int, *, by: Actor) -> object:
        computed.append((candidate_id, threading.current_thread()))
        return real(db, candidate_id, by=by)

    monkeypatch.setattr(calibration, "candidate_adjustment", recorded)
    view = _view(qtbot, seeded)
    first, second = seeded.candidates[demo.STRONG], seeded.candidates[demo.NO_HIRE]  # neither shown first
    view.adjusted.settle_ms = 60_000  # longer than the test: the first candidate is only passed through
    assert view.select_candidate(first)
    qtbot.waitUntil(lambda: _shown(view, first), timeout=10000)
    assert view.adjusted.waiting
    view.adjusted.settle_ms = 0  # the next one is settled on at once
    assert view.select_candidate(second)
    qtbot.waitUntil(lambda: _shown(view, second), timeout=10000)
    qtbot.waitUntil(view.grid_model.has_adjusted, timeout=20000)
    assert [c for c, _thread in computed if c in (first, second)] == [second]
    assert all(thread is not threading.main_thread() for _c, thread in computed)
    assert not view.loading  # a quiet read: the screen was never busy for it


def test_adjusted_means_wait_while_the_section_is_hidden(
    qtbot: QtBot, seeded: Demo, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind another section (or in a window closed meanwhile), a candidate settled on computes nothing: the
    screens benchmark saw a closed window's debrief start seconds of calibration during the next one's first
    read. They are asked for when the section shows again."""
    from interviewkit.services import calibration

    computed: list[int] = []
    real = calibration.candidate_adjustment

    def recorded(db: Database, candidate_id: int, *, by: Actor) -> object:
        computed.append(candidate_id)
        return real(db, candidate_id, by=by)

    monkeypatch.setattr(calibration, "candidate_adjustment", recorded)
    view = _view(qtbot, seeded)
    candidate = seeded.candidates[demo.NO_HIRE]
    view.hide()
    view.adjusted.settle_ms = 0
    assert view.select_candidate(candidate)
    qtbot.waitUntil(lambda: _shown(view, candidate) and not view.adjusted.waiting, timeout=10000)
    for pool in tasks.pools():
        pool.waitForDone(20000)
    assert candidate not in computed and not view.grid_model.has_adjusted()
    view.show()
    qtbot.waitUntil(view.grid_model.has_adjusted, timeout=20000)
    assert computed[-1] == candidate
