"""Start the desktop app: the Qt application, settings, theme and main window.

Only Qt is imported before the window shows; the database layer loads in the background after it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from interviewkit import __version__
from interviewkit.paths import database_location, resources_dir, shipped_bank_dir
from interviewkit.ui.shell.window import MainWindow
from interviewkit.ui.widgets import collector
from interviewkit.ui.widgets.theme import apply_theme

__all__ = ["launch", "make_application", "run_app", "set_icon"]


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with InterviewKit's names (they key QSettings)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("InterviewKit")
    app.setApplicationName("InterviewKit")
    app.setDesktopFileName("org.interviewkit.InterviewKit")  # packaging/ installs this menu entry (for Wayland)
    app.setApplicationVersion(__version__)
    collector.install()  # cycles freed in the GUI thread only: a worker must never destroy a widget
    return app


def set_icon(app: QApplication) -> None:
    from PySide6.QtGui import QIcon  # (after the first paint)

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "interviewkit.svg")))


def launch(settings: QSettings | None = None) -> tuple[QApplication, MainWindow]:
    """Create the application and show the main window, as fast as possible.

    The style sheet is applied once the widgets exist (polishing each widget against it while it is
    built costs more). The menus' actions, the visible section and the icon are made once the window has
    been painted (see :class:`~interviewkit.ui.first_paint.AfterFirstPaint`).
    """
    app = make_application()
    settings = settings if settings is not None else QSettings()
    window = MainWindow(settings)
    apply_theme(app, str(settings.value("ui/theme", "system")))
    window.show()
    window.after_first_paint.call(lambda: set_icon(app))
    return app, window


def run_app(db: str | None = None, bank: str | None = None) -> int:
    """Open the app window and run the event loop; returns the exit code."""
    bank_dir = Path(bank).expanduser() if bank else shipped_bank_dir()
    if not bank_dir.is_dir():
        from PySide6.QtWidgets import QMessageBox

        make_application()
        QMessageBox.critical(None, "InterviewKit", f"The question-bank folder {bank_dir} does not exist.")
        return 2
    app, window = launch()
    location, is_default = database_location(db)
    window.start(location, bank_dir, default=is_default)
    return app.exec()
