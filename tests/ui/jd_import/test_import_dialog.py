"""File → Import job description… (issue 20, point 3): paste or choose a file, review the requirements in a
table (delete, retag, merge, split, move), save; the database holds what the table showed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import text

from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.context import AppContext
from interviewkit.services.people import create_person
from interviewkit.ui.jd_import.command import JDImportCommand
from interviewkit.ui.jd_import.dialog import JDImportDialog
from interviewkit.ui.jd_import.model import COL_LINE, COL_PRIORITY, COL_SUGGESTED, COL_TEXT

AD = """Data Platform Lead

Responsibilities
• Run the feature store in production
• Coach and mentor engineers
• Detect data drift in production models and trigger retraining
• Write the roadmap

Nice to have
• Spark experience

Benefits
• Salary 120,000 EUR
"""


class InlineHost:
    """The window's Host, with work run at once (the window runs it off the GUI thread)."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.busy: list[str] = []

    def run(
        self, work: Callable[[], Any], done: Any = None, *, busy: str, failed: Any = None, changes: Any = None
    ) -> None:
        self.busy.append(busy)
        try:
            result = work()
        except Exception as exc:
            if failed is None:
                raise
            failed(exc)
            return
        if done is not None:
            done(result)

    def notify(self, text: str, msecs: int = 8000) -> None:
        self.messages.append(text)


@pytest.fixture
def admin_ctx(ctx: AppContext) -> AppContext:
    ctx.user_id = create_person(
        ctx.db, name="Ada Admin", email="ada@example.com", access_role="admin", by=LOCAL_ADMIN
    ).id
    return ctx


def _stored(ctx: AppContext, jd_id: str) -> list[tuple[str, str, str]]:
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT text, section, priority FROM requirement WHERE jd_id = :j AND retired_at IS NULL "
                "ORDER BY position"
            ),
            {"j": jd_id},
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def _shown(dialog: JDImportDialog) -> list[tuple[str, str, str]]:
    m = dialog.model
    return [
        (
            m.index(r, COL_TEXT).data(),
            m.index(r, 1).data(),
            "must" if m.index(r, COL_PRIORITY).data() == "Must have" else "nice",
        )
        for r in range(m.rowCount())
    ]


def _open(qtbot, admin_ctx: AppContext) -> tuple[JDImportCommand, JDImportDialog, InlineHost]:  # type: ignore[no-untyped-def]
    host = InlineHost()
    command = JDImportCommand(None, lambda: admin_ctx, host)  # type: ignore[arg-type]
    dialog = command.open()
    assert dialog is not None
    qtbot.addWidget(dialog)
    return command, dialog, host


