"""File → Import job description…: opens the dialog for the open database, checks what it read against the
database (a document already there must be replaced on purpose) and suggests bank questions for each
requirement, then saves what the review table shows. Every database call runs through the window's ``run``
(off the GUI thread); the save's changes reach every screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from interviewkit.bank.jd import ParsedJD
from interviewkit.bank.suggest import ThesaurusError
from interviewkit.services.context import AppContext
from interviewkit.services.errors import ServiceError
from interviewkit.services.jd import (
    AlreadyImported,
    SavedJD,
    Suggestion,
    already_imported,
    save_reviewed_jd,
    suggest_for_texts,
)
from interviewkit.ui.jd_import.dialog import JDImportDialog

if TYPE_CHECKING:
    from interviewkit.ui.shell.section import Host

__all__ = ["JDImportCommand"]


class JDImportCommand(QObject):
    """The dialog's link to the database: reads, checks, suggestions and the save, each through ``host.run``."""

    def __init__(self, window: QWidget, ctx: Callable[[], AppContext | None], host: Host) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = ctx
        self._host = host
        self.dialog: JDImportDialog | None = None
        self.last_saved: SavedJD | None = None

    def open(self) -> JDImportDialog | None:
        """Show the dialog (one at a time); None when no database is open."""
        if self._ctx() is None:
            return None
        if self.dialog is None:
            self.dialog = JDImportDialog(self._window, self._host.run)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self.dialog.destroyed.connect(self._forget)
            self.dialog.sig_read.connect(self._check)
            self.dialog.sig_save.connect(self._save)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _forget(self) -> None:
        self.dialog = None

    def _check(self, jd: ParsedJD) -> None:
        """Is it in the database already? Which bank questions fit each requirement?"""
        ctx = self._ctx()
        if ctx is None:
            return

        def work() -> tuple[AlreadyImported | None, list[Suggestion]]:
            return already_imported(ctx.db, jd), suggest_for_texts(ctx.db, jd, bank_dir=ctx.bank_dir)

        self._host.run(work, lambda found: self._checked(jd, *found), busy="Finding bank questions", failed=self._quiet)

    def _checked(self, jd: ParsedJD, found: AlreadyImported | None, suggestions: list[Suggestion]) -> None:
        dialog = self.dialog
        if dialog is None or dialog.model.document is None:
            return
        if found is not None:
            dialog.offer_replace(str(found))
        dialog.show_suggestions({s.requirement.text: s for s in suggestions})

    def _quiet(self, exc: BaseException) -> None:
        if self.dialog is not None:
            text = str(exc) if isinstance(exc, ThesaurusError | ServiceError) else "the bank could not be read"
            self.dialog.say(f"No suggestions: {text}")

    def _save(self, request: tuple[ParsedJD, bool]) -> None:
        jd, replace_existing = request
        ctx = self._ctx()
        if ctx is None:
            return
        self._host.run(
            lambda: save_reviewed_jd(ctx.db, jd, by=ctx.user_id, replace_existing=replace_existing),
            self._saved,
            busy="Saving the job description",
            failed=self._failed,
        )

    def _saved(self, result: SavedJD) -> None:
        self.last_saved = result
        words = "; ".join(result.messages) or "nothing changed"
        self._host.notify(f"Job description '{result.id}' saved: {words}.", 10000)
        if self.dialog is not None:
            self.dialog.accept()

    def _failed(self, exc: BaseException) -> None:
        if self.dialog is None:
            return
        if isinstance(exc, AlreadyImported):
            self.dialog.offer_replace(str(exc))
            self.dialog.save_failed("Not saved: the document is in the database already (tick the box to replace it).")
        elif isinstance(exc, ServiceError):
            self.dialog.save_failed(f"Not saved: {exc}")
        else:
            raise exc
