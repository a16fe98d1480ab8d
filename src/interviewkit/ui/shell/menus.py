"""The window's menus, filled once the window has first been painted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from interviewkit.ui.shell.actions import ActionId, shortcut_of
from interviewkit.ui.shell.keys import KeyArbiter
from interviewkit.ui.shell.registry import SECTIONS
from interviewkit.ui.widgets.shortcuts import key_of

if TYPE_CHECKING:
    from interviewkit.ui.shell.section import SectionWidget
    from interviewkit.ui.shell.window import MainWindow

__all__ = ["fill_interview_menu", "fill_menus"]


def fill_menus(window: MainWindow) -> None:
    """File, Edit, Interview (its last entry), View (a screen per Ctrl+digit, the theme) and Help."""
    a = window.actions_by_id
    for aid in (
        ActionId.OPEN_DATABASE,
        ActionId.SYNC_BANK,
        ActionId.SWITCH_USER,
        None,
        ActionId.IMPORT_SCORECARDS,
        ActionId.IMPORT_JD,
        ActionId.EXPORT_PDF,
        None,
        ActionId.RETENTION,
        None,
        ActionId.QUIT,
    ):
        if aid is None:
            window.file_menu.addSeparator()
        else:
            window.file_menu.addAction(a[aid])
    window.edit_menu.addAction(a[ActionId.FIND])
    window.interview_menu.aboutToShow.connect(lambda: window.section("cockpit"))  # its actions fill this menu
    leave = window.interview_menu.addAction("&Leave the interview (saved)")
    leave.setShortcut(QKeySequence(key_of("leave")))
    leave.setToolTip(f"Save and go back to My interviews ({key_of('leave')})")
    leave.triggered.connect(window.leave_interview)
    keyed: dict[QAction, str] = {leave: key_of("leave")}
    for i, section in enumerate(SECTIONS):
        act = window.view_menu.addAction(section.title)
        act.setShortcut(QKeySequence(key_of("sections", i)))
        act.setToolTip(f"{section.title} ({key_of('sections', i)})")
        act.triggered.connect(lambda _=False, row=i: window.navigation.setCurrentRow(row))
        keyed[act] = key_of("sections", i)
    window.view_menu.addSeparator()
    theme_menu = window.view_menu.addMenu("&Theme")
    group = QActionGroup(window)
    current = str(window.settings.value("ui/theme", "system"))
    for aid, name in (
        (ActionId.THEME_SYSTEM, "system"),
        (ActionId.THEME_LIGHT, "light"),
        (ActionId.THEME_DARK, "dark"),
    ):
        act = a[aid]
        act.setCheckable(True)
        act.setChecked(name == current)
        group.addAction(act)
        theme_menu.addAction(act)
        act.triggered.connect(lambda _=False, n=name: window.set_theme(n))
    window.help_menu.addAction(a[ActionId.ABOUT])
    for aid, act in a.items():
        key = shortcut_of(aid)
        if key is not None:
            keyed[act] = key
    window.keys = KeyArbiter(window, keyed, hint=frozenset({a[ActionId.EXPORT_PDF]}))
    window.keys.update()


def fill_interview_menu(window: MainWindow, cockpit: SectionWidget) -> None:
    """Put the cockpit's own actions at the top of the Interview menu."""
    first = window.interview_menu.actions()[0] if window.interview_menu.actions() else None
    for act in cockpit.menu_actions():
        if first is None:
            window.interview_menu.addAction(act)
        else:
            window.interview_menu.insertAction(first, act)
    if first is not None:
        window.interview_menu.insertSeparator(first)
