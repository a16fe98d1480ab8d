"""How good are the bank's question suggestions for a job description's requirements? (issue 20, point 5)

    python benchmarks/suggestions.py [-v] [--cross-validate]   # -v: every tuned-on requirement with its suggestions
    python benchmarks/run.py --only suggestions                # the same rows in the benchmark table

Three measurements, none of which touches a database (the ranker is :mod:`interviewkit.bank.suggest`, read
from the shipped bank's files exactly as ``jd suggest`` reads it from the database):

* **Job descriptions of other ML roles**: fourteen written for this benchmark (benchmarks/data/jd/), each
  requirement labelled by hand in labels.yaml, before the ranker first ran on it, with the competencies and
  questions that fit it and whether "no good match" is a right answer. All fourteen are tuned on now
  (:data:`TUNED`): rounds one to three held some out and spent them (docs/job-descriptions.md). A blind set
  written by someone else goes in :data:`HELD_OUT` (a document in neither list is held out too): reported
  apart, left out of the weight search and of the classifier's examples, its requirements printed by ``-v``
  only with ``--show-held-out``. The ranker learns from the whole bank (both shipped job descriptions and
  competency_examples.yaml, the tuned-on documents' labels). Reported: precision@3 (the share of the
  suggestions shown, at most 3 per requirement, that are on topic; the ranker shows fewer when the rest score
  too low) and the share of requirements answered well (at least one on-topic suggestion, or an abstention
  where labels.yaml allows one), per group and per document. Targets: 85% and 95%.
* **Leave one document out** (rows ``suggest-cv-*``; ``--cross-validate`` prints each fold): what is learned
  from the benchmark, the labelled examples (the competency classifier's and label transfer's) and the
  threshold, the relative cut, the competency fit's and label transfer's weights and the years rule
  (:func:`weight_grid`, the other fields in their shipped ratios), is learned without one document (the weights
  searched on the others, :func:`_objective`: the least shortfall against the two targets) and that document is
  scored with it; the
  mean over folds, and pooled (label transfer's weight is 0 as shipped and in the grid; ``--label-transfer``
  searches it too). What is chosen by hand (the thesaurus, the bank's questions, the labels, the
  ranker's rules) is the same in every fold: a change to it should raise or hold this figure, but it was made
  looking at all of them, so the figure is honest about what is learned and optimistic about the rest (round
  four's blind set scored 74.4% / 73.1% where it had promised 90.7% / 95.8%).
* **Leave one round out** (rows ``suggest-lro-*``; ``--cross-validate`` prints each document, ``--misses`` every
  requirement it gets wrong, by failure class): rounds four to seven (:data:`ROUNDS`), each a blind set in domains
  the earlier rounds had not seen, are left out whole in turn: the weights are searched on the other twenty-two
  documents (each without its own examples and the round's) and the round's documents are scored by a ranker that
  learned nothing of the round. Pooled over the four rounds: the closest stand-in for the next blind round (rounds
  four to seven scored 68-75% precision@3 where leaving one document out had promised 85-90%). The ranker ships
  what the same search picks on every document, each scored by a ranker that learned nothing of its round
  (``--cross-validate`` prints it; since 2026-12-08).
* **Leave-one-out on the bank's own mapping**: learn from one shipped job description's curated links, rank for
  the other's requirements that have primary questions, and compare with the curated links: precision@3 against
  the primary questions, and against primary or related ones; the share of requirements whose top 3 hold a
  curated question. The curated sets are small (2-3 questions of 125), so other fitting questions count as
  misses here: a strict lower bound, not a target.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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
from interviewkit.bank.suggest import (
    SCREEN_FACT,
    Ranker,
    Ranking,
    Weights,
    bank_inputs,
    load_examples,
    load_thesaurus,
)
from interviewkit.paths import shipped_bank_dir

DATA = Path(__file__).resolve().parent / "data" / "jd"
PRECISION_TARGET = 0.85
ANSWERED_TARGET = 0.95
# The documents whose misses were looked at while tuning: all ten since round four (rounds one to three held some out
# and spent them, see docs/job-descriptions.md), and those written by someone else, never looked at requirement by
# requirement and measured once (none in the repository now: a blind set is added at the end of a round).
TUNED = (
    "staff-ml-engineer-recsys",
    "mlops-platform-lead",
    "applied-scientist-manager",
    "ml-manager-fraud-risk",
    "ml-platform-em-search-ranking",
    "head-of-mlops-healthcare",
    "applied-science-manager-recommendations",
    "senior-mlops-engineer-retail-bank",
    "head-of-data-science-forecasting",
    "lead-ml-platform-engineer-logistics",
    # round four's blind set, written by someone who never ran the ranker, measured once (precision@3 74.4%,
    # answered 73.1%): spent, its misses looked at
    "engineering-manager-computer-vision-inspection",
    "director-ml-insurance-pricing",
    "ml-engineering-lead-llm-assistant",
    "manager-nlp-document-ai-legal",
    # round five's blind set, written by someone who never ran the ranker, measured once (precision@3 68.2%,
    # answered 79.7%, while leaving one document out of the fourteen had promised 88.4% / 94.7%): spent
    "head-of-ml-engineering-lending",
    "em-ml-infrastructure-training-clusters",
    "ml-em-trust-and-safety-marketplace",
    "director-data-ml-retail-cloud",
    # round six's blind set, written by someone who never ran the ranker, measured once (precision@3 68.2%,
    # answered 77.6%; against a second blind labeller's labels 63.5% / 80.6%, against either 74.3% / 82.1%;
    # data/jd/round6-second-labeller.yaml, docs/job-descriptions.md): spent
    "staff-ml-engineer-network-intelligence",
    "ml-engineering-manager-threat-detection",
    "director-of-machine-learning-games",
    "lead-ml-engineer-speech-assessment",
    # round seven's blind set, written by someone who never ran the ranker, measured once with the ranker as
    # shipped (precision@3 74.8%, answered 79.7%) and once with label transfer on at the search's pick (79.7% /
    # 79.7%), 2026-12-08 00:13 UTC (docs/job-descriptions.md): spent
    "adtech-bidding-ml-eng-manager",
    "av-perception-ml-eng-manager",
    "biotech-ml-lead-drug-discovery",
    "public-sector-ml-lead-statistics",
)
# Round eight's blind set (2026-12-08), written and labelled by a helper who never opened or ran the ranker, measured
# once at 03:04 UTC with the ranker frozen at c5b169b: precision@3 74.5% (137/184), answered 85.7% (72/84), 1 wrong
# "no good match" (db93f95's weights: 74.8% / 85.7%). Spent, not yet tuned on (no examples of it in
# competency_examples.yaml), so it stays out of the weight search and of both leave-out measurements
# (docs/job-descriptions.md).
HELD_OUT: tuple[str, ...] = (
    "helioflux-ml-engineering-manager-forecasting",
    "graspwell-head-of-ml",
    "lumora-ml-platform-lead",
    "tallybrook-senior-em-ml-infrastructure",
    "northlight-applied-ml-manager-genai",
)


def is_held_out(doc: str) -> bool:
    """A document named in HELD_OUT, or in no list at all (a new one is blind until someone tunes on it)."""
    return doc in HELD_OUT or doc not in TUNED


# What the weight search of --cross-validate tries (the other field weights keep their ratios).
GRID_THRESHOLD = (0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18)
GRID_RELATIVE = (0.70, 0.75, 0.80, 0.85, 0.90)
GRID_COMPETENCY = (0.15, 0.20, 0.25, 0.30)  # the competency fit's share of what label transfer leaves
GRID_TRANSFER = (0.0,)  # label transfer is off as shipped (docs/job-descriptions.md, "Label transfer")
# How sure the classifier must be of what a number of years is of to rank it (Weights.years_sure; 2.0: never).
GRID_YEARS = (2.0, 0.7, 0.9)
# With --label-transfer: its weight searched too, and the thresholds and cuts its scores asked for (higher
# thresholds, lower cuts). On this wider grid, leaving one round out: 74.1% / 77.6% before label transfer and
# round five's examples, 74.0% / 78.9% with the examples, 78.1% / 79.8% with label transfer searched too (+3.9
# points of precision over the shipped ranker, short of the +4 asked for switching it on); leaving one document
# out 86.0% / 87.4%, 86.2% / 87.2%, 86.2% / 87.4%.
WIDE_THRESHOLD = (*GRID_THRESHOLD, 0.19, 0.20)
WIDE_RELATIVE = (0.60, 0.65, *GRID_RELATIVE)
WIDE_TRANSFER = (0.0, 0.1, 0.2, 0.3)
# Rounds four to seven (docs/job-descriptions.md): each a blind set of four documents written by someone who never
# ran the ranker, in domains the earlier rounds had not seen. Leaving a whole round out (:func:`leave_one_round_out`)
# is the closest stand-in for the next blind round the 26 documents offer. (Round seven joined on 2026-12-08: with
# rounds four to six only, the shipped ranker of db93f95 gave 76.3% / 80.7%, with seven 77.7% / 79.8%.)
ROUNDS = {"four": TUNED[10:14], "five": TUNED[14:18], "six": TUNED[18:22], "seven": TUNED[22:26]}


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


@dataclass(frozen=True)
class Case:
    """One labelled requirement of a benchmark document."""

    doc: str
    text: str
    label: Label


def read_cases(bank: Bank) -> dict[str, list[Case]]:
    """Every benchmark document's requirements (as ``jd import`` parses them) with their labels, by document
    id, in file-name order. Raises ValueError when labels.yaml and a document disagree."""
    labels = read_labels()
    _check_labels(bank, labels)
    _check_examples(bank, labels)
    out: dict[str, list[Case]] = {}
    for path in sorted(p for p in DATA.iterdir() if p.suffix in {".md", ".txt", ".html"}):
        jd = read_jd_file(path)
        by_text = {e.text: e for e in labels.get(jd.id, [])}
        texts = [r.text for r in jd.requirements]
        if set(texts) != set(by_text):
            missing, extra = sorted(set(texts) - set(by_text)), sorted(set(by_text) - set(texts))
            raise ValueError(f"labels.yaml, {jd.id}: unlabelled {missing[:2]}, labelled but not parsed {extra[:2]}")
        out[path.stem] = [Case(path.stem, t, by_text[t]) for t in texts]
    return out


def _add(total: Tally, part: Tally) -> None:
    for name in ("shown", "on_topic", "requirements", "answered", "abstained", "wrong_abstentions"):
        setattr(total, name, getattr(total, name) + getattr(part, name))


def _count(tally: Tally, label: Label, ok: Sequence[bool]) -> bool:
    """Adds one requirement's verdict to ``tally``; True when it is answered well."""
    tally.requirements += 1
    tally.shown += len(ok)
    tally.on_topic += sum(ok)
    good = any(ok) or (not ok and label.abstain_ok)
    tally.answered += good
    tally.abstained += not ok
    tally.wrong_abstentions += not ok and not label.abstain_ok
    return good


