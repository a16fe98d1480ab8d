"""The PDF documents: a scorecard, a candidate's debrief packet, a stage's interview kit, and the
calibration report (with forest plots drawn by :class:`IntervalPlot`).

Each is read on paper in a meeting room, so the layout favours that: generous margins, one clear
hierarchy of headings, tables whose rows never split across pages (a header row repeats on the next
page), the subject in every page's header and "Confidential" with "Page X of Y" in its footer.
Colour is never the only signal: a disagreement or an unassessed requirement has a symbol and words.

The content comes in as plain values (:mod:`interviewkit.export.model`) filled by the services; this
module only lays them out (:mod:`interviewkit.export.layout`). Qt needs a QGuiApplication to print:
:func:`ensure_gui_application` makes one when the caller (the CLI, a script) has none.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtGui import QGuiApplication

from interviewkit.domain.markup import escape, markdown_to_html
from interviewkit.export.layout import (
    MM,
    Block,
    BlockStyle,
    Cell,
    Flowable,
    LayoutContext,
    PageBreak,
    RenderResult,
    RuledLines,
    Section,
    Spacer,
    render_pdf,
)
from interviewkit.export.model import (
    NOT_ASSESSED,
    CalibrationDoc,
    DebriefDoc,
    DecisionDoc,
    DistributionDoc,
    IntervalRow,
    KitDoc,
    NameMasker,
    PdfOptions,
    ScorecardDoc,
    format_datetime,
    masked_calibration,
    masked_debrief,
    masked_kit,
    masked_scorecard,
    short_name,
)

__all__ = [
    "RenderResult",
    "calibration_pdf",
    "calibration_subject",
    "debrief_pdf",
    "debrief_subject",
    "ensure_gui_application",
    "kit_pdf",
    "kit_subject",
    "scorecard_pdf",
    "scorecard_subject",
]

_app: QGuiApplication | None = None


def ensure_gui_application() -> None:
    """Create a Qt application if the process has none (offscreen when there is no display).

    A QApplication, not only a QGuiApplication: a process that later shows a widget (a test session, a
    script that goes on to open a window) could not get one once a bare QGuiApplication exists.
    """
    global _app
    if QGuiApplication.instance() is not None:
        return
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    _app = QApplication(["interviewkit"])


# --- styles ------------------------------------------------------------------------------------------

GAP = 3.2 * MM  # between blocks
TABLE_PAD = 5.0
HEADER_ROW = BlockStyle(padding=TABLE_PAD, background="#e8eef5", rule_below="#1f4e79", rule_width=0.9)
BODY_ROW = BlockStyle(padding=TABLE_PAD, rule_below="#cfcfcf")
ALERT_ROW = BlockStyle(padding=TABLE_PAD, rule_below="#cfcfcf", background="#fff1d1")
MISSING_ROW = BlockStyle(padding=TABLE_PAD, rule_below="#cfcfcf", background="#fbe4e4")
PLAIN_ROW = BlockStyle(padding=2.0, padding_x=0.0)
GRID_HEADER = BlockStyle(padding=TABLE_PAD, padding_x=2.5, background="#e8eef5", rule_below="#1f4e79", rule_width=0.9)
GRID_ROW = BlockStyle(padding=TABLE_PAD, padding_x=2.5, rule_below="#cfcfcf")
GRID_ALERT = BlockStyle(padding=TABLE_PAD, padding_x=2.5, rule_below="#cfcfcf", background="#fff1d1")
ALERT_BOX = BlockStyle(padding=7.0, padding_x=10.0, background="#fff1d1", left_bar="#b86e00", gap_after=GAP)
NOTE_BOX = BlockStyle(padding=7.0, padding_x=10.0, background="#f2f4f7", left_bar="#8796a8", gap_after=GAP)
QUOTE_BOX = BlockStyle(padding=5.0, padding_x=10.0, left_bar="#b8c2cf", gap_after=2.0 * MM)

WARNING = "⚠"  # with words next to it, never alone
MISSING = "✗"


_HEADING = re.compile(r"<(/?)h[1-6]>")


def _md(text: str) -> str:
    """Markdown from people (notes, prompts) as sanitised HTML, its headings demoted below ours."""
    return _HEADING.sub(r"<\1h4>", markdown_to_html(text)) if text.strip() else ""


def _first_paragraph(text: str) -> str:
    return text.strip().split("\n\n", 1)[0]


def _plain(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes else "under a minute"


class Builder:
    """Turns HTML snippets into flowables for one page width: paragraphs, headings, boxes and tables."""

    def __init__(self, ctx: LayoutContext) -> None:
        self.ctx = ctx
        self.items: list[Flowable] = []

    @property
    def width(self) -> float:
        return self.ctx.width

    def add(self, item: Flowable) -> None:
        self.items.append(item)

    def block(self, html: str, style: BlockStyle | None = None, *, splittable: bool = True,
              keep_with_next: bool = False) -> Block:
        style = style or BlockStyle(gap_after=GAP)
        inner = self.width - 2 * style.pad_x
        block = Block([Cell(self.ctx.document(html, inner), 0.0, inner)], style, splittable=splittable,
                      keep_with_next=keep_with_next)
        self.add(block)
        return block

    def para(self, html: str, *, gap: float = GAP, keep_with_next: bool = False) -> Block:
        return self.block(html, BlockStyle(gap_after=gap), keep_with_next=keep_with_next)

    def heading(self, html: str, *, gap: float = 1.5 * MM, space_before: float = 2.0 * MM) -> Block:
        if space_before:
            self.add(Spacer(space_before))
        return self.block(html, BlockStyle(gap_after=gap), splittable=False, keep_with_next=True)

    def box(self, html: str, style: BlockStyle, *, splittable: bool = True) -> Block:
        return self.block(html, style, splittable=splittable)

    def table(
        self,
        widths: Sequence[float],
        header: Sequence[str] | None,
        rows: Sequence[Sequence[str]],
        *,
        styles: Sequence[BlockStyle] | None = None,
        header_style: BlockStyle = HEADER_ROW,
        gap_after: float = GAP,
        column_rules: str | None = None,
    ) -> None:
        """A table as one block per row; rows never split (unless one is taller than a page)."""
        total = sum(widths)
        outer = [self.width * w / total for w in widths]

        def row(cells: Sequence[str], style: BlockStyle, head: Block | None, *, last: bool) -> Block:
            if column_rules:
                style = BlockStyle(**{**style.__dict__, "column_rules": column_rules})
            if last and gap_after:
                style = BlockStyle(**{**style.__dict__, "gap_after": gap_after})
            x = 0.0
            out = []
            for html, w in zip(cells, outer):
                inner = w - 2 * style.pad_x
                out.append(Cell(self.ctx.document(html, inner), x, inner))
                x += w
            return Block(out, style, header=head)

        head = None
        if header is not None:
            head = row(header, header_style, None, last=not rows)
            head.keep_with_next = bool(rows)
            head.header = head
            self.add(head)
        for i, cells in enumerate(rows):
            style = styles[i] if styles is not None else BODY_ROW
            self.add(row(cells, style, head, last=i == len(rows) - 1))

    def lines(self, count: int, *, fill: bool = False) -> None:
        self.add(RuledLines(self.width, lines=count, fill=fill))


def _key_values(b: Builder, pairs: Sequence[tuple[str, str]]) -> None:
    """Facts as a compact two-by-two grid of label and value (plain HTML values)."""
    rows = []
    for i in range(0, len(pairs), 2):
        chunk = list(pairs[i:i + 2])
        if len(chunk) == 1:
            chunk.append(("", ""))
        rows.append([cell for label, value in chunk for cell in (f"<span class='label'>{escape(label)}</span>", value)])
    b.table([15, 35, 15, 35], None, rows, styles=[PLAIN_ROW] * len(rows), gap_after=GAP)


def _scale_legend(scale: Sequence[tuple[int, str]]) -> str:
    return " · ".join(f"<b>{level}</b> {escape(label)}" for level, label in scale)


# --- scorecard ---------------------------------------------------------------------------------------


def scorecard_subject(doc: ScorecardDoc) -> str:
    return f"Scorecard · {short_name(doc.candidate)} · {doc.stage_title}"


def _scorecard(b: Builder, doc: ScorecardDoc, *, title: str, h: int = 1) -> None:
    """A scorecard's flowables; ``h`` is the heading level of its title (2 inside a debrief packet)."""
    sub = h + 1
    b.heading(f"<h{h}>{escape(title)}</h{h}>"
              f"<p class='big'>{escape(doc.candidate)}</p>"
              f"<p class='muted'>{escape(doc.opening)} · Stage {doc.stage_position} of {doc.stage_count}: "
              f"{escape(doc.stage)}</p>", space_before=0)
    status = (f"Submitted {escape(format_datetime(doc.submitted_at))}" if doc.status == "submitted"
              else f"<span class='alert'>{WARNING} Draft, not submitted</span>")
    _key_values(b, [
        ("Candidate", escape(doc.candidate)),
        ("Role", escape(doc.opening)),
        ("Stage", f"{doc.stage_position} of {doc.stage_count}: {escape(doc.stage)}"),
        ("Interviewer", f"<b>{escape(doc.interviewer)}</b>"),
        ("Interviewed", escape(format_datetime(doc.started_at))),
        ("Status", status),
    ])
    if doc.status != "submitted":
        b.box(f"<p><span class='alert'>{WARNING} Draft.</span> This scorecard has not been submitted: its ratings, "
              "notes and recommendation may still change.</p>", ALERT_BOX)

    # Overall recommendation first: it is what the panel reads first.
    b.heading(f"<h{sub}>Overall recommendation</h{sub}>")
    if doc.recommendation:
        scale = " · ".join(f"<b>{escape(r)}</b>" if r == doc.recommendation else escape(r) for r in doc.recommendations)
        rec = f"<p class='big'>{escape(doc.recommendation)}</p>" + (f"<p class='small muted'>On the scale {scale}</p>" if scale else "")
    else:
        rec = "<p class='missing'>No recommendation given yet.</p>"
    summary = _md(doc.summary) or "<p class='muted'><i>No summary written.</i></p>"
    b.box(rec + "<p class='label'>SUMMARY</p>" + summary, NOTE_BOX)

    # Ratings at a glance (rows never split), then what the rubric says at each level given.
    b.heading(f"<h{sub}>Ratings</h{sub}><p class='small muted'>Scale: {_scale_legend(doc.scale)}</p>")
    rows = []
    for r in doc.ratings:
        if r.not_assessed:
            rating = f"<p class='missing'>— n/a</p><p class='small'>Not assessed: {_plain(r.reason)}</p>"
        elif r.score is not None:
            rating = f"<p><span class='big'>{r.score}</span>&nbsp; <span class='small'>{escape(r.label)}</span></p>"
        else:
            rating = "<p class='missing'>No rating yet</p>"
        evidence = f"<div class='small'>{_md(r.evidence)}</div>" if r.evidence.strip() else "<p class='small muted'>—</p>"
        rows.append([f"<p><b>{escape(r.competency)}</b></p>", rating, evidence])
    if rows:
        b.table([27, 22, 51], ["<p class='small'><b>Competency</b></p>", "<p class='small'><b>Rating</b></p>",
                               "<p class='small'><b>Evidence noted</b></p>"], rows)
    else:
        b.para("<p class='muted'>No competency is rated in this stage.</p>")
    rated = [r for r in doc.ratings if r.score is not None and not r.not_assessed]
    if rated:
        b.heading(f"<h{sub}>The rubric at the levels given</h{sub}><p class='small muted'>For each competency, the "
                  "anchor of the level given, from each question in this interview that assesses it.</p>")
    for r in rated:
        b.add(Block([Cell(b.ctx.document(f"<p><b>{escape(r.competency)}</b></p>", b.width * 0.62 - 12), 0.0, b.width * 0.62 - 12),
                     Cell(b.ctx.document(f"<p align='right'><b>{r.score}</b> · {escape(r.label)}</p>", b.width * 0.38 - 12),
                          b.width * 0.62, b.width * 0.38 - 12)],
                    BlockStyle(padding=3.0, padding_x=6.0, background="#eef1f5", gap_after=1.0 * MM), keep_with_next=True))
        if r.anchors:
            anchors = "".join(
                f"<p><b>Q{a.question_number} · {escape(a.question_title)}</b><br>"
                f"{_plain(a.text) or '<i>This question has no anchor for that level.</i>'}</p>" for a in r.anchors
            )
        else:
            anchors = "<p class='muted'><i>No question in this interview lists this competency.</i></p>"
        b.box(f"<div class='small'>{anchors}</div>", QUOTE_BOX)

    # Every question with its notes; long notes flow onto the next page.
    b.heading(f"<h{sub}>Questions and notes</h{sub}>")
    if not doc.questions:
        b.para("<p class='muted'>No question was asked.</p>")
    for q in doc.questions:
        facts = [escape(q.kind.replace("-", " ").capitalize()), f"{q.minutes} min planned"]
        if q.seconds_spent > 0:
            facts.append(f"{_minutes(q.seconds_spent)} spent")
        if q.competencies:
            facts.append("Assesses " + escape(", ".join(q.competencies)))
        if not q.planned:
            facts.append("<b>added during the interview</b>")
        b.heading(f"<h{sub + 1}>Q{q.number} · {escape(q.title)}</h{sub + 1}>"
                  f"<p class='small muted'>{' · '.join(facts)}</p>", gap=1.0 * MM, space_before=1.5 * MM)
        if q.prompt.strip():
            b.box(f"<div class='small muted'>{_md(_first_paragraph(q.prompt))}</div>", QUOTE_BOX)
        notes = _md(q.notes)
        b.para("<p class='label'>NOTES</p>" + (notes or "<p class='muted'><i>No notes taken.</i></p>"))


