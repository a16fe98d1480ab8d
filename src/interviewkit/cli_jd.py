"""What ``interviewkit jd import`` and ``jd suggest`` print: the requirements found (and skipped), and the
bank questions that fit each requirement with their score and reason, or "no good match in the bank".

Text for people, ``--json`` for scripts (the same fields). The commands' argument handling, the database
and the refusals are in :mod:`interviewkit.cli`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

from interviewkit.bank.jd import ParsedJD
from interviewkit.inputs import one_line
from interviewkit.services.jd import Suggestion

__all__ = ["print_import", "print_suggestions", "suggestion_json"]


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    return {
        "requirement": s.requirement.id,
        "text": s.requirement.text,
        "questions": [
            {"id": m.question_id, "title": m.title, "score": round(m.score, 3), "reason": m.reason} for m in s.matches
        ],
        "no_match": not s.matches,
        "reason": s.reason,
    }


def _suggestion_lines(s: Suggestion, indent: str = "    ") -> list[str]:
    if not s.matches:
        return [f"{indent}-- {one_line(s.reason)}"]
    return [
        f"{indent}{m.score:4.2f}  {m.question_id}  {one_line(m.title)}\n{indent}      {m.reason}" for m in s.matches
    ]


def print_suggestions(suggestions: Sequence[Suggestion], *, as_json: bool) -> None:
    """``jd suggest``: each requirement and what fits it."""
    if as_json:
        _json([suggestion_json(s) for s in suggestions])
        return
    for s in suggestions:
        _out(f"{s.requirement.id}  {one_line(s.requirement.text)}")
        for line in _suggestion_lines(s):
            _out(line)
    gaps = sum(1 for s in suggestions if not s.matches)
    if suggestions:
        _out()
        _out(f"{len(suggestions)} requirements, {gaps} with no good match in the bank.")


def print_import(
    jd: ParsedJD, changes: Sequence[str], suggestions: Sequence[Suggestion], *, dry_run: bool, as_json: bool
) -> None:
    """``jd import``: the requirements by section (with their suggestions when asked), what was skipped and why,
    and what was written."""
    by_id = {s.requirement.id: s for s in suggestions}
    if as_json:
        data: dict[str, Any] = {
            "id": jd.id,
            "title": jd.title,
            "source": jd.source_name,
            "format": jd.source_format,
            "dry_run": dry_run,
            "requirements": [
                {
                    "id": r.id,
                    "section": r.section,
                    "position": r.position,
                    "text": r.text,
                    "priority": r.priority,
                    "line": r.line,
                    "from_prose": r.from_prose,
                }
                | ({"suggestions": suggestion_json(by_id[r.id])} if r.id in by_id else {})
                for r in jd.requirements
            ],
            "skipped": [
                {"section": p.section, "line": p.line, "reason": p.reason, "texts": list(p.texts)} for p in jd.skipped
            ],
        }
        _json(data)
        return
    section = None
    for r in jd.requirements:
        if r.section != section:
            section = r.section
            _out(f"\n{one_line(section)}")
        marks = (" (nice to have)" if r.priority == "nice" else "") + (" (from prose: review)" if r.from_prose else "")
        _out(f"  {r.id}  {one_line(r.text)}{marks}")
        if r.id in by_id:
            for line in _suggestion_lines(by_id[r.id], indent="      "):
                _out(line)
    if jd.skipped:
        _out("\nSkipped (no requirements):")
        for p in jd.skipped:
            items = f"{len(p.texts)} item" + ("s" if len(p.texts) != 1 else "")
            _out(f"  line {p.line}  {one_line(p.section)}: {p.reason} ({items})")
    _out()
    verb = "Would import" if dry_run else ("Imported" if changes else "Already up to date:")
    nice = sum(1 for r in jd.requirements if r.priority == "nice")
    _out(f"{verb} '{jd.id}' ({one_line(jd.title)}): {len(jd.requirements)} requirements, {nice} nice to have.")
