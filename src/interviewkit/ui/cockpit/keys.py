"""The cockpit's keyboard: every action with its shortcut (shown in the Interview menu and in tooltips), and
a filter that lets those shortcuts win over the text boxes' own (Ctrl+→ is "next word" in a text box)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QStackedWidget, QWidget

from interviewkit.ui.cockpit.finish import FinishPage
from interviewkit.ui.widgets.shortcuts import key_entry, key_of

__all__ = ["CockpitCommands", "ShortcutsWin", "follow_finish_page", "make_actions"]

#: The line under the questions: the registry's keys (KEYMAP) in a few words each.
_HINTS = (
    ("next_question", "next"),
    ("previous_question", "back"),
    ("notes", "notes"),
    ("evidence", "evidence (Space ticks)"),
    ("rate", "rate"),
    ("not_assessed", "not assessed"),
    ("next_competency", "next competency"),
    ("add_question", "add question"),
    ("swap_variant", "swap variant"),
    ("finish", "finish"),
)
KEYS_HINT = " · ".join(f"{key_entry(name).label} {words}" for name, words in _HINTS)


class CockpitCommands(Protocol):
    """What the keys do."""

    def next_question(self) -> None: ...
    def previous_question(self) -> None: ...
    def focus_notes(self) -> None: ...
    def focus_checklist(self) -> None: ...
    def swap_variant(self) -> None: ...
    def move_focus_row(self, step: int) -> None: ...
    def add_question(self) -> None: ...
    def finish(self) -> None: ...
    def submit(self) -> None: ...
    def export(self) -> None: ...
    def rate(self, level: int) -> None: ...
    def recommend(self, number: int) -> None: ...
    def escape(self) -> None: ...


def _specs(c: CockpitCommands) -> list[tuple[str, str, Callable[[], None]]]:
    """(menu text, key, command) of each action; the keys are the registry's (:data:`KEYMAP`)."""
    specs: list[tuple[str, str, Callable[[], None]]] = [
        ("&Next question", key_of("next_question"), c.next_question),
        ("&Previous question", key_of("previous_question"), c.previous_question),
        ("&Jump to notes", key_of("notes"), c.focus_notes),
        ("&Evidence checklist", key_of("evidence"), c.focus_checklist),
        ("Next &competency", key_of("next_competency"), lambda: c.move_focus_row(1)),
        ("Previous co&mpetency", key_of("previous_competency"), lambda: c.move_focus_row(-1)),
        ("&Add a question…", key_of("add_question"), c.add_question),
        ("S&wap for a variant…", key_of("swap_variant"), c.swap_variant),
        ("&Finish interview", key_of("finish"), c.finish),
        ("Su&bmit scorecard", key_of("submit"), c.submit),
        ("&Export scorecard PDF…", key_of("export_scorecard"), c.export),
        ("Not assessed", key_of("not_assessed"), _with(c.rate, 0)),
    ]
    specs += [(f"Rate {n}", key, _with(c.rate, n)) for n, key in enumerate(key_entry("rate").keys, start=1)]
    specs += [
        (f"Recommend {n}", key, _with(c.recommend, n)) for n, key in enumerate(key_entry("recommend").keys, start=1)
    ]
    return specs


def _with(slot: Callable[[int], None], level: int) -> Callable[[], None]:
    """``slot(level)`` as a slot without arguments (triggered's "checked" is not passed to it)."""

    def run() -> None:
        slot(level)

    return run


def make_actions(owner: QWidget, commands: CockpitCommands) -> list[QAction]:
    """The cockpit's actions, added to ``owner`` (they work wherever the focus is inside it); Esc goes back
    from the finish page but is no menu entry."""
    actions = []
    for text, key, slot in _specs(commands):
        act = QAction(text, owner)
        act.setShortcut(QKeySequence(key))
        act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
        act.setToolTip(f"{text.replace('&', '')} ({native})")
        act.triggered.connect(slot)
        owner.addAction(act)
        actions.append(act)
    back = QAction("Back", owner)
    back.setShortcut(QKeySequence(key_of("back")))
    back.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    back.triggered.connect(commands.escape)
    owner.addAction(back)
    return actions


def follow_finish_page(actions: list[QAction], pages: QStackedWidget, finish_page: FinishPage) -> None:
    """Ctrl+1..9 choose the recommendation on the finish page only: elsewhere they are the window's (the
    sections), so these actions are off there (two shortcuts on one key would make Qt fire neither)."""
    recommend = [a for a in actions if a.text().startswith("Recommend ")]

    def follow(*_args: object) -> None:
        shown = pages.currentWidget() is finish_page
        for n, act in enumerate(recommend, start=1):
            act.setEnabled(shown and finish_page.rec_group.button(n) is not None)  # only as many as there are

    pages.currentChanged.connect(follow)
    follow()


class ShortcutsWin(QObject):
    """An event filter for text boxes: a key combination that is the shortcut of one of ``owner``'s actions
    is left to the action instead of the box."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self._keys: set[str] | None = None  # read at the first key (the owner's actions are made after this)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._keys is None:
                self._keys = {a.shortcut().toString() for a in self._owner.actions()}
            if QKeySequence(event.keyCombination()).toString() in self._keys:
                return True  # not accepted by the editor: the shortcut fires
        return False
