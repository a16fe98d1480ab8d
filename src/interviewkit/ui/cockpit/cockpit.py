"""The live interview cockpit: one question at a time, timer and pacing, notes, anchored ratings.

Everything the interviewer does is pushed to an :class:`Autosaver`, which puts it in the scorecard's
recovery journal on this computer first and in the database soon after; nothing here asks to be
confirmed. Opening a scorecard replays what a crashed window left in its journal. The interview ends with
F10, which shows the finish panel (ratings with evidence, recommendation, summary, submit).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.cockpit.autosave import Autosaver
from interviewkit.ui.shell.section import SectionWidget

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext
    from interviewkit.services.recovery import Journal, Opened
    from interviewkit.services.scorecards import AskedState, DraftChanges, RatingState, ScorecardState

__all__ = ["CockpitView", "format_clock"]

NA = 0  # the button id of "not assessed"


def format_clock(seconds: float) -> str:
    """m:ss, or h:mm:ss past an hour."""
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class _RatingRow(QWidget):
    """One focus competency: [1][2][3][4][n/a], a reason when not assessed, an evidence note."""

    sig_changed = Signal(str)
    """The rating of this competency changed (its id)."""

    sig_hovered = Signal(int)
    """The level under the cursor (0 for none)."""

    def __init__(self, competency_id: str, name: str, levels: tuple[int, ...], labels: dict[int, str]) -> None:
        super().__init__()
        self.competency_id = competency_id
        self.setObjectName(f"rating-{competency_id}")
        self.name_label = QLabel(name)
        self.name_label.setFixedWidth(290)
        self.name_label.setToolTip(name)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 2, 6, 2)
        row.addWidget(self.name_label)
        self.buttons: dict[int, QToolButton] = {}
        for level in (*levels, NA):
            b = QToolButton()
            b.setText(str(level) if level else "n/a")
            b.setCheckable(True)
            b.setProperty("role", "rating")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setToolTip(f"{level}: {labels.get(level, '')} (Alt+{level})" if level else "Not assessed, with a reason (Alt+0)")
            b.installEventFilter(self)
            self.group.addButton(b, level)
            self.buttons[level] = b
            row.addWidget(b)
        self.reason = QLineEdit(placeholderText="Why not assessed?")
        self.reason.setAccessibleName(f"Reason {name} was not assessed")
        self.reason.hide()
        self.evidence = QLineEdit(placeholderText="Evidence (optional)")
        self.evidence.setAccessibleName(f"Evidence for {name}")
        row.addWidget(self.reason, 2)
        row.addWidget(self.evidence, 3)
        self.group.idClicked.connect(self._clicked)
        self.reason.textEdited.connect(lambda _t: self.sig_changed.emit(self.competency_id))
        self.evidence.textEdited.connect(lambda _t: self.sig_changed.emit(self.competency_id))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if isinstance(obj, QAbstractButton):
            if event.type() == QEvent.Type.Enter:
                self.sig_hovered.emit(self.group.id(obj))
            elif event.type() == QEvent.Type.Leave:
                self.sig_hovered.emit(-1)
        return False

    def set_state(self, score: int | None, not_assessed: bool, reason: str, evidence: str) -> None:
        for level, b in self.buttons.items():
            b.setChecked((not_assessed and level == NA) or (not not_assessed and score == level))
        self.reason.setText(reason)
        self.reason.setVisible(not_assessed)
        self.evidence.setText(evidence)

    def _clicked(self, level: int) -> None:
        checked = self.buttons[level].isChecked()
        for lv, b in self.buttons.items():
            b.setChecked(lv == level and checked)
        self.reason.setVisible(self.buttons[NA].isChecked())
        if self.buttons[NA].isChecked():
            self.reason.setFocus()
        self.sig_changed.emit(self.competency_id)

    def state(self) -> tuple[int | None, bool, str, str]:
        na = self.buttons[NA].isChecked()
        score = next((lv for lv, b in self.buttons.items() if lv and b.isChecked()), None)
        return (None if na else score, na, self.reason.text().strip() if na else "", self.evidence.text().strip())

    def set_focused(self, on: bool) -> None:
        self.setProperty("focused", on)
        self.style().unpolish(self)
        self.style().polish(self)
        font = self.name_label.font()
        font.setBold(on)
        self.name_label.setFont(font)
        self.name_label.setText(("▸ " if on else "") + self.name_label.text().removeprefix("▸ "))


class CockpitView(SectionWidget):
    """The live interview screen for one scorecard."""

    title = "Interview"

    sig_shown = Signal(str, str)
    """A scorecard is shown (its navigation label, e.g. "▶ Priya N.", and a tooltip)."""

    sig_closed = Signal(int)
    """The interviewer left the cockpit (scorecard id); everything was saved."""

    sig_submitted = Signal(int)
    """The scorecard was submitted (scorecard id)."""

    sig_export_requested = Signal(int)
    """The user asked for this scorecard as a PDF (Export scorecard PDF…, Ctrl+P); notes are saved first."""

    sig_save_status = Signal(str)
    """A short text for the status bar ("Saved", "Saving…", "Not saved: …")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cockpit")
        self._ctx: AppContext | None = None
        self._context: AppContext | None = None  # the open database (the scorecard shown is of _ctx)
        self._state: ScorecardState | None = None
        self._autosaver: Autosaver | None = None
        self._index = 0
        self._notes: dict[int, str] = {}
        self._seconds: dict[int, float] = {}
        self._focus_row = 0
        self._base_elapsed = 0.0
        self._run_started: float | None = None
        self._question_started: float | None = None
        self._read_only = False
        self._journal: Journal | None = None
        self._db_away = False  # the database kept a write waiting, or refused it: the journal holds the work

        # header
        self.who = QLabel()
        self.who.setProperty("role", "cockpit-who")
        self.clock = QLabel()
        self.clock.setProperty("role", "cockpit-clock")
        self.clock.setAccessibleName("Stage time, elapsed of total")
        self.position_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.question_clock = QLabel()
        self.question_clock.setProperty("role", "question-clock")
        self.pacing_label = QLabel()
        self.pacing_label.setProperty("role", "subtle")
        self.saved_label = QLabel()
        self.saved_label.setProperty("role", "subtle")
        self.recovery_label = QLabel(wordWrap=True)
        self.recovery_label.setObjectName("cockpitRecovery")
        self.recovery_label.setProperty("state", "warning")
        self.recovery_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recovery_label.hide()

        # question
        self.prompt = QTextBrowser()
        self.prompt.setObjectName("cockpitPrompt")
        self.prompt.setOpenLinks(False)
        self.prompt.setAccessibleName("Question")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("cockpitNotes")
        self.notes.setAccessibleName("Notes for this question")
        self.notes.setPlaceholderText("Notes for this question (Ctrl+J). Plain text; Markdown is fine.")
        self.probes = QListWidget()
        self.probes.setObjectName("cockpitProbes")
        self.probes.setWordWrap(True)
        self.probes.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.rubric = QTextBrowser()
        self.rubric.setObjectName("cockpitRubric")
        self.rubric.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.rating_box = QWidget()
        self.rating_layout = QVBoxLayout(self.rating_box)
        self.rating_layout.setContentsMargins(0, 0, 0, 0)
        self.rating_layout.setSpacing(0)
        self.rows: list[_RatingRow] = []
        self.keys_hint = QLabel(
            "Ctrl+→ next · Ctrl+← back · Ctrl+J notes · Alt+1..4 rate · Alt+0 not assessed · "
            "Alt+↑/↓ competency · Ctrl+K add question · F10 finish"
        )
        self.keys_hint.setProperty("role", "subtle")
        self.keys_hint.setWordWrap(True)
        self.who.setWordWrap(True)

        self._build_interview_page()
        self._build_finish_page()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.interview_page)
        self.pages.addWidget(self.finish_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 8)
        top = QHBoxLayout()
        top.addWidget(self.who, 1)
        top.addWidget(self.clock)
        second = QHBoxLayout()
        second.addWidget(self.position_label)
        second.addWidget(self.progress, 1)
        second.addWidget(self.question_clock)
        layout.addLayout(top)
        layout.addLayout(second)
        third = QHBoxLayout()
        third.addWidget(self.pacing_label, 1)
        third.addWidget(self.saved_label)
        layout.addLayout(third)
        layout.addWidget(self.recovery_label)
        layout.addWidget(self.pages, 1)

        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._on_tick)
        self.notes.textChanged.connect(self._on_notes_changed)
        self.actions_list = self._make_actions()
        self._keys = {a.shortcut().toString() for a in self.actions()}
        for editor in (self.notes, self.summary):
            editor.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Let the cockpit's shortcuts win over the editors' own (Ctrl+→ is "next word" in a text box)."""
        if event.type() == QEvent.Type.ShortcutOverride:
            combo = QKeySequence(event.keyCombination()).toString()  # type: ignore[attr-defined]
            if combo in self._keys:
                return True  # not accepted by the editor: the shortcut fires
        return super().eventFilter(obj, event)

    # -- layout -----------------------------------------------------------------------------------------

    def _build_interview_page(self) -> None:
        self.interview_page = QWidget()
        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("cockpitLeftSplitter")
        left.addWidget(self.prompt)
        notes_box = QWidget()
        nl = QVBoxLayout(notes_box)
        nl.setContentsMargins(0, 4, 0, 0)
        nl.addWidget(QLabel("<b>Notes</b>"))
        nl.addWidget(self.notes, 1)
        left.addWidget(notes_box)
        left.setStretchFactor(0, 3)
        left.setStretchFactor(1, 2)
        left.setSizes([420, 280])
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("<b>Probes</b>"))
        rl.addWidget(self.probes, 2)
        self.rubric_title = QLabel("<b>Rubric</b>")
        rl.addWidget(self.rubric_title)
        rl.addWidget(self.rubric, 3)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("cockpitSplitter")
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 420])
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        fl = QVBoxLayout(frame)
        fl.setContentsMargins(4, 4, 4, 4)
        fl.addWidget(self.rating_box)
        self.rating_frame = frame
        page = QVBoxLayout(self.interview_page)
        page.setContentsMargins(0, 6, 0, 0)
        page.addWidget(split, 1)
        page.addWidget(frame)
        page.addWidget(self.keys_hint)
        self.interview_layout = page

    def _build_finish_page(self) -> None:
        self.finish_page = QWidget()
        self.finish_ratings = QLabel(wordWrap=True)
        self.rec_group = QButtonGroup(self)
        self.rec_row = QHBoxLayout()
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("cockpitSummary")
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("Summary: strengths, concerns, and why you recommend what you do.")
        self.problems = QLabel(wordWrap=True)
        self.problems.setProperty("state", "warning")
        self.submit_button = QPushButton("Submit scorecard (Ctrl+Enter)")
        self.submit_button.setDefault(True)
        self.back_button = QPushButton("Back to the questions (Esc)")
        self.amend_button = QPushButton("Amend… (Ctrl+Shift+A)")
        self.amend_button.setShortcut(QKeySequence("Ctrl+Shift+A"))
        self.amend_button.setToolTip("Change the submitted scorecard, with a reason (Ctrl+Shift+A)")
        from interviewkit.ui.cockpit.amend import AuditTrailView

        self.audit_view = AuditTrailView()
        self.audit_label = QLabel("<b>Audit trail</b>")
        page = QVBoxLayout(self.finish_page)
        self.finish_layout = page
        heading = QLabel("Finish the scorecard")
        heading.setProperty("role", "heading")
        page.addWidget(heading)
        page.addWidget(QLabel("<b>Ratings</b>: each focus competency needs a rating, or “n/a” with a reason (Alt+↑/↓ to move)"))
        self._ratings_slot = page.count()
        page.addWidget(QLabel("<b>Overall recommendation</b> (Ctrl+1..4)"))
        page.addLayout(self.rec_row)
        page.addWidget(QLabel("<b>Summary</b>"))
        page.addWidget(self.summary, 2)
        page.addWidget(self.problems)
        page.addWidget(self.audit_label)
        page.addWidget(self.audit_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.amend_button)
        buttons.addWidget(self.submit_button)
        page.addLayout(buttons)
        self.summary.textChanged.connect(self._on_summary_changed)
        self.submit_button.clicked.connect(self.submit)
        self.back_button.clicked.connect(self.back_to_questions)
        self.amend_button.clicked.connect(self.amend)
        self.rec_group.idClicked.connect(self._on_recommendation)

    def _make_actions(self) -> list[QAction]:
        specs: list[tuple[str, Any, Any]] = [
            ("&Next question", "Ctrl+Right", self.next_question),
            ("&Previous question", "Ctrl+Left", self.previous_question),
            ("&Jump to notes", "Ctrl+J", self.focus_notes),
            ("Next &competency", "Alt+Down", lambda: self.move_focus_row(1)),
            ("Previous co&mpetency", "Alt+Up", lambda: self.move_focus_row(-1)),
            ("&Add a question…", "Ctrl+K", self.add_question),
            ("&Finish interview", "F10", self.finish),
            ("Su&bmit scorecard", "Ctrl+Return", self.submit),
            ("&Export scorecard PDF…", "Ctrl+P", self.export),
            ("Not assessed", "Alt+0", lambda: self.rate(NA)),
        ]
        for level in range(1, 10):
            specs.append((f"Rate {level}", f"Alt+{level}", lambda _checked=False, lv=level: self.rate(lv)))
            specs.append((f"Recommend {level}", f"Ctrl+{level}", lambda _checked=False, lv=level: self.recommend(lv)))
        actions = []
        for text, key, slot in specs:
            act = QAction(text, self)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.setToolTip(f"{text.replace('&', '')} ({QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)})")
            act.triggered.connect(slot)
            self.addAction(act)
            actions.append(act)
        back = QAction("Back", self)
        back.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        back.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.triggered.connect(self._escape)
        self.addAction(back)
        return actions

    def menu_actions(self) -> list[QAction]:
        """Actions for the window's Interview menu (rating shortcuts are left out of the menu)."""
        return [a for a in self.actions_list if not a.text().startswith(("Rate ", "Recommend "))]

    # -- loading ----------------------------------------------------------------------------------------

    # -- the section ----------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        if ctx is not self._context and self._state is not None:
            self.close_scorecard()  # another database, or another person: this scorecard is let go
        self._context = ctx

    def show_target(self, target: object) -> None:
        """Open a stage's scorecard (a link from My interviews)."""
        if isinstance(target, int):
            self.open_stage(target)

    def open_stage(self, stage_id: int, *, take_over: bool = False) -> None:
        """Start or resume the scorecard of a stage (off the GUI thread); another window holding it is asked
        about first."""
        from interviewkit.services import scorecards as svc
        from interviewkit.services.changes import Changes
        from interviewkit.services.errors import ScorecardLocked, ServiceError

        ctx = self._context or self._ctx
        if ctx is None or ctx.user_id is None:
            return
        if self._state is not None and self._state.stage_id == stage_id:
            self._show_in_navigation()
            return
        me = ctx.user_id

        def opened(state: ScorecardState) -> None:
            self.load(ctx, state)
            self._show_in_navigation()
            self.announce(Changes.of(scorecards=[state.id]))

        def refused(exc: BaseException) -> None:
            if isinstance(exc, ScorecardLocked):
                box = QMessageBox(QMessageBox.Icon.Warning, "Open elsewhere", str(exc), parent=self.window())
                take = box.addButton("Take over here", QMessageBox.ButtonRole.AcceptRole)
                box.addButton(QMessageBox.StandardButton.Cancel)
                box.exec()
                if box.clickedButton() is take:
                    self.open_stage(stage_id, take_over=True)
            elif isinstance(exc, ServiceError):
                self.warn("Cannot open the interview", str(exc))
            else:
                raise exc

        self.host.run(lambda: svc.open_scorecard(ctx.db, stage_id, me, ctx.instance_id, take_over=take_over),
                      opened, failed=refused, busy="Opening the interview")

    def _show_in_navigation(self) -> None:
        """Say the scorecard is shown (the window lists it in the navigation) and put the cursor in the notes."""
        state = self._state
        if state is None:
            return
        label = f"✓ {state.candidate}" if state.locked else f"▶ {state.candidate}"
        self.sig_shown.emit(label, f"{state.candidate}: {state.stage_name}")
        self.focus_notes()

    def export_pdf(self) -> bool:
        """The scorecard as a PDF, with a preview (what is typed is saved first)."""
        if self._state is None or self._ctx is None:
            return False
        from interviewkit.ui.widgets.pdf_preview import preview_and_save, safe_file_name

        self.flush()
        ctx, state, viewer = self._ctx, self._state, self._ctx.user_id
        self.sig_export_requested.emit(state.id)

        def write(path: Any, options: Any) -> None:
            from interviewkit.services.exports import export_scorecard_pdf

            export_scorecard_pdf(ctx.db, state.id, path, settings=ctx.settings, viewer_id=viewer,
                                 page_size=options.page_size, hide_names=options.hide_names)

        dialog = preview_and_save(self.window(), f"Scorecard · {state.candidate} · {state.stage_name}", write,
                                  suggested_name=safe_file_name(f"scorecard {state.candidate} {state.stage_name}"),
                                  settings=self.host.settings)
        dialog.sig_saved.connect(lambda path: self.host.notify(f"Saved {path}"))
        return True

    # -- the scorecard -------------------------------------------------------------------------------------

    def load(self, ctx: AppContext, state: ScorecardState) -> None:
        """Show a scorecard. A draft starts (or resumes) its clock; a submitted one is read-only."""
        from interviewkit.services import scorecards as svc

        self.close_scorecard(release=False)
        opened = self._open_journal(ctx, state)
        if opened is not None and opened.recovered is not None:
            from interviewkit.services.recovery import overlay

            state = overlay(state, opened.recovered)  # show what was typed before the crash
        self._ctx = ctx
        self._state = state
        self._read_only = state.locked
        self._notes = {q.asked_id: q.notes for q in state.questions}
        self._seconds = {q.asked_id: q.seconds_spent for q in state.questions}
        self._index = min(max(state.current_position, 0), max(len(state.questions) - 1, 0))
        self._base_elapsed = state.elapsed_seconds
        self._build_rating_rows(state)
        self._build_recommendations(ctx)
        self.summary.blockSignals(True)
        self.summary.setPlainText(state.summary)
        self.summary.blockSignals(False)
        db, card, inst, me = ctx.db, state.id, ctx.instance_id, ctx.user_id
        self._journal = opened.journal if opened is not None else None
        self._db_away = False
        if not self._read_only:
            self._autosaver = Autosaver(
                lambda ch: svc.save_draft(db, card, inst, ch, by=me), journal=self._journal, parent=self
            )
            self._autosaver.sig_saved.connect(self._on_saved)
            self._autosaver.sig_failed.connect(self._on_save_failed)
            self._autosaver.sig_waiting.connect(self._on_save_waiting)
            self._autosaver.sig_saved_locally.connect(self._on_saved_locally)
            self._run_started = time.monotonic()
            self._question_started = time.monotonic()
            self.tick.start()
        self.notes.setReadOnly(self._read_only)
        self.summary.setReadOnly(self._read_only)
        self.submit_button.setEnabled(not self._read_only)
        self.who.setText(
            f"<b>{_esc(state.candidate)}</b> · {_esc(state.opening)} · Stage {state.stage_position} of "
            f"{state.stage_count}: {_esc(state.stage_name)}"
        )
        self.saved_label.setText("Submitted: read-only" if self._read_only else "")
        self.saved_label.setToolTip("")
        if opened is not None and opened.kept:
            self._tell_kept(" ".join(k.message for k in opened.kept))
        if opened is not None and opened.recovered is not None and self._autosaver is not None:
            from interviewkit.services.recovery import describe_changes

            what = describe_changes(opened.recovered)
            self._autosaver.push(opened.recovered, journalled=opened.recovered_seq)
            self.saved_label.setText(
                f"Recovered {what} typed on this computer that had not reached the database; saving…"
            )
            self.sig_save_status.emit(self.saved_label.text())
        for b in self.rec_group.buttons():
            b.setEnabled(not self._read_only)
        locked = state.locked
        self.submit_button.setVisible(not locked)
        self.amend_button.setVisible(locked)
        self.audit_label.setVisible(locked)
        self.audit_view.setVisible(locked)
        if locked:
            self.audit_view.show_for(ctx, state)
        self.pages.setCurrentWidget(self.interview_page)
        self._show_question()
        self._update_clock()
        if locked:
            self.finish()
        else:
            self.focus_notes()

    def _open_journal(self, ctx: AppContext, state: ScorecardState) -> Opened | None:
        """This scorecard's recovery journal, with what crashed windows left in theirs (None when the
        journal folder cannot be used: the cockpit then saves to the database only, and says so)."""
        from interviewkit.services import recovery

        self.recovery_label.hide()
        self.recovery_label.setText("")
        if ctx.user_id is None:
            return None
        folder = recovery.journal_dir()
        try:
            return recovery.open_journal(
                folder, ctx.db, state, ctx.user_id, ctx.instance_id, writable=not state.locked
            )
        except OSError as exc:
            self._tell_kept(
                f"No copy of this interview is kept on this computer ({folder}: {exc.strerror or exc}); "
                "changes go to the database only."
            )
            return None

    def _tell_kept(self, message: str) -> None:
        self.recovery_label.setText("⚠ " + message)
        self.recovery_label.show()
        self.sig_save_status.emit(message)

    def _build_rating_rows(self, state: ScorecardState) -> None:
        for row in self.rows:
            row.setParent(None)
            row.deleteLater()
        self.rows = []
        assert self._ctx is not None
        scale = self._ctx.settings.scale
        labels = dict(scale.labels)
        for comp in state.focus:
            row = _RatingRow(comp.id, comp.name, scale.levels, labels)
            r = state.ratings.get(comp.id)
            if r is not None:
                row.set_state(r.score, r.not_assessed, r.reason, r.evidence)
            row.setEnabled(not state.locked)
            row.sig_changed.connect(self._on_rating_changed)
            row.reason.installEventFilter(self)
            row.evidence.installEventFilter(self)
            row.sig_hovered.connect(self._show_anchor)
            self.rating_layout.addWidget(row)
            self.rows.append(row)
        self._focus_row = 0
        for i, row in enumerate(self.rows):
            row.set_focused(i == 0)

    def _build_recommendations(self, ctx: AppContext) -> None:
        for b in self.rec_group.buttons():
            self.rec_group.removeButton(b)
            b.setParent(None)
            b.deleteLater()
        for i, rec in enumerate(ctx.settings.recommendations, start=1):
            b = QRadioButton(f"{rec}  (Ctrl+{i})")
            b.setProperty("recommendation", rec)
            self.rec_group.addButton(b, i)
            self.rec_row.addWidget(b)
            if self._state is not None and self._state.recommendation == rec:
                b.setChecked(True)

    # -- question navigation ----------------------------------------------------------------------------

    def current(self) -> AskedState | None:
        if self._state is None or not self._state.questions:
            return None
        return self._state.questions[self._index]

    def _show_question(self) -> None:
        from interviewkit.domain.markup import markdown_to_html

        q = self.current()
        self.notes.blockSignals(True)
        if q is None:
            self.prompt.setHtml("<p>No question is planned for this stage. Add one from the bank: Ctrl+K</p>")
            self.notes.setPlainText("")
            self.probes.clear()
            self.rubric.setHtml("")
        else:
            self.prompt.setHtml(
                f"<h2>{_esc(q.title)}</h2><div style='font-size:15pt'>{markdown_to_html(q.prompt)}</div>"
                + ("" if q.planned else "<p><i>Added during the interview.</i></p>")
            )
            self.notes.setPlainText(self._notes.get(q.asked_id, ""))
            self.notes.moveCursor(self.notes.textCursor().MoveOperation.End)
            self.probes.clear()
            for f in q.follow_ups:
                self.probes.addItem(f"› {f}")
            self._show_anchor(-1)
        self.notes.blockSignals(False)
        total = len(self._state.questions) if self._state else 0
        self.position_label.setText(f"Q{self._index + 1} of {total}" if total else "No questions")
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(self._index + 1 if total else 0)
        self._update_clock()

    def _show_anchor(self, level: int) -> None:
        q = self.current()
        if q is None or self._ctx is None:
            return
        labels = dict(self._ctx.settings.scale.labels)
        pal = self.rubric.palette()
        hi_bg = pal.color(QPalette.ColorRole.Highlight).name()
        hi_fg = pal.color(QPalette.ColorRole.HighlightedText).name()
        parts = []
        for lv, anchor in q.rubric:
            style = f"background-color:{hi_bg}; color:{hi_fg}" if lv == level else ""
            mark = "▶ " if lv == level else ""
            parts.append(
                f"<p style='margin:4px 0;{style}'><b>{mark}{lv} · {_esc(labels.get(lv, ''))}</b><br>{_esc(anchor)}</p>"
            )
        self.rubric.setHtml("".join(parts))
        self.rubric_title.setText(f"<b>Rubric</b> · level {level}" if level > 0 else "<b>Rubric</b>")

    def _leave_question(self) -> None:
        q = self.current()
        if q is not None and self._question_started is not None and not self._read_only:
            now = time.monotonic()
            self._seconds[q.asked_id] = self._seconds.get(q.asked_id, 0.0) + (now - self._question_started)
            self._question_started = now
            self._push(seconds={q.asked_id: self._seconds[q.asked_id]})

    def go_to(self, index: int) -> None:
        if self._state is None or not self._state.questions:
            return
        index = max(0, min(index, len(self._state.questions) - 1))
        if index == self._index:
            return
        self._leave_question()
        self._index = index
        self._show_question()
        self._push(current_position=index)

    def next_question(self) -> None:
        self.go_to(self._index + 1)

    def previous_question(self) -> None:
        self.go_to(self._index - 1)

    def focus_notes(self) -> None:
        self.pages.setCurrentWidget(self.interview_page)
        self.notes.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def add_question(self) -> None:
        """Ctrl+K: pick a bank question by search and ask it next."""
        if self._ctx is None or self._state is None or self._read_only:
            return
        from interviewkit.ui.cockpit.picker import QuestionPicker

        exclude = {q.question_id for q in self._state.questions}
        picker = QuestionPicker(self._ctx, exclude=exclude, parent=self)
        picker.sig_chosen.connect(self._insert_question)
        picker.open()

    def _insert_question(self, question_id: str) -> None:
        from interviewkit.services import scorecards as svc
        from interviewkit.services.errors import ServiceError

        if self._ctx is None or self._state is None:
            return
        self._leave_question()
        if self._autosaver is not None:
            self._autosaver.flush()
        try:
            svc.add_question(self._ctx.db, self._state.id, self._ctx.instance_id, question_id, after=self._index,
                             by=self._ctx.user_id)
        except ServiceError as exc:
            self.sig_save_status.emit(str(exc))
            return
        state = svc.scorecard_state(self._ctx.db, self._state.id, by=self._ctx.user_id)
        self._state = state
        for q in state.questions:
            self._notes.setdefault(q.asked_id, q.notes)
            self._seconds.setdefault(q.asked_id, q.seconds_spent)
        self._index = min(self._index + 1, len(state.questions) - 1)
        self._show_question()
        self._push(current_position=self._index)
        self.focus_notes()

    # -- ratings ------------------------------------------------------------------------------------------

    def move_focus_row(self, step: int) -> None:
        if not self.rows:
            return
        self._focus_row = (self._focus_row + step) % len(self.rows)
        for i, row in enumerate(self.rows):
            row.set_focused(i == self._focus_row)

    def rate(self, level: int) -> None:
        """Alt+number: rate the focused competency (Alt+0: not assessed); on the finish page, recommend."""
        if self._read_only or not self.rows:
            return
        if level and level not in self._ctx.settings.scale.levels:  # type: ignore[union-attr]
            return
        row = self.rows[self._focus_row]
        row.buttons[level].setChecked(not row.buttons[level].isChecked())
        row._clicked(level)
        self._show_anchor(level if row.buttons[level].isChecked() else -1)

    def recommend(self, number: int) -> None:
        """Ctrl+number: choose the overall recommendation (1 = the first, e.g. Strong no)."""
        if self._read_only:
            return
        button = self.rec_group.button(number)
        if button is not None:
            button.setChecked(True)
            self._on_recommendation(number)

    def _on_rating_changed(self, competency_id: str) -> None:
        from interviewkit.services.scorecards import RatingState

        row = next(r for r in self.rows if r.competency_id == competency_id)
        score, na, reason, evidence = row.state()
        self._push(ratings={competency_id: RatingState(score, na, reason, evidence)})

    def _on_recommendation(self, button_id: int) -> None:
        b = self.rec_group.button(button_id)
        if b is not None:
            self._push(recommendation=str(b.property("recommendation")))

    def _on_summary_changed(self) -> None:
        if not self._read_only:
            self._push(summary=self.summary.toPlainText())

    # -- time ---------------------------------------------------------------------------------------------

    def elapsed(self) -> float:
        extra = time.monotonic() - self._run_started if self._run_started is not None else 0.0
        return self._base_elapsed + extra

    def question_seconds(self) -> float:
        q = self.current()
        if q is None:
            return 0.0
        running = time.monotonic() - self._question_started if self._question_started is not None else 0.0
        return self._seconds.get(q.asked_id, 0.0) + running

    def _on_tick(self) -> None:
        self._update_clock()
        q = self.current()
        changes: dict[str, Any] = {"elapsed_seconds": self.elapsed()}
        if q is not None:
            changes["seconds"] = {q.asked_id: self.question_seconds()}
        self._push(**changes)

    def _update_clock(self) -> None:
        from interviewkit.domain.interview import pacing

        if self._state is None:
            return
        total = self._state.stage_minutes * 60
        self.clock.setText(f"{format_clock(self.elapsed())} / {format_clock(total)}")
        q = self.current()
        if q is None:
            return
        after = [x.minutes for x in self._state.questions[self._index + 1 :]]
        p = pacing(
            stage_minutes=self._state.stage_minutes,
            elapsed_seconds=self.elapsed(),
            question_seconds=self.question_seconds(),
            question_budget_minutes=q.minutes,
            budgets_after_current=after,
        )
        words = {"ok": "", "amber": " · over time", "red": " · well over time"}[p.question_state]
        self.question_clock.setText(
            f"this question {format_clock(self.question_seconds())} of {format_clock(q.minutes * 60)}{words}"
        )
        if self.question_clock.property("pace") != p.question_state:
            self.question_clock.setProperty("pace", p.question_state)
            self.question_clock.style().unpolish(self.question_clock)
            self.question_clock.style().polish(self.question_clock)
        self.pacing_label.setText(p.hint)

    # -- saving -------------------------------------------------------------------------------------------

    def _on_notes_changed(self) -> None:
        q = self.current()
        if q is None or self._read_only:
            return
        text = self.notes.toPlainText()
        self._notes[q.asked_id] = text
        self._push(notes={q.asked_id: text})

    def _push(self, **fields: Any) -> None:
        if self._autosaver is None or self._read_only:
            return
        from interviewkit.services.scorecards import DraftChanges

        # Every save carries the clocks, so a crash loses at most the time since the last save.
        fields.setdefault("elapsed_seconds", self.elapsed())
        q = self.current()
        if q is not None and self._question_started is not None:
            fields.setdefault("seconds", {})
            fields["seconds"].setdefault(q.asked_id, self.question_seconds())
        self._autosaver.push(DraftChanges(**fields))
        if self._db_away:
            return  # "Saved locally, will sync" stays: the journal has it within half a second
        if not self.saved_label.text().startswith("Not saved"):
            self.saved_label.setText("Saving…")

    def _on_saved(self, _when: float) -> None:
        if self._autosaver is not None and not self._autosaver.dirty:
            self._db_away = False
            self.saved_label.setText("Saved")
            self.saved_label.setToolTip("")
            self.sig_save_status.emit("Saved")

    def _saved_locally(self) -> bool:
        j = self._journal
        return j is not None and j.error is None and j.durable_seq >= j.last_seq

    def _show_away(self) -> None:
        """The database is busy or unreachable: say where the work is."""
        if self._saved_locally():
            assert self._journal is not None
            self.saved_label.setText("Saved locally, will sync")
            self.saved_label.setToolTip(
                f"The database has not answered yet. Everything typed is kept on this computer "
                f"({self._journal.path}) and is added to the database as soon as it answers."
            )
        elif self._journal is not None and self._journal.error is None:
            self.saved_label.setText("Saving…")
        else:
            self.saved_label.setText(
                "Not saved yet: the database is busy; retrying. Keep the app open: what you typed is only in "
                "this window."
            )
        self.sig_save_status.emit(self.saved_label.text())

    def _on_save_waiting(self) -> None:
        if self._autosaver is not None and not self._read_only:
            self._db_away = True
            self._show_away()

    def _on_saved_locally(self, _seq: int) -> None:
        if self._db_away and self._autosaver is not None and self._autosaver.dirty and not self._read_only:
            self._show_away()

    def _on_save_failed(self, exc: object) -> None:
        from interviewkit.services.errors import ServiceError

        if isinstance(exc, ServiceError):  # taken over, submitted elsewhere, no longer this person's
            if self._autosaver is not None:
                self._autosaver.discard()
            self._read_only = True
            self.tick.stop()
            self.notes.setReadOnly(True)
            self.summary.setReadOnly(True)
            self._db_away = False
            self.saved_label.setText(f"Not saved: {exc}")
            self.saved_label.setToolTip(str(exc))
            kept = self._set_journal_aside(str(exc))
            if kept is not None:
                self._tell_kept(kept)
        else:
            self._db_away = True
            self._show_away()
            return
        self.sig_save_status.emit(self.saved_label.text())

    def _set_journal_aside(self, reason: str) -> str | None:
        """Keep what this window could not save (the journal moves to journal/kept); the words to show."""
        journal, self._journal = self._journal, None
        if journal is None:
            return None
        try:
            kept = journal.set_aside(reason)
        except OSError as exc:
            return f"What you typed since the last save could not be kept on this computer ({exc.strerror or exc})."
        return None if kept is None else kept.message

    def flush(self) -> bool:
        """Write everything now (before leaving or quitting)."""
        if self._autosaver is None:
            return True
        self._leave_question()
        self._push(elapsed_seconds=self.elapsed())
        return self._autosaver.flush()

    def close_scorecard(self, *, release: bool = True) -> None:
        """Save and let go of the scorecard (the next start will not offer to resume it)."""
        if self._state is None:
            return
        self.tick.stop()
        saved = True
        if self._autosaver is not None:
            self.flush()
            saved = self._autosaver.close()
            self._autosaver.deleteLater()
            self._autosaver = None
        if self._journal is not None:
            # Kept when the database does not hold everything: the next opening of this scorecard replays it.
            self._journal.close(remove=saved)
            self._journal = None
        if not saved:
            self.sig_save_status.emit(
                "Saved on this computer only: it is added to the database when you open this interview again."
            )
        elif release and self._ctx is not None and not self._read_only:
            from interviewkit.services import recovery
            from interviewkit.services import scorecards as svc

            try:
                svc.release(self._ctx.db, self._state.id, self._ctx.instance_id)
            except Exception as exc:
                if not recovery.is_database_error(exc):
                    raise
                # Still held: the next start offers to resume it, which does no harm.
        card = self._state.id
        self._state = None
        self._run_started = None
        self.sig_closed.emit(card)
        from interviewkit.services.changes import Changes

        self.announce(Changes.of(scorecards=[card]))

    # -- finishing ----------------------------------------------------------------------------------------

    def finish(self) -> None:
        """F10: review ratings, choose a recommendation, write the summary."""
        if self._state is None:
            return
        self._leave_question()
        self.finish_layout.insertWidget(self._ratings_slot, self.rating_frame)
        self.pages.setCurrentWidget(self.finish_page)
        self.problems.setText("")
        if self._read_only:
            return
        checked = self.rec_group.checkedButton()
        (checked or self.summary).setFocus()

    def back_to_questions(self) -> None:
        self.interview_layout.insertWidget(1, self.rating_frame)
        self.pages.setCurrentWidget(self.interview_page)
        self.focus_notes()

    def _escape(self) -> None:
        if self.pages.currentWidget() is self.finish_page:
            self.back_to_questions()

    def export(self) -> None:
        """Export scorecard PDF… (Ctrl+P): save what is typed, then preview the PDF of this scorecard."""
        self.export_pdf()

    def submit(self) -> None:
        """Ctrl+Enter on the finish page: submit, or show what is missing."""
        from interviewkit.services import scorecards as svc
        from interviewkit.services.errors import ServiceError, SubmitRejected

        if self._state is None or self._ctx is None or self._read_only:
            return
        if self.pages.currentWidget() is not self.finish_page:
            self.finish()
            return
        if not self.flush():
            self.problems.setText("⚠ Not saved yet: the database is busy. Try again in a moment.")
            return
        try:
            state = svc.submit(self._ctx.db, self._state.id, self._ctx.user_id, self._ctx.settings)
        except SubmitRejected as exc:
            self.problems.setText("⚠ Before submitting:\n• " + "\n• ".join(exc.problems))
            return
        except ServiceError as exc:
            self.problems.setText(f"⚠ {exc}")
            return
        card = state.id
        ctx = self._ctx
        self.close_scorecard(release=False)
        self.load(ctx, state)
        self.sig_submitted.emit(card)
        self.host.notify("Scorecard submitted. It is now locked; later changes are amendments.")
        self._show_in_navigation()

    def amend(self) -> None:
        """Open the amendment dialog for a submitted scorecard."""
        from interviewkit.ui.cockpit.amend import AmendDialog

        if self._state is None or self._ctx is None or not self._state.locked:
            return
        dialog = AmendDialog(self._ctx, self._state, parent=self)
        dialog.sig_amended.connect(self._amended)
        dialog.open()

    def _amended(self, state: ScorecardState) -> None:
        ctx = self._ctx
        assert ctx is not None
        self.close_scorecard(release=False)
        self.load(ctx, state)
        self._show_in_navigation()

    @property
    def state(self) -> ScorecardState | None:
        return self._state

    @property
    def journal(self) -> Journal | None:
        """This scorecard's recovery journal on this computer (None when read-only or unavailable)."""
        return self._journal

    def pending_changes(self) -> DraftChanges | None:
        return None if self._autosaver is None else self._autosaver._pending

    def rating_state(self, competency_id: str) -> RatingState | None:
        from interviewkit.services.scorecards import RatingState

        for row in self.rows:
            if row.competency_id == competency_id:
                return RatingState(*row.state())
        return None


def _esc(text: str) -> str:
    from interviewkit.domain.markup import escape

    return escape(text)

