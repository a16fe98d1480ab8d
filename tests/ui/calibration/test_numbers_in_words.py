"""Issue 16, item 8: with a competency filter the agreement text names the competency, not "the overall
score" (one score's spread is checked in test_calibration_view's exercise test)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from interviewkit.services.context import AppContext
from tests.ui.calibration.test_calibration_view import _view, rated_ctx  # noqa: F401 - the fixture


def test_the_agreement_text_follows_the_competency_filter(qtbot: QtBot, rated_ctx: AppContext) -> None:  # noqa: F811
    view = _view(qtbot, rated_ctx)
    assert view.dashboard.agreement_note.text().startswith("On the overall score")
    with qtbot.waitSignal(view.sig_updated, timeout=20000):
        view.set_filters(competency="model-serving")
    note = view.dashboard.agreement_note.text()
    assert "overall score" not in note
    assert note.startswith("On Model deployment and serving, two interviewers' ratings")
