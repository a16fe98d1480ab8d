"""The live interview cockpit: the section that shows one scorecard (:class:`.screen.CockpitScreen`) and
runs its writes.

Opening an interview, submitting it, amending a submitted one and adding a question run through
:meth:`~interviewkit.ui.shell.section.SectionWidget.write`: off the GUI thread, with a busy label. Typing
goes on meanwhile (a submission alone stops it, for the moment it takes, so that nothing typed after it is
lost). A refused write leaves everything as it was, and says why where the interviewer is looking: on the
finish page, in the amendment dialog, or under the header.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from interviewkit.services import scorecards as svc
from interviewkit.services import screening
from interviewkit.services.changes import Changes, changes_of
from interviewkit.services.context import AppContext
from interviewkit.services.errors import ScorecardLocked, ServiceError, SubmitRejected
from interviewkit.services.scorecards import ScorecardState
from interviewkit.services.screening import ScreenChecklist
from interviewkit.ui.cockpit.amend import AmendDialog, Amendment
from interviewkit.ui.cockpit.early_keys import EarlyKeys
from interviewkit.ui.cockpit.editing import QuestionAdded, QuestionEditing, in_words
from interviewkit.ui.cockpit.keys import follow_finish_page, make_actions
from interviewkit.ui.cockpit.screen_stage import ScreenPage
from interviewkit.ui.cockpit.timing import format_clock
from interviewkit.ui.widgets.pdf_preview import PdfOptions, preview_and_save, safe_file_name

__all__ = ["CockpitView", "QuestionAdded", "format_clock"]


class CockpitView(QuestionEditing):
    """The live interview screen for one scorecard."""

    title = "Interview"
    watches = frozenset({"scorecards", "erased"})  # a submitted scorecard shown may be amended elsewhere

    sig_shown = Signal(str, str)
    """A scorecard is shown (its navigation label, e.g. "▶ Priya N.", and a tooltip)."""

    sig_closed = Signal(int)
    """The interviewer left the cockpit (scorecard id; 0 for a screen); everything was saved."""

    sig_submitted = Signal(int)
    """The scorecard was submitted (scorecard id)."""

    sig_amended = Signal(int)
    """The submitted scorecard shown was amended (scorecard id)."""

    sig_export_requested = Signal(int)
    """The user asked for this scorecard as a PDF (Export scorecard PDF…, Ctrl+P); notes are saved first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._amending = False  # an amendment is being recorded
        self.early_keys = EarlyKeys(self)  # what is typed while an interview opens, for its notes
        self.screen_page = ScreenPage(self._screen_write)
        self.pages.addWidget(self.screen_page)
        self.screen_page.sig_status.connect(self.sig_save_status)
        self.screen_page.sig_finished.connect(lambda _stage: self._show_in_navigation())
        self.actions_list = make_actions(self, self)
        follow_finish_page(self.actions_list, self.pages, self.finish_page)  # Ctrl+1..9 recommend there only
        self.finish_page.submit_button.clicked.connect(self.submit)
        self.finish_page.amend_button.clicked.connect(self.amend)

    def menu_actions(self) -> list[QAction]:
        """Actions for the window's Interview menu (rating shortcuts are left out of the menu)."""
        return [a for a in self.actions_list if not a.text().startswith(("Rate ", "Recommend "))]

    @property
    def busy(self) -> bool:
        """Whether a write of this screen is running."""
        return self.submitting or self._adding or self._amending

    # -- the section ----------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        if ctx is not self._context and (self._state is not None or self.screen_page.checklist is not None):
            self.close_scorecard()  # another database, or another person: this scorecard is let go
        self._context = ctx

    def show_target(self, target: object) -> None:
        """Open a stage's scorecard (a link from My interviews)."""
        if isinstance(target, int):
            self.open_stage(target)

    def refresh(self) -> None:
        """A submitted scorecard shown is read again when it changed elsewhere (an amendment); a draft is
        this window's own and is left as typed."""
        state, ctx = self._state, self._ctx
        if state is None or ctx is None or not state.locked or self.busy:
            return
        try:
            again = svc.scorecard_state(ctx.db, state.id, by=ctx.user_id)
        except ServiceError:
            return  # no longer readable by this person: what is shown stays until they leave
        if again.revision != state.revision:
            self.load(ctx, again)

    def focus_entry(self) -> None:
        """Shown: a screen stage's first item, a draft's notes, else the first widget that takes Tab."""
        rows = self.screen_page.rows
        if self.pages.currentWidget() is self.screen_page and rows:
            rows[0].setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._state is not None and not self._state.locked and self.pages.currentWidget() is self.interview_page:
            self.focus_notes()
        else:
            super().focus_entry()

    def _show_in_navigation(self) -> None:
        """Say the scorecard is shown (the window lists it in the navigation) and put the cursor in the notes."""
        state, screen = self._state, self.screen_page.checklist
        if state is None and screen is not None:
            label = f"{'✓' if screen.finished else '▶'} {screen.candidate}"
            self.sig_shown.emit(label, f"{screen.candidate}: {screen.stage_name}")
            return
        if state is None:
            return
        label = f"✓ {state.candidate}" if state.locked else f"▶ {state.candidate}"
        self.sig_shown.emit(label, f"{state.candidate}: {state.stage_name}")
        if not state.locked:
            self.focus_notes()

    def close_scorecard(self, *, release: bool = True) -> None:
        """Save and let go of the scorecard (the next start will not offer to resume it), or of the screen."""
        if self.screen_page.checklist is not None:
            self._close_screen()
        if self._state is None:
            return
        card = self._state.id
        self._let_go(release=release)
        self._state = None
        self.sig_closed.emit(card)

    # -- opening --------------------------------------------------------------------------------------------

    def open_stage(self, stage_id: int, *, take_over: bool = False) -> None:
        """Start or resume the scorecard of a stage (off the GUI thread); another window holding it is asked
        about first."""
        ctx = self._context or self._ctx
        if ctx is None or ctx.user_id is None:
            return
        shown = self._state.stage_id if self._state is not None else self.screen_page.stage_id
        if shown == stage_id:
            self._show_in_navigation()
            return
        me = ctx.user_id

        def work() -> ScorecardState | ScreenChecklist:
            if screening.is_screen(ctx.db, stage_id):  # a checklist to answer, not a scorecard
                return screening.screen_checklist(ctx.db, stage_id, by=me)
            card: ScorecardState = svc.open_scorecard(ctx.db, stage_id, me, ctx.instance_id, take_over=take_over)
            return card

        def opened(state: ScorecardState | ScreenChecklist) -> None:
            if isinstance(state, ScreenChecklist):
                self._show_screen(ctx, state)
            else:
                self._close_screen()
                self.load(ctx, state)
            self._show_in_navigation()
            self._type_early_keys()

        self.early_keys.start(self.window())  # typing goes on while the scorecard is read: for its notes
        self.write(
            work,
            opened,
            failed=lambda exc: self._open_refused(stage_id, exc),
            busy="Opening the interview",
        )

    def _type_early_keys(self) -> None:
        """What was typed while the interview opened goes into the notes of the question shown (a draft's);
        a submitted scorecard or a screen stage drops it."""
        if self._state is not None and not self.frozen and self.pages.currentWidget() is self.interview_page:
            self.early_keys.deliver(self.notes)
        else:
            self.early_keys.stop()

    def _open_refused(self, stage_id: int, exc: BaseException) -> None:
        self.early_keys.stop()
        if not isinstance(exc, ScorecardLocked) or exc.owner is None:
            self.warn("Cannot open the interview", f"Not opened: {in_words(exc)}.")
            return
        box = QMessageBox(QMessageBox.Icon.Warning, "Open elsewhere", str(exc), parent=self.window())
        take = box.addButton("Take over here", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is take:
            self.open_stage(stage_id, take_over=True)

    # -- a screen stage ---------------------------------------------------------------------------------------

    def _show_screen(self, ctx: AppContext, checklist: ScreenChecklist) -> None:
        """Show a screen stage's checklist in place of the question pages (a scorecard shown is let go)."""
        if self._state is not None:
            self.close_scorecard()
        self._close_screen()
        self._ctx = ctx
        self.header.hide()
        self.screen_page.show_checklist(ctx, checklist)
        self.pages.setCurrentWidget(self.screen_page)

    def _close_screen(self) -> None:
        """Save the screen's last answers and stop showing it."""
        stage = self.screen_page.stage_id
        if stage is None:
            return
        if not self.screen_page.close_checklist():
            self.sig_save_status.emit("Some answers of the screen were not saved: the database did not answer.")
        self.header.show()
        self.pages.setCurrentWidget(self.interview_page)
        self.sig_closed.emit(0)

    def _screen_write(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        *,
        busy: str,
        failed: Callable[[BaseException], None],
    ) -> None:
        self.write(work, done, busy=busy, failed=failed)

    # -- the PDF ----------------------------------------------------------------------------------------------

    def export_pdf(self) -> bool:
        """The scorecard as a PDF, with a preview, once what is typed is in the database."""
        if self._state is None or self._ctx is None or self._saving is None:
            return False
        self._record_times()
        card = self._state.id
        self._saving.when_saved(lambda ok: self._export_saved(card, ok))
        return True

    def export(self) -> None:
        """Export scorecard PDF… (Ctrl+P): save what is typed, then preview the PDF of this scorecard."""
        self.export_pdf()

    def _export_saved(self, card: int, ok: bool) -> None:
        ctx, state = self._ctx, self._state
        if ctx is None or state is None or state.id != card:
            return
        if not ok:
            self.header.show_notice(
                "Not exported yet: the last notes have not reached the database (it is busy). Try again in a moment."
            )
            return
        self.sig_export_requested.emit(card)

        def write(path: Path, options: PdfOptions) -> None:
            # Deferred on purpose: the PDF printer (Qt's printing and the document layout) loads on the first export.
            from interviewkit.pdf.exports import export_scorecard_pdf

            export_scorecard_pdf(
                ctx.db,
                card,
                path,
                settings=ctx.settings,
                viewer_id=ctx.user_id,
                page_size=options.page_size,
                hide_names=options.hide_names,
            )

        dialog = preview_and_save(
            self.window(),
            f"Scorecard · {state.candidate} · {state.stage_name}",
            write,
            suggested_name=safe_file_name(f"scorecard {state.candidate} {state.stage_name}"),
            settings=self.host.settings,
        )
        dialog.sig_saved.connect(lambda path: self.host.notify(f"Saved {path}"))

    # -- submitting -------------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Ctrl+Enter on the finish page: save what is typed, then submit, or show what is missing."""
        state, ctx = self._state, self._ctx
        if state is None and self.screen_page.checklist is not None:
            self.screen_page.finish()
            return
        if state is None or ctx is None or ctx.user_id is None or self._read_only or self.submitting:
            return
        if self.pages.currentWidget() is not self.finish_page:
            self.finish()
            return
        if self._adding:
            self.finish_page.show_problems(["A question is being added; submit again in a moment."])
            return
        self._record_times()
        self._push(elapsed_seconds=self.times.elapsed())
        self._set_submitting("saving")
        card = state.id
        assert self._saving is not None
        self._saving.when_saved(lambda ok: self._submit_saved(card, ok))

    def _set_submitting(self, phase: str) -> None:
        """Enter a phase of the submission ("" when it is over): editing waits, the button says what runs."""
        self._submit_phase = phase
        self.finish_page.set_busy({"saving": "Saving", "submitting": "Submitting"}.get(phase))
        self._apply_editable()
        if phase:
            self.tick.stop()
        elif not self._read_only:
            self.tick.start()

    def _submit_saved(self, card: int, ok: bool) -> None:
        ctx = self._ctx
        if ctx is None or ctx.user_id is None or not self._is_shown(card) or self._submit_phase != "saving":
            return
        if not ok:
            self._set_submitting("")
            self.finish_page.show_problems(
                ["Not submitted: this window can no longer save this scorecard (see above)."]
                if self._read_only
                else ["Not saved yet: the database is busy. Try again in a moment."]
            )
            return
        self._set_submitting("submitting")
        if self._saving is not None:
            self._saving.seal()  # the database holds everything: a late autosave would be refused
        me = ctx.user_id
        self.write(
            lambda: svc.submit(ctx.db, card, me, ctx.settings),
            self._submitted,
            failed=lambda exc: self._submit_refused(card, exc),
            busy="Submitting the scorecard",
        )

    def _submitted(self, state: ScorecardState) -> None:
        if self._ctx is None or not self._is_shown(state.id):
            return
        self.load(self._ctx, state)  # read-only now; the journal goes, the draft's last saves are announced
        self.sig_submitted.emit(state.id)
        self.host.notify("Scorecard submitted. It is now locked; later changes are amendments.")
        self._show_in_navigation()

    def _submit_refused(self, card: int, exc: BaseException) -> None:
        if not self._is_shown(card):
            return
        self._set_submitting("")
        if self._saving is not None:
            self._saving.seal(False)
        if isinstance(exc, SubmitRejected):
            self.finish_page.show_problems(exc.problems, "Before submitting:")
        else:
            self.finish_page.show_problems([f"Not submitted: {in_words(exc)}."])

    # -- amending ---------------------------------------------------------------------------------------------

    def amend(self) -> None:
        """Open the amendment dialog for a submitted scorecard."""
        state, ctx = self._state, self._ctx
        if state is None or ctx is None or not state.locked or self._amending:
            return
        dialog = AmendDialog(ctx, state, parent=self)
        dialog.sig_amend_requested.connect(lambda amendment: self._record_amendment(dialog, amendment))
        dialog.rejected.connect(lambda: None if self._amending else dialog.deleteLater())  # else when it is done
        dialog.open()

    def _record_amendment(self, dialog: AmendDialog, a: Amendment) -> None:
        state, ctx = self._state, self._ctx
        if state is None or ctx is None:
            dialog.reject()
            return
        card, actor = state.id, ctx.user_id or state.interviewer_id
        self._amending = True

        def amended(new: ScorecardState) -> None:
            self._amending = False
            dialog.accept()
            dialog.deleteLater()
            if self._is_shown(card):
                self.load(ctx, new)
                self.sig_amended.emit(card)
                self._show_in_navigation()
            if changes_of(new) is None:  # until services.scorecards.amend reports what it changed
                self.announce(Changes.of(scorecards=[card]))

        def refused(exc: BaseException) -> None:
            self._amending = False
            if dialog.isVisible():
                dialog.refused(exc)
            else:
                dialog.deleteLater()  # cancelled meanwhile: nothing was recorded

        self.write(
            lambda: svc.amend(
                ctx.db,
                card,
                actor,
                reason=a.reason,
                ratings=a.ratings,
                recommendation=a.recommendation,
                summary=a.summary,
                ticks=a.ticks,
                settings=ctx.settings,
            ),
            amended,
            failed=refused,
            busy="Recording the amendment",
        )
