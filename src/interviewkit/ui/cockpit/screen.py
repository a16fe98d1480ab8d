"""The cockpit's screen for one scorecard, without its writes: question, notes, ratings, clocks, saving.

Everything the interviewer types is kept by :class:`~interviewkit.ui.cockpit.saving.DraftSaving`: in the
scorecard's recovery journal on this computer first and in the database soon after; nothing here asks to
be confirmed. Showing a scorecard replays what a crashed window left in its journal.

The screen is assembled from its parts: the header (:mod:`.header`), the question with the notes
(:mod:`.question_panel`), the ratings (:mod:`.ratings`), the finish page (:mod:`.finish`) and the keys
(:mod:`.keys`). :class:`~interviewkit.ui.cockpit.cockpit.CockpitView` adds the section's side and the
writes (opening, submitting, amending, adding a question).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from interviewkit.services import recovery
from interviewkit.services import scorecards as svc
from interviewkit.services.changes import Changes
from interviewkit.services.context import AppContext
from interviewkit.services.interview_views import ticks_suggestion
from interviewkit.services.recovery import Journal, overlay
from interviewkit.services.scorecards import AskedState, DraftChanges, ScorecardState
from interviewkit.ui.cockpit.finish import FinishPage
from interviewkit.ui.cockpit.header import CockpitHeader
from interviewkit.ui.cockpit.keys import KEYS_HINT, ShortcutsWin
from interviewkit.ui.cockpit.question_panel import QuestionPanel
from interviewkit.ui.cockpit.ratings import RatingPanel
from interviewkit.ui.cockpit.saving import DraftSaving, open_journal
from interviewkit.ui.cockpit.timing import InterviewClock
from interviewkit.ui.shell.section import SectionWidget

__all__ = ["CockpitScreen"]


class CockpitScreen(SectionWidget):
    """One scorecard on screen, typed into and kept; the base of the cockpit section."""

    sig_save_status = Signal(str)
    """A short text for the status bar ("Saved", "Saved locally, will sync", "Not saved: …")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cockpit")
        self._ctx: AppContext | None = None  # the database of the scorecard shown
        self._context: AppContext | None = None  # the open database
        self._state: ScorecardState | None = None
        self._saving: DraftSaving | None = None
        self._index = 0
        self._notes: dict[int, str] = {}
        self._ticks: dict[int, tuple[int, ...]] = {}  # asked id -> evidence items ticked (as typed here)
        self._read_only = False
        self._submit_phase = ""  # "saving" (waiting for the autosave), "submitting" (the write runs), or ""
        self.times = InterviewClock()
        self.header = CockpitHeader()
        self.question = QuestionPanel()
        self.ratings = RatingPanel()
        self.finish_page = FinishPage()
        # The editors and the save text by their short names (scripts and benchmarks drive them).
        self.notes = self.question.notes
        self.summary = self.finish_page.summary
        self.saved_label = self.header.saved_label
        self._build_pages()
        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self._shortcuts = ShortcutsWin(self)  # the cockpit's shortcuts win over the editors' own
        for editor in (self.notes, self.summary, self.question.evidence):
            editor.installEventFilter(self._shortcuts)
        self._connect()

    def _build_pages(self) -> None:
        self.interview_page = QWidget()
        keys_hint = QLabel(KEYS_HINT, wordWrap=True)
        keys_hint.setProperty("role", "subtle")
        self.interview_layout = QVBoxLayout(self.interview_page)
        self.interview_layout.setContentsMargins(0, 6, 0, 0)
        self.interview_layout.addWidget(self.question, 1)
        self.interview_layout.addWidget(self.ratings)
        self.interview_layout.addWidget(keys_hint)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.interview_page)
        self.pages.addWidget(self.finish_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 8)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, 1)

    def _connect(self) -> None:
        self.tick.timeout.connect(self._on_tick)
        self.notes.textChanged.connect(self._on_notes_changed)
        self.question.evidence.sig_ticked.connect(self._on_ticked)
        self.summary.textChanged.connect(self._on_summary_changed)
        self.ratings.sig_changed.connect(self._on_rating_changed)
        self.ratings.sig_hovered.connect(self._show_anchor)
        self.finish_page.rec_group.idClicked.connect(self._on_recommendation)
        self.finish_page.back_button.clicked.connect(self.back_to_questions)

    # -- showing a scorecard --------------------------------------------------------------------------------

    def load(self, ctx: AppContext, state: ScorecardState) -> None:
        """Show a scorecard. A draft starts (or resumes) its clock; a submitted one is read-only."""
        if self._state is not None:
            self._let_go(release=self._state.id != state.id)
        self.header.clear()
        opened, problem = open_journal(ctx, state)
        if opened is not None and opened.recovered is not None:
            state = overlay(state, opened.recovered)  # show what was typed before the crash
        self._ctx, self._state = ctx, state
        self._read_only = state.locked
        self._submit_phase = ""
        self._notes = {q.asked_id: q.notes for q in state.questions}
        self._ticks = {q.asked_id: q.evidence_ticks for q in state.questions}
        self.times.reset(
            state.elapsed_seconds, {q.asked_id: q.seconds_spent for q in state.questions}, running=not state.locked
        )
        self._index = min(max(state.current_position, 0), max(len(state.questions) - 1, 0))
        self._saving = DraftSaving(
            ctx, state, opened.journal if opened else None, writable=not state.locked, parent=self
        )
        self._saving.sig_label.connect(self.header.set_saved)
        self._saving.sig_status.connect(self.sig_save_status)
        self._saving.sig_kept.connect(self._tell_kept)
        self._saving.sig_refused.connect(self._refused_here)
        self._saving.sig_refused.connect(self.header.show_refused)  # a banner, not the quiet save text
        self._show_card(ctx, state)
        if problem:
            self._tell_kept(problem)
        if opened is not None and opened.kept:
            self._tell_kept(" ".join(k.message for k in opened.kept))
        if opened is not None:
            self._saving.recover(opened)
        if not state.locked:
            self.tick.start()

    def _show_card(self, ctx: AppContext, state: ScorecardState) -> None:
        scale = ctx.settings.scale
        self.ratings.show_card(state, scale.levels, dict(scale.labels), watch=self._shortcuts)
        self.finish_page.set_recommendations(ctx.settings.recommendations, state.recommendation)
        self.summary.blockSignals(True)
        self.summary.setPlainText(state.summary)
        self.summary.blockSignals(False)
        self.finish_page.set_busy(None)
        self.finish_page.set_submitted(state.locked)
        self._apply_editable()
        self.header.show_card(state)
        self.header.set_saved("Submitted: read-only" if state.locked else "")
        if state.locked:
            self.finish_page.audit_view.show_for(ctx, state)
        self.pages.setCurrentWidget(self.interview_page)
        self._show_question()
        if state.locked:
            self.finish()
        else:
            self.focus_notes()

    def _apply_editable(self) -> None:
        """Editors, ratings and buttons take changes unless the scorecard is read-only or being submitted."""
        on = not self.frozen
        self.notes.setReadOnly(not on)
        self.question.set_evidence_editable(on, submitted=self._state is not None and self._state.locked)
        self.ratings.set_editable(on)
        if self._state is not None and not self._state.locked:
            self.finish_page.set_editable(on)

    @property
    def submitting(self) -> bool:
        """Whether the scorecard shown is being submitted (its last changes saved, then the submission)."""
        return bool(self._submit_phase)

    @property
    def frozen(self) -> bool:
        """Whether changes are refused now: the scorecard is read-only here, or its submission is running."""
        return self._read_only or self.submitting

    def _tell_kept(self, message: str) -> None:
        self.header.show_kept(message)
        self.sig_save_status.emit(message)

    def _refused_here(self, _reason: str) -> None:
        """The database refuses this window's changes (taken over, submitted elsewhere): read-only now."""
        self._read_only = True
        self.tick.stop()
        self._apply_editable()

    # -- letting go -------------------------------------------------------------------------------------------

    def _let_go(self, *, release: bool) -> None:
        """Save everything and stop keeping the scorecard shown: its journal is removed when the database
        holds everything (else kept for the next opening to replay); ``release`` lets another window take
        it. The other screens are told that a draft changed (the autosaves were this screen's own writes)."""
        state, ctx = self._state, self._ctx
        saving = self._saving
        if state is None or saving is None:
            return
        self.tick.stop()
        if self._submit_phase == "saving":
            self._submit_phase = ""  # not submitted after all: what is typed is saved as a draft
        self.flush()
        saved = saving.close()
        self._saving = None
        saving.deleteLater()
        self.times.stop()
        if saved and release and ctx is not None and not self._read_only:
            self._release(ctx, state.id)
        if not state.locked:
            self.announce(Changes.of(scorecards=[state.id]))

    @staticmethod
    def _release(ctx: AppContext, card: int) -> None:
        """Let other windows take the scorecard. Done here rather than off the GUI thread: the window may be
        closing, and the lock must go before the process does (one short UPDATE)."""
        try:
            svc.release(ctx.db, card, ctx.instance_id)
        except Exception as exc:
            if not recovery.is_database_error(exc):
                raise
            # Still held: the next start offers to resume it, which does no harm.

    def flush(self) -> bool:
        """Write everything now and wait (before leaving or quitting); True when the database holds it."""
        if self._saving is None:
            return True
        self._record_times()
        self._push(elapsed_seconds=self.times.elapsed())
        return self._saving.flush()

    # -- questions --------------------------------------------------------------------------------------------

    def current(self) -> AskedState | None:
        """The question shown, with the evidence ticked in this window."""
        if self._state is None or not self._state.questions:
            return None
        q = self._state.questions[self._index]
        ticks = self._ticks.get(q.asked_id, q.evidence_ticks)
        return q if ticks == q.evidence_ticks else replace(q, evidence_ticks=ticks)

    def _labels(self) -> dict[int, str]:
        return dict(self._ctx.settings.scale.labels) if self._ctx is not None else {}

    def _show_question(self) -> None:
        q = self.current()
        self.question.show_question(q, self._notes.get(q.asked_id, "") if q else "", self._labels())
        self.header.show_position(self._index, len(self._state.questions) if self._state else 0)
        self.ratings.set_suggestion(ticks_suggestion(q, self._labels()) if q else "")
        self._update_clock()

    def _show_anchor(self, level: int) -> None:
        q = self.current()
        if q is not None:
            self.question.show_anchor(q, self._labels(), level)

    def _record_times(self) -> None:
        """Close the current question's running time and keep it."""
        q = self.current()
        if q is None or self.frozen:
            return
        total = self.times.leave(q.asked_id)
        if total is not None:
            self._push(seconds={q.asked_id: total})

    def go_to(self, index: int) -> None:
        if self._state is None or not self._state.questions or self.submitting:
            return
        index = max(0, min(index, len(self._state.questions) - 1))
        if index == self._index:
            return
        self._record_times()
        self._index = index
        self.header.clear_notice()
        self._show_question()
        self._push(current_position=index)

    def next_question(self) -> None:
        self.go_to(self._index + 1)

    def previous_question(self) -> None:
        self.go_to(self._index - 1)

    def focus_notes(self) -> None:
        self.pages.setCurrentWidget(self.interview_page)
        self.notes.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_checklist(self) -> None:
        """Ctrl+E: the cursor in the evidence checklist (↑/↓ move, Space or a digit ticks; Ctrl+J back)."""
        if self.pages.currentWidget() is self.finish_page:
            self.back_to_questions()
        if self.question.evidence_box.isVisible():
            self.question.evidence.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _on_ticked(self, ticked: tuple[int, ...]) -> None:
        """An evidence item was ticked or unticked: kept with the draft like the notes; the suggestion beside
        the rating follows (the rating itself is left as the interviewer gave it)."""
        q = self.current()
        if q is None or self.frozen:
            return
        self._ticks[q.asked_id] = tuple(sorted(ticked))
        self.ratings.set_suggestion(ticks_suggestion(self.current() or q, self._labels()))
        self._push(ticks={q.asked_id: tuple(sorted(ticked))})

    # -- ratings and recommendation ---------------------------------------------------------------------------

    def move_focus_row(self, step: int) -> None:
        self.ratings.move_focus(step)

    def rate(self, level: int) -> None:
        """Alt+number: rate the focused competency (Alt+0: not assessed)."""
        row = self.ratings.focused()
        if self.frozen or row is None or self._ctx is None:
            return
        if level and level not in self._ctx.settings.scale.levels:
            return
        given = row.toggle(level)
        self._show_anchor(level if given else -1)

    def recommend(self, number: int) -> None:
        """Ctrl+number: choose the overall recommendation (1 = the first, e.g. Strong no)."""
        button = self.finish_page.rec_group.button(number)
        if self.frozen or button is None:
            return
        button.setChecked(True)
        self._on_recommendation(number)

    def _on_rating_changed(self, competency_id: str) -> None:
        row = self.ratings.row(competency_id)
        if row is not None:
            self._push(ratings={competency_id: row.state()})

    def _on_recommendation(self, button_id: int) -> None:
        rec = self.finish_page.recommendation(button_id)
        if rec is not None:
            self._push(recommendation=rec)

    def _on_summary_changed(self) -> None:
        self._push(summary=self.summary.toPlainText())

    def _on_notes_changed(self) -> None:
        q = self.current()
        if q is None or self.frozen:
            return
        text = self.notes.toPlainText()
        self._notes[q.asked_id] = text
        self._push(notes={q.asked_id: text})

    # -- time and saving --------------------------------------------------------------------------------------

    def _on_tick(self) -> None:
        self._update_clock()
        self._push()  # every push carries the clocks

    def _update_clock(self) -> None:
        if self._state is None:
            return
        q = self.current()
        self.header.show_time(
            self._state, self._index, self.times.elapsed(), self.times.question_seconds(q.asked_id if q else None)
        )

    def _push(self, **fields: Any) -> None:
        """Keep a change (with the clocks, so a crash loses at most the time since the last save)."""
        if self._saving is None or self.frozen:
            return
        fields.setdefault("elapsed_seconds", self.times.elapsed())
        q = self.current()
        if q is not None and self.times.running:
            fields.setdefault("seconds", {}).setdefault(q.asked_id, self.times.question_seconds(q.asked_id))
        self._saving.push(DraftChanges(**fields))

    # -- finishing --------------------------------------------------------------------------------------------

    def finish(self) -> None:
        """F10: review ratings, choose a recommendation, write the summary."""
        if self._state is None:
            return
        self._record_times()
        self.finish_page.take_ratings(self.ratings)
        self.ratings.set_for_question(False)
        self.pages.setCurrentWidget(self.finish_page)
        self.finish_page.show_problems([])
        if self.submitting or self._read_only:
            return
        checked = self.finish_page.rec_group.checkedButton()
        (checked or self.summary).setFocus()

    def back_to_questions(self) -> None:
        self.interview_layout.insertWidget(1, self.ratings)
        self.ratings.set_for_question(True)
        self.pages.setCurrentWidget(self.interview_page)
        self.focus_notes()

    def escape(self) -> None:
        """Esc: from the finish page back to the questions."""
        if self.pages.currentWidget() is self.finish_page:
            self.back_to_questions()

    @property
    def state(self) -> ScorecardState | None:
        return self._state

    @property
    def journal(self) -> Journal | None:
        """This scorecard's recovery journal on this computer (None when read-only or unavailable)."""
        return None if self._saving is None else self._saving.journal