def test_paste_review_and_save(qtbot, admin_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    command, dialog, host = _open(qtbot, admin_ctx)
    QGuiApplication.clipboard().setText(AD)
    dialog.paste_clipboard()
    assert dialog.tabs.currentIndex() == 1 and dialog.paste_edit.toPlainText() == AD
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 5
    assert "Salary" not in " ".join(t for t, _, _ in _shown(dialog))  # benefits are skipped, and said so
    assert "Benefits" in dialog.skipped.text()
    assert dialog.model.document is not None and dialog.model.document.id == "data-platform-lead"
    # suggestions with their score, or no good match
    assert any(dialog.model.index(r, COL_SUGGESTED).data() for r in range(5))
    assert "Reading the job description" in host.busy and "Finding bank questions" in host.busy
    # delete "Write the roadmap"
    dialog.select_rows([3])
    qtbot.mouseClick(dialog.edit_buttons["delete"], Qt.MouseButton.LeftButton)
    # retag the drift requirement nice to have
    dialog.select_rows([2])
    qtbot.mouseClick(dialog.edit_buttons["nice"], Qt.MouseButton.LeftButton)
    # merge the first two
    dialog.select_rows([0, 1])
    assert dialog.edit_buttons["merge"].isEnabled() and not dialog.edit_buttons["split"].isEnabled()
    qtbot.mouseClick(dialog.edit_buttons["merge"], Qt.MouseButton.LeftButton)
    shown = _shown(dialog)
    assert shown == [
        ("Run the feature store in production; Coach and mentor engineers", "Responsibilities", "must"),
        ("Detect data drift in production models and trigger retraining", "Responsibilities", "nice"),
        ("Spark experience", "Nice to have", "nice"),
    ]
    assert _stored(admin_ctx, "data-platform-lead") == []  # nothing is written before Save
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "Saving the job description" in host.busy
    assert _stored(admin_ctx, "data-platform-lead") == shown
    assert command.last_saved is not None and command.last_saved.changes.bank
    assert host.messages and "'data-platform-lead' saved" in host.messages[-1]


def test_split_move_and_correct_in_place(qtbot, admin_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    _, dialog, _ = _open(qtbot, admin_ctx)
    dialog.tabs.setCurrentIndex(1)
    dialog.paste_edit.setPlainText(AD)
    dialog.id_edit.setText("dp-lead")
    dialog.read()
    dialog.select_rows([1])
    dialog.split_selected(["Coach engineers", "Mentor engineers"])
    dialog.select_rows([4])
    dialog.move_selected("Skills")
    model = dialog.model
    assert model.setData(
        model.index(0, COL_TEXT), "Run the feature store  in production on GCP", Qt.ItemDataRole.EditRole
    )
    jd = model.document
    assert jd is not None
    assert [(r.id, r.text) for r in jd.requirements] == [
        ("dp-lead.responsibilities.01", "Run the feature store in production on GCP"),
        ("dp-lead.responsibilities.02", "Coach engineers"),
        ("dp-lead.responsibilities.03", "Mentor engineers"),
        ("dp-lead.responsibilities.04", "Detect data drift in production models and trigger retraining"),
        ("dp-lead.skills.01", "Write the roadmap"),
        ("dp-lead.nice.01", "Spark experience"),
    ]


def test_prose_sentences_are_marked(qtbot, admin_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    _, dialog, _ = _open(qtbot, admin_ctx)
    dialog.tabs.setCurrentIndex(1)
    dialog.paste_edit.setPlainText(
        "ML Lead\n\nYou will lead a team of six engineers. You have shipped models to production. "
        "You will own the serving platform.\n"
    )
    dialog.read()
    model = dialog.model
    assert model.rowCount() >= 2
    assert all("prose" in model.index(r, COL_LINE).data() for r in range(model.rowCount()))
    assert model.index(0, COL_TEXT).data(Qt.ItemDataRole.FontRole).italic()
    assert "from prose" in dialog.status.text()


def test_a_document_already_there_must_be_replaced_on_purpose(qtbot, admin_ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dp-lead.md"
    path.write_text(AD, encoding="utf-8")
    command, dialog, _ = _open(qtbot, admin_ctx)  # the window keeps the command: so does the test
    dialog.path_edit.setText(str(path))
    dialog.read()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isEnabled() and not dialog.replace_box.isVisible()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert len(_stored(admin_ctx, "dp-lead")) == 5
    second, again, _ = _open(qtbot, admin_ctx)
    again.path_edit.setText(str(path))
    again.read()
    assert again.replace_box.isVisible() and "already in the database" in again.replace_box.text()
    save = again.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    again.select_rows([0])
    again.delete_selected()
    again.replace_box.setChecked(True)
    assert save.isEnabled()
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert len(_stored(admin_ctx, "dp-lead")) == 4
    assert command.last_saved is not None and second.last_saved is not None


def test_a_file_that_cannot_be_read_is_said_in_the_dialog(qtbot, admin_ctx: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.md"
    path.write_text(" \n", encoding="utf-8")
    _, dialog, _ = _open(qtbot, admin_ctx)
    dialog.path_edit.setText(str(path))
    dialog.read()
    assert dialog.status.text().startswith("Not read:") and "empty" in dialog.status.text()
    assert dialog.model.rowCount() == 0
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


def test_file_menu_opens_it_and_the_window_saves_off_the_gui_thread(qtbot, settings, admin_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.ui.shell.actions import ActionId
    from interviewkit.ui.shell.window import MainWindow
    from tests.ui.conftest import show_main_window

    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(admin_ctx)
    show_main_window(qtbot, window)
    action = window.actions_by_id[ActionId.IMPORT_JD]
    assert action in window.file_menu.actions() and action.isEnabled()
    changes: list[object] = []
    window.sig_changed.connect(changes.append)
    action.trigger()
    dialog = window.findChild(JDImportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.tabs.setCurrentIndex(1)
    dialog.paste_edit.setPlainText(AD)
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 5)
    qtbot.waitUntil(lambda: bool(dialog.model.index(0, COL_SUGGESTED).data()))
    dialog.select_rows([4])
    dialog.delete_selected()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    command = window.findChild(JDImportCommand)
    qtbot.waitUntil(lambda: len(_stored(admin_ctx, "data-platform-lead")) == 4)
    qtbot.waitUntil(lambda: command.dialog is None)  # closed once saved (and deleted)
    qtbot.waitUntil(lambda: bool(changes))
    assert "'data-platform-lead' saved" in window.statusBar().currentMessage()


def test_only_bank_managers_get_the_action(qtbot, settings, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from interviewkit.ui.shell.actions import ActionId
    from interviewkit.ui.shell.window import MainWindow

    ctx.user_id = create_person(ctx.db, name="Ivy", email="ivy@example.com", by=LOCAL_ADMIN).id
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(ctx)
    assert not window.actions_by_id[ActionId.IMPORT_JD].isEnabled()
