"""Sign in to a team database on PostgreSQL: user, password, and "Remember in the system keyring".

The hook for the main window is :func:`sign_in_url`: given the database location the app is about to
open, it returns the location to open (with the password when the server wants one) or None when the
person cancelled. The logic (trying the URL as it is, the keyring, remembering) is in
``interviewkit.services.credentials``; this module only asks. The returned URL holds the password:
open it, never save it in the settings (save the location that was passed in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from interviewkit.services.credentials import Credentials, ServerAccount

__all__ = ["SignInDialog", "sign_in_url"]


class SignInDialog(QDialog):
    """Asks for one account's credentials; read :meth:`credentials` after ``exec()`` accepted."""

    def __init__(self, account: ServerAccount, problem: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to the team database")
        self.setModal(True)
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The database <b>{_esc(account.database)}</b> on <b>{_esc(account.host)}:{account.port}</b> "
            "asks for your own database user and password."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        self.problem = QLabel(problem or "")
        self.problem.setObjectName("signInProblem")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        self.problem.setStyleSheet("color: palette(highlighted-text); background: #b3261e; padding: 4px;")
        layout.addWidget(self.problem)
        form = QFormLayout()
        self.user = QLineEdit(account.user)
        self.user.setAccessibleName("Database user")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        form.addRow("&User:", self.user)
        form.addRow("&Password:", self.password)
        layout.addLayout(form)
        self.remember = QCheckBox("&Remember in the system keyring")
        self.remember.setToolTip(
            "Kept by your operating system's keyring for this server, database and user; "
            "never in InterviewKit's settings."
        )
        layout.addWidget(self.remember)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if account.user else self.user).setFocus()

    def credentials(self) -> Credentials:
        from interviewkit.services.credentials import Credentials

        return Credentials(self.user.text().strip(), self.password.text(), self.remember.isChecked())


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sign_in_url(location: str, parent: QWidget | None = None) -> str | None:
    """The location to open: ``location`` itself, or with the password the server asks for; None if cancelled.

    Asks with :class:`SignInDialog` only when the server wants a password that is neither in the URL, nor
    in PGPASSWORD or ~/.pgpass, nor remembered in the keyring. It connects to the server to find out,
    so call it where a short wait is acceptable (before opening the database).
    """
    if not location.strip().lower().startswith("postgres"):
        return location  # a file (or another server): nothing to ask, and no need to load SQLAlchemy here
    from interviewkit.services.credentials import sign_in

    def ask(account: ServerAccount, problem: str | None) -> Credentials | None:
        dialog = SignInDialog(account, problem, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.credentials()
        finally:
            dialog.deleteLater()

    return sign_in(location, ask)
