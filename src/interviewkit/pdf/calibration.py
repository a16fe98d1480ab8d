"""The calibration report PDF: leniency (forest plot and table), agreement per competency with Koo & Li
bands, how many interviewers a competency needs (the D-study), rating distributions, drift, question
analytics and, when outcomes were given, the interview's predictive validity, from the same
:class:`~interviewkit.services.calibration_report.CalibrationReport` the screen shows; with too little data,
one page that says what is missing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from interviewkit.domain.markup import escape
from interviewkit.pdf.builder import (
    ALERT_BOX,
    ALERT_ROW,
    BODY_ROW,
    GAP,
    WARNING,
    Builder,
    ensure_gui_application,
    key_values,
)
from interviewkit.pdf.layout import Flowable, LayoutContext, PageBreak, Section, Spacer
from interviewkit.pdf.pages import RenderResult, render_pdf
from interviewkit.pdf.plots import IntervalPlot, IntervalRow
from interviewkit.services.calibration_report import CalibrationReport, DistributionRow
from interviewkit.services.documents import NameMasker, PdfOptions, masked_calibration

__all__ = ["calibration_pdf", "calibration_subject", "leniency_rows"]

BAND_COLOURS = {"poor": "#b42318", "moderate": "#9a5b00", "good": "#1a7f37", "excellent": "#1a7f37"}


def _subject(report: CalibrationReport) -> str:
    """The filters in words, which name nobody (so "Hide interviewer names" holds in the header too)."""
    return report.subject if report.restricted_to is None else f"{report.subject} (one interviewer's own rows)"


def calibration_subject(report: CalibrationReport) -> str:
    return f"Calibration report · {_subject(report)}"


def _fmt(value: float | None, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec).replace("-", "−")


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    return [lo + (hi - lo) * i / (count - 1) for i in range(count)]


def _cell(text: str, *, right: bool = False) -> str:
    return f"<p align='right' class='small'>{text}</p>" if right else f"<p class='small'>{text}</p>"


def _head(text: str, *, right: bool = False) -> str:
    return _cell(f"<b>{text}</b>", right=right)


def leniency_rows(report: CalibrationReport) -> list[IntervalRow]:
    """The leniency forest plot's rows: the shrunk effect with its interval, the group and the counts."""

    def detail(n: int, few: bool) -> str:
        return f"{n} candidate{'s' if n != 1 else ''}" + (f", fewer than {report.min_ratings}" if few else "")

    return [
        IntervalRow(
            r.interviewer,
            r.shrunk,
            r.low,
            r.high,
            r.flagged,
            f"group {r.component + 1}" if report.n_groups > 1 else "",
            detail(r.n, r.few_ratings),
        )
        for r in report.leniency
    ]


def _leniency(b: Builder, report: CalibrationReport) -> None:
    margin = report.margin
    b.heading(
        "<h2>Leniency</h2><p class='small'>Each interviewer's leniency: how many points above (+) or below (−) "
        "colleagues they score the same candidates, shrunk towards 0 where evidence is thin, with its 95% "
        f"interval. Dotted lines: ±{margin:.2f}, the smallest difference worth a conversation (a fifth of "
        "the candidates' spread). "
        f"{WARNING} flagged: the whole interval lies beyond that margin and the interviewer rated at least "
        f"{report.min_ratings} candidates.</p>"
    )
    if not report.connected:
        b.box(
            f"<p><span class='alert'>{WARNING} The interviewers fall into {report.n_groups} groups that never met "
            "the same candidates.</span> Effects compare only within a group (in brackets after the name).</p>",
            ALERT_BOX,
            splittable=False,
        )
    rows = leniency_rows(report)
    extent = max([abs(v) for r in rows for v in (r.low, r.high) if v is not None] + [margin, 0.25]) * 1.1
    b.add(
        IntervalPlot(
            rows,
            b.width,
            lo=-extent,
            hi=extent,
            reference=0.0,
            guides=(-margin, margin) if margin else (),
            ticks=_ticks(-extent, extent),
        )
    )
    b.add(Spacer(GAP))
    flagged = [r for r in rows if r.flagged]
    if flagged:
        named = ", ".join(
            f"<b>{escape(r.label)}</b> ({_fmt(r.point, '+.2f')}, 95% {_fmt(r.low, '+.2f')} to {_fmt(r.high, '+.2f')})"
            for r in flagged
        )
        b.para(f"<p><span class='alert'>{WARNING} Flagged:</span> {named}</p>")
    else:
        b.para("<p>No interviewer is flagged.</p>")
    table = [
        [
            _cell(f"{(WARNING + ' ') if r.flagged else ''}{escape(r.label)}"),
            _cell(_fmt(r.point, "+.2f"), right=True),
            _cell(f"{_fmt(r.low, '+.2f')} to {_fmt(r.high, '+.2f')}", right=True),
            _cell(escape(", ".join(x for x in (r.note, r.detail) if x))),
        ]
        for r in rows
    ]
    b.table(
        [40, 14, 24, 22],
        [_head("Interviewer"), _head("Effect", right=True), _head("95% interval", right=True), _head("Note")],
        table,
        styles=[ALERT_ROW if r.flagged else BODY_ROW for r in rows],
    )


