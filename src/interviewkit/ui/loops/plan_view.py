"""The question plan of a stage as a list whose rows are reordered by dragging them (and by Alt+Up / Alt+Down,
which the stage editor handles)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from interviewkit.ui.loops.models import PlanModel

__all__ = ["PlanListView"]


class PlanListView(QListView):
    """The question plan: rows are reordered by dragging them; nothing from outside can be dropped."""

    sig_reordered = Signal()
    """The user dropped rows in a new place (the model already holds the new order)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def startDrag(self, supported_actions: Qt.DropAction) -> None:  # noqa: N802 - Qt override
        # Our own drag: the drop moves rows in the model, so nothing must be removed afterwards
        # (QAbstractItemView would remove the source rows after a MoveAction).
        indexes = self.selectedIndexes()
        if not indexes:
            return
        drag = QDrag(self)
        drag.setMimeData(self.model().mimeData(indexes))
        drag.exec(Qt.DropAction.MoveAction)

    def _accepts(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return bool(PlanModel.rows_in(event.mimeData())) and event.source() in (self, None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._accepts(event):
            super().dragEnterEvent(event)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        if self._accepts(event):
            super().dragMoveEvent(event)  # draws the drop indicator between rows
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def drop_row_at(self, pos: QPoint) -> int:
        """The row a drop at ``pos`` (viewport coordinates) lands before: above or below the row under it."""
        index = self.indexAt(pos)
        if not index.isValid():
            return self.model().rowCount()
        rect = self.visualRect(index)
        return index.row() + (1 if pos.y() > rect.center().y() else 0)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        model = self.model()
        rows = PlanModel.rows_in(event.mimeData()) if self._accepts(event) else []
        at = self.drop_row_at(event.position().toPoint())
        moved = bool(rows) and isinstance(model, PlanModel) and model.move_rows_to(rows, at)
        if rows:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if moved:
            self.sig_reordered.emit()
