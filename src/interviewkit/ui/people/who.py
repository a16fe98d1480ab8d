"""'Who is using InterviewKit?': asked at first start, so that notes and scorecards carry a name.

Type to find yourself and press Enter; or, in an empty directory or as a newcomer, add yourself with a name,
an email and an optional title. The first person in an empty directory becomes its admin.
"""

from __future__ import annotations

import hashlib
import itertools

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services import people as svc
from interviewkit.services.context import AppContext
from interviewkit.services.errors import NotFound, ServiceError, ValidationFailed
from interviewkit.services.people import PersonInfo
from interviewkit.ui.people.models import PersonTableModel, RecordFilterProxy, RecordRole
from interviewkit.ui.widgets.forms import ProblemForm, grow_to_fit
from interviewkit.ui.widgets.shortcuts import bind_keys, clear_on_escape
from interviewkit.ui.widgets.tasks import run_in_background

__all__ = ["WhoIsUsingDialog", "ask_who", "identify_user", "remembered_user"]


class WhoIsUsingDialog(QDialog):
    """Choose yourself from the directory, or add yourself to it. Read :meth:`chosen_person_id` afterwards."""

    sig_person_created = Signal(object)
    """Someone added themselves to the directory (their PersonInfo); other screens may want to refresh."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._chosen: int | None = None
        self.adding = False  # the person in the form is being added
        self.setWindowTitle("Who is using InterviewKit?")
        self.setObjectName("whoIsUsingDialog")
        self.setMinimumWidth(600)
        everyone = svc.people(ctx.db, include_inactive=True)
        self.first_person = not everyone  # nobody yet: whoever adds themselves sets the directory up
        active = [p for p in everyone if p.active]
        self._build_chooser(active)
        self._build_adder(active)
        self._lay_out(active)
        self._connect()
        if active:
            self._select_row(self._row_of(ctx.user_id) if ctx.user_id is not None else 0)
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self._on_current(self.people_list.currentIndex(), QModelIndex())

    # -- building ---------------------------------------------------------------------------------------

    def _build_chooser(self, active: list[PersonInfo]) -> None:
        self.search = QLineEdit(placeholderText="Type your name or email, then Enter")
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find yourself")
        self.model = PersonTableModel(self)
        self.model.set_role_labels(svc.ROLE_LABELS)
        self.model.set_rows(active)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(PersonTableModel.NAME, Qt.SortOrder.AscendingOrder)
        self.people_list = QTableView()
        self.people_list.setObjectName("whoList")
        self.people_list.setAccessibleName("People in the directory")
        self.people_list.setModel(self.proxy)
        self.people_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.people_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people_list.setShowGrid(False)
        self.people_list.setWordWrap(False)
        self.people_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.people_list.verticalHeader().hide()
        self.people_list.horizontalHeader().hide()
        self.people_list.setColumnHidden(PersonTableModel.ROLE, True)
        self.people_list.setColumnHidden(PersonTableModel.ACTIVE, True)
        header = self.people_list.horizontalHeader()
        header.swapSections(PersonTableModel.EMAIL, PersonTableModel.TITLE)  # name · title · email
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PersonTableModel.EMAIL, QHeaderView.ResizeMode.Stretch)
        self.people_list.setColumnWidth(PersonTableModel.NAME, 170)
        self.people_list.setColumnWidth(PersonTableModel.TITLE, 170)
        self.people_list.setMinimumHeight(150)
        self.no_match = QLabel(wordWrap=True)
        self.no_match.setProperty("role", "subtle")
        self.no_match.hide()
        self.choose_button = QPushButton("Continue")
        self.choose_button.setToolTip("Continue as the highlighted person (Enter)")

    def _build_adder(self, active: list[PersonInfo]) -> None:
        self.add_heading = QLabel("Add yourself" if not active else "New here? Add yourself")
        self.add_heading.setProperty("role", "section")
        self.add_heading.setIndent(0)
        self.add_form = ProblemForm()
        self.name = QLineEdit(placeholderText="e.g. Ana Ortiz")
        self.email = QLineEdit(placeholderText="name@example.com")
        self.title_edit = QLineEdit(placeholderText="Optional, e.g. Staff ML Engineer")
        self.add_form.add_row("&Name:", self.name)
        self.add_form.add_row("&Email:", self.email)
        self.add_form.add_row("&Title:", self.title_edit)
        self.role_note = QLabel(
            "You will be the directory's admin."
            if self.first_person
            else "You are added as an interviewer; an admin can change your role in People."
        )
        self.role_note.setProperty("role", "subtle")
        self.role_note.setWordWrap(True)
        self.add_button = QPushButton("&Add me and continue")
        self.add_button.setToolTip("Add yourself to the directory and continue (Enter in the form)")
        self.later_button = QPushButton("Not now")
        self.later_button.setToolTip("Continue without choosing (Esc); you will be asked again")
        for button in (self.choose_button, self.add_button, self.later_button):
            button.setAutoDefault(False)  # Enter is handled by the field the user is in

    def _lay_out(self, active: list[PersonInfo]) -> None:
        heading = QLabel("Who is using InterviewKit?")
        heading.setProperty("role", "heading")
        heading.setIndent(0)
        blurb = QLabel(
            "Nobody is in the directory yet. Add yourself to start; you can add the others later in People."
            if not active
            else "Choose yourself: the notes and scorecards you write carry your name."
        )
        blurb.setWordWrap(True)
        blurb.setProperty("role", "subtle")
        self.choose_panel = QWidget()
        choose = QVBoxLayout(self.choose_panel)
        choose.setContentsMargins(0, 4, 0, 0)
        choose.addWidget(self.search)
        choose.addWidget(self.people_list, 1)
        choose.addWidget(self.no_match)
        self.rule = QFrame()
        self.rule.setFrameShape(QFrame.Shape.HLine)
        self.rule.setFrameShadow(QFrame.Shadow.Sunken)
        add_row = QHBoxLayout()
        add_row.addWidget(self.role_note, 1)
        add_row.addWidget(self.add_button)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 10, 0, 0)
        bottom.addWidget(self.later_button)
        bottom.addStretch(1)
        bottom.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(blurb)
        layout.addWidget(self.choose_panel, 1)
        layout.addWidget(self.rule)
        layout.addWidget(self.add_heading)
        layout.addWidget(self.add_form)
        layout.addLayout(add_row)
        layout.addLayout(bottom)
        if not active:
            for hidden in (self.choose_panel, self.choose_button, self.rule):
                hidden.hide()
        chain = [
            self.search,
            self.people_list,
            self.name,
            self.email,
            self.title_edit,
            self.add_button,
            self.later_button,
            self.choose_button,
        ]
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._search_entered)  # the registry's choose_person
        bind_keys(self.search, "to_list", self._focus_list)
        clear_on_escape(self.search)  # the first Esc clears the search, the second closes
        bind_keys(self.people_list, "choose_person", self.choose_current)
        self.people_list.doubleClicked.connect(lambda _index: self.choose_current())
        self.people_list.selectionModel().currentRowChanged.connect(self._on_current)
        self.choose_button.clicked.connect(self.choose_current)
        for edit in (self.name, self.email, self.title_edit):
            edit.returnPressed.connect(self.add_me)
        self.add_button.clicked.connect(self.add_me)
        self.later_button.clicked.connect(self.reject)

    # -- results ----------------------------------------------------------------------------------------

    def chosen_person_id(self) -> int | None:
        """The person chosen or added; None if the dialog was closed without choosing."""
        return self._chosen

    def current_person(self) -> PersonInfo | None:
        index = self.people_list.currentIndex()
        return index.data(RecordRole) if index.isValid() else None

    # -- choosing ---------------------------------------------------------------------------------------

    def _row_of(self, person_id: int) -> int:
        source = self.model.row_of(person_id)
        if source < 0:
            return 0
        return max(self.proxy.mapFromSource(self.model.index(source, 0)).row(), 0)

    def _select_row(self, row: int) -> None:
        if not 0 <= row < self.proxy.rowCount():
            return
        self.people_list.selectionModel().setCurrentIndex(
            self.proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _on_search(self, text: str) -> None:
        self.proxy.set_text(text)
        if self.proxy.rowCount():
            self._select_row(0)
            self.no_match.hide()
        else:
            self.no_match.setText(f"Nobody matches “{text.strip()}”. New here? Add yourself below (Enter).")
            self.no_match.show()
        self._on_current(self.people_list.currentIndex(), QModelIndex())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        person = current.data(RecordRole) if current.isValid() and self.proxy.rowCount() else None
        self.choose_button.setEnabled(person is not None)
        self.choose_button.setText(f"Continue as {person.name}" if person else "Continue")
        self.choose_button.setDefault(False)

    def _focus_list(self) -> None:
        self.people_list.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.people_list.currentIndex().isValid():
            self._select_row(0)

    def _search_entered(self) -> None:
        if self.proxy.rowCount():
            self.choose_current()
            return
        # nobody by that name: they are probably new, so start their entry with what they typed
        if not self.name.text().strip():
            self.name.setText(self.search.text().strip())
        target = self.email if self.name.text().strip() else self.name
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def choose_current(self) -> None:
        """Continue as the highlighted person."""
        person = self.current_person() if self.proxy.rowCount() else None
        if person is None:
            return
        self._chosen = person.id
        self.accept()

    # -- adding -----------------------------------------------------------------------------------------

    def add_me(self) -> None:
        """Add the person in the form to the directory (off the GUI thread) and continue as them; problems show
        in place. Nothing else is open at first start, so the dialog runs this one write itself."""
        if self.adding:
            return
        ctx, name, email, title = self._ctx, self.name.text(), self.email.text(), self.title_edit.text()
        self._set_adding(True)
        run_in_background(
            lambda: svc.register_self(ctx.db, name=name, email=email, title=title),  # an interviewer; the first: admin
            self._added,
            self._refused,
        )

    def _added(self, person: PersonInfo) -> None:
        self._set_adding(False)
        self.add_form.clear_problems()
        self._chosen = person.id
        self.sig_person_created.emit(person)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_adding(False)
        if isinstance(exc, ValidationFailed):
            problems = list(exc.problems)
        else:
            problems = [str(exc) if isinstance(exc, ServiceError) else f"Unexpected error: {exc}"]
        first = self.add_form.show_problems(problems)
        grow_to_fit(self)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_adding(self, on: bool) -> None:
        self.adding = on
        self.add_button.setEnabled(not on)
        self.add_button.setText("Adding you…" if on else "&Add me and continue")

    # -- keys -------------------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.adding:  # Esc while the person is added waits for the answer
            return
        self._chosen = None
        super().reject()


def ask_who(parent: QWidget | None, ctx: AppContext) -> int | None:
    """Ask who is using the app (modal); the chosen or newly added person's id, or None if skipped."""
    dialog = WhoIsUsingDialog(ctx, parent)
    try:
        dialog.exec()
        return dialog.chosen_person_id()
    finally:
        dialog.deleteLater()


def _settings_key(ctx: AppContext) -> str:
    # person ids belong to one database, so the choice is remembered per database
    digest = hashlib.sha1(ctx.db.describe().encode("utf-8")).hexdigest()[:16]
    return f"user/person/{digest}"


def remembered_user(settings: QSettings, ctx: AppContext) -> int | None:
    """The person remembered for this database, if they are still an active member of its directory."""
    value = settings.value(_settings_key(ctx))
    try:
        person_id = int(str(value))
        return person_id if svc.person(ctx.db, person_id).active else None
    except (TypeError, ValueError, NotFound):
        return None


def identify_user(
    parent: QWidget | None, ctx: AppContext, settings: QSettings, *, ask_again: bool = False
) -> int | None:
    """Set ``ctx.user_id``: the person remembered for this database, or (first start, ``ask_again``) asked.

    The answer is remembered; skipping the question leaves ``ctx.user_id`` as it was.
    """
    person_id = None if ask_again else remembered_user(settings, ctx)
    if person_id is None:
        person_id = ask_who(parent, ctx)
        if person_id is None:
            return ctx.user_id
        settings.setValue(_settings_key(ctx), person_id)
    ctx.user_id = person_id
    return person_id
