"""What the interview screens show, worked out below the screens: the question, its rubric and evidence
checklist (with the rating the ticks suggest, never forced) as the cockpit shows them, a scorecard's audit
trail in words, and the offer to resume an interrupted interview.

HTML is made here with every text from the bank or a person escaped (prompts are sanitised Markdown);
screens pass the palette's colours and place the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interviewkit.domain.evidence import RuleError, Term, parse_rule
from interviewkit.domain.markup import escape, markdown_to_html
from interviewkit.services import recovery
from interviewkit.services.audit import AuditEntry
from interviewkit.services.recovery import Pending
from interviewkit.services.scorecards import AskedState, Interrupted, interrupted_scorecards
from interviewkit.storage.db import Database

__all__ = [
    "ACTION_WORDS",
    "NO_QUESTION_HTML",
    "ResumeOffer",
    "audit_html",
    "checklist_html",
    "prompt_html",
    "resume_offer",
    "rubric_html",
    "suggestion_text",
    "ticks_suggestion",
]

#: What each audit action is called in a sentence ("Ana Ortiz submitted").
ACTION_WORDS = {
    "started": "started the scorecard",
    "submitted": "submitted",
    "amended": "amended",
    "swapped": "swapped a question for a variant",
    "override": "overrode independent judgement",
    "decided": "recorded a decision",
    "erased": "erased personal data",
}

#: The cockpit's prompt when a stage has no question planned.
NO_QUESTION_HTML = "<p>No question is planned for this stage. Add one from the bank: Ctrl+K</p>"


# -- the question in the cockpit -----------------------------------------------------------------------------


def prompt_html(q: AskedState) -> str:
    """The question as the interviewer reads it: its title, the prompt in large type, and whether it was
    added during the interview."""
    added = "" if q.planned else "<p><i>Added during the interview.</i></p>"
    return f"<h2>{escape(q.title)}</h2><div style='font-size:15pt'>{markdown_to_html(q.prompt)}</div>{added}"


def rubric_html(
    rubric: Sequence[tuple[int, str]], labels: Mapping[int, str], *, level: int, background: str, foreground: str
) -> str:
    """The rubric's anchors, each with the scale's word for its level; ``level`` (the one under the
    cursor or just given) is marked with ▶ and the highlight colours."""
    parts = []
    for lv, anchor in rubric:
        marked = lv == level
        style = f"background-color:{background}; color:{foreground}" if marked else ""
        mark = "▶ " if marked else ""
        parts.append(
            f"<p style='margin:4px 0;{style}'><b>{mark}{lv} · {escape(labels.get(lv, ''))}</b><br>{escape(anchor)}</p>"
        )
    return "".join(parts)


def suggestion_text(q: AskedState, labels: Mapping[int, str]) -> str:
    """What the ticked evidence items suggest, in words, or "" for a question without a checklist:
    'The ticks suggest 3 · Clear evidence (3 of 5 items). You rate.' It is never the rating itself."""
    level = q.suggested_level
    if level is None:
        return ""
    count = f"{len(q.evidence_ticks)} of {len(q.evidence)} items"
    return f"The ticks suggest {level} · {labels.get(level, '')} ({count}). You rate."


def _numbers(items: Sequence[int]) -> str:
    """Item numbers in words: "item 5", "items 1, 2 and 4"."""
    ordered = [str(i) for i in sorted(items)]
    if len(ordered) == 1:
        return f"item {ordered[0]}"
    return f"items {', '.join(ordered[:-1])} and {ordered[-1]}"


def _missing(term: Term, ticked: frozenset[int]) -> str:
    """What a term still needs beyond ``ticked``, in words ("" when it holds)."""
    short = term.need - len(term.of & ticked)
    if short <= 0:
        return ""
    untouched = sorted(term.of - ticked)
    if short == len(untouched):
        return _numbers(untouched)
    return f"{short} more of {_numbers(untouched).removeprefix('items ')}"


def ticks_suggestion(q: AskedState, labels: Mapping[int, str]) -> str:
    """The rating the ticked items suggest, what was heard, and what the next level up still needs, in one
    line shown beside the rating control: 'Ticks suggest 3 · Clear evidence: items 1, 2 and 4 heard; 4 needs
    item 5. You rate.' "" for a question without a checklist. Never the rating itself."""
    level = q.suggested_level
    if level is None:
        return ""
    ticked = frozenset(q.evidence_ticks)
    heard = f"{_numbers(sorted(ticked))} heard" if ticked else "no item ticked yet"
    line = f"Ticks suggest {level} · {labels.get(level, '')}: {heard}"
    above = sorted((lv, text) for lv, text in q.thresholds if lv > level)
    if above:
        lv, text = above[0]
        try:
            rule = parse_rule(text, len(q.evidence))
        except RuleError:
            return line + ". You rate."
        needs = [m for m in (_missing(t, ticked) for t in rule.terms) if m]
        if needs:
            line += f"; {lv} needs {' and '.join(needs)}"
    return line + ". You rate."