def unseen(
    bank: Bank, ranker: Ranker, verbose: bool = False, show_held_out: bool = False
) -> tuple[dict[str, Tally], list[str]]:
    """Rank every requirement of the benchmark's job descriptions and judge it by labels.yaml: the tallies of
    the tuned-on documents ("tuned"), the held-out ones ("held out") and all ("all"); the detail lines give
    each document's figures (with ``verbose`` every tuned-on requirement, and held-out ones too with
    ``show_held_out``)."""
    groups = {"all": Tally(), "tuned": Tally(), "held out": Tally()}
    lines: list[str] = []
    first = first_competency(bank)
    for stem, cases in read_cases(bank).items():
        held = is_held_out(stem)
        detail = lines if verbose and (show_held_out or not held) else None
        doc = Tally()
        for case in cases:
            ranking = ranker.rank(case.text)
            ok = [_on_topic(case.label, m.question_id, first) for m in ranking.matches]
            good = _count(doc, case.label, ok)
            if detail is not None:
                detail.append(_describe(case.text, ranking, ok, good))
        lines.append(
            f"{stem}{' (held out)' if held else ''}: precision@3 {_share(doc.on_topic, doc.shown)} "
            f"({doc.on_topic}/{doc.shown}), answered {_share(doc.answered, doc.requirements)} "
            f"({doc.answered}/{doc.requirements})"
        )
        _add(groups["held out" if held else "tuned"], doc)
        _add(groups["all"], doc)
    return groups, lines