def scorecard_pdf(doc: ScorecardDoc, options: PdfOptions, *, generated_at: datetime | None = None) -> RenderResult:
    """Print one scorecard."""
    ensure_gui_application()
    if options.hide_names:
        doc = masked_scorecard(doc, NameMasker([*doc.panel, doc.interviewer], keep=[doc.candidate]))

    def build(ctx: LayoutContext) -> list[Flowable]:
        b = Builder(ctx)
        _scorecard(b, doc, title="Scorecard")
        return b.items

    return render_pdf(build, subject=scorecard_subject(doc), page_size=options.page_size, generated_at=generated_at)


# --- debrief packet ----------------------------------------------------------------------------------


def debrief_subject(doc: DebriefDoc) -> str:
    return f"Debrief packet · {short_name(doc.candidate)} · {doc.opening}"


def _cell(value: int | str | None) -> str:
    if isinstance(value, int):
        return f"<p align='center'><b>{value}</b></p>"
    if value == NOT_ASSESSED:
        return "<p align='center' class='small muted'>n/a</p>"
    return "<p align='center' class='muted'>·</p>"


def _grid(b: Builder, doc: DebriefDoc, *, masked: bool) -> None:
    cols = doc.columns

    def who(name: str) -> str:
        return name if masked else short_name(name)

    header = ["<p class='small'><b>Competency</b></p>"] + [
        f"<p align='center' class='small'><b>{escape(who(c.interviewer))}</b></p>"
        f"<p align='center' class='tiny muted'>Stage {c.stage_position}</p>" for c in cols
    ] + ["<p align='center' class='small'><b>Mean</b></p>", "<p align='center' class='small'><b>Spread</b></p>"]
    rows, styles = [], []
    for r in doc.rows:
        mean = r.mean
        label = escape(r.competency)
        if r.disagreement:
            label = f"<b>{WARNING} {label}</b>"
            spread = f"<p align='center' class='small alert'>{WARNING} {r.spread}<br>disagree</p>"
        else:
            spread = f"<p align='center' class='small'>{r.spread if r.spread is not None else '—'}</p>"
        rows.append([f"<p class='small'>{label}</p>"] + [_cell(v) for v in r.cells] +
                    [f"<p align='center' class='small'>{f'{mean:.1f}' if mean is not None else '—'}</p>", spread])
        styles.append(GRID_ALERT if r.disagreement else GRID_ROW)
    recs = [
        f"<p align='center' class='small'><b>{escape(c.recommendation)}</b></p>" if c.recommendation
        else "<p align='center' class='small muted'>none</p>" for c in cols
    ]
    if doc.split_recommendation:
        overall = f"<p class='small'><b>{WARNING} Overall</b><br><span class='alert'>split: yes and no</span></p>"
        split = f"<p align='center' class='small alert'>{WARNING} split</p>"
    else:
        overall, split = "<p class='small'><b>Overall</b></p>", "<p align='center' class='small'>agree</p>"
    rows.append([overall] + recs + ["", split])
    styles.append(GRID_ALERT if doc.split_recommendation else GRID_ROW)
    n = len(cols)
    widths = [23.0] + [max(59.0 / max(n, 1), 6.0)] * n + [7.5, 10.5]
    b.table(widths, header, rows, styles=styles, header_style=GRID_HEADER, column_rules="#dddddd", gap_after=1.5 * MM)
    panel = " · ".join(f"Stage {c.stage_position}, {escape(c.stage)}: <b>{escape(c.interviewer)}</b>" for c in cols)
    b.para(f"<p class='tiny muted'>Panel: {panel}.</p>"
           f"<p class='tiny muted'>{WARNING} = ratings 2 or more points apart (spread ≥ 2), or recommendations on both "
           f"sides of the scale. n/a = not assessed (reason in the scorecard); · = not rated in that stage. "
           f"Scale: {_scale_legend(doc.scale)}.</p>")


