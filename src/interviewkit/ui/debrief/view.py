"""Debriefs: the panel's scorecards for one candidate side by side, where they disagree, and the decision.

Left, the candidates with at least one submitted scorecard, with a search box (Ctrl+F). Right, the selected
candidate: a grid of ratings (competencies by scorecard, the recommendations on an "Overall" row, the
disagreement, the raw mean and, once calibration provides it, the leniency-adjusted mean), then tabs for the
evidence behind a clicked cell, the coverage of the role's requirements, the summaries and the decision.

What a person may see is decided by ``interviewkit.services.debrief`` (independent judgement first: other
scorecards stay hidden until one's own is in); this screen shows what the service returns, says why the
rest is hidden, and offers the debrief lead the audited override.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from interviewkit.domain.markup import escape
from interviewkit.ui.debrief.decision import DecisionPanel
from interviewkit.ui.debrief.dialogs import OverrideDialog
from interviewkit.ui.debrief.evidence import HINT_HTML, competency_html, rating_html, scorecard_html, summaries_html
from interviewkit.ui.debrief.model import (
    EXTRA_ADJUSTED,
    EXTRA_MEAN,
    EXTRA_SPREAD,
    CandidateFilterProxy,
    CandidateListModel,
    CandidateRow,
    CoverageFilterProxy,
    CoverageTableModel,
    DebriefGridModel,
    IdRole,
    rating_colours,
)
from interviewkit.ui.widgets.delegates import CardDelegate
from interviewkit.ui.widgets.formatting import plural
from interviewkit.ui.widgets.shortcuts import widget_shortcut
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.layout import list_and_detail
from interviewkit.ui.widgets.tasks import run_in_background

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext
    from interviewkit.services.debrief import Debrief
    from interviewkit.services.people import PersonInfo

__all__ = ["EMPTY_TEXT", "DebriefView"]

EMPTY_TEXT = "No scorecards submitted yet. Debriefs appear here once interviewers submit."
CARD_MIN_WIDTH = 64  # a rating column: at least this, its header and its recommendation ("Strong yes")
ROW_HEADER_MIN = 170  # competency names: elided to leave room for the columns, whole in the tooltip
EXTRA_WIDTHS = {EXTRA_SPREAD: 100, EXTRA_MEAN: 52, EXTRA_ADJUSTED: 72}


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class DebriefView(SectionWidget):
    """The debrief of each candidate, as the person using the app may see it, and the panel's decision."""

    title = "Debriefs"
    watches = frozenset({"scorecards", "decisions", "candidates", "loops", "people", "erased"})

    sig_decision_recorded = Signal(int, object)
    """The debrief lead recorded (or, reopening, amended) a decision: the candidate id and the new
    ``DecisionInfo``. Screens that show candidates' decisions may refresh."""

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
        self._evidence_target: tuple[Any, ...] | None = None
        self._loads = 0  # debriefs fetched so far (refresh() reloads only when selecting did not)
        self.override_dialog: OverrideDialog | None = None

        # -- candidates ---------------------------------------------------------------------------------
        self.search = QLineEdit(placeholderText="Search (Ctrl+F)")
        self.search.setToolTip("Search candidates by name, opening or decision (Ctrl+F)")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search candidates")
        self.candidate_model = CandidateListModel(self)
        self.candidate_proxy = CandidateFilterProxy(self)
        self.candidate_proxy.setSourceModel(self.candidate_model)
        self.candidate_list = QListView()
        self.candidate_list.setObjectName("debriefCandidates")
        self.candidate_list.setAccessibleName("Candidates")
        self.candidate_list.setModel(self.candidate_proxy)
        self.candidate_list.setItemDelegate(CardDelegate(self.candidate_list))
        self.candidate_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.candidate_list.setUniformItemSizes(True)
        self.candidate_empty = QLabel(alignment=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, wordWrap=True)
        self.candidate_empty.setObjectName("debriefEmpty")
        self.candidate_empty.setProperty("role", "empty-state")
        self.candidate_stack = QStackedWidget()
        self.candidate_stack.addWidget(self.candidate_list)
        self.candidate_stack.addWidget(self.candidate_empty)
        self.candidate_count = QLabel()
        self.candidate_count.setProperty("role", "subtle")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.candidate_stack, 1)
        left_layout.addWidget(self.candidate_count)

        # -- header and banner --------------------------------------------------------------------------
        self.header = QLabel()
        self.header.setObjectName("debriefHeader")
        self.header.setProperty("role", "loop-header")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subheader = QLabel(wordWrap=True)
        self.subheader.setProperty("role", "subtle")
        self.act_export = QAction("&Export PDF…", self)
        self.act_export.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.act_export.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        seq = self.act_export.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.act_export.setToolTip(f"Export this candidate's debrief packet as a PDF ({seq})")
        self.addAction(self.act_export)
        self.export_button = QPushButton("Export PDF…")
        self.export_button.setObjectName("exportDebrief")
        self.export_button.setToolTip(self.act_export.toolTip())

        self.banner = QFrame()
        self.banner.setObjectName("debriefBanner")
        self.banner.setAccessibleName("Hidden scorecards")
        icon_size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        banner_icon = QLabel()
        banner_icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(icon_size, icon_size))
        banner_icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.banner_text = QLabel(wordWrap=True)
        self.banner_text.setObjectName("debriefBannerText")
        self.override_button = QPushButton("Override (reason required)…")
        self.override_button.setObjectName("overrideButton")
        self.override_button.setToolTip("See every submitted scorecard now; your reason goes into the audit trail")
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(10, 8, 10, 8)
        banner_row.addWidget(banner_icon, 0, Qt.AlignmentFlag.AlignTop)
        banner_row.addWidget(self.banner_text, 1)
        banner_row.addWidget(self.override_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.banner.hide()

        # -- the grid -----------------------------------------------------------------------------------
        self.grid_model = DebriefGridModel(self)
        self.grid = QTableView()
        self.grid.setObjectName("debriefGrid")
        self.grid.setAccessibleName("Ratings by competency and interviewer")
        self.grid.setModel(self.grid_model)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setWordWrap(False)
        self.grid.setCornerButtonEnabled(False)
        self.grid.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        row_height = self.fontMetrics().height() + 8
        vheader = self.grid.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(row_height)
        vheader.setTextElideMode(Qt.TextElideMode.ElideRight)
        vheader.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        vheader.setSectionsClickable(True)
        vheader.setHighlightSections(True)
        hheader = self.grid.horizontalHeader()
        hheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hheader.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        hheader.setSectionsClickable(True)
        hheader.setHighlightSections(True)
        hheader.setStretchLastSection(False)
        self.grid_empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.grid_empty.setObjectName("gridEmpty")
        self.grid_empty.setProperty("role", "empty-state")
        self.grid_stack = QStackedWidget()
        self.grid_stack.addWidget(self.grid)
        self.grid_stack.addWidget(self.grid_empty)
        self.flags = QLabel(wordWrap=True)
        self.flags.setObjectName("debriefFlags")
        self.flags.setAccessibleName("Disagreements")
        self.legend = QLabel()  # the colour scale, above the grid at the right
        self.legend.setObjectName("debriefLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.adjusted_note = QLabel(wordWrap=True)
        self.adjusted_note.setObjectName("adjustedNote")
        self.adjusted_note.setProperty("role", "subtle")
        self.adjusted_note.hide()
        for label in (self.flags, self.adjusted_note):  # as tall as their text, so the pane fits the grid
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        grid_pane = QWidget()
        grid_layout = QVBoxLayout(grid_pane)
        grid_layout.setContentsMargins(0, 0, 0, 4)
        grid_layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinAndMaxSize)
        grid_layout.setSpacing(4)
        # No stretch: the pane is never taller than the grid's rows, so the tabs below get the rest.
        grid_layout.addWidget(self.grid_stack)
        grid_layout.addWidget(self.flags)
        grid_layout.addWidget(self.adjusted_note)

        # -- the tabs below -----------------------------------------------------------------------------
        self.evidence = QTextBrowser()
        self.evidence.setObjectName("debriefEvidence")
        self.evidence.setAccessibleName("Evidence")
        self.evidence.setOpenLinks(False)
        self.coverage_summary = QLabel()
        self.coverage_summary.setObjectName("coverageSummary")
        self.only_unassessed = QCheckBox("Only requirements not assessed")
        self.coverage_model = CoverageTableModel(self)
        self.coverage_proxy = CoverageFilterProxy(self)
        self.coverage_proxy.setSourceModel(self.coverage_model)
        self.coverage_table = QTableView()
        self.coverage_table.setObjectName("debriefCoverage")
        self.coverage_table.setAccessibleName("Requirements and who assessed them")
        self.coverage_table.setModel(self.coverage_proxy)
        self.coverage_table.verticalHeader().hide()
        self.coverage_table.setShowGrid(False)
        self.coverage_table.setWordWrap(True)
        self.coverage_table.setAlternatingRowColors(True)
        self.coverage_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.coverage_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.coverage_table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        cov_header = self.coverage_table.horizontalHeader()
        cov_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        cov_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        coverage_page = QWidget()
        coverage_layout = QVBoxLayout(coverage_page)
        coverage_layout.setContentsMargins(6, 6, 6, 6)
        coverage_top = QHBoxLayout()
        coverage_top.addWidget(self.coverage_summary, 1)
        coverage_top.addWidget(self.only_unassessed)
        coverage_layout.addLayout(coverage_top)
        coverage_layout.addWidget(self.coverage_table, 1)
        self.summaries = QTextBrowser()
        self.summaries.setObjectName("debriefSummaries")
        self.summaries.setAccessibleName("Summaries")
        self.summaries.setOpenLinks(False)
        self.decision = DecisionPanel()

        self.tabs = QTabWidget()
        self.tabs.setObjectName("debriefTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.evidence, "Evidence")
        self.tabs.addTab(coverage_page, "Coverage")
        self.tabs.addTab(self.summaries, "Summaries")
        self.tabs.addTab(self.decision, "Decision")
        for i, tip in enumerate((
            "The evidence behind the rating you clicked",
            "Which requirements of the role this loop assessed, by whom and with what rating",
            "Each interviewer's summary and recommendation",
            "The panel's decision and its history",
        )):
            self.tabs.setTabToolTip(i, tip)

        self.page_splitter = QSplitter(Qt.Orientation.Vertical)
        self.page_splitter.setObjectName("debriefPageSplitter")
        self.page_splitter.addWidget(grid_pane)
        self.page_splitter.addWidget(self.tabs)
        self.page_splitter.setStretchFactor(0, 3)
        self.page_splitter.setStretchFactor(1, 2)
        # The grid pane is never taller than its rows: asking for more gives it all of them, the tabs the rest.
        self.page_splitter.setSizes([800, 200])
        self.page_splitter.setChildrenCollapsible(False)

        header_row = QHBoxLayout()
        header_row.addWidget(self.header, 1)
        header_row.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        subheader_row = QHBoxLayout()
        subheader_row.addWidget(self.subheader, 1)
        subheader_row.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignBottom)
        self.page = QWidget()
        self.page.setObjectName("debriefPage")
        page_layout = QVBoxLayout(self.page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(4)
        page_layout.addLayout(header_row)
        page_layout.addLayout(subheader_row)
        page_layout.addWidget(self.banner)
        page_layout.addWidget(self.page_splitter, 1)

        self.placeholder = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.placeholder.setObjectName("debriefPlaceholder")
        self.placeholder.setProperty("role", "empty-state")
        self.right_stack = QStackedWidget()
        self.right_stack.addWidget(self.placeholder)
        self.right_stack.addWidget(self.page)

        self.splitter = list_and_detail(self, self.title, left, self.right_stack, name="debriefSplitter", stretch=(1, 5),
                                        sizes=(180, 900))

        self.setTabOrder(self.search, self.candidate_list)
        self.setTabOrder(self.candidate_list, self.export_button)
        self.setTabOrder(self.export_button, self.override_button)
        self.setTabOrder(self.override_button, self.grid)
        self.setTabOrder(self.grid, self.tabs)

        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(lambda: self.candidate_list.setFocus(Qt.FocusReason.OtherFocusReason))
        widget_shortcut(self.search, Qt.Key.Key_Down, lambda: self.candidate_list.setFocus(Qt.FocusReason.OtherFocusReason))
        self.candidate_list.selectionModel().currentChanged.connect(self._on_candidate_current)
        self.grid_model.modelReset.connect(self._size_grid)
        self.grid.installEventFilter(self)
        self.grid.clicked.connect(self.show_cell)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            widget_shortcut(self.grid, key, lambda: self.show_cell(self.grid.currentIndex()))
            widget_shortcut(self.candidate_list, key, lambda: self.grid.setFocus(Qt.FocusReason.OtherFocusReason))
        hheader.sectionClicked.connect(self._on_column_header)
        vheader.sectionClicked.connect(self._on_row_header)
        self.override_button.clicked.connect(self.override)
        self.act_export.triggered.connect(self.export)
        self.export_button.clicked.connect(self.act_export.trigger)
        self.only_unassessed.toggled.connect(self._on_only_unassessed)
        cov_header.sectionResized.connect(lambda *_: self.coverage_table.resizeRowsToContents())
        self.decision.sig_recorded.connect(self._decision_recorded)
        self._show_candidates([])

    # -- data -------------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        if ctx is None:
            self._show_candidates([])
            return
        self.refresh()

    def refresh(self) -> None:
        """Reload the candidates and the debrief shown, keeping the selection, the cell and the form."""
        if self._ctx is None or self._ctx.user_id is None:
            self._show_candidates([])
            return
        from interviewkit.services.debrief import OUTCOME_LABELS, debrief_candidates
        from interviewkit.services.people import people

        ctx = self._ctx
        assert ctx.user_id is not None
        self._labels = dict(ctx.scale_labels)
        self._people = people(ctx.db)
        rows = [
            CandidateRow(cid, name, opening, submitted, stages, OUTCOME_LABELS.get(outcome, outcome) if outcome else "")
            for cid, name, opening, submitted, stages, outcome in debrief_candidates(ctx.db, ctx.user_id)
        ]
        keep = self.current_candidate_id()
        loads = self._loads
        self._show_candidates(rows, keep)
        if keep is not None and keep == self.current_candidate_id() and loads == self._loads:
            self._load(keep)  # the same candidate stayed selected (no signal): reload what it shows

    def _show_candidates(self, rows: list[CandidateRow], keep: int | None = None) -> None:
        self.candidate_model.set_candidates(rows)
        if keep is not None and self.candidate_model.row_of(keep) >= 0:
            self.select_candidate(keep)
        self._after_filter()

    def _after_filter(self) -> None:
        total, shown = self.candidate_model.rowCount(), self.candidate_proxy.rowCount()
        if self._ctx is None:
            self.candidate_empty.setText("No database open.")
        elif self._ctx.user_id is None:
            self.candidate_empty.setText("Choose who you are first (File → Switch person): what a debrief shows depends on it.")
        elif total == 0:
            self.candidate_empty.setText(EMPTY_TEXT)
        else:
            self.candidate_empty.setText(
                f"No candidate matches “{self.search.text().strip()}”.\nClear the search (Esc) to see them all."
            )
        self.candidate_stack.setCurrentWidget(self.candidate_list if shown else self.candidate_empty)
        if shown and not self.candidate_list.currentIndex().isValid():
            self.candidate_list.setCurrentIndex(self.candidate_proxy.index(0, 0))
        self.candidate_count.setText(
            "" if not total else plural(total, "candidate") if shown == total else f"{shown} of {plural(total, 'candidate')}"
        )
        if not shown:
            self._show_debrief(None)

    def current_candidate_id(self) -> int | None:
        index = self.candidate_list.currentIndex()
        return int(index.data(IdRole)) if index.isValid() else None

    def select_candidate(self, candidate_id: int) -> bool:
        """Show this candidate's debrief, clearing a search that hides them."""
        row = self.candidate_model.row_of(candidate_id)
        if row < 0:
            return False
        index = self.candidate_proxy.mapFromSource(self.candidate_model.index(row))
        if not index.isValid():
            self.search.clear()
            index = self.candidate_proxy.mapFromSource(self.candidate_model.index(row))
        self.candidate_list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.candidate_list.scrollTo(index)
        return True

    def _on_candidate_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._load(int(current.data(IdRole)))
        else:
            self._show_debrief(None)

    def _load(self, candidate_id: int) -> None:
        from interviewkit.services.debrief import debrief
        from interviewkit.services.errors import NotFound

        if self._ctx is None or self._ctx.user_id is None:
            return
        self._loads += 1
        try:
            loaded = debrief(self._ctx.db, candidate_id, self._ctx.user_id, self._ctx.settings)
        except NotFound:
            self.refresh()
            return
        self._show_debrief(loaded)

    @property
    def shown(self) -> Debrief | None:
        """The debrief on screen, as the service returned it."""
        return self._debrief

    # -- showing ----------------------------------------------------------------------------------------

    def _show_debrief(self, d: Debrief | None) -> None:
        previous = self._debrief
        same = previous is not None and d is not None and previous.candidate_id == d.candidate_id
        current = self.grid.currentIndex()
        keep_cell = self._cell_key(current) if same and current.isValid() else None
        self._debrief = d
        if d is None:
            self.grid_model.set_debrief(None)
            self.decision.show_debrief(self._ctx, None, [])
            self._evidence_target = None
            if self._ctx is None:
                self.placeholder.setText("No database open.")
            elif self.candidate_model.rowCount() == 0:
                self.placeholder.setText(
                    "A debrief puts the panel's scorecards side by side: ratings, disagreements, the evidence "
                    "behind them and the coverage of the role's requirements. The debrief lead records the decision."
                )
            else:
                self.placeholder.setText("Select a candidate on the left.")
            self.right_stack.setCurrentWidget(self.placeholder)
            self.act_export.setEnabled(False)
            self.export_button.setEnabled(False)
            return
        self.right_stack.setCurrentWidget(self.page)
        self.act_export.setEnabled(True)
        self.export_button.setEnabled(True)
        self.header.setText(
            f"{escape(d.candidate)} · {escape(d.opening)} · {d.submitted_count} of {d.stage_count} scorecards submitted"
        )
        self._show_subheader(d)
        self._show_banner(d)
        self.grid_model.set_debrief(d, scale_labels=tuple(self._labels.items()),
                                    recommendations=self._ctx.settings.recommendations if self._ctx else ())
        self.adjusted_note.hide()
        if d.columns:
            self.grid_stack.setCurrentWidget(self.grid)
            self.grid_stack.setMaximumHeight(self.grid.maximumHeight())
        else:
            self.grid_stack.setMaximumHeight(200)
            self.grid_empty.setText(
                "No scorecard to show yet: the grid appears once you may see them (above)."
                if d.hidden_count else "Nobody has submitted a scorecard for this candidate yet."
            )
            self.grid_stack.setCurrentWidget(self.grid_empty)
        self._show_flags(d)
        self._show_legend()
        self.legend.setVisible(bool(d.columns))
        self._show_coverage(d)
        self.summaries.setHtml(summaries_html(d))
        self.decision.show_debrief(self._ctx, d, self._people)
        self.tabs.setTabText(3, f"Decision: {d.decision.label}" if d.decision else "Decision")
        if (keep_cell is None or not self._restore_cell(keep_cell)) and d.columns:
            # the arrow keys start from the first rating; nothing is highlighted until the user moves
            self.grid.selectionModel().setCurrentIndex(
                self.grid_model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        if not same or not self._render_evidence():
            self._evidence_target = None
            self.evidence.setHtml(HINT_HTML)
        self.sig_candidate_shown.emit(d.candidate_id)
        self._compute_adjusted(d.candidate_id)

    def _show_subheader(self, d: Debrief) -> None:
        parts = []
        if d.decision is not None:
            parts.append(f"Decision: {d.decision.label}, by {d.decision.decided_by}")  # when and why: Decision tab
        else:
            parts.append("No decision yet")
        parts.append("you lead this debrief" if d.viewer_is_lead else "the debrief lead records the decision")
        if d.override:
            parts.append("scorecards shown early by the lead's override (in the audit trail)")
        self.subheader.setText(" · ".join(parts))

    def _show_banner(self, d: Debrief) -> None:
        if not d.hidden_count:
            self.banner.hide()
            return
        hidden = plural(d.hidden_count, "submitted scorecard")
        verb = "is" if d.hidden_count == 1 else "are"
        self.banner_text.setText(f"<b>{hidden} {verb} hidden from you.</b> {escape(d.why_hidden)}")
        self.override_button.setVisible(d.viewer_is_lead)
        self.banner.show()

    def _show_flags(self, d: Debrief) -> None:
        if not d.columns:
            self.flags.hide()
            return
        names = dict(d.competencies)
        parts = []
        if d.disagreements:
            rows = ", ".join(f"{names.get(cid, cid)} (spread {s})" for cid, s in d.disagreements.items())
            parts.append(f"⚠ Ratings 2 or more points apart: {rows}")
        if d.split_recommendation:
            parts.append(f"⚠ Split panel: {self.grid_model.split_words()}")
        if parts:
            self.flags.setText("    ".join(parts))
            self.flags.setProperty("state", "warning")
        else:
            self.flags.setText("✓ No disagreement of 2 points or more, and the recommendations agree.")
            self.flags.setProperty("state", "ok")
        _repolish(self.flags)
        self.flags.show()
        self._fit_grid()

    def _show_legend(self) -> None:
        scale = rating_colours()
        levels = sorted(self._labels)
        if not levels:
            self.legend.setText("")
            return
        lo, hi = levels[0], levels[-1]
        chips = []
        for level in levels:
            bg, fg = scale[round((level - lo) / (hi - lo) * (len(scale) - 1)) if hi > lo else -1]
            chips.append(
                f"<span style='background-color:{bg}; color:{fg}; font-weight:600'>&nbsp;{level}&nbsp;</span>"
                f"&nbsp;{escape(self._labels[level])}"
            )
        chips.append("<b>–</b>&nbsp;n/a")
        self.legend.setText("&nbsp;&nbsp;".join(chips))
        self.legend.setToolTip("The colour scale of the grid. A rating marked n/a shows – and its reason in the tooltip.")

    def _show_coverage(self, d: Debrief) -> None:
        self.coverage_model.set_entries(d.coverage)
        total, missing = len(d.coverage), len(d.unassessed)
        partial = f" (from the {plural(len(d.columns), 'scorecard')} you can see)" if d.hidden_count else ""
        if total == 0:
            self.coverage_summary.setText("The opening has no job description with requirements.")
            self.coverage_summary.setProperty("state", "warning")
        elif missing:
            self.coverage_summary.setText(
                f"⚠ {total - missing} of {total} requirements assessed · {missing} not assessed{partial}"
            )
            self.coverage_summary.setProperty("state", "warning")
        else:
            self.coverage_summary.setText(f"✓ All {total} requirements assessed{partial}")
            self.coverage_summary.setProperty("state", "ok")
        _repolish(self.coverage_summary)
        self.tabs.setTabText(1, f"Coverage ({missing} not assessed)" if missing else "Coverage")
        self.coverage_table.resizeRowsToContents()

    def _on_only_unassessed(self, on: bool) -> None:
        self.coverage_proxy.set_only_unassessed(on)
        self.coverage_table.resizeRowsToContents()

    def _size_grid(self) -> None:
        model = self.grid_model
        header = self.grid.horizontalHeader()
        bold = QFont(self.grid.font())
        bold.setBold(True)
        recommendations = self._ctx.settings.recommendations if self._ctx is not None else ()
        widest = max((QFontMetrics(bold).horizontalAdvance(r) for r in recommendations), default=0) + 18
        for col in range(model.columnCount()):
            extra = model.extra_at(col)
            if extra:
                self.grid.setColumnWidth(col, EXTRA_WIDTHS[extra])
            else:  # the interviewer's name whole: the header is the only place it is shown
                self.grid.setColumnWidth(col, max(CARD_MIN_WIDTH, widest, header.sectionSizeFromContents(col).width()))
        self._fit_grid()

    def _fit_grid(self) -> None:
        """Give the competency names the width the columns leave, and make the grid as tall as its rows."""
        grid = self.grid
        header, rows_header = grid.horizontalHeader(), grid.verticalHeader()
        frame = 2 * grid.frameWidth()
        scroll_bar = grid.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, grid)
        room = grid.width() - frame - header.length()
        rows_header.setMaximumWidth(max(ROW_HEADER_MIN, min(rows_header.sizeHint().width(), room)))
        height = header.sizeHint().height() + rows_header.length() + frame
        if rows_header.maximumWidth() + header.length() + frame > grid.width():
            height += scroll_bar  # the columns overflow: a horizontal scroll bar takes a row's place
        minimum = header.sizeHint().height() + 3 * rows_header.defaultSectionSize() + frame
        grid.setMinimumHeight(min(height, minimum))
        grid.setMaximumHeight(max(height, minimum))
        if self.grid_stack.currentWidget() is grid:
            self.grid_stack.setMaximumHeight(grid.maximumHeight())
        for label in (self.flags, self.adjusted_note):  # wrapped text: as tall as it is at this width
            label.setMaximumHeight(max(label.heightForWidth(grid.width()), 0) or 16777215)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt override
        if watched is self.grid and event.type() == event.Type.Resize:
            self._fit_grid()
        return super().eventFilter(watched, event)

    # -- adjusted means (filled by calibration) ---------------------------------------------------------

    def set_adjusted_scores(self, scores: Mapping[str, float] | None, explanation: str = "") -> None:
        """The hook for calibration: leniency-adjusted means per competency id for the candidate shown.

        Given scores, the grid gains an "Adjusted" column (next to "Mean") and ``explanation`` appears as
        one line under the grid (e.g. "Adjusted for each interviewer's leniency, from 14 shared
        candidates"). None removes both. Showing another candidate clears them: connect
        :attr:`sig_candidate_shown` to provide the scores of each candidate shown.
        """
        key = self._cell_key(self.grid.currentIndex())
        self.grid_model.set_adjusted(scores, explanation)
        self.adjusted_note.setText(explanation)
        self.adjusted_note.setVisible(scores is not None and bool(explanation))
        self._fit_grid()
        if key is not None:
            self._restore_cell(key)

    # -- evidence ---------------------------------------------------------------------------------------

    def _cell_key(self, index: QModelIndex) -> tuple[Any, Any] | None:
        """A cell by what it shows (competency id or "overall", scorecard id or extra), not by position."""
        if not index.isValid():
            return None
        model = self.grid_model
        comp = model.competency_at(index.row())
        row_key = comp[0] if comp is not None else "overall"
        card = model.card_at(index.column())
        return row_key, (card.scorecard_id if card is not None else model.extra_at(index.column()))

    def _restore_cell(self, key: tuple[Any, Any]) -> bool:
        model = self.grid_model
        row_key, col_key = key
        row = model.overall_row() if row_key == "overall" else model.row_of(row_key)
        col = next((c for c in range(model.card_count()) if model.card_at(c).scorecard_id == col_key), -1)  # type: ignore[union-attr]
        if col < 0 and isinstance(col_key, str):
            col = model.column_of_extra(col_key)
        if row < 0 or col < 0:
            return False
        self.grid.selectionModel().setCurrentIndex(model.index(row, col), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return True

    def show_cell(self, index: QModelIndex) -> None:
        """Show what lies behind a cell: a rating's evidence, a scorecard's summary, a competency's spread."""
        if not index.isValid():
            return
        model = self.grid_model
        card = model.card_at(index.column())
        comp = model.competency_at(index.row())
        if model.is_overall(index.row()):
            if card is not None:
                self._set_evidence(("card", card.scorecard_id))
            else:
                self.tabs.setCurrentWidget(self.summaries)
            return
        if comp is None:
            return
        if card is not None:
            self._set_evidence(("cell", card.scorecard_id, comp[0]))
        else:
            self._set_evidence(("competency", comp[0]))

    def _on_column_header(self, column: int) -> None:
        card = self.grid_model.card_at(column)
        if card is not None:
            self._set_evidence(("card", card.scorecard_id))

    def _on_row_header(self, row: int) -> None:
        comp = self.grid_model.competency_at(row)
        if comp is not None:
            self._set_evidence(("competency", comp[0]))
        elif self.grid_model.is_overall(row):
            self.tabs.setCurrentWidget(self.summaries)

    def _set_evidence(self, target: tuple[Any, ...]) -> None:
        self._evidence_target = target
        if self._render_evidence():
            self.tabs.setCurrentWidget(self.evidence)

    def _render_evidence(self) -> bool:
        """Render the evidence pane for its target; False when the target is no longer on screen."""
        d, target = self._debrief, self._evidence_target
        if d is None or target is None:
            return False
        names = dict(d.competencies)
        cards = {c.scorecard_id: c for c in d.columns}
        kind = target[0]
        if kind == "cell" and target[1] in cards and target[2] in names:
            html = rating_html(cards[target[1]], target[2], names[target[2]], self._labels)
        elif kind == "card" and target[1] in cards:
            html = scorecard_html(cards[target[1]], d.competencies, self._labels)
        elif kind == "competency" and target[1] in names:
            html = competency_html(d, target[1], names[target[1]], self._labels)
        else:
            return False
        self.evidence.setHtml(html)
        return True

    # -- actions ----------------------------------------------------------------------------------------

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the candidate search with its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        return True

    def _on_search(self, text: str) -> None:
        self.candidate_proxy.set_text(text)
        self._after_filter()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.search.hasFocus() and self.search.text():
            self.search.clear()
            return
        super().keyPressEvent(event)

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
        dialog.sig_saved.connect(self._overridden)
        dialog.destroyed.connect(lambda *_: self._forget_dialog(dialog))
        self.override_dialog = dialog
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: OverrideDialog) -> None:
        if self.override_dialog is dialog:
            self.override_dialog = None

    def _overridden(self, candidate_id: int) -> None:
        if self.current_candidate_id() == candidate_id:
            self._load(candidate_id)
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def _decision_recorded(self, info: Any) -> None:
        from interviewkit.services.changes import Changes

        d = self._debrief
        if d is None:
            return
        self.refresh()
        self.sig_decision_recorded.emit(d.candidate_id, info)
        self.announce(Changes.of(decisions=[d.candidate_id]))

    def export(self) -> None:
        """Export PDF… (Ctrl+P): the packet of the candidate shown, with a preview."""
        self.export_pdf()

    def export_pdf(self) -> bool:
        """The debrief packet of the candidate shown, as its viewer may see it, with a preview."""
        d, ctx = self._debrief, self._ctx
        if d is None or ctx is None or ctx.user_id is None:
            return False
        from interviewkit.ui.widgets.pdf_preview import preview_and_save, safe_file_name

        candidate_id, viewer, name = d.candidate_id, ctx.user_id, d.candidate
        self.sig_export_requested.emit(candidate_id)

        def write(path: Any, options: Any) -> None:
            from interviewkit.services.exports import export_debrief_pdf

            export_debrief_pdf(ctx.db, candidate_id, path, settings=ctx.settings, viewer_id=viewer,
                               page_size=options.page_size, hide_names=options.hide_names)

        dialog = preview_and_save(self.window(), f"Debrief packet · {name}", write,
                                  suggested_name=safe_file_name(f"debrief packet {name}"), settings=self.host.settings)
        dialog.sig_saved.connect(lambda path: self.host.notify(f"Saved {path}"))
        return True

    def _compute_adjusted(self, candidate_id: int) -> None:
        """The candidate's leniency-adjusted means, computed off the GUI thread, for a viewer who sees every
        scorecard (they draw on the panel's ratings)."""
        shown, ctx = self._debrief, self._ctx
        if ctx is None or shown is None or shown.hidden_count or not shown.columns:
            return

        def work() -> Any:
            from interviewkit.services.calibration import candidate_adjustment

            return candidate_adjustment(ctx.db, candidate_id, by=ctx.user_id)

        def done(result: Any) -> None:
            from shiboken6 import isValid

            now = self._debrief
            if isValid(self) and result is not None and now is not None and now.candidate_id == candidate_id:
                self.set_adjusted_scores(result.adjusted, result.explanation)

        run_in_background(work, done, lambda _exc: None)