def _on_topic(label: Label, qid: str, first: dict[str, str]) -> bool:
    return qid in label.questions or first.get(qid) in label.fits


# -- leave one document out ----------------------------------------------------------------------------------


def weight_grid(base: Weights, label_transfer: bool = False) -> list[Weights]:
    """The weights the search tries, nearest to ``base`` first (so that a tie keeps what is shipped): every
    threshold, relative cut, label transfer weight, competency share and years rule of the GRID_ constants, the
    text fields in ``base``'s ratios. (A competency share c with transfer t: competency c * (1 - t),
    text fields (1 - c) * (1 - t).)"""
    rest = base.title + base.prompt + base.rubric + base.requirements
    grid = []
    for share, transfer, threshold, relative, years in itertools.product(
        GRID_COMPETENCY,
        WIDE_TRANSFER if label_transfer else GRID_TRANSFER,
        WIDE_THRESHOLD if label_transfer else GRID_THRESHOLD,
        WIDE_RELATIVE if label_transfer else GRID_RELATIVE,
        GRID_YEARS,
    ):
        k = (1.0 - share) * (1.0 - transfer) / rest
        grid.append(
            replace(
                base,
                title=base.title * k,
                prompt=base.prompt * k,
                rubric=base.rubric * k,
                requirements=base.requirements * k,
                competency=share * (1.0 - transfer),
                transfer=transfer,
                threshold=threshold,
                relative=relative,
                years_sure=years,
            )
        )

    def distance(w: Weights) -> float:
        return (
            abs(w.threshold - base.threshold) / 0.01
            + abs(w.relative - base.relative) / 0.05
            + abs(w.competency / (1.0 - w.transfer) - base.competency / (1.0 - base.transfer)) / 0.05
            + abs(w.transfer - base.transfer) / 0.05
            + abs(min(w.years_sure, 1.1) - min(base.years_sure, 1.1)) / 0.2
        )

    return sorted(grid, key=distance)


