"""The debrief's grid pane: the ratings grid, the line that names the disagreements, the adjusted means' note.

The pane is never taller than the grid's rows (the tabs below get the rest), the interviewers' names in the
column headers are whole, and the competency names get the width the columns leave (elided, whole in the
tooltip). A cell is found again by what it shows (competency, scorecard), not by its position, so that the
current cell survives a refresh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.debrief import Debrief
from interviewkit.services.debrief_grid import ADJUSTED, MEAN, OVERALL, SPREAD, DebriefGrid, debrief_grid
from interviewkit.ui.debrief.evidence import SUMMARIES, Target
from interviewkit.ui.debrief.model import DebriefGridModel
from interviewkit.ui.widgets.formatting import local_text
from interviewkit.ui.widgets.shortcuts import bind_keys

__all__ = ["CellKey", "GridPane"]

CARD_MIN_WIDTH = 64  # a rating column: at least this, its header and its recommendation ("Strong yes")
ROW_HEADER_MIN = 130  # competency names: elided to leave room for the columns, whole in the tooltip
EXTRA_WIDTHS = {SPREAD: 92, MEAN: 52, ADJUSTED: 72}

#: A cell by what it shows: (competency id or OVERALL, scorecard id or computed column's key).
CellKey = tuple[str, int | str]


def repolish(widget: QWidget) -> None:
    """Apply the style sheet again after a dynamic property ("state") changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class GridPane(QWidget):
    """The ratings grid (or why there is none), the disagreements under it, and the adjusted means' note."""

    sig_target_requested = Signal(object)
    """A cell was clicked (or Enter pressed on it), or a header: show what lies behind it (a Target)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._recommendations: tuple[str, ...] = ()
        self.model = DebriefGridModel(self)
        self.grid = self._build_grid()
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setObjectName("gridEmpty")
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.empty)
        self.flags = QLabel(wordWrap=True)
        self.flags.setObjectName("debriefFlags")
        self.flags.setAccessibleName("Disagreements")
        self.adjusted_note = QLabel(wordWrap=True)
        self.adjusted_note.setObjectName("adjustedNote")
        self.adjusted_note.setProperty("role", "subtle")
        self.adjusted_note.hide()
        for label in (self.flags, self.adjusted_note):  # as tall as their text, so the pane fits the grid
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinAndMaxSize)
        layout.setSpacing(4)
        # No stretch: the pane is never taller than the grid's rows, so the tabs below get the rest.
        layout.addWidget(self.stack)
        layout.addWidget(self.flags)
        layout.addWidget(self.adjusted_note)
        self.model.modelReset.connect(self._size_columns)
        self.grid.installEventFilter(self)
        self.grid.clicked.connect(self.open_cell)
        bind_keys(self.grid, "open_cell", self._open_current)
        self.grid.horizontalHeader().sectionClicked.connect(self._open_column)
        self.grid.verticalHeader().sectionClicked.connect(self._open_row)

    def _build_grid(self) -> QTableView:
        grid = QTableView()
        grid.setObjectName("debriefGrid")
        grid.setAccessibleName("Ratings by competency and interviewer")
        grid.setModel(self.model)
        grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        grid.setTabKeyNavigation(False)  # the arrows move between cells; Tab leaves for the tabs (Decision)
        grid.setWordWrap(False)
        grid.setCornerButtonEnabled(False)
        grid.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = grid.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        rows.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns = grid.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        columns.setStretchLastSection(False)
        for header in (rows, columns):
            header.setSectionsClickable(True)
            header.setHighlightSections(True)
        return grid

    # -- showing ----------------------------------------------------------------------------------------

    def show_debrief(
        self,
        d: Debrief,
        labels: Mapping[int, str],
        recommendations: Sequence[str],
        adjusted: tuple[Mapping[str, float], str] | None,
    ) -> None:
        """Show a debrief's grid, with the adjusted means (and the line that explains them) if given."""
        scores, note = adjusted if adjusted is not None else (None, "")
        grid = debrief_grid(
            d,
            scale_labels=labels,
            recommendations=recommendations,
            adjusted=scores,
            adjusted_note=note,
            when=local_text,
        )
        empty = (
            "No scorecard to show yet: the grid appears once you may see them (above)."
            if d.hidden_count
            else "Nobody has submitted a scorecard for this candidate yet."
        )
        self.show_grid(grid, recommendations=recommendations, empty_text=empty)

    def show_grid(self, grid: DebriefGrid, *, recommendations: Sequence[str], empty_text: str) -> None:
        """Show a grid; with no column, ``empty_text`` says why instead."""
        self._recommendations = tuple(recommendations)
        self.model.set_grid(grid)
        self.adjusted_note.setText(grid.adjusted_note)
        self.adjusted_note.setVisible(grid.has_adjusted and bool(grid.adjusted_note))
        if grid.columns:
            self.stack.setCurrentWidget(self.grid)
            self.stack.setMaximumHeight(self.grid.maximumHeight())
        else:
            self.stack.setMaximumHeight(200)
            self.empty.setText(empty_text)
            self.stack.setCurrentWidget(self.empty)
        self.flags.setVisible(bool(grid.columns))
        if grid.columns:
            self.flags.setText(grid.flags)
            self.flags.setProperty("state", grid.flags_state)
            repolish(self.flags)
        self.fit()

    def _size_columns(self) -> None:
        model, header = self.model, self.grid.horizontalHeader()
        bold = QFont(self.grid.font())
        bold.setBold(True)
        widest = max((QFontMetrics(bold).horizontalAdvance(r) for r in self._recommendations), default=0) + 18
        for col in range(model.columnCount()):
            extra = model.extra_at(col)
            if extra:
                self.grid.setColumnWidth(col, EXTRA_WIDTHS[extra])
            else:  # the interviewer's name whole: the header is the only place it is shown
                self.grid.setColumnWidth(col, max(CARD_MIN_WIDTH, widest, header.sectionSizeFromContents(col).width()))
        self.fit()

    def fit(self) -> None:
        """Give the competency names the width the columns leave, and make the grid as tall as its rows."""
        grid = self.grid
        header, rows_header = grid.horizontalHeader(), grid.verticalHeader()
        frame = 2 * grid.frameWidth()
        scroll_bar = grid.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, grid)
        height = header.sizeHint().height() + rows_header.length() + frame
        # shorter than its rows (a small screen), the grid scrolls: its scroll bar takes width from the names
        room = grid.width() - frame - header.length() - (scroll_bar if grid.height() < height else 0)
        rows_header.setMaximumWidth(max(ROW_HEADER_MIN, min(rows_header.sizeHint().width(), room)))
        if rows_header.maximumWidth() + header.length() + frame > grid.width():
            height += scroll_bar  # the columns overflow: a horizontal scroll bar takes a row's place
        minimum = header.sizeHint().height() + 3 * rows_header.defaultSectionSize() + frame
        grid.setMinimumHeight(min(height, minimum))
        grid.setMaximumHeight(max(height, minimum))
        if self.stack.currentWidget() is grid:
            self.stack.setMaximumHeight(grid.maximumHeight())
        for label in (self.flags, self.adjusted_note):  # wrapped text: as tall as it is at this width
            label.setMaximumHeight(max(label.heightForWidth(grid.width()), 0) or 16777215)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.grid and event.type() == QEvent.Type.Resize:
            self.fit()
        return super().eventFilter(watched, event)

    # -- cells ------------------------------------------------------------------------------------------

    def cell_key(self, index: QModelIndex | QPersistentModelIndex) -> CellKey | None:
        """A cell by what it shows (competency id or OVERALL, scorecard id or extra), not by position."""
        if not index.isValid():
            return None
        model = self.model
        comp = model.competency_at(index.row())
        card = model.card_at(index.column())
        column: int | str | None = card.scorecard_id if card is not None else model.extra_at(index.column())
        if column is None:
            return None
        return (comp[0] if comp is not None else OVERALL), column

    def restore_cell(self, key: CellKey) -> bool:
        """Make the cell ``key`` current again (after the grid was filled anew); False when it is gone."""
        model = self.model
        row_key, col_key = key
        row = model.overall_row() if row_key == OVERALL else model.row_of(row_key)
        col = model.column_of_card(col_key) if isinstance(col_key, int) else model.column_of_extra(col_key)
        if row < 0 or col < 0:
            return False
        self.grid.selectionModel().setCurrentIndex(
            model.index(row, col), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        return True

    def start_at_first_rating(self) -> None:
        """The arrow keys start from the first rating; nothing is highlighted until the user moves."""
        if self.model.rowCount() and self.model.columnCount():
            self.grid.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def open_cell(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Ask to show what lies behind a cell: a rating's evidence, a scorecard's summary, a competency."""
        if index.isValid():
            self._request(self.behind(index.row(), index.column()))

    def _open_current(self) -> None:
        self.open_cell(self.grid.currentIndex())

    def _open_column(self, column: int) -> None:
        self._request(self.behind(None, column))

    def _open_row(self, row: int) -> None:
        self._request(self.behind(row, None))

    def _request(self, target: Target | None) -> None:
        if target is not None:
            self.sig_target_requested.emit(target)

    def behind(self, row: int | None, column: int | None) -> Target | None:
        """What lies behind a cell, a column header (``row`` None) or a row header (``column`` None): a
        rating, a scorecard, a competency, or SUMMARIES (the Overall row); None: nothing."""
        model = self.model
        card = model.card_at(column) if column is not None else None
        if row is None:
            return Target(scorecard_id=card.scorecard_id) if card is not None else None
        comp = model.competency_at(row)
        if comp is not None:
            return Target(card.scorecard_id if card is not None else None, comp[0])
        if not model.is_overall(row):
            return None
        return Target(scorecard_id=card.scorecard_id) if card is not None else SUMMARIES
