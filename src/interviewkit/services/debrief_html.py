"""The debrief's reading as HTML: one rating's evidence, a scorecard, a competency side by side, the summaries,
and the grid's tooltips (a rating, a recommendation).

Interviewers' notes and summaries are Markdown typed during the interview; they are rendered through
:func:`interviewkit.domain.markup.notes_to_html` (single line breaks kept), which removes scripts, images and
remote content.
Every other piece of text is escaped. Dates come formatted by the caller (the desktop shows them in the
person's locale).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from interviewkit.domain.markup import escape, notes_to_html
from interviewkit.services.debrief import Debrief, ScorecardColumn

__all__ = [
    "clip",
    "competency_html",
    "rating_html",
    "rating_tip",
    "recommendation_tip",
    "scorecard_html",
    "summaries_html",
]


def clip(text: str, limit: int = 180) -> str:
    """The text on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _tip_escape(text: str) -> str:
    return html.escape(text, quote=False)  # tooltips: quotes stay as typed


def _lines(text: str) -> str:
    """Plain text as HTML whose line breaks stay breaks."""
    return escape(text).replace("\n", "<br>")


def _who(card: ScorecardColumn) -> str:
    return f"{escape(card.interviewer)} · Stage {card.stage_position}: {escape(card.stage_name)}"


def _score_text(score: int | None, labels: Mapping[int, str]) -> str:
    if score is None:
        return "not assessed (n/a)"
    label = labels.get(score, "")
    return f"{score} · {escape(label)}" if label else str(score)


# --- the reading panes -------------------------------------------------------------------------------


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
            parts.append(f"<p><i>Evidence note:</i> {_lines(evidence)}</p>")
    questions = card.evidence_for(competency_id)
    if questions:
        parts.append(f"<h4>Notes on the question{'s' if len(questions) != 1 else ''} that assessed it</h4>")
        for q in questions:
            parts.append(f"<p><b>{escape(q.title)}</b></p>")
            parts.append(notes_to_html(q.notes) if q.notes.strip() else "<p><i>No notes.</i></p>")
    else:
        parts.append("<p><i>No notes on a question tagged with this competency.</i></p>")
    return "".join(parts)


def scorecard_html(
    card: ScorecardColumn, competencies: Sequence[tuple[str, str]], labels: Mapping[int, str], *, submitted: str
) -> str:
    """A scorecard's summary, recommendation and ratings; ``submitted`` says when it was submitted."""
    parts = [
        f"<h3>{_who(card)}</h3>",
        (f"<p><b>Recommendation: {escape(card.recommendation or 'none')}</b> · submitted {escape(submitted)}</p>"),
        notes_to_html(card.summary) if card.summary.strip() else "<p><i>No summary.</i></p>",
    ]
    rows = [
        f"<tr><td>{escape(name)}</td><td>&nbsp;&nbsp;{_score_text(card.ratings[cid], labels)}</td></tr>"
        for cid, name in competencies
        if cid in card.ratings
    ]
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
        parts.append(f"<p><b>{_who(card)}: {_score_text(score, labels)}</b><br>{_lines(note)}</p>")
    return "".join(parts)


def summaries_html(debrief: Debrief) -> str:
    """Each visible interviewer's summary and recommendation, in stage order."""
    if not debrief.columns:
        return "<p><i>No scorecard to show yet.</i></p>"
    parts = []
    for card in debrief.columns:
        parts.append(f"<h3>{_who(card)}</h3>")
        parts.append(f"<p><b>Recommendation: {escape(card.recommendation or 'none')}</b></p>")
        parts.append(notes_to_html(card.summary) if card.summary.strip() else "<p><i>No summary.</i></p>")
    return "".join(parts)


# --- the grid's tooltips -----------------------------------------------------------------------------


def rating_tip(card: ScorecardColumn, competency_id: str, competency: str, labels: Mapping[int, str]) -> str:
    """A rating's tooltip: the score and its label, who gave it, their evidence note and the first notes."""
    who = f"{_tip_escape(card.interviewer)} · Stage {card.stage_position}: {_tip_escape(card.stage_name)}"
    if competency_id not in card.ratings:
        return f"<p><b>{_tip_escape(competency)}</b><br>{who}</p><p>Not rated in this stage.</p>"
    score = card.ratings[competency_id]
    if score is None:
        reason = card.not_assessed.get(competency_id, "") or "No reason given."
        return f"<p><b>{_tip_escape(competency)}: not assessed</b><br>{who}</p><p>Reason: {_tip_escape(reason)}</p>"
    label = _tip_escape(labels.get(score, ""))
    parts = [f"<p><b>{score} · {label}</b> — {_tip_escape(competency)}<br>{who}</p>"]
    evidence = card.rating_evidence.get(competency_id, "")
    if evidence:
        parts.append(f"<p><i>Evidence:</i> {_tip_escape(clip(evidence, 320))}</p>")
    for q in card.evidence_for(competency_id)[:3]:
        lines = [ln.lstrip("-* ").strip() for ln in q.notes.splitlines() if ln.strip()]
        notes = "<br>".join("· " + _tip_escape(clip(ln, 140)) for ln in lines[:3])
        parts.append(f"<p><i>{_tip_escape(q.title)}</i><br>{notes or '(no notes)'}</p>")
    parts.append("<p>Click or press Enter for the full notes.</p>")
    return "".join(parts)


def recommendation_tip(card: ScorecardColumn) -> str:
    """A recommendation's tooltip: who, which stage, the start of their summary."""
    summary = clip(card.summary, 400) if card.summary else "No summary."
    return (
        f"<p><b>{_tip_escape(card.interviewer)}: {_tip_escape(card.recommendation or 'no recommendation')}</b><br>"
        f"Stage {card.stage_position}: {_tip_escape(card.stage_name)}</p><p>{_tip_escape(summary)}</p>"
        "<p>Click or press Enter for the whole summary.</p>"
    )
