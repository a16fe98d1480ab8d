"""The Dashboard tab: the leniency forest plot, agreement per competency (chart and table, with Koo & Li bands
in words and colour), rating distributions (small multiples of each interviewer against everyone, or one
interviewer in detail), and one interviewer's drift over time. Each figure has a sentence that says what it
shows and how sure it is. With too little data, the page says what is missing instead of drawing empty
charts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.calibration_report import CalibrationReport
from interviewkit.ui.calibration.charts import AgreementChart, DistributionChart, DriftChart, LeniencyForest
from interviewkit.ui.calibration.common import caption, repolish, section_title, setup_table
from interviewkit.ui.calibration.models import AgreementModel, fmt, signed

__all__ = ["MAX_SMALL_MULTIPLES", "DashboardPage"]

MAX_SMALL_MULTIPLES = 24
DISTRIBUTIONS_TITLE = "Rating distributions: each interviewer (left bar, blue) against everyone (right bar, grey)"


class DashboardPage(QStackedWidget):
    """The figures of a calibration report (``charts``, a scroll area), or (``empty``) why there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setObjectName("calibrationEmpty")
        self.empty.setProperty("role", "empty-state")
        self.summary = QLabel(wordWrap=True)
        self.summary.setObjectName("calibrationSummary")
        page = QWidget()
        page.setObjectName("calibrationDashboard")
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 4, 12, 12)
        column.setSpacing(6)
        column.addWidget(self.summary)
        self._build_leniency(column)
        column.addSpacing(10)
        self._build_agreement(column)
        column.addSpacing(10)
        self._build_distributions(column)
        column.addSpacing(10)
        self._build_drift(column)
        column.addStretch(1)
        self.charts = QScrollArea()
        self.charts.setObjectName("calibrationScroll")
        self.charts.setWidgetResizable(True)
        self.charts.setFrameShape(QFrame.Shape.NoFrame)
        self.charts.setWidget(page)
        self.addWidget(self.empty)
        self.addWidget(self.charts)

    # -- building -------------------------------------------------------------------------------------------

    def _build_leniency(self, column: QVBoxLayout) -> None:
        self.forest = LeniencyForest()
        self.forest_note = caption()
        self.forest_note.setObjectName("forestNote")
        self.connect_note = QLabel(wordWrap=True)
        self.connect_note.setObjectName("connectNote")
        column.addWidget(section_title("Leniency: who scores higher or lower than colleagues on the same candidates"))
        column.addWidget(self.connect_note)
        column.addWidget(self.forest)
        column.addWidget(self.forest_note)

    def _build_agreement(self, column: QVBoxLayout) -> None:
        self.agreement_chart = AgreementChart()
        self.agreement_model = AgreementModel(self)
        self.agreement_table = QTableView()
        self.agreement_table.setObjectName("agreementTable")
        self.agreement_table.setAccessibleName("Agreement per competency")
        self.agreement_table.setModel(self.agreement_model)
        setup_table(self.agreement_table)
        self.agreement_table.horizontalHeader().setStretchLastSection(False)
        self.agreement_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.agreement_note = caption()
        column.addWidget(section_title("Agreement per competency"))
        column.addWidget(self.agreement_chart)
        column.addWidget(self.agreement_table)
        column.addWidget(self.agreement_note)

    def _build_distributions(self, column: QVBoxLayout) -> None:
        self.distribution_note = caption()
        self.distribution_grid = QGridLayout()
        self.distribution_grid.setSpacing(6)
        box = QWidget()
        box.setObjectName("distributionBox")
        box.setLayout(self.distribution_grid)
        self.distribution_charts: list[DistributionChart] = []
        column.addWidget(section_title(DISTRIBUTIONS_TITLE))
        column.addWidget(box)
        column.addWidget(self.distribution_note)

    def _build_drift(self, column: QVBoxLayout) -> None:
        self.drift_title = section_title("Drift over time")
        self.drift = DriftChart()
        self.drift_note = caption()
        self.drift_note.setObjectName("driftNote")
        column.addWidget(self.drift_title)
        column.addWidget(self.drift)
        column.addWidget(self.drift_note)

    # -- showing --------------------------------------------------------------------------------------------

    def show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.setCurrentWidget(self.empty)

    def show_report(self, d: CalibrationReport, focus: str | None) -> None:
        """Draw a report that has enough data; ``focus`` is the interviewer chosen (None: everyone)."""
        self.setCurrentWidget(self.charts)
        self.summary.setText(
            f"<b>{d.subject[:1].upper() + d.subject[1:]}</b>: {d.n_ratings} ratings of {d.n_candidates} candidates "
            f"by {d.n_interviewers} interviewers; {d.shared_candidates} candidate"
            f"{'s were' if d.shared_candidates != 1 else ' was'} seen by two or more interviewers, which is what "
            "the comparisons rest on."
        )
        if d.restricted_to is not None:
            self.summary.setText(
                self.summary.text()
                + f" <i>You see your own leniency, distribution and drift ({d.restricted_to or 'nobody signed in'}); "
                "hiring managers and admins see everyone's. Agreement and questions name nobody.</i>"
            )
        self._show_leniency(d, focus)
        self._show_agreement(d)
        self._show_distributions(d, focus)
        self._show_drift(d)

    def _show_leniency(self, d: CalibrationReport, focus: str | None) -> None:
        self.forest.setVisible(bool(d.leniency))
        if not d.leniency:
            self.forest_note.setText(
                "You have no ratings in these scorecards, so there is no leniency of yours to show."
            )
            self.connect_note.setText("")
            return
        self.forest.show_rows(d.leniency, margin=d.margin, focus=focus, groups=d.n_groups)
        if d.flagged:
            names = ", ".join(f"{r.interviewer} ({signed(r.shrunk)})" for r in d.flagged)
            head = f"⚠ Flagged: {names}. Their whole 95% interval lies beyond ±{d.margin:.2f} points."
        else:
            head = f"No interviewer is flagged: no 95% interval lies wholly beyond ±{d.margin:.2f} points."
        few = sum(1 for r in d.leniency if r.few_ratings)
        tail = (
            f" {few} of {len(d.leniency)} interviewers rated fewer than {d.min_ratings} candidates, so they are not "
            "flagged whatever their interval: with so few, a difference is more likely luck than a pattern."
            if few
            else ""
        )
        self.forest_note.setText(
            "Each point is an interviewer's leniency, shrunk towards 0 in proportion to how little evidence there is; "
            "the bar is its 95% interval; the dotted lines mark the smallest difference worth a conversation "
            f"(a fifth of the candidates' spread). {head}{tail}"
        )
        if d.connected:
            self.connect_note.setText(
                "✓ All interviewers are linked through shared candidates, so their effects are on one scale."
            )
            self.connect_note.setProperty("state", "ok")
        else:
            self.connect_note.setText(
                f"⚠ The interviewers fall into {d.n_groups} groups that never met the same candidates (or colleagues "
                "who did). Effects are comparable only within a group (shown after the name); across groups the "
                "difference could be the candidates. Mix panels to connect them."
            )
            self.connect_note.setProperty("state", "warning")
        repolish(self.connect_note)

    def _show_agreement(self, d: CalibrationReport) -> None:
        rows = list(d.agreement_rows)
        self.agreement_chart.show_rows(rows)
        self.agreement_chart.setVisible(any(r.icc is not None for r in rows))
        self.agreement_model.set_rows(rows)
        self.agreement_table.resizeColumnsToContents()
        height = self.agreement_table.horizontalHeader().height() + 4
        height += sum(self.agreement_table.rowHeight(i) for i in range(len(rows)))
        self.agreement_table.setFixedHeight(min(height, 520))
        missing = [r.name for r in rows if r.icc is None]
        overall = d.overall
        sure = ""
        if overall is not None and overall.icc is not None:
            ci = (
                f" (95% interval {overall.low:.2f} to {overall.high:.2f})"
                if overall.low is not None and overall.high is not None
                else ""
            )
            # one competency (the filter chose it, or only it was rated): the overall score is that competency's
            what = f"On {rows[0].name}" if len(rows) == 1 else "On the overall score"
            sure = (
                f"{what}, two interviewers' ratings of the same candidate agree with ICC "
                f"{overall.icc:.2f}{ci}: {overall.band}, based on {d.shared_candidates} shared candidates. "
            )
        self.agreement_note.setText(
            sure + "Bands (Koo & Li) are judged on the whole interval: poor below 0.5, moderate to 0.75, good to "
            "0.9, excellent above; a wide interval spans several bands. "
            + (f"Not enough shared ratings yet for: {', '.join(missing)}." if missing else "")
        )

    def _show_distributions(self, d: CalibrationReport, focus: str | None) -> None:
        for chart in self.distribution_charts:
            self.distribution_grid.removeWidget(chart)
            chart.deleteLater()
        self.distribution_charts = []
        pool = d.pool
        if pool is None:
            return
        shown, total = d.busiest_distributions(MAX_SMALL_MULTIPLES, focus)
        small = len(shown) > 1
        columns = 4 if small else 1
        for i, row in enumerate(shown):
            chart = DistributionChart(small=small)
            chart.show_distribution(row, pool, d.levels, d.level_labels)
            self.distribution_grid.addWidget(chart, i // columns, i % columns)
            self.distribution_charts.append(chart)
        scale = ", ".join(f"{v} {label}" for v, label in zip(d.levels, d.level_labels))
        more = (
            f" Showing the {MAX_SMALL_MULTIPLES} interviewers with the most ratings of {total}; pick one in "
            "Interviewer to see anyone."
            if total > MAX_SMALL_MULTIPLES
            else ""
        )
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
                "on at least two different days."
                if who
                else "Pick an interviewer to see their drift."
            )
            return
        self.drift.setVisible(True)
        self.drift.show_series(series)
        if series.slope_per_30_days is None or series.low is None or series.high is None:
            trend = "Too few dated ratings (at least 3 on 2 days) for a trend line."
        else:
            clear = series.low > 0 or series.high < 0
            trend = (
                f"Trend: {signed(series.slope_per_30_days)} points per 30 days (95% interval "
                f"{signed(series.low)} to {signed(series.high)}); "
                + (
                    "⚠ the interval excludes 0: their leniency is changing."
                    if clear
                    else "the interval includes 0, so no clear drift."
                )
            )
        self.drift_note.setText(
            f"Each point is one candidate: {who}'s score minus the candidate's leniency-adjusted score, by interview "
            f"date ({len(series.points)} candidates). {trend} Pick another interviewer above to see theirs."
        )
