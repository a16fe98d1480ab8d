"""The bank browser's rows in search order: while a search is on, the title column sorts by relevance."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

from interviewkit.ui.widgets.question_model import QuestionFilterProxy, SummaryRole

__all__ = ["RankedProxy"]


class RankedProxy(QuestionFilterProxy):
    """As QuestionFilterProxy; sorted on the title column while a search is on, the best match comes
    first (the search's ranking) instead of the alphabet. Other columns sort as before."""

    def lessThan(  # noqa: N802 - Qt override
        self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if left.column() == 0:
            a, b = self.search_rank(left.data(SummaryRole).id), self.search_rank(right.data(SummaryRole).id)
            if a is not None and b is not None:
                return a < b
        return super().lessThan(left, right)

    def set_search_hits(self, ranked_ids: Sequence[str] | None) -> None:
        """Only these questions (None: every one), in this order on the title column."""
        super().set_search_hits(ranked_ids)
        self.invalidate()  # sort again: the order of the rows kept has changed too
