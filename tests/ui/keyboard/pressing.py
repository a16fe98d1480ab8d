"""Pressing the registry's keys as a person would, for tests/ui/keyboard: which entries were pressed, and the
scan for a key with two meanings."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from interviewkit.ui.shell.keys import live_keys
from interviewkit.ui.shell.window import MainWindow
from interviewkit.ui.widgets.shortcuts import key_entry

#: The registry's entries pressed so far in this run (each test file checks its own were).
PRESSED: set[str] = set()

#: The entries that move around a screen (lists, tabs, banners, a preview being built): pressed by
#: test_navigation_keys.py; every other entry by test_shortcuts_pressed.py.
NAVIGATION = frozenset(
    {
        "resume_interview",
        "to_list",
        "search_to_list",
        "open_debrief",
        "open_cell",
        "next_tab",
        "previous_tab",
        "edit_record",
        "choose_person",
        "cancel_pdf",
        "tick_evidence",
        "picker_move",
        "screen_move",
        "screen_note",
        "open_in_bank",
    }
)


def press(qtbot: QtBot, key: str, name: str) -> None:
    """Press ``key`` (a registry key string) where the focus is, as a person would; note the entry pressed."""
    assert key in key_entry(name).keys, (name, key)
    PRESSED.add(name)
    combo = QKeySequence(key)[0]
    target = QApplication.focusWidget()
    assert target is not None, f"no focus to press {key} on"
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def reactivate(qtbot: QtBot, window: QWidget) -> None:
    """Make the window active again (offscreen, nothing does when a dialog closes)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def no_ambiguity(window: MainWindow) -> None:
    """No key fires two shortcuts, wherever the focus is now or could be (each widget shown that takes it):
    every QAction and QShortcut of the window and its menus is scanned as Qt would match it."""
    arbiter = window.keys
    assert arbiter is not None
    now = QApplication.focusWidget()
    shown = [w for w in window.findChildren(QWidget) if w.isVisible() and w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    try:
        for focus in [now, *shown]:
            arbiter.give_way(focus)
            counts = Counter(key for key, _holder in live_keys(window, focus))
            twice = {k: n for k, n in counts.items() if n > 1}
            assert not twice, f"{twice} with the focus on {focus}"
    finally:
        arbiter.give_way(now)
