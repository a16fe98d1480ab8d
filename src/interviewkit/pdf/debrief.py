"""The debrief packet PDF: the grid of ratings by competency and interviewer, the disagreements, the
decision and its history, the requirement coverage, then every scorecard the viewer may see."""

from __future__ import annotations

from datetime import datetime

from interviewkit.domain.markup import escape
from interviewkit.pdf.builder import (
    ALERT_BOX,
    BODY_ROW,
    GAP,
    GRID_ALERT,
    GRID_HEADER,
    GRID_ROW,
    MISSING,
    MISSING_ROW,
    NOTE_BOX,
    WARNING,
    Builder,
    ensure_gui_application,
    notes,
    plain,
    scale_legend,
)
from interviewkit.pdf.layout import MM, Flowable, LayoutContext, PageBreak, Section, Spacer
from interviewkit.pdf.pages import RenderResult, render_pdf
from interviewkit.pdf.scorecard import scorecard_flowables
from interviewkit.services.debrief import CoverageEntry, DecisionInfo
from interviewkit.services.documents import (
    NOT_ASSESSED,
    DebriefDoc,
    NameMasker,
    PdfOptions,
    format_datetime,
    masked_debrief,
    short_name,
)

__all__ = ["debrief_pdf", "debrief_subject"]


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

    header = (
        ["<p class='small'><b>Competency</b></p>"]
        + [
            f"<p align='center' class='small'><b>{escape(who(c.interviewer))}</b></p>"
            f"<p align='center' class='tiny muted'>Stage {c.stage_position}</p>"
            for c in cols
        ]
        + ["<p align='center' class='small'><b>Mean</b></p>", "<p align='center' class='small'><b>Spread</b></p>"]
    )
    rows, styles = [], []
    for r in doc.rows:
        mean = r.mean
        label = escape(r.competency)
        if r.disagreement:
            label = f"<b>{WARNING} {label}</b>"
            spread = f"<p align='center' class='small alert'>{WARNING} {r.spread}<br>disagree</p>"
        else:
            spread = f"<p align='center' class='small'>{r.spread if r.spread is not None else '—'}</p>"
        rows.append(
            [f"<p class='small'>{label}</p>"]
            + [_cell(v) for v in r.cells]
            + [f"<p align='center' class='small'>{f'{mean:.1f}' if mean is not None else '—'}</p>", spread]
        )
        styles.append(GRID_ALERT if r.disagreement else GRID_ROW)
    recs = [
        f"<p align='center' class='small'><b>{escape(c.recommendation)}</b></p>"
        if c.recommendation
        else "<p align='center' class='small muted'>none</p>"
        for c in cols
    ]
    if doc.split_recommendation:
        overall = f"<p class='small'><b>{WARNING} Overall</b><br><span class='alert'>split: yes and no</span></p>"
        split = f"<p align='center' class='small alert'>{WARNING} split</p>"
    else:
        overall, split = "<p class='small'><b>Overall</b></p>", "<p align='center' class='small'>agree</p>"
    rows.append([overall, *recs, "", split])
    styles.append(GRID_ALERT if doc.split_recommendation else GRID_ROW)
    n = len(cols)
    widths = [23.0] + [max(59.0 / max(n, 1), 6.0)] * n + [7.5, 10.5]
    b.table(widths, header, rows, styles=styles, header_style=GRID_HEADER, column_rules="#dddddd", gap_after=1.5 * MM)
    panel = " · ".join(f"Stage {c.stage_position}, {escape(c.stage)}: <b>{escape(c.interviewer)}</b>" for c in cols)
    b.para(
        f"<p class='tiny muted'>Panel: {panel}.</p>"
        f"<p class='tiny muted'>{WARNING} = ratings 2 or more points apart (spread ≥ 2), or recommendations on both "
        f"sides of the scale. n/a = not assessed (reason in the scorecard); · = not rated in that stage; "
        f"a spread of — = fewer than two ratings (a spread needs two). "
        f"Scale: {scale_legend(doc.scale)}.</p>"
    )


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
        b.box(
            f"<p><span class='alert'>{WARNING} Ratings disagree</span> on <b>{escape(r.competency)}</b>: "
            f"from {low} by {who_low} to {high} by {who_high} (spread {r.spread}).</p>",
            ALERT_BOX,
            splittable=False,
        )
    if doc.split_recommendation:
        found = True
        yes = ", ".join(f"{escape(c.interviewer)}: {escape(c.recommendation or '')}" for c in doc.columns if c.says_yes)
        no = ", ".join(
            f"{escape(c.interviewer)}: {escape(c.recommendation or '')}" for c in doc.columns if c.says_yes is False
        )
        b.box(
            f"<p><span class='alert'>{WARNING} Split recommendation</span>: the panel is on both sides.</p>"
            f"<p>For: {yes}</p><p>Against: {no}</p>",
            ALERT_BOX,
            splittable=False,
        )
    if not found:
        b.para("<p>No competency has ratings 2 or more points apart, and the recommendations agree.</p>")


def _decision_text(d: DecisionInfo) -> str:
    who = escape(d.decided_by)
    participants = ", ".join(escape(p) for p in d.participants) or "—"
    when = escape(format_datetime(d.decided_at))
    return f"<p class='small muted'>Decided by {who} on {when} · Participants: {participants}</p>"


