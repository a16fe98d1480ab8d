"""The People section: the interviewer directory, the openings and their candidates, one tab each.

Each tab is a searchable, sortable table with "New…" (Ctrl+N while the tab is shown) and "Edit…" (Enter or a
double-click). Saving goes through the dialogs in :mod:`interviewkit.ui.people.dialogs`, which call the
services; afterwards every tab reloads and :attr:`PeopleView.sig_people_changed` tells the rest of the app.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from interviewkit.ui.people.dialogs import CandidateDialog, OpeningDialog, PersonDialog
from interviewkit.ui.widgets.record_dialog import RecordDialog
from interviewkit.ui.people.models import (
    CandidateTableModel,
    OpeningTableModel,
    PersonTableModel,
    RecordFilterProxy,
    RecordRole,
    RecordTableModel,
)
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.shortcuts import widget_shortcut

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext
    from interviewkit.services.people import CandidateInfo, OpeningInfo, PersonInfo

__all__ = ["PeopleView"]


class DirectoryTab(QWidget):
    """One tab: a search box, New… and Edit…, a sortable table, and an empty state that says what to do."""

    sig_new_requested = Signal()
    """The user asked for a new record (the New… button or Ctrl+N)."""

    sig_edit_requested = Signal(object)
    """The user asked to edit this record (Edit…, Enter or a double-click)."""

    def __init__(
        self,
        model: RecordTableModel[Any],
        *,
        nouns: tuple[str, str],
        search_hint: str,
        new_tip: str,
        widths: dict[int, int],
        stretch: int,
        sort: tuple[int, Qt.SortOrder],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.nouns = nouns
        self.empty_text = ""
        self.no_match_text = "No {noun} matches “{text}”.\nClear the search (Esc) to see them all."
        self.can_edit: Callable[[Any], bool] = lambda _rec: True

        self.model = model
        model.setParent(self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(model)

        self.search = QLineEdit(placeholderText=f"{search_hint} (Ctrl+F)")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(f"Search {nouns[1]}")
        self.filters = QHBoxLayout()  # extra filters a tab may add (the candidates' opening)
        self.filters.setContentsMargins(0, 0, 0, 0)

        self.new_action = QAction("&New…", self)
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)  # only while this tab is shown
        shortcut = self.new_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.new_action.setToolTip(f"{new_tip} ({shortcut})")
        self.addAction(self.new_action)
        self.new_button = QPushButton("New…")
        self.new_button.setToolTip(self.new_action.toolTip())
        self.new_button.setAccessibleName(new_tip)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip(f"Edit the selected {nouns[0]} (Enter or double-click)")
        self.edit_button.setEnabled(False)

        self.table = QTableView()
        self.table.setObjectName(f"{nouns[1]}Table")
        self.table.setAccessibleName(nouns[1].capitalize())
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(*sort)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        header.setMinimumSectionSize(50)
        for col, width in widths.items():
            self.table.setColumnWidth(col, width)

        self.empty = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.empty.setProperty("role", "empty-state")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.count_label = QLabel()
        self.count_label.setProperty("role", "subtle")

        bar = self.bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.search, 1)
        bar.addLayout(self.filters)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 10, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count_label)

        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self.focus_table)
        widget_shortcut(self.search, Qt.Key.Key_Down, self.focus_table)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            widget_shortcut(self.table, key, self.request_edit)
        self.table.doubleClicked.connect(lambda _index: self.request_edit())
        self.new_action.triggered.connect(self.sig_new_requested)
        self.new_action.changed.connect(lambda: self.new_button.setEnabled(self.new_action.isEnabled()))
        self.new_button.clicked.connect(self.new_action.trigger)
        self.edit_button.clicked.connect(self.request_edit)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        for sig in (self.proxy.modelReset, self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.layoutChanged):
            sig.connect(self.update_state)

    def add_filter(self, widget: QWidget) -> None:
        """A filter next to the search box, in reading order."""
        self.filters.addWidget(widget)
        self.setTabOrder(self.search, widget)
        self.setTabOrder(widget, self.new_button)

    # -- records ----------------------------------------------------------------------------------------

    def set_records(self, rows: Sequence[Any]) -> None:
        """Replace the rows, keeping the selected record."""
        keep = self.current_record()
        self.model.set_rows(rows)
        if keep is None or not self.select_record(keep.id, reveal=False):
            self.select_first()
        self.update_state()

    def current_record(self) -> Any:
        index = self.table.currentIndex()
        return index.data(RecordRole) if index.isValid() else None

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self._select(self.proxy.index(0, 0))

    def select_record(self, record_id: int, *, reveal: bool = True) -> bool:
        """Select the record; with ``reveal``, clear a search that hides it."""
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid() and reveal and self.search.text():
            self.search.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self._select(index)
        self.table.scrollTo(index)
        return True

    def _select(self, index: QModelIndex) -> None:
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )

    # -- behaviour --------------------------------------------------------------------------------------

    def request_edit(self) -> None:
        record = self.current_record()
        if record is not None and self.can_edit(record):
            self.sig_edit_requested.emit(record)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_table(self) -> None:
        """Put the focus on the table (on the search box while the empty state is shown)."""
        if self.stack.currentWidget() is not self.table:
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.table.currentIndex().isValid():
            self.select_first()

    def _on_search(self, text: str) -> None:
        self.proxy.set_text(text)
        self.refilter_done()

    def refilter_done(self) -> None:
        """After the filter changed: keep a row selected and say what is shown."""
        if not self.table.currentIndex().isValid():
            self.select_first()
        self.update_state()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = current.data(RecordRole) if current.isValid() else None
        self.edit_button.setEnabled(record is not None and self.can_edit(record))

    def update_state(self, *_args: Any) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        singular, plural = self.nouns
        if total == 0 or shown == 0:
            text = self.empty_text if total == 0 and not self.proxy.is_filtering() else self.no_match_text.format(
                noun=singular, nouns=plural, text=self.search.text().strip()
            )
            self.empty.setText(text)
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        noun = singular if total == 1 else plural
        if total == 0:
            self.count_label.setText("")  # the empty state says it all
        else:
            self.count_label.setText(f"{total} {noun}" if shown == total else f"{shown} of {total} {plural}")
        self._on_current(self.table.currentIndex(), QModelIndex())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self.search.setFocus()
            return
        super().keyPressEvent(event)


class PeopleView(SectionWidget):
    """Interviewers, openings and candidates: who interviews, for which roles, and whom."""

    title = "People"
    watches = frozenset({"people", "openings", "candidates", "loops", "erased"})

    sig_people_changed = Signal(object)
    """A person, opening or candidate was created or changed (the saved PersonInfo, OpeningInfo or
    CandidateInfo). Screens that show names, openings or candidates should refresh."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx: AppContext | None = None
        self.dialog: RecordDialog | None = None  # the dialog open now (window-modal), if any
        self.setObjectName("peopleView")

        P, O, C = PersonTableModel, OpeningTableModel, CandidateTableModel  # noqa: N806 - column names
        self.person_model = PersonTableModel()
        self.opening_model = OpeningTableModel()
        self.candidate_model = CandidateTableModel()
        self.people_tab = DirectoryTab(
            self.person_model, nouns=("person", "people"), search_hint="Search by name, email, title or role",
            new_tip="Add a person to the directory",
            widths={P.NAME: 190, P.TITLE: 190, P.ROLE: 130, P.ACTIVE: 110}, stretch=P.EMAIL,
            sort=(P.NAME, Qt.SortOrder.AscendingOrder),
        )
        self.people_tab.empty_text = "No interviewers yet.\nAdd the people who interview: Ctrl+N"
        self.openings_tab = DirectoryTab(
            self.opening_model, nouns=("opening", "openings"),
            search_hint="Search by title, hiring manager or job description",
            new_tip="Open a new role",
            widths={O.MANAGER: 170, O.JDS: 300, O.STATUS: 80, O.CANDIDATES: 100}, stretch=O.TITLE,
            sort=(O.STATUS, Qt.SortOrder.DescendingOrder),  # open ones first
        )
        self.openings_tab.empty_text = "No openings yet.\nOpen a role and choose its job descriptions: Ctrl+N"
        self.candidates_tab = DirectoryTab(
            self.candidate_model, nouns=("candidate", "candidates"),
            search_hint="Search by name, email, phone or opening",
            new_tip="Add a candidate for an opening",
            widths={C.NAME: 180, C.PHONE: 160, C.OPENING: 250, C.ADDED: 110, C.LOOPS: 70}, stretch=C.EMAIL,
            sort=(C.ADDED, Qt.SortOrder.DescendingOrder),  # newest first
        )
        self.allowed: frozenset[str] = frozenset()  # what the person using the app may do
        self.candidates_tab.can_edit = lambda c: not c.erased and "manage_candidates" in self.allowed
        self.people_tab.can_edit = lambda _p: "manage_people" in self.allowed
        self.openings_tab.can_edit = lambda _o: "manage_openings" in self.allowed
        self.erase_action = QAction("E&rase personal data…", self)
        self.erase_action.setToolTip("Erase the selected candidate's personal data everywhere (admins only)")
        self.erase_button = QPushButton("Erase personal data…")
        self.erase_button.setObjectName("eraseCandidate")
        self.erase_button.setToolTip(self.erase_action.toolTip())
        self.erase_button.clicked.connect(self.erase_action.trigger)
        self.erase_action.triggered.connect(self.erase_current_candidate)
        self.candidates_tab.bar.addWidget(self.erase_button)
        self.candidates_tab.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.candidates_tab.table.addAction(self.erase_action)
        self.candidates_tab.table.selectionModel().currentRowChanged.connect(self._update_erase)
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

        self.tabs = QTabWidget()
        self.tabs.setObjectName("peopleTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.people_tab, "Interviewers")
        self.tabs.addTab(self.openings_tab, "Openings")
        self.tabs.addTab(self.candidates_tab, "Candidates")
        tips = (
            "Everyone who interviews, coordinates or decides",
            "Roles being hired for",
            "People applying to an opening",
        )
        for i, tip in enumerate(tips):
            self.tabs.setTabToolTip(i, f"{tip} (Ctrl+PgUp / Ctrl+PgDown switch tabs)")
        for key, step in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            # explicit, because a focused table takes these keys before the tab widget sees them
            switch = QAction(self)
            switch.setShortcut(QKeySequence(key))
            switch.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            switch.triggered.connect(lambda _=False, step=step: self._step_tab(step))
            self.addAction(switch)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        heading = QLabel(self.title)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        layout.addWidget(self.tabs, 1)

        self.people_tab.sig_new_requested.connect(self.new_person)
        self.people_tab.sig_edit_requested.connect(self.edit_person)
        self.openings_tab.sig_new_requested.connect(self.new_opening)
        self.openings_tab.sig_edit_requested.connect(self.edit_opening)
        self.candidates_tab.sig_new_requested.connect(self.new_candidate)
        self.candidates_tab.sig_edit_requested.connect(self.edit_candidate)
        self.opening_filter.currentIndexChanged.connect(self._on_opening_filter)
        self.show_candidates_button.clicked.connect(self._show_candidates_of_current)
        self.openings_tab.table.selectionModel().currentRowChanged.connect(self._update_show_candidates)
        self._set_empty_candidates_text(has_openings=False)
        for tab in self.tabs_list():
            tab.update_state()
        self._update_show_candidates()

    def tabs_list(self) -> list[DirectoryTab]:
        return [self.people_tab, self.openings_tab, self.candidates_tab]

    def _step_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())
        self.current_tab().focus_table()

    def current_tab(self) -> DirectoryTab:
        return self.tabs_list()[self.tabs.currentIndex()]

    # -- data -------------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        if ctx is None:
            self.allowed = frozenset()
            self._update_erase()
            for tab in self.tabs_list():
                tab.set_records([])
            self._fill_opening_filter([])
            self._update_tab_titles()
            return
        self.refresh()

    def refresh(self) -> None:
        """Reload the three tabs from the database, keeping selections, searches and the opening filter."""
        if self._ctx is None:
            return
        from interviewkit.services import bank_queries as bq
        from interviewkit.services import people as svc

        from interviewkit.services.access import permissions

        db = self._ctx.db
        self.allowed = permissions(db, self._ctx.user_id)
        openings = svc.openings(db)
        self.person_model.set_role_labels(svc.ROLE_LABELS)
        self.people_tab.set_records(svc.people(db, include_inactive=True))
        self.opening_model.set_jd_titles({jd.id: jd.title for jd in bq.job_descriptions(db)})
        self.openings_tab.set_records(openings)
        self._fill_opening_filter(openings)
        self.candidates_tab.set_records(svc.candidates(db, by=self._ctx.user_id))
        self._set_empty_candidates_text(has_openings=any(o.status == "open" for o in openings))
        self.candidates_tab.new_action.setEnabled(
            any(o.status == "open" for o in openings) and "manage_candidates" in self.allowed
        )
        self.people_tab.new_action.setEnabled("manage_people" in self.allowed)
        self.openings_tab.new_action.setEnabled("manage_openings" in self.allowed)
        for tab in self.tabs_list():
            tab.update_state()  # Edit… follows the rights too
        self._on_opening_filter()
        self._update_tab_titles()
        self._update_erase()

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
            tab.empty_text = "No candidates yet.\nAdd a candidate for one of your openings: Ctrl+N"
            tab.new_action.setToolTip(tab.new_button.accessibleName() + " (Ctrl+N)")
        else:
            tab.empty_text = "No candidates yet.\nCandidates apply to an opening: create one in the Openings tab first."
            tab.new_action.setToolTip("Create an open opening first, in the Openings tab")
        tab.new_button.setToolTip(tab.new_action.toolTip())

    def _update_tab_titles(self) -> None:
        for i, (tab, name) in enumerate(zip(self.tabs_list(), ("Interviewers", "Openings", "Candidates"))):
            n = tab.model.rowCount()
            self.tabs.setTabText(i, f"{name} ({n})" if n else name)

    # -- filters and search -----------------------------------------------------------------------------

    def focus_search(self) -> bool:
        """Ctrl+F: the search box of the tab shown."""
        self.current_tab().focus_search()
        return True

    def _on_opening_filter(self, *_args: Any) -> None:
        opening_id = self.opening_filter.currentData()
        tab = self.candidates_tab
        tab.proxy.set_record_filter(None if opening_id is None else (lambda c: c.opening_id == opening_id))
        if opening_id is not None:
            title = self.opening_filter.currentText()
            tab.no_match_text = (
                f"No candidate for {title} matches “{{text}}”.\nClear the search (Esc) or choose All openings."
                if tab.search.text().strip()
                else f"No candidates for {title} yet.\nAdd one: Ctrl+N, or choose All openings."
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

    # -- create and edit --------------------------------------------------------------------------------

    def new_person(self) -> PersonDialog | None:
        return self._open(lambda ctx: PersonDialog(ctx, parent=self), self.people_tab)

    def edit_person(self, person: PersonInfo) -> PersonDialog | None:
        return self._open(lambda ctx: PersonDialog(ctx, person, parent=self), self.people_tab)

    def new_opening(self) -> OpeningDialog | None:
        return self._open(lambda ctx: OpeningDialog(ctx, parent=self), self.openings_tab)

    def edit_opening(self, opening: OpeningInfo) -> OpeningDialog | None:
        return self._open(lambda ctx: OpeningDialog(ctx, opening, parent=self), self.openings_tab)

    def new_candidate(self) -> CandidateDialog | None:
        opening_id = self.opening_filter.currentData()
        return self._open(lambda ctx: CandidateDialog(ctx, opening_id=opening_id, parent=self), self.candidates_tab)

    def edit_candidate(self, candidate: CandidateInfo) -> CandidateDialog | None:
        return self._open(lambda ctx: CandidateDialog(ctx, candidate, parent=self), self.candidates_tab)

    def erase_current_candidate(self) -> Any:
        """Erase personal data… on the selected candidate: the confirmation, then the service."""
        from interviewkit.ui.people.erase import EraseCandidateDialog

        record = self.candidates_tab.current_record()
        if record is None or record.erased or "erase_data" not in self.allowed:
            return None
        return self._open(lambda ctx: EraseCandidateDialog(ctx, record, parent=self), self.candidates_tab)

    def _open(self, make: Callable[[AppContext], Any], tab: DirectoryTab) -> Any:
        """Open a dialog window-modally (never blocking the event loop); on save, reload and announce."""
        if self._ctx is None:
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return self.dialog
        dialog = make(self._ctx)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.sig_saved.connect(lambda record, tab=tab: self._saved(tab, record))
        dialog.destroyed.connect(lambda *_: self._forget(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget(self, dialog: Any) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _saved(self, tab: DirectoryTab, record: Any) -> None:
        self.refresh()
        if tab is self.candidates_tab and self.opening_filter.currentData() not in (None, record.opening_id):
            self.opening_filter.setCurrentIndex(0)  # the saved candidate belongs to another opening: show it
        tab.select_record(record.id)
        tab.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.sig_people_changed.emit(record)
        from interviewkit.services.changes import Changes

        if tab is self.people_tab:
            changes = Changes.of(people=[record.id])
        elif tab is self.openings_tab:
            changes = Changes.of(openings=[record.id])
        elif getattr(record, "erased", False):
            changes = Changes.of(erased=[record.id], candidates=[record.id])
        else:
            changes = Changes.of(candidates=[record.id])
        self.announce(changes)
