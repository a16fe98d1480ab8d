"""The sign-in dialog for a team database: asks for user and password, offers the keyring."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from interviewkit.services.credentials import ServerAccount
from interviewkit.ui.shell.sign_in import SignInDialog, sign_in_url

ACCOUNT = ServerAccount("db.example.com", 5432, "hiring", "rita")


def test_the_dialog_returns_what_was_typed(qtbot: QtBot) -> None:
    dialog = SignInDialog(ACCOUNT, "Sign-in refused: password authentication failed")
    qtbot.addWidget(dialog)
    assert dialog.user.text() == "rita" and dialog.password.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.problem.isVisibleTo(dialog) and "refused" in dialog.problem.text()
    assert "keyring" in dialog.remember.text() and not dialog.remember.isChecked()
    dialog.password.setText("s3cret")
    dialog.remember.setChecked(True)
    creds = dialog.credentials()
    assert (creds.user, creds.password, creds.remember) == ("rita", "s3cret", True)


def test_sign_in_url_asks_with_the_dialog_and_cancel_gives_none(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    import interviewkit.services.credentials as svc

    def fake_sign_in(location: str, ask):  # type: ignore[no-untyped-def]
        creds = ask(ACCOUNT, None)
        return None if creds is None else f"{location}#{creds.user}:{creds.password}"

    monkeypatch.setattr(svc, "sign_in", fake_sign_in)

    def answer(accept: bool) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SignInDialog)
        dialog.password.setText("pw")
        dialog.accept() if accept else dialog.reject()

    QTimer.singleShot(0, lambda: answer(True))
    assert sign_in_url("postgresql+psycopg://rita@db/hiring") == "postgresql+psycopg://rita@db/hiring#rita:pw"
    QTimer.singleShot(0, lambda: answer(False))
    assert sign_in_url("postgresql+psycopg://rita@db/hiring") is None


def test_a_file_needs_no_sign_in_and_loads_no_database_layer() -> None:
    import subprocess
    import sys

    code = ("import sys; from interviewkit.ui.shell.sign_in import sign_in_url; "
            "assert sign_in_url('/tmp/x.sqlite') == '/tmp/x.sqlite'; print('sqlalchemy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
