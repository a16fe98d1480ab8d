"""The calibration dashboard's charts (QtCharts): leniency forest plot, rating distributions, agreement
per competency, and one interviewer's drift over time.

Each chart is a :class:`QChartView` with a ``show_*`` method taking the plain values of
:mod:`interviewkit.services.calibration_report` and keeping what it drew in ``plotted`` (so tests check
the data without reading pixels). Colours come from the application palette and
:func:`~interviewkit.ui.theme.state_colours`, so the charts read in light and dark themes; a flag is
never colour alone (a marker shape, "⚠" and words).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from interviewkit.ui.widgets.theme import is_dark, state_colours

if TYPE_CHECKING:
    from interviewkit.services.calibration_report import AgreementRow, DistributionRow, DriftSeries, LeniencyRow

__all__ = [
    "AgreementChart",
    "DistributionChart",
    "DriftChart",
    "LeniencyForest",
    "band_colour",
    "chart_colours",
]

ROW_HEIGHT = 26  # pixels per interviewer / competency on the forest plots
BAND_LIMITS = ((0.5, "poor"), (0.75, "moderate"), (0.9, "good"))


def chart_colours() -> dict[str, QColor]:
    """The colours charts draw with, from the palette in use."""
    pal = QApplication.palette()
    states = state_colours()
    dark = is_dark(pal)
    return {
        "background": pal.color(QPalette.ColorRole.Base),
        "text": pal.color(QPalette.ColorRole.Text),
        "muted": pal.color(QPalette.ColorRole.PlaceholderText),
        "grid": pal.color(QPalette.ColorRole.Mid) if dark else QColor("#dcdcdc"),
        "accent": QColor(states["info"]),
        "danger": QColor(states["danger"]),
        "warning": QColor(states["warning"]),
        "ok": QColor(states["ok"]),
        "pool": QColor("#6e7781") if not dark else QColor("#8b949e"),
    }


def band_colour(band: str) -> QColor:
    """The colour of a Koo & Li band (by its lowest end: "poor to good" is coloured as poor)."""
    c = chart_colours()
    level = band.split(" to ")[0] if band else "unknown"
    return {"poor": c["danger"], "moderate": c["warning"], "good": c["ok"], "excellent": c["ok"]}.get(level, c["muted"])


def _style(chart: QChart, title: str = "") -> None:
    c = chart_colours()
    chart.setBackgroundBrush(QBrush(c["background"]))
    chart.setBackgroundRoundness(0)
    chart.setPlotAreaBackgroundVisible(False)
    chart.setMargins(QMargins(4, 4, 8, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setLabelColor(c["text"])
    chart.legend().setVisible(False)
    if title:
        font = QFont(QApplication.font())
        font.setBold(True)
        chart.setTitleFont(font)
        chart.setTitleBrush(QBrush(c["text"]))
        chart.setTitle(title)


def _rows_axis(chart: QChart, x_axis: QValueAxis, n: int) -> QCategoryAxis:
    """Attach ``x_axis`` at the bottom and a category axis of ``n`` rows, top to bottom, at the left."""
    y_axis = QCategoryAxis()
    y_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    y_axis.setRange(-0.5, n - 0.5)
    y_axis.setReverse(True)
    for axis in (x_axis, y_axis):
        _style_axis(axis)
    y_axis.setGridLineVisible(False)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    return y_axis


def _style_axis(axis: Any, *, grid: bool = True) -> None:
    c = chart_colours()
    axis.setLabelsColor(c["text"])
    axis.setLinePenColor(c["grid"])
    axis.setGridLineColor(c["grid"])
    axis.setGridLineVisible(grid)
    axis.setTitleBrush(QBrush(c["muted"]))
    font = QFont(QApplication.font())
    font.setPointSizeF(max(font.pointSizeF() - 1, 7))
    axis.setLabelsFont(font)
    axis.setTitleFont(font)


def _segment(chart: QChart, points: Sequence[tuple[float, float]], pen: QPen, axes: Sequence[Any]) -> QLineSeries:
    line = QLineSeries()
    for x, y in points:
        line.append(x, y)
    line.setPen(pen)
    chart.addSeries(line)
    for axis in axes:
        line.attachAxis(axis)
    return line


class _ChartView(QChartView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QChartView.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.plotted: list[Any] = []

    def _new_chart(self, title: str = "") -> QChart:
        chart = QChart()
        _style(chart, title)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
        return chart


class LeniencyForest(_ChartView):
    """Each interviewer's shrunk leniency effect (point) with its 95% interval (bar), around a zero line,
    with dotted lines at the flag margin. Flagged interviewers: a square marker, the danger colour and
    "⚠" before their name. ``plotted``: (interviewer, shrunk, low, high, flagged)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("leniencyForest")
        self.setAccessibleName("Interviewer leniency: effect and 95% interval per interviewer")
        self.show_rows([], margin=0.0)

    def show_rows(
        self, rows: Sequence[LeniencyRow], *, margin: float, focus: str | None = None, groups: int = 1
    ) -> None:
        c = chart_colours()
        chart = self._new_chart()
        rows = list(rows)
        self.plotted = [(r.interviewer, r.shrunk, r.low, r.high, r.flagged) for r in rows if r.shrunk is not None]
        n = max(len(rows), 1)
        extent = max([abs(v) for r in rows for v in (r.low, r.high) if v is not None] + [margin, 0.25]) * 1.15
        x_axis = QValueAxis()
        step = next((s for s in (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0) if extent / s <= 4), 10.0)
        extent = step * int(extent / step + 0.999)
        x_axis.setRange(-extent, extent)
        x_axis.setTickCount(round(2 * extent / step) + 1)
        x_axis.setLabelFormat("%+.2f")
        x_axis.setTitleText("Points above (+) or below (−) colleagues on the same candidates")
        y_axis = _rows_axis(chart, x_axis, n)
        axes = (x_axis, y_axis)
        dashed = QPen(c["muted"], 1, Qt.PenStyle.DotLine)
        if margin > 0:
            for x in (-margin, margin):
                _segment(chart, [(x, -0.5), (x, n - 0.5)], dashed, axes)
        _segment(chart, [(0.0, -0.5), (0.0, n - 0.5)], QPen(c["text"], 1.2), axes)
        normal, flagged = QScatterSeries(), QScatterSeries()
        normal.setName("Interviewer")
        flagged.setName("Flagged")
        normal.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeCircle)
        flagged.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeRectangle)
        normal.setMarkerSize(10)
        flagged.setMarkerSize(12)
        normal.setColor(c["accent"])
        flagged.setColor(c["danger"])
        for s in (normal, flagged):
            s.setBorderColor(c["background"])
        used: set[str] = set()
        for i, r in enumerate(rows):
            label = r.interviewer
            if r.flagged:
                label = f"⚠ {label}"
            if groups > 1 and r.component:
                label = f"{label} (group {r.component + 1})"
            if r.shrunk is None:
                label = f"{label}: not comparable"
            while label in used:  # QCategoryAxis needs distinct labels
                label += " "
            used.add(label)
            y_axis.append(label, i)
            if r.shrunk is None:
                continue
            colour = c["danger"] if r.flagged else (c["text"] if r.interviewer == focus else c["accent"])
            if r.low is not None and r.high is not None:
                _segment(chart, [(r.low, i), (r.high, i)], QPen(colour, 2.2 if r.flagged else 1.6), axes)
            (flagged if r.flagged else normal).append(QPointF(r.shrunk, i))
        for s in (normal, flagged):
            chart.addSeries(s)
            s.attachAxis(x_axis)
            s.attachAxis(y_axis)
        longest = max((len(r.interviewer) for r in rows), default=10)
        self.setFixedHeight(max(140, 70 + ROW_HEIGHT * n))
        self.setMinimumWidth(min(900, 320 + 6 * longest))


