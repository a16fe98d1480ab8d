"""The main window: assembles the sections, menus and status bar; holds no business logic.

The window shows at once; the database is opened and the bank synced in the background, then every
section gets the :class:`~interviewkit.services.context.AppContext`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from interviewkit import __version__
from interviewkit.ui.actions import ActionId, create_actions
from interviewkit.ui.bank.browser import BankBrowser
from interviewkit.ui.cockpit.cockpit import CockpitView
from interviewkit.ui.cockpit.my_interviews import MyInterviewsView
from interviewkit.ui.coverage.view import CoverageView
from interviewkit.ui.people.view import PeopleView
from interviewkit.ui.tasks import run_in_background
from interviewkit.ui.theme import apply_theme

if TYPE_CHECKING:
    from interviewkit.services.bank_sync import SyncReport
    from interviewkit.services.context import AppContext

__all__ = ["MainWindow"]


class MainWindow(QMainWindow):
    """Navigation on the left, the current section on the right, the database in the status bar."""

    sig_context_changed = Signal(object)
    """A database was opened (the new AppContext), or closed (None)."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.ctx: AppContext | None = None
        self.setWindowTitle("InterviewKit")
        self.setObjectName("mainWindow")
        self.actions_by_id = create_actions(self)

        self.my_interviews = MyInterviewsView()
        self.bank = BankBrowser()
        self.coverage = CoverageView()
        self.people = PeopleView()
        self.sections: list[QWidget] = [self.my_interviews, self.bank, self.coverage, self.people]
        self.cockpit = CockpitView()

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.setFrameShape(QListWidget.Shape.NoFrame)
        self.stack = QStackedWidget()
        for i, section in enumerate(self.sections):
            item = QListWidgetItem(section.title)  # type: ignore[attr-defined]
            item.setToolTip(f"{section.title} (Ctrl+{i + 1})")  # type: ignore[attr-defined]
            item.setSizeHint(QSize(150, 34))
            self.navigation.addItem(item)
            self.stack.addWidget(section)
        self.stack.addWidget(self.cockpit)
        self.interview_item: QListWidgetItem | None = None
        self.navigation.setFixedWidth(170)
        self.navigation.currentRowChanged.connect(self._on_navigation)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.user_label = QLabel()
        self.user_label.setObjectName("signedIn")
        self.db_label = QLabel("Opening the database…")
        self.db_label.setProperty("role", "subtle")
        self.save_label = QLabel()
        self.save_label.setProperty("role", "subtle")
        self.statusBar().addPermanentWidget(self.save_label)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.db_label)

        self._build_menus()
        self.coverage.sig_question_requested.connect(self.show_question)
        self.my_interviews.sig_open_requested.connect(self.open_stage)
        self.my_interviews.sig_resume_requested.connect(self.open_stage)
        self.cockpit.sig_closed.connect(self._cockpit_closed)
        self.cockpit.sig_submitted.connect(self._scorecard_submitted)
        self.cockpit.sig_save_status.connect(self.save_label.setText)
        self.people.sig_people_changed.connect(lambda _record: self._people_changed())
        self.navigation.setCurrentRow(0)
        self._restore_state()

    # -- assembly ---------------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        a = self.actions_by_id
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(a[ActionId.OPEN_DATABASE])
        file_menu.addAction(a[ActionId.SYNC_BANK])
        file_menu.addAction(a[ActionId.SWITCH_USER])
        file_menu.addSeparator()
        file_menu.addAction(a[ActionId.QUIT])
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addAction(a[ActionId.FIND])
        interview_menu = menu.addMenu("&Interview")
        for act in self.cockpit.menu_actions():
            interview_menu.addAction(act)
        interview_menu.addSeparator()
        leave = interview_menu.addAction("&Leave the interview (saved)")
        leave.setShortcut(QKeySequence("Ctrl+W"))
        leave.setToolTip("Save and go back to My interviews (Ctrl+W)")
        leave.triggered.connect(self.leave_interview)
        self.interview_menu = interview_menu
        view_menu = menu.addMenu("&View")
        for i, section in enumerate(self.sections):
            act = view_menu.addAction(section.title)  # type: ignore[attr-defined]
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.setToolTip(f"{section.title} (Ctrl+{i + 1})")  # type: ignore[attr-defined]
            act.triggered.connect(lambda _=False, row=i: self.navigation.setCurrentRow(row))
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("&Theme")
        group = QActionGroup(self)
        current = str(self.settings.value("ui/theme", "system"))
        for aid, name in ((ActionId.THEME_SYSTEM, "system"), (ActionId.THEME_LIGHT, "light"), (ActionId.THEME_DARK, "dark")):
            act = a[aid]
            act.setCheckable(True)
            act.setChecked(name == current)
            group.addAction(act)
            theme_menu.addAction(act)
            act.triggered.connect(lambda _=False, n=name: self.set_theme(n))
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(a[ActionId.ABOUT])

        a[ActionId.QUIT].triggered.connect(self.close)
        a[ActionId.FIND].triggered.connect(self.find)
        a[ActionId.SYNC_BANK].triggered.connect(self.sync_bank)
        a[ActionId.OPEN_DATABASE].triggered.connect(self.choose_database)
        a[ActionId.ABOUT].triggered.connect(self.about)
        a[ActionId.SWITCH_USER].triggered.connect(lambda: self.identify(ask_again=True))
        a[ActionId.SYNC_BANK].setEnabled(False)
        a[ActionId.SWITCH_USER].setEnabled(False)

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        for splitter in self.findChildren(QSplitter):
            if splitter.objectName():
                state = self.settings.value(f"splitters/{splitter.objectName()}")
                if isinstance(state, QByteArray):
                    splitter.restoreState(state)
        row = int(self.settings.value("window/section", 0) or 0)
        if 0 <= row < len(self.sections):
            self.navigation.setCurrentRow(row)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.cockpit.close_scorecard()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/section", self.navigation.currentRow())
        for splitter in self.findChildren(QSplitter):
            if splitter.objectName():
                self.settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)

    # -- database ---------------------------------------------------------------------------------------

    def start(self, location: str, bank_dir: Path, *, default: bool = False) -> None:
        """Open the database and sync the bank in the background, then fill the sections."""
        from_here = location

        def work() -> tuple[AppContext, SyncReport]:
            from interviewkit.services.context import open_app

            return open_app(from_here, bank_dir, default=default)

        self.db_label.setText(f"Opening {location}…")
        run_in_background(work, self._opened, lambda exc: self._open_failed(exc, bank_dir))

    def _opened(self, result: tuple[AppContext, SyncReport]) -> None:
        ctx, report = result
        from interviewkit.ui.people.who import remembered_user

        ctx.user_id = remembered_user(self.settings, ctx)
        self.set_context(ctx)
        if ctx.user_id is None:
            self.identify()
        if report.wrote and not report.skipped_parse:
            self.statusBar().showMessage(report.summary(), 8000)

    def _open_failed(self, exc: BaseException, bank_dir: Path) -> None:
        from interviewkit.services.context import DatabaseError

        message = str(exc) if isinstance(exc, DatabaseError) else f"Unexpected error: {exc}"
        self.db_label.setText("No database open")
        box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open the database", message, parent=self)
        choose = box.addButton("Choose another database…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is choose:
            self.choose_database(bank_dir)

    def choose_database(self, bank_dir: Path | None = None) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Open or create an InterviewKit database",
            str(self.ctx.db.path.parent) if self.ctx and self.ctx.db.path else "",
            "InterviewKit database (*.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        if bank_dir is None or not isinstance(bank_dir, Path):
            bank_dir = self.ctx.bank_dir if self.ctx else None
        if bank_dir is None:
            from interviewkit.paths import shipped_bank_dir

            bank_dir = shipped_bank_dir()
        self.start(path, bank_dir)

    def set_context(self, ctx: AppContext | None) -> None:
        """Give every section the open database (or None)."""
        if self.ctx is not None and ctx is not self.ctx:
            self.ctx.db.dispose()
        self.ctx = ctx
        self.db_label.setText(ctx.describe() if ctx else "No database open")
        self.actions_by_id[ActionId.SYNC_BANK].setEnabled(ctx is not None)
        self.actions_by_id[ActionId.SWITCH_USER].setEnabled(ctx is not None)
        self._show_user()
        for section in self.sections:
            section.set_context(ctx)  # type: ignore[attr-defined]
        self.sig_context_changed.emit(ctx)

    def sync_bank(self) -> None:
        if self.ctx is None:
            return
        ctx = self.ctx
        self.statusBar().showMessage("Syncing the question bank…")

        def work() -> SyncReport:
            from interviewkit.services.context import resync

            return resync(ctx)

        def done(report: SyncReport) -> None:
            self.statusBar().showMessage(report.summary(), 8000)
            if report.wrote:
                for section in self.sections:
                    section.refresh()  # type: ignore[attr-defined]

        def failed(exc: BaseException) -> None:
            self.statusBar().clearMessage()
            QMessageBox.warning(self, "Bank sync failed", f"The bank could not be synced: {exc}")

        run_in_background(work, done, failed)

    # -- the person using the app ------------------------------------------------------------------------

    def identify(self, *, ask_again: bool = False) -> None:
        """Ask who is using the app (first start, or File → Switch person) and remember it per database."""
        from interviewkit.ui.people.who import identify_user

        if self.ctx is None:
            return
        before = self.ctx.user_id
        if before is not None and ask_again:
            self.cockpit.close_scorecard()
        identify_user(self, self.ctx, self.settings, ask_again=ask_again)
        if self.ctx.user_id != before:
            self._show_user()
            for section in self.sections:
                section.refresh()  # type: ignore[attr-defined]

    def _show_user(self) -> None:
        from interviewkit.services.people import person

        if self.ctx is None or self.ctx.user_id is None:
            self.user_label.setText("Not signed in (File → Switch person)")
            return
        try:
            self.user_label.setText(f"Signed in: {person(self.ctx.db, self.ctx.user_id).name}")
        except Exception:
            self.user_label.setText("Not signed in (File → Switch person)")

    def _people_changed(self) -> None:
        self._show_user()
        self.my_interviews.refresh()

    # -- interviews -------------------------------------------------------------------------------------

    def _on_navigation(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self.stack.setCurrentWidget(self.sections[row])
        elif self.interview_item is not None and row == self.navigation.row(self.interview_item):
            self.stack.setCurrentWidget(self.cockpit)

    def open_stage(self, stage_id: int, *, take_over: bool = False) -> None:
        """Start or resume the scorecard of a stage in the cockpit."""
        from interviewkit.services import scorecards as svc
        from interviewkit.services.errors import ScorecardLocked, ServiceError

        if self.ctx is None or self.ctx.user_id is None:
            return
        if self.cockpit.state is not None and self.cockpit.state.stage_id == stage_id:
            self._show_cockpit()
            return
        try:
            state = svc.open_scorecard(self.ctx.db, stage_id, self.ctx.user_id, self.ctx.instance_id, take_over=take_over)
        except ScorecardLocked as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, "Open elsewhere", str(exc), parent=self)
            take = box.addButton("Take over here", QMessageBox.ButtonRole.AcceptRole)
            box.addButton(QMessageBox.StandardButton.Cancel)
            box.exec()
            if box.clickedButton() is take:
                self.open_stage(stage_id, take_over=True)
            return
        except ServiceError as exc:
            QMessageBox.warning(self, "Cannot open the interview", str(exc))
            return
        self.cockpit.load(self.ctx, state)
        self._show_cockpit()

    def _show_cockpit(self) -> None:
        state = self.cockpit.state
        if state is None:
            return
        label = f"▶ {state.candidate}" if not state.locked else f"✓ {state.candidate}"
        if self.interview_item is None:
            self.interview_item = QListWidgetItem(label)
            self.interview_item.setSizeHint(QSize(150, 34))
            self.navigation.addItem(self.interview_item)
        self.interview_item.setText(label)
        self.interview_item.setToolTip(f"{state.candidate}: {state.stage_name}")
        self.navigation.setCurrentItem(self.interview_item)
        self.stack.setCurrentWidget(self.cockpit)
        self.cockpit.focus_notes()

    def leave_interview(self) -> None:
        """Save, release the scorecard and go back to My interviews."""
        self.cockpit.close_scorecard()

    def _cockpit_closed(self, _card: int) -> None:
        if self.interview_item is not None:
            self.navigation.takeItem(self.navigation.row(self.interview_item))
            self.interview_item = None
        self.navigation.setCurrentRow(self.sections.index(self.my_interviews))
        self.my_interviews.refresh()

    def _scorecard_submitted(self, _card: int) -> None:
        self.statusBar().showMessage("Scorecard submitted. It is now locked; later changes are amendments.", 8000)
        self._show_cockpit()
        self.my_interviews.refresh()

    # -- navigation -------------------------------------------------------------------------------------

    def show_question(self, question_id: str) -> None:
        self.navigation.setCurrentRow(self.sections.index(self.bank))
        self.bank.select_question(question_id)
        self.bank.table.setFocus()

    def find(self) -> None:
        section = self.stack.currentWidget()
        focus = getattr(section, "focus_search", None)
        if focus is None:
            self.navigation.setCurrentRow(self.sections.index(self.bank))
            focus = self.bank.focus_search
        focus()

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        self.settings.setValue("ui/theme", name)
        for section in self.sections:
            section.refresh()  # type: ignore[attr-defined]

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About InterviewKit",
            f"<h3>InterviewKit {__version__}</h3>"
            "<p>Structured hiring interviews: a competency-tagged question bank, live interviews, "
            "debriefs and interviewer calibration.</p><p>Open source under the MIT licence. "
            "Built with Qt for Python (LGPL).</p>",
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1280, 800)
