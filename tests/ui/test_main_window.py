"""The main window: opens in the background, loads the bank on first start, remembers its layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from interviewkit.ui.main_window import MainWindow


def test_first_start_on_an_empty_database_loads_the_bank(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, mini_bank: Path
) -> None:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.start(str(tmp_path / "new.sqlite"), mini_bank)
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=15000)
    assert window.bank.proxy.rowCount() == 3
    assert str(tmp_path / "new.sqlite") in window.db_label.text()
    window.ctx.db.dispose()  # type: ignore[union-attr]


def test_ctrl_f_and_section_shortcuts(qtbot: QtBot, settings: QSettings, ctx) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(ctx)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window.bank.table, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.coverage
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.bank
    qtbot.waitUntil(window.bank.search.hasFocus)


def test_menus_show_shortcuts(qtbot: QtBot, settings: QSettings) -> None:
    from interviewkit.ui.actions import ActionId

    window = MainWindow(settings)
    qtbot.addWidget(window)
    find = window.actions_by_id[ActionId.FIND]
    assert find.shortcut().toString() == "Ctrl+F"
    assert "Ctrl+F" in find.toolTip()
    assert window.actions_by_id[ActionId.SYNC_BANK].toolTip().endswith("(F5)")


def test_a_foreign_database_shows_a_message_not_a_traceback(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, mini_bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7 not a database")
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.start(str(path), mini_bank)
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    assert "not an InterviewKit database" in shown[0] and str(path) in shown[0]
    assert window.ctx is None
    assert path.read_bytes() == b"%PDF-1.7 not a database"


def test_window_layout_is_remembered(qtbot: QtBot, settings: QSettings) -> None:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(760, 540)  # the offscreen screen is 800x600
    window.navigation.setCurrentRow(window.sections.index(window.coverage))
    window.show()
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (760, 540)
    assert again.stack.currentWidget() is again.coverage


def test_theme_switch_keeps_the_window_working(qtbot: QtBot, settings: QSettings, ctx) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.ui.theme import is_dark

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(ctx)
    window.set_theme("dark")
    assert is_dark()
    assert settings.value("ui/theme") == "dark"
    window.set_theme("light")
    assert not is_dark()
    window.set_theme("system")
    assert window.bank.proxy.rowCount() == 3
