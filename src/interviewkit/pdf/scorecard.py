"""The scorecard PDF: facts, the recommendation and summary, ratings with the rubric at the levels given,
then every question with its notes (long notes flow onto the next page). A debrief packet prints its
scorecards with the same :func:`scorecard_flowables`."""

from __future__ import annotations

from datetime import datetime

from interviewkit.domain.markup import escape
from interviewkit.pdf.builder import (
    ALERT_BOX,
    NOTE_BOX,
    QUOTE_BOX,
    WARNING,
    Builder,
    ensure_gui_application,
    first_paragraph,
    key_values,
    markdown,
    minutes,
    notes,
    plain,
    scale_legend,
)
from interviewkit.pdf.layout import MM, Block, BlockStyle, Cell, Flowable, LayoutContext
from interviewkit.pdf.pages import RenderResult, render_pdf
from interviewkit.services.documents import (
    AskedQuestionDoc,
    CompetencyRatingDoc,
    NameMasker,
    PdfOptions,
    ScorecardDoc,
    format_datetime,
    masked_scorecard,
    short_name,
)

__all__ = ["scorecard_flowables", "scorecard_pdf", "scorecard_subject"]


def scorecard_subject(doc: ScorecardDoc) -> str:
    return f"Scorecard · {short_name(doc.candidate)} · {doc.stage_title}"


def scorecard_flowables(b: Builder, doc: ScorecardDoc, *, title: str, h: int = 1) -> None:
    """A scorecard's flowables; ``h`` is the heading level of its title (2 inside a debrief packet)."""
    _head(b, doc, title=title, h=h)
    _recommendation(b, doc, h + 1)
    _ratings(b, doc, h + 1)
    _questions(b, doc, h + 1)


def _head(b: Builder, doc: ScorecardDoc, *, title: str, h: int) -> None:
    b.heading(
        f"<h{h}>{escape(title)}</h{h}>"
        f"<p class='big'>{escape(doc.candidate)}</p>"
        f"<p class='muted'>{escape(doc.opening)} · Stage {doc.stage_position} of {doc.stage_count}: "
        f"{escape(doc.stage)}</p>",
        space_before=0,
    )
    status = (
        f"Submitted {escape(format_datetime(doc.submitted_at))}"
        if doc.status == "submitted"
        else f"<span class='alert'>{WARNING} Draft, not submitted</span>"
    )
    key_values(
        b,
        [
            ("Candidate", escape(doc.candidate)),
            ("Role", escape(doc.opening)),
            ("Stage", f"{doc.stage_position} of {doc.stage_count}: {escape(doc.stage)}"),
            ("Interviewer", f"<b>{escape(doc.interviewer)}</b>"),
            ("Interviewed", escape(format_datetime(doc.started_at))),
            ("Status", status),
        ],
    )
    if doc.status != "submitted":
        b.box(
            f"<p><span class='alert'>{WARNING} Draft.</span> This scorecard has not been submitted: its ratings, "
            "notes and recommendation may still change.</p>",
            ALERT_BOX,
        )


def _recommendation(b: Builder, doc: ScorecardDoc, sub: int) -> None:
    """The overall recommendation first: it is what the panel reads first."""
    b.heading(f"<h{sub}>Overall recommendation</h{sub}>")
    if doc.recommendation:
        scale = " · ".join(f"<b>{escape(r)}</b>" if r == doc.recommendation else escape(r) for r in doc.recommendations)
        rec = f"<p class='big'>{escape(doc.recommendation)}</p>" + (
            f"<p class='small muted'>On the scale {scale}</p>" if scale else ""
        )
    else:
        rec = "<p class='missing'>No recommendation given yet.</p>"
    summary = notes(doc.summary) or "<p class='muted'><i>No summary written.</i></p>"
    b.box(rec + "<p class='label'>SUMMARY</p>" + summary, NOTE_BOX)


def _rating_cell(r: CompetencyRatingDoc) -> str:
    if r.not_assessed:
        return f"<p class='missing'>— n/a</p><p class='small'>Not assessed: {plain(r.reason)}</p>"
    if r.score is not None:
        return f"<p><span class='big'>{r.score}</span>&nbsp; <span class='small'>{escape(r.label)}</span></p>"
    return "<p class='missing'>No rating yet</p>"


