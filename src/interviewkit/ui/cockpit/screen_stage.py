"""A recruiter's screen in the cockpit: each checklist item with what to ask, Yes / No / Unclear and a note,
saved as they are given (:func:`~interviewkit.services.screening.record_screen_answer`, off the GUI thread,
one write at a time, a note half a second after the typing stops), and Finish, which makes the answers the
record (:func:`~interviewkit.services.screening.finish_screen`). A finished screen says who finished it and
when; its interviewer (or an admin) amends an answer with a reason (Ctrl+Shift+A,
:func:`~interviewkit.services.screening.amend_screen_answer`). A panel member who has not submitted their
own scorecard sees that the screen was finished, not its answers (services/policy.screen_access).

A screen has no questions and no scorecard: this page stands in for the question pages while a screen
stage is open. It writes through ``run`` (the cockpit's :meth:`SectionWidget.write`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from interviewkit.services import screening
from interviewkit.services.context import AppContext
from interviewkit.services.errors import ServiceError, ValidationFailed
from interviewkit.services.screening import ScreenChecklist
from interviewkit.ui.cockpit.screen_amend import ScreenAmendDialog, ScreenAmendment
from interviewkit.ui.cockpit.screen_rows import ScreenRow
from interviewkit.ui.widgets.shortcuts import key_of

__all__ = ["ScreenPage"]

KEYS_HINT = (
    "Ask each item, then answer on the item: 1 or Y yes · 2 or N no · 3 or U unclear · ↑/↓ next item · "
    "Enter or Tab the note (Alt+1..3 answers from it) · Ctrl+Enter finish. Answers save as you go."
)
FINISH_TEXT = "Finish the screen (Ctrl+Enter)"
AMEND_TEXT = f"Amend an answer… ({key_of('screen_amend')})"


class Run(Protocol):
    """The cockpit's write: ``work`` off the GUI thread, then ``done`` or ``failed`` on it."""

    def __call__(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        *,
        busy: str,
        failed: Callable[[BaseException], None],
    ) -> None: ...


