"""The open database and the person using the app: opening (in the background), signing in, switching
person, and which window actions that person may use.

The services (and what they load: SQLAlchemy, the bank) are imported inside the methods that use them, after
the window has painted; tests/test_architecture.py checks that showing the window does not load them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox

from interviewkit.ui.shell.actions import ActionId
from interviewkit.ui.widgets.tasks import run_in_background

if TYPE_CHECKING:
    from interviewkit.services.bank_sync import SyncReport
    from interviewkit.services.context import AppContext

__all__ = ["Session"]


class Session(QObject):
    """Opens the database for the window and knows who is using it."""

    sig_context_changed = Signal(object)
    """A database was opened (the new AppContext) or closed (None)."""

    sig_person_changed = Signal()
    """The person using the app is someone else now (or their rights changed)."""

    sig_message = Signal(str)
    """Something to say in the status bar (the bank's sync, a notice about the database file)."""

    sig_where = Signal(str)
    """Which database is open, or why none is ("Opening …", "Not signed in: …")."""

    def __init__(self, window: QMainWindow, settings: QSettings, actions: dict[ActionId, QAction]) -> None:
        super().__init__(window)
        self._window = window
        self.settings = settings
        self._actions = actions
        self.ctx: AppContext | None = None

    # -- opening ------------------------------------------------------------------------------------------

    def start(self, location: str, bank_dir: Path, *, default: bool = False) -> None:
        """Open the database and sync the bank in the background, then hand the window the context.

        A team database that wants a password asks for it first (or takes it from the system keyring):
        the password is used to connect, never stored in the settings.
        """
        from interviewkit.ui.shell.sign_in import sign_in_url

        from_here = sign_in_url(location, self._window)
        if from_here is None:
            self.sig_where.emit("Not signed in: no database open (File → Open database…)")
            return

        def work() -> tuple[AppContext, SyncReport]:
            from interviewkit.services.context import open_app

            return open_app(from_here, bank_dir, default=default)

        self.sig_where.emit(f"Opening {location}…")
        run_in_background(work, self._opened, lambda exc: self._open_failed(exc, bank_dir))

    def _opened(self, result: tuple[AppContext, SyncReport]) -> None:
        from interviewkit.ui.people.who import remembered_user

        ctx, report = result
        identity = ctx.login_identity
        if identity is None or not isinstance(identity.actor, int):
            ctx.user_id = remembered_user(self.settings, ctx)
        self.set_context(ctx)
        if identity is not None and identity.actor is None:
            QMessageBox.information(
                self._window,
                "Not in the directory",
                f"You are signed in to the team database with the {identity.label}, which belongs to nobody in its "
                "directory. Ask an admin to add you (People), with this login; until then InterviewKit shows nothing.",
            )
        elif ctx.user_id is None:
            self.identify()
        said = [report.summary()] if report.wrote and not report.skipped_parse else []
        said += [notice[0].upper() + notice[1:] + "." for notice in ctx.db.notices]  # files made private, backups...
        if said:
            self.sig_message.emit("  ".join(said))

    def _open_failed(self, exc: BaseException, bank_dir: Path) -> None:
        from interviewkit.services.context import DatabaseError
        from interviewkit.services.errors import ServiceError

        message = str(exc) if isinstance(exc, (DatabaseError, ServiceError)) else f"Unexpected error: {exc}"
        self.sig_where.emit("No database open")
        box = QMessageBox(QMessageBox.Icon.Critical, "Cannot open the database", message, parent=self._window)
        choose = box.addButton("Choose another database…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if box.clickedButton() is choose:
            self.choose_database(bank_dir)

    def choose_database(self, bank_dir: Path | None = None) -> None:
        """File → Open database…: an SQLite file, new or existing."""
        from PySide6.QtWidgets import QFileDialog

        from interviewkit.ui.widgets.file_dialogs import get_save_file_name

        path, _ = get_save_file_name(
            self._window,
            "Open or create an InterviewKit database",
            str(self.ctx.db.path.parent) if self.ctx and self.ctx.db.path else "",
            "InterviewKit database (*.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if not path:
            return
        if bank_dir is None:
            from interviewkit.paths import shipped_bank_dir

            bank_dir = self.ctx.bank_dir if self.ctx else shipped_bank_dir()
        self.start(path, bank_dir)

    def set_context(self, ctx: AppContext | None) -> None:
        """Use ``ctx`` (or no database): the old one is let go."""
        if self.ctx is not None and ctx is not self.ctx:
            self.ctx.db.dispose()
        self.ctx = ctx
        self.apply_permissions()
        self.sig_context_changed.emit(ctx)

    # -- the person -----------------------------------------------------------------------------------------

    def login_fixed(self) -> bool:
        """On a team database the login is one person: nobody switches to someone else there."""
        return (
            self.ctx is not None
            and self.ctx.login_identity is not None
            and isinstance(self.ctx.login_identity.actor, int)
        )

    def identify(self, *, ask_again: bool = False) -> bool:
        """Ask who is using the app (first start, or File → Switch person); True if it is someone else now."""
        from interviewkit.ui.people.who import identify_user

        if self.ctx is None or self.login_fixed():
            return False
        before = self.ctx.user_id
        identify_user(self._window, self.ctx, self.settings, ask_again=ask_again)
        if self.ctx.user_id == before:
            return False
        self.apply_permissions()
        self.sig_person_changed.emit()
        return True

    def user_text(self) -> str:
        from interviewkit.services.errors import ServiceError
        from interviewkit.services.people import person

        if self.ctx is None or self.ctx.user_id is None:
            return "Not signed in (File → Switch person)"
        try:
            return f"Signed in: {person(self.ctx.db, self.ctx.user_id).name}"
        except ServiceError:
            return "Not signed in (File → Switch person)"

    def may(self, action: str) -> bool:
        from interviewkit.services.access import can

        return self.ctx is not None and self.ctx.user_id is not None and can(self.ctx.db, self.ctx.user_id, action)

    def apply_permissions(self) -> None:
        """Enable the window's actions the person may use (the services refuse the others anyway)."""
        a = self._actions
        a[ActionId.RETENTION].setEnabled(self.may("run_retention"))
        a[ActionId.SYNC_BANK].setEnabled(self.may("manage_bank"))
        a[ActionId.IMPORT_JD].setEnabled(self.may("manage_bank"))
        a[ActionId.SWITCH_USER].setEnabled(self.ctx is not None and not self.login_fixed())
        a[ActionId.EXPORT_PDF].setEnabled(self.ctx is not None)
        allowed = self.may("import_data")
        a[ActionId.IMPORT_SCORECARDS].setEnabled(allowed)
        base = ActionId.IMPORT_SCORECARDS.value[2]
        a[ActionId.IMPORT_SCORECARDS].setToolTip(
            base
            if allowed or self.ctx is None
            else f"{base}. Coordinators, hiring managers and admins may import them."
        )
