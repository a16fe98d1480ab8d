"""What the Loops section reads, as functions run off the GUI thread (:meth:`SectionWidget.fetch`)."""

from __future__ import annotations

from dataclasses import dataclass

from interviewkit.services.access import permissions
from interviewkit.services.bank_queries import competencies
from interviewkit.services.context import AppContext
from interviewkit.services.loop_pages import PAGE_SIZE, Page, loop_page
from interviewkit.services.loops import LoopCoverage, LoopDetail, LoopSummary, loop_coverage, loop_detail
from interviewkit.services.people import people
from interviewkit.ui.loops.loop_page import Directory

__all__ = ["LoopsRead", "read_loop", "read_loops"]


@dataclass(frozen=True)
class LoopsRead:
    """The first page of loops, the stage editor's directory, and whether the person may plan."""

    may_plan: bool
    directory: Directory
    loops: Page[LoopSummary]


def read_loops(ctx: AppContext, user_id: int | None, search: str = "", limit: int = PAGE_SIZE) -> LoopsRead:
    """What the Loops section shows first: its first ``limit`` loops matching ``search`` (a page: the rest
    is read as the list is scrolled), the directory, the person's right to plan."""
    db = ctx.db
    return LoopsRead(
        "plan_loops" in permissions(db, user_id),
        Directory([(p.id, p.label) for p in people(db)], competencies(db)),
        loop_page(db, by=user_id, search=search, limit=limit),
    )


def read_loop(ctx: AppContext, loop_id: int, user_id: int | None) -> tuple[LoopDetail, LoopCoverage]:
    return loop_detail(ctx.db, loop_id, by=user_id), loop_coverage(ctx.db, loop_id, by=user_id)