def _objective(t: Tally) -> tuple[float, float]:
    """What the search maximises: the least shortfall against the two targets (precision@3 85%, answered 95%),
    then precision plus answered. (Their plain sum, tried first, traded answered requirements for precision
    already over its target: cross-validated 89.6% / 90.7% against 87.0% / 93.0%.)"""
    shortfall = max(0.0, PRECISION_TARGET - t.precision) + max(0.0, ANSWERED_TARGET - t.answered_share)
    return -round(shortfall, 9), t.precision + t.answered_share


@dataclass(frozen=True)
class Verdict:
    """One requirement as a fold scored it: the questions shown, each on topic or not, and why none."""

    case: Case
    shown: tuple[tuple[str, bool], ...]
    why: str

    @property
    def failure(self) -> str:
        """Its failure class ("" when every suggestion is on topic, or the abstention is allowed)."""
        ok = [hit for _, hit in self.shown]
        if not ok:
            if self.case.label.abstain_ok:
                return ""
            kind = "a CV fact" if SCREEN_FACT in self.why else "under threshold"
            return f"wrong 'no good match': {kind}"
        if not any(ok):
            if self.case.label.abstain_ok:
                return "fillers where no question assesses it (abstain_ok)"
            return "only off-topic suggestions where a question fits"
        if all(ok):
            return ""
        return "slot 1 on topic, a later slot off topic" if ok[0] else "slot 1 off topic, a later slot on topic"


