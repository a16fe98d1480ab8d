"""One meaning per key at a time: the window's keys give way to a screen's own.

The window's shortcuts (Ctrl+1..7 for the sections, Ctrl+P, Ctrl+F... from the registry
:data:`~interviewkit.ui.widgets.shortcuts.KEYMAP`) work anywhere, unless the focused screen has an action on
the same key where the focus is (the cockpit's finish page takes Ctrl+1..4 for the recommendation, a screen
its own Ctrl+P). Two shortcuts on one key would make Qt fire neither ("Ambiguous shortcut overload"), so
whenever the focus, the section or the cockpit's page changes, the window's action on a key a screen claims
loses its shortcut until the screen gives it up.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu, QWidget

__all__ = ["KeyArbiter", "live_keys", "local_keys"]

_Holder = QAction | QShortcut
_FOLLOWED = "keyArbiterFollows"  # a property of the screens' actions whose changes the arbiter follows


def _keys(holder: _Holder) -> list[str]:
    if isinstance(holder, QAction):
        return [k.toString() for k in holder.shortcuts() if not k.isEmpty()]
    return [k.toString() for k in holder.keys() if not k.isEmpty()]  # noqa: SIM118 - QShortcut.keys(), no dict


def _holders_of(widget: QWidget) -> Iterator[tuple[_Holder, QWidget]]:
    """The actions added to ``widget`` and the shortcuts made on it."""
    for act in widget.actions():
        yield act, widget
    for shortcut in widget.findChildren(QShortcut, options=Qt.FindChildOption.FindDirectChildrenOnly):
        yield shortcut, widget


def _context(holder: _Holder) -> Qt.ShortcutContext:
    return holder.shortcutContext() if isinstance(holder, QAction) else holder.context()


def _live_on(holder: _Holder, widget: QWidget, focus: QWidget | None) -> bool:
    """Whether ``holder`` (added to ``widget``) fires for its keys while ``focus`` has the focus, as Qt decides."""
    if not holder.isEnabled():
        return False
    context = _context(holder)
    window_wide = context in (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
    if isinstance(widget, QMenu):
        return window_wide  # a menu of the menu bar counts as the bar, which never has the focus
    if not (widget.isVisible() and widget.isEnabled()):
        return False
    if window_wide:
        return True
    if focus is None:
        return False
    if context == Qt.ShortcutContext.WidgetShortcut:
        return widget is focus
    return widget is focus or widget.isAncestorOf(focus)


def local_keys(focus: QWidget | None, window: QWidget) -> set[str]:
    """The keys that the focused widget and the widgets around it (up to ``window``) hold themselves."""
    keys: set[str] = set()
    w = focus
    while w is not None and w is not window:
        for holder, widget in _holders_of(w):
            if _live_on(holder, widget, focus):
                keys.update(_keys(holder))
        w = w.parentWidget()
    return keys


def live_keys(window: QWidget, focus: QWidget | None) -> list[tuple[str, _Holder]]:
    """Every (key, action or shortcut) that would fire in ``window`` with ``focus``: a key listed twice is
    ambiguous. Scans every widget of the window and its menus."""
    found: list[tuple[str, _Holder]] = []
    widgets = [window, *window.findChildren(QWidget)]
    for widget in widgets:
        for holder, owner in _holders_of(widget):
            if _live_on(holder, owner, focus):
                found += [(k, holder) for k in _keys(holder)]
    seen: set[tuple[int, str]] = set()
    unique = []
    for key, holder in found:  # an action added to a menu and to the window is one shortcut
        if (id(holder), key) not in seen:
            seen.add((id(holder), key))
            unique.append((key, holder))
    return unique


class KeyArbiter(QObject):
    """Keeps the window's actions on keys no focused screen claims; gives their shortcut back after."""

    def __init__(self, window: QWidget, actions: dict[QAction, str], *, hint: frozenset[QAction]) -> None:
        """``actions``: the window's actions and their key; ``hint``: those whose menu entry still names the
        key while a screen holds it (the screen's own key does the same, e.g. Ctrl+P exports its document)."""
        super().__init__(window)
        self._window = window
        self._actions = actions
        self._hint = hint
        self._texts = {act: act.text() for act in actions}
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.update)

    def update(self, *_args: object) -> None:
        """Give way where the focus is now."""
        app = QApplication.instance()
        focus = app.focusWidget() if isinstance(app, QApplication) else None
        if focus is not None and focus.window() is not self._window:
            return  # a dialog or another window: its own keys
        self.give_way(focus)

    def give_way(self, focus: QWidget | None) -> None:
        """Set the window's shortcuts for the focus on ``focus``: off where a screen claims the key."""
        self._follow_actions_around(focus)
        claimed = local_keys(focus, self._window)
        for act, key in self._actions.items():
            held = QKeySequence(key).toString() in claimed
            want = QKeySequence() if held else QKeySequence(key)
            if act.shortcut() != want:
                act.setShortcut(want)
                native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
                act.setText(f"{self._texts[act]}\t{native}" if held and act in self._hint else self._texts[act])

    def _follow_actions_around(self, focus: QWidget | None) -> None:
        """Decide again when an action of the widgets around the focus changes: a screen enables its own key
        once it has something to act on (Debriefs' Export PDF once the debrief is read), after the focus came."""
        w = focus
        while w is not None and w is not self._window:
            for act in w.actions():
                if not act.property(_FOLLOWED):
                    act.setProperty(_FOLLOWED, True)
                    act.changed.connect(self.update)
            w = w.parentWidget()
