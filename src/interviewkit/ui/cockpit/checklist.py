"""The evidence checklist to tick: one checkable line per evidence item of the question being asked.

The interviewer ticks what they heard, by keyboard (Ctrl+E puts the cursor in the list, ↑/↓ move, Space or
the item's number toggles, Ctrl+J goes back to the notes) or with the mouse. The list only says what is
ticked (:attr:`EvidenceList.sig_ticked`); the cockpit keeps it with the draft, and shows the rating the
ticks suggest beside the rating control.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from interviewkit.ui.widgets.shortcuts import key_matches

__all__ = ["EvidenceList"]

_CHECKED, _UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class EvidenceList(QListWidget):
    """Checkable evidence items, numbered from 1; read-only on a submitted scorecard."""

    sig_ticked = Signal(tuple)
    """The ticked item numbers changed (all of them, sorted) by the interviewer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cockpitEvidence")
        self.setAccessibleName("Evidence heard: Space ticks an item")
        self.setToolTip("Tick what you heard: Space or the item's number; Ctrl+E to get here, Ctrl+J back to notes")
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(False)
        self._editable = True
        self._quiet = False
        self.itemChanged.connect(self._changed)

    def show_items(self, evidence: tuple[str, ...], ticked: tuple[int, ...]) -> None:
        """The checklist of a question with ``ticked`` items checked, without emitting ``sig_ticked``."""
        self._quiet = True
        self.clear()
        have = set(ticked)
        for n, text in enumerate(evidence, start=1):
            item = QListWidgetItem(f"{n}. {text}")
            item.setData(Qt.ItemDataRole.UserRole, n)
            item.setCheckState(_CHECKED if n in have else _UNCHECKED)
            self.addItem(item)
        self._apply_flags()
        if self.count():
            self.setCurrentRow(0)
        self._quiet = False

    def ticked(self) -> tuple[int, ...]:
        """The ticked item numbers, sorted."""
        return tuple(
            int(self.item(r).data(Qt.ItemDataRole.UserRole))
            for r in range(self.count())
            if self.item(r).checkState() == _CHECKED
        )

    def toggle(self, number: int) -> None:
        """Tick item ``number`` (from 1), or untick it; nothing on a read-only list or a number it lacks."""
        if not self._editable or not 1 <= number <= self.count():
            return
        item = self.item(number - 1)
        self.setCurrentItem(item)
        item.setCheckState(_UNCHECKED if item.checkState() == _CHECKED else _CHECKED)

    def set_editable(self, on: bool) -> None:
        """A read-only list still shows what was ticked (a submitted scorecard), and takes no ticks."""
        self._editable = on
        self._quiet = True
        self._apply_flags()
        self._quiet = False

    def _apply_flags(self) -> None:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        for r in range(self.count()):
            self.item(r).setFlags(flags)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        """The registry's tick_evidence: Space toggles the current item, a digit toggles that item."""
        if key_matches(event, "tick_evidence"):
            if event.key() != Qt.Key.Key_Space:
                self.toggle(event.key() - Qt.Key.Key_0)
                return
            if self.currentItem() is not None:
                self.toggle(self.currentRow() + 1)
                return
        super().keyPressEvent(event)

    def _changed(self, _item: QListWidgetItem) -> None:
        if not self._quiet:
            self.sig_ticked.emit(self.ticked())
