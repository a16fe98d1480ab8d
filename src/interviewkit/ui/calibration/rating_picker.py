"""The scale's levels as checkable buttons, each beside its label and the question's rubric anchor: how an
exercise's agreed rating is chosen, and how an interviewer scores it (by click, or keys 1-4)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QToolButton, QWidget

from interviewkit.domain.markup import escape

__all__ = ["RatingPicker"]


class RatingPicker(QWidget):
    """The scale's levels as checkable buttons, each beside its label and the question's rubric anchor."""

    sig_chosen = Signal(int)
    """A level was chosen (by click or key)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QToolButton] = {}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setColumnStretch(1, 1)
        self.group.idClicked.connect(self.sig_chosen.emit)

    def set_levels(self, levels: list[tuple[int, str, str]]) -> None:
        """(level, scale label, rubric anchor) for each level, lowest first."""
        keep = self.value()
        for button in self.buttons.values():
            self.group.removeButton(button)
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.buttons = {}
        for row, (level, label, anchor) in enumerate(levels):
            button = QToolButton()
            button.setText(str(level))
            button.setCheckable(True)
            button.setProperty("role", "rating")
            button.setToolTip(f"{level}: {label} (key {level})")
            button.setAccessibleName(f"Rating {level}, {label}")
            self.group.addButton(button, level)
            self.buttons[level] = button
            text = QLabel(f"<b>{escape(label)}</b>" + (f" — {escape(anchor)}" if anchor else ""))
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            self._grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            self._grid.addWidget(text, row, 1)
        if keep in self.buttons:
            self.buttons[keep].setChecked(True)

    def value(self) -> int | None:
        checked = self.group.checkedId()
        return checked if checked in self.buttons else None

    def choose(self, level: int) -> None:
        if level in self.buttons:
            self.buttons[level].setChecked(True)
            self.sig_chosen.emit(level)

    def clear(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
