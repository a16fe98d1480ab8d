"""The review table's model: a thin adapter over a :class:`~interviewkit.bank.jd.ParsedJD` (plain data) and
the suggestions for its requirements. Edits are made by :mod:`interviewkit.bank.jd_review`; the model only
shows the result (:meth:`ReviewModel.set_document`), and lets the requirement's text be corrected in place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from interviewkit.bank.jd import ParsedJD
from interviewkit.bank.jd_review import renumber
from interviewkit.services.jd import Suggestion
from interviewkit.ui.widgets.table import RowTable

__all__ = ["COL_LINE", "COL_PRIORITY", "COL_SECTION", "COL_SUGGESTED", "COL_TEXT", "ReviewModel"]

_Index = QModelIndex | QPersistentModelIndex
COL_TEXT, COL_SECTION, COL_PRIORITY, COL_LINE, COL_SUGGESTED = range(5)
PRIORITY_WORDS = {"must": "Must have", "nice": "Nice to have"}


class ReviewModel(RowTable):
    """Requirement, section, priority, source line and the best bank question; sentences taken from prose
    are marked (italic, "from prose: review" in the tooltip and the line column)."""

    COLUMNS = ("Requirement", "Section", "Priority", "Line", "Bank questions")
    TIPS = (
        "The requirement as it will be saved (double-click to correct it)",
        "The section it is saved under",
        "Must have, or nice to have (as the document says; change it with the buttons)",
        "The line of the document it was read from",
        "The bank questions that fit it best, with their score (0-1), or 'no good match in the bank'",
    )

    sig_edited = Signal(object)
    """A requirement's text was corrected in place: the new document."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.document: ParsedJD | None = None
        self._suggestions: dict[str, Suggestion] = {}

    def set_document(self, jd: ParsedJD | None) -> None:
        self.document = jd
        self.set_rows(list(jd.requirements) if jd is not None else [])

    def set_suggestions(self, suggestions: Mapping[str, Suggestion]) -> None:
        """Suggestions by requirement TEXT's id at the time they were made (see :meth:`suggestion_for`)."""
        self._suggestions = dict(suggestions)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, COL_SUGGESTED), self.index(self.rowCount() - 1, COL_SUGGESTED))

    def suggestion_for(self, text: str) -> Suggestion | None:
        return self._suggestions.get(text)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.row_at(index.row())
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(r, col)
        if role == Qt.ItemDataRole.FontRole and r.from_prose and col == COL_TEXT:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and r.from_prose:
            return "from prose: review"
        return None

    def _text(self, r: Any, col: int) -> str:
        if col == COL_TEXT:
            return str(r.text)
        if col == COL_SECTION:
            return str(r.section)
        if col == COL_PRIORITY:
            return PRIORITY_WORDS.get(str(r.priority), str(r.priority))
        if col == COL_LINE:
            line = str(r.line) if r.line else "-"
            return f"{line} · prose" if r.from_prose else line
        s = self._suggestions.get(r.text)
        if s is None:
            return ""
        if not s.matches:
            return "no good match in the bank"
        return ", ".join(f"{m.question_id} ({m.score:.2f})" for m in s.matches)

    def _tip(self, r: Any, col: int) -> str | None:
        if col == COL_SUGGESTED:
            s = self._suggestions.get(r.text)
            if s is None:
                return None
            if not s.matches:
                return s.reason
            return "\n".join(f"{m.score:.2f}  {m.title}: {m.reason}" for m in s.matches)
        if r.from_prose:
            return "A sentence of a paragraph, not a bullet: check that it is one requirement (merge or split it)"
        return str(r.text) if col == COL_TEXT else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() and index.column() == COL_TEXT else base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """Correct a requirement's text in place (what the merge and split buttons cannot do)."""
        jd = self.document
        text = " ".join(str(value).split())
        if jd is None or role != Qt.ItemDataRole.EditRole or index.column() != COL_TEXT or not text:
            return False
        reqs = list(jd.requirements)
        reqs[index.row()] = replace(reqs[index.row()], text=text[:2000])
        self.set_document(renumber(jd, reqs))
        self.sig_edited.emit(self.document)
        return True
