"""Item models for the Debriefs section: candidates, the scorecard grid, requirement coverage, decisions.

Each model is a thin adapter over the plain values of ``interviewkit.services.debrief`` and
``interviewkit.services.debrief_grid`` (which computes the grid: means, spreads, adjusted means, the words
of each cell); none fetches or computes anything. The grid's colour scale comes from :func:`rating_colours`,
which has one set of colours for the light palette and one for the dark, each keeping the number legible;
a rating is never shown by colour alone (the number, the scale label in the tooltip, and icons with words
for disagreements).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from interviewkit.domain.markup import escape
from interviewkit.services.debrief import CoverageEntry, DecisionInfo, ScorecardColumn
from interviewkit.services.debrief_grid import OVERALL, DebriefGrid, assessed_lines, coverage_tip
from interviewkit.ui.widgets.formatting import local_text
from interviewkit.ui.widgets.roles import IdRole, SearchTextRole, SubtitleRole, TrailingRole
from interviewkit.ui.widgets.table import RowTable
from interviewkit.ui.widgets.theme import is_dark, state_colours

__all__ = [
    "CandidateFilterProxy",
    "CandidateListModel",
    "CandidateRow",
    "CoverageFilterProxy",
    "CoverageTableModel",
    "DebriefGridModel",
    "DecisionHistoryModel",
    "IdRole",
    "SubtitleRole",
    "TrailingRole",
    "contrast_ratio",
    "legend_html",
    "rating_colours",
]

_Index = QModelIndex | QPersistentModelIndex
DISPLAY, TOOLTIP, SPOKEN = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
)

# Four steps from "no evidence" to "strong evidence": orange for low, blue for high (readable by people who
# cannot tell red from green), each as (background, text). The light steps are pale tints under dark text,
# the dark steps deep tints under light text; tests/ui/debrief check the contrast (WCAG AA, >= 4.5:1).
_LIGHT_SCALE = (("#f1a37f", "#3b1205"), ("#fbdcc9", "#3b1d0c"), ("#d3e6f3", "#0c2a40"), ("#8fc0e0", "#082238"))
_DARK_SCALE = (("#8a3b1e", "#ffe9e0"), ("#5a4030", "#fbe3d3"), ("#24435c", "#dcecff"), ("#1d5f96", "#ffffff"))


def rating_colours(dark: bool | None = None) -> tuple[tuple[str, str], ...]:
    """The grid's colour scale, lowest first, as (background, text) pairs for the palette in use."""
    dark = is_dark() if dark is None else dark
    return _DARK_SCALE if dark else _LIGHT_SCALE


def _step(position: float, dark: bool) -> tuple[QColor, QColor]:
    """Colours for a position between 0 (lowest level) and 1 (highest)."""
    scale = rating_colours(dark)
    bg, fg = scale[round(max(0.0, min(1.0, position)) * (len(scale) - 1))]
    return QColor(bg), QColor(fg)


def legend_html(labels: Mapping[int, str]) -> str:
    """The colour scale as chips, one per level with its label, then the n/a dash."""
    levels = sorted(labels)
    if not levels:
        return ""
    lo, hi = levels[0], levels[-1]
    chips = []
    for level in levels:
        bg, fg = _step((level - lo) / (hi - lo) if hi > lo else 1.0, is_dark())
        chips.append(
            f"<span style='background-color:{bg.name()}; color:{fg.name()}; font-weight:600'>&nbsp;{level}&nbsp;</span>"
            f"&nbsp;{escape(labels[level])}"
        )
    chips.append("<b>–</b>&nbsp;n/a")
    return "&nbsp;&nbsp;".join(chips)


