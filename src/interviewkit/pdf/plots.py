"""Forest plots on paper: one row per label with a point and its interval (the calibration report's
leniency and agreement)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPen

from interviewkit.pdf.builder import WARNING
from interviewkit.pdf.layout import INK, MM, MUTED, RULE, Flowable, document_font

__all__ = ["ACCENT_PLOT", "IntervalPlot", "IntervalRow"]

ACCENT_PLOT = "#1f4e79"


@dataclass(frozen=True)
class IntervalRow:
    """A row of an interval plot: a label, a point estimate and its interval (None when not estimable)."""

    label: str
    point: float | None
    low: float | None
    high: float | None
    flagged: bool = False
    note: str = ""  # words beside the label ("group 2"; for agreement, the Koo & Li band)
    detail: str = ""  # words for a table of the same rows ("3 candidates, fewer than 10")


class IntervalPlot(Flowable):
    """A forest plot on paper: one row per label with a point and its interval bar, a solid reference line
    and dotted guide lines, and a tick axis below. Flagged rows get a square marker and "⚠" before the
    label (never colour alone). Rows never split across pages: a long plot is cut into several plots."""

    ROW = 5.2 * MM
    AXIS = 9.0 * MM
    splittable = True

    def min_height(self) -> float:
        return self.ROW * min(len(self.rows), 3) + self.AXIS + 2 * MM

    def __init__(
        self,
        rows: Sequence[IntervalRow],
        width: float,
        *,
        lo: float,
        hi: float,
        reference: float | None,
        guides: Sequence[float] = (),
        ticks: Sequence[float] = (),
        tick_format: str = "{:+.2f}",
        colours: Sequence[str] | None = None,
    ) -> None:
        self.rows = list(rows)
        self.width = width
        self.lo, self.hi = lo, hi
        self.reference = reference
        self.guides = list(guides)
        self.ticks = list(ticks)
        self.tick_format = tick_format
        self.colours = list(colours) if colours is not None else None
        self.keep_with_next = False

    def height(self) -> float:
        return self.ROW * len(self.rows) + self.AXIS + 2 * MM

    def split(self, available: float, *, force: bool = False) -> tuple[Flowable, Flowable] | None:
        fits = int((available - self.AXIS - 2 * MM) // self.ROW)
        if fits < 1 or fits >= len(self.rows):
            return None
        colours = self.colours
        return (
            self._part(self.rows[:fits], colours[:fits] if colours else None),
            self._part(self.rows[fits:], colours[fits:] if colours else None),
        )

    def _part(self, rows: Sequence[IntervalRow], colours: Sequence[str] | None) -> IntervalPlot:
        return IntervalPlot(
            rows,
            self.width,
            lo=self.lo,
            hi=self.hi,
            reference=self.reference,
            guides=self.guides,
            ticks=self.ticks,
            tick_format=self.tick_format,
            colours=colours,
        )

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        font = document_font(8.0)
        painter.setFont(font)
        metrics = QFontMetricsF(font, painter.device())
        label_w = self.width * 0.38
        left, right = x + label_w + 3 * MM, x + self.width - 3 * MM
        top, bottom = y, y + self.ROW * len(self.rows)

        def px(value: float) -> float:
            span = (self.hi - self.lo) or 1.0
            return left + (min(max(value, self.lo), self.hi) - self.lo) / span * (right - left)

        painter.setPen(QPen(RULE, 0.6, Qt.PenStyle.DotLine))
        for g in self.guides:
            painter.drawLine(QPointF(px(g), top), QPointF(px(g), bottom))
        if self.reference is not None:
            painter.setPen(QPen(INK, 0.9))
            painter.drawLine(QPointF(px(self.reference), top), QPointF(px(self.reference), bottom))
        for i, row in enumerate(self.rows):
            cy = top + (i + 0.5) * self.ROW
            colour = (
                QColor(self.colours[i]) if self.colours else (QColor("#b42318") if row.flagged else QColor(ACCENT_PLOT))
            )
            label = (f"{WARNING} " if row.flagged else "") + row.label + (f" ({row.note})" if row.note else "")
            painter.setPen(INK if row.point is not None else MUTED)
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w)
            painter.drawText(
                QRectF(x, cy - self.ROW / 2, label_w, self.ROW),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            if row.point is None:
                painter.drawText(
                    QRectF(left, cy - self.ROW / 2, right - left, self.ROW),
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    "not estimable",
                )
                continue
            if row.low is not None and row.high is not None:
                painter.setPen(QPen(colour, 1.6 if row.flagged else 1.1))
                painter.drawLine(QPointF(px(row.low), cy), QPointF(px(row.high), cy))
                for end in (row.low, row.high):
                    painter.drawLine(QPointF(px(end), cy - 1.2 * MM), QPointF(px(end), cy + 1.2 * MM))
            painter.setPen(QPen(QColor("#ffffff"), 0.5))
            painter.setBrush(QBrush(colour))
            r = 1.5 * MM
            if row.flagged:
                painter.drawRect(QRectF(px(row.point) - r, cy - r, 2 * r, 2 * r))
            else:
                painter.drawEllipse(QPointF(px(row.point), cy), r, r)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(MUTED, 0.6))
        painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        for t in self.ticks:
            painter.drawLine(QPointF(px(t), bottom), QPointF(px(t), bottom + 1.2 * MM))
            label = self.tick_format.format(t).replace("-", "−")
            w = metrics.horizontalAdvance(label) + 4
            painter.drawText(
                QRectF(px(t) - w / 2, bottom + 1.5 * MM, w, metrics.height() + 2),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                label,
            )
        painter.restore()
