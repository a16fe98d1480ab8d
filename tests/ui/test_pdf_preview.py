"""The PDF preview: built in the background, rebuilt when an option changes, saved as previewed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from interviewkit.storage.db import Database
from interviewkit.ui.widgets.pdf_preview import (
    BUILD_DELAY_MS,
    PdfOptions,
    PdfPreviewDialog,
    preview_and_save,
    safe_file_name,
)
from tests.pdf.conftest import INTERVIEWERS, Panel, build_panel, pdf_text


@pytest.fixture
def panel(shipped_db: Database) -> Panel:
    return build_panel(shipped_db)


def debrief_build(panel: Panel, calls: list[tuple[PdfOptions, bool]]):  # type: ignore[no-untyped-def]
    def build(path: Path, options: PdfOptions) -> None:
        from interviewkit.pdf.exports import export_debrief_pdf

        calls.append((options, threading.current_thread() is threading.main_thread()))
        export_debrief_pdf(
            panel.db,
            panel.candidate_id,
            path,
            settings=panel.settings,
            viewer_id=panel.hiring_manager_id,
            page_size=options.page_size,
            hide_names=options.hide_names,
        )

    return build


def test_preview_builds_and_saves_what_was_shown(qtbot: QtBot, panel: Panel, tmp_path: Path) -> None:
    calls: list[tuple[PdfOptions, bool]] = []
    dialog = PdfPreviewDialog("Debrief packet", debrief_build(panel, calls))
    qtbot.addWidget(dialog)
    dialog.page_size.setCurrentText("A4")
    with qtbot.waitSignal(dialog.sig_rendered, timeout=20000):
        pass
    qtbot.waitUntil(lambda: not dialog.busy and dialog.page_count > 0, timeout=20000)
    assert calls[-1][1]  # built on the GUI thread: Qt text layout in a Python worker thread can deadlock
    assert dialog.save_button.isEnabled()
    assert f"{dialog.page_count} pages · A4" in dialog.status.text()

    # Hide names: built again with the option; Save is disabled until the new preview is in.
    with qtbot.waitSignal(dialog.sig_rendered, timeout=20000):
        dialog.hide_names.setChecked(True)
        assert not dialog.save_button.isEnabled()
    assert calls[-1][0] == PdfOptions("A4", True)
    assert "names hidden" in dialog.status.text()

    out = tmp_path / "saved.pdf"
    with qtbot.waitSignal(dialog.sig_saved) as saved:
        assert dialog.save_to(out)
    assert saved.args == [str(out)]
    text = pdf_text(out)
    assert not any(name in text for name in INTERVIEWERS)
    assert len(PdfReader(str(out)).pages) == dialog.page_count


def test_a_failure_is_shown_in_words_not_a_traceback(qtbot: QtBot, tmp_path: Path) -> None:
    def build(path: Path, options: PdfOptions) -> None:
        from interviewkit.services.errors import NotFound

        raise NotFound("No candidate with id 42")

    dialog = PdfPreviewDialog("Kit", build)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10000)
    assert dialog.error.isVisible() and "No candidate with id 42" in dialog.error.text()
    assert not dialog.save_button.isEnabled()


def test_cancel_drops_the_build_that_has_not_started(qtbot: QtBot, panel: Panel) -> None:
    built: list[PdfOptions] = []

    def build(path: Path, options: PdfOptions) -> None:
        built.append(options)
        path.write_bytes(b"%PDF-1.4\n%%EOF\n")

    dialog = PdfPreviewDialog("Slow", build)
    qtbot.addWidget(dialog)
    assert dialog.busy and dialog.progress.isVisibleTo(dialog)
    dialog.cancel()
    assert not dialog.busy and "Cancelled" in dialog.status.text()
    qtbot.wait(10 * BUILD_DELAY_MS)  # past the moment the build would have started
    assert built == [] and dialog.page_count == 0 and not dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.sig_rendered, timeout=10000):
        dialog.hide_names.setChecked(True)  # changing an option builds again
    assert built == [PdfOptions(dialog.page_size.currentText(), True)]


def test_preview_and_save_opens_a_window_modal_dialog(qtbot: QtBot, panel: Panel) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    calls: list[tuple[PdfOptions, bool]] = []
    dialog = preview_and_save(parent, "Debrief packet · José Ñúñez", debrief_build(panel, calls))
    assert dialog.isVisible() and dialog.isModal()
    assert dialog.windowTitle() == "Export PDF — Debrief packet · José Ñúñez"
    qtbot.waitUntil(lambda: dialog.page_count > 0, timeout=20000)
    dialog.close()


def test_safe_file_name() -> None:
    assert safe_file_name("Debrief packet · José Ñúñez") == "debrief-packet-jose-nunez.pdf"
    assert safe_file_name("王芳") == "document.pdf"


def test_a_dialog_deleted_before_its_build_starts_builds_nothing(qtbot: QtBot) -> None:
    """The build waits a moment so that the dialog can show it is busy; a dialog deleted meanwhile (its
    window closed) must not build into widgets that are gone."""
    from PySide6.QtWidgets import QWidget

    builds: list[Path] = []
    parent = QWidget()
    dialog = PdfPreviewDialog("Scorecard", lambda path, options: builds.append(path), parent=parent)
    dialog.rebuild()
    with qtbot.waitSignal(parent.destroyed):
        parent.deleteLater()
    qtbot.wait(BUILD_DELAY_MS + 200)  # past the moment the build would have started
    assert builds == []
