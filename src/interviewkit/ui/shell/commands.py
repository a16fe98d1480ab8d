"""The window's own commands (the File, Edit, View and Help menus' actions that belong to no screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox

from interviewkit import __version__
from interviewkit.ui.shell.actions import ActionId
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.theme import apply_theme

if TYPE_CHECKING:
    from interviewkit.ui.shell.window import MainWindow

__all__ = ["about", "connect", "export_pdf", "find", "import_job_description", "retention", "set_theme", "sync_bank"]


def connect(window: MainWindow) -> None:
    """Give each window action its command."""
    a = window.actions_by_id
    a[ActionId.QUIT].triggered.connect(window.close)
    a[ActionId.FIND].triggered.connect(lambda: find(window))
    a[ActionId.SYNC_BANK].triggered.connect(lambda: sync_bank(window))
    a[ActionId.OPEN_DATABASE].triggered.connect(lambda: window.session.choose_database())  # noqa: PLW0108 - not `checked`
    a[ActionId.ABOUT].triggered.connect(lambda: about(window))
    a[ActionId.SWITCH_USER].triggered.connect(lambda: window.identify(ask_again=True))
    a[ActionId.IMPORT_SCORECARDS].triggered.connect(window.imports.choose)
    a[ActionId.EXPORT_PDF].triggered.connect(lambda: export_pdf(window))
    a[ActionId.RETENTION].triggered.connect(lambda: retention(window))
    a[ActionId.IMPORT_JD].triggered.connect(lambda: import_job_description(window))


def export_pdf(window: MainWindow) -> None:
    """File → Export PDF…: the document of the screen shown (scorecard, packet, kit, calibration report)."""
    current = window.stack.currentWidget()
    if not (isinstance(current, SectionWidget) and current.export_pdf()):
        window.notify(
            "Nothing to export here: open a debrief (packet), a loop's stage (interview kit), an interview "
            "(scorecard) or Calibration (report), then Export PDF (Ctrl+P)."
        )


def find(window: MainWindow) -> None:
    """Edit → Find: the search of the screen shown, else the question bank's."""
    current = window.stack.currentWidget()
    if not (isinstance(current, SectionWidget) and current.focus_search()):
        window.navigate("bank")
        window.section("bank").focus_search()


def sync_bank(window: MainWindow) -> None:
    """File → Sync bank (admins): load the bank's files again."""
    ctx = window.ctx
    if ctx is not None:
        from interviewkit.services.context import resync

        window.run(
            lambda: resync(ctx), lambda report: window.notify(report.summary()), busy="Syncing the question bank"
        )


def retention(window: MainWindow) -> None:
    """File → Personal data retention… (admins): the period, who is due, and erasing them; the People screen's
    dialog, whose writes that screen runs (off the GUI thread, their changes told to every screen)."""
    if window.ctx is not None:
        window.section("people").show_target("retention")


def import_job_description(window: MainWindow) -> None:
    """File → Import job description… (who may change the bank): read, review, save (ui/jd_import)."""
    from interviewkit.ui.jd_import.command import JDImportCommand  # loaded when first used (numpy, readers)

    command = window.findChild(JDImportCommand) or JDImportCommand(window, lambda: window.ctx, window)
    command.open()


def set_theme(window: MainWindow, name: str) -> None:
    """View → Theme: system, light or dark (remembered)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, name)
    window.settings.setValue("ui/theme", name)
    for widget in window.built_sections():
        widget.refresh()


def about(window: MainWindow) -> None:
    QMessageBox.about(
        window,
        "About InterviewKit",
        f"<h3>InterviewKit {__version__}</h3><p>Structured hiring interviews: a competency-tagged question bank, "
        "live interviews, debriefs and interviewer calibration.</p><p>Open source under the MIT licence. "
        "Built with Qt for Python (LGPL).</p>",
    )
