"""Forms that show a service's problems where they belong: under the field, with an icon and words.

Services raise ``ValidationFailed`` with problems such as ``"Email: enter an address such as name@example.com"``.
:class:`ProblemForm` puts each one under the field whose label starts it; anything else goes in a general line
under the form. What the user typed is never touched.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.widgets.theme import is_dark

__all__ = ["InlineProblem", "ProblemForm", "field_key", "grow_to_fit", "legible_check_boxes"]


def field_key(label: str) -> str:
    """The name a service uses for a field, from its label: "&Hiring manager:" -> "Hiring manager"."""
    return label.replace("&", "").strip().rstrip(":").strip()


def grow_to_fit(window: QWidget) -> None:
    """Make a window tall enough for the problems just shown (wrapped text included); never shrink it."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    need = window.heightForWidth(window.width())
    if need < 0:
        need = window.sizeHint().height()
    if need > window.height():
        window.resize(window.width(), need)


def legible_check_boxes(*widgets: QWidget) -> None:
    """In a dark palette, give check boxes an outline that can be seen.

    Fusion draws a check box's outline from the Window colour darkened, which all but vanishes on a dark
    base, so an unticked box is invisible. Lightening Window on these (short-lived, dialog) widgets only
    brings the outline back; a theme-wide fix in ``ui/theme.py`` would make this unnecessary.
    """
    for widget in widgets:
        palette = widget.palette()
        if not is_dark(palette):
            continue
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.PlaceholderText))
        widget.setPalette(palette)


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class InlineProblem(QWidget):
    """A problem shown in place: a warning icon and a sentence (colour is never the only signal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel()
        self.icon.setObjectName("problemIcon")
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.icon.setPixmap(icon.pixmap(QSize(size, size)))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.icon.setFixedWidth(size + 2)
        self.label = QLabel(wordWrap=True)
        self.label.setProperty("role", "problem")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 1, 0, 1)
        row.setSpacing(5)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.label, 1)
        self._text = ""
        self.hide()

    def text(self) -> str:
        """The problem shown ("" when hidden)."""
        return self._text

    def set_text(self, text: str) -> None:
        """Show ``text``, or hide the line when it is empty."""
        self._text = text
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.setVisible(bool(text))


class ProblemForm(QWidget):
    """A QFormLayout whose fields each carry an :class:`InlineProblem`, plus one for the whole form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout()
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.layout_.setVerticalSpacing(8)
        self.general = InlineProblem()
        self.general.setObjectName("formProblem")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self.layout_)
        outer.addWidget(self.general)
        self._fields: dict[str, tuple[QWidget, InlineProblem]] = {}
        self._order: list[QWidget] = []

    def add_row(self, label: str, field: QWidget, *, hint: str = "") -> QWidget:
        """Add ``field`` under ``label`` (with a mnemonic, e.g. "&Email:"); returns the row's widget."""
        problem = InlineProblem()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        column.addWidget(field)
        if hint:
            note = QLabel(hint, wordWrap=True)
            note.setProperty("role", "subtle")
            column.addWidget(note)
        column.addWidget(problem)
        caption = QLabel(label)
        caption.setBuddy(field)
        caption.setProperty("role", "field-label")
        self.layout_.addRow(caption, box)
        key = field_key(label)
        self._fields[key] = (field, problem)
        self._order.append(field)
        field.setAccessibleName(key)
        self._clear_on_edit(key, field)
        return box

    def fields(self) -> list[QWidget]:
        """The fields in reading order (for the tab order)."""
        return list(self._order)

    def problem_for(self, key: str) -> str:
        """The problem shown under the field ``key`` ("" if none)."""
        return self._fields[key][1].text()

    def problems_shown(self) -> list[str]:
        """Every problem on screen, as "Field: message" lines (for tests and screen readers)."""
        shown = [f"{k}: {p.text()}" for k, (_f, p) in self._fields.items() if p.text()]
        if self.general.text():
            shown.extend(self.general.text().splitlines())
        return shown

    def show_problems(self, problems: list[str]) -> QWidget | None:
        """Put each problem under its field; return the first field with one (to focus it)."""
        self.clear_problems()
        by_field: dict[str, list[str]] = {}
        general: list[str] = []
        for problem in problems:
            key, sep, message = problem.partition(": ")
            if sep and key in self._fields:
                by_field.setdefault(key, []).append(message[:1].upper() + message[1:])
            else:
                general.append(problem)
        first: QWidget | None = None
        for field in self._order:
            key = field_key(field.accessibleName())
            if key in by_field:
                message = "\n".join(by_field[key])
                self._fields[key][1].set_text(message)
                field.setProperty("invalid", True)
                field.setAccessibleDescription(message)
                _repolish(field)
                first = first or field
        self.general.set_text("\n".join(general))
        return first

    def clear_problems(self) -> None:
        for key in self._fields:
            self._clear(key)
        self.general.set_text("")

    def _clear(self, key: str) -> None:
        field, problem = self._fields[key]
        problem.set_text("")
        if field.property("invalid"):
            field.setProperty("invalid", False)
            field.setAccessibleDescription("")
            _repolish(field)

    def _clear_on_edit(self, key: str, field: QWidget) -> None:
        """A problem goes away as soon as the user changes its field."""

        def clear(*_args: Any) -> None:
            self._clear(key)

        if isinstance(field, QLineEdit):
            field.textEdited.connect(clear)
        elif isinstance(field, QComboBox):
            field.activated.connect(clear)
        elif isinstance(field, QCheckBox):
            field.toggled.connect(clear)
        elif isinstance(field, QAbstractItemView) and field.model() is not None:
            field.model().dataChanged.connect(clear)
