"""Every window-level action, keyed by an enum, with its shortcut (named in the registry of keys,
:data:`~interviewkit.ui.widgets.shortcuts.KEYMAP`) shown in menus and tooltips."""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from interviewkit.ui.widgets.shortcuts import key_of

__all__ = ["ActionId", "create_actions", "install_shortcuts", "shortcut_of"]


class ActionId(Enum):
    SYNC_BANK = ("Sync &bank", "sync_bank", "Load changes in the question bank's files")
    OPEN_DATABASE = ("&Open database…", "open_database", "Open another InterviewKit database")
    SWITCH_USER = ("S&witch person…", "switch_user", "Choose who is using InterviewKit")
    IMPORT_SCORECARDS = (
        "&Import scorecards…",
        None,
        "Import scorecard files exported on other machines (or drop them on the window)",
    )
    IMPORT_JD = (
        "Import &job description…",
        None,
        "Read a job description (a file or pasted text), review its requirements and save them",
    )
    EXPORT_PDF = ("&Export PDF…", "export_pdf", "Export the document of this screen as a PDF, with a preview")
    RETENTION = (
        "Personal data &retention…",
        None,
        "Admins: how long candidates' personal data is kept after a decision, and erasing what is due",
    )
    QUIT = ("&Quit", "quit", "Quit InterviewKit")
    FIND = ("&Find", "find", "Search in the current screen")
    THEME_SYSTEM = ("&System colours", None, "Follow the system palette")
    THEME_LIGHT = ("&Light", None, "Light palette")
    THEME_DARK = ("&Dark", None, "Dark palette")
    ABOUT = ("&About InterviewKit", None, "Version and licence")


def create_actions(parent: QWidget) -> dict[ActionId, QAction]:
    """One QAction per id, without its shortcut yet (see :func:`install_shortcuts`)."""
    actions: dict[ActionId, QAction] = {}
    for aid in ActionId:
        text, _shortcut, tip = aid.value
        action = QAction(text, parent)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        actions[aid] = action
    return actions


def shortcut_of(aid: ActionId) -> str | None:
    """The action's key from the registry (None: it has none)."""
    name = aid.value[1]
    return None if name is None else key_of(name)


def install_shortcuts(actions: dict[ActionId, QAction]) -> None:
    """Give each action its shortcut and name it in the tooltip.

    Separate from creation because parsing the first key sequence builds Qt's whole key enumeration
    (tens of milliseconds); the window does this right after it first appears.
    """
    for aid, action in actions.items():
        shortcut, tip = shortcut_of(aid), aid.value[2]
        if shortcut is None:
            continue
        action.setShortcut(QKeySequence(shortcut))
        seq = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({seq})" if seq else tip)
