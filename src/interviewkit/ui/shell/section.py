"""What a screen is to the window, and what it may ask of the window.

Every screen the window shows derives from :class:`SectionWidget`: the window gives it the open
database (``set_context``), every change made anywhere (``apply_changes``), and asks it to print its
document (``export_pdf``), to focus its search (``focus_search``) or to show one thing (``show_target``,
for links between screens). A screen asks the window through its :class:`Host`: to run a write off the
GUI thread with a busy state (``run``), to say something in the status bar (``notify``), to show another
screen (``navigate``). Screens never know each other or the window's class.

A screen reads through :meth:`SectionWidget.fetch`: the read runs on the thread pool (the one queue that
writes use too) while the screen shows its busy state, and a newer load of the same kind drops the older
one's result. A screen made on its own (in a test, say) has a :class:`StandaloneHost`, which runs work and
reads at once and gives the screen the changes it made; a host whose ``reads_in_background`` is true (the
window) has reads run off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QWidget

from interviewkit.services.changes import Changes, changes_of
from interviewkit.ui.shell.loads import Loads, Request
from interviewkit.ui.widgets.focus import HiddenPagesGuard

if TYPE_CHECKING:
    from interviewkit.services.context import AppContext

__all__ = ["Host", "SectionStack", "SectionWidget", "StandaloneHost"]

T = TypeVar("T")


class Host(Protocol):
    """What a screen may ask of the window."""

    settings: QSettings

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        busy: str,
        failed: Callable[[BaseException], None] | None = None,
        changes: Changes | None = None,
    ) -> None:
        """Run ``work`` (a service call that writes) off the GUI thread, showing ``busy`` meanwhile; then
        ``done(result)`` on the GUI thread, and every screen gets the result's changes (or ``changes``)."""

    def notify(self, text: str, msecs: int = 8000) -> None:
        """Say ``text`` in the status bar."""

    def navigate(self, key: str, target: object = None) -> None:
        """Show the screen ``key`` (and in it, ``target``: a question id, a stage id...)."""

    def broadcast(self, changes: Changes) -> None:
        """Give every screen ``changes`` (for work a screen ran itself, such as the cockpit's autosave)."""


class StandaloneHost:
    """The host of a screen made without the window: work runs at once, and only this screen is told."""

    def __init__(self, section: SectionWidget, *, reads_in_background: bool = False) -> None:
        self._section = section
        self.settings = QSettings()
        self.messages: list[str] = []
        self.reads_in_background = reads_in_background  # True: loads run on the thread pool, as in the window

    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        busy: str,
        failed: Callable[[BaseException], None] | None = None,
        changes: Changes | None = None,
    ) -> None:
        try:
            result = work()
        except Exception as exc:
            if failed is None:
                raise
            failed(exc)
            return
        if done is not None:
            done(result)
        found = changes_of(result) or changes
        if found:
            self._section.apply_changes(found)

    def notify(self, text: str, msecs: int = 8000) -> None:
        self.messages.append(text)

    def navigate(self, key: str, target: object = None) -> None:
        pass

    def broadcast(self, changes: Changes) -> None:
        self._section.apply_changes(changes)


