"""Ctrl+Shift+V in the cockpit: choose a variant of the question shown to ask instead."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from interviewkit.services.variants import VariantOption

__all__ = ["VariantPicker"]


class VariantPicker(QDialog):
    """The siblings of a question's variant group not in this loop; Enter swaps, Esc keeps the question."""

    sig_chosen = Signal(str)
    """The question id to ask instead."""

    def __init__(self, title: str, options: Sequence[VariantOption], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Swap for a variant")
        self.setObjectName("variantPicker")
        what = QLabel(
            f"Ask one of these instead of “{title}”, for a candidate with no fitting story. It takes the same "
            "place and gathers the same evidence. Nothing is written about the question yet; the ratings are "
            "per competency and stay as they are. The swap goes into the scorecard's audit trail.",
            wordWrap=True,
        )
        what.setTextFormat(Qt.TextFormat.PlainText)
        self.options = QListWidget()
        self.options.setAccessibleName("Variants to ask instead")
        self.options.setWordWrap(True)
        for o in options:
            first = o.prompt.strip().splitlines()[0] if o.prompt.strip() else ""
            item = QListWidgetItem(f"{o.title}   ·   {o.kind}, {o.minutes} min\n{first[:160]}")
            item.setData(Qt.ItemDataRole.UserRole, o.question_id)
            self.options.addItem(item)
        self.options.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Swap")
        buttons.accepted.connect(self._choose)
        buttons.rejected.connect(self.reject)
        self.options.itemActivated.connect(lambda _i: self._choose())
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addWidget(self.options, 1)
        layout.addWidget(buttons)
        self.resize(620, 360)

    def _choose(self) -> None:
        if self.options.currentRow() < 0:
            return
        self.sig_chosen.emit(str(self.options.currentItem().data(Qt.ItemDataRole.UserRole)))
        self.accept()
