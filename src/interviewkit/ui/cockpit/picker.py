"""Ctrl+K in the cockpit: find a bank question by typing and add it to the interview. The hits come best match
first (the bank's ranked search, as in the bank browser), with the matched words in bold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from interviewkit.services.bank_queries import question_summaries, search_highlight, search_question_ids
from interviewkit.ui.widgets.highlight import MatchesDelegate
from interviewkit.ui.widgets.shortcuts import key_matches

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext

__all__ = ["QuestionPicker"]


class QuestionPicker(QDialog):
    """Type to search the bank; Enter adds the highlighted question; Esc closes."""

    sig_chosen = Signal(str)
    """The question id the interviewer chose."""

    def __init__(self, ctx: AppContext, *, exclude: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a question")
        self.setObjectName("questionPicker")
        self._ctx = ctx
        self._all = [q for q in question_summaries(ctx.db) if q.id not in exclude]
        self.search = QLineEdit(placeholderText="Search the bank: title, prompt, competency…")
        self.search.setAccessibleName("Search questions to add")
        self.results = QListWidget()
        self.results.setAccessibleName("Matching questions")
        self.matches = MatchesDelegate(self)
        self.results.setItemDelegate(self.matches)
        hint = QLabel("↑/↓ choose · Enter add · Esc close")
        hint.setProperty("role", "subtle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(hint)
        self.resize(620, 420)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._choose)
        self.results.itemActivated.connect(lambda _i: self._choose())
        self.search.installEventFilter(self)
        self._filter("")

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """↑/↓ in the search box move through the results (the registry's picker_move)."""
        if (
            obj is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and key_matches(event, "picker_move")
        ):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = max(0, min(self.results.currentRow() + step, self.results.count() - 1))
            self.results.setCurrentRow(row)
            return True
        return super().eventFilter(obj, event)

    def _filter(self, text: str) -> None:
        by_id = {q.id: q for q in self._all}
        if text.strip():
            ids = [q for q in search_question_ids(self._ctx.db, text, ranked=True) if q in by_id]
        else:  # nothing typed: by title, as the bank lists them (the search's ranking once something is)
            ids = [q.id for q in sorted(self._all, key=lambda q: q.title.casefold())]
        self.matches.set_pattern(search_highlight(text) if text.strip() else "")
        self.results.clear()
        for qid in ids[:200]:
            q = by_id[qid]
            item = QListWidgetItem(f"{q.title}   ·   {q.minutes} min\n{qid}")
            item.setData(Qt.ItemDataRole.UserRole, qid)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _choose(self) -> None:
        if self.results.currentRow() < 0:
            return
        self.sig_chosen.emit(str(self.results.currentItem().data(Qt.ItemDataRole.UserRole)))
        self.accept()
