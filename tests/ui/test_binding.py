"""The Qt binding itself must not corrupt the interpreter.

PySide6 6.12.0 under CPython 3.11 decrements the reference count of None on every call of a method
that returns nothing; after enough calls the process aborts ("none_dealloc: deallocating None"). A long
interview would crash. pyproject.toml excludes that release; this test catches any build like it.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_qt_calls_leave_none_alone(qtbot: QtBot) -> None:
    rect = QRect()
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        rect.setWidth(3)
        label.setText("x")
    assert sys.getrefcount(None) - before > -100  # allow unrelated churn, not one per call
