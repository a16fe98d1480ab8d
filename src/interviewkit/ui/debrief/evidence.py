"""The debrief's Evidence tab: what lies behind the cell or header clicked in the grid.

A :class:`Target` is a rating (a scorecard and a competency), a scorecard, or a competency; the HTML comes
from :mod:`interviewkit.services.debrief_html` (Markdown notes rendered safely, every other text escaped).
After a refresh the pane shows its target again, or the hint when it is gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtWidgets import QTextBrowser, QWidget

from interviewkit.services.debrief import Debrief
from interviewkit.services.debrief_html import competency_html, rating_html, scorecard_html
from interviewkit.ui.widgets.formatting import local_text

__all__ = ["HINT_HTML", "SUMMARIES", "EvidencePane", "Target"]

HINT_HTML = (
    "<p>Click a rating in the grid (or move to it with the arrow keys and press Enter) to read that "
    "interviewer's evidence and their notes on every question that assessed the competency.</p>"
    "<p>Click a name above a column for that scorecard's summary and recommendation; click a competency "
    "for everyone's evidence on it.</p>"
)


@dataclass(frozen=True)
class Target:
    """What the pane shows: one scorecard's rating of a competency (both given), a scorecard, a competency."""

    scorecard_id: int | None = None
    competency_id: str | None = None


#: Neither a scorecard nor a competency: every summary (the Summaries tab).
SUMMARIES = Target()


EVIDENCE_MIN_LINES = 8


class EvidencePane(QTextBrowser):
    """One rating's evidence, a scorecard's summary, or every interviewer's view of a competency."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("debriefEvidence")
        self.setAccessibleName("Evidence")
        self.setOpenLinks(False)
        # Eight lines at least: on a small screen the grid above scrolls rather than squeezing this pane
        # to a line or two (about 90 px at 1280x800 with a window manager's frame and panel).
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * EVIDENCE_MIN_LINES + 2 * self.frameWidth())
        self.target: Target | None = None
        self.setHtml(HINT_HTML)

    def show_hint(self) -> None:
        self.target = None
        self.setHtml(HINT_HTML)

    def show_target(self, target: Target, d: Debrief | None, labels: Mapping[int, str]) -> bool:
        """Show ``target``; False (and the pane as it was) when the debrief does not show it."""
        previous, self.target = self.target, target
        if self.render_target(d, labels):
            return True
        self.target = previous
        return False

    def render_target(self, d: Debrief | None, labels: Mapping[int, str]) -> bool:
        """Render the target for this debrief; False when the target is no longer on screen."""
        target = self.target
        if d is None or target is None:
            return False
        names = dict(d.competencies)
        cards = {c.scorecard_id: c for c in d.columns}
        card = cards.get(target.scorecard_id) if target.scorecard_id is not None else None
        cid = target.competency_id
        if card is not None and cid is not None and cid in names:
            html = rating_html(card, cid, names[cid], labels)
        elif card is not None and cid is None:
            html = scorecard_html(
                card, d.competencies, labels, submitted=local_text(card.submitted_at, empty="not yet")
            )
        elif target.scorecard_id is None and cid is not None and cid in names:
            html = competency_html(d, cid, names[cid], labels)
        else:
            return False
        self.setHtml(html)
        return True
