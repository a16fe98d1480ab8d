"""The Validity tab: did the people we hired turn out as we scored them?

Each hire's overall interview score against their latest performance rating (a chart), the figures of the
overall score in plain words (n, the raw correlation among hires with its interval, the correlation
corrected for hiring only high scorers, Thorndike 1949 case II, and for the score's unreliability,
Spearman's correction), and a table of every predictor (competency, question, stage, interviewer) with
its verdict. With no outcomes, the page says how to record them; someone who may not see outcomes is told
who may.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.validity import TRUE_SCORE_MARK, ValidityReport, ValidityRow
from interviewkit.ui.calibration.common import caption, section_title, setup_table
from interviewkit.ui.calibration.models import fmt
from interviewkit.ui.calibration.validity_chart import ValidityChart
from interviewkit.ui.widgets.table import RowTable

__all__ = ["NOT_YOURS", "NO_OUTCOMES", "ValidityModel", "ValidityPage", "composite_words"]

NO_OUTCOMES = (
    "No outcomes of hires are recorded yet, so there is nothing to say about whether the interview predicts "
    "how people do once hired.\n\nRecord outcomes with  interviewkit outcomes import FILE.csv  (header "
    "candidate,date,performance, optionally left,regretted,promoted; the candidate's id or email), or one at a "
    "time with Record outcome… here."
)
NOT_YOURS = (
    "Outcomes of hires (performance reviews after hiring) are shown to admins, hiring managers and the "
    "hiring manager of the candidate's opening."
)
_Index = QModelIndex | QPersistentModelIndex


def _interval(ci: tuple[float, float] | None) -> str:
    return f" (95% {ci[0]:.2f} to {ci[1]:.2f})" if ci is not None else ""


def composite_words(report: ValidityReport) -> str:
    """The overall score's figures in plain words, each number with what it means."""
    row = report.composite
    if row is None or row.validity.r is None:
        why = row.validity.why if row is not None else "no hire has an interview score here"
        return f"{report.n_hires} hires with a performance rating: {why}."
    v = row.validity
    text = (
        f"Each dot is one of {v.n} hires: their overall interview score (across) and their latest performance "
        f"rating (up). Among them, score and performance go together with r = {v.r:.2f}{_interval(v.ci)}, "
        "where 0 is no relation and 1 a perfect one."
    )
    if v.corrected is not None and v.u is not None:
        text += (
            f" But hires are the candidates who scored high: the ticks along the bottom are all {v.n_pool} candidates "
            f"interviewed, whose scores spread {v.u:.1f} times as wide as the hires'. Within that narrow band r "
            f"understates how well the interview sorts applicants; corrected for it (Thorndike 1949, case II) "
            f"r = {v.corrected:.2f}{_interval(v.corrected_ci)}."
        )
    if row.reliability is not None and row.true_score is not None:
        text += (
            f" The overall score's reliability is {row.reliability:.2f} (interviewers disagree and some are more "
            f"lenient; Brennan 2001); a perfectly reliable score would reach r = {row.true_score:.2f}"
            f"{_interval(row.true_score_ci)} (Spearman's correction): the most that more interviewers could add."
        )
    verdict = row.words.split(TRUE_SCORE_MARK)[0]  # the reliability is said above already
    return f"{text}\n\n{verdict}"


class ValidityModel(RowTable):
    """One row per predictor: kind and label, hires, raw r, corrected r, the verdict in words."""

    COLUMNS = ("Predictor", "Hires", "Raw r [95%]", "Corrected r [95%]", "In words")
    TIPS = (
        "The overall score, a competency's, a question's, a stage's or one interviewer's scores",
        "Hires with both a score on it and a performance rating",
        "Correlation with the latest performance among the hires",
        "Corrected for hiring only high scorers (Thorndike case II, from every candidate's spread)",
        "What the figures support, and what they do not",
    )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: ValidityRow = self._rows[index.row()]
        v = row.validity
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"{row.kind}: {row.label}",
                str(v.n),
                fmt(v.r) + (f" [{v.ci[0]:.2f}, {v.ci[1]:.2f}]" if v.ci else ""),
                fmt(v.corrected) + (f" [{v.corrected_ci[0]:.2f}, {v.corrected_ci[1]:.2f}]" if v.corrected_ci else ""),
                row.words,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return row.words
        return None


class ValidityPage(QStackedWidget):
    """The validity of the interview (``content``, a scroll area), or (``empty``) why there is none."""

    sig_record = Signal()
    """The person asked to record an outcome (Record outcome…)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: ValidityReport | None = None
        self.record_button = QPushButton("Record outcome…")
        self.record_button.setObjectName("recordOutcome")
        self.record_button.setToolTip("Record one review of a hire: performance, left, promoted")
        self.record_button.clicked.connect(self.sig_record)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setObjectName("validityEmpty")
        self.empty.setProperty("role", "empty-state")
        self.empty.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.addWidget(self._build_empty())
        self.addWidget(self._build_content())
        self.show_empty(NO_OUTCOMES)

    def _build_empty(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addStretch(1)
        column.addWidget(self.empty)
        self.empty_record = QPushButton("Record outcome…")
        self.empty_record.setObjectName("recordOutcomeEmpty")
        self.empty_record.clicked.connect(self.sig_record)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.empty_record)
        row.addStretch(1)
        column.addLayout(row)
        column.addStretch(2)
        self.empty_page = page
        return page

    def _build_content(self) -> QWidget:
        page = QWidget()
        page.setObjectName("validityPage")
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 4, 12, 12)
        column.setSpacing(6)
        head = QHBoxLayout()
        head.addWidget(section_title("Does the interview predict performance after hiring?"))
        head.addStretch(1)
        head.addWidget(self.record_button)
        column.addLayout(head)
        self.chart = ValidityChart()
        self.words = QLabel(wordWrap=True)
        self.words.setObjectName("validityWords")
        self.words.setTextFormat(Qt.TextFormat.PlainText)
        self.note = caption()
        self.model = ValidityModel(self)
        self.table = QTableView()
        self.table.setObjectName("validityTable")
        self.table.setAccessibleName("Validity of each predictor")
        self.table.setModel(self.model)
        setup_table(self.table, fixed=False)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(200)
        column.addWidget(self.chart)
        column.addWidget(self.words)
        column.addSpacing(8)
        column.addWidget(section_title("Every predictor"))
        column.addWidget(self.table, 1)
        column.addWidget(self.note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self.content = scroll
        return scroll

    def set_may_record(self, may: bool) -> None:
        self.record_button.setVisible(may)
        self.empty_record.setVisible(may)

    def show_empty(self, text: str) -> None:
        self.report = None
        self.empty.setText(text)
        self.setCurrentWidget(self.empty_page)

    def show_report(self, report: ValidityReport) -> None:
        """Draw a report with outcomes."""
        self.report = report
        self.setCurrentWidget(self.content)
        self.chart.show_points(report.points, report.pool_scores)
        self.words.setText(composite_words(report))
        self.model.set_rows(report.rows)
        self.note.setText(report.note)