def _tally_with(
    ranker: Ranker,
    cases: Sequence[Case],
    first: list[str],
    weights: Weights,
    verdicts: list[Verdict] | None = None,
) -> Tally:
    tally = Tally()
    for case in cases:
        chosen, why = ranker.choose(case.text, weights=weights)
        ids = [ranker.questions[qi].id for qi in chosen]
        ok = [i in case.label.questions or first[qi] in case.label.fits for i, qi in zip(ids, chosen)]
        _count(tally, case.label, ok)
        if verdicts is not None:
            verdicts.append(Verdict(case, tuple(zip(ids, ok)), why))
    return tally


@dataclass
class Fold:
    doc: str
    weights: Weights
    tally: Tally


def _best(grid: Sequence[Weights], tallies: dict[str, list[Tally]], docs: Sequence[str]) -> int:
    """The grid point whose tallies over ``docs`` the objective likes best (the first of equals)."""
    scores = []
    for g in range(len(grid)):
        total = Tally()
        for d in docs:
            _add(total, tallies[d][g])
        scores.append(_objective(total))
    return max(range(len(grid)), key=lambda g: (scores[g], -g))


def cross_validate(bank: Bank, label_transfer: bool = False) -> tuple[list[Fold], Weights]:
    """Leave one document out: for each tuned-on document, the weights (threshold, relative cut, competency
    weight) that do best on the other documents, and the document's figures with them, its ranker's competency
    classifier learning without the document's labelled examples (competency_examples.yaml). The weight search
    sees every other document as unseen too (round five): each is scored by a ranker that learns without its
    examples and without the left-out document's (with every document's examples in the classifier the search
    saw the other documents in-sample, and picked thresholds that abstained too often on an unseen one). Also
    the weights the search picks on all of them, each scored without its own examples (what the ranker shipped
    until 2026-12-08; now :func:`leave_one_round_out`'s pick, the same on the 26 documents).
    The thesaurus and the bank are the same in every fold (chosen by hand looking at all tuned-on documents:
    this figure is honest about what is learned, not about them)."""
    docs = {d: c for d, c in read_cases(bank).items() if not is_held_out(d)}
    grid = weight_grid(Weights(), label_transfer)
    make = _ranker_maker(bank)
    first = [q.competencies[0] if q.competencies else "" for q in make(frozenset()).questions]
    folds = []
    for doc in [*docs, None]:
        scored = [d for d in docs if d != doc]
        tallies = {
            d: [_tally_with(make(frozenset({d, doc} - {None})), docs[d], first, w) for w in grid] for d in scored
        }
        g = _best(grid, tallies, scored)
        if doc is None:
            return folds, grid[g]
        folds.append(Fold(doc, grid[g], _tally_with(make(frozenset({doc})), docs[doc], first, grid[g])))
    raise AssertionError("unreachable")