def _disagreements(b: Builder, doc: DebriefDoc) -> None:
    b.heading("<h2>Disagreements</h2>")
    found = False
    for r in doc.rows:
        if not r.disagreement:
            continue
        found = True
        rated = [(v, c) for v, c in zip(r.cells, doc.columns) if isinstance(v, int)]
        low = min(v for v, _ in rated)
        high = max(v for v, _ in rated)
        who_low = ", ".join(f"{escape(c.interviewer)} (S{c.stage_position})" for v, c in rated if v == low)
        who_high = ", ".join(f"{escape(c.interviewer)} (S{c.stage_position})" for v, c in rated if v == high)
        b.box(f"<p><span class='alert'>{WARNING} Ratings disagree</span> on <b>{escape(r.competency)}</b>: "
              f"from {low} by {who_low} to {high} by {who_high} (spread {r.spread}).</p>", ALERT_BOX, splittable=False)
    if doc.split_recommendation:
        found = True
        yes = ", ".join(f"{escape(c.interviewer)}: {escape(c.recommendation or '')}" for c in doc.columns if c.says_yes)
        no = ", ".join(f"{escape(c.interviewer)}: {escape(c.recommendation or '')}" for c in doc.columns if c.says_yes is False)
        b.box(f"<p><span class='alert'>{WARNING} Split recommendation</span>: the panel is on both sides.</p>"
              f"<p>For: {yes}</p><p>Against: {no}</p>", ALERT_BOX, splittable=False)
    if not found:
        b.para("<p>No competency has ratings 2 or more points apart, and the recommendations agree.</p>")