def contrast_ratio(a: str, b: str) -> float:
    """The WCAG contrast ratio between two colours (1 to 21)."""

    def luminance(colour: str) -> float:
        c = QColor(colour)
        channels = [c.redF(), c.greenF(), c.blueF()]
        r, g, b_ = (x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def folded(text: str) -> str:
    """Lower case without accents: "Nunez" finds "Ñúñez"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _icon(pixmap: QStyle.StandardPixmap) -> QIcon:
    return QApplication.style().standardIcon(pixmap)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _text_for(role: int, text: str | None, tip: str, spoken: str) -> str | None:
    """The text a role asks for: what is shown, the tooltip, what a screen reader says (None when empty)."""
    if role == DISPLAY:
        return text
    if role == TOOLTIP:
        return tip or None
    if role == SPOKEN:
        return spoken or None
    return None


_WARNING_ROLES = (Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)


def _warning_look(role: int) -> Any:
    """How a warning cell (a spread, a split panel) looks: the warning icon, colour and bold type."""
    if role == Qt.ItemDataRole.DecorationRole:
        return _icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    if role == Qt.ItemDataRole.ForegroundRole:
        return QBrush(QColor(state_colours()["warning"]))
    return _bold()


# --- candidates ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateRow:
    """A candidate with at least one submitted scorecard (from ``debrief_candidates``)."""

    id: int
    name: str
    opening: str
    submitted: int
    stages: int
    decision: str  # the decision's label ("Hire"), or "" when none is recorded


class CandidateListModel(QAbstractListModel):
    """The candidates whose debrief can start: name, opening, scorecards in, decision."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CandidateRow] = []

    def set_candidates(self, rows: Sequence[CandidateRow]) -> None:
        rows = list(rows)
        if rows and [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows  # same candidates: update in place, the selection stays
            self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, candidate_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == candidate_id), -1)

    def set_decision(self, candidate_id: int, decision: str) -> None:
        """A candidate's decision changed: its label ("Hire"), or "" when none is in force."""
        row = self.row_of(candidate_id)
        if row >= 0:
            self._rows[row] = replace(self._rows[row], decision=decision)
            self.dataChanged.emit(self.index(row), self.index(row))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        progress = f"{row.submitted} of {row.stages} submitted"
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == SubtitleRole:
            return f"{row.opening}\n{progress}"
        if role == TrailingRole:
            return row.decision
        if role == Qt.ItemDataRole.ToolTipRole:
            decided = f"Decision: {row.decision}" if row.decision else "No decision recorded yet"
            return f"{row.name} · {row.opening}\n{progress}\n{decided}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}, {row.opening}, {progress}, {row.decision or 'no decision yet'}"
        if role == IdRole:
            return row.id
        if role == SearchTextRole:
            return f"{row.name} {row.opening} {row.decision}"
        return None


class CandidateFilterProxy(QSortFilterProxyModel):
    """Keeps the candidates whose name, opening or decision contains every typed word (accents ignored)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._words = folded(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def is_filtering(self) -> bool:
        return bool(self._words)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        if not self._words:
            return True
        text = folded(str(self.sourceModel().index(source_row, 0, source_parent).data(SearchTextRole) or ""))
        return all(w in text for w in self._words)


# --- the grid ------------------------------------------------------------------------------------------


class DebriefGridModel(QAbstractTableModel):
    """The debrief grid of :func:`interviewkit.services.debrief_grid.debrief_grid`, cell by cell.

    Each cell's text, tooltip and spoken text come as they are; its level on the colour scale becomes the
    palette's colours, a warning (a disagreement, a split panel) the warning icon, colour and bold type.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._grid = DebriefGrid()

    def set_grid(self, grid: DebriefGrid) -> None:
        self.beginResetModel()
        self._grid = grid
        self.endResetModel()

    @property
    def grid(self) -> DebriefGrid:
        return self._grid

    def has_adjusted(self) -> bool:
        return self._grid.has_adjusted

    def card_count(self) -> int:
        return self._grid.card_count

    def card_at(self, column: int) -> ScorecardColumn | None:
        return self._grid.card_at(column)

    def extra_at(self, column: int) -> str | None:
        return self._grid.extra_at(column)

    def column_of_extra(self, extra: str) -> int:
        return self._grid.column_of(extra)

    def column_of_card(self, scorecard_id: int) -> int:
        return self._grid.column_of(scorecard_id)

    def competency_at(self, row: int) -> tuple[str, str] | None:
        """(id, name) of a competency row; None for the Overall row."""
        return self._grid.competency_at(row)

    def is_overall(self, row: int) -> bool:
        return 0 <= row < len(self._grid.rows) and self._grid.rows[row].key == OVERALL

    def overall_row(self) -> int:
        return self._grid.row_of(OVERALL)

    def row_of(self, competency_id: str) -> int:
        return self._grid.row_of(competency_id)

    # -- Qt ---------------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._grid.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt override
        return 0 if parent.isValid() else len(self._grid.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._grid.columns):
                return None
            column = self._grid.columns[section]
            return _text_for(role, column.title, column.tip, column.spoken)
        if not 0 <= section < len(self._grid.rows):
            return None
        row = self._grid.rows[section]
        if role == Qt.ItemDataRole.DecorationRole and row.warning:
            return _icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.FontRole and row.bold:
            return _bold()
        return _text_for(role, row.title, row.tip, "")

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._grid.rows) or index.column() >= len(self._grid.columns):
            return None
        cell = self._grid.cell(index.row(), index.column())
        if role in (DISPLAY, TOOLTIP, SPOKEN):
            return _text_for(role, cell.text, cell.tip, cell.spoken)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter) if cell.centred else None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and cell.level is not None:
            bg, fg = _step(cell.level, is_dark())
            return QBrush(bg if role == Qt.ItemDataRole.BackgroundRole else fg)
        if cell.warning and role in _WARNING_ROLES:
            return _warning_look(role)
        if role == Qt.ItemDataRole.FontRole and cell.bold:
            return _bold()
        return None


