"""Personal-data retention: the period after a decision, the candidates now due, and erasing them.

Admins open it from File → Personal data retention… (the People screen's dialog: the screen runs its writes,
off the GUI thread); the service checks the right again. The list is a dry run (nothing changes until
"Erase…" is confirmed); ratings stay for calibration under an erased label.
After erasing, the old copies of the erased text are removed as in the erase dialog (:class:`CleanupProgress`:
the wait for other copies of the app in seconds, "Stop waiting", and what is left until when, in words).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from interviewkit.services.context import AppContext
from interviewkit.services.errors import PermissionDenied, ServiceError
from interviewkit.services.privacy import (
    MAX_RETENTION_DAYS,
    DueCandidate,
    ErasureReport,
    due_for_retention,
    retention_days,
)
from interviewkit.ui.people.erase import CleanupProgress
from interviewkit.ui.widgets.table import RowTable

__all__ = ["DueModel", "RetentionDialog"]

_Index = QModelIndex | QPersistentModelIndex


class DueModel(RowTable):
    """Candidates due for erasure: name, opening, decision, decided on, what goes."""

    COLUMNS = ("Candidate", "Opening", "Decision", "Decided", "What goes")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        values = (
            row.name,
            row.opening,
            row.outcome.replace("_", " ").capitalize(),
            f"{row.decided_at:%d %b %Y}",
            "; ".join(row.fields),
        )
        if role == Qt.ItemDataRole.DisplayRole:
            return values[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return "\n".join(row.fields)
        return None


class RetentionDialog(QDialog):
    """The retention period, the candidates past it, and "Erase…" with a confirmation.

    It writes nothing itself: "Save period" and a confirmed "Erase…" ask the People screen
    (:attr:`sig_save_requested`, :attr:`sig_erase_requested`), which runs the service off the GUI thread and
    answers with :meth:`period_saved`, :meth:`done_erasing` or :meth:`refuse`.
    """

    sig_save_requested = Signal(int)
    """Save period: save this retention period (days)."""

    sig_erase_requested = Signal(int, bool)
    """Erase…, confirmed: erase everyone due under this period (days), having saved it first (True) when the
    period shown is not the one saved."""

    sig_erased = Signal(int)
    """Candidates' personal data was erased (how many)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.busy = False  # a write the screen runs for this dialog is under way
        self.setWindowTitle("Personal data retention")
        self.setObjectName("retentionDialog")
        self.resize(820, 460)
        self._build_period()
        self._build_table()
        self.cleanup = CleanupProgress(ctx, self)
        self.cleanup.hide()
        self.cleanup.sig_finished.connect(lambda _done: self.refresh())
        self._lay_out()
        self.refresh()

    def _build_period(self) -> None:
        self.days = QSpinBox()
        self.days.setAccessibleName("Retention period in days")
        self.days.setRange(1, MAX_RETENTION_DAYS)
        self.days.setSuffix(" days after the decision")
        self.days.setValue(retention_days(self._ctx.db))
        self.days.setKeyboardTracking(False)
        self.save_days = QPushButton("Save period")
        self.save_days.setEnabled(False)
        self.days.valueChanged.connect(self._period_edited)
        self.save_days.clicked.connect(self.save_period)

    def _build_table(self) -> None:
        self.summary = QLabel()
        self.summary.setObjectName("retentionSummary")
        self.summary.setWordWrap(True)
        self.model = DueModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Candidates due for erasure")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.erase_button = self.buttons.addButton("&Erase…", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.setObjectName("retentionErase")
        self.erase_button.setAutoDefault(False)
        self.erase_button.clicked.connect(self.erase_due)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self) -> None:
        intro = QLabel(
            "After a decision, a candidate's personal data (name, contact details, interview notes, summaries) "
            "is kept for the retention period, then erased. Ratings, recommendations and the outcome stay, "
            "without the name, so interviewer calibration is unchanged."
        )
        intro.setWordWrap(True)
        period_row = QHBoxLayout()
        period_label = QLabel("&Keep personal data for:")
        period_label.setBuddy(self.days)
        period_row.addWidget(period_label)
        period_row.addWidget(self.days)
        period_row.addWidget(self.save_days)
        period_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(period_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.cleanup)
        layout.addWidget(self.buttons)

    def _period_edited(self, value: int) -> None:
        self.save_days.setEnabled(value != retention_days(self._ctx.db) and not self.busy)
        self.refresh()

    def refresh(self) -> None:
        """List who is due under the period shown (a dry run: nothing changes)."""
        try:
            due = due_for_retention(self._ctx.db, by=self._ctx.user_id, days=self.days.value())
        except PermissionDenied as exc:  # the list names candidates of every opening: admins only
            self.model.set_rows([])
            self.summary.setText(str(exc))
            self.erase_button.setEnabled(False)
            return
        self.model.set_rows(due)
        n = len(due)
        if n:
            self.summary.setText(
                f"<b>{n} candidate{'s' if n != 1 else ''}</b> decided more than "
                f"{self.days.value()} days ago: their personal data is due for erasure."
            )
        else:
            self.summary.setText(f"No candidate was decided more than {self.days.value()} days ago: nothing is due.")
        self.erase_button.setEnabled(n > 0 and not self.cleanup.waiting and not self.busy)
        self.erase_button.setText(
            ("&Erase 1 candidate’s personal data…" if n == 1 else f"&Erase {n} candidates’ personal data…")
            if n
            else "&Erase…"
        )

    def save_period(self) -> None:
        """Save period: the screen saves it."""
        if not self.busy:
            self._set_busy(True)
            self.sig_save_requested.emit(self.days.value())

    def period_saved(self) -> None:
        self._set_busy(False)

    def confirm(self, due: list[DueCandidate]) -> bool:
        """Ask before erasing (Cancel is the default button)."""
        names = "\n".join(f"• {d.name} ({d.opening})" for d in due[:12]) + ("\n…" if len(due) > 12 else "")
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Erase personal data",
            f"Erase the personal data of {len(due)} candidate(s)? This cannot be undone.\n\n{names}",
            parent=self,
        )
        go = box.addButton("Erase", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is go

    def erase_due(self) -> None:
        """Confirm, then have the screen erase every candidate due under the period shown (saved first)."""
        due = self.model.rows()
        if self.busy or not due or not self.confirm(due):
            return
        self._set_busy(True)
        self.sig_erase_requested.emit(self.days.value(), self.save_days.isEnabled())

    def done_erasing(self, reports: Sequence[ErasureReport]) -> None:
        """Erased: say how many, and remove the old copies of the erased text (the wait is shown)."""
        self._set_busy(False)
        self.sig_erased.emit(len(reports))
        if reports:
            self.cleanup.start(reports[0].cleanup)
            self.cleanup.setVisible(self.cleanup.waiting or bool(self.cleanup.message.text()))
        self.refresh()
        self.summary.setText(f"Erased the personal data of {len(reports)} candidate(s). " + self.summary.text())

    def refuse(self, title: str, exc: BaseException) -> None:
        """A write was refused: say why (the period and the list stay as they are)."""
        self._set_busy(False)
        QMessageBox.warning(self, title, str(exc) if isinstance(exc, ServiceError) else f"Unexpected error: {exc}")

    def _set_busy(self, on: bool) -> None:
        self.busy = on
        self.save_days.setEnabled(not on and self.days.value() != retention_days(self._ctx.db))
        self.erase_button.setEnabled(not on and self.model.rowCount() > 0 and not self.cleanup.waiting)

    def reject(self) -> None:
        """Close; while it waits for other copies of the app, the first Esc or Close stops waiting (what is
        left is then said, and finished at the next start). While a write runs, it waits for it."""
        if self.busy:
            return
        if self.cleanup.waiting:
            self.cleanup.stop()
            return
        super().reject()
