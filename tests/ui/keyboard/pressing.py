"""Pressing the registry's keys as a person would, for tests/ui/keyboard: which entries were pressed, and the
scan for a key with two meanings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from interviewkit.services import loops
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.shell.keys import live_keys
from interviewkit.ui.shell.window import MainWindow
from interviewkit.ui.widgets.shortcuts import key_entry
from tests.ui.conftest import show_main_window

if TYPE_CHECKING:
    from tests.ui.cockpit.conftest import Planned

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


def open_screen_stage(
    qtbot: QtBot, planned: Planned, settings: QSettings, checklist: Sequence[str]
) -> tuple[MainWindow, CockpitView]:
    """A recruiter's screen of ``checklist`` added to the planned loop, opened in a new window's cockpit, its
    rows shown and the window active."""
    stage = loops.add_stage(
        planned.ctx.db,
        planned.loop_id,
        name="Recruiter screen",
        minutes=30,
        kind="screen",
        checklist=list(checklist),
        interviewer_id=planned.interviewer_id,
        scheduled_at=datetime.now(UTC),
        by=LOCAL_ADMIN,
    ).id
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(planned.ctx)
    show_main_window(qtbot, window)
    window.open_stage(stage)
    cockpit = window.section("cockpit")
    assert isinstance(cockpit, CockpitView)
    qtbot.waitUntil(lambda: len(cockpit.screen_page.rows) == len(checklist))
    reactivate(qtbot, window)  # the offscreen platform leaves no window active after a dialog or a new page
    return window, cockpit


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
