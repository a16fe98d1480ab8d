"""What the bank's screens show, worked out below the screens: a question's page, the names of the question
kinds, and how well a job description's requirements are covered.

Screens only place these values: the page is HTML (every text from the bank escaped or sanitised) made
with the colours the screen passes, so the same function serves the light and the dark palette.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interviewkit.bank.checks import MIN_QUESTIONS_PER_REQUIREMENT
from interviewkit.domain.markup import escape, markdown_to_html
from interviewkit.services.bank_queries import CoverageRow, QuestionDetail

__all__ = [
    "KIND_LABELS",
    "MIN_QUESTIONS",
    "CoverageFigures",
    "PageColours",
    "coverage_figures",
    "is_gap",
    "question_html",
]

#: The kinds of question, with the words the screens show for them.
KIND_LABELS = {
    "behavioural": "Behavioural",
    "technical": "Technical",
    "system-design": "System design",
    "situational": "Situational",
    "work-sample": "Work sample",
}

#: A requirement assessed by fewer questions than this is a gap (the bank's own check says the same).
MIN_QUESTIONS = MIN_QUESTIONS_PER_REQUIREMENT


@dataclass(frozen=True)
class PageColours:
    """The palette's colours a page uses (CSS colour names or #rrggbb)."""

    subtle: str
    rule: str
    danger: str


def is_gap(row: CoverageRow) -> bool:
    """Whether a requirement needs more questions."""
    return row.count < MIN_QUESTIONS


@dataclass(frozen=True)
class CoverageFigures:
    """How many requirements there are, how many any question assesses, and how many enough questions do."""

    total: int
    covered: int
    enough: int

    @property
    def gaps(self) -> int:
        return self.total - self.enough

    @property
    def ok(self) -> bool:
        """Every requirement is assessed by enough questions (and there is at least one)."""
        return self.total > 0 and self.gaps == 0

    def sentence(self) -> str:
        """The figures in words, with a mark that is not only a colour (✓ or ⚠)."""
        if self.total == 0:
            return "This job description has no requirements."
        if self.gaps:
            return (
                f"⚠ {self.covered} of {self.total} requirements covered · {self.enough} by at least "
                f"{MIN_QUESTIONS} questions · {self.gaps} need more questions"
            )
        return f"✓ {self.covered} of {self.total} requirements covered, every one by at least {MIN_QUESTIONS} questions"


def coverage_figures(rows: Sequence[CoverageRow]) -> CoverageFigures:
    """The figures of a coverage list (:func:`~interviewkit.services.bank_queries.coverage`)."""
    return CoverageFigures(
        total=len(rows),
        covered=sum(1 for r in rows if r.count),
        enough=sum(1 for r in rows if not is_gap(r)),
    )


def _meta(q: QuestionDetail) -> str:
    parts = (
        escape(KIND_LABELS.get(q.kind, q.kind)),
        f"{q.minutes} min",
        escape(q.level) if q.level else "",
        f"v{q.version}",
        "<b>retired</b>" if q.retired else "",
    )
    return " · ".join(x for x in parts if x)


def _rubric(q: QuestionDetail, scale_labels: dict[int, str], colours: PageColours) -> list[str]:
    cell = f"valign='top' style='border-top:1px solid {colours.rule}'"
    parts = ["<h3>Rubric</h3><table cellspacing='0' cellpadding='5' width='100%' style='border-collapse:collapse'>"]
    for level, anchor in q.rubric:
        label = escape(scale_labels.get(level, ""))
        parts.append(
            f"<tr><td width='28' {cell}><b>{level}</b></td>"
            f"<td {cell}><span style='color:{colours.subtle}'>{label}</span><br>{escape(anchor)}</td></tr>"
        )
    parts.append("</table>")
    return parts


def _requirements(q: QuestionDetail, colours: PageColours) -> list[str]:
    parts = [f"<h3>Requirements covered ({len(q.requirements)})</h3>"]
    if not q.requirements:
        parts.append(f"<p style='color:{colours.subtle}'>None: this question is not mapped to any requirement.</p>")
        return parts
    parts.append("<ul>")
    parts.extend(
        f"<li>{escape(r.text)}<br><span style='color:{colours.subtle}; font-size:small'>{escape(r.id)}</span></li>"
        for r in q.requirements
    )
    parts.append("</ul>")
    return parts


def question_html(q: QuestionDetail, *, scale_labels: dict[int, str], colours: PageColours) -> str:
    """One question as a page: title, kind and length, competencies, the prompt (sanitised Markdown),
    probes, rubric with the scale's words, red flags (marked ⚑), the requirements it covers, its file."""
    comps = " · ".join(escape(name) for _, name in q.competencies)
    parts = [
        f"<h2 style='margin-bottom:2px'>{escape(q.title)}</h2>",
        f"<div style='color:{colours.subtle}'>{_meta(q)}<br>{comps}</div>",
        f"<div style='margin-top:10px; font-size:12pt'>{markdown_to_html(q.prompt)}</div>",
    ]
    if q.follow_ups:
        parts.append("<h3>Follow-up probes</h3><ul>")
        parts.extend(f"<li>{escape(f)}</li>" for f in q.follow_ups)
        parts.append("</ul>")
    if q.rubric:
        parts.extend(_rubric(q, scale_labels, colours))
    if q.red_flags:
        parts.append("<h3>Red flags</h3><ul>")
        parts.extend(f"<li><span style='color:{colours.danger}'>⚑</span> {escape(f)}</li>" for f in q.red_flags)
        parts.append("</ul>")
    parts.extend(_requirements(q, colours))
    parts.append(f"<p style='color:{colours.subtle}; font-size:small'>Source: {escape(q.source_path)}</p>")
    return "\n".join(parts)