def _agreement(b: Builder, report: CalibrationReport) -> None:
    b.add(PageBreak())
    b.add(Section("Agreement"))
    b.heading(
        "<h2>Agreement per competency</h2><p class='small'>The ICC of absolute agreement: how closely two "
        "interviewers' ratings of the same candidate agree (1 = perfectly), with its 95% interval. Koo & Li "
        "bands, judged on the whole interval: poor below 0.5, moderate to 0.75, good to 0.9, excellent above "
        "(dotted lines).</p>",
        space_before=0,
    )
    agreement = report.agreement_rows
    plotted = [IntervalRow(a.name, a.icc, a.low, a.high, False, a.band) for a in agreement if a.icc is not None]
    if plotted:
        b.add(
            IntervalPlot(
                [replace(r, note="") for r in plotted],
                b.width,
                lo=0.0,
                hi=1.0,
                reference=None,
                guides=(0.5, 0.75, 0.9),
                ticks=_ticks(0.0, 1.0),
                tick_format="{:.2f}",
                colours=[BAND_COLOURS.get(r.note.split(" to ")[0], "#5c5c5c") for r in plotted],
            )
        )
        b.add(Spacer(GAP))
    rows = []
    for a in agreement:
        icc = (
            "not enough data"
            if a.icc is None
            else f"{_fmt(a.icc)}"
            + (f" [{_fmt(a.low)}, {_fmt(a.high)}]" if a.low is not None and a.high is not None else "")
        )
        rows.append(
            [
                _cell(escape(a.name)),
                _cell(str(a.n_candidates), right=True),
                _cell(str(a.n_interviewers), right=True),
                _cell(icc, right=True),
                _cell(escape(a.band) if a.icc is not None else "—"),
                _cell(_fmt(a.alpha), right=True),
            ]
        )
    b.table(
        [34, 11, 11, 18, 17, 9],
        [
            _head("Competency"),
            _head("Cand.", right=True),
            _head("Interv.", right=True),
            _head("ICC [95% CI]", right=True),
            _head("Band"),
            _head("α", right=True),
        ],
        rows,
    )


def _distributions(b: Builder, report: CalibrationReport) -> None:
    b.heading(
        "<h2>Rating distributions</h2><p class='small'>Share of each rating per interviewer, and for "
        "everyone. Few ratings make a noisy profile.</p>"
    )
    scale = list(zip(report.levels, report.level_labels))
    header = (
        [_head("Interviewer"), _head("n", right=True)]
        + [
            f"<p align='right' class='small'><b>{level}</b> <span class='tiny muted'>{escape(label)}</span></p>"
            for level, label in scale
        ]
        + [_head("Mean", right=True), _head("SD", right=True)]
    )

    def row(d: DistributionRow, name: str, bold: bool = False) -> list[str]:
        shown = f"<b>{escape(name)}</b>" if bold else escape(name)
        return (
            [_cell(shown), _cell(str(d.n), right=True)]
            + [_cell(f"{s:.0%}", right=True) for s in d.shares]
            + [_cell(_fmt(d.mean), right=True), _cell(_fmt(d.sd), right=True)]
        )

    rows = ([row(report.pool, "Everyone", True)] if report.pool else []) + [
        row(d, d.interviewer or "") for d in report.distributions
    ]
    share_w = 48.0 / max(len(scale), 1)
    b.table([30, 8] + [share_w] * len(scale) + [7, 7], header, rows)


