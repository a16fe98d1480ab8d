"""How good are the bank's question suggestions for a job description's requirements? (issue 20, point 5)

    python benchmarks/suggestions.py [-v]          # the figures, -v: every requirement with its suggestions
    python benchmarks/run.py --only suggestions    # the same rows in the benchmark table

Two measurements, neither of which touches a database (the ranker is :mod:`interviewkit.bank.suggest`, read
from the shipped bank's files exactly as ``jd suggest`` reads it from the database):

* **Unseen job descriptions**: four ML roles written for this benchmark (benchmarks/data/jd/: a Staff ML
  Engineer for recommendations, an MLOps Platform Lead, an Applied Scientist Manager, and a Senior Engineering
  Manager for fraud and risk, written after the ranker was tuned on the first three: the held-out one), each
  requirement labelled by hand in labels.yaml with the competencies and questions that fit it and whether "no
  good match" is a right answer; the figures are given per document too. The ranker learns from the whole
  bank (both shipped job descriptions). Reported: precision@3 (the
  share of the suggestions shown, at most 3 per requirement, that are on topic; the ranker shows fewer when the
  rest score too low) and the share of requirements answered well (at least one on-topic suggestion, or an
  abstention where labels.yaml allows one). Targets: 85% and 95%.
* **Leave-one-out on the bank's own mapping**: learn from one shipped job description's curated links, rank for
  the other's requirements that have primary questions, and compare with the curated links: precision@3 against
  the primary questions, and against primary or related ones; the share of requirements whose top 3 hold a
  curated question. The curated sets are small (2-3 questions of 117), so other fitting questions count as
  misses here: a strict lower bound, not a target.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

try:
    from harness import Context, Report, Row, benchmark
except ImportError:  # pragma: no cover - run from elsewhere
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harness import Context, Report, Row, benchmark

from interviewkit.bank.jd import read_jd_file
from interviewkit.bank.loader import load_bank
from interviewkit.bank.model import Bank
from interviewkit.bank.suggest import Ranker, Ranking, bank_inputs, load_thesaurus
from interviewkit.paths import shipped_bank_dir

DATA = Path(__file__).resolve().parent / "data" / "jd"
PRECISION_TARGET = 0.85
ANSWERED_TARGET = 0.95


@dataclass(frozen=True)
class Label:
    text: str
    fits: frozenset[str]
    questions: frozenset[str]
    abstain_ok: bool


@dataclass
class Tally:
    shown: int = 0
    on_topic: int = 0
    requirements: int = 0
    answered: int = 0
    abstained: int = 0
    wrong_abstentions: int = 0

    @property
    def precision(self) -> float:
        return self.on_topic / self.shown if self.shown else 0.0

    @property
    def answered_share(self) -> float:
        return self.answered / self.requirements if self.requirements else 0.0


def read_labels(path: Path = DATA / "labels.yaml") -> dict[str, list[Label]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        doc: [
            Label(
                e["text"],
                frozenset(e.get("fits") or ()),
                frozenset(e.get("questions") or ()),
                bool(e.get("abstain_ok")),
            )
            for e in entries
        ]
        for doc, entries in raw.items()
    }


def _check_labels(bank: Bank, labels: dict[str, list[Label]]) -> None:
    """Every label names real competencies and questions (a renamed question must not pass unnoticed)."""
    comps = {c.id for c in bank.competencies}
    questions = {q.id for q in bank.questions}
    for doc, entries in labels.items():
        for e in entries:
            unknown = (e.fits - comps) | (e.questions - questions)
            if unknown:
                raise ValueError(f"labels.yaml, {doc}: {sorted(unknown)} not in the bank ({e.text[:50]})")


def first_competency(bank: Bank) -> dict[str, str]:
    return {q.id: q.competencies[0] for q in bank.questions if q.competencies}


def unseen(bank: Bank, ranker: Ranker, verbose: bool = False) -> tuple[Tally, list[str]]:
    """Rank every requirement of the benchmark's job descriptions and judge it by labels.yaml; the detail
    lines give each document's figures (and with ``verbose`` every requirement)."""
    labels = read_labels()
    _check_labels(bank, labels)
    tally, lines = Tally(), []
    for path in sorted(p for p in DATA.iterdir() if p.suffix in {".md", ".txt"}):
        doc = _judge(path, labels, ranker, first_competency(bank), lines if verbose else None)
        lines.append(
            f"{path.stem}: precision@3 {_share(doc.on_topic, doc.shown)} ({doc.on_topic}/{doc.shown}), "
            f"answered {_share(doc.answered, doc.requirements)} ({doc.answered}/{doc.requirements})"
        )
        for name in ("shown", "on_topic", "requirements", "answered", "abstained", "wrong_abstentions"):
            setattr(tally, name, getattr(tally, name) + getattr(doc, name))
    return tally, lines


