"""Calibration: how the panel's interviewers compare, how much they agree, and exercises to align them.

Filters at the top (opening, period, competency, interviewer: :mod:`.filters`); below, four tabs:

* **Dashboard** (:mod:`.dashboard`): leniency, agreement per competency, rating distributions and drift;
* **Questions** (:mod:`.questions`): question analytics;
* **Validity** (:mod:`.validity_page`): hires' interview scores against their later performance, raw and
  corrected, for those who may see outcomes; Record outcome… (:mod:`.outcome_dialog`) records one;
* **Exercises** (:mod:`.exercises`): calibration exercises, scored blind.

The figures are one :class:`~interviewkit.services.calibration_report.CalibrationReport` (the same value the
command line and the PDF print, with the same rules of who sees what), computed on the thread pool; a newer
request supersedes an older one. The first read of every rating after a change (tens of seconds on five
years of a large organisation, :mod:`~interviewkit.services.rating_columns`) shows its progress beside the
status, then a moving bar while the statistics are computed. Export PDF… (Ctrl+P) prints the
same report, with the same filters. The section computes again when scorecards, people, decisions,
exercises or candidates (their outcomes) change anywhere, or a candidate is erased.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QTabWidget, QVBoxLayout, QWidget
from shiboken6 import isValid

from interviewkit.services import outcomes, rating_columns
from interviewkit.services.calibration_report import CalibrationReport, calibration_report, filter_options
from interviewkit.services.changes import Created
from interviewkit.services.context import AppContext
from interviewkit.ui.calibration.dashboard import DashboardPage
from interviewkit.ui.calibration.exercises import ExercisesPanel
from interviewkit.ui.calibration.filters import ALL, PERIODS, FilterBar
from interviewkit.ui.calibration.outcome_dialog import OutcomeInput, RecordOutcomeDialog
from interviewkit.ui.calibration.questions import QuestionsPage
from interviewkit.ui.calibration.validity_page import NO_OUTCOMES, NOT_YOURS, ValidityPage
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.pdf_preview import PdfOptions, PdfPreviewDialog, preview_and_save
from interviewkit.ui.widgets.shortcuts import key_of
from interviewkit.ui.widgets.tasks import run_in_background

__all__ = ["PERIODS", "CalibrationView"]

NO_DATABASE = "No database open."
NOBODY = "Choose who you are first (File → Switch person): what calibration shows depends on your role."
TAB_TIPS = (
    "Leniency, agreement, rating distributions and drift",
    "How often each question was asked and how its ratings behave",
    "Did the people we hired turn out as we scored them? Interview scores against later performance",
    "Score reference answers blind, then compare with the agreed rating",
)


class CalibrationView(SectionWidget):
    """The calibration section: dashboard, question analytics and exercises."""

    title = "Calibration"
    watches = frozenset({"scorecards", "people", "exercises", "decisions", "erased", "candidates"})

    sig_updated = Signal(object)
    """The section shows a new report (the ``CalibrationReport``; None when it could not be computed)."""

    sig_export_requested = Signal()
    """The user asked for the calibration report as a PDF (Export PDF…, Ctrl+P)."""

    sig_progress = Signal(int, float, str)
    """From the thread pool: (request, share read 0..1 or -1 while the statistics are computed, what)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calibrationView")
        self._ctx: AppContext | None = None
        self._generation = 0
        self.data: CalibrationReport | None = None
        self.busy = False
        self.last_error = ""
        self.preview: PdfPreviewDialog | None = None
        self.filter_bar = FilterBar()
        self._build_export()
        self.dashboard = DashboardPage()
        self.questions = QuestionsPage()
        self.validity = ValidityPage()
        self.validity.sig_record.connect(self.record_outcome)
        self.dialog: RecordOutcomeDialog | None = None
        self._may_read_outcomes = False
        self.exercises = ExercisesPanel(self.write)
        self.tabs = self._build_tabs()
        self.status = QLabel()
        self.status.setObjectName("calibrationStatus")
        self.status.setProperty("role", "subtle")
        self.progress = QProgressBar()
        self.progress.setObjectName("calibrationProgress")
        self.progress.setMaximumWidth(140)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.sig_progress.connect(self._progressed)
        self._build_layout()
        self.filter_bar.sig_changed.connect(self.recompute)
        self._show_empty(NO_DATABASE)

    # -- building -------------------------------------------------------------------------------------------

    def _build_export(self) -> None:
        self.act_export = QAction("&Export PDF…", self)
        self.act_export.setShortcut(QKeySequence(key_of("export_pdf")))
        self.act_export.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        seq = self.act_export.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.act_export.setToolTip(f"Export the calibration report, with these filters, as a PDF ({seq})")
        self.addAction(self.act_export)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setObjectName("exportCalibration")
        self.export_button.setToolTip(self.act_export.toolTip())
        self.filter_bar.row.addWidget(self.export_button)
        self.act_export.triggered.connect(self._export)
        self.export_button.clicked.connect(self.act_export.trigger)

    def _build_tabs(self) -> QTabWidget:
        tabs = QTabWidget()
        tabs.setObjectName("calibrationTabs")
        tabs.setDocumentMode(True)
        for i, (page, label) in enumerate(
            (
                (self.dashboard, "Dashboard"),
                (self.questions, "Questions"),
                (self.validity, "Validity"),
                (self.exercises, "Exercises"),
            )
        ):
            tabs.addTab(page, label)
            tabs.setTabToolTip(i, TAB_TIPS[i])
        return tabs

    def _build_layout(self) -> None:
        heading = QLabel(self.title)
        heading.setProperty("role", "heading")
        heading_row = QHBoxLayout()
        heading_row.addWidget(heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.status)
        heading_row.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(heading_row)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.tabs, 1)

    # -- context --------------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self.exercises.set_context(ctx)
        if ctx is None:
            self.filter_bar.fill_options(None)
        else:  # a query per opening: off the GUI thread, and nothing waits for it ("All" meanwhile)
            self.fetch(lambda: filter_options(ctx.db), self.filter_bar.fill_options, kind="filters", quiet=True)
        self.refresh()

    def refresh(self) -> None:
        """Compute the report again with the current filters (and redraw the charts in the current palette)."""
        self.exercises.refresh()
        if self._ctx is None:
            self._show_empty(NO_DATABASE)
            return
        if self._ctx.user_id is None:
            self._generation += 1
            self.busy = False
            self.progress.hide()
            self._show_empty(NOBODY)
            return
        self._may_read_outcomes = outcomes.may_read_outcomes(self._ctx.db, by=self._ctx.user_id)
        self.validity.set_may_record(outcomes.may_record_outcomes(self._ctx.db, by=self._ctx.user_id))
        self.recompute()

    def set_filters(
        self, *, opening_id: Any = ALL, competency: Any = ALL, interviewer: Any = ALL, period: str | None = None
    ) -> None:
        """Choose filters from code (tests, links from other screens); computes once."""
        self.filter_bar.set_filters(
            opening_id=opening_id, competency=competency, interviewer=interviewer, period=period
        )
        self.recompute()

    # -- computing ------------------------------------------------------------------------------------------

    def recompute(self) -> None:
        """Compute the report for the filters on the thread pool; the latest request wins."""
        ctx = self._ctx
        if ctx is None or ctx.user_id is None:
            return
        wanted = self.filter_bar.filters()
        viewer = ctx.user_id
        self._generation += 1
        generation = self._generation
        self.busy = True
        self.status.setText("Computing…")

        def progress(share: float, what: str) -> None:  # on the thread pool: queued to the window's thread
            self.sig_progress.emit(generation, share, what)

        def work() -> CalibrationReport:
            rating_columns.columns(ctx.db, progress)  # the first read of every rating (once per change): shown
            progress(-1.0, "Computing the statistics…")
            return calibration_report(ctx.db, ctx.settings, wanted, viewer=viewer)

        run_in_background(
            work,
            lambda report: self._computed(generation, report),
            lambda exc: self._failed(generation, exc),
        )

    def _progressed(self, generation: int, share: float, what: str) -> None:
        """Say how far the background read is (a bar; moving without an end while the statistics run)."""
        if generation != self._generation or not self.busy:
            return
        self.status.setText(what)
        if share < 0:
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, 100)
            self.progress.setValue(round(share * 100))
        self.progress.show()

    def _computed(self, generation: int, report: CalibrationReport) -> None:
        if not isValid(self) or generation != self._generation:
            return  # computed for a window closed since, or for filters changed since
        self.busy = False
        self.progress.hide()
        self.last_error = ""
        self.show_report(report)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not isValid(self) or generation != self._generation:
            return
        self.busy = False
        self.progress.hide()
        self.last_error = str(exc)
        self.status.setText("")
        self._show_empty(
            f"The calibration could not be computed: {exc}\n\nTry other filters; if it persists, report it with "
            "the filters you chose."
        )
        self.sig_updated.emit(None)

    # -- showing --------------------------------------------------------------------------------------------

    def _show_empty(self, text: str) -> None:
        self.dashboard.show_empty(text)
        self.questions.show_empty(text)
        self.validity.show_empty(text)
        self.validity.set_may_record(False)
        self.export_button.setEnabled(False)
        self.act_export.setEnabled(False)

    def show_report(self, d: CalibrationReport) -> None:
        """Show a computed report (or, when there is not enough, the explanation)."""
        self.data = d
        self.filter_bar.fill_interviewers(d.interviewers)
        self.status.setText(
            f"{d.n_ratings} ratings · {d.n_candidates} candidates · {d.n_interviewers} interviewers"
            if d.n_ratings
            else ""
        )
        if not d.enough:
            self._show_empty(f"Not enough data for calibration yet.\n\n{d.why_not}")
        else:
            self.export_button.setEnabled(True)
            self.act_export.setEnabled(True)
            self.dashboard.show_report(d, self.filter_bar.focus())
            self.questions.show_questions(d.questions or ())
        if d.validity is not None:
            self.validity.show_report(d.validity)
        else:
            self.validity.show_empty(NO_OUTCOMES if self._may_read_outcomes else NOT_YOURS)
        self.sig_updated.emit(d)

    # -- outcomes -------------------------------------------------------------------------------------------

    def record_outcome(self) -> RecordOutcomeDialog | None:
        """Open the form of one outcome; once accepted, record it through the host and compute again."""
        ctx = self._ctx
        if ctx is None or ctx.user_id is None:
            return None
        dialog = RecordOutcomeDialog(outcomes.recordable_candidates(ctx.db, by=ctx.user_id), self)
        dialog.accepted.connect(lambda: self._record(dialog.values()))
        dialog.open()
        self.dialog = dialog
        return dialog

    def _record(self, values: OutcomeInput) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        viewer = ctx.user_id

        def work() -> Created:
            created: Created = outcomes.record_outcome(
                ctx.db,
                values.candidate_id,
                values.reviewed_on,
                values.performance,
                by=viewer,
                scale=values.scale,
                has_left=values.has_left,
                regretted=values.regretted,
                promoted=values.promoted,
                note=values.note,
            )
            return created

        self.write(
            work,
            lambda _created: self.recompute(),
            busy="Recording the outcome",
            failed=lambda exc: self.warn("The outcome was not recorded", str(exc)),
        )

    # -- export ---------------------------------------------------------------------------------------------

    def _export(self) -> None:
        self.export_pdf()

    def focus_entry(self) -> None:
        """On entry with the Exercises tab shown (as left), its list has the focus: Ctrl+N works at once."""
        if self.tabs.currentWidget() is self.exercises:
            self.exercises.list.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            super().focus_entry()

    def export_pdf(self) -> bool:
        """The calibration report with these filters, as its viewer may see it, with a preview."""
        ctx = self._ctx
        if ctx is None or self.data is None or not self.data.enough:
            return False
        # Deferred on purpose: the PDF printer (Qt's printing and the document layout) loads on the first export.
        from interviewkit.pdf.exports import export_calibration_pdf

        wanted, viewer = self.filter_bar.filters(), ctx.user_id

        def build(path: Any, options: PdfOptions) -> None:
            export_calibration_pdf(
                ctx.db,
                path,
                settings=ctx.settings,
                filters=wanted,
                viewer=viewer,
                page_size=options.page_size,
                hide_names=options.hide_names,
            )

        self.sig_export_requested.emit()
        self.preview = preview_and_save(
            self, "Calibration report", build, suggested_name="calibration-report.pdf", settings=self.host.settings
        )
        return True
