"""The focused button or combo box is seen at a glance in both palettes: a 2 px ring in the highlight colour
(resources/styles/05_focus.qss). The keyboard walk of issue 16 found Fusion's own mark (a 1 px tint) hard to
see in the light palette. Unfocused, the same widget has no highlight-coloured edge, and it keeps its size."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from interviewkit.ui.widgets.theme import apply_theme


def _near(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue())))


def _ring(image: QImage, highlight: QColor) -> bool:
    """Both of the two outermost columns on the left, at mid-height, in the highlight colour."""
    y = image.height() // 2
    return all(_near(image.pixelColor(x, y), highlight) for x in (0, 1))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_a_focused_button_and_combo_box_wear_a_two_pixel_ring(qtbot: QtBot, theme: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    try:
        window = QWidget()
        qtbot.addWidget(window)
        row = QHBoxLayout(window)
        elsewhere, button, combo = QLineEdit(), QPushButton("Open interview (Enter)"), QComboBox()
        combo.addItems(["All competencies", "Monitoring & drift"])
        for w in (elsewhere, button, combo):
            row.addWidget(w)
        with qtbot.waitActive(window):
            window.show()
            window.activateWindow()
        highlight = app.palette().color(QPalette.ColorRole.Highlight)
        elsewhere.setFocus()
        qtbot.waitUntil(elsewhere.hasFocus)
        sizes = {w: w.size() for w in (button, combo)}
        for w in (button, combo):
            assert not _ring(w.grab().toImage(), highlight), w
        for w in (button, combo):
            w.setFocus()
            qtbot.waitUntil(w.hasFocus)
            assert _ring(w.grab().toImage(), highlight), (theme, w)
            assert w.size() == sizes[w]  # nothing moves when the focus does
    finally:
        apply_theme(app, "system")
