"""The main window: assembles the sections, menus and status bar; holds no business logic.

The window shows at once; the database is opened and the bank synced in the background, then every
section gets the :class:`~interviewkit.services.context.AppContext`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from interviewkit import __version__
from interviewkit.ui.shell.actions import ActionId, create_actions, install_shortcuts
from interviewkit.ui.shell.first_paint import AfterFirstPaint
from interviewkit.ui.widgets.tasks import run_in_background
from interviewkit.ui.widgets.theme import apply_theme

if TYPE_CHECKING:  # (Qt's types are imported where used: each costs time at start, Qt's namespace ~70 ms)
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent

    from interviewkit.services.bank_sync import SyncReport
    from interviewkit.services.context import AppContext
    from interviewkit.ui.bank.browser import BankBrowser
    from interviewkit.ui.calibration.view import CalibrationView
    from interviewkit.ui.cockpit.cockpit import CockpitView
    from interviewkit.ui.my_interviews.view import MyInterviewsView
    from interviewkit.ui.coverage.view import CoverageView
    from interviewkit.ui.debrief.view import DebriefView
    from interviewkit.ui.loops.view import LoopsView
    from interviewkit.ui.people.view import PeopleView

# The sections, in navigation order: (key, title, module, class). Each is imported and built the first
# time it is shown, so the window appears without waiting for screens nobody has opened yet.
SECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("my_interviews", "My interviews", "interviewkit.ui.my_interviews.view", "MyInterviewsView"),
    ("loops", "Loops", "interviewkit.ui.loops.view", "LoopsView"),
    ("debriefs", "Debriefs", "interviewkit.ui.debrief.view", "DebriefView"),
    ("bank", "Question bank", "interviewkit.ui.bank.browser", "BankBrowser"),
    ("coverage", "Coverage", "interviewkit.ui.coverage.view", "CoverageView"),
    ("calibration", "Calibration", "interviewkit.ui.calibration.view", "CalibrationView"),
    ("people", "People", "interviewkit.ui.people.view", "PeopleView"),
)

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
        self.setAcceptDrops(True)  # scorecard files (.json) dropped anywhere on the window are imported
        self.actions_by_id = create_actions(self)

        self._built: dict[str, QWidget] = {}
        self._placeholders: dict[str, QWidget] = {}
        self._cockpit: CockpitView | None = None
        self.last_import: list = []  # what happened to each scorecard file of the last import
        self.import_box: QWidget | None = None
        self.retention_dialog: QWidget | None = None

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.setFrameShape(QListWidget.Shape.NoFrame)
        self.stack = QStackedWidget()
        for i, (key, title, _module, _cls) in enumerate(SECTIONS):
            item = QListWidgetItem(title)
            item.setToolTip(f"{title} (Ctrl+{i + 1})")
            item.setSizeHint(QSize(150, 34))
            self.navigation.addItem(item)
            placeholder = QWidget()
            self._placeholders[key] = placeholder
            self.stack.addWidget(placeholder)
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

        menu = self.menuBar()  # titles now (the bar keeps its height); their actions right after showing
        self.file_menu = menu.addMenu("&File")
        self.edit_menu = menu.addMenu("&Edit")
        self.interview_menu = menu.addMenu("&Interview")
        self.view_menu = menu.addMenu("&View")
        self.help_menu = menu.addMenu("&Help")
        self._interview_filled = False
        self._menus_built = False
        self._connect_actions()
        # The menus' actions and the first section are built once the window has been painted.
        self.after_first_paint = AfterFirstPaint(self)
        self.after_first_paint.call(self._build_menus)
        self._restore_state()

    # -- sections, built on first use -------------------------------------------------------------------

    def section(self, key: str) -> QWidget:
        """The section ``key``, built (imported, constructed, wired, given the database) on first use."""
        widget = self._built.get(key)
        if widget is not None:
            return widget
        import importlib

        index = self.section_index(key)
        _key, _title, module, cls = SECTIONS[index]
        widget = getattr(importlib.import_module(module), cls)()
        placeholder = self._placeholders.pop(key)
        current = self.stack.currentWidget() is placeholder
        self.stack.insertWidget(self.stack.indexOf(placeholder), widget)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self._built[key] = widget
        self._wire(key, widget)
        self._restore_splitters(widget)
        if self.ctx is not None:
            widget.set_context(self.ctx)  # type: ignore[attr-defined]
        if current:
            self.stack.setCurrentWidget(widget)
        return widget

    def _build_current(self, row: int) -> None:
        if self.navigation.currentRow() == row:
            self.stack.setCurrentWidget(self.section(SECTIONS[row][0]))

    def section_index(self, key: str) -> int:
        return next(i for i, entry in enumerate(SECTIONS) if entry[0] == key)

    def built_sections(self) -> list[QWidget]:
        return list(self._built.values())

    def _wire(self, key: str, widget: QWidget) -> None:
        if key == "coverage":
            widget.sig_question_requested.connect(self.show_question)  # type: ignore[attr-defined]
        elif key == "my_interviews":
            widget.sig_open_requested.connect(self.open_stage)  # type: ignore[attr-defined]
            widget.sig_resume_requested.connect(self.open_stage)  # type: ignore[attr-defined]
        elif key == "people":
            widget.sig_people_changed.connect(lambda _record: self._people_changed())  # type: ignore[attr-defined]
        elif key == "loops":
            widget.sig_loops_changed.connect(lambda _loop: self._loops_changed())  # type: ignore[attr-defined]
            widget.sig_kit_export_requested.connect(self.export_kit)  # type: ignore[attr-defined]
        elif key == "debriefs":
            widget.sig_export_requested.connect(self.export_debrief)  # type: ignore[attr-defined]
            widget.sig_candidate_shown.connect(self._show_adjusted)  # type: ignore[attr-defined]

    @property
    def my_interviews(self) -> MyInterviewsView:
        return self.section("my_interviews")  # type: ignore[return-value]

    @property
    def loops(self) -> LoopsView:
        return self.section("loops")  # type: ignore[return-value]

    @property
    def debriefs(self) -> DebriefView:
        return self.section("debriefs")  # type: ignore[return-value]

    @property
    def bank(self) -> BankBrowser:
        return self.section("bank")  # type: ignore[return-value]

    @property
    def coverage(self) -> CoverageView:
        return self.section("coverage")  # type: ignore[return-value]

    @property
    def calibration(self) -> CalibrationView:
        return self.section("calibration")  # type: ignore[return-value]

    @property
    def people(self) -> PeopleView:
        return self.section("people")  # type: ignore[return-value]

    @property
    def cockpit(self) -> CockpitView:
        """The live interview screen, built when first needed."""
        if self._cockpit is None:
            from interviewkit.ui.cockpit.cockpit import CockpitView

            cockpit = CockpitView()
            self._cockpit = cockpit
            self.stack.addWidget(cockpit)
            cockpit.sig_closed.connect(self._cockpit_closed)
            cockpit.sig_submitted.connect(self._scorecard_submitted)
            cockpit.sig_save_status.connect(self.save_label.setText)
            cockpit.sig_export_requested.connect(self.export_scorecard)
            self._restore_splitters(cockpit)
            self._fill_interview_menu()
        return self._cockpit

    def _ensure_cockpit(self) -> None:
        self.cockpit  # noqa: B018 - building it fills the Interview menu

    def _fill_interview_menu(self) -> None:
        if self._cockpit is None or self._interview_filled or not self._menus_built:
            return
        self._interview_filled = True
        first = self.interview_menu.actions()[0] if self.interview_menu.actions() else None
        for act in self._cockpit.menu_actions():
            self.interview_menu.insertAction(first, act)
        if first is not None:
            self.interview_menu.insertSeparator(first)

    # -- assembly ---------------------------------------------------------------------------------------

    def _connect_actions(self) -> None:
        a = self.actions_by_id
        a[ActionId.QUIT].triggered.connect(self.close)
        a[ActionId.FIND].triggered.connect(self.find)
        a[ActionId.SYNC_BANK].triggered.connect(self.sync_bank)
        a[ActionId.OPEN_DATABASE].triggered.connect(self.choose_database)
        a[ActionId.ABOUT].triggered.connect(self.about)
        a[ActionId.SWITCH_USER].triggered.connect(lambda: self.identify(ask_again=True))
        a[ActionId.IMPORT_SCORECARDS].triggered.connect(self.choose_scorecard_files)
        a[ActionId.EXPORT_PDF].triggered.connect(self.export_pdf)
        a[ActionId.RETENTION].triggered.connect(self.retention)
        for aid in (ActionId.SYNC_BANK, ActionId.SWITCH_USER, ActionId.IMPORT_SCORECARDS, ActionId.EXPORT_PDF,
                    ActionId.RETENTION):
            a[aid].setEnabled(False)

    def _build_menus(self) -> None:
        """Fill the menus and install shortcuts (once, just after the window first appears)."""
        if self._menus_built:
            return
        from PySide6.QtGui import QActionGroup, QKeySequence

        self._menus_built = True
        a = self.actions_by_id
        install_shortcuts(a)
        self.file_menu.addAction(a[ActionId.OPEN_DATABASE])
        self.file_menu.addAction(a[ActionId.SYNC_BANK])
        self.file_menu.addAction(a[ActionId.SWITCH_USER])
        self.file_menu.addSeparator()
        self.file_menu.addAction(a[ActionId.IMPORT_SCORECARDS])
        self.file_menu.addAction(a[ActionId.EXPORT_PDF])
        self.file_menu.addSeparator()
        self.file_menu.addAction(a[ActionId.RETENTION])
        self.file_menu.addSeparator()
        self.file_menu.addAction(a[ActionId.QUIT])
        self.edit_menu.addAction(a[ActionId.FIND])
        self.interview_menu.aboutToShow.connect(self._ensure_cockpit)  # its actions fill this menu
        leave = self.interview_menu.addAction("&Leave the interview (saved)")
        leave.setShortcut(QKeySequence("Ctrl+W"))
        leave.setToolTip("Save and go back to My interviews (Ctrl+W)")
        leave.triggered.connect(self.leave_interview)
        self._fill_interview_menu()
        for i, (_key, title, _module, _cls) in enumerate(SECTIONS):
            act = self.view_menu.addAction(title)
            act.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            act.setToolTip(f"{title} (Ctrl+{i + 1})")
            act.triggered.connect(lambda _=False, row=i: self.navigation.setCurrentRow(row))
        self.view_menu.addSeparator()
        theme_menu = self.view_menu.addMenu("&Theme")
        group = QActionGroup(self)
        current = str(self.settings.value("ui/theme", "system"))
        for aid, name in ((ActionId.THEME_SYSTEM, "system"), (ActionId.THEME_LIGHT, "light"), (ActionId.THEME_DARK, "dark")):
            act = a[aid]
            act.setCheckable(True)
            act.setChecked(name == current)
            group.addAction(act)
            theme_menu.addAction(act)
            act.triggered.connect(lambda _=False, n=name: self.set_theme(n))
        self.help_menu.addAction(a[ActionId.ABOUT])

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        row = int(self.settings.value("window/section", 0) or 0)
        self.navigation.setCurrentRow(row if 0 <= row < len(SECTIONS) else 0)

    def _restore_splitters(self, widget: QWidget) -> None:
        for splitter in widget.findChildren(QSplitter):
            if splitter.objectName():
                state = self.settings.value(f"splitters/{splitter.objectName()}")
                if isinstance(state, QByteArray):
                    splitter.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._cockpit is not None:
            self._cockpit.close_scorecard()
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/section", self.navigation.currentRow())
        for splitter in self.findChildren(QSplitter):
            if splitter.objectName():
                self.settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        self.settings.sync()
        super().closeEvent(event)

    # -- database ---------------------------------------------------------------------------------------

    def start(self, location: str, bank_dir: Path, *, default: bool = False) -> None:
        """Open the database and sync the bank in the background, then fill the sections.

        A team database on PostgreSQL that wants a password asks for it first (or takes it from the
        system keyring): the password is used to connect, never stored in the settings.
        """
        from interviewkit.ui.shell.sign_in import sign_in_url

        from_here = sign_in_url(location, self)
        if from_here is None:
            self.db_label.setText("Not signed in: no database open (File → Open database…)")
            return

        def work() -> tuple[AppContext, SyncReport]:
            from interviewkit.services.context import open_app

            return open_app(from_here, bank_dir, default=default)

        self.db_label.setText(f"Opening {location}…")
        run_in_background(work, self._opened, lambda exc: self._open_failed(exc, bank_dir))

    def _opened(self, result: tuple[AppContext, SyncReport]) -> None:
        ctx, report = result
        from interviewkit.ui.people.who import remembered_user

        if ctx.login_identity is None or not isinstance(ctx.login_identity.actor, int):
            ctx.user_id = remembered_user(self.settings, ctx)
        self.set_context(ctx)
        if ctx.login_identity is not None and ctx.login_identity.actor is None:
            self._not_in_directory(ctx.login_identity.label)
        elif ctx.user_id is None:
            self.identify()
        said = [report.summary()] if report.wrote and not report.skipped_parse else []
        said += [notice[0].upper() + notice[1:] + "." for notice in ctx.db.notices]  # files made private, backups...
        if said:
            self.statusBar().showMessage("  ".join(said), 20000 if ctx.db.notices else 8000)

    def _not_in_directory(self, login: str) -> None:
        """A team database's login that is nobody in the directory: say so; it may do nothing."""
        from PySide6.QtWidgets import QMessageBox

        self.user_label.setText("Not in the directory")
        QMessageBox.information(
            self, "Not in the directory",
            f"You are signed in to the team database with the {login}, which belongs to nobody in its directory. "
            "Ask an admin to add you (People), with this login; until then InterviewKit shows nothing.")

    def _open_failed(self, exc: BaseException, bank_dir: Path) -> None:
        from PySide6.QtWidgets import QMessageBox

        from interviewkit.services.context import DatabaseError

        from interviewkit.services.errors import ServiceError

        message = str(exc) if isinstance(exc, (DatabaseError, ServiceError)) else f"Unexpected error: {exc}"
        self.db_label.setText("No database open")
        box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open the database", message, parent=self)
        choose = box.addButton("Choose another database…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is choose:
            self.choose_database(bank_dir)

    def choose_database(self, bank_dir: Path | None = None) -> None:
        from PySide6.QtWidgets import QFileDialog

        from interviewkit.ui.widgets.file_dialogs import get_save_file_name

        path, _ = get_save_file_name(
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
        self._apply_permissions()
        self.actions_by_id[ActionId.EXPORT_PDF].setEnabled(ctx is not None)
        self._show_user()
        for section in self.built_sections():
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
                for section in self.built_sections():
                    section.refresh()  # type: ignore[attr-defined]

        def failed(exc: BaseException) -> None:
            from PySide6.QtWidgets import QMessageBox

            self.statusBar().clearMessage()
            QMessageBox.warning(self, "Bank sync failed", f"The bank could not be synced: {exc}")

        run_in_background(work, done, failed)

    # -- the person using the app ------------------------------------------------------------------------

    def identify(self, *, ask_again: bool = False) -> None:
        """Ask who is using the app (first start, or File → Switch person) and remember it per database."""
        from interviewkit.ui.people.who import identify_user

        if self.ctx is None:
            return
        if self.ctx.login_identity is not None and isinstance(self.ctx.login_identity.actor, int):
            return  # a team database's login is one person: nobody switches to someone else there
        before = self.ctx.user_id
        if before is not None and ask_again and self._cockpit is not None:
            self._cockpit.close_scorecard()
        identify_user(self, self.ctx, self.settings, ask_again=ask_again)
        if self.ctx.user_id != before:
            self._show_user()
            self._apply_permissions()
            for section in self.built_sections():
                section.refresh()  # type: ignore[attr-defined]

    def may_import(self) -> bool:
        """Whether the person using the app may import scorecards (coordinators, hiring managers, admins)."""
        from interviewkit.services.access import can

        if self.ctx is None or self.ctx.user_id is None:
            return False
        return can(self.ctx.db, self.ctx.user_id, "import_data")

    def _apply_permissions(self) -> None:
        from interviewkit.services.access import can

        admin = self.ctx is not None and self.ctx.user_id is not None and can(self.ctx.db, self.ctx.user_id, "run_retention")
        self.actions_by_id[ActionId.RETENTION].setEnabled(admin)
        self.actions_by_id[ActionId.SYNC_BANK].setEnabled(
            self.ctx is not None and can(self.ctx.db, self.ctx.user_id, "manage_bank"))
        # On a team database the login says who you are: nobody may switch to someone else there.
        fixed = self.ctx is not None and self.ctx.login_identity is not None and isinstance(
            self.ctx.login_identity.actor, int)
        self.actions_by_id[ActionId.SWITCH_USER].setEnabled(self.ctx is not None and not fixed)
        act = self.actions_by_id[ActionId.IMPORT_SCORECARDS]
        allowed = self.may_import()
        act.setEnabled(allowed)
        base = ActionId.IMPORT_SCORECARDS.value[2]
        act.setToolTip(base if allowed or self.ctx is None else
                       f"{base}. Coordinators, hiring managers and admins may import scorecards.")

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
        self._apply_permissions()
        for key in ("my_interviews", "loops"):
            if key in self._built:
                self._built[key].refresh()  # type: ignore[attr-defined]

    def _loops_changed(self) -> None:
        if "my_interviews" in self._built:
            self.my_interviews.refresh()

    # -- interviews -------------------------------------------------------------------------------------

    def _on_navigation(self, row: int) -> None:
        if 0 <= row < len(SECTIONS):
            if not self.isVisible() and SECTIONS[row][0] not in self._built:
                # Before the first paint: show the frame now, build the section right after.
                self.stack.setCurrentWidget(self._placeholders[SECTIONS[row][0]])
                self.after_first_paint.call(lambda r=row: self._build_current(r))
                return
            self.stack.setCurrentWidget(self.section(SECTIONS[row][0]))
        elif self.interview_item is not None and row == self.navigation.row(self.interview_item):
            self.stack.setCurrentWidget(self.cockpit)

    def open_stage(self, stage_id: int, *, take_over: bool = False) -> None:
        """Start or resume the scorecard of a stage in the cockpit."""
        from PySide6.QtWidgets import QMessageBox

        from interviewkit.services import scorecards as svc
        from interviewkit.services.errors import ScorecardLocked, ServiceError

        if self.ctx is None or self.ctx.user_id is None:
            return
        if self._cockpit is not None and self._cockpit.state is not None and self._cockpit.state.stage_id == stage_id:
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
        if self._cockpit is not None:
            self._cockpit.close_scorecard()

    def _cockpit_closed(self, _card: int) -> None:
        if self.interview_item is not None:
            self.navigation.takeItem(self.navigation.row(self.interview_item))
            self.interview_item = None
        self.navigation.setCurrentRow(self.section_index("my_interviews"))
        self.my_interviews.refresh()

    def _scorecard_submitted(self, _card: int) -> None:
        self.statusBar().showMessage("Scorecard submitted. It is now locked; later changes are amendments.", 8000)
        self._show_cockpit()
        self.my_interviews.refresh()

    # -- PDF exports ------------------------------------------------------------------------------------

    def export_pdf(self) -> None:
        """File → Export PDF…: the document of the screen shown (scorecard, debrief packet, interview kit)."""
        current = self.stack.currentWidget()
        if self._cockpit is not None and current is self._cockpit:
            self._cockpit.export()
        elif "debriefs" in self._built and current is self._built["debriefs"]:
            self.debriefs.export()
        elif "calibration" in self._built and current is self._built["calibration"]:
            self.calibration.export()
        elif "loops" in self._built and current is self._built["loops"] and self.loops.current_stage_id() is not None:
            self.loops.export_kit()
        else:
            self.statusBar().showMessage(
                "Nothing to export here: open a debrief (packet), a loop's stage (interview kit), an interview "
                "(scorecard) or Calibration (report), then Export PDF (Ctrl+P).", 8000)

    def _preview(self, title: str, suggested: str, write) -> None:  # type: ignore[no-untyped-def]
        from interviewkit.ui.widgets.pdf_preview import preview_and_save, safe_file_name

        dialog = preview_and_save(self, title, write, suggested_name=safe_file_name(suggested), settings=self.settings)
        dialog.sig_saved.connect(lambda path: self.statusBar().showMessage(f"Saved {path}", 8000))

    def export_scorecard(self, scorecard_id: int) -> None:
        from interviewkit.services.scorecards import scorecard_state

        if self.ctx is None:
            return
        ctx, viewer = self.ctx, self.ctx.user_id
        state = scorecard_state(ctx.db, scorecard_id, by=viewer)

        def write(path: Path, options) -> None:  # type: ignore[no-untyped-def]
            from interviewkit.services.exports import export_scorecard_pdf

            export_scorecard_pdf(ctx.db, scorecard_id, path, settings=ctx.settings, viewer_id=viewer,
                                 page_size=options.page_size, hide_names=options.hide_names)

        title = f"Scorecard · {state.candidate} · {state.stage_name}"
        self._preview(title, f"scorecard {state.candidate} {state.stage_name}", write)

    def export_debrief(self, candidate_id: int) -> None:
        from interviewkit.services.people import candidate

        if self.ctx is None or self.ctx.user_id is None:
            return
        ctx, viewer = self.ctx, self.ctx.user_id
        name = candidate(ctx.db, candidate_id, by=viewer).name

        def write(path: Path, options) -> None:  # type: ignore[no-untyped-def]
            from interviewkit.services.exports import export_debrief_pdf

            export_debrief_pdf(ctx.db, candidate_id, path, settings=ctx.settings, viewer_id=viewer,
                               page_size=options.page_size, hide_names=options.hide_names)

        self._preview(f"Debrief packet · {name}", f"debrief packet {name}", write)

    def export_kit(self, stage_id: int) -> None:
        from interviewkit.services.loops import loop_detail, stage_loop_id

        if self.ctx is None:
            return
        ctx = self.ctx
        detail = loop_detail(ctx.db, stage_loop_id(ctx.db, stage_id), by=ctx.user_id)
        stage = next((st for st in detail.stages if st.id == stage_id), None)
        stage_name = stage.name if stage is not None else f"stage {stage_id}"

        def write(path: Path, options) -> None:  # type: ignore[no-untyped-def]
            from interviewkit.services.exports import export_kit_pdf

            export_kit_pdf(ctx.db, stage_id, path, settings=ctx.settings, by=ctx.user_id,
                           page_size=options.page_size, hide_names=options.hide_names)

        self._preview(f"Interview kit · {detail.candidate} · {stage_name}", f"kit {detail.candidate} {stage_name}", write)

    def _show_adjusted(self, candidate_id: int) -> None:
        """Give the debrief the candidate's leniency-adjusted means (computed off the GUI thread)."""
        if self.ctx is None:
            return
        ctx, view = self.ctx, self.debriefs
        shown = view.shown
        if shown is None or shown.hidden_count or not shown.columns:
            return  # adjusted means draw on the panel's ratings: only for a viewer who sees them all

        def work():  # type: ignore[no-untyped-def]
            from interviewkit.services.calibration import candidate_adjustment

            return candidate_adjustment(ctx.db, candidate_id, by=ctx.user_id)

        def done(result) -> None:  # type: ignore[no-untyped-def]
            now = view.shown
            if result is None or now is None or now.candidate_id != candidate_id:
                return
            view.set_adjusted_scores(result.adjusted, result.explanation)

        run_in_background(work, done, lambda _exc: None)

    def retention(self) -> None:
        """File → Personal data retention… (admins): the period, who is due, and erasing them."""
        from interviewkit.ui.people.retention import RetentionDialog

        if self.ctx is None:
            return
        dialog = RetentionDialog(self.ctx, parent=self)
        from PySide6.QtCore import Qt

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.sig_erased.connect(lambda _n: [w.refresh() for w in self.built_sections()])  # type: ignore[attr-defined]
        self.retention_dialog = dialog
        dialog.open()

    # -- scorecard files --------------------------------------------------------------------------------

    @staticmethod
    def _scorecard_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        return [p for p in paths if p.suffix.lower() == ".json"]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self.ctx is not None and self._scorecard_paths(event) and self.may_import():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = self._scorecard_paths(event)
        if not paths or self.ctx is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_scorecard_files(paths)

    def choose_scorecard_files(self) -> None:
        from interviewkit.ui.widgets.file_dialogs import get_open_file_names

        files, _ = get_open_file_names(
            self, "Import scorecards from other machines", "", "InterviewKit scorecards (*.json);;All files (*)")
        if files:
            self.import_scorecard_files([Path(f) for f in files])

    def import_scorecard_files(self, paths: list[Path]) -> None:
        """Import scorecard files exported on other machines, then say what happened to each."""
        from PySide6.QtWidgets import QMessageBox

        from interviewkit.services.exchange import import_files

        if self.ctx is None:
            return
        if not self.may_import():
            self.statusBar().showMessage(
                "Only coordinators, hiring managers and admins may import scorecards (File → Switch person).", 10000)
            return
        results = import_files(self.ctx.db, paths, by=self.ctx.user_id, settings=self.ctx.settings)
        counts = {status: sum(r.status == status for r in results) for status in ("imported", "unchanged", "refused")}
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        self.last_import = results
        self.statusBar().showMessage(f"Scorecard files: {summary}", 10000)
        if any(r.status == "imported" for r in results):
            for key in ("my_interviews", "debriefs", "loops"):
                if key in self._built:
                    self._built[key].refresh()  # type: ignore[attr-defined]
        icon = QMessageBox.Icon.Warning if counts["refused"] else QMessageBox.Icon.Information
        box = QMessageBox(icon, "Scorecards imported" if not counts["refused"] else "Some files were refused",
                          f"{len(results)} file(s): {summary}.", parent=self)
        box.setDetailedText("\n".join(f"{Path(r.path).name}: {r.status}. {r.message}" for r in results))
        box.setInformativeText("\n".join(f"{Path(r.path).name}: {r.message}" for r in results[:8]))
        from PySide6.QtCore import Qt

        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.import_box = box
        box.open()

    # -- navigation -------------------------------------------------------------------------------------

    def show_question(self, question_id: str) -> None:
        self.navigation.setCurrentRow(self.section_index("bank"))
        self.bank.select_question(question_id)
        self.bank.table.setFocus()

    def find(self) -> None:
        section = self.stack.currentWidget()
        focus = getattr(section, "focus_search", None)
        if focus is None:
            self.navigation.setCurrentRow(self.section_index("bank"))
            focus = self.bank.focus_search
        focus()

    def set_theme(self, name: str) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, name)
        self.settings.setValue("ui/theme", name)
        for section in self.built_sections():
            section.refresh()  # type: ignore[attr-defined]

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

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