def leave_one_round_out(
    bank: Bank, label_transfer: bool = False, verdicts: list[Verdict] | None = None
) -> tuple[list[Fold], Weights]:
    """Leave one round out (:data:`ROUNDS`): for each of rounds four to seven, the weights that do best on the
    documents of the other rounds, each scored by a ranker that learns without its own examples and the round's
    (as :func:`cross_validate` does for one document), and each of the round's documents scored with them by a
    ranker that learned nothing of the round (its examples out of the classifier and of label transfer). A round
    brought new domains each time, so this is closer to what a blind round scores than leaving one document out
    (whose neighbours in the same round stay in). ``verdicts`` gets each of the round's requirements as scored.
    Also the weights the same search picks on every document, each scored by a ranker that learned nothing of
    its round (a document of rounds one to three: nothing of itself): what the ranker ships."""
    docs = {d: c for d, c in read_cases(bank).items() if not is_held_out(d)}
    grid = weight_grid(Weights(), label_transfer)
    make = _ranker_maker(bank)
    first = [q.competencies[0] if q.competencies else "" for q in make(frozenset()).questions]
    folds = []
    for held in ROUNDS.values():
        out = frozenset(held) & set(docs)
        scored = [d for d in docs if d not in out]
        tallies = {d: [_tally_with(make(out | {d}), docs[d], first, w) for w in grid] for d in scored}
        g = _best(grid, tallies, scored)
        folds += [Fold(d, grid[g], _tally_with(make(out), docs[d], first, grid[g], verdicts)) for d in held if d in out]
    round_of = {d: frozenset(held) for held in ROUNDS.values() for d in held}
    tallies = {
        d: [_tally_with(make(round_of.get(d, frozenset()) | {d}), docs[d], first, w) for w in grid] for d in docs
    }
    return folds, grid[_best(grid, tallies, list(docs))]


def failure_classes(verdicts: Sequence[Verdict], lines: list[str]) -> None:
    """Each requirement a leave-one-round-out fold got wrong, grouped by failure class with its count of
    requirements and of off-topic suggestions (docs/job-descriptions.md keeps the counts)."""
    by_class: dict[str, list[Verdict]] = {}
    for v in verdicts:
        if v.failure:
            by_class.setdefault(v.failure, []).append(v)
    for name, members in sorted(by_class.items(), key=lambda kv: -len(kv[1])):
        off = sum(not hit for v in members for _, hit in v.shown)
        lines.append(f"lro misses, {name}: {len(members)} requirements, {off} off-topic suggestions")
        for v in members:
            shown = ", ".join(f"{'+' if hit else '-'}{q}" for q, hit in v.shown) or v.why
            lines.append(f"  [{v.case.doc}] {v.case.text[:100]}\n      {shown}")


def lro_rows(folds: Sequence[Fold], lines: list[str]) -> list[Row]:
    """The leave-one-round-out figures, pooled over the held-out rounds' documents (each round's in the note)."""
    pooled, per_round = Tally(), []
    for name, held in ROUNDS.items():
        part = Tally()
        for f in folds:
            if f.doc in held:
                _add(part, f.tally)
                t = f.tally
                lines.append(
                    f"lro {f.doc}: {_weights_text(f.weights)} -> precision@3 {_share(t.on_topic, t.shown)}, "
                    f"answered {_share(t.answered, t.requirements)}"
                )
        _add(pooled, part)
        per_round.append(f"{name} {100 * part.precision:.1f}/{100 * part.answered_share:.1f}")
    return [
        Row(
            "suggest-lro-precision@3",
            _share(pooled.on_topic, pooled.shown),
            f"{pooled.on_topic}/{pooled.shown} shown",
            f">= {PRECISION_TARGET:.0%}",
            "OK" if pooled.precision >= PRECISION_TARGET else "MISS",
            "leave one round out (rounds four to seven, pooled; weights searched without the round): "
            + ", ".join(per_round),
        ),
        Row(
            "suggest-lro-answered",
            _share(pooled.answered, pooled.requirements),
            f"{pooled.answered}/{pooled.requirements} reqs",
            f">= {ANSWERED_TARGET:.0%}",
            "OK" if pooled.answered_share >= ANSWERED_TARGET else "MISS",
            f"leave one round out: {pooled.abstained} 'no good match', {pooled.wrong_abstentions} of them wrong",
        ),
    ]


