"""The main window: it assembles the screens, menus and status bar, and carries messages between them.

Navigation on the left, the current screen on the right, the person and the database in the status bar.
Screens are built the first time they are shown (:mod:`~interviewkit.ui.shell.registry`) and talk to the
window only as their :class:`~interviewkit.ui.shell.section.Host`: writes run off the GUI thread
(:class:`~interviewkit.ui.shell.operations.Operations`) and the changes they make reach every screen, which
refreshes what it shows. The database and the person are the :class:`~interviewkit.ui.shell.session.Session`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QWidget

from interviewkit.ui.shell import commands
from interviewkit.ui.shell.actions import create_actions, install_shortcuts
from interviewkit.ui.shell.first_paint import AfterFirstPaint
from interviewkit.ui.shell.imports import ScorecardImports
from interviewkit.ui.shell.interview import InterviewEntry
from interviewkit.ui.shell.keys import KeyArbiter
from interviewkit.ui.shell.menus import fill_interview_menu, fill_menus
from interviewkit.ui.shell.operations import Operations
from interviewkit.ui.shell.registry import COCKPIT, SECTIONS, spec
from interviewkit.ui.shell.section import SectionStack, SectionWidget
from interviewkit.ui.shell.session import Session
from interviewkit.ui.shell.state import restore_splitters, restore_window, save_window
from interviewkit.ui.widgets.shortcuts import key_of

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent

    from interviewkit.services.changes import Changes
    from interviewkit.services.context import AppContext
    from interviewkit.ui.cockpit.cockpit import CockpitView

__all__ = ["MainWindow"]

T = TypeVar("T")


class MainWindow(QMainWindow):
    """Assembles the screens; the :class:`~interviewkit.ui.shell.section.Host` of each."""

    sig_context_changed = Signal(object)
    """A database was opened (the new AppContext), or closed (None)."""

    sig_changed = Signal(object)
    """A write changed something (its Changes), after every screen was told."""

    reads_in_background = True  # the screens' loads (SectionWidget.fetch) run on the thread pool

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("InterviewKit")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)  # scorecard files (.json) dropped anywhere on the window are imported
        self.actions_by_id = create_actions(self)
        self._built: dict[str, SectionWidget] = {}
        self._placeholders: dict[str, QWidget] = {}
        self._build_frame()
        self.interview = InterviewEntry(
            self.navigation, self.stack, self.save_label, self.section, self.section_index("my_interviews")
        )
        self.session = Session(self, settings, self.actions_by_id)
        self.session.sig_context_changed.connect(self._context_changed)
        self.session.sig_person_changed.connect(self._person_changed)
        self.session.sig_person_changed.connect(self._forget_messages)
        self.session.sig_message.connect(lambda text: self.notify(text, 20000))
        self.session.sig_where.connect(self.db_label.setText)
        self.operations = Operations(self.busy_label, self.broadcast, self)
        self.imports = ScorecardImports(self, self.session, self)
        commands.connect(self)
        self.session.apply_permissions()
        self.after_first_paint = AfterFirstPaint(self)  # menus and the first screen once the window shows
        self.after_first_paint.call(self._build_menus)
        restore_window(self, len(SECTIONS))

    def _build_frame(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Sections")
        self.navigation.setFrameShape(QListWidget.Shape.NoFrame)
        self.navigation.setFixedWidth(170)
        self.stack = SectionStack()  # a section not shown never takes the focus
        for i, section in enumerate(SECTIONS):
            item = QListWidgetItem(section.title)
            item.setToolTip(f"{section.title} ({key_of('sections', i)})")
            item.setSizeHint(QSize(150, 34))
            self.navigation.addItem(item)
            self._placeholders[section.key] = QWidget()
            self.stack.addWidget(self._placeholders[section.key])
        self.navigation.currentRowChanged.connect(self._on_navigation)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.busy_label, self.save_label, self.user_label = QLabel(), QLabel(), QLabel()
        self.user_label.setObjectName("signedIn")
        self.db_label = QLabel("Opening the database…")
        for label in (self.busy_label, self.save_label, self.db_label):
            label.setProperty("role", "subtle")
        for label in (self.busy_label, self.save_label, self.user_label, self.db_label):
            self.statusBar().addPermanentWidget(label)
        menu = self.menuBar()  # titles now (the bar keeps its height); their actions after the first paint
        self.file_menu, self.edit_menu = menu.addMenu("&File"), menu.addMenu("&Edit")
        self.interview_menu, self.view_menu = menu.addMenu("&Interview"), menu.addMenu("&View")
        self.help_menu = menu.addMenu("&Help")
        self._menus_built = False
        self.keys: KeyArbiter | None = None  # once the menus are built
        self.stack.currentChanged.connect(self._keys_changed)

    # -- screens ------------------------------------------------------------------------------------------

    @property
    def ctx(self) -> AppContext | None:
        return self.session.ctx

    def section(self, key: str) -> SectionWidget:
        """The screen ``key``, built (imported, constructed, given the database) on first use."""
        widget = self._built.get(key)
        if widget is not None:
            return widget
        widget = spec(key).build()
        widget.set_host(self)
        placeholder = self._placeholders.pop(key, None)
        if placeholder is not None:
            current = self.stack.currentWidget() is placeholder
            self.stack.insertWidget(self.stack.indexOf(placeholder), widget)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        else:
            current = False
            self.stack.addWidget(widget)
        self._built[key] = widget
        restore_splitters(self.settings, widget)
        if key == COCKPIT.key:
            self.interview.wire(widget)
            cast("CockpitView", widget).pages.currentChanged.connect(self._keys_changed)
            if self._menus_built:
                fill_interview_menu(self, widget)
        if self.ctx is not None:
            widget.set_context(self.ctx)
        if current:
            self.stack.setCurrentWidget(widget)
        return widget

    def section_index(self, key: str) -> int:
        return next(i for i, s in enumerate(SECTIONS) if s.key == key)

    def built_sections(self) -> list[SectionWidget]:
        return list(self._built.values())

    def __getattr__(self, name: str) -> SectionWidget:
        """``window.loops``, ``window.cockpit``...: a screen by its key (built if need be)."""
        if name in {s.key for s in SECTIONS} | {COCKPIT.key}:
            return self.section(name)
        raise AttributeError(name)

    def _on_navigation(self, row: int) -> None:
        if 0 <= row < len(SECTIONS):
            key = SECTIONS[row].key
            if not self.isVisible() and key not in self._built:
                # Before the first paint: show the frame now, build the screen right after.
                self.stack.setCurrentWidget(self._placeholders[key])
                self.after_first_paint.call(lambda: self._show(key) if self.navigation.currentRow() == row else None)
                return
            self._show(key)
        elif self.interview.owns_row(row):
            self.stack.setCurrentWidget(self.section(COCKPIT.key))

    def _show(self, key: str) -> None:
        widget = self.section(key)
        self.stack.setCurrentWidget(widget)
        widget.focus_entry()  # the screen takes the keys, not the navigation

    def _keys_changed(self, *_args: object) -> None:
        """The screen shown, or its page, changed: the window's keys give way to the screen's own."""
        if self.keys is not None:
            self.keys.update()

    # -- the Host of every screen -------------------------------------------------------------------------

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        busy: str,
        failed: Callable[[BaseException], None] | None = None,
        changes: Changes | None = None,
    ) -> None:
        self.operations.run(work, done, busy=busy, failed=failed, changes=changes)

    def notify(self, text: str, msecs: int = 8000) -> None:
        self.statusBar().showMessage(text, msecs)

    def navigate(self, key: str, target: object = None) -> None:
        if key == COCKPIT.key:
            self.section(COCKPIT.key).show_target(target)  # the cockpit says when it shows (sig_shown)
            return
        self.navigation.setCurrentRow(self.section_index(key))
        if target is not None:
            self.section(key).show_target(target)

    def broadcast(self, changes: Changes) -> None:
        for widget in self.built_sections():
            widget.apply_changes(changes)
        if changes.people:
            self._person_changed()
        self.sig_changed.emit(changes)

    # -- the database and the person ----------------------------------------------------------------------

    def start(self, location: str, bank_dir: Path, *, default: bool = False) -> None:
        self.session.start(location, bank_dir, default=default)

    def set_context(self, ctx: AppContext | None) -> None:
        self.session.set_context(ctx)

    def _context_changed(self, ctx: AppContext | None) -> None:
        self.db_label.setText(ctx.describe() if ctx else "No database open")
        self.user_label.setText(self.session.user_text())
        for widget in self.built_sections():
            widget.set_context(ctx)
        self.sig_context_changed.emit(ctx)

    def _person_changed(self) -> None:
        self.user_label.setText(self.session.user_text())
        self.session.apply_permissions()
        for widget in self.built_sections():
            widget.refresh()

    def _forget_messages(self) -> None:
        """Another person: what the screens said in the status bar was for the one before."""
        self.save_label.clear()
        self.statusBar().clearMessage()

    def identify(self, *, ask_again: bool = False) -> None:
        if ask_again:
            self.leave_interview()
        self.session.identify(ask_again=ask_again)

    # -- the interview ------------------------------------------------------------------------------------

    def open_stage(self, stage_id: int) -> None:
        """Start or resume the scorecard of a stage in the cockpit."""
        self.navigate(COCKPIT.key, stage_id)

    def leave_interview(self) -> None:
        """Save, release the scorecard and go back to My interviews."""
        cockpit = self._built.get(COCKPIT.key)
        if cockpit is not None:
            cast("CockpitView", cockpit).close_scorecard()

    # -- menus and window actions -------------------------------------------------------------------------

    def _build_menus(self) -> None:
        """Fill the menus and install shortcuts (once, just after the window first appears)."""
        if not self._menus_built:
            self._menus_built = True
            install_shortcuts(self.actions_by_id)
            fill_menus(self)
            if COCKPIT.key in self._built:
                fill_interview_menu(self, self._built[COCKPIT.key])

    def set_theme(self, name: str) -> None:
        commands.set_theme(self, name)

    # -- scorecard files dropped on the window, the window's state ------------------------------------------

    @property
    def last_import(self) -> list[object]:
        return list(self.imports.last)

    @property
    def import_box(self) -> QWidget | None:
        return self.imports.box

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        self.imports.drag_enter(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self.imports.drop(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.leave_interview()
        save_window(self)
        super().closeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1280, 800)