class AgreementChart(_ChartView):
    """Per competency, the ICC of absolute agreement (point) with its 95% interval (bar) on 0..1, with the
    Koo & Li thresholds (0.5, 0.75, 0.9) as dotted lines; the point's colour is its band's. ``plotted``:
    (competency name, icc, low, high, band)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreementChart")
        self.setAccessibleName("Agreement per competency: ICC and 95% interval")
        self.show_rows([])

    def show_rows(self, rows: Sequence[AgreementRow]) -> None:
        c = chart_colours()
        chart = self._new_chart()
        rows = [r for r in rows if r.icc is not None]
        self.plotted = [(r.name, r.icc, r.low, r.high, r.band) for r in rows]
        n = max(len(rows), 1)
        x_axis = QValueAxis()
        x_axis.setRange(0.0, 1.0)
        x_axis.setTickCount(5)
        x_axis.setLabelFormat("%.2f")
        x_axis.setTitleText("ICC (absolute agreement of two interviewers' ratings); 1 = perfect")
        y_axis = _rows_axis(chart, x_axis, n)
        axes = (x_axis, y_axis)
        for limit, _name in BAND_LIMITS:
            _segment(chart, [(limit, -0.5), (limit, n - 0.5)], QPen(c["muted"], 1, Qt.PenStyle.DotLine), axes)
        used: set[str] = set()
        for i, r in enumerate(rows):
            label = r.name if len(r.name) <= 34 else r.name[:33] + "…"
            while label in used:
                label += " "
            used.add(label)
            y_axis.append(label, i)
            colour = band_colour(r.band)
            if r.low is not None and r.high is not None:
                _segment(chart, [(r.low, i), (r.high, i)], QPen(colour, 1.8), axes)
            point = QScatterSeries()
            point.setMarkerSize(10)
            point.setColor(colour)
            point.setBorderColor(c["background"])
            point.append(QPointF(float(r.icc or 0.0), i))
            chart.addSeries(point)
            point.attachAxis(x_axis)
            point.attachAxis(y_axis)
        self.setFixedHeight(max(140, 70 + ROW_HEIGHT * n))


class DistributionChart(_ChartView):
    """One interviewer's share of each scale level (bars) beside everyone's (grey bars).
    ``plotted``: (interviewer, their shares, everyone's shares)."""

    def __init__(self, parent: QWidget | None = None, *, small: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("distributionChart")
        self._small = small
        self.setFixedHeight(170 if small else 260)
        self.setMinimumWidth(200)

    def show_distribution(
        self, row: DistributionRow, pool: DistributionRow, levels: Sequence[int], labels: Sequence[str] = ()
    ) -> None:
        c = chart_colours()
        title = f"{row.interviewer} · {row.n} rating{'s' if row.n != 1 else ''}"
        if row.mean is not None:
            title += f" · mean {row.mean:.1f}"
        chart = self._new_chart(title)
        self.setAccessibleName(f"Rating distribution of {row.interviewer} against everyone")
        self.plotted = [(row.interviewer, tuple(row.shares), tuple(pool.shares))]
        series = QBarSeries()
        everyone = QBarSet("Everyone")
        theirs = QBarSet(row.interviewer or "")
        everyone.setColor(c["pool"])
        everyone.setBorderColor(c["pool"])
        theirs.setColor(c["accent"])
        theirs.setBorderColor(c["accent"])
        everyone.append([100 * v for v in pool.shares])
        theirs.append([100 * v for v in row.shares])
        series.append(theirs)
        series.append(everyone)
        series.setBarWidth(0.8)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        if self._small or not labels:
            x_axis.append([str(v) for v in levels])
        else:
            x_axis.append([f"{v} {label}" for v, label in zip(levels, labels)])
        y_axis = QValueAxis()
        top = max([100 * v for v in (*row.shares, *pool.shares)] + [10.0])
        y_axis.setRange(0, min(100.0, (int(top / 10) + 1) * 10))
        y_axis.setTickCount(3)
        y_axis.setLabelFormat("%d%%")
        for axis in (x_axis, y_axis):
            _style_axis(axis)
        x_axis.setGridLineVisible(False)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        if not self._small:
            chart.legend().setVisible(True)
            chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)


def _msecs(moment: datetime) -> float:
    return moment.timestamp() * 1000.0


class DriftChart(_ChartView):
    """One interviewer's leniency on each candidate (their score minus the candidate's adjusted score)
    by interview date, with the fitted trend and a zero line. ``plotted``: the (datetime, value) points."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("driftChart")
        self.setAccessibleName("Drift: one interviewer's leniency over time")
        self.setFixedHeight(240)

    def show_series(self, series: DriftSeries) -> None:
        c = chart_colours()
        chart = self._new_chart()
        self.plotted = list(series.points)
        times = [_msecs(t) for t, _ in series.points]
        values = [v for _, v in series.points]
        lo_t, hi_t = min(times), max(times)
        pad = max((hi_t - lo_t) * 0.05, 12 * 3600 * 1000.0)
        extent = max([abs(v) for v in values] + [0.5]) * 1.2
        x_axis = QDateTimeAxis()
        x_axis.setFormat("d MMM yy")
        x_axis.setRange(QDateTime.fromMSecsSinceEpoch(int(lo_t - pad)), QDateTime.fromMSecsSinceEpoch(int(hi_t + pad)))
        x_axis.setTickCount(min(6, max(2, len(times))))
        y_axis = QValueAxis()
        y_axis.setRange(-extent, extent)
        y_axis.setLabelFormat("%+.1f")
        y_axis.setTickCount(5)
        y_axis.setTitleText("Leniency (points)")
        for axis in (x_axis, y_axis):
            _style_axis(axis)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        axes = (x_axis, y_axis)
        _segment(chart, [(lo_t - pad, 0.0), (hi_t + pad, 0.0)], QPen(c["muted"], 1, Qt.PenStyle.DashLine), axes)
        if series.line is not None:
            (t0, v0), (t1, v1) = series.line
            _segment(chart, [(_msecs(t0), v0), (_msecs(t1), v1)], QPen(c["warning"], 2), axes)
        points = QScatterSeries()
        points.setMarkerSize(9)
        points.setColor(c["accent"])
        points.setBorderColor(c["background"])
        for t, v in zip(times, values):
            points.append(t, v)
        chart.addSeries(points)
        points.attachAxis(x_axis)
        points.attachAxis(y_axis)