def _decision_text(d: DecisionDoc) -> str:
    who = escape(d.decided_by)
    participants = ", ".join(escape(p) for p in d.participants) or "—"
    return f"<p class='small muted'>Decided by {who} on {escape(format_datetime(d.decided_at))} · Participants: {participants}</p>"


def _decision(b: Builder, doc: DebriefDoc) -> None:
    b.heading("<h2>Decision</h2>")
    if doc.decision is None:
        b.para("<p>No decision recorded yet. The panel's decision and its rationale:</p>", gap=0)
        b.lines(4)
        b.add(Spacer(GAP))
    else:
        d = doc.decision
        reopened = (f"<p class='small'><b>Reopened:</b> {_plain(d.reopen_reason)}</p>" if d.reopen_reason else "")
        b.box(f"<p class='label'>DECISION</p><p class='big'>{escape(d.outcome)}</p>"
              f"<p class='label'>RATIONALE</p>{_md(d.rationale)}{reopened}{_decision_text(d)}", NOTE_BOX,
              splittable=False)
    earlier = [d for d in doc.history if d.superseded]
    if earlier:
        b.heading("<h3>History</h3>", space_before=0)
        rows = [[f"<p class='small'>{escape(format_datetime(d.decided_at))}</p>",
                 (f"<p class='small'><b>{escape(d.outcome)}</b><br><span class='muted'>"
                  f"{'superseded' if d.superseded else 'in force'}</span></p>"),
                 f"<p class='small'>{escape(d.decided_by)}</p>",
                 f"<div class='small'>{_md(d.rationale)}</div>"] for d in doc.history]
        b.table([20, 17, 20, 43], ["<p class='small'><b>When</b></p>", "<p class='small'><b>Outcome</b></p>",
                                   "<p class='small'><b>By</b></p>", "<p class='small'><b>Rationale</b></p>"], rows)


def _coverage(b: Builder, doc: DebriefDoc) -> None:
    missing = [c for c in doc.coverage if not c.assessed]
    assessed = [c for c in doc.coverage if c.assessed]
    if missing:
        summary = (f"{len(assessed)} of {len(doc.coverage)} requirements assessed; <span class='missing'>{MISSING} "
                   f"{len(missing)} not assessed by anyone</span>, listed first.")
    else:
        summary = f"All {len(doc.coverage)} requirements were assessed by at least one interviewer."
    b.heading(f"<h2>Requirement coverage</h2><p>{summary}</p>")
    if not doc.coverage:
        b.para("<p class='muted'>The opening has no job description, so there are no requirements to cover.</p>")
        return

    def requirement(c) -> str:  # type: ignore[no-untyped-def]
        return (f"<p class='small'>{escape(c.text)}</p>"
                f"<p class='tiny muted'>{escape(c.section)} · {escape(c.requirement_id)}</p>")

    rows, styles = [], []
    for c in missing:
        rows.append([requirement(c), f"<p class='missing'>{MISSING} Not assessed by anyone</p>"])
        styles.append(MISSING_ROW)
    for c in assessed:
        lines = "".join(
            f"<p class='small'><b>{escape(who)}</b> · {escape(stage)} · {escape(question)}"
            + (f" — {escape(ratings)}" if ratings else "") + "</p>"
            for who, stage, question, ratings in c.assessed_by
        )
        rows.append([requirement(c), lines])
        styles.append(BODY_ROW)
    b.table([42, 58], ["<p class='small'><b>Requirement</b></p>",
                       "<p class='small'><b>Assessed by · stage · question — ratings</b></p>"], rows, styles=styles)


