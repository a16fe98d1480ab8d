"""Where the cockpit's work goes, and the quiet words that say so.

:class:`DraftSaving` holds the shown scorecard's recovery journal and its
:class:`~interviewkit.ui.cockpit.autosave.Autosaver`: every change goes to the journal at once and to the
database soon after. It says where the work is ("Saving…", "Saved", "Saved locally, will sync", "Not
saved: …") and tells the cockpit when the scorecard can no longer be written from this window (taken
over, submitted elsewhere), after setting what was not saved aside on this computer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from interviewkit.services import recovery
from interviewkit.services import scorecards as svc
from interviewkit.services.context import AppContext
from interviewkit.services.errors import ServiceError
from interviewkit.services.recovery import Journal, Opened
from interviewkit.services.scorecards import DraftChanges, ScorecardState
from interviewkit.ui.cockpit.autosave import Autosaver

__all__ = ["DraftSaving", "open_journal"]

SAVING = "Saving…"
SAVED = "Saved"
AWAY = "Saved locally, will sync"
NOT_SAVED = "Not saved"


def open_journal(ctx: AppContext, state: ScorecardState) -> tuple[Opened | None, str]:
    """This scorecard's recovery journal, with what crashed windows left in theirs; and, when the journal
    folder cannot be used (the cockpit then saves to the database only), the words that say so."""
    if ctx.user_id is None:
        return None, ""
    folder = recovery.journal_dir()
    try:
        return recovery.open_journal(folder, ctx.db, state, ctx.user_id, ctx.instance_id, writable=not state.locked), ""
    except OSError as exc:
        return None, (
            f"No copy of this interview is kept on this computer ({folder}: {exc.strerror or exc}); "
            "changes go to the database only."
        )


class DraftSaving(QObject):
    """The journal and the autosaver of one scorecard; ``writable`` false (a submitted scorecard): only the
    journal's closing."""

    sig_label = Signal(str, str)
    """The cockpit's quiet save text changed (text, tooltip)."""

    sig_status = Signal(str)
    """A save state worth the status bar ("Saved", "Saved locally, will sync", "Not saved: …")."""

    sig_kept = Signal(str)
    """Work was kept on this computer rather than saved (or could not be): where, in words to show."""

    sig_refused = Signal(str)
    """The scorecard can no longer be written from this window (the reason); nothing more is saved."""

    def __init__(
        self,
        ctx: AppContext,
        state: ScorecardState,
        journal: Journal | None,
        *,
        writable: bool,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._journal = journal
        self._away = False  # the database kept a write waiting, or refused it: the journal holds the work
        self._text = ""
        self._sealed = False  # being submitted: the database holds everything, nothing more is written
        self.autosaver: Autosaver | None = None
        if writable:
            db, card, inst, me = ctx.db, state.id, ctx.instance_id, ctx.user_id
            self.autosaver = Autosaver(
                lambda ch: svc.save_draft(db, card, inst, ch, by=me).revision, journal=journal, parent=self
            )
            self.autosaver.sig_saved.connect(self._saved)
            self.autosaver.sig_failed.connect(self._failed)
            self.autosaver.sig_waiting.connect(self._waiting)
            self.autosaver.sig_saved_locally.connect(self._saved_locally)

    @property
    def journal(self) -> Journal | None:
        return self._journal

    @property
    def writable(self) -> bool:
        return self.autosaver is not None

    @property
    def dirty(self) -> bool:
        return self.autosaver is not None and self.autosaver.dirty

    # -- saving ---------------------------------------------------------------------------------------------

    def seal(self, on: bool = True) -> None:
        """The scorecard is being submitted (``on``), or its submission was refused (``False``). While sealed,
        changes are neither journalled nor written: the submission holds the last saved state, and a draft
        change written after it would be refused ("changes now need an amendment") and said as a false
        alarm. Whatever an unsealing finds pending is saved as usual."""
        self._sealed = on

    def push(self, changes: DraftChanges) -> None:
        """Keep a change: in the journal now, in the database soon (not while sealed)."""
        if self.autosaver is None or self._sealed:
            return
        self.autosaver.push(changes)
        if not self._away and not self._text.startswith(NOT_SAVED):
            self._say(SAVING, tell=False)  # "Saved locally, will sync" stays: the journal has it within 0.5 s

    def recover(self, opened: Opened) -> None:
        """Save what crashed windows journalled and the database lacks (already in this window's journal)."""
        if self.autosaver is None or opened.recovered is None:
            return
        self.autosaver.push(opened.recovered, journalled=opened.recovered_seq)
        what = recovery.describe_changes(opened.recovered)
        self._say(f"Recovered {what} typed on this computer that had not reached the database; saving…")

    def when_saved(self, then: Callable[[bool], None]) -> None:
        """``then(True)`` once the database holds every change so far, ``then(False)`` if it refused them."""
        if self.autosaver is None:
            then(True)
        else:
            self.autosaver.when_saved(then)

    def flush(self) -> bool:
        """Write everything now and wait (before leaving or quitting); True when the database holds it."""
        return True if self.autosaver is None else self.autosaver.flush()

    def close(self) -> bool:
        """Save, stop, and close the journal: removed when the database holds everything, else kept for
        the next opening of this scorecard to replay. True when the database holds everything."""
        saved = True
        if self.autosaver is not None:
            if self._sealed:
                self.autosaver.discard()  # submitted: nothing typed after it belongs to the draft
            saved = self.autosaver.close()
            self.autosaver.deleteLater()
            self.autosaver = None
        if self._journal is not None:
            self._journal.close(remove=saved)
            self._journal = None
        if not saved:
            self.sig_status.emit(
                "Saved on this computer only: it is added to the database when you open this interview again."
            )
        return saved

    # -- what the autosaver says ------------------------------------------------------------------------------

    def _say(self, text: str, tooltip: str = "", *, tell: bool = True) -> None:
        self._text = text
        self.sig_label.emit(text, tooltip)
        if tell:
            self.sig_status.emit(text)

    def _saved(self, _when: float) -> None:
        if self.autosaver is not None and not self.autosaver.dirty:
            self._away = False
            self._say(SAVED)

    def _saved_here(self) -> bool:
        j = self._journal
        return j is not None and j.error is None and j.durable_seq >= j.last_seq

    def _show_away(self) -> None:
        """The database is busy or unreachable: say where the work is."""
        if self._saved_here():
            assert self._journal is not None
            self._say(
                AWAY,
                f"The database has not answered yet. Everything typed is kept on this computer "
                f"({self._journal.path}) and is added to the database as soon as it answers.",
            )
        elif self._journal is not None and self._journal.error is None:
            self._say(SAVING)
        else:
            self._say(
                "Not saved yet: the database is busy; retrying. Keep the app open: what you typed is only "
                "in this window."
            )

    def _waiting(self) -> None:
        if self.autosaver is not None:
            self._away = True
            self._show_away()

    def _saved_locally(self, _seq: int) -> None:
        if self._away and self.autosaver is not None and self.autosaver.dirty:
            self._show_away()

    def _failed(self, exc: Any) -> None:
        if not isinstance(exc, ServiceError):  # the database is busy or away: the retry comes
            self._away = True
            self._show_away()
            return
        # Taken over, submitted elsewhere, no longer this person's: nothing more can be saved from here.
        self._away = False
        self.sig_refused.emit(str(exc))
        if self.autosaver is not None:
            self.autosaver.discard()  # (what waited for the save is told it did not happen)
        kept = self._set_aside(str(exc))
        if kept:
            self.sig_kept.emit(kept)
        self._say(f"{NOT_SAVED}: {exc}", str(exc))

    def _set_aside(self, reason: str) -> str:
        """Keep what this window could not save (the journal moves to journal/kept); the words to show."""
        journal, self._journal = self._journal, None
        if journal is None:
            return ""
        try:
            kept = journal.set_aside(reason)
        except OSError as exc:
            return f"What you typed since the last save could not be kept on this computer ({exc.strerror or exc})."
        return "" if kept is None else kept.message
