"""Issue 16, item 3: "New exercise: Ctrl+N" works as soon as the Exercises tab is shown, without a click."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from interviewkit.services.context import AppContext
from tests.ui.calibration.test_calibration_view import _view, rated_ctx  # noqa: F401 - the fixture

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_n_works_when_the_exercises_tab_is_chosen(qtbot: QtBot, rated_ctx: AppContext) -> None:  # noqa: F811
    view = _view(qtbot, rated_ctx)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.tabs.tabBar().setFocus()  # as after choosing the tab with the keyboard
    view.tabs.setCurrentWidget(view.exercises)
    panel = view.exercises
    focus = QApplication.focusWidget()
    assert focus is panel.list
    qtbot.keyClick(focus, Qt.Key.Key_N, CTRL)
    assert panel.pages.currentWidget() is panel.create_page