# --- coverage ------------------------------------------------------------------------------------------


class CoverageTableModel(RowTable):
    """The requirements of the role: who assessed each in this loop, and with what rating.

    A requirement nobody assessed reads "Not assessed" with a warning icon and a tinted row.
    """

    COLUMNS = ("Requirement", "Assessed by")

    def set_entries(self, entries: Sequence[CoverageEntry]) -> None:
        self.set_rows(entries)

    def entry(self, row: int) -> CoverageEntry:
        entry: CoverageEntry = self._rows[row]
        return entry

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return entry.text
            return "\n".join(assessed_lines(entry)) if entry.assessed else "Not assessed by anyone in this loop"
        if role == Qt.ItemDataRole.DecorationRole and col == 1 and not entry.assessed:
            return _icon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.BackgroundRole and not entry.assessed:
            return QBrush(QColor(state_colours()["gap_bg"]))
        if role == Qt.ItemDataRole.FontRole and col == 1 and not entry.assessed:
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole:
            return coverage_tip(entry)
        if role == IdRole:
            return entry.requirement_id
        return None


class CoverageFilterProxy(QSortFilterProxyModel):
    """Shows every requirement, or only those nobody assessed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.only_unassessed = False

    def set_only_unassessed(self, on: bool) -> None:
        self.beginFilterChange()
        self.only_unassessed = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        if not self.only_unassessed:
            return True
        model = self.sourceModel()
        assert isinstance(model, CoverageTableModel)
        return not model.entry(source_row).assessed


# --- decisions -----------------------------------------------------------------------------------------


class DecisionHistoryModel(RowTable):
    """Every decision on a candidate, oldest first: the one in force and the ones it superseded."""

    COLUMNS = ("When", "Outcome", "By", "Rationale", "Reopening reason")

    def set_history(self, rows: Sequence[DecisionInfo]) -> None:
        self.set_rows(rows)

    def decision(self, row: int) -> DecisionInfo:
        decision: DecisionInfo = self._rows[row]
        return decision

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        d = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                local_text(d.decided_at),
                f"{d.label} (superseded)" if d.superseded else f"{d.label} (in force)",
                d.decided_by,
                " ".join(d.rationale.split()),
                " ".join(d.reopen_reason.split()),
            )[col]
        if role == Qt.ItemDataRole.ForegroundRole and d.superseded:
            return QBrush(QApplication.palette().color(QApplication.palette().ColorRole.PlaceholderText))
        if role == Qt.ItemDataRole.FontRole and col == 1 and not d.superseded:
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole:
            superseded = " (superseded)" if d.superseded else ""
            lines = [
                f"{d.label}{superseded}, recorded by {d.decided_by} on {local_text(d.decided_at)}",
                f"Participants: {', '.join(d.participants) or 'none recorded'}",
                f"Rationale: {d.rationale}",
            ]
            if d.reopen_reason:
                lines.append(f"Reopened because: {d.reopen_reason}")
            return "\n".join(lines)
        if role == IdRole:
            return d.id
        return None
