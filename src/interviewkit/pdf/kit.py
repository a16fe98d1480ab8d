"""The interview kit PDF: the plan and the focus competencies, each question on its own page (read-out
prompt, probes, rubric, red flags, ruled lines for notes), and a last page to rate by hand. A recruiter's
screen has no questions and rates no competency: its kit is the checklist, each item with what to ask, Yes,
No and Unclear to tick and room for a note."""

from __future__ import annotations

from datetime import datetime

from interviewkit.domain.markup import escape
from interviewkit.pdf.builder import (
    ALERT_BOX,
    NOTE_BOX,
    WARNING,
    Builder,
    ensure_gui_application,
    key_values,
    markdown,
    plain,
    scale_legend,
)
from interviewkit.pdf.layout import (
    MM,
    Block,
    BlockStyle,
    Cell,
    Flowable,
    LayoutContext,
    PageBreak,
    RuledLines,
    Section,
    Spacer,
)
from interviewkit.pdf.pages import RenderResult, render_pdf
from interviewkit.services.documents import (
    KitCheckDoc,
    KitDoc,
    KitQuestionDoc,
    NameMasker,
    PdfOptions,
    format_datetime,
    masked_kit,
    short_name,
)

__all__ = ["kit_pdf", "kit_subject"]

CIRCLE_GAP = "&nbsp;" * 5  # between the levels to circle


def kit_subject(doc: KitDoc) -> str:
    return f"Interview kit · {short_name(doc.candidate)} · {doc.stage_title}"


def _overview(b: Builder, doc: KitDoc) -> None:
    planned = sum(q.minutes for q in doc.questions)
    b.heading(
        f"<h1>Interview kit</h1><p class='big'>{escape(doc.candidate)}</p>"
        f"<p class='muted'>{escape(doc.opening)} · Stage {doc.stage_position} of {doc.stage_count}: "
        f"{escape(doc.stage)}</p>",
        space_before=0,
    )
    key_values(
        b,
        [
            ("Candidate", escape(doc.candidate)),
            ("Role", escape(doc.opening)),
            ("Stage", f"{doc.stage_position} of {doc.stage_count}: {escape(doc.stage)}"),
            ("Interviewer", f"<b>{escape(doc.interviewer)}</b>" if doc.interviewer else "<i>not assigned</i>"),
            ("Scheduled", escape(format_datetime(doc.scheduled_at)) or "<i>not scheduled</i>"),
            ("Length", _length(doc, planned)),
        ],
    )
    if planned > doc.minutes:
        b.box(
            f"<p><span class='alert'>{WARNING} Over time:</span> the questions need {planned} minutes; the stage "
            f"has {doc.minutes}. Choose which to skip before the interview.</p>",
            ALERT_BOX,
        )


def _length(doc: KitDoc, planned: int) -> str:
    if doc.is_screen:
        return f"{doc.minutes} min · recruiter's screen, {len(doc.checklist)} checklist items"
    return f"{doc.minutes} min · {len(doc.questions)} questions, {planned} min planned"


def _checklist(b: Builder, doc: KitDoc) -> None:
    """A screen's checklist: each item, what to ask, the answers to tick and a line for the note."""
    b.heading(
        "<h2>Checklist</h2><p class='small muted'>Ask each item on the call; tick one answer and note what was "
        "said. Record the answers in InterviewKit afterwards.</p>",
        space_before=0,
    )
    if not doc.checklist:
        b.para("<p class='muted'>This screen checks nothing yet: a coordinator sets its checklist in Loops.</p>")
        return
    ticks = "<p class='small'>☐&nbsp;Yes<br>☐&nbsp;No<br>☐&nbsp;Unclear</p>"
    b.table(
        [6, 74, 20],
        [
            "<p class='small'><b>#</b></p>",
            "<p class='small'><b>What the screen checks · what to ask</b></p>",
            "<p class='small'><b>Answer</b></p>",
        ],
        [[f"<p>{n}</p>", _check_cell(item), ticks] for n, item in enumerate(doc.checklist, start=1)],
    )
    b.heading("<p class='label'>NOTES</p>", space_before=1.0 * MM, gap=0)
    b.add(RuledLines(b.width, lines=6, fill=True))


def _check_cell(item: KitCheckDoc) -> str:
    ask = f"<p class='small muted'>Ask: {escape(item.ask)}</p>" if item.ask else ""
    return f"<p><b>{escape(item.text)}</b></p>{ask}<p class='small muted'>Note: ____________________</p>"


def _plan(b: Builder, doc: KitDoc) -> None:
    b.heading("<h2>Plan</h2>", space_before=0)
    rows, start = [], 0
    for q in doc.questions:
        rows.append(
            [
                f"<p>{q.number}</p>",
                f"<p><b>{escape(q.title)}</b></p>",
                f"<p class='small'>{escape(', '.join(q.competencies))}</p>",
                f"<p class='small'>{q.minutes} min<br><span class='muted'>from {start}′</span></p>",
            ]
        )
        start += q.minutes
    if rows:
        b.table(
            [6, 48, 31, 15],
            [
                "<p class='small'><b>#</b></p>",
                "<p class='small'><b>Question</b></p>",
                "<p class='small'><b>Competencies</b></p>",
                "<p class='small'><b>Time</b></p>",
            ],
            rows,
        )
    else:
        b.para("<p class='muted'>No question is planned for this stage yet.</p>")

    b.heading(
        "<h2>Focus competencies</h2><p class='small muted'>Rate each of these at the end of the interview.</p>",
        space_before=0,
    )
    for f in doc.focus:
        strong = f"<p class='small'><b>Strong evidence:</b> {plain(f.strong_evidence)}</p>" if f.strong_evidence else ""
        b.box(
            f"<p><b>{escape(f.name)}</b></p><p class='small'>{plain(f.description)}</p>{strong}",
            NOTE_BOX,
            splittable=False,
        )
    if not doc.focus:
        b.para("<p class='muted'>No focus competency is set for this stage.</p>")
    b.para(f"<p class='small muted'>Rating scale: {scale_legend(doc.scale)}.</p>")


