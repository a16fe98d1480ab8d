"""Scorecard files from other machines: File → Import scorecards…, or dropped anywhere on the window."""

from __future__ import annotations

import operator
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox, QWidget

from interviewkit.services.changes import NO_CHANGES
from interviewkit.ui.widgets.file_dialogs import get_open_file_names

if TYPE_CHECKING:
    from interviewkit.services.exchange import ImportResult
    from interviewkit.ui.shell.section import Host
    from interviewkit.ui.shell.session import Session

__all__ = ["ScorecardImports", "scorecard_paths"]


def scorecard_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The .json files of a drag."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() == ".json"]


class ScorecardImports(QObject):
    """Imports scorecard files (off the GUI thread), then says, file by file, what happened."""

    def __init__(self, window: QWidget, session: Session, host: Host) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self._host = host
        self.last: list[ImportResult] = []  # what happened to each file of the last import
        self.box: QMessageBox | None = None

    def drag_enter(self, event: QDragEnterEvent) -> None:
        """Take a drag of scorecard files (for someone who may import them)."""
        if self._session.ctx is not None and scorecard_paths(event) and self._session.may("import_data"):
            event.acceptProposedAction()
        else:
            event.ignore()

    def drop(self, event: QDropEvent) -> None:
        paths = scorecard_paths(event)
        if not paths or self._session.ctx is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_files(paths)

    def choose(self) -> None:
        files, _ = get_open_file_names(
            self._window, "Import scorecards from other machines", "", "InterviewKit scorecards (*.json);;All files (*)"
        )
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        ctx = self._session.ctx
        if ctx is None:
            return
        if not self._session.may("import_data"):
            self._host.notify(
                "Only coordinators, hiring managers and admins may import scorecards (File → Switch person).", 10000
            )
            return

        def work() -> list[ImportResult]:
            # The database layer loads here, once the window shows (tests/test_architecture.py).
            from interviewkit.services.exchange import import_files

            return import_files(ctx.db, paths, by=ctx.user_id, settings=ctx.settings)

        self._host.run(work, self._show, busy=f"Importing {len(paths)} scorecard file(s)")

    def _show(self, results: list[ImportResult]) -> None:
        self.last = results
        counts = {status: sum(r.status == status for r in results) for status in ("imported", "unchanged", "refused")}
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        self._host.notify(f"Scorecard files: {summary}", 10000)
        changes = reduce(operator.or_, (r.changes for r in results), NO_CHANGES)
        if changes:
            self._host.broadcast(changes)
        icon = QMessageBox.Icon.Warning if counts["refused"] else QMessageBox.Icon.Information
        box = QMessageBox(
            icon,
            "Scorecards imported" if not counts["refused"] else "Some files were refused",
            f"{len(results)} file(s): {summary}.",
            parent=self._window,
        )
        box.setDetailedText("\n".join(f"{Path(r.path).name}: {r.status}. {r.message}" for r in results))
        box.setInformativeText("\n".join(f"{Path(r.path).name}: {r.message}" for r in results[:8]))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.box = box
        box.open()
