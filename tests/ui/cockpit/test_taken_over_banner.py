"""Issue 16, item 8: a window whose scorecard another copy took over says so in a banner over the interview."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from interviewkit.services import scorecards as svc
from interviewkit.services.context import AppContext
from tests.ui.cockpit.conftest import Planned
from tests.ui.cockpit.test_cockpit_writes import _cockpit


def test_a_take_over_elsewhere_is_a_banner(qtbot: QtBot, planned: Planned, other_instance: AppContext) -> None:
    view, _host = _cockpit(qtbot, planned)
    assert not view.header.refused.isVisibleTo(view)
    svc.open_scorecard(
        planned.ctx.db, planned.stage_id, planned.interviewer_id, other_instance.instance_id, take_over=True
    )
    qtbot.keyClicks(view.notes, "- typed after the other copy took it")
    qtbot.waitUntil(lambda: view.header.refused.isVisibleTo(view), timeout=5000)
    banner = view.header.refused.text()
    assert "taken over by another InterviewKit window" in banner and "Ctrl+W" in banner
    assert view.header.refused.font().pointSizeF() >= view.header.saved_label.font().pointSizeF()
    assert view.notes.isReadOnly()
    qtbot.keyClick(view.notes, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
