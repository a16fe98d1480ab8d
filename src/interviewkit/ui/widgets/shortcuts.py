"""Keys that belong to one widget (Enter on a table, Down in a search box)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

__all__ = ["widget_shortcut"]


def widget_shortcut(widget: QWidget, key: Qt.Key, slot: Callable[[], object]) -> QShortcut:
    """A shortcut active only while ``widget`` has the focus.

    The context is set after construction on purpose: PySide6 6.12 ignores the ``context`` argument of
    ``QShortcut(key, parent, slot, context=...)`` and leaves it at WindowShortcut, which would make the key
    fire anywhere in the window.
    """
    shortcut = QShortcut(QKeySequence(key), widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
    shortcut.activated.connect(slot)
    return shortcut
