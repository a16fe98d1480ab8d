"""Qt fixtures: settings in a temporary file, an AppContext over a fresh database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from interviewkit.bank.loader import load_settings
from interviewkit.services.context import AppContext
from interviewkit.storage.db import Database


@pytest.fixture(autouse=True)
def _close_dialogs_left_open() -> Iterator[None]:
    """A test that fails with a modal dialog open must not leave it to block the next one."""
    yield
    from PySide6.QtWidgets import QApplication

    for w in QApplication.topLevelWidgets():
        if w.isVisible() and w.isModal():
            w.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def ctx(bank_db: Database, mini_bank: Path) -> AppContext:
    return AppContext(bank_db, mini_bank, load_settings(mini_bank))


def show_main_window(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Show and activate a MainWindow and wait until it has filled in after its first paint (menus,
    shortcuts), as a person would before pressing a key."""
    from interviewkit.ui.shell.actions import ActionId

    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    find = window.actions_by_id[ActionId.FIND]
    qtbot.waitUntil(lambda: find.shortcut().toString() == "Ctrl+F")
    settle(qtbot, window)


def settle(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Wait until no screen of the window is reading: screens read off the GUI thread (SectionWidget.fetch)."""
    qtbot.waitUntil(lambda: not any(w.loading for w in window.built_sections()), timeout=10000)
