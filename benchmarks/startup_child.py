"""The child process of the startup benchmark: show a window, print when it has been shown, exit.

``python startup_child.py bare``  shows a bare PySide6 QMainWindow;
``python startup_child.py app SETTINGS.ini``  does what ``interviewkit.ui.app.run_app`` does up to
``window.show()``, with QSettings in ``SETTINGS.ini`` so that the user's settings are not touched.

The parent notes ``time.time()`` before it spawns this process; this process prints ``time.time()`` from a
zero-delay timer queued after ``show()``, which runs once the event loop has handled the show, and exits.
Imports are part of what is measured, so nothing is imported before the mode is known.
"""

from __future__ import annotations

import sys


def _report_and_quit() -> None:
    import time

    from PySide6.QtWidgets import QApplication

    print(f"SHOWN {time.time():.6f}", flush=True)
    QApplication.quit()


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)  # the size InterviewKit opens at, so both paint the same area
    window.show()
    QTimer.singleShot(0, _report_and_quit)
    return app.exec()


def interviewkit_app(settings_file: str) -> int:
    # Exactly what interviewkit.ui.app.run_app does up to window.show(): launch() is shared by both.
    from PySide6.QtCore import QSettings, QTimer

    from interviewkit.ui.shell.app import launch

    app, _window = launch(QSettings(settings_file, QSettings.Format.IniFormat))
    QTimer.singleShot(0, _report_and_quit)
    return app.exec()


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[1] == "bare":
        return bare()
    if len(argv) == 3 and argv[1] == "app":
        return interviewkit_app(argv[2])
    print("usage: startup_child.py bare | app SETTINGS.ini", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
