"""What the PDF documents print, as plain values: a scorecard, a debrief packet and an interview kit.

:mod:`interviewkit.services.exports` fills these from the database; the printer
(:mod:`interviewkit.pdf`, beside the screens) lays them out. Nothing here knows about Qt, so the content
of a document (and the hiding of interviewer names) is tested without printing anything. A debrief
packet's coverage and decisions are the debrief service's own values
(:class:`~interviewkit.services.debrief.CoverageEntry`, :class:`~interviewkit.services.debrief.DecisionInfo`),
and the calibration report is :class:`~interviewkit.services.calibration_report.CalibrationReport`, the
same value the command line and the Calibration screen show.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the calibration report's statistics load with the calibration export, the
    # debrief service (and the policy behind it) with the debrief export
    from interviewkit.services.calibration_report import CalibrationReport
    from interviewkit.services.debrief import CoverageEntry, DecisionInfo

__all__ = [
    "NOT_ASSESSED",
    "PAGE_SIZES",
    "AnchorDoc",
    "AskedQuestionDoc",
    "CompetencyRatingDoc",
    "DebriefDoc",
    "FocusDoc",
    "GridColumn",
    "GridRow",
    "KitCheckDoc",
    "KitDoc",
    "KitQuestionDoc",
    "NameMasker",
    "PdfOptions",
    "ScorecardDoc",
    "format_date",
    "format_datetime",
    "masked_calibration",
    "masked_debrief",
    "masked_kit",
    "masked_scorecard",
    "short_name",
]

PAGE_SIZES = ("A4", "Letter")
NOT_ASSESSED = "n/a"  # a grid cell: the competency was in the stage but explicitly not assessed

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class PdfOptions:
    """How to print: the paper size, and whether interviewer names become "Interviewer A, B, …"."""

    page_size: str = "A4"
    hide_names: bool = False

    def __post_init__(self) -> None:
        if self.page_size not in PAGE_SIZES:
            raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}, not {self.page_size!r}")


# --- scorecard ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AskedQuestionDoc:
    """One question asked in an interview, with the interviewer's notes (Markdown)."""

    number: int  # 1-based, in the order asked
    title: str
    prompt: str  # Markdown
    kind: str
    minutes: int  # planned
    seconds_spent: float
    competencies: tuple[str, ...]  # names
    planned: bool
    notes: str  # Markdown
    evidence: tuple[str, ...] = ()  # the question's evidence checklist (second edition; empty on the first)
    ticks: tuple[int, ...] = ()  # the items the interviewer ticked as heard, 1-based in ``evidence``

    @property
    def heard(self) -> tuple[str, ...]:
        """The ticked evidence items, in the checklist's order."""
        return tuple(self.evidence[i - 1] for i in sorted(set(self.ticks)) if 1 <= i <= len(self.evidence))


@dataclass(frozen=True)
class AnchorDoc:
    """The rubric anchor of one question at the level a competency was rated."""

    question_number: int
    question_title: str
    text: str


@dataclass(frozen=True)
class CompetencyRatingDoc:
    """A competency's rating in a scorecard, with the anchors of that level from the questions that assessed it."""

    competency: str  # name
    score: int | None
    label: str  # the scale label of the score ("Clear evidence"), or ""
    not_assessed: bool
    reason: str
    evidence: str
    anchors: tuple[AnchorDoc, ...]


@dataclass(frozen=True)
class ScorecardDoc:
    candidate: str
    opening: str
    stage: str
    stage_position: int
    stage_count: int
    interviewer: str
    status: str  # "draft" or "submitted"
    started_at: datetime | None
    submitted_at: datetime | None
    recommendation: str | None
    summary: str  # Markdown
    ratings: tuple[CompetencyRatingDoc, ...]
    questions: tuple[AskedQuestionDoc, ...]
    scale: tuple[tuple[int, str], ...]
    recommendations: tuple[str, ...] = ()
    panel: tuple[str, ...] = ()  # every interviewer of the loop, in stage order: hidden names get stable letters

    @property
    def stage_title(self) -> str:
        return f"Stage {self.stage_position}: {self.stage}" if self.stage_position else self.stage


# --- debrief -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridColumn:
    """One visible scorecard as a column of the debrief grid."""

    interviewer: str
    stage: str
    stage_position: int
    recommendation: str | None
    says_yes: bool | None  # which side of the recommendation scale; None: no recommendation


