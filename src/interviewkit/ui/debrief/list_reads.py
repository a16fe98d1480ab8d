"""What the Debriefs list reads, a page at a time, off the GUI thread (:meth:`SectionWidget.fetch`): the first
page with the directory, the count after it (a quiet read), and the next page when the list is scrolled to
its end (quiet too: the list stays usable)."""

from __future__ import annotations

from interviewkit.services.context import AppContext
from interviewkit.services.debrief import OUTCOME_LABELS
from interviewkit.services.debrief_pages import DebriefCandidate, debrief_count, debrief_page, debrief_position
from interviewkit.services.loop_pages import PAGE_SIZE, Page
from interviewkit.services.people import PersonInfo, people
from interviewkit.ui.debrief.list_pane import CandidatePane
from interviewkit.ui.debrief.model import CandidateRow
from interviewkit.ui.shell.section import SectionWidget

__all__ = ["FirstRead", "candidate_rows", "count_candidates", "read_first", "read_more"]

FirstRead = tuple[list[PersonInfo], Page[DebriefCandidate]]


def candidate_rows(page: Page[DebriefCandidate]) -> list[CandidateRow]:
    """The page's rows as the list shows them (the decision's label, or "")."""
    return [CandidateRow(c.id, c.name, c.opening, c.submitted, c.stages, _label(c.outcome)) for c in page.rows]


def _label(outcome: str | None) -> str:
    return OUTCOME_LABELS.get(outcome, outcome) if outcome else ""


def read_first(ctx: AppContext, user: int, search: str, loaded: int, wanted: int | None = None) -> FirstRead:
    """The directory and the first candidates matching ``search``: a page, or as many as ``loaded`` (up to five
    pages), so that a refresh keeps the list where it is scrolled; as far as ``wanted`` (to be selected)."""
    limit = max(PAGE_SIZE, min(loaded, 5 * PAGE_SIZE))
    at = None if wanted is None else debrief_position(ctx.db, user, wanted, search=search)
    limit = limit if at is None else max(limit, at + 1)
    return people(ctx.db), debrief_page(ctx.db, user, search=search, limit=limit)


def count_candidates(section: SectionWidget, ctx: AppContext, user: int, pane: CandidatePane) -> None:
    """How many candidates are listed (and match the search), read quietly after the first page."""
    db, search = ctx.db, pane.search.text()

    def count() -> tuple[int, int]:
        total = debrief_count(db, user)
        return (debrief_count(db, user, search=search) if search.strip() else total), total

    section.fetch(count, lambda counted: pane.set_counts(*counted), kind="count", quiet=True)


def read_more(section: SectionWidget, ctx: AppContext, user: int, pane: CandidatePane, offset: int) -> None:
    """The page from ``offset``, appended unless the list was read again meanwhile (a search, a change)."""
    db, search = ctx.db, pane.search.text()
    model, generation = pane.model, pane.model.generation

    def show(page: Page[DebriefCandidate]) -> None:
        if model.generation == generation:
            pane.add_rows(candidate_rows(page), more=page.more)

    section.fetch(
        lambda: debrief_page(db, user, search=search, offset=offset, limit=PAGE_SIZE), show, kind="more", quiet=True
    )
