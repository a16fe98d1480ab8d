"""The debrief in the window: writes elsewhere refresh it through change events; its own writes run off the
GUI thread with a busy state, then show their result."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from interviewkit.services import demo, people, privacy, scorecards
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.changes import Changes
from interviewkit.services.debrief import decisions, record_decision
from interviewkit.ui.debrief import view as view_module
from interviewkit.ui.debrief.model import TrailingRole
from interviewkit.ui.debrief.view import DebriefView
from interviewkit.ui.shell.window import MainWindow
from tests.ui.conftest import show_main_window
from tests.ui.debrief.conftest import Demo

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot: QtBot, settings: QSettings, seeded: Demo) -> MainWindow:
    """The main window, signed in as the debrief lead, showing the Debriefs section."""
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(seeded.ctx)
    show_main_window(qtbot, window)
    window.navigation.setCurrentRow(window.section_index("debriefs"))
    qtbot.waitUntil(lambda: not window.debriefs.loading)  # its list is read off the GUI thread
    return window


def debriefs(window: MainWindow) -> DebriefView:
    view = window.debriefs
    assert isinstance(view, DebriefView)
    return view


def select(qtbot: QtBot, view: DebriefView, candidate_id: int) -> None:
    """Select a candidate and wait for their debrief, read off the GUI thread in the window."""
    assert view.select_candidate(candidate_id)
    qtbot.waitUntil(lambda: not view.loading and view.shown is not None and view.shown.candidate_id == candidate_id)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], threading.Event]]:
    """Hold a service call of the debrief view until the test opens the gate (the write is then running)."""
    gates: list[threading.Event] = []

    def hold(name: str) -> threading.Event:
        event = threading.Event()
        gates.append(event)
        real = getattr(view_module, name)

        def held(*args: object, **kwargs: object) -> object:
            assert event.wait(20), "the test never opened the gate"
            return real(*args, **kwargs)

        monkeypatch.setattr(view_module, name, held)
        return event

    yield hold
    for event in gates:  # never leave a pool thread waiting
        event.set()


# --- writes elsewhere ----------------------------------------------------------------------------------


def test_a_scorecard_amended_elsewhere_refreshes_the_grid(qtbot: QtBot, window: MainWindow, seeded: Demo) -> None:
    view = debriefs(window)
    select(qtbot, view, seeded.candidates[demo.SPLIT])
    d = view.shown
    assert d is not None
    card = d.columns[0]
    other = next(r for r in seeded.ctx.settings.recommendations if r != card.recommendation)
    overall = view.grid_model.index(view.grid_model.overall_row(), 0)
    assert overall.data() == card.recommendation

    def amend() -> object:  # as the interviewer would, in their own window
        return scorecards.amend(
            seeded.db,
            card.scorecard_id,
            card.interviewer_id,
            reason="typo in the summary",
            recommendation=other,
            settings=seeded.ctx.settings,
        )

    window.run(amend, busy="Amending", changes=Changes.of(scorecards=[card.scorecard_id]))
    qtbot.waitUntil(lambda: view.grid_model.index(view.grid_model.overall_row(), 0).data() == other, timeout=10000)
    assert view.current_candidate_id() == seeded.candidates[demo.SPLIT]


def test_a_decision_recorded_elsewhere_shows_in_the_list_and_the_page(
    qtbot: QtBot, window: MainWindow, seeded: Demo
) -> None:
    view = debriefs(window)
    candidate = seeded.candidates[demo.STRONG]
    select(qtbot, view, candidate)
    assert "No decision yet" in view.subheader.text()
    window.run(
        lambda: record_decision(
            seeded.db,
            candidate,
            seeded.lead_id,
            outcome="hire",
            rationale="Clear evidence.",
            participants=[seeded.lead_id],
        ),
        busy="Recording the decision",
        changes=Changes.of(decisions=[candidate]),
    )
    qtbot.waitUntil(lambda: "Decision: Hire" in view.subheader.text(), timeout=10000)
    row = view.candidate_model.index(view.candidate_model.row_of(candidate))
    assert row.data(TrailingRole) == "Hire"
    assert view.decision.history_model.rowCount() == 1 and view.tabs.tabText(3) == "Decision: Hire"


def test_a_renamed_candidate_and_an_erased_one(qtbot: QtBot, window: MainWindow, seeded: Demo) -> None:
    view = debriefs(window)
    candidate = seeded.candidates[demo.NO_HIRE]
    select(qtbot, view, candidate)
    info = next(c for c in people.candidates(seeded.db, by=LOCAL_ADMIN) if c.id == candidate)
    window.run(
        lambda: people.update_candidate(
            seeded.db, candidate, name="Renamed Person", opening_id=info.opening_id, by=LOCAL_ADMIN
        ),
        busy="Saving the candidate",
        changes=Changes.of(candidates=[candidate]),
    )
    qtbot.waitUntil(lambda: view.header.text().startswith("Renamed Person ·"), timeout=10000)
    names = [view.candidate_proxy.index(r, 0).data() for r in range(view.candidate_proxy.rowCount())]
    assert "Renamed Person" in names

    window.run(
        lambda: privacy.erase_candidate(seeded.db, candidate, by=LOCAL_ADMIN, reason="asked", compact_after=False),
        busy="Erasing",
        changes=Changes.of(erased=[candidate]),
    )
    label = privacy.erased_label(candidate)
    qtbot.waitUntil(lambda: "Renamed Person" not in view.header.text(), timeout=10000)
    names = [view.candidate_proxy.index(r, 0).data() for r in range(view.candidate_proxy.rowCount())]
    assert label in names and "Renamed Person" not in names
    assert view.current_candidate_id() == candidate and view.header.text().startswith(f"{label} ·")


def test_changes_it_does_not_show_leave_it_alone(
    qtbot: QtBot, window: MainWindow, seeded: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = debriefs(window)
    select(qtbot, view, seeded.candidates[demo.SPLIT])
    refreshed: list[bool] = []
    monkeypatch.setattr(view, "refresh", lambda: refreshed.append(True))
    window.broadcast(Changes.of(exercises=[1]))
    window.broadcast(Changes(settings=True))
    assert refreshed == []
    window.broadcast(Changes.of(scorecards=[1]))
    assert refreshed == [True]


# --- its own writes ------------------------------------------------------------------------------------


def test_recording_a_decision_shows_a_busy_state_then_the_decision(
    qtbot: QtBot, window: MainWindow, seeded: Demo, gate: Callable[[str], threading.Event]
) -> None:
    view = debriefs(window)
    candidate = seeded.candidates[demo.SPLIT]
    select(qtbot, view, candidate)
    view.tabs.setCurrentWidget(view.decision)
    panel = view.decision
    qtbot.mouseClick(panel.outcome_buttons["hold"], LEFT)
    panel.rationale.setFocus()
    qtbot.keyClicks(panel.rationale, "Waiting for the budget.")
    opened = gate("record_decision")
    with qtbot.waitSignal(view.sig_decision_recorded, timeout=20000) as recorded:
        qtbot.mouseClick(panel.record_button, LEFT)
        # Running off the GUI thread: the window says so, the form waits, nothing is written yet.
        assert window.busy_label.text() == "Recording the decision…"
        assert QApplication.overrideCursor() is not None
        assert not panel.record_button.isEnabled()
        qtbot.mouseClick(panel.record_button, LEFT)  # a second click records nothing twice
        assert decisions(seeded.db, candidate, by=LOCAL_ADMIN) == []
        opened.set()
    assert recorded.args[0] == candidate
    (stored,) = decisions(seeded.db, candidate, by=LOCAL_ADMIN)
    assert recorded.args[1].id == stored.id and stored.outcome == "hold"
    assert window.busy_label.text() == ""
    assert "Decision: Hold" in panel.status.text() and panel.reopen_button.isVisible()
    row = view.candidate_model.index(view.candidate_model.row_of(candidate))
    assert row.data(TrailingRole) == "Hold"


def test_a_refused_decision_keeps_the_form_and_says_why(
    qtbot: QtBot, window: MainWindow, seeded: Demo, gate: Callable[[str], threading.Event]
) -> None:
    view = debriefs(window)
    select(qtbot, view, seeded.candidates[demo.SPLIT])
    view.tabs.setCurrentWidget(view.decision)
    panel = view.decision
    qtbot.mouseClick(panel.outcome_buttons["hire"], LEFT)
    gate("record_decision").set()
    qtbot.mouseClick(panel.record_button, LEFT)  # no rationale
    qtbot.waitUntil(lambda: bool(panel.problems_shown()), timeout=10000)
    assert any(p.startswith("Rationale:") for p in panel.problems_shown())
    assert panel.outcome() == "hire" and panel.record_button.isEnabled()
    assert window.busy_label.text() == ""


def test_the_override_runs_in_the_background_while_its_dialog_waits(
    qtbot: QtBot, window: MainWindow, seeded: Demo, gate: Callable[[str], threading.Event]
) -> None:
    view = debriefs(window)
    select(qtbot, view, seeded.candidates[demo.MID_LOOP])
    assert view.grid_model.card_count() == 0
    dialog = view.override()
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.reason, "The panel meets today")
    opened = gate("override_independence")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert window.busy_label.text() == "Showing every scorecard…"
    assert dialog.isVisible() and not dialog.ok_button.isEnabled()
    opened.set()
    qtbot.waitUntil(lambda: view.grid_model.card_count() == 2, timeout=10000)
    assert view.override_dialog is None or not view.override_dialog.isVisible()
    assert window.busy_label.text() == "" and view.banner.isHidden()
