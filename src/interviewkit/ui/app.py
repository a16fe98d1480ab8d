"""Start the desktop app: the Qt application, settings, theme and main window.

Only Qt is imported before the window shows; the database layer loads in the background after it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from interviewkit import __version__
from interviewkit.paths import database_location, resources_dir, shipped_bank_dir
from interviewkit.ui.main_window import MainWindow
from interviewkit.ui.theme import apply_theme

__all__ = ["make_application", "run_app"]


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with InterviewKit's names (they key QSettings) and icon."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("InterviewKit")
    app.setApplicationName("InterviewKit")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "interviewkit.svg")))
    return app


def run_app(db: str | None = None, bank: str | None = None) -> int:
    """Open the app window and run the event loop; returns the exit code."""
    app = make_application()
    settings = QSettings()
    apply_theme(app, str(settings.value("ui/theme", "system")))
    bank_dir = Path(bank).expanduser() if bank else shipped_bank_dir()
    if not bank_dir.is_dir():
        QMessageBox.critical(None, "InterviewKit", f"The question-bank folder {bank_dir} does not exist.")
        return 2
    window = MainWindow(settings)
    window.show()
    location, is_default = database_location(db)
    window.start(location, bank_dir, default=is_default)
    return app.exec()