@dataclass(frozen=True)
class GridRow:
    """One competency across the columns: a score, NOT_ASSESSED, or None (not rated in that stage)."""

    competency: str
    cells: tuple[int | str | None, ...]
    spread: int | None
    disagreement: bool

    @property
    def scores(self) -> list[int]:
        return [c for c in self.cells if isinstance(c, int)]

    @property
    def mean(self) -> float | None:
        scores = self.scores
        return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class DebriefDoc:
    candidate: str
    opening: str
    viewer: str
    stage_count: int
    submitted_count: int
    hidden_count: int
    why_hidden: str
    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]
    split_recommendation: bool
    coverage: tuple[CoverageEntry, ...]
    decision: DecisionInfo | None
    history: tuple[DecisionInfo, ...]
    scorecards: tuple[ScorecardDoc, ...]
    scale: tuple[tuple[int, str], ...]
    panel: tuple[str, ...] = ()  # every interviewer of the candidate's loops, in stage order


# --- interview kit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FocusDoc:
    name: str
    description: str
    strong_evidence: str


@dataclass(frozen=True)
class KitQuestionDoc:
    number: int
    title: str
    prompt: str  # Markdown
    kind: str
    minutes: int
    competencies: tuple[str, ...]  # names
    follow_ups: tuple[str, ...]
    rubric: tuple[tuple[int, str], ...]
    red_flags: tuple[str, ...]


@dataclass(frozen=True)
class KitCheckDoc:
    """One item of a recruiter's screen's checklist, as the kit prints it: the requirement and what to ask."""

    text: str
    ask: str  # "" when the bank no longer says


@dataclass(frozen=True)
class KitDoc:
    candidate: str
    opening: str
    stage: str
    stage_position: int
    stage_count: int
    interviewer: str  # "" when nobody is assigned yet
    scheduled_at: datetime | None
    minutes: int
    focus: tuple[FocusDoc, ...]
    questions: tuple[KitQuestionDoc, ...]
    scale: tuple[tuple[int, str], ...]
    recommendations: tuple[str, ...] = field(default_factory=tuple)
    panel: tuple[str, ...] = ()  # every interviewer of the loop, in stage order
    checklist: tuple[KitCheckDoc, ...] = ()  # a recruiter's screen: what it checks (no questions, no focus)
    is_screen: bool = False

    @property
    def stage_title(self) -> str:
        return f"Stage {self.stage_position}: {self.stage}" if self.stage_position else self.stage


# --- formatting helpers (no locale: the same text on every machine) -----------------------------------


def format_date(when: datetime | None) -> str:
    """``12 Mar 2025`` in local time, or an empty string."""
    if when is None:
        return ""
    local = when.astimezone() if when.tzinfo else when
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year}"


def format_datetime(when: datetime | None) -> str:
    """``12 Mar 2025, 14:05`` in local time, or an empty string."""
    if when is None:
        return ""
    local = when.astimezone() if when.tzinfo else when
    return f"{format_date(local)}, {local.hour:02d}:{local.minute:02d}"


def _is_latin_like(text: str) -> bool:
    """Letters from Latin, Greek or Cyrillic only (scripts where "Priya N." reads naturally)."""
    return all(ord(ch) < 0x0530 for ch in text if ch.isalpha())


def short_name(name: str) -> str:
    """ "Priya Natarajan" -> "Priya N." for running headers; names in other scripts stay whole."""
    parts = name.split()
    if len(parts) < 2 or not _is_latin_like(name):
        return name.strip()
    return f"{parts[0]} {parts[-1][0]}."


# --- hiding names ------------------------------------------------------------------------------------


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, ..."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


_LATIN = "A-Za-z0-9\u00c0-\u024f"


