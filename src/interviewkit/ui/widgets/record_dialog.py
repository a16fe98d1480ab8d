"""A dialog over one record's form: OK runs the service, its refusal shows under the fields and the dialog stays.

When the service refuses (``ValidationFailed``), the problems appear under their fields and the dialog stays open
with everything typed intact. Enter is OK, Esc is Cancel, Tab follows reading order. Screens subclass it for
their records (a person, an opening, a candidate, an override with its reason).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from interviewkit.ui.widgets.forms import ProblemForm, grow_to_fit

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext

__all__ = ["RecordDialog"]


class RecordDialog(QDialog):
    """A form over one record; subclasses build the fields and say how to save them."""

    sig_saved = Signal(object)
    """The service accepted the form: the created or updated record (PersonInfo, OpeningInfo or CandidateInfo)."""

    def __init__(
        self, ctx: AppContext, *, title: str, ok_text: str, intro: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.saved: Any = None
        self.setWindowTitle(title)
        self.setObjectName("recordDialog")
        self.setMinimumWidth(460)
        self.form = ProblemForm()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        self.ok_button.setToolTip(f"{ok_text.replace('&', '')} (Enter)")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setToolTip("Close without saving (Esc)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        if intro:
            note = QLabel(intro, wordWrap=True)
            note.setProperty("role", "subtle")
            layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _finish_tab_order(self) -> None:
        """Tab goes down the form, then to the buttons."""
        chain = [*self.form.fields(), *self.buttons.buttons()]
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        if chain:
            chain[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_problems(self, problems: list[str]) -> None:
        first = self.form.show_problems(problems)
        grow_to_fit(self)
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> Any:
        """Call the service with the form's values; return what it returns."""
        raise NotImplementedError

    def accept(self) -> None:
        """Save; on problems, show them in place and stay open."""
        from interviewkit.services.errors import ServiceError, ValidationFailed

        try:
            saved = self.save()
        except ValidationFailed as exc:
            self._show_problems(list(exc.problems))
            return
        except ServiceError as exc:  # e.g. the record was removed meanwhile: say so, keep the form
            self._show_problems([str(exc)])
            return
        self.form.clear_problems()
        self.saved = saved
        self.sig_saved.emit(saved)
        super().accept()