def _weights_text(w: Weights) -> str:
    years = f"{w.years_sure:.2f}" if w.years_sure <= 1.0 else "off"
    return (
        f"threshold {w.threshold:.2f}, relative {w.relative:.2f}, competency {w.competency:.3f}, "
        f"transfer {w.transfer:.2f}, years rule {years}"
    )


def cv_rows(folds: Sequence[Fold], chosen: Weights, lines: list[str]) -> list[Row]:
    """The cross-validated figures: the mean over folds (each document's own share), and pooled in the spread."""
    pooled = Tally()
    for f in folds:
        _add(pooled, f.tally)
        lines.append(
            f"cv {f.doc}: {_weights_text(f.weights)} -> precision@3 {_share(f.tally.on_topic, f.tally.shown)}, "
            f"answered {_share(f.tally.answered, f.tally.requirements)}"
        )
    lines.append(f"cv: the search on all {len(folds)} documents picks {_weights_text(chosen)}")
    n = max(len(folds), 1)
    precision = sum(f.tally.precision for f in folds) / n
    answered = sum(f.tally.answered_share for f in folds) / n
    return [
        Row(
            "suggest-cv-precision@3",
            f"{100 * precision:.1f}%",
            f"pooled {_share(pooled.on_topic, pooled.shown)} ({pooled.on_topic}/{pooled.shown})",
            f">= {PRECISION_TARGET:.0%}",
            "OK" if precision >= PRECISION_TARGET else "MISS",
            f"leave one document out, mean of {len(folds)} folds (weights searched without the document)",
        ),
        Row(
            "suggest-cv-answered",
            f"{100 * answered:.1f}%",
            f"pooled {_share(pooled.answered, pooled.requirements)} ({pooled.answered}/{pooled.requirements})",
            f">= {ANSWERED_TARGET:.0%}",
            "OK" if answered >= ANSWERED_TARGET else "MISS",
            f"leave one document out: {pooled.abstained} 'no good match', {pooled.wrong_abstentions} of them wrong",
        ),
    ]


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
    examples = load_examples(bank.root / "competency_examples.yaml")  # none of the bank's own documents
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
        ranker = Ranker(questions, competencies, texts, thesaurus, screen=screen, examples=examples)
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


def shipped_ranker(bank: Bank, leave_out: str | None = None) -> Ranker:
    """The ranker as ``jd suggest`` builds it, learning from the bank's labelled examples but those of the
    document ``leave_out``."""
    return _ranker_maker(bank)(frozenset({leave_out} - {None}))


def _ranker_maker(bank: Bank) -> Callable[[frozenset[str]], Ranker]:
    """Rankers as ``jd suggest`` builds them, each learning from the bank's labelled examples but those of the
    documents it is given (kept: the nested search of :func:`cross_validate` asks for each pair many times)."""
    questions, competencies, texts, screen = bank_inputs(bank)
    examples = load_examples(bank.root / "competency_examples.yaml")
    thesaurus = load_thesaurus(bank.root / "thesaurus.yaml")
    made: dict[frozenset[str], Ranker] = {}

    def make(leave_out: frozenset[str]) -> Ranker:
        if leave_out not in made:
            kept = [e for e in examples if e.source not in leave_out]
            made[leave_out] = Ranker(
                questions, competencies, texts, thesaurus, screen=screen, examples=kept, label_transfer=True
            )
        return made[leave_out]

    return make