def _drift(b: Builder, report: CalibrationReport) -> None:
    b.heading(
        "<h2>Drift over time</h2><p class='small'>The trend of each interviewer's leniency, in points per 30 "
        "days, with its 95% interval (at least 3 dated ratings on 2 days). An interval that excludes 0 is a "
        "change worth a look.</p>"
    )
    if not report.trends:
        b.para("<p class='muted'>No rating has a date, so there is no trend to show.</p>")
        return
    rows = []
    for t in report.trends:
        clear = t.low is not None and t.high is not None and (t.low > 0 or t.high < 0)
        rows.append(
            [
                _cell(f"{(WARNING + ' ') if clear else ''}{escape(t.interviewer)}"),
                _cell(_fmt(t.slope_per_30_days, "+.2f"), right=True),
                _cell(f"{_fmt(t.low, '+.2f')} to {_fmt(t.high, '+.2f')}", right=True)
                if t.slope_per_30_days is not None
                else "<p class='small muted'>too few dated ratings</p>",
                _cell(escape(f"{t.n} dated candidate{'s' if t.n != 1 else ''}")),
            ]
        )
    b.table(
        [40, 16, 24, 20],
        [_head("Interviewer"), _head("Per 30 days", right=True), _head("95% interval", right=True), _head("Ratings")],
        rows,
    )


def _questions(b: Builder, report: CalibrationReport) -> None:
    b.add(PageBreak())
    b.add(Section("Questions"))
    b.heading(
        f"<h2>Question analytics</h2><p class='small'>Questions asked in the period ({report.total_loops} "
        f"loops). {WARNING} over-exposed: asked in more than half of the loops. r: correlation of its ratings "
        "with the decision (hire 1, no hire 0), with the number of ratings of decided candidates.</p>",
        space_before=0,
    )
    questions = report.questions or ()
    if not questions:
        b.para("<p class='muted'>No question was recorded as asked in these scorecards.</p>")
        return
    rows = [
        [
            _cell(escape(q.title)),
            _cell(str(q.times_asked), right=True),
            _cell(f"{q.loops} ({q.loop_share:.0%})", right=True),
            _cell((WARNING + " over-exposed") if q.exposed else "ok"),
            _cell(_fmt(q.mean), right=True),
            _cell(_fmt(q.sd), right=True),
            _cell(f"{_fmt(q.decision_r, '+.2f')} (n={q.decision_n})", right=True),
        ]
        for q in questions
    ]
    b.table(
        [40, 8, 12, 14, 8, 7, 11],
        [
            _head("Question"),
            _head("Asked", right=True),
            _head("Loops", right=True),
            _head("Exposure"),
            _head("Mean", right=True),
            _head("SD", right=True),
            _head("r", right=True),
        ],
        rows,
        styles=[ALERT_ROW if q.exposed else BODY_ROW for q in questions],
    )


def _d_study(b: Builder, report: CalibrationReport) -> None:
    """How many interviewers a competency needs: the D-study's reliability for 1 to 5 interviewers."""
    curves = [a for a in report.agreement if a.d_study is not None]
    if not curves:
        return
    b.heading(
        "<h2>How many interviewers</h2><p class='small'>The reliability of a competency's score when it is the "
        "mean of 1 to 5 interviewers' ratings (Brennan's dependability, leniency counted as error: candidates "
        "who met different interviewers are compared), with the 95% interval where the history gives one. "
        "0.7 and above is what a hiring bar usually wants.</p>"
    )
    rows = []
    for a, c in ((a, a.d_study) for a in curves if a.d_study is not None):
        cells = [
            _cell(
                _fmt(p.absolute)
                + (f"<br><span class='tiny muted'>{_fmt(p.absolute_ci[0])}–{_fmt(p.absolute_ci[1])}</span>"
                   if p.absolute_ci else ""),
                right=True,
            )
            for p in c.points
        ]
        source = "neutral prior" if c.g.source == "prior" else f"{c.g.n_candidates} candidates"
        rows.append([_cell(escape(a.name)), *cells, _cell(escape(source))])
    b.table(
        [30, 11, 11, 11, 11, 11, 15],
        [_head("Competency"), *(_head(str(n), right=True) for n in range(1, 6)), _head("From")],
        rows,
    )
    for a in curves:
        if a.d_study is not None:
            b.para(f"<p class='small'>{escape(a.d_study.words(1))}</p>")


