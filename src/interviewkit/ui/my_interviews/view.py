"""My interviews: the signed-in interviewer's stages, today first; Enter opens one.

A bar above the list offers to resume an interview that a crash interrupted, or whose changes are still
only in this computer's recovery journal; resuming opens it in the cockpit, which replays the journal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
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

from interviewkit.ui.shell.section import SectionWidget

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext
    from interviewkit.services.loops import MyStage
    from interviewkit.services.recovery import Pending
    from interviewkit.services.scorecards import Interrupted

__all__ = ["MyInterviewsModel", "MyInterviewsView", "when_text"]

_Index = QModelIndex | QPersistentModelIndex
StageRole = Qt.ItemDataRole.UserRole + 3
COLUMNS = ("When", "Candidate", "Stage", "Length", "Status")


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


class MyInterviewsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MyStage] = []

    def set_rows(self, rows: Sequence[MyStage]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m = self._rows[index.row()]
        col = index.column()
        if role == StageRole:
            return m
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                when_text(m.scheduled_at),
                f"{m.candidate} · {m.opening}",
                f"{m.position} of {m.stage_count}: {m.stage_name}",
                f"{m.minutes} min",
                m.status.capitalize(),
            )[col]
        if role == Qt.ItemDataRole.FontRole and col == 0 and when_text(m.scheduled_at).startswith("Today"):
            font = QFont()
            font.setBold(True)
            return font
        return None


class MyInterviewsView(SectionWidget):
    """The interviewer's own stages. Opening one starts or resumes its scorecard."""

    title = "My interviews"
    watches = frozenset({"scorecards", "loops", "candidates", "people", "erased"})

    sig_open_requested = Signal(int)
    """The interviewer asked to open a stage (its id)."""

    sig_resume_requested = Signal(int)
    """The interviewer chose to resume an interrupted scorecard (its stage id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myInterviews")
        self._ctx: AppContext | None = None
        self.model = MyInterviewsModel(self)
        self.table = QTableView()
        self.table.setObjectName("myInterviewsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.open_button = QPushButton("Open interview (Enter)")
        self.open_button.setEnabled(False)

        self.resume_bar = QWidget()
        self.resume_bar.setObjectName("resumeBar")
        self.resume_label = QLabel()
        self.resume_button = QPushButton("Resume")
        self.dismiss_button = QPushButton("Later")
        bar = QHBoxLayout(self.resume_bar)
        bar.setContentsMargins(8, 6, 8, 6)
        bar.addWidget(self.resume_label, 1)
        bar.addWidget(self.resume_button)
        bar.addWidget(self.dismiss_button)
        self.resume_bar.hide()
        self._interrupted: list[Interrupted] = []
        self._resume_stage: int | None = None

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

        self.table.activated.connect(self._open)
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        self.table.selectionModel().currentRowChanged.connect(
            lambda cur, _prev: self.open_button.setEnabled(cur.isValid())
        )
        self.resume_button.clicked.connect(self._resume)
        self.dismiss_button.clicked.connect(self.resume_bar.hide)

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        from interviewkit.services.loops import my_interviews
        from interviewkit.services.scorecards import interrupted_scorecards

        if self._ctx is None or self._ctx.user_id is None:
            self.model.set_rows([])
            self.empty.setText("Choose who you are (File → Switch person) to see your interviews.")
            self.stack.setCurrentWidget(self.empty)
            self.resume_bar.hide()
            return
        rows = my_interviews(self._ctx.db, self._ctx.user_id)
        self.model.set_rows(rows)
        if rows:
            self.stack.setCurrentWidget(self.table)
            self.table.selectRow(0)
        else:
            self.empty.setText(
                "No interviews are assigned to you yet.\nA coordinator assigns stages in Loops (Ctrl+2)."
            )
            self.stack.setCurrentWidget(self.empty)
        self._interrupted = interrupted_scorecards(self._ctx.db, self._ctx.user_id)
        journalled = {p.scorecard_id: p for p in self._pending_journals()}
        self._resume_stage = None
        if self._interrupted:
            it = self._interrupted[0]
            text = (
                f"⟲ An interview was interrupted. Resume {it.candidate}, Stage {it.stage_position} "
                f"({it.stage_name}), question {it.question_position + 1} of {it.question_count}?"
            )
            if it.scorecard_id in journalled:
                what = journalled[it.scorecard_id].what
                text += f" {what[:1].upper()}{what[1:]} typed on this computer will be added to the database."
            self._resume_stage = it.stage_id
        elif journalled:
            p = list(journalled.values())[-1]
            text = (
                f"⟲ {p.what[:1].upper()}{p.what[1:]} typed on this computer for {p.candidate}, Stage "
                f"{p.stage_position} ({p.stage_name}) have not reached the database yet. "
                "Resume the interview to add them?"
            )
            self._resume_stage = p.stage_id
        if self._resume_stage is not None:
            self.resume_label.setText(text)
            self.resume_bar.show()
        else:
            self.resume_bar.hide()

    def _pending_journals(self) -> list[Pending]:
        """This person's journals on this computer whose changes the database does not hold yet."""
        from interviewkit.services import recovery

        if self._ctx is None or self._ctx.user_id is None:
            return []
        try:
            return recovery.pending_journals(recovery.journal_dir(), self._ctx.db, self._ctx.user_id)
        except OSError:
            return []  # no journal folder: nothing was kept here

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        stage = index.data(StageRole) or self.model.index(index.row(), 0).data(StageRole)
        self.sig_open_requested.emit(stage.stage_id)
        self.host.navigate("cockpit", stage.stage_id)

    def _resume(self) -> None:
        if self._resume_stage is not None:
            self.resume_bar.hide()
            self.sig_resume_requested.emit(self._resume_stage)
            self.host.navigate("cockpit", self._resume_stage)

    def focus_search(self) -> bool:
        self.table.setFocus()
        return True
