"""How reliable each competency's score will be with the loop as planned, one line per competency (issue 18).

The lines come from :func:`~interviewkit.services.loop_reliability.loop_reliability`, read again whenever the
loop is shown (after every edit of its stages and on change events); activating a line shows the first
stage that rates the competency.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QTabWidget, QVBoxLayout, QWidget

from interviewkit.ui.loops.models import IdRole, Note, NoteListModel
from interviewkit.ui.widgets.delegates import WrapDelegate

if TYPE_CHECKING:  # the statistics behind it import in ~0.5 s: not on the GUI thread
    from interviewkit.services.loop_reliability import ReliabilityRow

__all__ = ["ReliabilityPanel", "coverage_tabs", "reliability_notes"]

INTRO = (
    "How consistently each competency's score would come out if other interviewers met the candidate "
    "(0: chance, 1: always the same), with the interviewers this loop gives it and with one more. "
    "Point at a line for what it rests on."
)

_STATE = {"history": "", "short": "warning", "published": "info"}


def reliability_notes(rows: Sequence[ReliabilityRow]) -> list[Note]:
    """The panel's lines: the row's words, an icon for what it rests on (a rough history warns, a published
    figure informs), what it rests on as the tooltip, and the first stage that rates it."""
    return [
        Note(row.text, _STATE.get(row.basis, ""), row.detail, stage_id=row.plan.stage_ids[0], key=row.competency)
        for row in rows
        if row.plan.stage_ids
    ]


class ReliabilityPanel(QWidget):
    """One line per competency the loop rates: its interviewers, the reliability of its score, one more."""

    sig_stage_requested = Signal(int)
    """The user activated a competency's line: show the first stage that rates it (its id)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loopReliability")
        self.intro = QLabel(INTRO, wordWrap=True)
        self.intro.setProperty("role", "subtle")
        self.model = NoteListModel(self)
        self.view = QListView()
        self.view.setObjectName("reliabilityList")
        self.view.setAccessibleName("Reliability of each competency's score")
        self.view.setModel(self.model)
        self.view.setItemDelegate(WrapDelegate(self.view))
        self.view.setUniformItemSizes(False)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        self.view.activated.connect(self._on_activated)
        self.view.clicked.connect(self._on_activated)

    def clear(self) -> None:
        self.model.set_notes([])

    def show_rows(self, rows: Sequence[ReliabilityRow], *, has_stages: bool = True) -> None:
        """Show the loop's lines; with none, say why (no stage yet, or no stage rates a competency)."""
        notes = reliability_notes(rows)
        if not notes:
            text = (
                "No interview stage rates a competency yet: tick a stage's focus to see how reliable its score will be."
                if has_stages
                else "This loop has no stages yet."
            )
            notes = [Note(text, "info")]
        self.model.set_notes(notes)

    def texts(self) -> list[str]:
        return self.model.texts()

    def line_of(self, competency: str) -> str | None:
        """The line shown for a competency id, if any."""
        return next((n.text for n in self.model.notes() if n.key == competency), None)

    def _on_activated(self, index: QModelIndex) -> None:
        stage_id = index.data(IdRole) if index.isValid() else None
        if stage_id is not None:
            self.sig_stage_requested.emit(int(stage_id))


def coverage_tabs(coverage: QWidget, reliability: ReliabilityPanel) -> QTabWidget:
    """Under the stages: the loop's coverage, and the reliability of its scores, one tab each."""
    tabs = QTabWidget()
    tabs.setObjectName("loopBottomTabs")
    tabs.setDocumentMode(True)
    tabs.addTab(coverage, "C&overage")
    tabs.addTab(reliability, "Relia&bility of scores")
    return tabs
