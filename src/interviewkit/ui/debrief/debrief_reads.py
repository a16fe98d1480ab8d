"""The debrief of the candidate selected, read off the GUI thread through the section's read queue
(:meth:`SectionWidget.fetch`, kind ``"debrief"``): one read at a time, the newest request wins, the section is
busy meanwhile. Typing in the filter or switching person never waits for the database on the GUI thread.

A result is shown only if its candidate is still the one selected, for the same database and person (the
context object): one for a candidate no longer selected is dropped. A candidate erased meanwhile reads the
list again; a refusal (the person may not see this debrief) goes to the status bar."""

from __future__ import annotations

from collections.abc import Callable

from interviewkit.services.context import AppContext
from interviewkit.services.debrief import Debrief, debrief
from interviewkit.services.errors import NotFound, PermissionDenied
from interviewkit.ui.shell.section import SectionWidget

__all__ = ["DebriefReader"]


class DebriefReader:
    """Reads a candidate's debrief for ``section``: ``context()`` is the section's open database and person,
    ``selected()`` the candidate selected now, ``show(debrief)`` fills the page, ``gone()`` reads the list
    again (the candidate was erased or removed meanwhile)."""

    def __init__(
        self,
        section: SectionWidget,
        *,
        context: Callable[[], AppContext | None],
        selected: Callable[[], int | None],
        show: Callable[[Debrief], None],
        gone: Callable[[], None],
    ) -> None:
        self._section = section
        self._context, self._selected, self._show, self._gone = context, selected, show, gone
        self.requests = 0  # debriefs asked for so far (a refresh reloads only when selecting did not)

    def read(self, candidate_id: int, then: Callable[[Debrief], None] | None = None) -> None:
        """Read ``candidate_id``'s debrief off the GUI thread; show it (then call ``then``) if it is still the
        candidate selected when the read ends."""
        ctx = self._context()
        if ctx is None or ctx.user_id is None:
            return
        self.requests += 1
        db, user, settings = ctx.db, ctx.user_id, ctx.settings

        def done(d: Debrief) -> None:
            if self._context() is not ctx or self._selected() != candidate_id:
                return  # another database, person or candidate by now: a newer read shows what is selected
            self._show(d)
            if then is not None:
                then(d)

        def failed(exc: BaseException) -> None:
            if self._context() is not ctx:
                return  # read for the person or database before: nothing of it is shown
            if isinstance(exc, NotFound):
                self._gone()  # erased or removed meanwhile: the list says what is left
            elif isinstance(exc, PermissionDenied):
                if self._selected() == candidate_id:
                    self._section.host.notify(str(exc))
            else:
                raise exc

        self._section.fetch(lambda: debrief(db, candidate_id, user, settings), done, kind="debrief", failed=failed)