class NameMasker:
    """Replaces people's names with stable aliases, in name fields and inside free text.

    Interviewers become "Interviewer A", "Interviewer B", … in the order given (the same person always
    gets the same letter in one document); anyone else named in the document (a decision's participants)
    becomes "Panel member 1", "Panel member 2", …. Free text (notes, summaries, rationales) has the full
    names replaced, and also first names that belong to one person only, so that "as Amara said" does not
    give the interviewer away.
    """

    def __init__(self, interviewers: Iterable[str], others: Iterable[str] = (), *, keep: Iterable[str] = ()) -> None:
        self.aliases: dict[str, str] = {}
        for name in interviewers:
            if name and name not in self.aliases:
                self.aliases[name] = (
                    f"Interviewer {_letters(sum(1 for a in self.aliases.values() if a.startswith('Interviewer')))}"
                )
        panel = 0
        for name in others:
            if name and name not in self.aliases:
                panel += 1
                self.aliases[name] = f"Panel member {panel}"
        kept_first = {n.split()[0] for n in keep if n.split()}
        firsts: dict[str, list[str]] = {}
        for name in self.aliases:
            parts = name.split()
            if len(parts) >= 2 and len(parts[0]) >= 3:
                firsts.setdefault(parts[0], []).append(name)
        words = dict(self.aliases)
        for first, owners in firsts.items():
            if len(owners) == 1 and first not in kept_first and first not in words:
                words[first] = self.aliases[owners[0]]
        self._words = words
        self._pattern = self._compile(sorted(words, key=len, reverse=True))

    @staticmethod
    def _compile(names: Sequence[str]) -> re.Pattern[str] | None:
        if not names:
            return None
        parts = []
        for name in names:
            escaped = re.escape(name)
            if _is_latin_like(name):  # whole words only; other scripts have no spaces to rely on
                escaped = rf"(?<![{_LATIN}]){escaped}(?![{_LATIN}])"
            parts.append(escaped)
        return re.compile("|".join(parts))

    def name(self, name: str) -> str:
        """The alias of a person's name (a name not known to the masker is returned as it is)."""
        return self.aliases.get(name, name)

    def text(self, text: str) -> str:
        """Free text with every known name (and unambiguous first name) replaced by its alias."""
        if not text or self._pattern is None:
            return text
        text = unicodedata.normalize("NFC", text)
        return self._pattern.sub(lambda m: self._words[m.group(0)], text)


def masked_scorecard(doc: ScorecardDoc, masker: NameMasker) -> ScorecardDoc:
    """The scorecard with the interviewer's name (and any known name in its free text) replaced."""
    t = masker.text
    return replace(
        doc,
        interviewer=masker.name(doc.interviewer),
        summary=t(doc.summary),
        ratings=tuple(replace(r, reason=t(r.reason), evidence=t(r.evidence)) for r in doc.ratings),
        questions=tuple(replace(q, notes=t(q.notes)) for q in doc.questions),
    )


def masked_debrief(doc: DebriefDoc, masker: NameMasker) -> DebriefDoc:
    """The debrief packet with every interviewer (and decision participant) under an alias."""
    t = masker.text

    def decision(d: DecisionInfo) -> DecisionInfo:
        return replace(
            d,
            decided_by=masker.name(d.decided_by),
            participants=tuple(masker.name(p) for p in d.participants),
            rationale=t(d.rationale),
            reopen_reason=t(d.reopen_reason),
        )

    return replace(
        doc,
        viewer="",
        why_hidden=t(doc.why_hidden),
        columns=tuple(replace(c, interviewer=masker.name(c.interviewer)) for c in doc.columns),
        coverage=tuple(
            replace(c, assessed_by=tuple((masker.name(who), stage, q, r) for who, stage, q, r in c.assessed_by))
            for c in doc.coverage
        ),
        decision=decision(doc.decision) if doc.decision else None,
        history=tuple(decision(d) for d in doc.history),
        scorecards=tuple(masked_scorecard(s, masker) for s in doc.scorecards),
    )


def masked_kit(doc: KitDoc, masker: NameMasker) -> KitDoc:
    return replace(doc, interviewer=masker.name(doc.interviewer) if doc.interviewer else "")


def masked_calibration(report: CalibrationReport, masker: NameMasker) -> CalibrationReport:
    """The calibration report with every interviewer under an alias (the same letter in every table)."""
    name = masker.name
    pt = report.pass_through
    return replace(
        report,
        leniency=tuple(replace(r, interviewer=name(r.interviewer)) for r in report.leniency),
        distributions=tuple(
            replace(d, interviewer=name(d.interviewer)) if d.interviewer else d for d in report.distributions
        ),
        halo=tuple(replace(h, interviewer=name(h.interviewer)) for h in report.halo),
        trends=tuple(replace(t, interviewer=name(t.interviewer)) for t in report.trends),
        interviewers=tuple(name(who) for who in report.interviewers),
        focus=name(report.focus) if report.focus else report.focus,
        drift=replace(report.drift, interviewer=name(report.drift.interviewer)) if report.drift else None,
        pass_through=replace(
            pt,
            interviewers=tuple(
                replace(p, interviewer=name(p.interviewer)) if p.interviewer else p for p in pt.interviewers
            ),
        )
        if pt
        else None,
        restricted_to=name(report.restricted_to) if report.restricted_to else report.restricted_to,
    )
