"""Item-data roles shared by the list models and delegates of every screen, and the icon of a row's state.

Two-line rows give their second line through ``SubtitleRole`` and a right-hand figure through
``TrailingRole`` (drawn by :class:`~interviewkit.ui.widgets.delegates.CardDelegate`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyle

__all__ = ["IdRole", "SearchTextRole", "StateRole", "SubtitleRole", "TrailingRole", "ValueRole", "state_icon"]

SubtitleRole = Qt.ItemDataRole.UserRole + 20  # the row's second (and further) lines
TrailingRole = Qt.ItemDataRole.UserRole + 21  # a short figure drawn at the right of the first line
StateRole = Qt.ItemDataRole.UserRole + 22  # "", "ok", "warning" or "danger": how the row reads
IdRole = Qt.ItemDataRole.UserRole + 23  # the loop, stage, question or competency id
ValueRole = Qt.ItemDataRole.UserRole + 24  # the plain value behind the row
SearchTextRole = Qt.ItemDataRole.UserRole + 25  # what the loop search matches against


def state_icon(state: str) -> Any:
    """The standard icon for a state, so that a warning never relies on colour alone."""
    pixmap = {
        "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
        "danger": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
        "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
    }.get(state)
    return QApplication.style().standardIcon(pixmap) if pixmap is not None else None
