"""Loops: where a coordinator plans a candidate's interview loop.

Left, every loop with a search box and "New loop…" (Ctrl+N). Right, the selected loop
(:class:`~interviewkit.ui.loops.loop_page.LoopPage`): its stages (add, remove, reorder), the selected
stage's editor (who, when, how long, focus, the ordered question plan) and the loop's coverage. Every edit
is saved at once through ``interviewkit.services.loops``, off the GUI thread (:meth:`SectionWidget.write`);
the loop is then shown as stored, coverage included. What others change (a candidate added under People, a
scorecard submitted, the bank synced) reaches the screen as a change event (:attr:`LoopsView.watches`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from interviewkit.services.changes import Created
from interviewkit.services.context import AppContext
from interviewkit.services.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from interviewkit.services.loop_pages import PAGE_SIZE, Page, loop_count, loop_page, loop_position
from interviewkit.services.loops import LoopCoverage, LoopDetail, LoopSummary, create_loop, delete_loop
from interviewkit.ui.loops.dialogs import NewLoopDialog
from interviewkit.ui.loops.loop_list import EMPTY_TEXT, LoopList
from interviewkit.ui.loops.loop_page import Directory, LoopPage, make_action
from interviewkit.ui.loops.reading import LoopsRead, read_loop, read_loops
from interviewkit.ui.shell.section import SectionWidget
from interviewkit.ui.widgets.formatting import plural
from interviewkit.ui.widgets.layout import list_and_detail
from interviewkit.ui.widgets.pdf_preview import PdfOptions, preview_and_save, safe_file_name
from interviewkit.ui.widgets.roles import IdRole
from interviewkit.ui.widgets.shortcuts import clear_on_escape, key_of

if TYPE_CHECKING:  # imported by the reliability read, off the GUI thread (see _show_reliability)
    from interviewkit.services.loop_reliability import ReliabilityRow

__all__ = ["EMPTY_TEXT", "LoopsView"]

T = TypeVar("T")


def _problems(exc: BaseException) -> list[str]:
    """What a refused write says, as lines for a problems label."""
    if isinstance(exc, ValidationFailed):
        return list(exc.problems)
    return [str(exc) if isinstance(exc, ServiceError) else f"Unexpected error: {exc}"]


class LoopsView(SectionWidget):
    """Plan interview loops: stages, interviewers, times, question plans, and what they cover."""

    title = "Loops"
    watches = frozenset({"loops", "candidates", "people", "openings", "scorecards", "bank", "erased"})

    sig_loops_changed = Signal(int)
    """A write of this screen is done and shown (the loop's id): created, edited or deleted."""
    sig_kit_export_requested = Signal(int)
    """The user asked for the printable interview kit of this stage id (Export kit PDF…, Ctrl+P)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loopsView")
        self._ctx: AppContext | None = None
        self._may_plan = False  # the person using the app may plan loops (set on refresh)
        self.new_loop_dialog: NewLoopDialog | None = None
        tip = "Plan a loop for a candidate, from a template or empty"
        self.act_new_loop = make_action(self, "&New loop…", key_of("new_loop"), tip, self)
        self.list_pane = LoopList(self.act_new_loop)
        self.page = LoopPage(self.write_loop)
        self.placeholder_page = self._build_placeholder()
        self.right_stack = QStackedWidget()
        self.right_stack.addWidget(self.placeholder_page)
        self.right_stack.addWidget(self.page)
        self.splitter = list_and_detail(
            self, self.title, self.list_pane, self.right_stack, name="loopsSplitter", stretch=(1, 4), sizes=(230, 900)
        )
        self._connect()
        self._show_no_loop()

    # -- building ---------------------------------------------------------------------------------------

    def _build_placeholder(self) -> QWidget:
        self.placeholder = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.placeholder.setProperty("role", "empty-state")
        self.placeholder_button = QPushButton("New loop…")
        self.placeholder_button.setToolTip(self.act_new_loop.toolTip())
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.placeholder_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return page

    def _connect(self) -> None:
        self.setTabOrder(self.list_pane.view, self.page.stage_list)
        page = self.page  # its keys "on a loop shown" work from the list of loops too
        for act in (page.act_add_stage, page.act_stage_up, page.act_stage_down, page.stage_editor.act_add_question):
            self.list_pane.addAction(act)
        clear_on_escape(self.list_pane.search, self.list_pane)
        self.act_new_loop.triggered.connect(self.new_loop)
        self.placeholder_button.clicked.connect(self.act_new_loop.trigger)
        self.list_pane.sig_nothing_shown.connect(self._show_no_loop)
        self.list_pane.sig_search_changed.connect(lambda _text: self._reload_loops())
        self.list_pane.sig_fetch_more.connect(self._read_more)
        self.list_pane.view.selectionModel().currentChanged.connect(self._on_loop_current)
        self.page.act_delete_loop.triggered.connect(self.delete_current_loop)
        self.page.act_export_kit.triggered.connect(self.export_kit)

    # -- data -------------------------------------------------------------------------------------------

    def set_context(self, ctx: AppContext | None) -> None:
        self._ctx = ctx
        self.page.set_directory(ctx, Directory())
        if ctx is None:
            self.list_pane.show_closed()
            self._show_no_loop()
            return
        self.refresh()

    def refresh(self) -> None:
        """Read again (the first loops, the directory, the framework) off the GUI thread, keeping the loop and
        stage shown and as many loops as were read."""
        if self._ctx is None:
            return
        ctx, user = self._ctx, self._ctx.user_id
        loop_id, stage_id = self.current_loop_id(), self.current_stage_id()
        search, limit = self.list_pane.search.text(), self._limit()
        self.fetch(
            lambda: read_loops(ctx, user, search, limit),
            lambda read: self._show_list(ctx, read, loop_id, stage_id),
            kind="list",
        )

    def _limit(self) -> int:
        """How many loops a new read reads: a page, or as many as are read now (up to five pages), so that the
        list stays where it is scrolled."""
        return max(PAGE_SIZE, min(self.list_pane.model.rowCount(), 5 * PAGE_SIZE))

    def _show_list(self, ctx: AppContext, read: LoopsRead, loop_id: int | None, stage_id: int | None) -> None:
        self._may_plan = read.may_plan
        self.page.set_directory(ctx, read.directory)
        self._show_page(read.loops, loop_id)
        self._show_loop(self.current_loop_id(), stage_id if self.current_loop_id() == loop_id else None)

    def _show_page(self, page: Page[LoopSummary], select: int | None) -> None:
        """A first page of loops is read: show it, then count the loops (a quiet read after it)."""
        self.list_pane.set_page(page, select)
        if page.more or self.list_pane.searching():
            self._count_loops()

    def _count_loops(self) -> None:
        assert self._ctx is not None
        db, user, search = self._ctx.db, self._ctx.user_id, self.list_pane.search.text()

        def count() -> tuple[int, int]:
            total = loop_count(db, by=user)
            return (loop_count(db, by=user, search=search) if search.strip() else total), total

        self.fetch(count, lambda counted: self.list_pane.set_counts(*counted), kind="count", quiet=True)

    def _reload_loops(self, select: int | None = None) -> None:
        """Read the first loops again (the search typed, a write done), ``select`` current when among them (and
        as far as the loop the list is to select once read)."""
        assert self._ctx is not None
        db, user, search, limit = self._ctx.db, self._ctx.user_id, self.list_pane.search.text(), self._limit()
        wanted = self.list_pane.pending

        def read() -> Page[LoopSummary]:
            at = None if wanted is None else loop_position(db, wanted, by=user, search=search)
            return loop_page(db, by=user, search=search, limit=limit if at is None else max(limit, at + 1))

        self.fetch(read, lambda page: self._show_page(page, select), kind="list")

    def _read_more(self, offset: int) -> None:
        """The view was scrolled to the last loop read: the next page, quietly (the list stays usable)."""
        if self._ctx is None:
            return
        db, user, search = self._ctx.db, self._ctx.user_id, self.list_pane.search.text()
        model, generation = self.list_pane.model, self.list_pane.model.generation

        def show(page: Page[LoopSummary]) -> None:
            if model.generation == generation:  # else the list was read again meanwhile (a search, a change)
                self.list_pane.add_page(page)

        self.fetch(
            lambda: loop_page(db, by=user, search=search, offset=offset, limit=PAGE_SIZE), show, kind="more", quiet=True
        )

    # -- selection --------------------------------------------------------------------------------------

    def current_loop_id(self) -> int | None:
        return self.list_pane.current_loop_id()

    def current_stage_id(self) -> int | None:
        return self.page.current_stage_id()

    def select_loop(self, loop_id: int) -> bool:
        """Show ``loop_id``, clearing a search that hides it."""
        return self.list_pane.select_loop(loop_id)

    def select_stage(self, stage_id: int) -> bool:
        return self.page.select_stage(stage_id)

    def _on_loop_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.page.show_problems([])
            self._show_loop(int(current.data(IdRole)))
        else:
            self._show_no_loop()

    # -- showing ----------------------------------------------------------------------------------------

    def _show_no_loop(self) -> None:
        self.page.clear()
        self.page.setEnabled(True)
        if self._ctx is None:
            self.placeholder.setText("No database open.")
        elif self.list_pane.model.rowCount() == 0:
            self.placeholder.setText(
                "A loop is the set of interviews planned for one candidate: who interviews, when, for how long "
                "and with which questions.\nA template from the bank gives the stages and their question plans."
            )
        else:
            self.placeholder.setText("Select a loop on the left, or create one: Ctrl+N")
        self.placeholder_button.setVisible(self._ctx is not None)
        self.right_stack.setCurrentWidget(self.placeholder_page)
        self._update_actions()

    def _show_loop(
        self,
        loop_id: int | None,
        stage_id: int | None = None,
        *,
        keep_problems: bool = False,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Read the loop and its coverage (off the GUI thread) and show them; ``stage_id`` stays selected if it
        still exists, then ``then()``. A quiet read: the section's first content is its list (the loop's detail
        and coverage took 1.4-3.4 s on the large demo), the loop streams in after it, its reliability after that."""
        if self._ctx is None or loop_id is None:
            self._show_no_loop()
            return
        ctx, user = self._ctx, self._ctx.user_id
        if self.page.detail is None or self.page.detail.id != loop_id:
            self._reading_loop()

        def show(read: tuple[LoopDetail, LoopCoverage]) -> None:
            if self._ctx is not ctx:
                return
            detail, coverage = read
            self.page.setEnabled(True)
            self.page.show_loop(detail, coverage, stage_id, keep_problems=keep_problems)
            self.right_stack.setCurrentWidget(self.page)
            self._update_actions()
            self._show_reliability(ctx, detail)
            if then is not None:
                then()  # after the loop as stored is shown (a new stage's name, selected to type over)

        def failed(exc: BaseException) -> None:
            self.page.setEnabled(True)
            if not isinstance(exc, NotFound | PermissionDenied):
                raise exc
            self._reload_loops()  # deleted meanwhile, or the person changed to one who may not see it

        self.fetch(lambda: read_loop(ctx, loop_id, user), show, kind="loop", failed=failed, quiet=True)

    def _reading_loop(self) -> None:
        """Another loop is being read: the one shown is greyed out meanwhile (none shown yet: say so)."""
        self.page.setEnabled(False)
        if self.right_stack.currentWidget() is self.placeholder_page:
            self.placeholder.setText("Reading the loop…")

    def _show_reliability(self, ctx: AppContext, detail: LoopDetail) -> None:
        # Fast after the first read: the REML fits are kept per set of ratings (services/reliability.py).
        def show(rows: list[ReliabilityRow]) -> None:
            if self._ctx is ctx and self.page.detail is not None and self.page.detail.id == detail.id:
                self.page.reliability_panel.show_rows(rows, has_stages=bool(detail.stages))

        def failed(exc: BaseException) -> None:
            self.host.notify(f"The reliability of this loop's competencies could not be computed: {exc}")

        user = ctx.user_id

        def read() -> list[ReliabilityRow]:
            # Imported here on purpose: its statistics (domain.calibration, scipy) take ~0.5 s to import, which
            # was most of the section's open stall on the GUI thread; the pool's thread imports them instead.
            from interviewkit.services.loop_reliability import loop_reliability

            return loop_reliability(ctx.db, detail, by=user)

        self.fetch(read, show, kind="reliability", background=True, failed=failed)

    def _update_actions(self) -> None:
        plan = self._ctx is not None and self._may_plan  # coordinators, hiring managers, admins
        for widget in (self.act_new_loop, self.list_pane.new_button, self.placeholder_button):
            widget.setEnabled(plan)
        self.page.may_plan = plan
        self.page.update_actions()

    # -- behaviour --------------------------------------------------------------------------------------

    def export_kit(self) -> None:
        """Export kit PDF… (Ctrl+P): the interview kit of the selected stage, with a preview."""
        self.export_pdf()

    def export_pdf(self) -> bool:
        """The interview kit of the selected stage, with a preview."""
        stage = self.page.stage(self.current_stage_id())
        ctx, detail = self._ctx, self.page.detail
        if stage is None or ctx is None or detail is None:
            return False
        stage_id = stage.id
        self.sig_kit_export_requested.emit(stage_id)

        def build(path: object, options: PdfOptions) -> None:
            # The printer (Qt's PDF engine behind the exports) is loaded only when a kit is printed.
            from interviewkit.pdf.exports import export_kit_pdf

            export_kit_pdf(
                ctx.db,
                stage_id,
                str(path),
                settings=ctx.settings,
                by=ctx.user_id,
                page_size=options.page_size,
                hide_names=options.hide_names,
            )

        dialog = preview_and_save(
            self.window(),
            f"Interview kit · {detail.candidate} · {stage.name}",
            build,
            suggested_name=safe_file_name(f"kit {detail.candidate} {stage.name}"),
            settings=self.host.settings,
        )
        dialog.sig_saved.connect(lambda path: self.host.notify(f"Saved {path}"))
        return True

    def focus_search(self) -> bool:
        """Ctrl+F: put the cursor in the loop search with its text selected."""
        self.list_pane.focus_search()
        return True

    # -- writing ----------------------------------------------------------------------------------------

    def write_loop(
        self,
        work: Callable[[AppContext], T],
        *,
        busy: str,
        stage: Callable[[T], int | None],
        stage_problems: bool = False,
        then: Callable[[T], None] | None = None,
        reshow_on_refusal: bool = False,
    ) -> None:
        """Run a write about the loop shown, off the GUI thread; then show the loop as stored, with the stage
        ``stage(result)`` selected, and ``then(result)``. A refusal is said inline (under the stage's fields
        with ``stage_problems``); ``reshow_on_refusal`` shows the loop as stored again (keeping what is said)."""
        ctx, detail = self._ctx, self.page.detail
        if ctx is None or detail is None:
            return
        loop_id = detail.id

        def done(result: T) -> None:
            if self._ctx is not ctx:
                return  # another database was opened meanwhile
            after = None if then is None else (lambda: then(result))
            if self.page.detail is not None and self.page.detail.id == loop_id:
                self._show_loop(loop_id, stage(result), then=after)
            elif after is not None:
                after()
            self._reload_loops(self.current_loop_id())
            self.sig_loops_changed.emit(loop_id)

        def failed(exc: BaseException) -> None:
            self._refused(exc, loop_id, stage_problems=stage_problems)
            shown = self.page.detail
            if reshow_on_refusal and shown is not None and shown.id == loop_id:
                self._show_loop(loop_id, self.current_stage_id(), keep_problems=True)

        self.write(lambda: work(ctx), done, busy=busy, failed=failed)

    def _refused(self, exc: BaseException, loop_id: int, *, stage_problems: bool = False) -> None:
        if self.page.detail is None or self.page.detail.id != loop_id:
            self.host.notify(" ".join(_problems(exc)))  # the loop is no longer shown: say it below
        elif isinstance(exc, NotFound):
            self.page.show_problems([f"{exc} (someone else may have changed it): the list was reloaded"])
            self.refresh()
        elif stage_problems and isinstance(exc, ValidationFailed):
            self.page.stage_editor.show_problems(exc.problems)
        else:
            self.page.show_problems(_problems(exc))

    # -- loops ------------------------------------------------------------------------------------------

    def new_loop(self) -> None:
        """Ctrl+N: the New loop dialog (window-modal; the loop is created when it is accepted)."""
        if self._ctx is None:
            return
        dialog = NewLoopDialog(self._ctx, self)
        self.new_loop_dialog = dialog
        dialog.sig_submitted.connect(lambda: self._create_loop(dialog))

        def finished(_result: int) -> None:
            if self.new_loop_dialog is dialog:
                self.new_loop_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _create_loop(self, dialog: NewLoopDialog) -> None:
        ctx, new = self._ctx, dialog.new_loop()
        if ctx is None:
            return

        def done(created: Created) -> None:
            loop_id = created.id
            dialog.created(loop_id)
            if self._ctx is ctx:
                self._reload_loops(loop_id)
                self.list_pane.view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.sig_loops_changed.emit(loop_id)

        self.write(
            lambda: create_loop(
                ctx.db,
                new.candidate_id,
                template_id=new.template_id,
                name=new.name,
                start=new.start,
                interviewers=new.interviewers,
                by=ctx.user_id,
            ),
            done,
            busy="Creating the loop",
            failed=lambda exc: dialog.refused(_problems(exc)),
        )

    def delete_current_loop(self) -> None:
        ctx, detail = self._ctx, self.page.detail
        if ctx is None or detail is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete loop",
            f"Delete the loop for {detail.candidate} ({plural(len(detail.stages), 'stage')} and their plans)?\n"
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        row = self.list_pane.view.currentIndex().row()

        def done(_result: object) -> None:
            if self._ctx is ctx:
                if self.current_loop_id() == detail.id:
                    self.list_pane.model.set_loops([])  # forget the selection: the loop is gone
                    self._reload_loops()
                    self.list_pane.select_row(row)
                else:
                    self._reload_loops(self.current_loop_id())
            self.sig_loops_changed.emit(detail.id)

        self.write(
            lambda: delete_loop(ctx.db, detail.id, by=ctx.user_id),
            done,
            busy="Deleting the loop",
            failed=lambda exc: self._refused(exc, detail.id),
        )
