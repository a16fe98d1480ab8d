"""Erase a candidate's personal data: a confirmation that names the candidate and says what goes and what stays.

Only admins see the action (People → Candidates → "Erase personal data…"); the service checks again. The
destructive button is not the default one: Enter in the reason field does nothing until a reason is given,
Esc cancels. The dialog does not erase: the People screen does, off the GUI thread, and tells it the outcome.

After the erasure the dialog removes the old copies of the erased text (services/privacy.py): on an SQLite
file it rebuilds the file and empties its log, which has to wait while another copy of the app is reading.
:class:`CleanupProgress` shows that wait in seconds, with a bar up to the limit and "Stop waiting"; the
window never freezes (each try is one checkpoint that does not wait). What is left afterwards, where and
until when, is said in words; when nothing is left and there is nothing to tell, the dialog just closes.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.context import AppContext
from interviewkit.services.errors import ServiceError, ValidationFailed
from interviewkit.services.people import CandidateInfo
from interviewkit.services.privacy import (
    Cleanup,
    compact,
    erased_label,
    erasure_preview,
    finish_pending_compaction,
    pending_words,
)
from interviewkit.ui.widgets.forms import ProblemForm, grow_to_fit

__all__ = ["CleanupProgress", "EraseCandidateDialog"]

WAIT_SECONDS = 30
"""How long the dialogs wait for other copies of the app to let go of the database (the CLI's --wait)."""


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CleanupProgress(QWidget):
    """After an erasure: the erased text's old copies, and the wait for other copies of the app to let go.

    :meth:`start` takes the erasure's :class:`~interviewkit.services.privacy.Cleanup` (made without
    compacting) and returns True when nothing is left to wait for. Otherwise it tries every quarter second,
    shows "Waiting for other copies of InterviewKit to let go of the database: N s" with a bar up to
    :data:`WAIT_SECONDS`, and "Stop waiting" ends it early; :attr:`sig_finished` then says whether the
    erased text is gone (True) or still in the file's log (False, and :attr:`message` says until when).
    """

    sig_finished = Signal(bool)
    """The wait is over: True if no erased text is left in the database file and its log."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, wait: int = WAIT_SECONDS) -> None:
        super().__init__(parent)
        self._db = ctx.db
        self._wait = wait
        self._since: datetime | None = None
        self.message = QLabel()
        self.message.setObjectName("cleanupMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar()
        self.bar.setObjectName("cleanupProgress")
        self.bar.setRange(0, wait)
        self.bar.setFormat("%v s")
        self.bar.setAccessibleName("Seconds waited for other copies of InterviewKit")
        self.stop_button = QPushButton("&Stop waiting")
        self.stop_button.setObjectName("cleanupStop")
        self.stop_button.setAutoDefault(False)
        self.stop_button.setToolTip("Leave the rest to the next start of InterviewKit or the next command")
        self.stop_button.clicked.connect(self.stop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignRight)
        self.bar.hide()
        self.stop_button.hide()
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._try)
        self.said: list[str] = []

    @property
    def waiting(self) -> bool:
        return self._timer.isActive()

    def start(self, cleanup: Cleanup) -> bool:
        """Begin with what the erasure did; True when it is all done (nothing to wait for)."""
        said = []
        if cleanup.backups_deleted:
            names = ", ".join(cleanup.backups_deleted)
            said.append(
                f"Deleted the pre-migration backup{'s' if len(cleanup.backups_deleted) > 1 else ''} {names} "
                "beside the database file: they held the erased data as it was."
            )
        if cleanup.pending:  # a team database: the administrator's part
            said.append(cleanup.pending[0].upper() + cleanup.pending[1:] + ".")
        self.said = said
        if not self._db.is_sqlite or cleanup.compacted:
            self.message.setText(" ".join(said))
            return True
        done = compact(self._db, wait=0)
        if done.done:
            self.message.setText(" ".join(said))
            return True
        self._since = done.pending_since
        self._clock.start()
        self.bar.setValue(0)
        self.bar.show()
        self.stop_button.show()
        self._show_wait(0)
        self._timer.start()
        return False

    def _show_wait(self, seconds: int) -> None:
        self.bar.setValue(min(seconds, self._wait))
        waiting = (
            "The personal data is erased. Removing the erased text from the database file: waiting for "
            f"other copies of InterviewKit to let go of the database: {seconds} s"
        )
        self.message.setText(" ".join([*self.said, waiting]))

    def _try(self) -> None:
        seconds = self._clock.elapsed() // 1000
        if finish_pending_compaction(self._db):
            self._finish(True)
        elif seconds >= self._wait:
            self.stop()
        else:
            self._show_wait(int(seconds))

    def stop(self) -> None:
        """Stop waiting: the next opening of the database finishes it (and says so)."""
        if self._timer.isActive():
            self._finish(False)

    def _finish(self, done: bool) -> None:
        self._timer.stop()
        self.bar.hide()
        self.stop_button.hide()
        if done:
            tail = "No erased text is left in the database file or its log."
        else:
            since = self._since
            words = pending_words(self._db, since) if since is not None else "the erased text is still in the file"
            tail = f"Another copy of InterviewKit is still reading the database, so {words}."
        self.message.setText(" ".join([*self.said, tail]))
        self.sig_finished.emit(done)


class EraseCandidateDialog(QDialog):
    """Confirm, with a reason; the screen erases. :attr:`sig_saved` carries the candidate as stored afterwards.

    "Erase personal data" hands the reason to the screen (:attr:`sig_submitted`), which runs the erasure off
    the GUI thread and answers with :meth:`done_erasing` (the dialog then shows what became of the old copies)
    or :meth:`refuse` (it says why and stays open).
    """

    sig_submitted = Signal()
    """Erase, with a reason (:meth:`reason_text`): the screen erases the candidate's personal data."""

    sig_saved = Signal(object)
    """The candidate's personal data was erased (the CandidateInfo as it is now)."""

    def __init__(self, ctx: AppContext, candidate: CandidateInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.candidate = candidate
        self.saved: CandidateInfo | None = None
        self.erasing = False
        self.setWindowTitle("Erase personal data")
        self.setObjectName("eraseCandidateDialog")
        self.setMinimumWidth(520)
        self.fields = erasure_preview(ctx.db, candidate.id, by=ctx.user_id)
        self._build_text()
        self._build_form()
        self.cleanup = CleanupProgress(ctx, self)
        self.cleanup.hide()
        self.cleanup.sig_finished.connect(self._cleaned)
        self._lay_out()
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)

    def _build_text(self) -> None:
        candidate = self.candidate
        self.heading = QLabel()
        self.heading.setObjectName("eraseHeading")
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setText(f"Erase {candidate.name}’s personal data?")
        self.who = QLabel(f"Candidate {candidate.id} · {candidate.opening_title}")
        self.who.setProperty("role", "subtle")
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        items = "".join(f"<li>{_esc(f)}</li>" for f in self.fields)
        self.goes = QLabel(f"<b>What goes, everywhere in the database:</b><ul style='margin-top:2px'>{items}</ul>")
        self.goes.setObjectName("eraseGoes")
        self.goes.setWordWrap(True)
        self.goes.setTextFormat(Qt.TextFormat.RichText)
        self.stays = QLabel(
            f"<b>What stays:</b> ratings, recommendations and the decision’s outcome, under "
            f"“{_esc(erased_label(candidate.id))}”, so interviewer calibration is unchanged.<br><br>"
            "<b>This cannot be undone.</b> The audit trail records who erased the data, when and why, "
            "but not the data."
        )
        self.stays.setWordWrap(True)
        self.stays.setTextFormat(Qt.TextFormat.RichText)

    def _build_form(self) -> None:
        self.reason = QLineEdit(placeholderText="e.g. Requested by the candidate by email on 30 Nov")
        self.reason.setAccessibleName("Reason for the erasure")
        self.form = ProblemForm()
        self.form.add_row("&Reason:", self.reason, hint="Recorded in the audit trail; do not repeat the name.")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton("&Erase personal data", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.setObjectName("eraseButton")
        self.erase_button.setAutoDefault(False)
        self.erase_button.setEnabled(False)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip("Close without erasing anything (Esc)")
        self.erase_button.clicked.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda t: self.erase_button.setEnabled(bool(t.strip()) and not self.erasing))

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        for widget in (self.heading, self.who, self.goes, self.stays, self.form, self.cleanup):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.reason, self.erase_button)
        self.setTabOrder(self.erase_button, self.cancel_button)

    def reason_text(self) -> str:
        return self.reason.text()

    def accept(self) -> None:
        """Erase (once there is a reason): the screen does it; after the erasure the button closes."""
        if self.saved is not None:
            self._close()
            return
        if not self.erase_button.isEnabled() or self.erasing:
            return
        self._set_erasing(True)
        self.sig_submitted.emit()

    def done_erasing(self, cleanup: Cleanup, candidate: CandidateInfo) -> None:
        """Erased (``candidate`` as stored now): say what became of the old copies, or close."""
        self._set_erasing(False)
        self.saved = candidate
        self.sig_saved.emit(candidate)
        for widget in (self.goes, self.stays, self.form):
            widget.hide()
        self.cleanup.show()
        if self.cleanup.start(cleanup) and not self.cleanup.message.text():
            self._close()
            return
        self._show_result(waiting=self.cleanup.waiting)

    def refuse(self, exc: BaseException) -> None:
        """Refused (no reason, no right, already erased): say why and stay open."""
        self._set_erasing(False)
        problems = (
            list(exc.problems)
            if isinstance(exc, ValidationFailed)
            else [str(exc) if isinstance(exc, ServiceError) else f"Unexpected error: {exc}"]
        )
        self.form.show_problems(problems)
        grow_to_fit(self)

    def _set_erasing(self, on: bool) -> None:
        self.erasing = on
        self.erase_button.setText("Erasing…" if on else "&Erase personal data")
        self.erase_button.setEnabled(not on and bool(self.reason.text().strip()))
        self.cancel_button.setEnabled(not on)

    def _show_result(self, *, waiting: bool) -> None:
        """The dialog after the erasure: what became of the old copies; one button that closes."""
        self.cancel_button.hide()
        self.erase_button.setText("&Close")
        self.erase_button.setEnabled(not waiting)
        self.erase_button.setDefault(not waiting)
        if waiting:
            self.cleanup.stop_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.erase_button.setFocus(Qt.FocusReason.OtherFocusReason)
        grow_to_fit(self)

    def _cleaned(self, done: bool) -> None:
        if done and not self.cleanup.said:
            self._close()
        else:
            self._show_result(waiting=False)

    def _close(self) -> None:
        super().accept()

    def reject(self) -> None:
        """Esc or Cancel; while it waits for other copies, Esc stops waiting first (the rest is pending); while
        the erasure runs, Esc waits for it."""
        if self.erasing:
            return
        if self.cleanup.waiting:
            self.cleanup.stop()
            return
        if self.saved is not None:
            self._close()
            return
        super().reject()
