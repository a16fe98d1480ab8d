"""What the debrief's reading panes show, as HTML: one rating's evidence, a scorecard, a competency, summaries.

Interviewers' notes and summaries are Markdown typed during the interview; they are rendered through
:func:`interviewkit.domain.markup.markdown_to_html`, which removes scripts, images and remote content.
Every other piece of text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from interviewkit.domain.markup import escape, markdown_to_html
from interviewkit.ui.widgets.formatting import local_text

if TYPE_CHECKING:
    from interviewkit.services.debrief import Debrief, ScorecardColumn

__all__ = ["HINT_HTML", "competency_html", "rating_html", "scorecard_html", "summaries_html"]

HINT_HTML = (
    "<p>Click a rating in the grid (or move to it with the arrow keys and press Enter) to read that "
    "interviewer's evidence and their notes on every question that assessed the competency.</p>"
    "<p>Click a name above a column for that scorecard's summary and recommendation; click a competency "
    "for everyone's evidence on it.</p>"
)


def _who(card: ScorecardColumn) -> str:
    return f"{escape(card.interviewer)} · Stage {card.stage_position}: {escape(card.stage_name)}"


def _score_text(score: int | None, labels: Mapping[int, str]) -> str:
    if score is None:
        return "not assessed (n/a)"
    label = labels.get(score, "")
    return f"{score} · {escape(label)}" if label else str(score)


def rating_html(card: ScorecardColumn, competency_id: str, competency: str, labels: Mapping[int, str]) -> str:
    """One interviewer's rating of one competency: the rating, their evidence note, their question notes."""
    parts = [f"<h3>{escape(competency)}</h3>", f"<p>{_who(card)}</p>"]
    if competency_id not in card.ratings:
        parts.append("<p><i>Not rated in this stage: it was not part of its focus.</i></p>")
    else:
        score = card.ratings[competency_id]
        parts.append(f"<p><b>Rating: {_score_text(score, labels)}</b></p>")
        if score is None:
            reason = card.not_assessed.get(competency_id, "")
            parts.append(f"<p><i>Reason:</i> {escape(reason) if reason else 'none given'}</p>")
        evidence = card.rating_evidence.get(competency_id, "")
        if evidence:
            parts.append(f"<p><i>Evidence note:</i> {escape(evidence)}</p>")
    questions = card.evidence_for(competency_id)
    if questions:
        parts.append(f"<h4>Notes on the question{'s' if len(questions) != 1 else ''} that assessed it</h4>")
        for q in questions:
            parts.append(f"<p><b>{escape(q.title)}</b></p>")
            parts.append(markdown_to_html(q.notes) if q.notes.strip() else "<p><i>No notes.</i></p>")
    else:
        parts.append("<p><i>No notes on a question tagged with this competency.</i></p>")
    return "".join(parts)


def scorecard_html(card: ScorecardColumn, competencies: Sequence[tuple[str, str]], labels: Mapping[int, str]) -> str:
    """A scorecard's summary, recommendation and ratings."""
    parts = [
        f"<h3>{_who(card)}</h3>",
        (
            f"<p><b>Recommendation: {escape(card.recommendation or 'none')}</b>"
            f" · submitted {escape(local_text(card.submitted_at, empty='not yet'))}</p>"
        ),
        markdown_to_html(card.summary) if card.summary.strip() else "<p><i>No summary.</i></p>",
    ]
    rows = []
    for cid, name in competencies:
        if cid in card.ratings:
            rows.append(f"<tr><td>{escape(name)}</td><td>&nbsp;&nbsp;{_score_text(card.ratings[cid], labels)}</td></tr>")
    if rows:
        parts.append("<h4>Ratings</h4><table cellspacing='0' cellpadding='2'>" + "".join(rows) + "</table>")
    return "".join(parts)


def competency_html(debrief: Debrief, competency_id: str, competency: str, labels: Mapping[int, str]) -> str:
    """Every visible interviewer's rating and evidence note for one competency, side by side."""
    parts = [f"<h3>{escape(competency)}</h3>"]
    spread = debrief.disagreements.get(competency_id)
    if spread is not None:
        parts.append(f"<p><b>⚠ Disagreement: the ratings are {spread} points apart.</b> Talk it through.</p>")
    for card in debrief.columns:
        if competency_id not in card.ratings:
            continue
        score = card.ratings[competency_id]
        note = card.rating_evidence.get(competency_id, "") or card.not_assessed.get(competency_id, "")
        parts.append(f"<p><b>{_who(card)}: {_score_text(score, labels)}</b><br>{escape(note)}</p>")
    return "".join(parts)


def summaries_html(debrief: Debrief) -> str:
    """Each visible interviewer's summary and recommendation, in stage order."""
    if not debrief.columns:
        return "<p><i>No scorecard to show yet.</i></p>"
    parts = []
    for card in debrief.columns:
        parts.append(f"<h3>{_who(card)}</h3>")
        parts.append(f"<p><b>Recommendation: {escape(card.recommendation or 'none')}</b></p>")
        parts.append(markdown_to_html(card.summary) if card.summary.strip() else "<p><i>No summary.</i></p>")
    return "".join(parts)
