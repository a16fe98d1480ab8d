"""The debrief section inside the main window: adjusted means, Export PDF, scorecard files dropped on it."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from interviewkit.services import demo, exchange
from interviewkit.services.access import LOCAL_ADMIN
from interviewkit.services.calibration import candidate_adjustment
from interviewkit.ui.debrief.view import DebriefView
from interviewkit.ui.shell.window import MainWindow
from interviewkit.ui.widgets.pdf_preview import PdfPreviewDialog
from tests.ui.conftest import show_main_window

from .conftest import Demo


def _window(qtbot: QtBot, settings: QSettings, seeded: Demo) -> MainWindow:
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(seeded.ctx)
    show_main_window(qtbot, window)
    return window


def test_the_debrief_shows_leniency_adjusted_means_next_to_raw_ones(
    qtbot: QtBot, settings: QSettings, seeded: Demo
) -> None:
    window = _window(qtbot, settings, seeded)
    qtbot.keyClick(window.navigation, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    view = window.debriefs
    assert isinstance(view, DebriefView)
    assert window.stack.currentWidget() is view
    candidate = seeded.candidates[demo.SPLIT]
    qtbot.waitUntil(lambda: not view.loading)  # the list is read off the GUI thread
    assert view.select_candidate(candidate)
    qtbot.waitUntil(lambda: not view.loading)  # the debrief is read off the GUI thread too
    expected = candidate_adjustment(seeded.db, candidate, by=window.ctx.user_id)  # as the signed-in person may see it
    assert expected is not None and expected.adjusted
    qtbot.waitUntil(view.grid_model.has_adjusted, timeout=10000)
    assert view.adjusted_note.text() == expected.explanation
    assert "leniency" in view.adjusted_note.text()


def test_ctrl_p_in_the_debrief_previews_the_packet(qtbot: QtBot, settings: QSettings, seeded: Demo) -> None:
    window = _window(qtbot, settings, seeded)
    window.navigation.setCurrentRow(window.section_index("debriefs"))
    view = window.debriefs
    assert isinstance(view, DebriefView)
    qtbot.waitUntil(lambda: not view.loading)  # the list is read off the GUI thread
    assert view.select_candidate(seeded.candidates[demo.SPLIT])
    qtbot.waitUntil(lambda: not view.loading)  # the debrief is read off the GUI thread too
    view.grid.setFocus()
    qtbot.waitUntil(view.grid.hasFocus)
    qtbot.keyClick(view.grid, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog))
    with qtbot.waitSignal(dialog.sig_rendered, timeout=20000) as pages:
        pass
    assert pages.args[0] >= 2
    assert "Debrief packet" in dialog.windowTitle()
    dialog.reject()


def _export(seeded: Demo, card: int, path: Path) -> Path:
    """The scorecard's file, signed by its interviewer, whose key the database has registered."""
    from interviewkit.services import signing
    from interviewkit.storage.models import Person, Scorecard

    with seeded.db.session() as s:
        scorecard = s.get(Scorecard, card)
        assert scorecard is not None
        person = s.get(Person, scorecard.interviewer_id)
        assert person is not None
        email = person.email
    key, _ = signing.create_key(email)
    signing.set_person_key(seeded.db, email, signing.public_key_of(key), reason="test", by=LOCAL_ADMIN)
    return exchange.write_export(seeded.db, card, path, by=LOCAL_ADMIN)


def _drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)


def test_scorecard_files_dropped_on_the_window_are_imported_and_explained(
    qtbot: QtBot, settings: QSettings, seeded: Demo, tmp_path: Path
) -> None:
    from interviewkit.services.debrief import debrief

    window = _window(qtbot, settings, seeded)
    card = (
        debrief(seeded.db, seeded.candidates[demo.SPLIT], seeded.lead_id, seeded.ctx.settings).columns[0].scorecard_id
    )
    same = _export(seeded, card, tmp_path / "same.json")
    tampered = tmp_path / "tampered.json"
    content = json.loads(same.read_text(encoding="utf-8"))
    content["scorecard"]["summary"] = content["scorecard"].get("summary", "") + " (edited later)"
    tampered.write_text(json.dumps(content), encoding="utf-8")
    _drop(window, [same, tampered])
    qtbot.waitUntil(lambda: window.import_box is not None, timeout=10000)  # imported off the GUI thread
    assert [r.status for r in window.last_import] == ["unchanged", "refused"], [r.message for r in window.last_import]
    assert "tamper" in window.last_import[1].message.lower()
    box = window.import_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "1 unchanged, 1 refused" in box.text()
    assert "tampered.json" in box.informativeText()
    box.close()


def test_file_export_pdf_says_what_to_open_when_the_screen_has_no_document(
    qtbot: QtBot, settings: QSettings, seeded: Demo
) -> None:
    from interviewkit.ui.shell.actions import ActionId

    window = _window(qtbot, settings, seeded)
    window.navigation.setCurrentRow(window.section_index("bank"))
    window.actions_by_id[ActionId.EXPORT_PDF].trigger()
    assert "Nothing to export here" in window.statusBar().currentMessage()
    assert not any(isinstance(w, PdfPreviewDialog) for w in QApplication.topLevelWidgets() if w.isVisible())


def test_an_interviewer_may_not_import_scorecards(
    qtbot: QtBot, settings: QSettings, seeded: Demo, tmp_path: Path
) -> None:
    from interviewkit.services.debrief import debrief
    from interviewkit.ui.shell.actions import ActionId

    card = (
        debrief(seeded.db, seeded.candidates[demo.SPLIT], seeded.lead_id, seeded.ctx.settings).columns[0].scorecard_id
    )
    path = _export(seeded, card, tmp_path / "card.json")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.set_context(seeded.as_person("Amara Okafor"))
    assert not window.actions_by_id[ActionId.IMPORT_SCORECARDS].isEnabled()
    _drop(window, [path])
    assert window.last_import == []
    assert "Only coordinators, hiring managers and admins" in window.statusBar().currentMessage()
    window.set_context(seeded.ctx)  # the hiring manager
    assert window.actions_by_id[ActionId.IMPORT_SCORECARDS].isEnabled()