def _decision(b: Builder, doc: DebriefDoc) -> None:
    b.heading("<h2>Decision</h2>")
    if doc.decision is None:
        b.para("<p>No decision recorded yet. The panel's decision and its rationale:</p>", gap=0)
        b.lines(4)
        b.add(Spacer(GAP))
    else:
        d = doc.decision
        reopened = f"<p class='small'><b>Reopened:</b> {plain(d.reopen_reason)}</p>" if d.reopen_reason else ""
        b.box(
            f"<p class='label'>DECISION</p><p class='big'>{escape(d.label)}</p>"
            f"<p class='label'>RATIONALE</p>{notes(d.rationale)}{reopened}{_decision_text(d)}",
            NOTE_BOX,
            splittable=False,
        )
    earlier = [d for d in doc.history if d.superseded]
    if earlier:
        b.heading("<h3>History</h3>", space_before=0)
        rows = [
            [
                f"<p class='small'>{escape(format_datetime(d.decided_at))}</p>",
                (
                    f"<p class='small'><b>{escape(d.label)}</b><br><span class='muted'>"
                    f"{'superseded' if d.superseded else 'in force'}</span></p>"
                ),
                f"<p class='small'>{escape(d.decided_by)}</p>",
                f"<div class='small'>{notes(d.rationale)}</div>",
            ]
            for d in doc.history
        ]
        b.table(
            [20, 17, 20, 43],
            [
                "<p class='small'><b>When</b></p>",
                "<p class='small'><b>Outcome</b></p>",
                "<p class='small'><b>By</b></p>",
                "<p class='small'><b>Rationale</b></p>",
            ],
            rows,
        )


def _coverage(b: Builder, doc: DebriefDoc) -> None:
    missing = [c for c in doc.coverage if not c.assessed]
    assessed = [c for c in doc.coverage if c.assessed]
    if missing:
        summary = (
            f"{len(assessed)} of {len(doc.coverage)} requirements assessed; <span class='missing'>{MISSING} "
            f"{len(missing)} not assessed by anyone</span>, listed first."
        )
    else:
        summary = f"All {len(doc.coverage)} requirements were assessed by at least one interviewer."
    b.heading(f"<h2>Requirement coverage</h2><p>{summary}</p>")
    if not doc.coverage:
        b.para("<p class='muted'>The opening has no job description, so there are no requirements to cover.</p>")
        return

    def requirement(c: CoverageEntry) -> str:
        return (
            f"<p class='small'>{escape(c.text)}</p>"
            f"<p class='tiny muted'>{escape(c.section)} · {escape(c.requirement_id)}</p>"
        )

    rows, styles = [], []
    for c in missing:
        rows.append([requirement(c), f"<p class='missing'>{MISSING} Not assessed by anyone</p>"])
        styles.append(MISSING_ROW)
    for c in assessed:
        lines = "".join(
            f"<p class='small'><b>{escape(who)}</b> · {escape(stage)} · {escape(question)}"
            + (f" — {escape(ratings)}" if ratings else "")
            + "</p>"
            for who, stage, question, ratings in c.assessed_by
        )
        rows.append([requirement(c), lines])
        styles.append(BODY_ROW)
    b.table(
        [42, 58],
        [
            "<p class='small'><b>Requirement</b></p>",
            "<p class='small'><b>Assessed by · stage · question — ratings</b></p>",
        ],
        rows,
        styles=styles,
    )


def debrief_pdf(doc: DebriefDoc, options: PdfOptions, *, generated_at: datetime | None = None) -> RenderResult:
    """Print a candidate's debrief packet: grid, disagreements, decision, coverage, then every scorecard."""
    ensure_gui_application()
    if options.hide_names:
        others = [
            p
            for d in (*doc.history, *([doc.decision] if doc.decision else []))
            for p in (d.decided_by, *d.participants)
        ]
        masker = NameMasker(
            [*doc.panel, *(c.interviewer for c in doc.columns), *(s.interviewer for s in doc.scorecards)],
            [*others, doc.viewer],
            keep=[doc.candidate],
        )
        doc = masked_debrief(doc, masker)

    def build(ctx: LayoutContext) -> list[Flowable]:
        b = Builder(ctx)
        b.add(Section("Overview"))
        prepared = f" · prepared for {escape(doc.viewer)}" if doc.viewer else ""
        b.heading(
            f"<h1>Debrief packet</h1><p class='big'>{escape(doc.candidate)}</p>"
            f"<p class='muted'>{escape(doc.opening)} · {doc.submitted_count} of {doc.stage_count} scorecards "
            f"submitted{prepared}</p>",
            space_before=0,
        )
        if doc.hidden_count:
            b.box(
                f"<p><span class='alert'>{WARNING} {doc.hidden_count} submitted scorecard"
                f"{'s are' if doc.hidden_count != 1 else ' is'} not in this packet.</span> "
                f"{escape(doc.why_hidden)}</p>",
                ALERT_BOX,
            )
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
            scorecard_flowables(b, card, title=f"Scorecard {i} of {len(doc.scorecards)}", h=2)
        return b.items

    return render_pdf(build, subject=debrief_subject(doc), page_size=options.page_size, generated_at=generated_at)