class ScreenPage(QWidget):
    """The open screen stage: its items to answer, what is saved, and Finish."""

    sig_status = Signal(str)
    """A save state worth the status bar ("Saved", "Not saved: …")."""

    sig_finished = Signal(int)
    """The screen was finished (its stage id)."""

    def __init__(self, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screenPage")
        self._run = run
        self._ctx: AppContext | None = None
        self.checklist: ScreenChecklist | None = None
        self.rows: list[ScreenRow] = []
        self._waiting: dict[str, tuple[str, str]] = {}  # requirement -> (answer, note) not written yet
        self._typed: set[str] = set()  # notes typed, written when the typing pauses
        self._inflight: str | None = None
        self._finishing = False
        self._current_item: str | None = None  # the item the keyboard was on last
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(500)
        self._notes_timer.timeout.connect(self._queue_typed)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(2000)
        self._retry.timeout.connect(self._next)
        self._build()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The item holding the keyboard (the row or its note) is marked; the others are not."""
        for row in self.rows:
            on = new is not None and (new is row or row.isAncestorOf(new))
            row.set_marked(on)
            if on:
                self._current_item = row.requirement_id  # the item an amendment opens on (the button takes focus)

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setProperty("role", "heading")
        self.who = QLabel(wordWrap=True)
        self.who.setProperty("role", "subtle")
        self.hint = hint = QLabel(KEYS_HINT, wordWrap=True)  # how to answer: hidden when nothing can be answered
        hint.setProperty("role", "subtle")
        self.finished_label = QLabel(wordWrap=True)
        self.finished_label.setObjectName("screenFinished")
        self.finished_label.setTextFormat(Qt.TextFormat.PlainText)
        self.finished_label.hide()
        self._rows_box = QWidget()
        self._rows_layout = QVBoxLayout(self._rows_box)
        self._rows_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._rows_box)
        self.progress = QLabel()
        self.saved_label = QLabel()
        self.saved_label.setProperty("role", "subtle")
        self.problems = QLabel(wordWrap=True)
        self.problems.setObjectName("screenProblems")
        self.problems.setProperty("state", "warning")
        self.finish_button = QPushButton(FINISH_TEXT)
        self.finish_button.setToolTip("Finish: every item needs an answer; the answers are then the record")
        self.finish_button.clicked.connect(self.finish)
        self.amend_button = QPushButton(AMEND_TEXT)
        self.amend_button.setShortcut(QKeySequence(key_of("screen_amend")))
        self.amend_button.setToolTip("Change an answer of the finished screen, with a reason (audited)")
        self.amend_button.clicked.connect(self.amend)
        self.amend_button.hide()
        self._amending: ScreenAmendDialog | None = None
        footer = QHBoxLayout()
        footer.addWidget(self.progress)
        footer.addWidget(self.saved_label, 1)
        footer.addWidget(self.amend_button)
        footer.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.who, self.finished_label, hint):
            layout.addWidget(widget)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addLayout(footer)

    # -- showing ----------------------------------------------------------------------------------------------

    @property
    def stage_id(self) -> int | None:
        return None if self.checklist is None else self.checklist.stage_id

    def show_checklist(self, ctx: AppContext, checklist: ScreenChecklist) -> None:
        """Show a screen's items and answers; editable when this person may answer and it is not finished."""
        self._ctx, self.checklist = ctx, checklist
        self._current_item = None
        self._waiting.clear()
        self._typed.clear()
        self._finishing = False
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        while self._rows_layout.count():
            self._rows_layout.takeAt(0)
        for n, item in enumerate(checklist.items, start=1):
            row = ScreenRow(n, item)
            row.sig_answered.connect(self._queue)
            row.sig_note_edited.connect(self._note_edited)
            row.sig_move.connect(lambda step, r=row: self._move(r, step))
            self._rows_layout.addWidget(row)
            self.rows.append(row)
        self._rows_layout.addStretch(1)
        self.heading.setText(f"{checklist.stage_name} · {checklist.candidate}")
        interviewer = checklist.interviewer or "nobody yet"
        self.who.setText(
            f"Stage {checklist.stage_position} · screen · {checklist.minutes} min · asked by {interviewer}. "
            "CV facts confirmed on a call: no questions and no ratings."
        )
        self.problems.setText("")
        self.saved_label.setText("")
        self._show_finished()
        self._show_progress()
        if self.rows and checklist.may_answer:
            self.rows[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_finished(self) -> None:
        c = self.checklist
        if c is None:
            return
        editable = c.may_answer and not c.finished
        for row in self.rows:
            row.set_editable(editable)
        self.finish_button.setVisible(not c.finished)
        self.finish_button.setEnabled(editable)
        self.hint.setVisible(editable)
        self.amend_button.setVisible(c.may_amend)
        self.finished_label.setVisible(c.finished or not c.may_answer)
        if c.finished and c.finished_at is not None:
            when = c.finished_at.astimezone().strftime("%d %b %Y at %H:%M")
            change = "an answer changes only by an amendment with a reason" if c.may_amend else "they no longer change"
            who = c.finished_by or "the local operator"
            text = f"✓ Finished by {who} on {when}: the answers are the record; {change}."
        else:
            text = "Read-only: only the screen's interviewer (or an admin) answers it."
        if c.answers_hidden:
            text += " " + c.answers_hidden
        self.finished_label.setText(text)

    def _show_progress(self) -> None:
        answered = sum(1 for r in self.rows if r.answer is not None)
        self.progress.setText(f"{answered} of {len(self.rows)} answered")

    def _move(self, row: ScreenRow, step: int) -> None:
        i = self.rows.index(row) + step
        if 0 <= i < len(self.rows):
            self.rows[i].setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.rows[i].ensurePolished()
            parent = self._rows_box.parentWidget()
            scroll = parent.parentWidget() if parent is not None else None
            if isinstance(scroll, QScrollArea):
                scroll.ensureWidgetVisible(self.rows[i])

    def _row(self, requirement_id: str) -> ScreenRow | None:
        return next((r for r in self.rows if r.requirement_id == requirement_id), None)

    # -- saving -----------------------------------------------------------------------------------------------

    def _note_edited(self, requirement_id: str) -> None:
        self._typed.add(requirement_id)
        self._notes_timer.start()

    def _queue_typed(self) -> None:
        typed, self._typed = self._typed, set()
        for rid in typed:
            self._queue(rid)

    def _queue(self, requirement_id: str) -> None:
        """Keep this item's answer and note to write (a note without an answer waits for one)."""
        row = self._row(requirement_id)
        self._show_progress()
        if row is None:
            return
        if row.answer is None:
            row.status.setText("Choose Yes, No or Unclear to save this note")
            return
        self._waiting[requirement_id] = (row.answer, row.note.text())
        self._next()

    def _say(self, text: str) -> None:
        self.saved_label.setText(text)
        self.sig_status.emit(text)

    def _next(self) -> None:
        """Write the next waiting answer (one at a time, so the last one given is the one kept)."""
        ctx, c = self._ctx, self.checklist
        if self._inflight is not None or ctx is None or c is None:
            return
        if not self._waiting:
            self._maybe_finish()
            return
        rid, (answer, note) = next(iter(self._waiting.items()))
        del self._waiting[rid]
        self._inflight = rid
        stage, me = c.stage_id, ctx.user_id
        self._say("Saving…")
        self._run(
            lambda: screening.record_screen_answer(ctx.db, stage, rid, answer, note, by=me),
            lambda _changes: self._saved(stage, rid),
            busy="Saving the screen's answer",
            failed=lambda exc: self._not_saved(stage, rid, (answer, note), exc),
        )

    def _saved(self, stage: int, rid: str) -> None:
        if stage != self.stage_id:
            return
        self._inflight = None
        row = self._row(rid)
        if row is not None and self._ctx is not None:
            row.status.setText("Saved")
        if not self._waiting and not self._typed:
            self._say("Saved")
        self._next()

    def _not_saved(self, stage: int, rid: str, value: tuple[str, str], exc: BaseException) -> None:
        if stage != self.stage_id:
            return
        self._inflight = None
        self._finishing = False
        if isinstance(exc, ServiceError):  # refused (finished elsewhere, no longer theirs): read it again
            self._say(f"Not saved: {exc}")
            self.problems.setText(f"⚠ Not saved: {exc}")
            return
        self._waiting.setdefault(rid, value)  # the database is busy: the retry comes
        self._say("Not saved yet: the database is busy; retrying. Keep the app open.")
        self._retry.start()

    def flush(self) -> bool:
        """Write what waits now, on this thread (the window is closing or the screen is left); True when the
        database holds every answer given here."""
        ctx, c = self._ctx, self.checklist
        self._notes_timer.stop()
        self._retry.stop()
        self._queue_typed()
        if ctx is None or c is None:
            return True
        ok = True
        for rid, (answer, note) in list(self._waiting.items()):
            try:
                screening.record_screen_answer(ctx.db, c.stage_id, rid, answer, note, by=ctx.user_id)
                del self._waiting[rid]
            except Exception:  # noqa: BLE001 - said to the caller: what is unsaved is reported, not raised
                ok = False
        return ok

    def close_checklist(self) -> bool:
        """Save what waits and stop showing the screen; True when everything given here is saved."""
        saved = self.flush()
        self._ctx, self.checklist = None, None
        self._inflight = None
        return saved

    # -- finishing --------------------------------------------------------------------------------------------

    def finish(self) -> None:
        """Ctrl+Enter: once what is typed is saved, finish the screen (or say which items lack an answer)."""
        c = self.checklist
        if c is None or c.finished or not c.may_answer or self._finishing:
            return
        self._finishing = True
        self.problems.setText("")
        self.finish_button.setEnabled(False)
        self.finish_button.setText("Finishing…")
        self._notes_timer.stop()
        self._queue_typed()
        self._next()  # _maybe_finish runs once nothing waits

    def _maybe_finish(self) -> None:
        ctx, c = self._ctx, self.checklist
        if not self._finishing or self._inflight is not None or self._waiting or ctx is None or c is None:
            return
        stage, me = c.stage_id, ctx.user_id
        self._inflight = ""  # nothing else is written meanwhile
        self._run(
            lambda: screening.finish_screen(ctx.db, stage, by=me),
            lambda _changes: self._finished(stage),
            busy="Finishing the screen",
            failed=lambda exc: self._finish_refused(stage, exc),
        )

    def _finished(self, stage: int) -> None:
        ctx = self._ctx
        if stage != self.stage_id or ctx is None:
            return
        self._inflight = None
        self._finishing = False
        self.finish_button.setText(FINISH_TEXT)
        self.show_checklist(ctx, screening.screen_checklist(ctx.db, stage, by=ctx.user_id))
        self._say("Screen finished")
        self.sig_finished.emit(stage)

    def _finish_refused(self, stage: int, exc: BaseException) -> None:
        if stage != self.stage_id:
            return
        self._inflight = None
        self._finishing = False
        self.finish_button.setText(FINISH_TEXT)
        self.finish_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.problems.setText("⚠ Before finishing:\n• " + "\n• ".join(exc.problems))
        else:
            self.problems.setText(f"⚠ Not finished: {exc}")

    # -- amending a finished screen ---------------------------------------------------------------------------

    def amend(self) -> None:
        """Ctrl+Shift+A on a finished screen: the amendment dialog, on the item the keyboard is on."""
        c = self.checklist
        if c is None or not c.may_amend or self._amending is not None:
            return
        dialog = ScreenAmendDialog(c, self._current_item, parent=self)
        self._amending = dialog
        dialog.sig_amend_requested.connect(lambda amendment: self._record_amendment(dialog, amendment))
        dialog.finished.connect(lambda _result: self._amend_closed(dialog))
        dialog.open()

    def _amend_closed(self, dialog: ScreenAmendDialog) -> None:
        if self._amending is dialog:
            self._amending = None
        dialog.deleteLater()

    def _record_amendment(self, dialog: ScreenAmendDialog, a: ScreenAmendment) -> None:
        ctx, c = self._ctx, self.checklist
        if ctx is None or c is None:
            dialog.reject()
            return
        stage, me = c.stage_id, ctx.user_id

        def refused(exc: BaseException) -> None:
            if dialog.isVisible():
                dialog.refused(exc)

        self._run(
            lambda: screening.amend_screen_answer(ctx.db, stage, a.requirement_id, a.answer, a.note,
                                                  reason=a.reason, by=me),
            lambda _changes: self._amended(dialog, stage),
            busy="Recording the amendment",
            failed=refused,
        )

    def _amended(self, dialog: ScreenAmendDialog, stage: int) -> None:
        dialog.accept()
        ctx = self._ctx
        if stage != self.stage_id or ctx is None:
            return
        self.show_checklist(ctx, screening.screen_checklist(ctx.db, stage, by=ctx.user_id))
        self._say("Amendment recorded")
