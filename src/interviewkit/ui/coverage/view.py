"""Coverage: the requirements of a job description and how many bank questions assess each.

Right of the table, the selected requirement: the questions built to produce evidence for it (primary
links, the ones counted), the questions that only touch it listed apart ("related, not counted"), and
whether the recruiter's screen checks it, with what the screen asks (issue 14).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services import bank_queries as bq
from interviewkit.services.bank_queries import CoverageRow
from interviewkit.services.bank_views import MIN_QUESTIONS, coverage_figures, coverage_words, is_gap
from interviewkit.services.context import AppContext
from interviewkit.ui.coverage.model import CoverageModel, CoverageRole
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.shortcuts import bind_keys

__all__ = ["CoverageView"]


def _question_list(name: str, accessible: str) -> QListWidget:
    """A list of questions (title, id); Enter or a double-click opens one in the bank."""
    questions = QListWidget()
    questions.setObjectName(name)
    questions.setAccessibleName(accessible)
    questions.setWordWrap(True)
    questions.setSpacing(3)
    return questions


class _GapFilter(QSortFilterProxyModel):
    """All requirements, or only those that need more questions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.only_gaps = False
        self.setSortRole(Qt.ItemDataRole.EditRole)

    def set_only_gaps(self, on: bool) -> None:
        self.beginFilterChange()
        self.only_gaps = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if not self.only_gaps:
            return True
        row = self.sourceModel().index(source_row, 0, source_parent).data(CoverageRole)
        return row is not None and is_gap(row)