def _ratings(b: Builder, doc: ScorecardDoc, sub: int) -> None:
    """Ratings at a glance (rows never split), then what the rubric says at each level given."""
    b.heading(f"<h{sub}>Ratings</h{sub}><p class='small muted'>Scale: {scale_legend(doc.scale)}</p>")
    rows = []
    for r in doc.ratings:
        evidence = (
            f"<div class='small'>{notes(r.evidence)}</div>" if r.evidence.strip() else "<p class='small muted'>—</p>"
        )
        rows.append([f"<p><b>{escape(r.competency)}</b></p>", _rating_cell(r), evidence])
    if rows:
        b.table(
            [27, 22, 51],
            [
                "<p class='small'><b>Competency</b></p>",
                "<p class='small'><b>Rating</b></p>",
                "<p class='small'><b>Evidence noted</b></p>",
            ],
            rows,
        )
    else:
        b.para("<p class='muted'>No competency is rated in this stage.</p>")
    rated = [r for r in doc.ratings if r.score is not None and not r.not_assessed]
    if rated:
        b.heading(
            f"<h{sub}>The rubric at the levels given</h{sub}><p class='small muted'>For each competency, the "
            "anchor of the level given, from each question in this interview that assesses it.</p>"
        )
    for r in rated:
        left, right = b.width * 0.62 - 12, b.width * 0.38 - 12
        b.add(
            Block(
                [
                    Cell(b.ctx.document(f"<p><b>{escape(r.competency)}</b></p>", left), 0.0, left),
                    Cell(
                        b.ctx.document(f"<p align='right'><b>{r.score}</b> · {escape(r.label)}</p>", right),
                        b.width * 0.62,
                        right,
                    ),
                ],
                BlockStyle(padding=3.0, padding_x=6.0, background="#eef1f5", gap_after=1.0 * MM),
                keep_with_next=True,
            )
        )
        if r.anchors:
            anchors = "".join(
                f"<p><b>Q{a.question_number} · {escape(a.question_title)}</b><br>"
                f"{plain(a.text) or '<i>This question has no anchor for that level.</i>'}</p>"
                for a in r.anchors
            )
        else:
            anchors = "<p class='muted'><i>No question in this interview lists this competency.</i></p>"
        b.box(f"<div class='small'>{anchors}</div>", QUOTE_BOX)


def _questions(b: Builder, doc: ScorecardDoc, sub: int) -> None:
    """Every question with its notes; long notes flow onto the next page."""
    b.heading(f"<h{sub}>Questions and notes</h{sub}>")
    if not doc.questions:
        b.para("<p class='muted'>No question was asked.</p>")
    for q in doc.questions:
        facts = [escape(q.kind.replace("-", " ").capitalize()), f"{q.minutes} min planned"]
        if q.seconds_spent > 0:
            facts.append(f"{minutes(q.seconds_spent)} spent")
        if q.competencies:
            facts.append("Assesses " + escape(", ".join(q.competencies)))
        if not q.planned:
            facts.append("<b>added during the interview</b>")
        b.heading(
            f"<h{sub + 1}>Q{q.number} · {escape(q.title)}</h{sub + 1}><p class='small muted'>{' · '.join(facts)}</p>",
            gap=1.0 * MM,
            space_before=1.5 * MM,
        )
        if q.prompt.strip():
            b.box(f"<div class='small muted'>{markdown(first_paragraph(q.prompt))}</div>", QUOTE_BOX)
        if q.evidence:
            b.para(_heard(q))
        notes_html = notes(q.notes)
        b.para("<p class='label'>NOTES</p>" + (notes_html or "<p class='muted'><i>No notes taken.</i></p>"))


def _heard(q: AskedQuestionDoc) -> str:
    """The evidence items the interviewer ticked as heard (as the finish page: the items, not the level they
    would suggest; the interviewer rates)."""
    heard, total = q.heard, len(q.evidence)
    label = f"<p class='label'>EVIDENCE HEARD · {len(heard)} OF {total} ITEMS TICKED</p>"
    if not heard:
        return label + "<p class='small muted'><i>No item of the checklist was ticked.</i></p>"
    return label + "<ul class='small'>" + "".join(f"<li>{escape(item)}</li>" for item in heard) + "</ul>"


def scorecard_pdf(doc: ScorecardDoc, options: PdfOptions, *, generated_at: datetime | None = None) -> RenderResult:
    """Print one scorecard."""
    ensure_gui_application()
    if options.hide_names:
        doc = masked_scorecard(doc, NameMasker([*doc.panel, doc.interviewer], keep=[doc.candidate]))

    def build(ctx: LayoutContext) -> list[Flowable]:
        b = Builder(ctx)
        scorecard_flowables(b, doc, title="Scorecard")
        return b.items

    return render_pdf(build, subject=scorecard_subject(doc), page_size=options.page_size, generated_at=generated_at)