def checklist_html(q: AskedState, labels: Mapping[int, str], *, subtle: str, items: bool = True) -> str:
    """The evidence checklist as the cockpit shows it beside the rubric: each item numbered and marked ticked
    (☑) or not (☐) (left out with ``items`` false, where the items are a list to tick of their own), the
    items each level needs, the scope line, and the example answers; "" for a question of the first edition
    (no checklist)."""
    if not q.evidence:
        return ""
    ticked = set(q.evidence_ticks)
    parts = ["<p style='margin:4px 0'><b>Evidence heard</b></p>"] if items else []
    if items:
        parts.extend(
            f"<p style='margin:2px 0'>{'☑' if n in ticked else '☐'} {n}. {escape(item)}</p>"
            for n, item in enumerate(q.evidence, start=1)
        )
    if q.thresholds:
        rules = " · ".join(f"{level}: {escape(rule)}" for level, rule in q.thresholds)
        parts.append(f"<p style='margin:4px 0; color:{subtle}'>Items each level needs: {rules}</p>")
    if q.scope:
        parts.append(f"<p style='margin:4px 0; color:{subtle}'>Scope: {escape(q.scope)}</p>")
    for level, text in q.examples:
        parts.append(
            f"<p style='margin:4px 0'><b>Sounds like {level} · {escape(labels.get(level, ''))}</b><br>"
            f"<i>{escape(text)}</i></p>"
        )
    return "".join(parts)


# -- the audit trail -----------------------------------------------------------------------------------------


def _value(v: Any) -> str:
    if isinstance(v, list):  # evidence ticked
        return _numbers(v) if v else "no item"
    if isinstance(v, dict):
        if v.get("not_assessed"):
            return f"n/a ({v.get('reason', '')})"
        return str(v.get("score")) + (f", evidence: {v['evidence']}" if v.get("evidence") else "")
    return "—" if v in (None, "") else str(v)


def _change_label(key: str, competency_names: Mapping[str, str], titles: Mapping[int, str]) -> str:
    kind, _, rest = key.partition(":")
    title = titles.get(int(rest)) if rest.isdigit() else None
    if kind == "ticks" and title:
        return f"Evidence ticked for “{title}”"
    return {
        "rating": f"Rating of {competency_names.get(rest, rest)}",
        "notes": "Notes of a question",
        "ticks": "Evidence ticked for a question",
        "recommendation": "Recommendation",
        "summary": "Summary",
    }.get(kind, key)


def audit_html(
    entries: Sequence[AuditEntry], competency_names: Mapping[str, str], question_titles: Mapping[int, str] | None = None
) -> str:
    """The audit trail as HTML: who, when (local time), what, why, and each change before → after
    (``question_titles`` by asked id name the question whose ticks changed)."""
    if not entries:
        return "<p>No entries.</p>"
    parts = []
    for e in entries:
        when = e.at.astimezone().strftime("%d %b %Y %H:%M")
        line = f"<p><b>{escape(when)}</b> · {escape(e.actor)} {escape(ACTION_WORDS.get(e.action, e.action))}"
        if e.reason:
            line += f" — <i>“{escape(e.reason)}”</i>"
        parts.append(line + "</p>")
        if e.action == "swapped":
            swap = f"{e.detail.get('from', '')} → {e.detail.get('to', '')}"
            parts.append(f"<ul><li>{escape(swap)}</li></ul>")
        if e.action != "amended":
            continue
        parts.append("<ul>")
        for key, change in e.detail.items():
            if not isinstance(change, dict):
                continue  # not a change: PostgreSQL adds the login that wrote the entry (db_login)
            label = _change_label(key, competency_names, question_titles or {})
            parts.append(
                f"<li>{escape(label)}: {escape(_value(change.get('before')))} → "
                f"<b>{escape(_value(change.get('after')))}</b></li>"
            )
        parts.append("</ul>")
    return "".join(parts)


# -- resuming --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResumeOffer:
    """An interview to offer to resume: its stage, and the question to ask the person."""

    stage_id: int
    text: str


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _journalled(db: Database, person_id: int, directory: Path | None) -> dict[int, Pending]:
    """This person's journals on this computer holding changes the database lacks, by scorecard."""
    try:
        folder = recovery.journal_dir() if directory is None else directory
        return {p.scorecard_id: p for p in recovery.pending_journals(folder, db, person_id)}
    except OSError:
        return {}  # no journal folder: nothing was kept here


def _interrupted_text(it: Interrupted, pending: Pending | None) -> str:
    text = (
        f"⟲ An interview was interrupted. Resume {it.candidate}, Stage {it.stage_position} "
        f"({it.stage_name}), question {it.question_position + 1} of {it.question_count}?"
    )
    if pending is not None:
        text += f" {_capital(pending.what)} typed on this computer will be added to the database."
    return text


def resume_offer(db: Database, person_id: int, directory: Path | None = None) -> ResumeOffer | None:
    """What to offer this person on their list of interviews: the first interview a crash interrupted, else
    the newest whose changes are only in a journal on this computer (``directory``, by default the journal
    folder); None when there is nothing to resume."""
    journalled = _journalled(db, person_id, directory)
    interrupted = interrupted_scorecards(db, person_id)
    if interrupted:
        it = interrupted[0]
        return ResumeOffer(it.stage_id, _interrupted_text(it, journalled.get(it.scorecard_id)))
    if not journalled:
        return None
    p = list(journalled.values())[-1]
    return ResumeOffer(
        p.stage_id,
        f"⟲ {_capital(p.what)} typed on this computer for {p.candidate}, Stage {p.stage_position} "
        f"({p.stage_name}) have not reached the database yet. Resume the interview to add them?",
    )