def debrief_pdf(doc: DebriefDoc, options: PdfOptions, *, generated_at: datetime | None = None) -> RenderResult:
    """Print a candidate's debrief packet: grid, disagreements, decision, coverage, then every scorecard."""
    ensure_gui_application()
    if options.hide_names:
        others = [p for d in (*doc.history, *([doc.decision] if doc.decision else [])) for p in (d.decided_by, *d.participants)]
        masker = NameMasker([*doc.panel, *(c.interviewer for c in doc.columns), *(s.interviewer for s in doc.scorecards)],
                            [*others, doc.viewer], keep=[doc.candidate])
        doc = masked_debrief(doc, masker)

    def build(ctx: LayoutContext) -> list[Flowable]:
        b = Builder(ctx)
        b.add(Section("Overview"))
        prepared = f" · prepared for {escape(doc.viewer)}" if doc.viewer else ""
        b.heading(f"<h1>Debrief packet</h1><p class='big'>{escape(doc.candidate)}</p>"
                  f"<p class='muted'>{escape(doc.opening)} · {doc.submitted_count} of {doc.stage_count} scorecards "
                  f"submitted{prepared}</p>", space_before=0)
        if doc.hidden_count:
            b.box(f"<p><span class='alert'>{WARNING} {doc.hidden_count} submitted scorecard"
                  f"{'s are' if doc.hidden_count != 1 else ' is'} not in this packet.</span> "
                  f"{escape(doc.why_hidden)}</p>", ALERT_BOX)
        b.heading("<h2>Ratings by competency and interviewer</h2>", space_before=0)
        if doc.columns:
            _grid(b, doc, masked=options.hide_names)
        else:
            b.para("<p class='muted'>No scorecard is visible to you yet.</p>")
        _disagreements(b, doc)
        _decision(b, doc)
        b.add(PageBreak())
        b.add(Section("Requirement coverage"))
        _coverage(b, doc)
        for i, card in enumerate(doc.scorecards, start=1):
            b.add(PageBreak())
            b.add(Section(f"Scorecard {i} of {len(doc.scorecards)}: {card.stage_title}"))
            _scorecard(b, card, title=f"Scorecard {i} of {len(doc.scorecards)}", h=2)
        return b.items

    return render_pdf(build, subject=debrief_subject(doc), page_size=options.page_size, generated_at=generated_at)


# --- interview kit -----------------------------------------------------------------------------------


def kit_subject(doc: KitDoc) -> str:
    return f"Interview kit · {short_name(doc.candidate)} · {doc.stage_title}"


def _kit(b: Builder, doc: KitDoc) -> None:
    planned = sum(q.minutes for q in doc.questions)
    b.heading(f"<h1>Interview kit</h1><p class='big'>{escape(doc.candidate)}</p>"
              f"<p class='muted'>{escape(doc.opening)} · Stage {doc.stage_position} of {doc.stage_count}: "
              f"{escape(doc.stage)}</p>", space_before=0)
    _key_values(b, [
        ("Candidate", escape(doc.candidate)),
        ("Role", escape(doc.opening)),
        ("Stage", f"{doc.stage_position} of {doc.stage_count}: {escape(doc.stage)}"),
        ("Interviewer", f"<b>{escape(doc.interviewer)}</b>" if doc.interviewer else "<i>not assigned</i>"),
        ("Scheduled", escape(format_datetime(doc.scheduled_at)) or "<i>not scheduled</i>"),
        ("Length", f"{doc.minutes} min · {len(doc.questions)} questions, {planned} min planned"),
    ])
    if planned > doc.minutes:
        b.box(f"<p><span class='alert'>{WARNING} Over time:</span> the questions need {planned} minutes; the stage "
              f"has {doc.minutes}. Choose which to skip before the interview.</p>", ALERT_BOX)

    b.heading("<h2>Plan</h2>", space_before=0)
    rows, start = [], 0
    for q in doc.questions:
        rows.append([f"<p>{q.number}</p>", f"<p><b>{escape(q.title)}</b></p>",
                     f"<p class='small'>{escape(', '.join(q.competencies))}</p>",
                     f"<p class='small'>{q.minutes} min<br><span class='muted'>from {start}′</span></p>"])
        start += q.minutes
    if rows:
        b.table([6, 48, 31, 15], ["<p class='small'><b>#</b></p>", "<p class='small'><b>Question</b></p>",
                                  "<p class='small'><b>Competencies</b></p>", "<p class='small'><b>Time</b></p>"], rows)
    else:
        b.para("<p class='muted'>No question is planned for this stage yet.</p>")

    b.heading("<h2>Focus competencies</h2><p class='small muted'>Rate each of these at the end of the interview.</p>",
              space_before=0)
    for f in doc.focus:
        strong = f"<p class='small'><b>Strong evidence:</b> {_plain(f.strong_evidence)}</p>" if f.strong_evidence else ""
        b.box(f"<p><b>{escape(f.name)}</b></p><p class='small'>{_plain(f.description)}</p>{strong}", NOTE_BOX,
              splittable=False)
    if not doc.focus:
        b.para("<p class='muted'>No focus competency is set for this stage.</p>")
    b.para(f"<p class='small muted'>Rating scale: {_scale_legend(doc.scale)}.</p>")

    labels = dict(doc.scale)
    for q in doc.questions:
        b.add(PageBreak())
        b.add(Section(f"Q{q.number} of {len(doc.questions)}"))
        b.heading(f"<p class='label'>QUESTION {q.number} OF {len(doc.questions)} · {q.minutes} MIN · "
                  f"{escape(q.kind.replace('-', ' ').upper())}</p><h2>{escape(q.title)}</h2>"
                  f"<p class='small muted'>Assesses {escape(', '.join(q.competencies))}</p>", space_before=0)
        b.box(f"<p class='label'>READ OUT</p>{_md(q.prompt)}", NOTE_BOX)
        if q.follow_ups:
            items = "".join(f"<li>{escape(p)}</li>" for p in q.follow_ups)
            b.heading("<h3>Follow-up probes</h3>", space_before=0, gap=0.5 * MM)
            b.para(f"<ul>{items}</ul>")
        if q.rubric:
            b.heading("<h3>Rubric</h3>", space_before=0, gap=0.5 * MM)
            rows = [[f"<p><b>{level}</b></p>", f"<p class='small'>{escape(labels.get(level, ''))}</p>",
                     f"<p class='small'>{_plain(anchor)}</p>"] for level, anchor in q.rubric]
            b.table([9, 19, 72], ["<p class='small'><b>Level</b></p>", "<p class='small'><b>Label</b></p>",
                                  "<p class='small'><b>What the answer shows</b></p>"], rows)
        if q.red_flags:
            items = "".join(f"<li>{escape(f)}</li>" for f in q.red_flags)
            b.box(f"<p class='alert'>⚑ Red flags</p><ul>{items}</ul>", ALERT_BOX, splittable=False)
        b.heading("<p class='label'>NOTES</p>", space_before=1.0 * MM, gap=0)
        b.add(RuledLines(b.width, lines=6, fill=True))

    # The last page: ratings to circle, the recommendation and the summary, by hand.
    b.add(PageBreak())
    b.add(Section("Ratings"))
    b.heading("<h2>Ratings</h2><p class='small muted'>Circle one level per competency, or n/a with a reason; note "
              "the evidence.</p>", space_before=0)
    gap = "&nbsp;" * 5
    levels = gap.join(f"○&nbsp;{level}" for level, _ in doc.scale) + f"{gap}○&nbsp;n/a"
    for f in doc.focus:
        inner = b.width / 2
        b.add(Block([Cell(b.ctx.document(f"<p><b>{escape(f.name)}</b></p>", inner - 6), 0.0, inner - 6),
                     Cell(b.ctx.document(f"<p align='right'>{levels}</p>", inner), inner, inner)],
                    BlockStyle(padding=0.0, gap_after=0.0), keep_with_next=True))
        b.lines(2)
        b.add(Spacer(2.0 * MM))
    if doc.recommendations:
        boxes = gap.join(f"☐&nbsp;{escape(r)}" for r in doc.recommendations)
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
        _kit(b, doc)
        return b.items

    return render_pdf(build, subject=kit_subject(doc), page_size=options.page_size, generated_at=generated_at)



