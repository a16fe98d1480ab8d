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
from interviewkit.services.bank_queries import CoverageRow, QuestionDetail, RequirementInfo

__all__ = [
    "KIND_LABELS",
    "MIN_QUESTIONS",
    "CoverageFigures",
    "PageColours",
    "coverage_figures",
    "coverage_words",
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
    """Whether a requirement needs more questions: fewer than :data:`MIN_QUESTIONS` assess it as a primary
    requirement, and the recruiter's screen does not check it. Related questions never fill a gap."""
    return not row.screen and row.count < MIN_QUESTIONS


def coverage_words(row: CoverageRow) -> str:
    """How a requirement is covered, in words: 'assessed by 2 questions', 'checked by the screen', with the
    related questions apart ('touched on by 1 more question (not counted)')."""
    n = row.count
    parts = []
    if row.screen:
        parts.append("checked by the screen")
    if n or not row.screen:
        parts.append(f"assessed by {n} question{'' if n == 1 else 's'}" if n else "assessed by no question")
    text = "; ".join(parts)
    if row.related_questions:
        r = len(row.related_questions)
        text += f"; touched on by {r} more question{'' if r == 1 else 's'} (not counted)"
    return text


@dataclass(frozen=True)
class CoverageFigures:
    """How many requirements there are, how many any question assesses (primary links), how many are
    covered enough (by at least :data:`MIN_QUESTIONS` questions, or by the screen), and how many the screen
    checks."""

    total: int
    covered: int
    enough: int
    screened: int = 0

    @property
    def gaps(self) -> int:
        return self.total - self.enough

    @property
    def ok(self) -> bool:
        """Every requirement is assessed by enough questions or checked by the screen (and there is one)."""
        return self.total > 0 and self.gaps == 0

    def sentence(self) -> str:
        """The figures in words, with a mark that is not only a colour (✓ or ⚠)."""
        if self.total == 0:
            return "This job description has no requirements."
        screen = f" by questions · {self.screened} checked by the screen" if self.screened else ""
        enough = f"at least {MIN_QUESTIONS} questions" + (" or the screen" if self.screened else "")
        if self.gaps:
            return (
                f"⚠ {self.covered} of {self.total} requirements covered{screen} · {self.enough} by {enough} · "
                f"{self.gaps} need more questions"
            )
        return f"✓ {self.covered} of {self.total} requirements covered{screen}, every one by {enough}"


def coverage_figures(rows: Sequence[CoverageRow]) -> CoverageFigures:
    """The figures of a coverage list (:func:`~interviewkit.services.bank_queries.coverage`)."""
    return CoverageFigures(
        total=len(rows),
        covered=sum(1 for r in rows if r.count),
        enough=sum(1 for r in rows if not is_gap(r)),
        screened=sum(1 for r in rows if r.screen),
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


def _requirement_items(requirements: Sequence[RequirementInfo], colours: PageColours) -> list[str]:
    parts = ["<ul>"]
    parts.extend(
        f"<li>{escape(r.text)}<br><span style='color:{colours.subtle}; font-size:small'>{escape(r.id)}</span></li>"
        for r in requirements
    )
    parts.append("</ul>")
    return parts


def _requirements(q: QuestionDetail, colours: PageColours) -> list[str]:
    """The primary requirements (assessed), then the related ones (touched on, not counted)."""
    parts = [f"<h3>Requirements assessed ({len(q.requirements)})</h3>"]
    if q.requirements:
        parts.extend(_requirement_items(q.requirements, colours))
    else:
        parts.append(f"<p style='color:{colours.subtle}'>None: this question is not mapped to any requirement.</p>")
    if q.related_requirements:
        parts.append(f"<h3>Related requirements ({len(q.related_requirements)}): touched on, not counted</h3>")
        parts.extend(_requirement_items(q.related_requirements, colours))
    return parts


def _checklist(q: QuestionDetail, scale_labels: dict[int, str], colours: PageColours) -> list[str]:
    """The evidence checklist (numbered), the items each level needs, the example answers and the scope."""
    parts = ["<h3>Evidence checklist</h3><ol>"]
    parts.extend(f"<li>{escape(item)}</li>" for item in q.evidence)
    parts.append("</ol>")
    if q.thresholds:
        parts.append("<p><b>The ticks each level needs</b> (what the ticks suggest; the interviewer rates)</p><ul>")
        parts.extend(
            f"<li><b>{level}</b> <span style='color:{colours.subtle}'>{escape(scale_labels.get(level, ''))}</span>: "
            f"{escape(rule)}</li>"
            for level, rule in q.thresholds
        )
        parts.append("</ul>")
    if q.examples:
        parts.append("<h3>Example answers</h3>")
        parts.extend(
            f"<p><b>{level}</b> <span style='color:{colours.subtle}'>{escape(scale_labels.get(level, ''))}</span>"
            f"<br><i>{escape(text)}</i></p>"
            for level, text in q.examples
        )
    return parts


def question_html(q: QuestionDetail, *, scale_labels: dict[int, str], colours: PageColours) -> str:
    """One question as a page: title, kind and length, competencies, the prompt (sanitised Markdown),
    probes, its evidence checklist with the ticks each level needs and example answers, rubric with the
    scale's words, scope, red flags (marked ⚑), the requirements it assesses and those it only touches,
    the group it is a variant in, its file."""
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
    if q.evidence:
        parts.extend(_checklist(q, scale_labels, colours))
    if q.rubric:
        parts.extend(_rubric(q, scale_labels, colours))
    if q.scope:
        parts.append(f"<h3>Scope by level</h3><p>{escape(q.scope)}</p>")
    if q.red_flags:
        parts.append("<h3>Red flags</h3><ul>")
        parts.extend(f"<li><span style='color:{colours.danger}'>⚑</span> {escape(f)}</li>" for f in q.red_flags)
        parts.append("</ul>")
    parts.extend(_requirements(q, colours))
    if q.variant_of:
        parts.append(
            f"<p style='color:{colours.subtle}'>A variant of {escape(q.variant_of)}: a loop plans one "
            "question of the group.</p>"
        )
    parts.append(f"<p style='color:{colours.subtle}; font-size:small'>Source: {escape(q.source_path)}</p>")
    return "\n".join(parts)