def _question(b: Builder, doc: KitDoc, q: KitQuestionDoc) -> None:
    """One question on its own page, with ruled lines for notes to the bottom of the page."""
    labels = dict(doc.scale)
    b.add(PageBreak())
    b.add(Section(f"Q{q.number} of {len(doc.questions)}"))
    b.heading(
        f"<p class='label'>QUESTION {q.number} OF {len(doc.questions)} · {q.minutes} MIN · "
        f"{escape(q.kind.replace('-', ' ').upper())}</p><h2>{escape(q.title)}</h2>"
        f"<p class='small muted'>Assesses {escape(', '.join(q.competencies))}</p>",
        space_before=0,
    )
    b.box(f"<p class='label'>READ OUT</p>{markdown(q.prompt)}", NOTE_BOX)
    if q.follow_ups:
        items = "".join(f"<li>{escape(p)}</li>" for p in q.follow_ups)
        b.heading("<h3>Follow-up probes</h3>", space_before=0, gap=0.5 * MM)
        b.para(f"<ul>{items}</ul>")
    if q.rubric:
        b.heading("<h3>Rubric</h3>", space_before=0, gap=0.5 * MM)
        rows = [
            [
                f"<p><b>{level}</b></p>",
                f"<p class='small'>{escape(labels.get(level, ''))}</p>",
                f"<p class='small'>{plain(anchor)}</p>",
            ]
            for level, anchor in q.rubric
        ]
        b.table(
            [9, 19, 72],
            [
                "<p class='small'><b>Level</b></p>",
                "<p class='small'><b>Label</b></p>",
                "<p class='small'><b>What the answer shows</b></p>",
            ],
            rows,
        )
    if q.red_flags:
        items = "".join(f"<li>{escape(f)}</li>" for f in q.red_flags)
        b.box(f"<p class='alert'>⚑ Red flags</p><ul>{items}</ul>", ALERT_BOX, splittable=False)
    b.heading("<p class='label'>NOTES</p>", space_before=1.0 * MM, gap=0)
    b.add(RuledLines(b.width, lines=6, fill=True))


def _ratings_page(b: Builder, doc: KitDoc) -> None:
    """The last page: ratings to circle, the recommendation and the summary, by hand."""
    b.add(PageBreak())
    b.add(Section("Ratings"))
    b.heading(
        "<h2>Ratings</h2><p class='small muted'>Circle one level per competency, or n/a with a reason; note "
        "the evidence.</p>",
        space_before=0,
    )
    levels = CIRCLE_GAP.join(f"○&nbsp;{level}" for level, _ in doc.scale) + f"{CIRCLE_GAP}○&nbsp;n/a"
    for f in doc.focus:
        inner = b.width / 2
        b.add(
            Block(
                [
                    Cell(b.ctx.document(f"<p><b>{escape(f.name)}</b></p>", inner - 6), 0.0, inner - 6),
                    Cell(b.ctx.document(f"<p align='right'>{levels}</p>", inner), inner, inner),
                ],
                BlockStyle(padding=0.0, gap_after=0.0),
                keep_with_next=True,
            )
        )
        b.lines(2)
        b.add(Spacer(2.0 * MM))
    if doc.recommendations:
        boxes = CIRCLE_GAP.join(f"☐&nbsp;{escape(r)}" for r in doc.recommendations)
        b.heading(f"<h3>Overall recommendation</h3><p>{boxes}</p>", space_before=3.0 * MM, gap=0)
    b.heading("<h3>Summary</h3>", space_before=2.0 * MM, gap=0)
    b.add(RuledLines(b.width, lines=4, fill=True))


def kit_pdf(doc: KitDoc, options: PdfOptions, *, generated_at: datetime | None = None) -> RenderResult:
    """Print the interview kit of a stage: plan, focus, each question on its own page with lines for notes."""
    ensure_gui_application()
    if options.hide_names and doc.interviewer:
        doc = masked_kit(doc, NameMasker([*doc.panel, doc.interviewer], keep=[doc.candidate]))

    def build(ctx: LayoutContext) -> list[Flowable]:
        b = Builder(ctx)
        _overview(b, doc)
        if doc.is_screen:  # no questions, no competency to rate: the checklist is the kit
            _checklist(b, doc)
            return b.items
        _plan(b, doc)
        for q in doc.questions:
            _question(b, doc, q)
        _ratings_page(b, doc)
        return b.items

    return render_pdf(build, subject=kit_subject(doc), page_size=options.page_size, generated_at=generated_at)
