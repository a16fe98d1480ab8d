"""The cockpit's keyboard: every action with its shortcut (shown in the Interview menu and in tooltips), and
a filter that lets those shortcuts win over the text boxes' own (Ctrl+→ is "next word" in a text box)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

__all__ = ["CockpitCommands", "ShortcutsWin", "make_actions"]

KEYS_HINT = (
    "Ctrl+→ next · Ctrl+← back · Ctrl+J notes · Ctrl+E evidence (Space ticks) · Alt+1..4 rate · "
    "Alt+0 not assessed · Alt+↑/↓ competency · Ctrl+K add question · Ctrl+Shift+V swap variant · F10 finish"
)


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
    specs: list[tuple[str, str, Callable[[], None]]] = [
        ("&Next question", "Ctrl+Right", c.next_question),
        ("&Previous question", "Ctrl+Left", c.previous_question),
        ("&Jump to notes", "Ctrl+J", c.focus_notes),
        ("&Evidence checklist", "Ctrl+E", c.focus_checklist),
        ("Next &competency", "Alt+Down", lambda: c.move_focus_row(1)),
        ("Previous co&mpetency", "Alt+Up", lambda: c.move_focus_row(-1)),
        ("&Add a question…", "Ctrl+K", c.add_question),
        ("S&wap for a variant…", "Ctrl+Shift+V", c.swap_variant),
        ("&Finish interview", "F10", c.finish),
        ("Su&bmit scorecard", "Ctrl+Return", c.submit),
        ("&Export scorecard PDF…", "Ctrl+P", c.export),
        ("Not assessed", "Alt+0", _with(c.rate, 0)),
    ]
    for level in range(1, 10):
        specs.append((f"Rate {level}", f"Alt+{level}", _with(c.rate, level)))
        specs.append((f"Recommend {level}", f"Ctrl+{level}", _with(c.recommend, level)))
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
    back.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    back.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    back.triggered.connect(commands.escape)
    owner.addAction(back)
    return actions


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
