"""Dialogs that add or change a person, an opening or a candidate.

They save nothing themselves: OK (Enter) hands the form's values to the People screen
(:attr:`FormDialog.sig_submitted`), which runs the service off the GUI thread and answers with
:meth:`FormDialog.done_saving` (the dialog closes) or :meth:`FormDialog.refuse` (the problems appear under
their fields and the dialog stays open with everything typed intact). Esc is Cancel, Tab follows reading order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QListWidget, QListWidgetItem, QWidget

from interviewkit.services import bank_queries as bq
from interviewkit.services.context import AppContext
from interviewkit.services.errors import ServiceError, ValidationFailed
from interviewkit.services.people import (
    ACCESS_ROLES,
    ROLE_LABELS,
    CandidateInfo,
    OpeningInfo,
    PersonInfo,
    openings,
    people,
)
from interviewkit.ui.widgets.forms import legible_check_boxes
from interviewkit.ui.widgets.record_dialog import RecordDialog

__all__ = [
    "CandidateDialog",
    "CandidateValues",
    "FormDialog",
    "OpeningDialog",
    "OpeningValues",
    "PersonDialog",
    "PersonValues",
    "problems_of",
]

#: Roles that usually own an opening; they are offered first as its hiring manager.
MANAGER_ROLES = ("hiring_manager", "admin")


def problems_of(exc: BaseException) -> list[str]:
    """What a refused write says, as lines for a form ("Field: message" lines go under their field)."""
    if isinstance(exc, ValidationFailed):
        return list(exc.problems)
    return [str(exc) if isinstance(exc, ServiceError) else f"Unexpected error: {exc}"]


@dataclass(frozen=True)
class PersonValues:
    name: str
    email: str
    title: str
    access_role: str
    active: bool


@dataclass(frozen=True)
class OpeningValues:
    title: str
    jd_ids: list[str]
    hiring_manager_id: int | None
    status: str


@dataclass(frozen=True)
class CandidateValues:
    name: str
    email: str
    phone: str
    opening_id: int  # 0: no opening chosen (the service says so)


class FormDialog(RecordDialog):
    """A record's form whose OK asks the screen to save it, and waits, open, for the answer."""

    sig_submitted = Signal()
    """OK (Enter): the form's values are ready (``values()``); the screen saves them."""

    def __init__(
        self, ctx: AppContext, *, title: str, ok_text: str, intro: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, title=title, ok_text=ok_text, intro=intro, parent=parent)
        self._ok_text = ok_text
        self.saving = False

    def accept(self) -> None:
        """OK: hand the values to the screen (once; the dialog waits for the answer)."""
        if self.saving:
            return
        self._set_saving(True)
        self.sig_submitted.emit()

    def done_saving(self, record: Any) -> None:
        """Saved as ``record``: close."""
        self._set_saving(False)
        self.form.clear_problems()
        self.saved = record
        self.sig_saved.emit(record)
        QDialog.accept(self)

    def refuse(self, exc: BaseException) -> None:
        """The service refused: its problems under their fields, the dialog open with the input as typed."""
        self._set_saving(False)
        self._show_problems(problems_of(exc))

    def reject(self) -> None:
        if not self.saving:  # while it is saved, Esc waits for the answer
            super().reject()

    def _set_saving(self, on: bool) -> None:
        self.saving = on
        self.ok_button.setEnabled(not on)
        self.ok_button.setText("Saving…" if on else self._ok_text)


class PersonDialog(FormDialog):
    """Add someone to the directory, or change their details, role or whether they are active."""

    def __init__(self, ctx: AppContext, person: PersonInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            title="Edit person" if person else "New person",
            ok_text="&Save" if person else "&Add",
            intro="" if person else "Everyone who interviews, coordinates loops or decides on a hire.",
            parent=parent,
        )
        self.person = person
        self.name = QLineEdit(placeholderText="e.g. Ana Ortiz")
        self.email = QLineEdit(placeholderText="name@example.com")
        self.title_edit = QLineEdit(placeholderText="Optional, e.g. Staff ML Engineer")
        self.role = QComboBox()
        for role in ACCESS_ROLES:
            self.role.addItem(ROLE_LABELS.get(role, role), role)
        self.active = QCheckBox("Can be chosen for new interviews")
        legible_check_boxes(self.active)
        self.form.add_row("&Name:", self.name)
        self.form.add_row("&Email:", self.email)
        self.form.add_row("&Title:", self.title_edit)
        self.form.add_row("&Role:", self.role)
        if person is not None:
            self.form.add_row("Acti&ve:", self.active)
            self.name.setText(person.name)
            self.email.setText(person.email)
            self.title_edit.setText(person.title)
            self.role.setCurrentIndex(max(self.role.findData(person.access_role), 0))
            self.active.setChecked(person.active)
        else:
            self.active.setChecked(True)
        self._finish_tab_order()

    def values(self) -> PersonValues:
        return PersonValues(
            self.name.text(),
            self.email.text(),
            self.title_edit.text(),
            self.role.currentData(),
            self.active.isChecked(),
        )


