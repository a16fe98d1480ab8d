"""The People section: the interviewer directory, the openings and their candidates, one tab each.

Each tab (:class:`~interviewkit.ui.people.directory_tab.DirectoryTab`) is a searchable, sortable table with
"New…" (Ctrl+N while the tab is shown) and "Edit…" (Enter or a double-click). The dialogs
(:mod:`interviewkit.ui.people.dialogs`, the erasure and the retention dialogs) only return what was asked;
this screen runs each write off the GUI thread (:meth:`SectionWidget.write`), then shows the record as
stored. What others change (a loop planned for a candidate, a person added at first start) reaches the screen
as a change event (:attr:`PeopleView.watches`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from interviewkit.services import paging
from interviewkit.services import people as svc
from interviewkit.services.changes import Changes
from interviewkit.services.context import AppContext
from interviewkit.services.people import CandidateInfo, OpeningInfo, PersonInfo
from interviewkit.services.privacy import ErasureReport, Retention, apply_retention, erase_candidate, set_retention_days
from interviewkit.ui.people.dialogs import CandidateDialog, FormDialog, OpeningDialog, PersonDialog
from interviewkit.ui.people.directory_tab import DirectoryTab
from interviewkit.ui.people.erase import EraseCandidateDialog
from interviewkit.ui.people.models import CandidatePages, OpeningTableModel, PersonTableModel
from interviewkit.ui.people.paged_tab import PagedDirectoryTab
from interviewkit.ui.people.reading import PeopleRead, candidate_counts, candidate_pages, read_people
from interviewkit.ui.people.refusals import why_not
from interviewkit.ui.people.retention import RetentionDialog
from interviewkit.ui.people.writes import candidate_write, opening_write, person_write
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.shortcuts import key_entry, key_of

__all__ = ["RETENTION", "PeopleView"]

_NEW = key_entry("new_record").label  # Ctrl+N, as the empty states and tooltips write it
_SWITCH = f"{key_entry('previous_tab').label} / {key_entry('next_tab').label}"

#: ``show_target(RETENTION)`` opens the retention dialog (File → Personal data retention…).
RETENTION = "retention"

D = TypeVar("D", bound=QDialog)
F = TypeVar("F", bound=FormDialog)


class PeopleView(SectionWidget):
    """Interviewers, openings and candidates: who interviews, for which roles, and whom."""

    title = "People"
    watches = frozenset({"people", "openings", "candidates", "loops", "erased", "bank"})

    sig_people_changed = Signal(object)
    """A write of this screen is done and shown: the saved PersonInfo, OpeningInfo or CandidateInfo."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx: AppContext | None = None
        self._candidates_of: int | None = None  # the opening whose candidates are read (None: all)
        self.dialog: QWidget | None = None  # the dialog open now (window-modal), if any
        self.allowed: frozenset[str] = frozenset()  # what the person using the app may do
        self._people: list[PersonInfo] = []  # the directory as read last (whom to ask, when a change is refused)
        self._focus_wanted = False  # entered while reading: the table takes the focus once it is shown
        self.setObjectName("peopleView")
        self._build_tabs()
        self._build_candidate_tools()
        self._lay_out()
        self._connect()
        self._set_empty_candidates_text(has_openings=False)
        for tab in self.tabs_list():
            tab.update_state()
        self._update_show_candidates()

    # -- building ---------------------------------------------------------------------------------------

    def _build_tabs(self) -> None:
        P, Op, C = PersonTableModel, OpeningTableModel, CandidatePages  # noqa: N806 - column names
        self.person_model, self.opening_model = P(), Op()
        self.candidate_model = C(fetch=self.fetch, kind="candidates")  # a page at a time: 60,000 on a large database
        self.people_tab = DirectoryTab(
            self.person_model,
            nouns=("person", "people"),
            search_hint="Search by name, email, title or role",
            new_tip="Add a person to the directory",
            widths={P.NAME: 190, P.TITLE: 190, P.ROLE: 130, P.ACTIVE: 110},
            stretch=P.EMAIL,
            sort=(P.NAME, Qt.SortOrder.AscendingOrder),
        )
        self.people_tab.empty_text = f"No interviewers yet.\nAdd the people who interview: {_NEW}"
        self.openings_tab = DirectoryTab(
            self.opening_model,
            nouns=("opening", "openings"),
            search_hint="Search by title, hiring manager or job description",
            new_tip="Open a new role",
            widths={Op.MANAGER: 170, Op.JDS: 300, Op.STATUS: 80, Op.CANDIDATES: 100},
            stretch=Op.TITLE,
            sort=(Op.STATUS, Qt.SortOrder.DescendingOrder),  # open ones first
        )
        self.openings_tab.empty_text = f"No openings yet.\nOpen a role and choose its job descriptions: {_NEW}"
        self.candidates_tab = PagedDirectoryTab(
            self.candidate_model,
            nouns=("candidate", "candidates"),
            search_hint="Search by name, email, phone or opening",
            new_tip="Add a candidate for an opening",
            widths={C.NAME: 180, C.PHONE: 160, C.OPENING: 250, C.ADDED: 110, C.LOOPS: 70},
            stretch=C.EMAIL,
            sort=(C.ADDED, Qt.SortOrder.DescendingOrder),  # newest first
        )
        self.candidates_tab.can_edit = lambda c: not c.erased and "manage_candidates" in self.allowed
        self.people_tab.can_edit = lambda _p: "manage_people" in self.allowed
        self.openings_tab.can_edit = lambda _o: "manage_openings" in self.allowed
        self.tabs = QTabWidget()
        self.tabs.setObjectName("peopleTabs")
        self.tabs.setDocumentMode(True)
        tips = (
            "Everyone who interviews, coordinates or decides",
            "Roles being hired for",
            "People applying to an opening",
        )
        for tab, name, tip in zip(self.tabs_list(), ("Interviewers", "Openings", "Candidates"), tips):
            self.tabs.setTabToolTip(self.tabs.addTab(tab, name), f"{tip} ({_SWITCH} switch tabs)")

    def _build_candidate_tools(self) -> None:
        """Erase personal data… and the opening filter on Candidates; Show candidates on Openings."""
        self.erase_action = QAction("E&rase personal data…", self)
        self.erase_action.setToolTip("Erase the selected candidate's personal data everywhere (admins only)")
        self.erase_button = QPushButton("Erase personal data…")
        self.erase_button.setObjectName("eraseCandidate")
        self.erase_button.setToolTip(self.erase_action.toolTip())
        self.candidates_tab.bar.addWidget(self.erase_button)
        self.candidates_tab.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.candidates_tab.table.addAction(self.erase_action)
        self.opening_filter = QComboBox()
        self.opening_filter.setAccessibleName("Show the candidates of")
        self.opening_filter.setToolTip("Show the candidates of one opening")
        self.opening_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.opening_filter.setMinimumContentsLength(28)
        self.candidates_tab.add_filter(self.opening_filter)
        self.show_candidates_button = QPushButton("Show candidates")
        self.show_candidates_button.setToolTip("Show the candidates of the selected opening")
        self.openings_tab.filters.addWidget(self.show_candidates_button)
        self.openings_tab.setTabOrder(self.openings_tab.search, self.show_candidates_button)
        self.openings_tab.setTabOrder(self.show_candidates_button, self.openings_tab.new_button)

    def _lay_out(self) -> None:
        for name, step in (("next_tab", 1), ("previous_tab", -1)):
            # explicit, because a focused table takes these keys before the tab widget sees them
            switch = QAction(self)
            switch.setShortcut(QKeySequence(key_of(name)))
            switch.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            switch.triggered.connect(lambda _=False, step=step: self._step_tab(step))
            self.addAction(switch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        heading = QLabel(self.title)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        self.people_tab.sig_new_requested.connect(self.new_person)
        self.people_tab.sig_edit_requested.connect(self.edit_person)
        self.openings_tab.sig_new_requested.connect(self.new_opening)
        self.openings_tab.sig_edit_requested.connect(self.edit_opening)
        self.candidates_tab.sig_new_requested.connect(self.new_candidate)
        self.candidates_tab.sig_edit_requested.connect(self.edit_candidate)
        for tab in self.tabs_list():
            tab.sig_edit_refused.connect(self._edit_refused)
        self.erase_button.clicked.connect(self.erase_action.trigger)
        self.erase_action.triggered.connect(self.erase_current_candidate)
        self.candidates_tab.table.selectionModel().currentRowChanged.connect(self._update_erase)
        self.candidate_model.sig_loaded.connect(self._update_tab_titles)  # the candidates come a page at a time
        self.candidate_model.sig_counted.connect(self._update_tab_titles)  # and their count after the first page
        self.candidate_model.sig_loaded.connect(self._focus_table_if_wanted)
        self.opening_filter.currentIndexChanged.connect(self._on_opening_filter)
        self.show_candidates_button.clicked.connect(self._show_candidates_of_current)
        self.openings_tab.table.selectionModel().currentRowChanged.connect(self._update_show_candidates)

    def tabs_list(self) -> list[DirectoryTab]:
        return [self.people_tab, self.openings_tab, self.candidates_tab]

    def _step_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())
        self.current_tab().focus_table()

    def current_tab(self) -> DirectoryTab:
        return self.tabs_list()[self.tabs.currentIndex()]

    def focus_entry(self) -> None:
        """On entry the table of the tab shown has the focus (Enter edits its row; Ctrl+PgUp/PgDown switch tabs);
        entered while the records are read, the search box has it until they are shown, then the table."""
        tab = self.current_tab()
        tab.focus_table()
        self._focus_wanted = self.loading and tab.search.hasFocus()

    def _focus_table_if_wanted(self) -> None:
        """The records are shown: the table takes the focus from the search box, unless something was typed."""
        tab = self.current_tab()
        if not self._focus_wanted or tab.stack.currentWidget() is not tab.table:
            return  # not wanted, or nothing to show yet (the candidates come a page at a time)
        self._focus_wanted = False
        if tab.search.hasFocus() and not tab.search.text():
            tab.focus_table()

    def _edit_refused(self, record: PersonInfo | OpeningInfo | CandidateInfo) -> None:
        """Enter on a row the person may not change: the status bar says why, and whom to ask."""
        self.host.notify(why_not(record, self._people, self._ctx.user_id if self._ctx else None))

    # -- data -------------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        if ctx is None:
            self.allowed = frozenset()
            self._update_erase()
            self.people_tab.set_records([])
            self.openings_tab.set_records([])
            self.candidate_model.set_source(None)
            self._fill_opening_filter([])
            self._update_tab_titles()
            return
        self.refresh()

    def refresh(self) -> None:
        """Read the three tabs again (off the GUI thread), keeping selections, searches and the opening filter."""
        if self._ctx is None:
            return
        ctx, user = self._ctx, self._ctx.user_id
        self.fetch(lambda: read_people(ctx, user), self._show)
        self._read_candidates()

    def _read_candidates(self) -> None:
        """Read the candidates again, a page at a time (of the opening chosen, or all), keeping the selection."""
        ctx, opening = self._ctx, self.opening_filter.currentData()
        if ctx is None:
            return
        self._candidates_of = opening
        self.candidate_model.set_source(candidate_pages(ctx, opening), candidate_counts(ctx, opening))

    def _show(self, read: PeopleRead) -> None:
        self.allowed = read.allowed
        self._people = read.people
        self.person_model.set_role_labels(svc.ROLE_LABELS)
        self.people_tab.set_records(read.people)
        self.opening_model.set_jd_titles(read.jd_titles)
        self.openings_tab.set_records(read.openings)
        self._fill_opening_filter(read.openings)
        has_open = any(o.status == "open" for o in read.openings)
        self._set_empty_candidates_text(has_openings=has_open)
        self.candidates_tab.new_action.setEnabled(has_open and "manage_candidates" in self.allowed)
        self.people_tab.new_action.setEnabled("manage_people" in self.allowed)
        self.openings_tab.new_action.setEnabled("manage_openings" in self.allowed)
        for tab in self.tabs_list():
            tab.update_state()  # Edit… follows the rights too
        self._on_opening_filter()
        self._update_tab_titles()
        self._update_erase()
        self._focus_table_if_wanted()

    def _update_erase(self, *_args: Any) -> None:
        """The erase action: shown to admins, enabled on a candidate not yet erased."""
        may = "erase_data" in self.allowed
        record = self.candidates_tab.current_record()
        self.erase_button.setVisible(may)
        self.erase_action.setVisible(may)
        ok = may and record is not None and not record.erased
        self.erase_action.setEnabled(ok)
        self.erase_button.setEnabled(ok)

    def _fill_opening_filter(self, openings: list[OpeningInfo]) -> None:
        keep = self.opening_filter.currentData()
        self.opening_filter.blockSignals(True)
        self.opening_filter.clear()
        self.opening_filter.addItem("All openings", None)
        for o in openings:
            self.opening_filter.addItem(o.title if o.status == "open" else f"{o.title}  (closed)", o.id)
        index = self.opening_filter.findData(keep) if keep is not None else 0
        self.opening_filter.setCurrentIndex(max(index, 0))
        self.opening_filter.blockSignals(False)

    def _set_empty_candidates_text(self, *, has_openings: bool) -> None:
        tab = self.candidates_tab
        if has_openings:
            tab.empty_text = f"No candidates yet.\nAdd a candidate for one of your openings: {_NEW}"
            tab.new_action.setToolTip(tab.new_button.accessibleName() + f" ({_NEW})")
        else:
            tab.empty_text = "No candidates yet.\nCandidates apply to an opening: create one in the Openings tab first."
            tab.new_action.setToolTip("Create an open opening first, in the Openings tab")
        tab.new_button.setToolTip(tab.new_action.toolTip())

    def _update_tab_titles(self) -> None:
        for i, (tab, name) in enumerate(zip(self.tabs_list(), ("Interviewers", "Openings", "Candidates"))):
            n = tab.count()
            self.tabs.setTabText(i, f"{name} ({n})" if n else name)

    # -- filters and search -----------------------------------------------------------------------------

    def focus_search(self) -> bool:
        """Ctrl+F: the search box of the tab shown."""
        self.current_tab().focus_search()
        return True

    def _on_opening_filter(self, *_args: Any) -> None:
        opening_id = self.opening_filter.currentData()
        tab = self.candidates_tab
        tab.filtered = opening_id is not None
        if opening_id != self._candidates_of:
            self._read_candidates()
        if opening_id is not None:
            title = self.opening_filter.currentText()
            tab.no_match_text = (
                f"No candidate for {title} matches “{{text}}”.\nClear the search (Esc) or choose All openings."
                if tab.search.text().strip()
                else f"No candidates for {title} yet.\nAdd one: {_NEW}, or choose All openings."
            )
        else:
            tab.no_match_text = "No {noun} matches “{text}”.\nClear the search (Esc) to see them all."
        tab.refilter_done()

    def show_candidates_of(self, opening_id: int | None) -> None:
        """Switch to the Candidates tab, showing one opening's candidates (None: all)."""
        index = self.opening_filter.findData(opening_id) if opening_id is not None else 0
        self.opening_filter.setCurrentIndex(max(index, 0))
        self.tabs.setCurrentWidget(self.candidates_tab)
        self.candidates_tab.focus_table()

    def _show_candidates_of_current(self) -> None:
        opening = self.openings_tab.current_record()
        if opening is not None:
            self.show_candidates_of(opening.id)

    def _update_show_candidates(self, *_args: Any) -> None:
        opening = self.openings_tab.current_record()
        self.show_candidates_button.setEnabled(opening is not None)
        if opening is not None:
            self.show_candidates_button.setToolTip(f"Show the candidates for {opening.title}")

    def show_target(self, target: object) -> None:
        """``RETENTION``: the retention dialog (File → Personal data retention…)."""
        if target == RETENTION:
            self.open_retention()

    # -- create and edit: the dialogs ask, the screen writes -------------------------------------------

    def new_person(self) -> QWidget | None:
        return self._open_form(lambda ctx: PersonDialog(ctx, parent=self), self.people_tab, person_write)

    def edit_person(self, person: PersonInfo) -> QWidget | None:
        return self._open_form(lambda ctx: PersonDialog(ctx, person, parent=self), self.people_tab, person_write)

    def new_opening(self) -> QWidget | None:
        return self._open_form(lambda ctx: OpeningDialog(ctx, parent=self), self.openings_tab, opening_write)

    def edit_opening(self, opening: OpeningInfo) -> QWidget | None:
        return self._open_form(lambda ctx: OpeningDialog(ctx, opening, parent=self), self.openings_tab, opening_write)

    def new_candidate(self) -> QWidget | None:
        opening_id = self.opening_filter.currentData()
        make = lambda ctx: CandidateDialog(ctx, opening_id=opening_id, parent=self)  # noqa: E731 - one line
        return self._open_form(make, self.candidates_tab, candidate_write)

    def edit_candidate(self, candidate: CandidateInfo) -> QWidget | None:
        make = lambda ctx: CandidateDialog(ctx, candidate, parent=self)  # noqa: E731 - one line
        return self._open_form(make, self.candidates_tab, candidate_write)

    def _open_form(
        self, make: Callable[[AppContext], F], tab: DirectoryTab, work: Callable[[AppContext, F], Callable[[], Any]]
    ) -> QWidget | None:
        """A record's form; its OK has this screen save it off the GUI thread (the dialog waits, open)."""

        def wire(dialog: F, ctx: AppContext) -> None:
            dialog.sig_saved.connect(lambda record: self._saved(tab, record))
            dialog.sig_submitted.connect(
                lambda: self.write(
                    work(ctx, dialog), dialog.done_saving, busy=f"Saving the {tab.nouns[0]}", failed=dialog.refuse
                )
            )

        return self._open(make, wire)

    def erase_current_candidate(self) -> QWidget | None:
        """Erase personal data… on the selected candidate: the confirmation, then the erasure."""
        record = self.candidates_tab.current_record()
        if record is None or record.erased or "erase_data" not in self.allowed:
            return None

        def wire(dialog: EraseCandidateDialog, ctx: AppContext) -> None:
            dialog.sig_saved.connect(lambda info: self._saved(self.candidates_tab, info))
            dialog.sig_submitted.connect(lambda: self._erase(ctx, dialog))

        return self._open(lambda ctx: EraseCandidateDialog(ctx, record, parent=self), wire)

    def _erase(self, ctx: AppContext, dialog: EraseCandidateDialog) -> None:
        candidate_id, reason = dialog.candidate.id, dialog.reason_text()

        def done(report: ErasureReport) -> None:
            dialog.done_erasing(report.cleanup, paging.candidate_info(ctx.db, candidate_id, by=ctx.user_id))

        self.write(
            # an SQLite file's old copies are removed by the dialog, which shows the wait for other copies
            lambda: erase_candidate(
                ctx.db, candidate_id, by=ctx.user_id, reason=reason, compact_after=not ctx.db.is_sqlite
            ),
            done,
            busy="Erasing personal data",
            failed=dialog.refuse,
        )

    def _open(self, make: Callable[[AppContext], D], wire: Callable[[D, AppContext], None]) -> QWidget | None:
        """Open a dialog window-modally (never blocking the event loop), or raise the one open now."""
        if self._ctx is None:
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        dialog = make(self._ctx)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wire(dialog, self._ctx)
        dialog.destroyed.connect(lambda *_: self._forget(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _saved(self, tab: DirectoryTab, record: PersonInfo | OpeningInfo | CandidateInfo) -> None:
        """A record was saved (or a candidate erased): read the tabs again and show it. The record alone is not
        enough: the other tabs show it too (a person manages openings, an opening titles and counts candidates).
        A candidate is shown at once (first, until the candidates are read again), then where the list puts it."""
        if isinstance(record, CandidateInfo):
            if self.opening_filter.currentData() not in (None, record.opening_id):
                self.opening_filter.setCurrentIndex(0)  # the saved candidate belongs to another opening: show it
            self.candidate_model.put(record)
            tab.select_record(record.id)
        self.refresh()
        tab.select_record(record.id)
        tab.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_people_changed.emit(record)

    # -- retention --------------------------------------------------------------------------------------

    def open_retention(self) -> QWidget | None:
        """The retention period and who is due (admins); the dialog asks, this screen writes."""

        def wire(dialog: RetentionDialog, _ctx: AppContext) -> None:
            dialog.sig_save_requested.connect(lambda days: self._save_period(dialog, days))
            dialog.sig_erase_requested.connect(lambda days, save: self._apply_retention(dialog, days, save_first=save))

        return self._open(lambda ctx: RetentionDialog(ctx, parent=self), wire)

    def _save_period(self, dialog: RetentionDialog, days: int, then: Callable[[], None] | None = None) -> None:
        ctx = self._ctx
        if ctx is None:
            return

        def done(_saved: Changes) -> None:
            if then is not None:
                then()
            else:
                dialog.period_saved()

        self.write(
            lambda: set_retention_days(ctx.db, days, by=ctx.user_id),
            done,
            busy="Saving the retention period",
            failed=lambda exc: dialog.refuse("Retention period not saved", exc),
        )

    def _apply_retention(self, dialog: RetentionDialog, days: int, *, save_first: bool) -> None:
        ctx = self._ctx
        if ctx is None:
            return
        if save_first:  # the period shown is the one applied: saved first, as its own write
            self._save_period(dialog, days, then=lambda: self._apply_retention(dialog, days, save_first=False))
            return

        def done(retention: Retention) -> None:
            dialog.done_erasing(list(retention.reports))
            self.refresh()

        self.write(
            lambda: apply_retention(ctx.db, by=ctx.user_id, days=days, compact_after=not ctx.db.is_sqlite),
            done,
            busy="Erasing personal data past the retention period",
            failed=lambda exc: dialog.refuse("Nothing was erased", exc),
        )