def _judge(
    path: Path, labels: dict[str, list[Label]], ranker: Ranker, first: dict[str, str], lines: list[str] | None
) -> Tally:
    tally = Tally()
    jd = read_jd_file(path)
    by_text = {e.text: e for e in labels.get(jd.id, [])}
    texts = [r.text for r in jd.requirements]
    if set(texts) != set(by_text):
        missing, extra = sorted(set(texts) - set(by_text)), sorted(set(by_text) - set(texts))
        raise ValueError(f"labels.yaml, {jd.id}: unlabelled {missing[:2]}, labelled but not parsed {extra[:2]}")
    for text in texts:
        label, ranking = by_text[text], ranker.rank(text)
        ok = [m.question_id in label.questions or first.get(m.question_id) in label.fits for m in ranking.matches]
        tally.requirements += 1
        tally.shown += len(ok)
        tally.on_topic += sum(ok)
        good = any(ok) or (ranking.no_match and label.abstain_ok)
        tally.answered += good
        tally.abstained += ranking.no_match
        tally.wrong_abstentions += ranking.no_match and not label.abstain_ok
        if lines is not None:
            lines.append(_describe(text, ranking, ok, good))
    return tally


def _describe(text: str, ranking: Ranking, ok: Sequence[bool], good: bool) -> str:
    head = f"{'  ' if good else '! '}{text[:90]}"
    if ranking.no_match:
        return f"{head}\n      -- {ranking.reason}"
    rows = [
        f"      {'+' if hit else '-'} {m.score:.2f} {m.question_id}  ({m.reason})"
        for m, hit in zip(ranking.matches, ok)
    ]
    return "\n".join([head, *rows])


@dataclass
class LeaveOneOut:
    held_out: str
    requirements: int = 0
    shown: int = 0
    primary: int = 0
    curated: int = 0
    hit: int = 0
    abstained: int = 0


def leave_one_out(bank: Bank) -> list[LeaveOneOut]:
    """Learn from one shipped job description's links, rank for the other's requirements."""
    thesaurus = load_thesaurus(bank.root / "thesaurus.yaml")
    primary: dict[str, set[str]] = {}
    related: dict[str, set[str]] = {}
    for q in bank.questions:
        for r in q.requirements:
            primary.setdefault(r, set()).add(q.id)
        for r in q.related_requirements:
            related.setdefault(r, set()).add(q.id)
    out = []
    for held in bank.job_descriptions:
        train = [jd.id for jd in bank.job_descriptions if jd.id != held.id]
        questions, competencies, texts, screen = bank_inputs(bank, training=train)
        ranker = Ranker(questions, competencies, texts, thesaurus, screen=screen)
        result = LeaveOneOut(held.id)
        for r in held.requirements:
            if r.id not in primary:
                continue  # a screen-only requirement: no curated question to compare with
            ids = [m.question_id for m in ranker.rank(r.text).matches]
            curated = primary[r.id] | related.get(r.id, set())
            result.requirements += 1
            result.shown += len(ids)
            result.primary += sum(i in primary[r.id] for i in ids)
            result.curated += sum(i in curated for i in ids)
            result.hit += any(i in curated for i in ids)
            result.abstained += not ids
        out.append(result)
    return out


def _share(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}%" if d else "-"


def measure(verbose: bool = False) -> Report:
    bank = load_bank(shipped_bank_dir())
    questions, competencies, texts, screen = bank_inputs(bank)
    ranker = Ranker(questions, competencies, texts, load_thesaurus(bank.root / "thesaurus.yaml"), screen=screen)
    tally, lines = unseen(bank, ranker, verbose)
    rows = [
        Row(
            "suggest-precision@3",
            _share(tally.on_topic, tally.shown),
            f"{tally.on_topic}/{tally.shown} shown",
            f">= {PRECISION_TARGET:.0%}",
            "OK" if tally.precision >= PRECISION_TARGET else "MISS",
            "4 job descriptions (1 held out)",
        ),
        Row(
            "suggest-answered",
            _share(tally.answered, tally.requirements),
            f"{tally.answered}/{tally.requirements} reqs",
            f">= {ANSWERED_TARGET:.0%}",
            "OK" if tally.answered_share >= ANSWERED_TARGET else "MISS",
            f"{tally.abstained} 'no good match', {tally.wrong_abstentions} of them wrong",
        ),
    ]
    for r in leave_one_out(bank):
        rows.append(
            Row(
                f"suggest-loo-{r.held_out[:18]}",
                _share(r.curated, r.shown),
                f"primary {_share(r.primary, r.shown)}",
                "",
                "",
                f"hit@3 {_share(r.hit, r.requirements)} of {r.requirements} reqs, {r.abstained} abstained",
            )
        )
    return Report(rows, lines)


@benchmark("suggestions", "question suggestions for job descriptions: precision@3, answered share, leave-one-out")
def suggestions(ctx: Context) -> Report:
    return measure()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/suggestions.py", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="every requirement with its suggestions")
    args = parser.parse_args(argv)
    report = measure(args.verbose)
    for line in report.details:
        print(line)
    for row in report.rows:
        print(f"{row.name:34s} {row.median:>7s}  {row.spread:22s} {row.target:8s} {row.status:5s} {row.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