# --- calibration report ------------------------------------------------------------------------------


class IntervalPlot(Flowable):
    """A forest plot on paper: one row per label with a point and its interval bar, a solid reference line
    and dotted guide lines, and a tick axis below. Flagged rows get a square marker and "⚠" before the
    label (never colour alone). Rows never split across pages: a long plot is cut into several plots."""

    ROW = 5.2 * MM
    AXIS = 9.0 * MM
    splittable = True

    def min_height(self) -> float:
        return self.ROW * min(len(self.rows), 3) + self.AXIS + 2 * MM

    def __init__(self, rows: Sequence[IntervalRow], width: float, *, lo: float, hi: float, reference: float | None,
                 guides: Sequence[float] = (), ticks: Sequence[float] = (), tick_format: str = "{:+.2f}",
                 colours: Sequence[str] | None = None) -> None:
        self.rows = list(rows)
        self.width = width
        self.lo, self.hi = lo, hi
        self.reference = reference
        self.guides = list(guides)
        self.ticks = list(ticks)
        self.tick_format = tick_format
        self.colours = list(colours) if colours is not None else None
        self.keep_with_next = False

    def height(self) -> float:
        return self.ROW * len(self.rows) + self.AXIS + 2 * MM

    def split(self, available: float, *, force: bool = False) -> tuple[Flowable, Flowable] | None:
        fits = int((available - self.AXIS - 2 * MM) // self.ROW)
        if fits < 1 or fits >= len(self.rows):
            return None
        cut = lambda rows, colours: IntervalPlot(  # noqa: E731
            rows, self.width, lo=self.lo, hi=self.hi, reference=self.reference, guides=self.guides, ticks=self.ticks,
            tick_format=self.tick_format, colours=colours)
        colours = self.colours
        return (cut(self.rows[:fits], colours[:fits] if colours else None),
                cut(self.rows[fits:], colours[fits:] if colours else None))

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        from PySide6.QtCore import QPointF, QRectF, Qt
        from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPen

        from interviewkit.export.layout import INK, MUTED, RULE, document_font

        painter.save()
        font = document_font(8.0)
        painter.setFont(font)
        metrics = QFontMetricsF(font, painter.device())
        label_w = self.width * 0.38
        left, right = x + label_w + 3 * MM, x + self.width - 3 * MM
        top, bottom = y, y + self.ROW * len(self.rows)

        def px(value: float) -> float:
            span = (self.hi - self.lo) or 1.0
            return left + (min(max(value, self.lo), self.hi) - self.lo) / span * (right - left)

        painter.setPen(QPen(RULE, 0.6, Qt.PenStyle.DotLine))
        for g in self.guides:
            painter.drawLine(QPointF(px(g), top), QPointF(px(g), bottom))
        if self.reference is not None:
            painter.setPen(QPen(INK, 0.9))
            painter.drawLine(QPointF(px(self.reference), top), QPointF(px(self.reference), bottom))
        for i, row in enumerate(self.rows):
            cy = top + (i + 0.5) * self.ROW
            colour = QColor(self.colours[i]) if self.colours else (QColor("#b42318") if row.flagged else QColor(ACCENT_PLOT))
            label = (f"{WARNING} " if row.flagged else "") + row.label + (f" ({row.note})" if row.note else "")
            painter.setPen(INK if row.point is not None else MUTED)
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w)
            painter.drawText(QRectF(x, cy - self.ROW / 2, label_w, self.ROW),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
            if row.point is None:
                painter.drawText(QRectF(left, cy - self.ROW / 2, right - left, self.ROW),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), "not estimable")
                continue
            if row.low is not None and row.high is not None:
                painter.setPen(QPen(colour, 1.6 if row.flagged else 1.1))
                painter.drawLine(QPointF(px(row.low), cy), QPointF(px(row.high), cy))
                for end in (row.low, row.high):
                    painter.drawLine(QPointF(px(end), cy - 1.2 * MM), QPointF(px(end), cy + 1.2 * MM))
            painter.setPen(QPen(QColor("#ffffff"), 0.5))
            painter.setBrush(QBrush(colour))
            r = 1.5 * MM
            if row.flagged:
                painter.drawRect(QRectF(px(row.point) - r, cy - r, 2 * r, 2 * r))
            else:
                painter.drawEllipse(QPointF(px(row.point), cy), r, r)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(MUTED, 0.6))
        painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        for t in self.ticks:
            painter.drawLine(QPointF(px(t), bottom), QPointF(px(t), bottom + 1.2 * MM))
            label = self.tick_format.format(t).replace("-", "−")
            w = metrics.horizontalAdvance(label) + 4
            painter.drawText(QRectF(px(t) - w / 2, bottom + 1.5 * MM, w, metrics.height() + 2),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), label)
        painter.restore()


