"""My interviews: the signed-in interviewer's stages, today first; Enter opens one.

A bar above the list offers to resume an interview that a crash interrupted, or whose changes are still
only in this computer's recovery journal; resuming opens it in the cockpit, which replays the journal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.context import AppContext
from interviewkit.services.interview_views import ResumeOffer, resume_offer
from interviewkit.services.loops import MyStage, my_interviews
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.shortcuts import bind_keys, key_entry
from interviewkit.ui.widgets.table import RowTable

__all__ = ["MyInterviewsModel", "MyInterviewsView", "StageRole", "when_text"]

_Index = QModelIndex | QPersistentModelIndex
StageRole = Qt.ItemDataRole.UserRole + 3
HIDDEN_SIZING_ROWS = 30
"""Rows the columns are sized from while the list is hidden (behind another section): Qt's "the rows in view"
means every row then (3,471 stages of the busiest interviewer: 111,000 ``data()`` calls on the GUI thread when a
person switch refreshed the section behind the one shown, the switch stall of issue 17)."""


def when_text(when: datetime | None, now: datetime | None = None) -> str:
    """'Today 14:00', 'Tomorrow 09:30', 'Mon 24 Nov 10:00', or 'Not scheduled' (local time)."""
    if when is None:
        return "Not scheduled"
    local = when.astimezone()
    today = (now or datetime.now().astimezone()).date()
    days = (local.date() - today).days
    clock = local.strftime("%H:%M")
    if days == 0:
        return f"Today {clock}"
    if days == 1:
        return f"Tomorrow {clock}"
    if days == -1:
        return f"Yesterday {clock}"
    return local.strftime("%a %d %b %Y %H:%M") if abs(days) > 300 else local.strftime("%a %d %b %H:%M")


class MyInterviewsModel(RowTable):
    """One row per stage of :func:`~interviewkit.services.loops.my_interviews`, in its order."""

    COLUMNS = ("When", "Candidate", "Stage", "Length", "Status")

    def __init__(self, parent: Any = None) -> None:
        self._when: dict[int, str] = {}
        super().__init__(parent)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self._when = {}  # a row's 'When' text, made once (strftime is slow on thousands of rows)
        super().set_rows(rows)

    def _when_of(self, m: MyStage) -> str:
        text = self._when.get(m.stage_id)
        if text is None:
            text = self._when[m.stage_id] = when_text(m.scheduled_at)
        return text

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m: MyStage = self.row_at(index.row())
        col = index.column()
        if role == StageRole:
            return m
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self._when_of(m)
            if col == 1:
                return f"{m.candidate} · {m.opening}"
            if col == 2:
                return f"{m.position} of {m.stage_count}: {m.stage_name}"
            return f"{m.minutes} min" if col == 3 else m.status.capitalize()
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return f"{m.candidate} · {m.opening}"
        if role == Qt.ItemDataRole.FontRole and col == 0 and self._when_of(m).startswith("Today"):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def row_of_stage(self, stage_id: int) -> int:
        return next((i for i, m in enumerate(self.rows()) if m.stage_id == stage_id), -1)


class MyInterviewsView(SectionWidget):
    """The interviewer's own stages. Opening one starts or resumes its scorecard."""

    title = "My interviews"
    watches = frozenset({"scorecards", "loops", "candidates", "openings", "people", "erased"})

    sig_open_requested = Signal(int)
    """The interviewer asked to open a stage (its id)."""

    sig_resume_requested = Signal(int)
    """The interviewer chose to resume an interrupted scorecard (its stage id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myInterviews")
        self._ctx: AppContext | None = None
        self._resume_stage: int | None = None
        self._later: int | None = None  # the stage whose offer the person put off ("Later")
        self._focus_wanted = False  # entered while reading: the list takes the focus once it is shown
        self.model = MyInterviewsModel(self)
        self.table = self._build_table()
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.open_button = QPushButton(f"Open interview ({key_entry('open_interview').label})")
        self.open_button.setEnabled(False)
        self.resume_bar = self._build_resume_bar()
        self._build_layout()
        for first, second in pairwise((self.table, self.resume_button, self.dismiss_button, self.open_button)):
            self.setTabOrder(first, second)  # Tab from the list reaches Resume (when shown), then Later
        self.table.activated.connect(self._open)  # a double click; Enter is the registry's (open_interview)
        bind_keys(self.table, "open_interview", lambda: self._open(self.table.currentIndex()))
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.open_button.setEnabled(cur.isValid())
        )
        self.resume_button.clicked.connect(self._resume)
        self.dismiss_button.clicked.connect(self._put_off)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("myInterviewsTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setTabKeyNavigation(False)  # whole rows: Tab leaves the list (for Resume), it does not step cells
        table.verticalHeader().hide()
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(0)  # the rows in view (see HIDDEN_SIZING_ROWS): hundreds froze the window
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        return table

    def _build_resume_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("resumeBar")
        self.resume_label = QLabel(wordWrap=True)
        self.resume_button = QPushButton("&Resume")
        enter = key_entry("resume_interview").label
        self.resume_button.setToolTip(f"Resume this interview where it stopped ({enter}, or Alt+R)")
        bind_keys(self.resume_button, "resume_interview", self._resume)  # outside a dialog a button takes only Space
        self.dismiss_button = QPushButton("Later")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 6, 8, 6)
        row.addWidget(self.resume_label, 1)
        row.addWidget(self.resume_button)
        row.addWidget(self.dismiss_button)
        bar.hide()
        return bar

    def _build_layout(self) -> None:
        heading = QLabel(self.title)
        heading.setProperty("role", "heading")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(heading)
        layout.addWidget(self.resume_bar)
        layout.addWidget(self.stack, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        """Read the list and the offer to resume again (off the GUI thread), keeping the stage selected (else
        the first)."""
        if self._ctx is None or self._ctx.user_id is None:
            self.cancel_loads()
            self.model.set_rows([])
            self.empty.setText("Choose who you are (File → Switch person) to see your interviews.")
            self.stack.setCurrentWidget(self.empty)
            self.resume_bar.hide()
            return
        db, user = self._ctx.db, self._ctx.user_id
        if self.model.rowCount() == 0:
            self.empty.setText("Reading your interviews…")
            self.stack.setCurrentWidget(self.empty)
        self.fetch(lambda: (my_interviews(db, user), resume_offer(db, user)), self._show)

    def _size_columns_from_rows_in_view(self) -> None:
        """Size the columns from the rows in view when the list shows, from the first few while it is hidden."""
        shown = self.table.isVisible()
        self.table.horizontalHeader().setResizeContentsPrecision(0 if shown else HIDDEN_SIZING_ROWS)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self._size_columns_from_rows_in_view()
        super().showEvent(event)

    def _show(self, read: tuple[list[MyStage], ResumeOffer | None]) -> None:
        stages, offer = read
        current = self.table.currentIndex().data(StageRole)
        self._size_columns_from_rows_in_view()
        self.model.set_rows(stages)
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
            row = self.model.row_of_stage(current.stage_id) if current is not None else -1
            self.table.selectRow(max(row, 0))
            if self._focus_wanted:  # the screen was entered while it read: the list takes the focus now
                self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.empty.setText(
                "No interviews are assigned to you yet.\nA coordinator assigns stages in Loops (Ctrl+2)."
            )
            self.stack.setCurrentWidget(self.empty)
        self._focus_wanted = False
        self._show_offer(offer)

    def _show_offer(self, offer: ResumeOffer | None) -> None:
        self._resume_stage = None if offer is None else offer.stage_id
        if offer is None or offer.stage_id == self._later:
            self.resume_bar.hide()
            return
        self.resume_label.setText(offer.text)
        self.resume_bar.show()

    def _open(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.isValid():
            return
        stage: MyStage = self.model.row_at(index.row())
        self.sig_open_requested.emit(stage.stage_id)
        self.host.navigate("cockpit", stage.stage_id)

    def _put_off(self) -> None:
        """Later: the offer goes until another interview is the one to resume (or the app starts again)."""
        self._later = self._resume_stage
        self.resume_bar.hide()

    def _resume(self) -> None:
        if self._resume_stage is not None:
            self.resume_bar.hide()
            self.sig_resume_requested.emit(self._resume_stage)
            self.host.navigate("cockpit", self._resume_stage)

    def focus_search(self) -> bool:
        self.table.setFocus()
        return True

    def focus_entry(self) -> None:
        """On entry the list has the focus (Enter opens the selected interview); Tab reaches Resume."""
        target = self.table if self.stack.currentWidget() is self.table else self.resume_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus_wanted = self.loading and target is not self.table