class SectionStack(QStackedWidget):
    """Where the window shows its sections, one at a time. A section that is not shown never takes the focus:
    a read that ends behind another section and asks for the focus is refused (:class:`HiddenPagesGuard`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.focus_guard = HiddenPagesGuard(self)


class SectionWidget(QWidget):
    """A screen of the window. Subclasses say what they show (``refresh``) and which changes touch it."""

    #: The kinds of :class:`~interviewkit.services.changes.Changes` that affect what this screen shows.
    watches: frozenset[str] = frozenset()

    sig_loading = Signal(bool)
    """The screen started reading (True: it shows its busy state) or has nothing left to read (False)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host: Host | None = None
        self._announced: Changes | None = None  # what this screen changed and has already shown
        self._reads = Loads(self._busy_changed, lambda: shiboken6.isValid(self))

    @property
    def host(self) -> Host:
        if self._host is None:
            self._host = StandaloneHost(self)
        return self._host

    def set_host(self, host: Host) -> None:
        self._host = host

    def set_context(self, ctx: AppContext | None) -> None:
        """The open database (None: none is open)."""

    def refresh(self) -> None:
        """Read again what this screen shows."""

    def apply_changes(self, changes: Changes) -> None:
        """Something changed somewhere: refresh if it is something this screen shows (and did not change
        itself: a screen shows its own writes as they are done)."""
        if changes is self._announced:
            self._announced = None
            return
        if changes.kinds() & self.watches:
            self.refresh()

    def announce(self, changes: Changes) -> None:
        """Tell every other screen what this one changed (it shows the change itself)."""
        self._announced = changes
        self.host.broadcast(changes)

    def write(
        self,
        work: Callable[[], T],
        done: Callable[[T], None] | None = None,
        *,
        busy: str,
        failed: Callable[[BaseException], None] | None = None,
        changes: Changes | None = None,
    ) -> None:
        """Run a write through the host (off the GUI thread in the window); ``done`` shows its result here,
        and the other screens get its changes."""

        def finished(result: T) -> None:
            self._announced = changes_of(result) or changes
            if done is not None:
                done(result)

        self.host.run(work, finished, busy=busy, failed=failed, changes=changes)

    @property
    def loading(self) -> bool:
        """Whether a read of this screen's first content is under way (it shows its busy state)."""
        return self._reads.busy

    def fetch(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        *,
        kind: str = "",
        failed: Callable[[BaseException], None] | None = None,
        quiet: bool = False,
        background: bool = False,
    ) -> None:
        """Read with ``work`` (a service call that only reads) off the GUI thread, then ``done(result)`` on it.

        Per ``kind``, one read runs at a time and only the newest request's result is shown (see
        :mod:`~interviewkit.ui.shell.loads`). Meanwhile the screen is :attr:`loading` (a busy cursor over it,
        ``sig_loading``), unless ``quiet`` (what streams in after the first content). ``background``
        (quiet, and nobody waits for it: a statistic over the whole database) runs on the quiet lane, behind
        nothing a person waits for. A failure goes to ``failed``, else to the status bar. In a host without
        ``reads_in_background`` it runs at once.
        """
        generation = self._reads.next_generation(kind)
        if not getattr(self.host, "reads_in_background", False):
            try:
                result = work()
            except Exception as exc:
                if failed is None:  # at once (a test): the failure shows where it happened
                    raise
                failed(exc)
                return
            if self._reads.is_current(kind, generation):
                done(result)
            return
        request = Request(generation, work, done, failed or self._load_failed)
        self._reads.start(kind, request, quiet=quiet, background=background)

    def _load_failed(self, exc: BaseException) -> None:
        self.host.notify(f"{getattr(self, 'title', 'This screen')} could not be read: {exc}")

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        self.sig_loading.emit(busy)

    def cancel_loads(self) -> None:
        """Drop the results of every read under way (the database or the person changed)."""
        self._reads.cancel()

    def export_pdf(self) -> bool:
        """Print this screen's document (with a preview); False when it has none to print now."""
        return False

    def focus_search(self) -> bool:
        """Put the cursor in this screen's search; False when it has none."""
        return False

    def show_target(self, target: object) -> None:
        """Show one thing in this screen (a link from another screen)."""

    def focus_entry(self) -> None:
        """Where the focus lands when the window shows this screen: its first widget that takes Tab (not
        the navigation, where ↓ would leave the screen). Screens say better where it fits."""
        w: QWidget | None = self.nextInFocusChain()
        while w is not None and w is not self and self.isAncestorOf(w):
            if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                w.setFocus(Qt.FocusReason.OtherFocusReason)
                return
            w = w.nextInFocusChain()

    def menu_actions(self) -> list[QAction]:
        """Actions of this screen for the window's menus (with their shortcuts)."""
        return []

    def warn(self, title: str, text: str) -> None:
        """A problem the person must read (a refused change), with the window as the dialog's parent."""
        QMessageBox.warning(self.window(), title, text)
