"""Tab leaves the debrief's grid for the tabs under it (the arrows move between cells): from the keyboard alone
the lead reaches the Decision tab (walk of issue 16 at 1280x800: Tab went from cell to cell, about a hundred
presses on the split panel before the tabs)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTabBar
from pytestqt.qtbot import QtBot

from interviewkit.services import demo
from interviewkit.services.context import AppContext
from interviewkit.ui.debrief.view import DebriefView
from tests.ui.debrief.conftest import Demo


def test_tab_from_the_grid_reaches_the_decision_tab(
    qtbot: QtBot, seeded: Demo, open_view: Callable[[AppContext], DebriefView]
) -> None:
    view = open_view(seeded.ctx)
    assert view.select_candidate(seeded.candidates[demo.SPLIT])
    qtbot.waitUntil(lambda: view.shown is not None)
    view.grid.setFocus()
    qtbot.waitUntil(view.grid.hasFocus)
    qtbot.keyClick(view.grid, Qt.Key.Key_Right)  # the arrows move in the grid
    assert view.grid.hasFocus() and view.grid.currentIndex().column() == 1
    qtbot.keyClick(view.grid, Qt.Key.Key_Tab)
    bar = QApplication.focusWidget()
    assert isinstance(bar, QTabBar) and bar is view.tabs.tabBar()
    for _ in range(view.tabs.indexOf(view.decision)):
        qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert view.tabs.currentWidget() is view.decision
    qtbot.keyClick(bar, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is view.grid  # and Shift+Tab goes back to it
