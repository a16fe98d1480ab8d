"""Themes: light and dark palettes, and back to the platform's own look."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from interviewkit.ui.widgets.theme import apply_theme, is_dark


def test_dark_then_system_gives_back_the_platforms_style_and_palette(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "system")
    style, window = app.style().name(), app.palette().color(QPalette.ColorRole.Window)
    try:
        apply_theme(app, "dark")
        assert is_dark()
        apply_theme(app, "light")
        assert not is_dark()
        apply_theme(app, "system")
        assert app.style().name() == style
        assert app.palette().color(QPalette.ColorRole.Window) == window
        assert "QWidget#navigation" in app.styleSheet()  # the style sheet stays in every theme
    finally:
        apply_theme(app, "system")