class CoverageView(SectionWidget):
    """Which requirements the bank covers, and with which questions."""

    title = "Coverage"
    watches = frozenset({"bank"})

    sig_question_requested = Signal(str)
    """The user asked to open a question (double-click or Enter in the question list)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx: AppContext | None = None
        self._titles: dict[str, str] = {}
        self.setObjectName("coverageView")
        self.document = QComboBox()
        self.document.setAccessibleName("Job description")
        self.document.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.only_gaps = QCheckBox(f"Only gaps (fewer than {MIN_QUESTIONS} questions)")
        self.summary = QLabel()
        self.summary.setProperty("role", "summary")
        self.model = CoverageModel(self)
        self.proxy = _GapFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()
        self.questions = _question_list("coverageQuestions", "Questions assessing the selected requirement (counted)")
        self.related = _question_list("coverageRelated", "Questions related to the selected requirement (not counted)")
        self.requirement_label = QLabel(wordWrap=True)
        self.requirement_label.setProperty("role", "subtle")
        self.coverage_label = QLabel(wordWrap=True)
        self.coverage_label.setObjectName("coverageWords")
        self.screen_label = QLabel(wordWrap=True)
        self.screen_label.setObjectName("coverageScreen")
        self.screen_label.setProperty("state", "ok")
        self.questions_title = QLabel()
        self.related_title = QLabel()
        for title in (self.questions_title, self.related_title):
            title.setProperty("role", "pane-title")
        self.splitter = self._build_splitter()
        self._build_layout()
        self.document.currentIndexChanged.connect(self._load_rows)
        self.only_gaps.toggled.connect(self.proxy.set_only_gaps)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        for questions in (self.questions, self.related):
            questions.itemActivated.connect(self._open_question)  # a double click; Enter is the registry's
            bind_keys(questions, "open_in_bank", partial(self._open_current, questions))

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("coverageTable")
        table.setModel(self.proxy)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setTabKeyNavigation(False)  # whole rows: Tab goes on to the questions, it does not step cells
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setSortingEnabled(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        table.setColumnWidth(0, 104)
        table.setColumnWidth(2, 190)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        return table

    def _build_splitter(self) -> QSplitter:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("<b>Questions for this requirement</b> (Enter opens it in the bank)"))
        right_layout.addWidget(self.requirement_label)
        right_layout.addWidget(self.coverage_label)
        right_layout.addWidget(self.screen_label)
        right_layout.addWidget(self.questions_title)
        right_layout.addWidget(self.questions, 2)
        right_layout.addWidget(self.related_title)
        right_layout.addWidget(self.related, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("coverageSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 330])
        splitter.setChildrenCollapsible(False)
        return splitter

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel("Job description:"))
        top.addWidget(self.document, 1)
        top.addWidget(self.only_gaps)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        heading = QLabel(self.title)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        """Read the job descriptions and the coverage again (off the GUI thread), keeping the one chosen and the
        requirement selected."""
        if self._ctx is None:
            return
        db = self._ctx.db
        self.fetch(lambda: (bq.question_summaries(db), bq.job_descriptions(db)), self._show_documents, kind="documents")

    def _show_documents(self, read: tuple[list[bq.QuestionSummary], list[bq.JobDescriptionInfo]]) -> None:
        summaries, documents = read
        keep = self.document.currentData()
        self._titles = {s.id: s.title for s in summaries}
        self.document.blockSignals(True)
        self.document.clear()
        for d in documents:
            self.document.addItem(f"{d.title}  ({d.requirement_count} requirements)", d.id)
        self.document.addItem("All job descriptions", "")
        idx = self.document.findData(keep) if keep is not None else 0
        self.document.setCurrentIndex(max(idx, 0))
        self.document.blockSignals(False)
        self._load_rows()

    def _selected_requirement(self) -> str | None:
        row = self.table.currentIndex().data(CoverageRole)
        return None if row is None else row.requirement.id

    def _load_rows(self) -> None:
        if self._ctx is None:
            return
        db, document = self._ctx.db, self.document.currentData() or None
        self.fetch(lambda: bq.coverage(db, document), self._show_rows, kind="rows")

    def _show_rows(self, rows: list[CoverageRow]) -> None:
        keep = self._selected_requirement()
        self.model.set_rows(rows)
        figures = coverage_figures(rows)
        self.summary.setText(figures.sentence())
        self.summary.setProperty("state", "ok" if figures.ok else "warning")
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        source = self.model.row_of(keep) if keep is not None else -1
        at = self.proxy.mapFromSource(self.model.index(source, 0)).row() if source >= 0 else -1
        if self.proxy.rowCount():
            self.table.selectRow(max(at, 0))
        else:
            self._show_requirement(None)

    def _on_current(self, current: QModelIndex, _prev: QModelIndex) -> None:
        self._show_requirement(current.data(CoverageRole) if current.isValid() else None)

    def _show_requirement(self, row: CoverageRow | None) -> None:
        """The selected requirement: its questions (counted), the related ones apart, and the screen."""
        self.questions.clear()
        self.related.clear()
        self.screen_label.setVisible(row is not None and row.screen)
        if row is None:
            for label in (self.requirement_label, self.coverage_label, self.questions_title, self.related_title):
                label.setText("")
            return
        must = " · must-have" if row.must_have else ""
        self.requirement_label.setText(f"{row.requirement.text}\n{row.requirement.id}{must}")
        self.coverage_label.setText(coverage_words(row)[:1].upper() + coverage_words(row)[1:] + ".")
        asks = f": “{row.screen_ask}”" if row.screen_ask else " about it."
        self.screen_label.setText(f"✓ The recruiter's screen asks{asks}")
        self.questions_title.setText(f"Assessed by (counted): {row.count}")
        self._fill(self.questions, row.questions, "No question assesses this requirement yet.")
        self.related_title.setText(f"Related, not counted: {len(row.related_questions)}")
        self._fill(self.related, row.related_questions, "No other question touches on it.")

    def _fill(self, target: QListWidget, question_ids: tuple[str, ...], empty: str) -> None:
        for qid in question_ids:
            item = QListWidgetItem(f"{self._titles.get(qid, qid)}\n{qid}")
            item.setData(Qt.ItemDataRole.UserRole, qid)
            target.addItem(item)
        if not question_ids:
            item = QListWidgetItem(empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            target.addItem(item)

    def focus_entry(self) -> None:
        """On entry the requirements have the focus (↓ moves through them; on the job description's list it
        switched the document), Tab reaches their questions."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open_current(self, questions: QListWidget) -> None:
        item = questions.currentItem()
        if item is not None:
            self._open_question(item)

    def _open_question(self, item: QListWidgetItem) -> None:
        qid = item.data(Qt.ItemDataRole.UserRole)
        if qid:
            self.sig_question_requested.emit(qid)
            self.host.navigate("bank", qid)
