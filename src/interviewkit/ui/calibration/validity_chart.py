"""The validity chart (QtCharts): each hire's overall interview score against their latest performance rating,
the straight line through them, and every candidate's score as ticks along the bottom, which shows how
narrow the hires' band of scores is (why the raw correlation understates the interview's validity).

``plotted`` keeps what was drawn (tests check the data without reading pixels): ``hires`` (score,
performance) points, ``pool`` scores and the ``line`` ((x0, y0), (x1, y1)) or None.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QScatterSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from interviewkit.ui.calibration.charts import chart_colours
from interviewkit.ui.widgets.theme import is_dark

__all__ = ["ValidityChart", "fitted_line"]


def fitted_line(points: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The least-squares line through ``points`` over their range of scores (None: fewer than 3, or one score)."""
    if len(points) < 3:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx <= 0:
        return None
    slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    lo, hi = min(xs), max(xs)
    return (lo, my + slope * (lo - mx)), (hi, my + slope * (hi - mx))


def _padded(values: Sequence[float], share: float = 0.06) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    pad = max((hi - lo) * share, 0.1)
    return lo - pad, hi + pad


class ValidityChart(QChartView):
    """Interview score (across) against later performance (up) for the hires; every candidate's score as
    ticks along the bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("validityChart")
        self.setAccessibleName("Predictive validity: each hire's overall interview score against their performance")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QChartView.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(320)
        self.plotted: dict[str, Any] = {"hires": [], "pool": [], "line": None}

    def _new_chart(self) -> QChart:
        c = chart_colours()
        chart = QChart()
        chart.setBackgroundBrush(QBrush(c["background"]))
        chart.setBackgroundRoundness(0)
        chart.setPlotAreaBackgroundVisible(False)
        chart.setMargins(QMargins(4, 4, 8, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setLabelColor(c["text"])
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
        return chart

    def _axes(self, chart: QChart, x_range: tuple[float, float], y_range: tuple[float, float]) -> tuple[Any, Any]:
        c = chart_colours()
        x_axis, y_axis = QValueAxis(), QValueAxis()
        x_axis.setRange(*x_range)
        y_axis.setRange(*y_range)
        x_axis.setTitleText("Overall interview score")
        y_axis.setTitleText("Latest performance rating")
        x_axis.setLabelFormat("%.1f")
        y_axis.setLabelFormat("%.1f")
        for axis in (x_axis, y_axis):
            axis.setLabelsColor(c["text"])
            axis.setLinePenColor(c["grid"])
            axis.setGridLineColor(c["grid"])
            axis.setTitleBrush(QBrush(c["muted"]))
            axis.setTickCount(5)
            axis.applyNiceNumbers()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        return x_axis, y_axis

    def show_points(self, hires: Sequence[tuple[float, float]], pool: Sequence[float]) -> None:
        """Draw the hires' (score, performance) points, their line, and the pool's scores along the bottom."""
        c = chart_colours()
        chart = self._new_chart()
        line = fitted_line(hires)
        self.plotted = {"hires": list(hires), "pool": list(pool), "line": line}
        if not hires:
            return
        x_range = _padded([*[p[0] for p in hires], *pool])
        low, high = _padded([p[1] for p in hires], 0.1)
        floor = low - (high - low) * 0.06  # the pool's ticks sit under the hires
        axes = self._axes(chart, x_range, (floor - (high - low) * 0.04, high))
        rug = QScatterSeries()
        rug.setName(f"Every candidate's score ({len(pool)})")
        rug.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeRectangle)
        rug.setMarkerSize(5)
        muted = c["pool"]
        muted.setAlpha(200 if is_dark() else 110)
        rug.setColor(muted)
        rug.setBorderColor(muted)
        for x in pool:
            rug.append(x, floor)
        dots = QScatterSeries()
        dots.setName(f"Hires ({len(hires)})")
        dots.setMarkerSize(8)
        dots.setColor(c["accent"])
        dots.setBorderColor(c["background"])
        for x, y in hires:
            dots.append(x, y)
        series: list[Any] = [rug, dots]
        if line is not None:
            fit = QLineSeries()
            fit.setName("Straight line through the hires")
            fit.setPen(QPen(c["warning"], 2))
            fit.append(*line[0])
            fit.append(*line[1])
            series.append(fit)
        for s in series:
            chart.addSeries(s)
            for axis in axes:
                s.attachAxis(axis)