def _validity(b: Builder, report: CalibrationReport, hide_names: bool) -> None:
    """Did the people we hired turn out as we scored them: each predictor's validity, in words."""
    v = report.validity
    if v is None:
        return
    b.add(PageBreak())
    b.add(Section("Validity"))
    b.heading(
        f"<h2>Predictive validity</h2><p class='small'>{v.n_hires} hires with a performance rating, "
        f"{v.n_candidates} candidates scored. {escape(v.note)}</p>",
        space_before=0,
    )
    rows = [r for r in v.rows if not (hide_names and r.kind == "interviewer")]
    table = [
        [
            _cell(escape(f"{r.kind}: {r.label}")),
            _cell(str(r.validity.n), right=True),
            _cell(_fmt(r.validity.r, "+.2f"), right=True),
            _cell(
                _fmt(r.validity.corrected, "+.2f")
                + (f" ({_fmt(r.validity.corrected_ci[0], '+.2f')} to {_fmt(r.validity.corrected_ci[1], '+.2f')})"
                   if r.validity.corrected_ci else ""),
                right=True,
            ),
            _cell(escape(r.words)),
        ]
        for r in rows
    ]
    b.table(
        [20, 6, 9, 20, 45],
        [_head("Predictor"), _head("n", right=True), _head("Raw r", right=True), _head("Corrected [95%]", right=True),
         _head("In words")],
        table,
    )
    if len(rows) < len(v.rows):
        b.para("<p class='small muted'>Each interviewer's own validity is left out: names are hidden.</p>")


def _report(b: Builder, report: CalibrationReport, hide_names: bool = False) -> None:
    subject = _subject(report)
    b.heading(
        f"<h1>Calibration report</h1><p class='muted'>{escape(subject[:1].upper() + subject[1:])}</p>", space_before=0
    )
    if not report.enough:
        b.box(
            f"<p><span class='alert'>{WARNING} Not enough data for calibration.</span> {escape(report.why_not)}</p>",
            ALERT_BOX,
        )
        return
    key_values(
        b,
        [
            ("Ratings", str(report.n_ratings)),
            ("Candidates", str(report.n_candidates)),
            ("Interviewers", str(report.n_interviewers)),
            ("Seen by 2 or more", f"{report.shared_candidates} candidates"),
        ],
    )
    _leniency(b, report)
    _agreement(b, report)
    _d_study(b, report)
    _distributions(b, report)
    _drift(b, report)
    _questions(b, report)
    _validity(b, report, hide_names)


def _names(report: CalibrationReport) -> Sequence[str]:
    """Who is named in the report, in the order their letters are given when names are hidden."""
    names = [r.interviewer for r in report.leniency] + [d.interviewer or "" for d in report.distributions]
    return sorted(set(names), key=str.lower)


def calibration_pdf(
    report: CalibrationReport, options: PdfOptions, *, generated_at: datetime | None = None
) -> RenderResult:
    """Print the calibration report: leniency (forest plot), agreement, distributions, drift, questions."""
    ensure_gui_application()
    if options.hide_names:
        report = masked_calibration(report, NameMasker(_names(report)))

    def build(ctx: LayoutContext) -> list[Flowable]:
        b = Builder(ctx)
        b.add(Section("Leniency"))
        _report(b, report, options.hide_names)
        return b.items

    return render_pdf(
        build, subject=calibration_subject(report), page_size=options.page_size, generated_at=generated_at
    )
