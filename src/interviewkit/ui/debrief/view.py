"""Debriefs: the panel's scorecards for one candidate side by side, where they disagree, and the decision.

Left, the candidates with at least one submitted scorecard, with a search box (Ctrl+F). Right, the selected
candidate: a grid of ratings (competencies by scorecard, the recommendations on an "Overall" row, the
disagreement, the raw mean and, once calibration provides it, the leniency-adjusted mean), then tabs for the
evidence behind a clicked cell, the coverage of the role's requirements, the summaries and the decision.

What a person may see is decided by ``interviewkit.services.debrief`` (independent judgement first: other
scorecards stay hidden until one's own is in); this screen shows what the service returns, says why the
rest is hidden, and offers the debrief lead the audited override. The grid's figures and words come from
``interviewkit.services.debrief_grid``, the reading panes' HTML from ``interviewkit.services.debrief_html``.

Writes (the decision, the override) run through :meth:`SectionWidget.write`: off the GUI thread in the
window, with a busy state; what they change reaches the other screens. The screen refreshes itself when a
scorecard, a decision, a candidate, a loop, a person or the bank changes anywhere, or a candidate is erased.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from interviewkit.services.context import AppContext
from interviewkit.services.debrief import (
    OUTCOME_LABELS,
    Debrief,
    override_independence,
    record_decision,
)
from interviewkit.services.debrief_grid import debrief_grid
from interviewkit.services.debrief_html import summaries_html
from interviewkit.services.errors import PermissionDenied
from interviewkit.services.people import PersonInfo
from interviewkit.ui.debrief.adjusted import AdjustedMeans
from interviewkit.ui.debrief.coverage import CoveragePane
from interviewkit.ui.debrief.debrief_reads import DebriefReader
from interviewkit.ui.debrief.decision import DecisionPanel, DecisionRequest
from interviewkit.ui.debrief.dialogs import OverrideDialog
from interviewkit.ui.debrief.evidence import SUMMARIES, EvidencePane, Target
from interviewkit.ui.debrief.grid_pane import GridPane
from interviewkit.ui.debrief.header import DebriefHeader
from interviewkit.ui.debrief.list_pane import EMPTY_TEXT, CandidatePane
from interviewkit.ui.debrief.list_reads import FirstRead, candidate_rows, count_candidates, read_first, read_more
from interviewkit.ui.debrief.model import CandidateRow, IdRole
from interviewkit.ui.debrief.packet import preview_packet
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.layout import list_and_detail
from interviewkit.ui.widgets.shortcuts import bind_keys, key_of

__all__ = ["EMPTY_TEXT", "DebriefView"]

INTRO_TEXT = (
    "A debrief puts the panel's scorecards side by side: ratings, disagreements, the evidence behind them and "
    "the coverage of the role's requirements. The debrief lead records the decision."
)
TAB_TIPS = (
    "The evidence behind the rating you clicked",
    "Which requirements of the role this loop assessed, by whom and with what rating",
    "Each interviewer's summary and recommendation",
    "The panel's decision and its history",
)


class DebriefView(SectionWidget):
    """The debrief of each candidate, as the person using the app may see it, and the panel's decision."""

    title = "Debriefs"
    watches = frozenset({"scorecards", "decisions", "candidates", "loops", "people", "erased", "bank"})

    sig_decision_recorded = Signal(int, object)
    """The debrief lead recorded (or, reopening, amended) a decision: the candidate id and the
    ``DecisionInfo`` now in force (None if another candidate is shown by the time it is written)."""

    sig_export_requested = Signal(int)
    """The user asked for the debrief packet of this candidate id as a PDF (Export PDF…, Ctrl+P)."""

    sig_candidate_shown = Signal(int)
    """A candidate's debrief is now shown (its id), after the grid was filled. Calibration can answer with
    :meth:`DebriefView.set_adjusted_scores` for that candidate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("debriefView")
        self._ctx: AppContext | None = None
        self._debrief: Debrief | None = None
        self._people: list[PersonInfo] = []
        self._labels: dict[int, str] = {}
        self._adjusted: tuple[dict[str, float], str] | None = None  # of the candidate shown
        self.override_dialog: OverrideDialog | None = None
        self.adjusted = AdjustedMeans(self, lambda: self._ctx)
        self.adjusted.sig_ready.connect(self._adjusted_ready)
        self.candidates = CandidatePane()
        self.search, self.candidate_list = self.candidates.search, self.candidates.list
        self.candidate_model, self.candidate_proxy = self.candidates.model, self.candidates.proxy
        self.candidate_stack, self.candidate_empty = self.candidates.stack, self.candidates.empty
        self._build_header()
        self.grid_pane = GridPane()
        self.grid, self.grid_model = self.grid_pane.grid, self.grid_pane.model
        self.grid_stack, self.grid_empty = self.grid_pane.stack, self.grid_pane.empty
        self.flags, self.adjusted_note = self.grid_pane.flags, self.grid_pane.adjusted_note
        self._build_tabs()
        self._build_page()
        self._connect()
        self.reader = DebriefReader(
            self,
            context=lambda: self._ctx,
            selected=self.current_candidate_id,
            show=self._show_debrief,
            gone=self.refresh,
        )
        self._show_candidates([])

    # -- builders ---------------------------------------------------------------------------------------

    def _build_header(self) -> None:
        self.top = DebriefHeader()
        self.header, self.subheader, self.legend = self.top.title, self.top.subheader, self.top.legend
        self.banner, self.banner_text = self.top.banner, self.top.banner_text
        self.export_button, self.override_button = self.top.export_button, self.top.override_button
        self.act_export = QAction("&Export PDF…", self)
        self.act_export.setShortcut(QKeySequence(key_of("export_pdf")))
        self.act_export.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        seq = self.act_export.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.act_export.setToolTip(f"Export this candidate's debrief packet as a PDF ({seq})")
        self.addAction(self.act_export)
        self.export_button.setToolTip(self.act_export.toolTip())

    def _build_tabs(self) -> None:
        self.evidence = EvidencePane()
        self.coverage = CoveragePane()
        self.summaries = QTextBrowser()
        self.summaries.setObjectName("debriefSummaries")
        self.summaries.setAccessibleName("Summaries")
        self.summaries.setOpenLinks(False)
        self.decision = DecisionPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("debriefTabs")
        self.tabs.setDocumentMode(True)
        for page, name, tip in zip(
            (self.evidence, self.coverage, self.summaries, self.decision),
            ("Evidence", "Coverage", "Summaries", "Decision"),
            TAB_TIPS,
        ):
            self.tabs.setTabToolTip(self.tabs.addTab(page, name), tip)

    def _build_page(self) -> None:
        """The candidate's page (header, banner, grid over tabs), or a placeholder, beside the candidates."""
        self.page_splitter = QSplitter(Qt.Orientation.Vertical)
        self.page_splitter.setObjectName("debriefPageSplitter")
        self.page_splitter.addWidget(self.grid_pane)
        self.page_splitter.addWidget(self.tabs)
        self.page_splitter.setStretchFactor(0, 3)
        self.page_splitter.setStretchFactor(1, 2)
        # The grid pane is never taller than its rows: asking for more gives it all of them, the tabs the rest.
        self.page_splitter.setSizes([800, 200])
        self.page_splitter.setChildrenCollapsible(False)
        self.page = QWidget()
        self.page.setObjectName("debriefPage")
        layout = QVBoxLayout(self.page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.top)
        layout.addWidget(self.page_splitter, 1)
        self.placeholder = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.placeholder.setObjectName("debriefPlaceholder")
        self.placeholder.setProperty("role", "empty-state")
        self.right_stack = QStackedWidget()
        self.right_stack.addWidget(self.placeholder)
        self.right_stack.addWidget(self.page)
        self.splitter = list_and_detail(
            self,
            self.title,
            self.candidates,
            self.right_stack,
            name="debriefSplitter",
            stretch=(1, 5),
            sizes=(180, 900),
        )

    def _connect(self) -> None:
        """Signals, the keyboard (Enter opens, Down leaves the search) and the tab order (reading order)."""
        chain = (self.search, self.candidate_list, self.export_button, self.override_button, self.grid, self.tabs)
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.candidates.sig_none_shown.connect(self._show_debrief)
        self.candidates.sig_search_changed.connect(lambda _text: self.refresh())
        self.candidates.sig_fetch_more.connect(self._read_more)
        bind_keys(self.search, "to_list", self._focus_list)
        self.search.returnPressed.connect(self._focus_list)  # the registry's search_to_list
        self.candidate_list.selectionModel().currentChanged.connect(self._on_candidate_current)
        self.grid_pane.sig_target_requested.connect(self._show_behind)
        bind_keys(self.candidate_list, "open_debrief", self._focus_grid)
        self.override_button.clicked.connect(self.override)
        self.act_export.triggered.connect(self.export)
        self.export_button.clicked.connect(self.act_export.trigger)
        self.decision.sig_record_requested.connect(self._record_decision)

    def _focus_list(self) -> None:
        self.candidate_list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_grid(self) -> None:  # Enter: the grid; Override… when every scorecard is hidden from the lead
        hidden = self.override_button.isVisible() and self.grid_stack.currentWidget() is self.grid_empty
        (self.override_button if hidden else self.grid).setFocus(Qt.FocusReason.OtherFocusReason)

    # -- data -------------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        if ctx is None:
            self._show_candidates([])
            return
        self.refresh()

    def refresh(self) -> None:
        """Reload the first candidates (as many as are read) and the debrief shown, off the GUI thread, keeping the
        selection, the cell and the form."""
        ctx = self._ctx
        if ctx is None or ctx.user_id is None:
            self.cancel_loads()
            self._show_candidates([])
            return
        user, search, loaded = ctx.user_id, self.search.text(), self.candidate_model.rowCount()
        wanted = self.candidates.pending
        self.fetch(lambda: read_first(ctx, user, search, loaded, wanted), self._show_read, kind="list")

    def _show_read(self, read: FirstRead) -> None:
        ctx = self._ctx
        if ctx is None or ctx.user_id is None:
            return
        self._labels = dict(ctx.scale_labels)
        self._people, page = read
        keep = self.current_candidate_id()
        loads = self.reader.requests
        self._show_candidates(candidate_rows(page), keep, more=page.more)
        if page.more or self.candidates.searching():
            count_candidates(self, ctx, ctx.user_id, self.candidates)
        if keep is not None and keep == self.current_candidate_id() and loads == self.reader.requests:
            self._load(keep)  # the same candidate stayed selected (no signal): reload what it shows

    def _read_more(self, offset: int) -> None:
        if self._ctx is not None and self._ctx.user_id is not None:
            read_more(self, self._ctx, self._ctx.user_id, self.candidates, offset)

    def show_target(self, target: object) -> None:
        """A link from another screen: show this candidate's debrief (a candidate id)."""
        if isinstance(target, int):
            self.select_candidate(target)

    def _show_candidates(self, rows: list[CandidateRow], keep: int | None = None, *, more: bool = False) -> None:
        self.candidates.set_context(self._ctx)
        self.candidates.set_rows(rows, keep, more=more)

    def current_candidate_id(self) -> int | None:
        return self.candidates.current_id()

    def select_candidate(self, candidate_id: int) -> bool:
        """Show this candidate's debrief, clearing a search that hides them."""
        return self.candidates.select(candidate_id)

    def _on_candidate_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._load(int(current.data(IdRole)))
        else:
            self._show_debrief(None)

    def _load(self, candidate_id: int) -> None:
        """Read one candidate's debrief off the GUI thread (debrief_reads.py): shown if still selected then.
        Meanwhile the page of another candidate is greyed out: nothing is decided or exported for the wrong one."""
        self.page.setEnabled(self._debrief is not None and self._debrief.candidate_id == candidate_id)
        self.reader.read(candidate_id)

    @property
    def shown(self) -> Debrief | None:
        """The debrief on screen, as the service returned it."""
        return self._debrief

    # -- showing ----------------------------------------------------------------------------------------

    def _show_debrief(self, d: Debrief | None = None) -> None:
        """Show a debrief (None: no candidate is selected)."""
        previous = self._debrief
        same = previous is not None and d is not None and previous.candidate_id == d.candidate_id
        current = self.grid.currentIndex()
        keep_cell = self.grid_pane.cell_key(current) if same and current.isValid() else None
        self._debrief = d
        self.page.setEnabled(True)
        if not same or d is None or d.hidden_count or not d.columns:
            self._adjusted = None  # adjusted means belong to one candidate, seen whole
        self.act_export.setEnabled(d is not None)
        self.export_button.setEnabled(d is not None)
        if d is None:
            self.adjusted.cancel()
            self._show_nothing()
            return
        self.right_stack.setCurrentWidget(self.page)
        self.top.show_debrief(d, self._labels)
        self._show_grid(d)
        missing = self.coverage.show_coverage(d)
        self.tabs.setTabText(1, f"Coverage ({missing} not assessed)" if missing else "Coverage")
        self.summaries.setHtml(summaries_html(d))
        self.decision.show_debrief(d, self._people)
        self.tabs.setTabText(3, f"Decision: {d.decision.label}" if d.decision else "Decision")
        if keep_cell is None or not self.grid_pane.restore_cell(keep_cell):
            self.grid_pane.start_at_first_rating()
        if not same or not self.evidence.render_target(d, self._labels):
            self.evidence.show_hint()
        self.sig_candidate_shown.emit(d.candidate_id)
        if self._ctx is not None:
            self.adjusted.request(self._ctx, d)  # again on a refresh: the ratings may have changed

    def _show_nothing(self) -> None:
        self.grid_pane.show_grid(debrief_grid(None), recommendations=(), empty_text="")
        self.decision.show_debrief(None, [])
        self.evidence.show_hint()
        if self._ctx is None:
            self.placeholder.setText("No database open.")
        elif self.candidate_model.rowCount() == 0:
            self.placeholder.setText(INTRO_TEXT)
        else:
            self.placeholder.setText("Select a candidate on the left.")
        self.right_stack.setCurrentWidget(self.placeholder)

    def _show_grid(self, d: Debrief) -> None:
        recommendations = self._ctx.settings.recommendations if self._ctx is not None else ()
        self.grid_pane.show_debrief(d, self._labels, recommendations, self._adjusted)

    # -- adjusted means (filled by calibration) ---------------------------------------------------------

    def set_adjusted_scores(self, scores: Mapping[str, float] | None, explanation: str = "") -> None:
        """The hook for calibration: leniency-adjusted means per competency id for the candidate shown.

        Given scores, the grid gains an "Adjusted" column (next to "Mean") and ``explanation`` appears as
        one line under the grid (e.g. "Adjusted for each interviewer's leniency, from 14 shared
        candidates"). None removes both. Showing another candidate clears them: connect
        :attr:`sig_candidate_shown` to provide the scores of each candidate shown.
        """
        self._adjusted = (dict(scores), explanation) if scores is not None else None
        d = self._debrief
        if d is None:
            return
        key = self.grid_pane.cell_key(self.grid.currentIndex())
        self._show_grid(d)
        if key is not None:
            self.grid_pane.restore_cell(key)

    def _adjusted_ready(self, candidate_id: int, scores: dict[str, float], explanation: str) -> None:
        now = self._debrief
        if now is not None and now.candidate_id == candidate_id:
            self.set_adjusted_scores(scores, explanation)

    # -- evidence ---------------------------------------------------------------------------------------

    def show_cell(self, index: QModelIndex) -> None:
        """Show what lies behind a cell: a rating's evidence, a scorecard's summary, a competency's spread."""
        self.grid_pane.open_cell(index)

    def _show_behind(self, target: Target) -> None:
        if target == SUMMARIES:
            self.tabs.setCurrentWidget(self.summaries)
        elif self.evidence.show_target(target, self._debrief, self._labels):
            self.tabs.setCurrentWidget(self.evidence)

    # -- actions ----------------------------------------------------------------------------------------

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the candidate search with its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def export(self) -> None:
        """Export PDF… (Ctrl+P): the packet of the candidate shown, with a preview."""
        self.export_pdf()

    def export_pdf(self) -> bool:
        """The debrief packet of the candidate shown, as its viewer may see it, with a preview."""
        d, ctx = self._debrief, self._ctx
        if d is None or ctx is None or ctx.user_id is None or not self.page.isEnabled():
            return False  # (not enabled: another candidate's debrief is being read)
        self.sig_export_requested.emit(d.candidate_id)
        dialog = preview_packet(self.window(), ctx, d, ctx.user_id, self.host.settings)
        dialog.sig_saved.connect(self._saved_pdf)
        return True

    def _saved_pdf(self, path: object) -> None:
        self.host.notify(f"Saved {path}")

    # -- writes -----------------------------------------------------------------------------------------

    def _record_decision(self, request: DecisionRequest) -> None:
        """Record the decision the form asks for, off the GUI thread; the form waits for the answer."""
        ctx = self._ctx
        if ctx is None or ctx.user_id is None:
            self.decision.show_refusal(PermissionDenied("Choose who you are first (File → Switch person)"))
            return
        db, user = ctx.db, ctx.user_id

        def work() -> object:
            return record_decision(
                db,
                request.candidate_id,
                user,
                outcome=request.outcome,
                rationale=request.rationale,
                participants=list(request.participants),
                reopen_reason=request.reopen_reason,
            )

        self.write(
            work,
            lambda _result: self._decision_recorded(request),
            busy="Recording the decision",
            failed=lambda exc: self._decision_refused(request, exc),
        )

    def _decision_recorded(self, request: DecisionRequest) -> None:
        """The decision is recorded: its label in the list, and the decision in force with its history."""
        if not isValid(self):
            return
        self.decision.set_busy(False)
        candidate_id = request.candidate_id
        self.candidate_model.set_decision(candidate_id, OUTCOME_LABELS.get(request.outcome, request.outcome))
        if self.current_candidate_id() != candidate_id:
            self.sig_decision_recorded.emit(candidate_id, None)
            return
        # the decision in force and the ones it superseded, as stored, read off the GUI thread; then the signal
        self.reader.read(candidate_id, lambda d: self.sig_decision_recorded.emit(candidate_id, d.decision))
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)  # the form's button is gone: keys work on

    def _decision_refused(self, request: DecisionRequest, exc: BaseException) -> None:
        if not isValid(self):
            return
        if self.current_candidate_id() == request.candidate_id:
            self.decision.show_refusal(exc)  # under the fields, with the form as typed
        else:
            self.decision.set_busy(False)
            self.warn("The decision was not recorded", str(exc))

    def override(self) -> OverrideDialog | None:
        """Override (reason required)…: ask the reason (window-modal); on success, show every scorecard."""
        d = self._debrief
        if self._ctx is None or d is None or not d.viewer_is_lead:
            return None
        if self.override_dialog is not None and self.override_dialog.isVisible():
            self.override_dialog.raise_()
            return self.override_dialog
        dialog = OverrideDialog(self._ctx, d.candidate_id, candidate=d.candidate, why_hidden=d.why_hidden, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_submitted.connect(self._run_override)
        dialog.destroyed.connect(self._forget_dialog)
        self.override_dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, *_args: object) -> None:
        self.override_dialog = None

    def _run_override(self, candidate_id: int, reason: str) -> None:
        """Record the override off the GUI thread; the dialog stays open until it is done or refused."""
        ctx = self._ctx
        if ctx is None or ctx.user_id is None:
            self._override_refused(PermissionDenied("Choose who you are first (File → Switch person)"))
            return
        db, user = ctx.db, ctx.user_id
        self.write(
            lambda: override_independence(db, candidate_id, user, reason),
            lambda _result: self._overridden(candidate_id),
            busy="Showing every scorecard",
            failed=self._override_refused,
        )

    def _override_refused(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        if self.override_dialog is not None:
            self.override_dialog.refuse(exc)
        else:
            self.warn("The scorecards stay hidden", str(exc))

    def _overridden(self, candidate_id: int) -> None:
        if not isValid(self):
            return
        if self.override_dialog is not None:
            self.override_dialog.done_saving()
        if self.current_candidate_id() == candidate_id:
            self._load(candidate_id)
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
