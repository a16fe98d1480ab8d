"""The main window: opens in the background, loads the bank on first start, remembers its layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from interviewkit.ui.shell.window import MainWindow
from tests.ui.conftest import show_main_window


def test_first_start_on_an_empty_database_loads_the_bank_and_asks_who_you_are(
    qtbot: QtBot, settings: QSettings, tmp_path: Path, mini_bank: Path
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from interviewkit.ui.people.who import WhoIsUsingDialog

    def answer() -> None:  # the modal "who is using InterviewKit?" dialog: add yourself
        shown = (w for w in QApplication.topLevelWidgets() if isinstance(w, WhoIsUsingDialog) and w.isVisible())
        dialog = next(shown, None)
        if dialog is None:
            QTimer.singleShot(50, answer)
            return
        qtbot.keyClicks(dialog.name, "Ana Ortiz")
        qtbot.keyClicks(dialog.email, "ana@example.com")
        dialog.add_button.click()

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    QTimer.singleShot(50, answer)
    window.start(str(tmp_path / "new.sqlite"), mini_bank)
    qtbot.waitUntil(lambda: window.ctx is not None and window.ctx.user_id is not None, timeout=15000)
    qtbot.waitUntil(lambda: window.bank.proxy.rowCount() == 3)  # read off the GUI thread
    assert str(tmp_path / "new.sqlite") in window.db_label.text()
    assert window.user_label.text() == "Signed in: Ana Ortiz"
    window.ctx.db.dispose()  # type: ignore[union-attr]


def test_ctrl_f_and_section_shortcuts(qtbot: QtBot, settings: QSettings, ctx) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(ctx)
    show_main_window(qtbot, window)  # shortcuts come right after the first paint
    qtbot.keyClick(window.bank.table, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.people
    qtbot.keyClick(window.people, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.calibration
    qtbot.keyClick(window.calibration, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.loops
    qtbot.keyClick(window.loops, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.debriefs
    qtbot.keyClick(window.debriefs, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.coverage
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Coverage has no search: the bank's
    assert window.stack.currentWidget() is window.bank
    qtbot.waitUntil(window.bank.search.hasFocus)


def test_menus_show_shortcuts(qtbot: QtBot, settings: QSettings) -> None:
    from interviewkit.ui.shell.actions import ActionId

    window = MainWindow(settings)
    qtbot.addWidget(window)
    find = window.actions_by_id[ActionId.FIND]
    qtbot.waitUntil(lambda: find.shortcut().toString() == "Ctrl+F")  # installed right after first paint
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
    minimum = window.minimumSizeHint()
    assert minimum.width() <= 790 and minimum.height() <= 560  # fits a small (800x600) screen
    size = (minimum.width() + 8, 540)
    window.resize(*size)
    window.navigation.setCurrentRow(window.section_index("coverage"))
    window.show()
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == size
    qtbot.waitUntil(lambda: again.stack.currentWidget() is again.section("coverage"))


def test_theme_switch_keeps_the_window_working(qtbot: QtBot, settings: QSettings, ctx) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.ui.widgets.theme import is_dark

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(ctx)
    window.set_theme("dark")
    assert is_dark()
    assert settings.value("ui/theme") == "dark"
    window.set_theme("light")
    assert not is_dark()
    window.set_theme("system")
    qtbot.waitUntil(lambda: window.bank.proxy.rowCount() == 3)  # read off the GUI thread


def test_cancelling_the_sign_in_opens_nothing(
    qtbot: QtBot, settings: QSettings, mini_bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import interviewkit.ui.shell.sign_in as sign_in

    asked: list[str] = []

    def cancel(location: str, parent=None):  # type: ignore[no-untyped-def]
        asked.append(location)
        return None  # the person pressed Cancel in the sign-in dialog

    monkeypatch.setattr(sign_in, "sign_in_url", cancel)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.start("postgresql+psycopg://ana@db.example.com/interviews", mini_bank)
    assert asked == ["postgresql+psycopg://ana@db.example.com/interviews"]
    assert window.ctx is None and "Not signed in" in window.db_label.text()