ACCENT_PLOT = "#1f4e79"
BAND_COLOURS = {"poor": "#b42318", "moderate": "#9a5b00", "good": "#1a7f37", "excellent": "#1a7f37"}


def calibration_subject(doc: CalibrationDoc) -> str:
    return f"Calibration report · {doc.subject}"


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec).replace("-", "−")


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    return [lo + (hi - lo) * i / (count - 1) for i in range(count)]


def _calibration(b: Builder, doc: CalibrationDoc, *, masked: bool) -> None:
    b.heading(f"<h1>Calibration report</h1><p class='muted'>{escape(doc.subject[:1].upper() + doc.subject[1:])}</p>",
              space_before=0)
    if not doc.enough:
        b.box(f"<p><span class='alert'>{WARNING} Not enough data for calibration.</span> {escape(doc.why_not)}</p>",
              ALERT_BOX)
        return
    _key_values(b, [
        ("Ratings", str(doc.n_ratings)), ("Candidates", str(doc.n_candidates)),
        ("Interviewers", str(doc.n_interviewers)), ("Seen by 2 or more", f"{doc.shared_candidates} candidates"),
    ])
    # Leniency
    b.heading("<h2>Leniency</h2><p class='small'>Each interviewer's leniency: how many points above (+) or below (−) "
              "colleagues they score the same candidates, shrunk towards 0 where evidence is thin, with its 95% "
              f"interval. Dotted lines: ±{doc.margin:.2f}, the smallest difference worth a conversation (a fifth of "
              "the candidates' spread). "
              f"{WARNING} flagged: the whole interval lies beyond that margin and the interviewer rated at least "
              f"{doc.min_ratings} candidates.</p>")
    if not doc.connected:
        b.box(f"<p><span class='alert'>{WARNING} The interviewers fall into {doc.n_groups} groups that never met the "
              "same candidates.</span> Effects compare only within a group (in brackets after the name).</p>",
              ALERT_BOX, splittable=False)
    extent = max([abs(v) for r in doc.leniency for v in (r.low, r.high) if v is not None] + [doc.margin, 0.25]) * 1.1
    b.add(IntervalPlot(doc.leniency, b.width, lo=-extent, hi=extent, reference=0.0,
                       guides=(-doc.margin, doc.margin) if doc.margin else (), ticks=_ticks(-extent, extent)))
    b.add(Spacer(GAP))
    flagged = [r for r in doc.leniency if r.flagged]
    if flagged:
        b.para("<p><span class='alert'>" + WARNING + " Flagged:</span> " + ", ".join(
            f"<b>{escape(r.label)}</b> ({_fmt(r.point, '+.2f')}, 95% {_fmt(r.low, '+.2f')} to {_fmt(r.high, '+.2f')})"
            for r in flagged) + "</p>")
    else:
        b.para("<p>No interviewer is flagged.</p>")
    rows = [[f"<p class='small'>{(WARNING + ' ') if r.flagged else ''}{escape(r.label)}</p>",
             f"<p align='right' class='small'>{_fmt(r.point, '+.2f')}</p>",
             f"<p align='right' class='small'>{_fmt(r.low, '+.2f')} to {_fmt(r.high, '+.2f')}</p>",
             f"<p class='small'>{escape(', '.join(x for x in (r.note, r.detail) if x))}</p>"] for r in doc.leniency]
    b.table([40, 14, 24, 22], ["<p class='small'><b>Interviewer</b></p>", "<p align='right' class='small'><b>Effect</b></p>",
                               "<p align='right' class='small'><b>95% interval</b></p>", "<p class='small'><b>Note</b></p>"],
            rows, styles=[ALERT_ROW if r.flagged else BODY_ROW for r in doc.leniency])
    # Agreement
    b.add(PageBreak())
    b.add(Section("Agreement"))
    b.heading("<h2>Agreement per competency</h2><p class='small'>The ICC of absolute agreement: how closely two "
              "interviewers' ratings of the same candidate agree (1 = perfectly), with its 95% interval. Koo & Li "
              "bands, judged on the whole interval: poor below 0.5, moderate to 0.75, good to 0.9, excellent above "
              "(dotted lines).</p>", space_before=0)
    plotted = [r for r in doc.agreement if r.point is not None]
    if plotted:
        from dataclasses import replace

        b.add(IntervalPlot([replace(r, note="") for r in plotted], b.width, lo=0.0, hi=1.0, reference=None, guides=(0.5, 0.75, 0.9),
                           ticks=_ticks(0.0, 1.0), tick_format="{:.2f}",
                           colours=[BAND_COLOURS.get(r.note.split(" to ")[0], "#5c5c5c") for r in plotted]))
        b.add(Spacer(GAP))
    rows = []
    for i, r in enumerate(doc.agreement):
        cands, ints = doc.agreement_counts[i] if i < len(doc.agreement_counts) else (0, 0)
        alpha = doc.agreement_alpha[i] if i < len(doc.agreement_alpha) else None
        icc = ("not enough data" if r.point is None else
               f"{_fmt(r.point)}" + (f" [{_fmt(r.low)}, {_fmt(r.high)}]" if r.low is not None and r.high is not None else ""))
        rows.append([f"<p class='small'>{escape(r.label)}</p>", f"<p align='right' class='small'>{cands}</p>",
                     f"<p align='right' class='small'>{ints}</p>", f"<p align='right' class='small'>{icc}</p>",
                     f"<p class='small'>{escape(r.note) if r.point is not None else '—'}</p>",
                     f"<p align='right' class='small'>{_fmt(alpha)}</p>"])
    b.table([34, 11, 11, 18, 17, 9],
            ["<p class='small'><b>Competency</b></p>", "<p align='right' class='small'><b>Cand.</b></p>",
             "<p align='right' class='small'><b>Interv.</b></p>", "<p align='right' class='small'><b>ICC [95% CI]</b></p>",
             "<p class='small'><b>Band</b></p>", "<p align='right' class='small'><b>α</b></p>"], rows)
    # Distributions
    b.heading("<h2>Rating distributions</h2><p class='small'>Share of each rating per interviewer, and for "
              "everyone. Few ratings make a noisy profile.</p>")
    levels = [level for level, _ in doc.scale]
    header = ["<p class='small'><b>Interviewer</b></p>", "<p align='right' class='small'><b>n</b></p>"] + [
        f"<p align='right' class='small'><b>{level}</b> <span class='tiny muted'>{escape(label)}</span></p>"
        for level, label in doc.scale] + ["<p align='right' class='small'><b>Mean</b></p>",
                                          "<p align='right' class='small'><b>SD</b></p>"]

    def dist_row(d: DistributionDoc, bold: bool = False) -> list[str]:
        name = f"<b>{escape(d.interviewer)}</b>" if bold else escape(d.interviewer)
        return ([f"<p class='small'>{name}</p>", f"<p align='right' class='small'>{d.n}</p>"]
                + [f"<p align='right' class='small'>{s:.0%}</p>" for s in d.shares]
                + [f"<p align='right' class='small'>{_fmt(d.mean)}</p>", f"<p align='right' class='small'>{_fmt(d.sd)}</p>"])

    dist_rows = ([dist_row(doc.pool, True)] if doc.pool else []) + [dist_row(d) for d in doc.distributions]
    share_w = 48.0 / max(len(levels), 1)
    b.table([30, 8] + [share_w] * len(levels) + [7, 7], header, dist_rows)
    # Drift
    b.heading("<h2>Drift over time</h2><p class='small'>The trend of each interviewer's leniency, in points per 30 "
              "days, with its 95% interval (at least 3 dated ratings on 2 days). An interval that excludes 0 is a "
              "change worth a look.</p>")
    if doc.drift:
        drift_rows = []
        for r in doc.drift:
            clear = r.low is not None and r.high is not None and (r.low > 0 or r.high < 0)
            drift_rows.append([
                f"<p class='small'>{(WARNING + ' ') if clear else ''}{escape(r.label)}</p>",
                f"<p align='right' class='small'>{_fmt(r.point, '+.2f')}</p>",
                f"<p align='right' class='small'>{_fmt(r.low, '+.2f')} to {_fmt(r.high, '+.2f')}</p>"
                if r.point is not None else "<p class='small muted'>too few dated ratings</p>",
                f"<p class='small'>{escape(r.detail)}</p>",
            ])
        b.table([40, 16, 24, 20], ["<p class='small'><b>Interviewer</b></p>",
                                   "<p align='right' class='small'><b>Per 30 days</b></p>",
                                   "<p align='right' class='small'><b>95% interval</b></p>",
                                   "<p class='small'><b>Ratings</b></p>"], drift_rows)
    else:
        b.para("<p class='muted'>No rating has a date, so there is no trend to show.</p>")
    # Questions
    b.add(PageBreak())
    b.add(Section("Questions"))
    b.heading(f"<h2>Question analytics</h2><p class='small'>Questions asked in the period ({doc.total_loops} loops). "
              f"{WARNING} over-exposed: asked in more than half of the loops. r: correlation of its ratings with the "
              "decision (hire 1, no hire 0), with the number of ratings of decided candidates.</p>", space_before=0)
    if doc.questions:
        q_rows = [[f"<p class='small'>{escape(q.title)}</p>", f"<p align='right' class='small'>{q.times_asked}</p>",
                   f"<p align='right' class='small'>{q.loops} ({q.loop_share:.0%})</p>",
                   f"<p class='small'>{(WARNING + ' over-exposed') if q.exposed else 'ok'}</p>",
                   f"<p align='right' class='small'>{_fmt(q.mean)}</p>", f"<p align='right' class='small'>{_fmt(q.sd)}</p>",
                   f"<p align='right' class='small'>{_fmt(q.decision_r, '+.2f')} (n={q.decision_n})</p>"]
                  for q in doc.questions]
        b.table([40, 8, 12, 14, 8, 7, 11],
                ["<p class='small'><b>Question</b></p>", "<p align='right' class='small'><b>Asked</b></p>",
                 "<p align='right' class='small'><b>Loops</b></p>", "<p class='small'><b>Exposure</b></p>",
                 "<p align='right' class='small'><b>Mean</b></p>", "<p align='right' class='small'><b>SD</b></p>",
                 "<p align='right' class='small'><b>r</b></p>"], q_rows,
                styles=[ALERT_ROW if q.exposed else BODY_ROW for q in doc.questions])
    else:
        b.para("<p class='muted'>No question was recorded as asked in these scorecards.</p>")


def calibration_pdf(doc: CalibrationDoc, options: PdfOptions, *, generated_at: datetime | None = None) -> RenderResult:
    """Print the calibration report: leniency (forest plot), agreement, distributions, drift, questions."""
    ensure_gui_application()
    if options.hide_names:
        names = [r.label for r in doc.leniency] + [d.interviewer for d in doc.distributions]
        doc = masked_calibration(doc, NameMasker(sorted(set(names), key=str.lower)))

    def build(ctx: LayoutContext) -> list[Flowable]:
        b = Builder(ctx)
        b.add(Section("Leniency"))
        _calibration(b, doc, masked=options.hide_names)
        return b.items

    return render_pdf(build, subject=calibration_subject(doc), page_size=options.page_size, generated_at=generated_at)
