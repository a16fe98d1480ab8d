"""The app's file dialogs list the database's folder without opening the database: the process keeps its
SQLite locks, so another copy run meanwhile leaves the -wal in place and no commit is lost."""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from interviewkit.services.context import AppContext
from interviewkit.ui.shell.window import MainWindow
from interviewkit.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.storage.test_locks import posix_locks, put, read_elsewhere, run_cli

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts locks in Linux's /proc/locks"),
]

UI = Path(__file__).parents[2] / "src" / "interviewkit" / "ui"


def _visible_file_dialog() -> QFileDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)


def while_the_dialog_shows(qtbot: QtBot, folder: Path, names: list[str], during: Callable[[QFileDialog], Any],
                           results: dict[str, Any], tries: int = 200) -> None:
    """Once the app's modal file dialog is up, have it list ``folder`` (as a person browsing there would)
    until its model has loaded ``names`` with their types, run ``during``, then cancel the dialog."""
    dialog = _visible_file_dialog()
    if dialog is None:
        if tries:
            QTimer.singleShot(20, lambda: while_the_dialog_shows(qtbot, folder, names, during, results, tries - 1))
        return
    try:
        if Path(dialog.directory().absolutePath()) != folder:
            dialog.setDirectory(str(folder))
        model = dialog.findChild(QFileSystemModel)
        model.setNameFilterDisables(True)  # list every file (greyed when filtered), so each can be waited for

        def loaded() -> bool:
            indexes = [model.index(str(folder / name)) for name in names]
            return all(i.isValid() and model.type(i) for i in indexes)

        qtbot.waitUntil(loaded, timeout=15000)
        results["listed"] = sorted(model.index(r, 0, model.index(str(folder))).data()
                                   for r in range(model.rowCount(model.index(str(folder)))))
        results["during"] = during(dialog)
    finally:
        dialog.reject()


def _window(qtbot: QtBot, settings: QSettings, ctx: AppContext) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(ctx)
    return window


def _open_database(qtbot: QtBot, settings: QSettings, ctx: AppContext, _folder: Path) -> None:
    _window(qtbot, settings, ctx).session.choose_database()


def _import_scorecards(qtbot: QtBot, settings: QSettings, ctx: AppContext, _folder: Path) -> None:
    _window(qtbot, settings, ctx).imports.choose()


def _save_pdf(qtbot: QtBot, settings: QSettings, _ctx: AppContext, folder: Path) -> None:
    def build(path: Path, _options: object) -> None:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        writer.write(str(path))

    settings.setValue("export/folder", str(folder))  # where the last PDF was saved: the database's folder
    preview = PdfPreviewDialog("Debrief packet", build, settings=settings)
    qtbot.addWidget(preview)
    with qtbot.waitSignal(preview.sig_rendered, timeout=20000):
        preview.show()
    qtbot.waitUntil(preview.save_button.isEnabled, timeout=20000)
    preview.choose_and_save()


DIALOGS = {"open database": _open_database, "import scorecards": _import_scorecards, "save pdf": _save_pdf}


@pytest.mark.parametrize("which", list(DIALOGS))
def test_a_file_dialog_on_the_databases_folder_leaves_the_database_locked(
    qtbot: QtBot, settings: QSettings, ctx: AppContext, which: str
) -> None:
    db_path = ctx.db.path
    assert db_path is not None
    folder = db_path.parent
    results: dict[str, Any] = {}
    with ctx.db.engine.connect() as reading:  # the app in the middle of reading, in WAL mode
        reading.begin()
        reading.execute(text("SELECT count(*) FROM ik_meta")).scalar_one()
        before = posix_locks(db_path)
        assert before >= 2
        QTimer.singleShot(0, lambda: while_the_dialog_shows(
            qtbot, folder, [db_path.name, f"{db_path.name}-wal", f"{db_path.name}-shm"],
            lambda _dialog: posix_locks(db_path), results))
        DIALOGS[which](qtbot, settings, ctx, folder)
        reading.rollback()
    assert f"{db_path.name}-wal" in results["listed"]
    assert results["during"] == before


@pytest.mark.slow
def test_another_copy_run_while_the_dialog_shows_keeps_the_wal_and_every_commit(
    qtbot: QtBot, settings: QSettings, ctx: AppContext
) -> None:
    db_path = ctx.db.path
    assert db_path is not None
    put(ctx.db, "test.before", "recorded before the dialog")
    results: dict[str, Any] = {}

    def other_copy(_dialog: QFileDialog) -> tuple[int, str, bool]:
        done = run_cli(db_path, "jd", "list")
        return done.returncode, done.stderr, Path(f"{db_path}-wal").exists()

    with ctx.db.engine.connect() as reading:
        reading.begin()
        reading.execute(text("SELECT count(*) FROM ik_meta")).scalar_one()
        QTimer.singleShot(0, lambda: while_the_dialog_shows(
            qtbot, db_path.parent, [db_path.name, f"{db_path.name}-wal", f"{db_path.name}-shm"], other_copy, results))
        _window(qtbot, settings, ctx).session.choose_database()
        reading.rollback()
    code, stderr, wal_kept = results["during"]
    assert code == 0, stderr
    assert wal_kept
    put(ctx.db, "test.after", "recorded after the other copy closed")
    assert read_elsewhere(db_path, "test.before", "test.after") == {
        "test.before": "recorded before the dialog",
        "test.after": "recorded after the other copy closed",
    }


def test_the_app_picks_files_through_the_safe_dialogs_only() -> None:
    """Qt's own file dialog functions and file models sniff file contents: only file_dialogs.py may use them."""
    banned = {"getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory",
              "getOpenFileUrl", "getOpenFileUrls", "getSaveFileUrl", "getExistingDirectoryUrl", "QFileSystemModel"}
    offenders = []
    for path in UI.rglob("*.py"):
        if path.name == "file_dialogs.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            if name in banned:
                offenders.append(f"{path.relative_to(UI)}:{node.lineno} {name}")
    assert offenders == []


def test_the_dialog_names_types_without_reading_the_files(qtbot: QtBot, tmp_path: Path) -> None:
    from interviewkit.ui.widgets.file_dialogs import file_dialog

    (tmp_path / "report.pdf").write_bytes(b"not really a PDF")
    (tmp_path / "interviews.sqlite").write_bytes(b"SQLite format 3\x00")
    (tmp_path / "x7q2").write_bytes(b"%PDF-1.7 looks like a PDF inside")
    (tmp_path / "sub").mkdir()
    dialog = file_dialog(None, "Pick", str(tmp_path / "report.pdf"), "All files (*)", save=True)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.findChild(QFileSystemModel)
    qtbot.waitUntil(lambda: all(model.index(str(tmp_path / n)).isValid() and model.type(model.index(str(tmp_path / n)))
                                for n in ("report.pdf", "interviews.sqlite", "x7q2", "sub")), timeout=15000)
    types = {n: model.type(model.index(str(tmp_path / n))) for n in ("report.pdf", "interviews.sqlite", "x7q2", "sub")}
    assert types["report.pdf"] == "PDF document"  # by its name
    assert types["x7q2"] == "File"  # its bytes say PDF: not looked at
    assert types["sub"] == "Folder"
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    assert dialog.testOption(QFileDialog.Option.DontUseCustomDirectoryIcons)
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.selectedFiles() == [str(tmp_path / "report.pdf")]
