"""Calibration: how the panel's interviewers compare, how much they agree, and exercises to align them.

Filters at the top (opening, period, competency, interviewer); below, three tabs:

* **Dashboard**: the leniency forest plot, agreement per competency (chart and table, with Koo & Li
  bands in words and colour), rating distributions (small multiples of each interviewer against
  everyone, or one interviewer in detail), and the chosen interviewer's drift over time. Each figure has
  a sentence that says what it shows and how sure it is.
* **Questions**: question analytics (times asked, over-exposure, mean, spread, relation to the decision).
* **Exercises**: calibration exercises (:mod:`.exercises`).

The statistics come from :func:`interviewkit.services.calibration_report.calibration_report`, computed on the
thread pool (a second or so on a year of scorecards); a newer request supersedes an older one. With too
little data the dashboard says what is missing instead of drawing empty charts. Export PDF… (Ctrl+P)
prints the same report, with the same filters.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.calibration.charts import AgreementChart, DistributionChart, DriftChart, LeniencyForest
from interviewkit.ui.calibration.exercises import ExercisesPanel
from interviewkit.ui.calibration.models import AgreementModel, QuestionModel, SortRole, fmt, signed
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.tasks import run_in_background

if TYPE_CHECKING:
    from interviewkit.services.calibration_report import CalibrationFilters, CalibrationReport
    from interviewkit.services.context import AppContext

__all__ = ["PERIODS", "CalibrationView"]

# (label, days back from today; None: all time; -1: custom dates)
PERIODS: tuple[tuple[str, int | None], ...] = (
    ("All time", None),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
    ("Last 12 months", 365),
    ("Custom dates", -1),
)
MAX_SMALL_MULTIPLES = 24
ALL = "__all__"


def _caption(text: str = "") -> QLabel:
    label = QLabel(text, wordWrap=True)
    label.setProperty("role", "subtle")
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class CalibrationView(SectionWidget):
    """The calibration section: dashboard, question analytics and exercises."""

    title = "Calibration"
    watches = frozenset({"scorecards", "people", "exercises", "decisions", "erased"})

    sig_updated = Signal(object)
    """The dashboard shows new data (the ``CalibrationReport``), or an explanation when there is not enough."""

    sig_export_requested = Signal()
    """The user asked for the calibration report as a PDF (Export PDF…, Ctrl+P)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calibrationView")
        self._ctx: AppContext | None = None
        self._generation = 0
        self._filling = False
        self.data: CalibrationReport | None = None
        self.busy = False
        self.last_error = ""
        self.preview: Any = None

        # -- filters --------------------------------------------------------------------------------------
        self.opening = QComboBox()
        self.opening.setObjectName("calibrationOpening")
        self.opening.setAccessibleName("Opening")
        self.period = QComboBox()
        self.period.setObjectName("calibrationPeriod")
        self.period.setAccessibleName("Period")
        for label, days in PERIODS:
            self.period.addItem(label, days)
        self.since = QDateEdit(calendarPopup=True)
        self.since.setObjectName("calibrationSince")
        self.since.setAccessibleName("From")
        self.until = QDateEdit(calendarPopup=True)
        self.until.setObjectName("calibrationUntil")
        self.until.setAccessibleName("To")
        for edit in (self.since, self.until):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
        today = QDate.currentDate()
        self.since.setDate(today.addDays(-90))
        self.until.setDate(today)
        self.competency = QComboBox()
        self.competency.setObjectName("calibrationCompetency")
        self.competency.setAccessibleName("Competency")
        self.competency.setMinimumContentsLength(18)
        self.competency.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.interviewer = QComboBox()
        self.interviewer.setObjectName("calibrationInterviewer")
        self.interviewer.setAccessibleName("Interviewer")
        self.interviewer.setMinimumContentsLength(14)
        self.interviewer.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.status = QLabel()
        self.status.setObjectName("calibrationStatus")
        self.status.setProperty("role", "subtle")
        self.act_export = QAction("&Export PDF…", self)
        self.act_export.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.act_export.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        seq = self.act_export.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.act_export.setToolTip(f"Export the calibration report, with these filters, as a PDF ({seq})")
        self.addAction(self.act_export)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setObjectName("exportCalibration")
        self.export_button.setToolTip(self.act_export.toolTip())
        filters = QHBoxLayout()
        for text, widget in (("&Opening:", self.opening), ("&Period:", self.period)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.since)
        filters.addWidget(self.until)
        for text, widget in (("Co&mpetency:", self.competency), ("&Interviewer:", self.interviewer)):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.export_button)

        # -- dashboard ------------------------------------------------------------------------------------
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("calibrationSummary")
        self.forest = LeniencyForest()
        self.forest_note = _caption()
        self.forest_note.setObjectName("forestNote")
        self.connect_note = QLabel(wordWrap=True)
        self.connect_note.setObjectName("connectNote")
        self.agreement_chart = AgreementChart()
        self.agreement_model = AgreementModel(self)
        self.agreement_table = QTableView()
        self.agreement_table.setObjectName("agreementTable")
        self.agreement_table.setAccessibleName("Agreement per competency")
        self.agreement_table.setModel(self.agreement_model)
        self._setup_table(self.agreement_table)
        self.agreement_table.horizontalHeader().setStretchLastSection(False)
        self.agreement_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.agreement_note = _caption()
        self.distribution_note = _caption()
        self.distribution_grid = QGridLayout()
        self.distribution_grid.setSpacing(6)
        distribution_box = QWidget()
        distribution_box.setObjectName("distributionBox")
        distribution_box.setLayout(self.distribution_grid)
        self.distribution_charts: list[DistributionChart] = []
        self.drift_title = _title("Drift over time")
        self.drift = DriftChart()
        self.drift_note = _caption()
        self.drift_note.setObjectName("driftNote")

        page = QWidget()
        page.setObjectName("calibrationDashboard")
        col = QVBoxLayout(page)
        col.setContentsMargins(4, 4, 12, 12)
        col.setSpacing(6)
        col.addWidget(self.summary)
        col.addWidget(_title("Leniency: who scores higher or lower than colleagues on the same candidates"))
        col.addWidget(self.connect_note)
        col.addWidget(self.forest)
        col.addWidget(self.forest_note)
        col.addSpacing(10)
        col.addWidget(_title("Agreement per competency"))
        col.addWidget(self.agreement_chart)
        col.addWidget(self.agreement_table)
        col.addWidget(self.agreement_note)
        col.addSpacing(10)
        col.addWidget(_title("Rating distributions: each interviewer (left bar, blue) against everyone (right bar, grey)"))
        col.addWidget(distribution_box)
        col.addWidget(self.distribution_note)
        col.addSpacing(10)
        col.addWidget(self.drift_title)
        col.addWidget(self.drift)
        col.addWidget(self.drift_note)
        col.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("calibrationScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(page)

        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setObjectName("calibrationEmpty")
        self.empty.setProperty("role", "empty-state")
        self.dash_stack = QStackedWidget()
        self.dash_stack.addWidget(self.empty)
        self.dash_stack.addWidget(self.scroll)

        # -- questions ------------------------------------------------------------------------------------
        self.question_model = QuestionModel(self)
        self.question_proxy = QSortFilterProxyModel(self)
        self.question_proxy.setSourceModel(self.question_model)
        self.question_proxy.setSortRole(SortRole)
        self.question_table = QTableView()
        self.question_table.setObjectName("questionAnalytics")
        self.question_table.setAccessibleName("Question analytics")
        self.question_table.setModel(self.question_proxy)
        self.question_table.setSortingEnabled(True)
        self._setup_table(self.question_table, fixed=False)
        self.question_table.horizontalHeader().setStretchLastSection(False)
        self.question_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.question_table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.question_note = _caption(
            "Over-exposed: asked in more than half of the loops, so later candidates may have heard of it. "
            "A low SD means interviewers score everyone alike on it; r with decision is the correlation of its "
            "ratings with hire (1) / no hire (0), among decided candidates."
        )
        self.question_empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.question_empty.setProperty("role", "empty-state")
        questions_page = QWidget()
        qlayout = QVBoxLayout(questions_page)
        qlayout.setContentsMargins(0, 6, 0, 0)
        self.question_stack = QStackedWidget()
        self.question_stack.addWidget(self.question_empty)
        self.question_stack.addWidget(self.question_table)
        qlayout.addWidget(self.question_stack, 1)
        qlayout.addWidget(self.question_note)

        # -- exercises ------------------------------------------------------------------------------------
        self.exercises = ExercisesPanel()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("calibrationTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.dash_stack, "Dashboard")
        self.tabs.addTab(questions_page, "Questions")
        self.tabs.addTab(self.exercises, "Exercises")
        self.tabs.setTabToolTip(0, "Leniency, agreement, rating distributions and drift")
        self.tabs.setTabToolTip(1, "How often each question was asked and how its ratings behave")
        self.tabs.setTabToolTip(2, "Score reference answers blind, then compare with the agreed rating")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        heading_row = QHBoxLayout()
        heading = QLabel(self.title)
        heading.setProperty("role", "heading")
        heading_row.addWidget(heading)
        heading_row.addStretch(1)
        heading_row.addWidget(self.status)
        layout.addLayout(heading_row)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)

        self.opening.currentIndexChanged.connect(self._filters_changed)
        self.period.currentIndexChanged.connect(self._period_changed)
        self.since.dateChanged.connect(self._filters_changed)
        self.until.dateChanged.connect(self._filters_changed)
        self.competency.currentIndexChanged.connect(self._filters_changed)
        self.interviewer.currentIndexChanged.connect(self._filters_changed)
        self.act_export.triggered.connect(self.export)
        self.export_button.clicked.connect(self.act_export.trigger)
        self._fill_filters(None)
        self._show_empty("No database open.")

    @staticmethod
    def _setup_table(table: QTableView, *, fixed: bool = True) -> None:
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        if fixed:
            table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    # -- context ----------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self.exercises.set_context(ctx)
        self._fill_filters(ctx)
        self.refresh()

    def refresh(self) -> None:
        """Recompute the dashboard with the current filters (and redraw the charts in the current palette)."""
        self.exercises.refresh()
        if self._ctx is None:
            self._show_empty("No database open.")
            return
        if self._ctx.user_id is None:
            self._generation += 1
            self.busy = False
            self._show_empty("Choose who you are first (File → Switch person): what calibration shows depends on "
                             "your role.")
            return
        self.recompute()

    def _fill_filters(self, ctx: AppContext | None) -> None:
        self._filling = True
        try:
            keep_opening, keep_comp = self.opening.currentData(), self.competency.currentData()
            self.opening.clear()
            self.opening.addItem("All openings", None)
            self.competency.clear()
            self.competency.addItem("All competencies (overall)", None)
            if ctx is not None:
                from interviewkit.services.calibration_report import filter_options

                options = filter_options(ctx.db)
                for oid, title in options.openings:
                    self.opening.addItem(title, oid)
                for cid, name in options.competencies:
                    self.competency.addItem(name, cid)
                    self.competency.setItemData(self.competency.count() - 1, name, Qt.ItemDataRole.ToolTipRole)
            self.opening.setCurrentIndex(max(0, self.opening.findData(keep_opening)))
            self.competency.setCurrentIndex(max(0, self.competency.findData(keep_comp)))
            if self.interviewer.count() == 0:
                self.interviewer.addItem("Busiest interviewer", None)
        finally:
            self._filling = False

    def _fill_interviewers(self, names: tuple[str, ...], focus: str | None) -> None:
        self._filling = True
        try:
            keep = self.interviewer.currentData()
            self.interviewer.clear()
            self.interviewer.addItem("All interviewers", None)
            for name in names:
                self.interviewer.addItem(name, name)
            self.interviewer.setCurrentIndex(max(0, self.interviewer.findData(keep)))
        finally:
            self._filling = False

    # -- filters ------------------------------------------------------------------------------------------

    def _period_changed(self) -> None:
        custom = self.period.currentData() == -1
        self.since.setVisible(custom)
        self.until.setVisible(custom)
        self._filters_changed()

    def _filters_changed(self) -> None:
        if not self._filling:
            self.recompute()

    def filters(self) -> CalibrationFilters:
        """The filters as chosen."""
        from interviewkit.services.calibration_report import CalibrationFilters

        days = self.period.currentData()
        since: date | None = None
        until: date | None = None
        if days == -1:
            since, until = self.since.date().toPython(), self.until.date().toPython()  # type: ignore[assignment]
        elif days:
            since = date.today() - timedelta(days=int(days))
        return CalibrationFilters(
            opening_id=self.opening.currentData(),
            since=since,
            until=until,
            competency=self.competency.currentData(),
            interviewer=self.interviewer.currentData(),
        )

    def set_filters(self, *, opening_id: Any = ALL, competency: Any = ALL, interviewer: Any = ALL,
                    period: str | None = None) -> None:
        """Choose filters from code (tests, links from other screens); recomputes once."""
        self._filling = True
        try:
            if opening_id != ALL:
                self.opening.setCurrentIndex(max(0, self.opening.findData(opening_id)))
            if competency != ALL:
                self.competency.setCurrentIndex(max(0, self.competency.findData(competency)))
            if interviewer != ALL:
                index = self.interviewer.findData(interviewer)
                if index < 0 and interviewer is not None:
                    self.interviewer.addItem(str(interviewer), interviewer)
                    index = self.interviewer.count() - 1
                self.interviewer.setCurrentIndex(max(0, index))
            if period is not None:
                self.period.setCurrentIndex(max(0, self.period.findText(period)))
                custom = self.period.currentData() == -1
                self.since.setVisible(custom)
                self.until.setVisible(custom)
        finally:
            self._filling = False
        self.recompute()

    # -- computing ----------------------------------------------------------------------------------------

    def recompute(self) -> None:
        """Compute the dashboard for the filters on the thread pool; the latest request wins."""
        if self._ctx is None or self._ctx.user_id is None:
            return
        ctx = self._ctx
        wanted = self.filters()
        self._generation += 1
        generation = self._generation
        self.busy = True
        self.status.setText("Computing…")

        def work() -> CalibrationReport:
            from interviewkit.services.calibration_report import calibration_report

            return calibration_report(ctx.db, ctx.settings, wanted, viewer=ctx.user_id)

        run_in_background(work, lambda d: self._computed(generation, d), lambda e: self._failed(generation, e))

    def _computed(self, generation: int, d: CalibrationReport) -> None:
        if generation != self._generation:
            return
        self.busy = False
        self.last_error = ""
        self.show_dashboard(d)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.busy = False
        self.last_error = str(exc)
        self.status.setText("")
        self._show_empty(f"The calibration could not be computed: {exc}\n\nTry other filters; if it persists, "
                         "report it with the filters you chose.")
        self.sig_updated.emit(None)

    # -- showing ------------------------------------------------------------------------------------------

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.dash_stack.setCurrentWidget(self.empty)
        self.question_empty.setText(text)
        self.question_stack.setCurrentWidget(self.question_empty)
        self.export_button.setEnabled(False)
        self.act_export.setEnabled(False)

    def show_dashboard(self, d: CalibrationReport) -> None:
        """Show computed data (or, when there is not enough, the explanation)."""
        self.data = d
        self._fill_interviewers(d.interviewers, d.focus)
        self.status.setText(f"{d.n_ratings} ratings · {d.n_candidates} candidates · {d.n_interviewers} interviewers"
                            if d.n_ratings else "")
        if not d.enough:
            self._show_empty(f"Not enough data for calibration yet.\n\n{d.why_not}")
            self.sig_updated.emit(d)
            return
        self.export_button.setEnabled(True)
        self.act_export.setEnabled(True)
        self.dash_stack.setCurrentWidget(self.scroll)
        self.summary.setText(
            f"<b>{d.subject[:1].upper() + d.subject[1:]}</b>: {d.n_ratings} ratings of {d.n_candidates} candidates "
            f"by {d.n_interviewers} interviewers; {d.shared_candidates} candidate"
            f"{'s were' if d.shared_candidates != 1 else ' was'} seen by two or more interviewers, which is what "
            "the comparisons rest on."
        )
        if d.restricted_to is not None:
            self.summary.setText(self.summary.text() + (
                f" <i>You see your own leniency, distribution and drift ({d.restricted_to or 'nobody signed in'}); "
                "hiring managers and admins see everyone's. Agreement and questions name nobody.</i>"))
        self._show_leniency(d)
        self._show_agreement(d)
        self._show_distributions(d)
        self._show_drift(d)
        self._show_questions(d)
        self.sig_updated.emit(d)

    def _show_leniency(self, d: CalibrationReport) -> None:
        self.forest.setVisible(bool(d.leniency))
        if not d.leniency:
            self.forest_note.setText("You have no ratings in these scorecards, so there is no leniency of yours to show.")
            self.connect_note.setText("")
            return
        self.forest.show_rows(d.leniency, margin=d.margin, focus=self.interviewer.currentData(), groups=d.n_groups)
        flagged = d.flagged
        if flagged:
            names = ", ".join(f"{r.interviewer} ({signed(r.shrunk)})" for r in flagged)
            head = f"⚠ Flagged: {names}. Their whole 95% interval lies beyond ±{d.margin:.2f} points."
        else:
            head = f"No interviewer is flagged: no 95% interval lies wholly beyond ±{d.margin:.2f} points."
        few = sum(1 for r in d.leniency if r.few_ratings)
        tail = (f" {few} of {len(d.leniency)} interviewers rated fewer than {d.min_ratings} candidates, so they "
                "are not flagged whatever their interval: with so few, a difference is more likely luck than a pattern."
                if few else "")
        self.forest_note.setText(
            "Each point is an interviewer's leniency, shrunk towards 0 in proportion to how little evidence there is; "
            "the bar is its 95% interval; the dotted lines mark the smallest difference worth a conversation "
            f"(a fifth of the candidates' spread). {head}{tail}"
        )
        if d.connected:
            self.connect_note.setText("✓ All interviewers are linked through shared candidates, so their effects are "
                                      "on one scale.")
            self.connect_note.setProperty("state", "ok")
        else:
            self.connect_note.setText(
                f"⚠ The interviewers fall into {d.n_groups} groups that never met the same candidates (or colleagues "
                "who did). Effects are comparable only within a group (shown after the name); across groups the "
                "difference could be the candidates. Mix panels to connect them."
            )
            self.connect_note.setProperty("state", "warning")
        _repolish(self.connect_note)

    def _show_agreement(self, d: CalibrationReport) -> None:
        rows = list(d.agreement_rows)
        self.agreement_chart.show_rows(rows)
        self.agreement_chart.setVisible(any(r.icc is not None for r in rows))
        self.agreement_model.set_rows(rows)
        self.agreement_table.resizeColumnsToContents()
        height = self.agreement_table.horizontalHeader().height() + sum(
            self.agreement_table.rowHeight(i) for i in range(len(rows))) + 4
        self.agreement_table.setFixedHeight(min(height, 520))
        missing = [r.name for r in rows if r.icc is None]
        overall = d.overall
        sure = ""
        if overall is not None and overall.icc is not None:
            ci = (f" (95% interval {overall.low:.2f} to {overall.high:.2f})" if overall.low is not None
                  and overall.high is not None else "")
            sure = (f"On the overall score, two interviewers' ratings of the same candidate agree with ICC "
                    f"{overall.icc:.2f}{ci}: {overall.band}, based on {d.shared_candidates} shared candidates. ")
        self.agreement_note.setText(
            sure + "Bands (Koo & Li) are judged on the whole interval: poor below 0.5, moderate to 0.75, good to "
            "0.9, excellent above; a wide interval spans several bands. "
            + (f"Not enough shared ratings yet for: {', '.join(missing)}." if missing else "")
        )

    def _show_distributions(self, d: CalibrationReport) -> None:
        for chart in self.distribution_charts:
            self.distribution_grid.removeWidget(chart)
            chart.deleteLater()
        self.distribution_charts = []
        if d.pool is None:
            return
        focus = self.interviewer.currentData()
        rows = [r for r in d.distributions if r.interviewer == focus] if focus else list(d.distributions)
        rows.sort(key=lambda r: -r.n)
        shown = rows[:MAX_SMALL_MULTIPLES]
        small = len(shown) > 1
        columns = 4 if small else 1
        for i, row in enumerate(sorted(shown, key=lambda r: (r.interviewer or "").lower())):
            chart = DistributionChart(small=small)
            chart.show_distribution(row, d.pool, d.levels, d.level_labels)
            self.distribution_grid.addWidget(chart, i // columns, i % columns)
            self.distribution_charts.append(chart)
        scale = ", ".join(f"{v} {label}" for v, label in zip(d.levels, d.level_labels))
        more = (f" Showing the {MAX_SMALL_MULTIPLES} interviewers with the most ratings of {len(rows)}; pick one "
                "in Interviewer to see anyone." if len(rows) > MAX_SMALL_MULTIPLES else "")
        pool = d.pool
        self.distribution_note.setText(
            f"Share of each rating ({scale}). Everyone: {pool.n} ratings, mean {fmt(pool.mean, '.2f')}, "
            f"SD {fmt(pool.sd, '.2f')}. An interviewer who avoids the ends of the scale, or uses one level for "
            f"nearly everyone, tells candidates apart less well. With few ratings a profile is noisy.{more}"
        )

    def _show_drift(self, d: CalibrationReport) -> None:
        series = d.drift
        who = d.focus or ""
        self.drift_title.setText(f"Drift over time: {who}" if who else "Drift over time")
        if series is None or len(series.points) < 2:
            self.drift.setVisible(False)
            self.drift_note.setText(
                f"Not enough dated ratings from {who or 'this interviewer'} to show a trend: drift needs interviews "
                "on at least two different days." if who else "Pick an interviewer to see their drift."
            )
            return
        self.drift.setVisible(True)
        self.drift.show_series(series)
        if series.slope_per_30_days is None or series.low is None or series.high is None:
            trend = "Too few dated ratings (at least 3 on 2 days) for a trend line."
        else:
            clear = series.low > 0 or series.high < 0
            trend = (f"Trend: {signed(series.slope_per_30_days)} points per 30 days (95% interval "
                     f"{signed(series.low)} to {signed(series.high)}); "
                     + ("⚠ the interval excludes 0: their leniency is changing." if clear
                        else "the interval includes 0, so no clear drift."))
        self.drift_note.setText(
            f"Each point is one candidate: {who}'s score minus the candidate's leniency-adjusted score, by interview "
            f"date ({len(series.points)} candidates). {trend} Pick another interviewer above to see theirs."
        )

    def _show_questions(self, d: CalibrationReport) -> None:
        questions = d.questions or ()
        self.question_model.set_rows(questions)
        if questions:
            self.question_stack.setCurrentWidget(self.question_table)
        else:
            self.question_empty.setText("No questions were recorded as asked in these scorecards (imported ratings "
                                        "carry no questions).")
            self.question_stack.setCurrentWidget(self.question_empty)

    # -- export ---------------------------------------------------------------------------------------------

    def export(self) -> None:
        """Export PDF… (Ctrl+P): preview the calibration report with these filters, then save it."""
        self.export_pdf()

    def export_pdf(self) -> bool:
        """The calibration report with these filters, as its viewer may see it, with a preview."""
        if self._ctx is None or self.data is None or not self.data.enough:
            return False
        from interviewkit.ui.widgets.pdf_preview import PdfOptions, preview_and_save

        ctx = self._ctx
        wanted = self.filters()

        def build(path: Any, options: PdfOptions) -> None:
            from interviewkit.pdf.exports import export_calibration_pdf

            export_calibration_pdf(ctx.db, path, settings=ctx.settings, filters=wanted, viewer=ctx.user_id,
                                   page_size=options.page_size, hide_names=options.hide_names)

        self.sig_export_requested.emit()
        self.preview = preview_and_save(self, "Calibration report", build, suggested_name="calibration-report.pdf")
        return True