class OpeningDialog(FormDialog):
    """Open a role (or change one): its title, hiring manager, job descriptions and status."""

    def __init__(self, ctx: AppContext, opening: OpeningInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            title="Edit opening" if opening else "New opening",
            ok_text="&Save" if opening else "&Create opening",
            intro=""
            if opening
            else ("A role you are hiring for. Its requirements come from the job descriptions you tick."),
            parent=parent,
        )
        self.opening = opening
        self.setMinimumWidth(600)  # job-description titles are long
        self.title_edit = QLineEdit(placeholderText="e.g. ML Engineering Manager, Lisbon")
        self.manager = QComboBox()
        self.manager.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.manager.setMinimumContentsLength(24)
        current_manager = opening.hiring_manager_id if opening else None
        directory = [p for p in people(ctx.db, include_inactive=True) if p.active or p.id == current_manager]
        self._fill_managers(directory, ROLE_LABELS)
        self.jds = QListWidget()
        self.jds.setObjectName("jobDescriptionList")
        self.jds.setUniformItemSizes(True)
        chosen = set(opening.jd_ids) if opening else set()
        self.jds.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.jds.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for jd in bq.job_descriptions(ctx.db):
            item = QListWidgetItem(jd.title)
            item.setData(Qt.ItemDataRole.UserRole, jd.id)
            item.setToolTip(f"{jd.title}\n{jd.id} · {jd.requirement_count} requirements")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if jd.id in chosen else Qt.CheckState.Unchecked)
            self.jds.addItem(item)
        self.jds.setSpacing(2)
        legible_check_boxes(self.jds)
        rows = max(min(self.jds.count(), 6), 2)
        row_height = max(self.jds.sizeHintForRow(0), self.jds.fontMetrics().height() + 4) + 2 * self.jds.spacing()
        self.jds.setFixedHeight(rows * row_height + 2 * self.jds.frameWidth() + 2)
        if self.jds.count():
            self.jds.setCurrentRow(0)
        self.status = QComboBox()
        self.status.addItem("Open: candidates are being interviewed", "open")
        self.status.addItem("Closed: no new candidates", "closed")

        self.form.add_row("&Title:", self.title_edit)
        self.form.add_row("&Hiring manager:", self.manager)
        self.form.add_row(
            "Job &descriptions:",
            self.jds,
            hint="Space ticks the highlighted one."
            if self.jds.count()
            else "No job description yet: import one first (interviewkit jd import FILE).",
        )
        if opening is not None:
            self.form.add_row("&Status:", self.status)
            self.title_edit.setText(opening.title)
            self.status.setCurrentIndex(max(self.status.findData(opening.status), 0))
        self._finish_tab_order()

    def _fill_managers(self, directory: list[PersonInfo], role_labels: dict[str, str]) -> None:
        """Hiring managers and admins first, then everyone else; every entry names the person's role."""
        self.manager.addItem("No hiring manager yet", None)
        likely = [p for p in directory if p.access_role in MANAGER_ROLES]
        others = [p for p in directory if p.access_role not in MANAGER_ROLES]
        for group in (likely, others):
            if group and self.manager.count() > 1:
                self.manager.insertSeparator(self.manager.count())
            for p in group:
                role = role_labels.get(p.access_role, p.access_role)
                inactive = ", inactive" if not p.active else ""
                self.manager.addItem(f"{p.name}  ({role}{inactive})", p.id)
        current = self.opening.hiring_manager_id if self.opening else None
        self.manager.setCurrentIndex(max(self.manager.findData(current), 0) if current else 0)

    def checked_jd_ids(self) -> list[str]:
        return [
            self.jds.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.jds.count())
            if self.jds.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_jd_checked(self, jd_id: str, checked: bool = True) -> None:
        for i in range(self.jds.count()):
            item = self.jds.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == jd_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def values(self) -> OpeningValues:
        return OpeningValues(
            self.title_edit.text(), self.checked_jd_ids(), self.manager.currentData(), self.status.currentData()
        )


class CandidateDialog(FormDialog):
    """Add a candidate for an opening, or correct their details."""

    def __init__(
        self,
        ctx: AppContext,
        candidate: CandidateInfo | None = None,
        *,
        opening_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            title="Edit candidate" if candidate else "New candidate",
            ok_text="&Save" if candidate else "&Add candidate",
            parent=parent,
        )
        self.candidate = candidate
        self.name = QLineEdit(placeholderText="e.g. Priya Natarajan")
        self.email = QLineEdit(placeholderText="Optional")
        self.phone = QLineEdit(placeholderText="Optional")
        self.opening = QComboBox()
        self.opening.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.opening.setMinimumContentsLength(24)
        keep = candidate.opening_id if candidate else opening_id
        for o in openings(ctx.db):
            if o.status == "open" or o.id == keep:  # closed openings take no new candidates
                self.opening.addItem(o.title if o.status == "open" else f"{o.title}  (closed)", o.id)
        if keep is not None and self.opening.findData(keep) >= 0:
            self.opening.setCurrentIndex(self.opening.findData(keep))

        self.form.add_row("&Name:", self.name)
        self.form.add_row("&Email:", self.email)
        self.form.add_row("&Phone:", self.phone)
        self.form.add_row(
            "&Opening:",
            self.opening,
            hint="" if self.opening.count() else "No open role yet: create an opening first (People → Openings).",
        )
        if candidate is not None:
            self.name.setText(candidate.name)
            self.email.setText(candidate.email)
            self.phone.setText(candidate.phone)
        self._finish_tab_order()

    def values(self) -> CandidateValues:
        return CandidateValues(self.name.text(), self.email.text(), self.phone.text(), self.opening.currentData() or 0)
