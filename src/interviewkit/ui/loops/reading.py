"""What the Loops section reads, as functions run off the GUI thread (:meth:`SectionWidget.fetch`)."""

from __future__ import annotations

from dataclasses import dataclass

from interviewkit.services.access import permissions
from interviewkit.services.bank_queries import competencies
from interviewkit.services.context import AppContext
from interviewkit.services.loops import LoopCoverage, LoopDetail, LoopSummary, loop_coverage, loop_detail, loops
from interviewkit.services.people import people
from interviewkit.ui.loops.loop_page import Directory

__all__ = ["LoopsRead", "read_loop", "read_loops"]


@dataclass(frozen=True)
class LoopsRead:
    """The list of loops, the stage editor's directory, and whether the person may plan."""

    may_plan: bool
    directory: Directory
    loops: list[LoopSummary]


def read_loops(ctx: AppContext, user_id: int | None) -> LoopsRead:
    db = ctx.db
    return LoopsRead(
        "plan_loops" in permissions(db, user_id),
        Directory([(p.id, p.label) for p in people(db)], competencies(db)),
        loops(db, by=user_id),
    )


def read_loop(ctx: AppContext, loop_id: int, user_id: int | None) -> tuple[LoopDetail, LoopCoverage]:
    return loop_detail(ctx.db, loop_id, by=user_id), loop_coverage(ctx.db, loop_id, by=user_id)