def _check_examples(bank: Bank, labels: dict[str, list[Label]]) -> None:
    """competency_examples.yaml holds labels.yaml's ``fits`` (as ``competencies``) and ``questions`` of every
    requirement of the tuned-on documents, word for word, and nothing of a held-out document (its examples would
    teach the classifier and label transfer the answers)."""
    by_text = {(doc, e.text): e for doc, entries in labels.items() for e in entries}
    examples = load_examples(bank.root / "competency_examples.yaml")
    missing = set(by_text) - {(e.source, e.text) for e in examples}
    for doc, text in sorted(missing):
        if not is_held_out(doc):  # round five's were missing until round seven: its classifier never saw them
            raise ValueError(f"competency_examples.yaml, {doc}: a tuned-on requirement is missing: {text[:50]}")
    for e in examples:
        if is_held_out(e.source):
            raise ValueError(f"competency_examples.yaml holds an example of held-out {e.source}: {e.text[:50]}")
        label = by_text.get((e.source, e.text))
        if label is None or (label.fits, label.questions) != (frozenset(e.competencies), frozenset(e.questions)):
            raise ValueError(f"competency_examples.yaml, {e.source}: not as in labels.yaml: {e.text[:50]}")


def measure(
    verbose: bool = False,
    show_held_out: bool = False,
    folds: bool = False,
    label_transfer: bool = False,
    misses: bool = False,
) -> Report:
    """The rows (the cross-validated ones always: the search takes a second or two) and the detail lines
    (each fold's with ``folds``)."""
    bank = load_bank(shipped_bank_dir())
    ranker = shipped_ranker(bank)
    groups, lines = unseen(bank, ranker, verbose, show_held_out)
    notes = {
        "all": "all job descriptions, in-sample (the tuned-on ones' labels taught the classifier)",
        "tuned": f"{len(TUNED)} tuned on, in-sample",
        "held out": "held out (not in TUNED): blind",
    }
    rows = []
    for group, tally in groups.items():
        if not tally.requirements or (group == "tuned" and not groups["held out"].requirements):
            continue  # no held-out document now; "tuned" is "all" then
        suffix = "" if group == "all" else f"-{group.replace(' ', '-')}"
        rows += [
            Row(
                f"suggest-precision@3{suffix}",
                _share(tally.on_topic, tally.shown),
                f"{tally.on_topic}/{tally.shown} shown",
                f">= {PRECISION_TARGET:.0%}",
                "OK" if tally.precision >= PRECISION_TARGET else "MISS",
                notes[group],
            ),
            Row(
                f"suggest-answered{suffix}",
                _share(tally.answered, tally.requirements),
                f"{tally.answered}/{tally.requirements} reqs",
                f">= {ANSWERED_TARGET:.0%}",
                "OK" if tally.answered_share >= ANSWERED_TARGET else "MISS",
                f"{notes[group]}: {tally.abstained} 'no good match', {tally.wrong_abstentions} of them wrong",
            ),
        ]
    fold_results, chosen = cross_validate(bank, label_transfer)
    rows += cv_rows(fold_results, chosen, lines if folds else [])
    verdicts: list[Verdict] = []
    lro_folds, lro_chosen = leave_one_round_out(bank, label_transfer, verdicts)
    rows += lro_rows(lro_folds, lines if folds else [])
    if folds:
        lines.append(f"lro: the search on every document, each without its round, picks {_weights_text(lro_chosen)}")
    if misses:
        failure_classes(verdicts, lines)
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
    parser.add_argument("-v", "--verbose", action="store_true", help="every tuned-on requirement with its suggestions")
    parser.add_argument(
        "--show-held-out", action="store_true", help="with -v, the held-out documents' requirements too (spoils them)"
    )
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="each leave-one-document-out fold: the weights searched without the document and its figures",
    )
    parser.add_argument(
        "--label-transfer",
        action="store_true",
        help="search label transfer's weight too (WIDE_ grids), in both leave-out measurements (3-4 times slower)",
    )
    parser.add_argument(
        "--misses",
        action="store_true",
        help="every requirement leaving one round out gets wrong, by failure class (spoils no blind set: all tuned on)",
    )
    args = parser.parse_args(argv)
    report = measure(args.verbose, args.show_held_out, args.cross_validate, args.label_transfer, args.misses)
    for line in report.details:
        print(line)
    for row in report.rows:
        print(f"{row.name:34s} {row.median:>7s}  {row.spread:22s} {row.target:8s} {row.status:5s} {row.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
