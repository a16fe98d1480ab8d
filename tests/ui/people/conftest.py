"""Fixtures for the People section: a shown, active PeopleView over a fresh database, and a keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from interviewkit.services.context import AppContext
from interviewkit.ui.people.view import PeopleView


class Keyboard:
    """Keys go where the focus is, as when a user types: tab order and default buttons are exercised."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot

    def show_active(self, widget: QWidget) -> None:
        """Show ``widget`` as the active window, so that window shortcuts (Ctrl+N) reach it."""
        with self.qtbot.waitActive(widget):
            widget.show()
            widget.activateWindow()

    def focus(self, window: QWidget) -> QWidget:
        target = window.focusWidget()
        assert target is not None, f"nothing has the focus in {window!r}"
        return target

    def type(self, window: QWidget, text: str) -> QWidget:
        target = self.focus(window)
        self.qtbot.keyClicks(target, text)
        return target

    def press(self, window: QWidget, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(window.focusWidget() or window, key, modifier)

    def tab(self, window: QWidget, times: int = 1) -> QWidget:
        for _ in range(times):
            self.press(window, Qt.Key.Key_Tab)
        return self.focus(window)


@pytest.fixture
def kb(qtbot: QtBot) -> Keyboard:
    return Keyboard(qtbot)


@pytest.fixture
def view(qtbot: QtBot, kb: Keyboard, ctx: AppContext) -> PeopleView:
    """The People section over a fresh database holding the mini bank (both job descriptions)."""
    from interviewkit.services.access import LOCAL_ADMIN

    ctx.user_id = LOCAL_ADMIN  # type: ignore[assignment]  # full rights: these tests are about the forms
    widget = PeopleView()
    qtbot.addWidget(widget)
    widget.resize(1100, 600)
    widget.set_context(ctx)
    kb.show_active(widget)
    return widget
