"""Which bank questions fit a job-description requirement: ranked on meaning, with a score, a reason and
an honest "no good match in the bank".

Plain data in, plain data out: no Qt, no SQL (``services/jd.py`` reads the bank from the database; the
benchmark and the tests from the bank's files). The ranker learns from the bank itself:

* **What competency a requirement asks for.** The bank's curated primary links (a requirement and the
  questions built for it) are labelled data: a requirement's label is the competencies of its primary
  questions (the first a question names counts fully, the others half). Each competency's centroid is the
  TF-IDF vectors of its labelled requirements plus its own name and description; a requirement's
  competencies are the softmax of its cosines to the centroids (a nearest-centroid classifier). Requirements
  of other job descriptions labelled by hand with the competencies they ask for (the bank's
  ``competency_examples.yaml``, :func:`load_examples`) join the centroids as labelled requirements do.
* **Words that mean the same.** Words are stemmed (a light suffix stripper: deploy, deploys, deployed,
  deploying and deployment meet) and the bank's curated thesaurus (``thesaurus.yaml``, read by
  :mod:`interviewkit.bank.thesaurus`) maps each group of synonyms and each phrase ("machine learning", "CI/CD") to one
  term, so "serve" meets "deploy" and "machine learning" no longer meets "several machines".
* **Label transfer.** The labelled requirements nearest to a new one (TF-IDF cosine over the bank's requirements
  and the examples: :attr:`Weights.neighbours` of them, weighted by a softmax of their cosines) vote for the
  questions on topic for them: a bank requirement's linked questions and its competencies' questions, an
  example's competencies' questions and the questions its ``questions`` names (the benchmark's rule of what is
  on topic). Requirements of a new domain resemble other job descriptions' requirements more than they resemble
  the bank's questions: leaving a whole blind round out of the 22 benchmark documents, this lifted precision@3
  where leaving one document out barely moved it (docs/job-descriptions.md).
* **Field weights, not a bag of everything.** A question's title, prompt (with follow-ups), rubric (anchors
  and evidence checklist) and the texts of the requirements it was built for are compared with the
  requirement separately (cosine of TF-IDF vectors, idf over the bank's questions) and weighted
  (:class:`Weights`), together with the competency fit and label transfer's vote.

The score is that weighted sum, in 0..1. Questions under :attr:`Weights.threshold`, or far below the best
one (:attr:`Weights.relative`), are not proposed; a requirement with none left gets "no good match in the
bank": a gap for the bank's owner, not three weak fillers. A requirement that states a CV fact (years, a degree, a
certification, a spoken language) is left to the recruiter's screen, except that a number of years of something
the classifier is sure of ("4+ years leading ML engineers": :attr:`Weights.years_sure`) is ranked on what the years
are of, each reason saying that the years are the screen's. With :attr:`Weights.unsure` set (off as shipped), so
does one whose competency the classifier is unsure of when the questions left share with it only generic words,
those that many job descriptions' requirements use whatever they ask for (model, data, team, build:
:attr:`Weights.generic`).

Why no library: scikit-learn is not a dependency (and would be one only for a TF-IDF and a centroid over
a few hundred short texts); numpy does both in a few lines. Stemming is a light suffix stripper rather
than a Snowball stemmer for the same reason: the thesaurus does the work that matters in this field.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from interviewkit.bank.jd_vocabulary import NUMBER_OF_YEARS
from interviewkit.bank.model import Bank
from interviewkit.bank.thesaurus import (
    Thesaurus,
    ThesaurusError,
    load_thesaurus,
    parse_thesaurus,
    stem,
    terms,
    thesaurus_problems,
)

__all__ = [
    "NO_MATCH",
    "SCREEN_FACT",
    "CompetencyText",
    "Evidence",
    "Example",
    "ExamplesError",
    "Match",
    "QuestionText",
    "Ranker",
    "Ranking",
    "Thesaurus",
    "ThesaurusError",
    "Weights",
    "bank_inputs",
    "load_examples",
    "load_thesaurus",
    "parse_thesaurus",
    "question_text",
    "states_cv_fact",
    "stem",
    "terms",
    "thesaurus_problems",
]

NO_MATCH = "no good match in the bank"
SCREEN_FACT = "a fact for the recruiter's screen (years, degrees, certifications, languages)"

# What a CV states and a recruiter's screen checks, not an interview: a number of years, a degree, a
# certification, a spoken language. (Before, a requirement closer to the screen's items than to any
# competency went to the screen: on the benchmark's tuned-on documents that sent skills there, statistics,
# Python, publications, and let a cloud certification through to a cloud question.) A certification the
# company goes through ("our safety and certification team", "certification evidence") is work, not a CV fact.
# A language by name counts when the text asks the candidate to speak it ("French is a plus", "speaks German"),
# not when it names the work ("English-language search", "models for Japanese text"): round six's blind set.
_LANGUAGES = (
    "English|French|German|Spanish|Portuguese|Italian|Dutch|Polish|Swedish|Norwegian|Danish|Finnish|Japanese|Mandarin"
    "|Chinese|Cantonese|Korean|Arabic|Hebrew|Hindi|Turkish|Russian|Ukrainian|Czech|Greek|Romanian|Hungarian"
    "|Vietnamese|Thai|Indonesian"
)
# "spoken" alone is no language: "the models that grade every spoken exercise" (round six) went to the screen.
_CV_FACT = re.compile(
    rf"""\b(?:degree|bachelor'?s?|master'?s|masters|master\s+of|ph\.?\s?d|doctorate|msc|bsc)\b
    | \bcertifi(?:cation|cations|cate|cates|ed)\b
      (?!\s+(?:team|teams|body|bodies|authorit\w*|process\w*|evidence|requirements?|audits?|work))
    | \b(?:fluen(?:t|cy|tly)|native\s+speaker|languages?\s+skills)\b
    | \bspoken\s+(?:and\s+written\s+)?(?:{_LANGUAGES}|languages?)\b
    | \b(?:speak(?:s|ing)?|proficien(?:t|cy)\s+in)\s+(?:{_LANGUAGES})\b
    | \b(?:{_LANGUAGES})(?:\s+language)?\s+(?:is\s+(?:a\s+plus|required|preferred
        |an?\s+(?:advantage|asset|bonus))|skills|proficiency|speaker|speaking)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A number of years, in digits or in words: round four found "ten years of experience" sent to a research
# question.
_YEARS = re.compile(NUMBER_OF_YEARS, re.IGNORECASE)
# "... within two years", "in five years' time": a plan's time span, not a candidate's experience.
_SPAN = re.compile(r"\b(?:in|within|next|every|after|per|each)\s*$", re.IGNORECASE)


def states_cv_fact(text: str) -> bool:
    """True when ``text`` asks for something a CV states and the recruiter's screen checks (years of
    experience, a degree, a certification, a spoken language): no interview question should be proposed."""
    if _CV_FACT.search(text):
        return True
    return any(not _SPAN.search(text[: m.start()]) for m in _YEARS.finditer(text))


# -- labelled examples -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    """A requirement of some job description labelled with the competencies it asks for (each counts as much
    as the others; none when no competency of the bank fits it); ``source``: the document it comes from (the
    benchmark leaves one out at a time); ``questions``: questions on topic for it besides those whose first
    competency is one of its competencies (label transfer votes for both)."""

    text: str
    competencies: tuple[str, ...]
    source: str = ""
    questions: tuple[str, ...] = ()


class ExamplesError(ThesaurusError):
    """A file of labelled examples that cannot be used (a ThesaurusError: a file of the ranker's vocabulary,
    reported the same way)."""


def load_examples(path: Path) -> list[Example]:
    """The labelled examples of ``path`` (a YAML list of ``{text, competencies, source}``); none when the file
    does not exist. Raises :class:`ExamplesError` naming the file and the entry for a file that cannot be used."""
    if not path.is_file():
        return []
    try:
        # libyaml when PyYAML has it (as bank/loader.py reads the bank): the shipped file of ~40 kB took 0.13 s
        # with the pure-Python parser on every `jd suggest`, 0.007 s with libyaml; the same lists and texts
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as e:
        raise ExamplesError(path.name, 0, f"cannot be read ({type(e).__name__})") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ExamplesError(path.name, mark.line + 1 if mark else 0, "cannot be read as YAML") from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ExamplesError(path.name, 0, "must be a list of examples")
    out = []
    for n, entry in enumerate(raw, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str) or not entry["text"].strip():
            raise ExamplesError(path.name, 0, f"example {n}: needs a text")
        comps = entry.get("competencies")
        if (
            not isinstance(comps, list)
            or not all(isinstance(c, str) for c in comps)
            or not (comps or "questions" in entry)
        ):
            raise ExamplesError(path.name, 0, f"example {n}: needs a list of competency ids")
        questions = entry.get("questions") or []
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            raise ExamplesError(path.name, 0, f"example {n}: questions must be a list of question ids")
        source = entry.get("source", "")
        out.append(Example(entry["text"], tuple(comps), source if isinstance(source, str) else "", tuple(questions)))
    return out


# -- the ranker ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionText:
    """What the ranker reads of a question. ``requirements``: the ids of the requirements it was built for
    (primary links); ``related``: those it only touches."""

    id: str
    title: str
    prompt: str
    rubric: str
    competencies: tuple[str, ...]
    requirements: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


def question_text(
    qid: str,
    title: str,
    prompt: str,
    *,
    follow_ups: Iterable[str] = (),
    rubric: Iterable[str] = (),
    evidence: Iterable[str] = (),
    competencies: Iterable[str] = (),
    requirements: Iterable[str] = (),
    related: Iterable[str] = (),
) -> QuestionText:
    """A question's fields as the ranker reads them, whether from the bank's files or the database: the
    prompt with its follow-ups, the rubric with its evidence checklist."""
    return QuestionText(
        qid,
        title,
        "\n".join([prompt, *follow_ups]),
        "\n".join([*rubric, *evidence]),
        tuple(competencies),
        tuple(requirements),
        tuple(related),
    )


@dataclass(frozen=True)
class CompetencyText:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Weights:
    """How much each field counts (they sum to 1, so a score is in 0..1), and when to stay silent."""

    # 2026-12-08: what the benchmark's weight search (benchmarks/suggestions.py: the least shortfall against
    # precision@3 85% and answered 95%) picks on its 26 job descriptions, each scored by a ranker that learned
    # nothing of its blind round (its round's labelled examples out of competency_examples.yaml; a document of
    # rounds one to three, its own): threshold 0.18, competency 0.25, years rule 0.90 (leaving one document out
    # picks the same). Round five's pick, 0.13 and 0.15 on fourteen documents, had stayed shipped since. The four
    # text fields keep round five's ratios (0.35 : 0.19 : 0.155 : 0.155).
    title: float = 0.3088
    prompt: float = 0.1676
    rubric: float = 0.1368
    requirements: float = 0.1368
    competency: float = 0.25
    threshold: float = 0.18  # below it, a question is not proposed
    relative: float = 0.70  # nor one under this share of the best question's score
    sharpness: float = 25.0  # softmax temperature of the competency classifier (higher: more decided)
    description: float = 1.0  # a competency's own text in its centroid, against its labelled requirements
    # Round five: under this competency probability, a question must share a word that is not generic, one
    # used by at least ``generic`` of the job descriptions' requirements (the bank's and the examples'). Off:
    # with the weight search seeing each document unseen, 0.45 cost answered requirements (cross-validated
    # 88.7% / 93.5% against 88.4% / 94.7% without); it had helped under the in-sample search (92.4% / 91.7%
    # against 91.6% / 91.3%).
    unsure: float = 0.0
    generic: float = 0.05
    # 2026-12-08: a requirement that is a CV fact by its number of years alone ("3+ years managing engineers") is
    # ranked on what the years are of when the classifier is at least this sure of its competency (over 1: never,
    # the whole requirement goes to the screen as before). Chosen by the same search.
    years_sure: float = 0.90
    transfer: float = 0.0
    neighbours: int = 10
    transfer_sharpness: float = 20.0

    @property
    def fields(self) -> np.ndarray:
        """The weights of :class:`Evidence`'s rows: title, prompt, rubric, requirements, competency fit, label
        transfer."""
        return np.array([self.title, self.prompt, self.rubric, self.requirements, self.competency, self.transfer])


@dataclass(frozen=True)
class Evidence:
    """For one requirement text, every question's closeness by field (rows: title, prompt, rubric, the
    requirements it was built for, competency fit, label transfer's vote; columns: questions) and the competency
    probabilities."""

    fields: np.ndarray
    probs: np.ndarray
    known: bool  # whether the text has a word the bank knows
    cv_fact: bool = False  # whether it states a CV fact (:func:`states_cv_fact`)

    def score(self, weights: np.ndarray) -> np.ndarray:
        return np.asarray(np.clip(weights @ self.fields, 0.0, 1.0))


@dataclass(frozen=True)
class Match:
    question_id: str
    title: str
    score: float
    reason: str


@dataclass(frozen=True)
class Ranking:
    """The questions proposed for one requirement, best first; none and ``reason`` = :data:`NO_MATCH` (with the
    best score seen) when nothing fits well enough."""

    matches: tuple[Match, ...]
    reason: str = ""
    competency: str = ""  # the competency the requirement most likely asks for (its id), "" when unclear

    @property
    def no_match(self) -> bool:
        return not self.matches


def _normalised(rows: np.ndarray) -> np.ndarray:
    """Each row divided by its length (a row of zeros stays zeros)."""
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.asarray(np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0))


# Label transfer is named in a suggestion's reason when at least this share of the neighbours' votes is for it.
_LIKE = 0.3


def _clip(text: str, most: int = 60) -> str:
    """``text`` on one line, cut at a word with an ellipsis when longer than ``most`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rsplit(" ", 1)[0] + "…"


def _lower_first(name: str) -> str:
    """'People leadership' -> 'people leadership'; 'ML fundamentals' stays."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


class _Vectors:
    """TF-IDF over a fixed vocabulary; rows are L2-normalised."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        vocab: dict[str, int] = {}
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(doc))
            for t in doc:
                vocab.setdefault(t, len(vocab))
        n = max(len(documents), 1)
        self.vocab = vocab
        self.idf = np.ones(len(vocab))
        for t, i in vocab.items():
            self.idf[i] = math.log((n + 1) / (df[t] + 1)) + 1.0

    def matrix(self, docs: Sequence[Sequence[str]]) -> np.ndarray:
        out = np.zeros((len(docs), len(self.vocab)))
        for row, doc in enumerate(docs):
            for t, c in Counter(doc).items():
                i = self.vocab.get(t)
                if i is not None:
                    out[row, i] = (1.0 + math.log(c)) * self.idf[i]
        return _normalised(out)


class Ranker:
    """Ranks a bank's questions for requirement texts. ``requirements``: the training requirements' texts by
    id (those the questions' links name; links to others are left out, as in a leave-one-out test).
    ``screen``: texts of requirements the bank leaves to the recruiter's screen (screening.yaml's items and
    their asks): their words join the vocabulary. ``examples``: requirements of other job descriptions labelled
    with competencies (:func:`load_examples`), for the competency classifier and label transfer.
    ``label_transfer``: whether :class:`Evidence` has label transfer's votes (by default when
    :attr:`Weights.transfer` is on; the benchmark asks for them to search their weight), a zero row otherwise
    (off, as shipped, a ranker saves the work: ~0.05 s CPU per ``jd suggest``). A requirement that states a CV
    fact (:func:`states_cv_fact`: years, a degree, a certification, a spoken language) gets "no good match",
    said as a fact for the screen."""

    def __init__(
        self,
        questions: Sequence[QuestionText],
        competencies: Sequence[CompetencyText],
        requirements: Mapping[str, str],
        thesaurus: Thesaurus | None = None,
        weights: Weights | None = None,
        screen: Sequence[str] = (),
        examples: Sequence[Example] = (),
        label_transfer: bool | None = None,
    ) -> None:
        self.thesaurus = thesaurus or Thesaurus()
        self.weights = weights or Weights()
        self.questions = list(questions)
        self.competencies = list(competencies)
        self._evidence: dict[str, Evidence] = {}
        th = self.thesaurus
        fields = [
            [terms(q.title, th) for q in questions],
            [terms(q.prompt, th) for q in questions],
            [terms(q.rubric, th) for q in questions],
        ]
        req_ids = sorted({r for q in questions for r in (*q.requirements, *q.related) if r in requirements})
        req_terms = [terms(requirements[r], th) for r in req_ids]
        comp_terms = [terms(f"{c.name}. {c.description}", th) for c in competencies]
        whole = [a + b + c for a, b, c in zip(*fields, strict=True)]
        screen_terms = [terms(t, th) for t in screen]
        # Labelled examples teach the classifier, not the vocabulary: with their words in it (and in the idf)
        # the benchmark's cross-validated figures fell (90.7% / 95.8% -> 89.8% / 94.1%).
        self._vec = _Vectors(whole + req_terms + screen_terms)
        self._fields = [self._vec.matrix(f) for f in fields]
        self._req_index = {r: i for i, r in enumerate(req_ids)}
        self._reqs = self._vec.matrix(req_terms) if req_ids else np.zeros((0, len(self._vec.vocab)))
        self._link = self._links(req_ids)
        self._qcomp = self._question_competencies()
        example_terms = [terms(e.text, th) for e in examples]  # once: the classifier and the generic terms
        example_vectors = self._vec.matrix(example_terms)  # once: the classifier and label transfer
        self._centroids = self._train(req_ids, self._vec.matrix(comp_terms), examples, example_vectors)
        self._generic = self._generic_terms([*req_terms, *example_terms])
        self._req_texts = [requirements[r] for r in req_ids]
        self.label_transfer = bool(self.weights.transfer) if label_transfer is None else label_transfer
        # Label transfer compares requirements with requirements: its own TF-IDF, over the bank's requirements and
        # the examples (the words of job descriptions: a domain's words the bank's questions never use count too).
        self._tvec = _Vectors([*req_terms, *example_terms] if self.label_transfer else [])
        self._item_texts: list[str] = []
        self._items, self._votes = np.zeros((0, 0)), np.zeros((0, len(questions)))
        if self.label_transfer:
            self._items, self._votes, self._item_texts = self._transfer_items(examples, [*req_terms, *example_terms])
        self._scored: dict[tuple[str, bytes], tuple[np.ndarray, np.ndarray]] = {}
        self._terms_of = [
            set(w)
            | {t for r in (*q.requirements, *q.related) if r in self._req_index for t in req_terms[self._req_index[r]]}
            for q, w in zip(questions, whole, strict=True)
        ]

    def _generic_terms(self, jd_texts: Sequence[Sequence[str]]) -> frozenset[str]:
        """The terms that many job descriptions' requirements use, whatever they ask for (model, data, team,
        build): in at least :attr:`Weights.generic` of the bank's and the examples' requirements."""
        df: Counter[str] = Counter()
        for doc in jd_texts:
            df.update(set(doc))
        n = len(jd_texts)
        return frozenset(t for t, c in df.items() if n and c >= self.weights.generic * n)

    # -- training -----------------------------------------------------------------------------------------

    def _links(self, req_ids: list[str]) -> np.ndarray:
        """Question x training requirement: 1 for a primary link, 0.5 for a related one."""
        link = np.zeros((len(self.questions), len(req_ids)))
        for qi, q in enumerate(self.questions):
            for r in q.related:
                if r in self._req_index:
                    link[qi, self._req_index[r]] = 0.5
            for r in q.requirements:
                if r in self._req_index:
                    link[qi, self._req_index[r]] = 1.0
        return link

    def _question_competencies(self) -> np.ndarray:
        """Question x competency: 1 for the question's first competency, 0.5 for the others."""
        index = {c.id: i for i, c in enumerate(self.competencies)}
        out = np.zeros((len(self.questions), len(self.competencies)))
        for qi, q in enumerate(self.questions):
            for pos, c in enumerate(q.competencies):
                if c in index:
                    out[qi, index[c]] = 1.0 if pos == 0 else 0.5
        return out

    def _train(
        self,
        req_ids: list[str],
        described: np.ndarray,
        examples: Sequence[Example],
        example_vectors: np.ndarray,
    ) -> np.ndarray:
        """Each competency's centroid: its labelled requirements (labels from primary links), the labelled
        examples (their competencies sharing one) and its text."""
        primary = (self._link == 1.0).astype(float)  # question x requirement
        labels = primary.T @ self._qcomp  # requirement x competency
        totals = labels.sum(axis=1, keepdims=True)
        labels = np.divide(labels, totals, out=np.zeros_like(labels), where=totals > 0)
        centroids = labels.T @ self._reqs + self.weights.description * described if req_ids else described
        index = {c.id: i for i, c in enumerate(self.competencies)}
        known = [row for row, e in enumerate(examples) if any(c in index for c in e.competencies)]
        if known:
            shares = np.zeros((len(known), len(self.competencies)))
            for row, e in enumerate(examples[r] for r in known):
                ids = [index[c] for c in e.competencies if c in index]
                shares[row, ids] = 1.0 / len(ids)
            centroids = centroids + shares.T @ example_vectors[known]
        return _normalised(centroids)

    def _transfer_items(
        self, examples: Sequence[Example], texts_terms: Sequence[Sequence[str]]
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """The labelled requirements label transfer finds neighbours among: the bank's requirements that have
        primary questions and the labelled examples. For each, its TF-IDF vector, the questions on topic for it
        (requirement x question, 0..1) and its text. On topic, as the benchmark labels them: a question whose
        first competency is one of the requirement's (a bank requirement's: its primary questions'), one linked
        to it (1 primary, 0.5 related), or one an example names in ``questions``."""
        first = (self._qcomp == 1.0).astype(float)  # question x competency: its first competency
        primary = (self._link == 1.0).astype(float)
        labelled = np.nonzero((primary.T @ self._qcomp).sum(axis=1) > 0)[0]
        req_comps = ((primary.T @ self._qcomp)[labelled] > 0).astype(float)
        bank_votes = np.maximum((req_comps @ first.T > 0).astype(float), self._link[:, labelled].T)
        texts = [self._req_texts[int(j)] for j in labelled]
        index = {c.id: i for i, c in enumerate(self.competencies)}
        qindex = {q.id: i for i, q in enumerate(self.questions)}
        ex_votes = np.zeros((len(examples), len(self.questions)))
        for row, e in enumerate(examples):
            comps = [index[c] for c in e.competencies if c in index]
            ex_votes[row] = first[:, comps].max(axis=1) if comps else 0.0
            ex_votes[row, [qindex[q] for q in e.questions if q in qindex]] = 1.0
            texts.append(e.text)
        n = len(self._req_index)
        vectors = self._tvec.matrix([*(texts_terms[int(j)] for j in labelled), *texts_terms[n:]])
        return vectors, np.vstack([bank_votes, ex_votes]), texts

    def _neighbours(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The :attr:`Weights.neighbours` labelled requirements nearest to the vector ``v`` (indices into
        :meth:`_transfer_items`, nearest first) and their weights (a softmax of their cosines, summing to 1);
        none when none shares a word with it."""
        words = np.flatnonzero(v)  # a requirement has a few words of the vocabulary: only their columns count
        sims = self._items[:, words] @ v[words]
        nearest = np.argsort(-sims, kind="stable")[: self.weights.neighbours]
        if not nearest.size or sims[nearest[0]] <= 0:
            return nearest[:0], np.zeros(0)
        w = np.exp(self.weights.transfer_sharpness * (sims[nearest] - sims[nearest[0]]))
        return nearest, w / w.sum()

    def _transfer(self, v: np.ndarray) -> np.ndarray:
        """Label transfer: each question's share of the nearest labelled requirements' votes (0..1)."""
        nearest, w = self._neighbours(v)
        return np.asarray(w @ self._votes[nearest]) if nearest.size else np.zeros(len(self.questions))

    # -- ranking ------------------------------------------------------------------------------------------

    def competency_fit(self, text: str) -> dict[str, float]:
        """How likely ``text`` asks for each competency (sums to 1; empty for a text with no known term)."""
        v = self._vec.matrix([terms(text, self.thesaurus)])[0]
        if not v.any() or not len(self.competencies):
            return {}
        return {c.id: float(p) for c, p in zip(self.competencies, self._softmax(self._centroids @ v), strict=True)}

    def _softmax(self, cosines: np.ndarray) -> np.ndarray:
        z = np.exp(self.weights.sharpness * (cosines - cosines.max()))
        return np.asarray(z / z.sum())

    def evidence(self, text: str) -> Evidence:
        """What the score of every question for ``text`` is made of, before weighing (kept per text: the
        benchmark weighs the same texts many times over)."""
        cached = self._evidence.get(text)
        if cached is not None:
            return cached
        words = terms(text, self.thesaurus)
        v = self._vec.matrix([words])[0]
        n = len(self.questions)
        if not v.any():
            out = Evidence(np.zeros((6, n)), np.zeros(len(self.competencies)), known=False)
        else:
            req = (self._link * (self._reqs @ v)[None, :]).max(axis=1) if self._reqs.shape[0] else np.zeros(n)
            probs = self._softmax(self._centroids @ v) if len(self.competencies) else np.zeros(0)
            top = float(probs.max(initial=0.0))
            comp = (self._qcomp * probs[None, :]).max(axis=1) if len(self.competencies) else np.zeros(n)
            comp = np.minimum(comp / max(top, 1e-9), 1.0) * np.sqrt(top)
            votes = self._transfer(self._tvec.matrix([words])[0]) if self.label_transfer else np.zeros(n)
            fields = np.vstack([*(m @ v for m in self._fields), req, comp, votes])
            out = Evidence(fields, probs, known=True, cv_fact=states_cv_fact(text))
        if len(self._evidence) < 4096:
            self._evidence[text] = out
        return out

    def scores(self, text: str, weights: Weights | None = None) -> np.ndarray:
        """Every question's score for ``text`` (0..1)."""
        return self.evidence(text).score((weights or self.weights).fields)

    def _years_of(self, text: str, ev: Evidence, w: Weights) -> tuple[str, Evidence] | None:
        """For a requirement that is a CV fact by its number of years alone ("3+ years managing engineers"), what
        the years are of ("managing engineers") and its evidence, when the competency classifier is at least
        :attr:`Weights.years_sure` sure of what that asks for: the years are the screen's, the skill is still an
        interview's. None otherwise (a degree, a certification or a language is the screen's whole)."""
        if not ev.cv_fact or w.years_sure > 1.0 or _CV_FACT.search(text):
            return None
        rest = _YEARS.sub(" ", text)
        rev = self.evidence(rest)
        if not rev.known or rev.cv_fact or float(rev.probs.max(initial=0.0)) < w.years_sure:
            return None
        return rest, rev

    def _score(self, text: str, ev: Evidence, w: Weights) -> tuple[np.ndarray, np.ndarray]:
        """Every question's score for ``text`` under ``w``'s field weights, and the questions best first (kept
        per text and field weights: the benchmark's weight search asks for the same ones under many thresholds)."""
        fields = w.fields
        key = (text, fields.tobytes())
        got = self._scored.get(key)
        if got is None:
            scores = ev.score(fields)
            got = scores, np.argsort(-scores, kind="stable")
            if len(self._scored) < 4096:
                self._scored[key] = got
        return got

    def choose(self, text: str, *, limit: int = 3, weights: Weights | None = None) -> tuple[list[int], str]:
        """The indices of the questions proposed for ``text``, best first, and why none when none: the ranking
        without its reasons (what :meth:`rank` shows, and what the benchmark weighs many times over)."""
        w = weights or self.weights
        if w.transfer and not self.label_transfer:
            raise ValueError("label transfer weighed by a ranker made without it (Ranker(label_transfer=True))")
        ev = self.evidence(text)
        if not ev.known:
            return [], f"{NO_MATCH} (no words the bank knows)"
        if ev.cv_fact:
            years = self._years_of(text, ev, w)
            if years is None:
                return [], f"{NO_MATCH}: {SCREEN_FACT}"
            text, ev = years
        scores, order = self._score(text, ev, w)
        top = float(scores[order[0]]) if len(order) else 0.0
        if top < w.threshold:
            return [], f"{NO_MATCH} (best {top:.2f}, under {w.threshold:.2f})"
        keep = [int(qi) for qi in order[:limit] if scores[qi] >= w.threshold and scores[qi] >= w.relative * top]
        if float(ev.probs.max(initial=0.0)) < w.unsure:
            mine = set(terms(text, self.thesaurus))
            keep = [qi for qi in keep if (mine & self._terms_of[qi]) - self._generic]
            if not keep:
                return [], f"{NO_MATCH} (only generic words shared, competency unclear)"
        return keep, ""

    def rank(self, text: str, *, limit: int = 3) -> Ranking:
        """The questions that fit ``text`` best (at most ``limit``), with scores and reasons; or no match."""
        ev = self.evidence(text)
        years = self._years_of(text, ev, self.weights)
        asked, note = text, ""
        if years is not None:  # ranked on what the years are of; the number of years is the screen's
            asked, ev = years
            note = "; the number of years is for the recruiter's screen"
        probs = ev.probs
        best_comp = ""
        if probs.size and probs.max() >= 0.3 and not ev.cv_fact:
            best_comp = self.competencies[int(probs.argmax())].id
        chosen, why = self.choose(text, limit=limit)
        if not chosen:
            return Ranking((), why, best_comp)
        scores = ev.score(self.weights.fields)
        surface: dict[str, str] = {}
        req_terms = terms(asked, self.thesaurus, surface=surface)
        like = self._like(asked, ev, chosen)
        matches = []
        for qi in chosen:
            q = self.questions[qi]
            reason = self._reason(qi, probs, req_terms, surface)
            if qi in like:
                reason = f"{reason}; like '{_clip(like[qi])}' in another job description"
            matches.append(Match(q.id, q.title, round(float(scores[qi]), 3), reason + note))
        return Ranking(tuple(matches), "", best_comp)

    def _like(self, text: str, ev: Evidence, chosen: Sequence[int]) -> dict[int, str]:
        """For each chosen question that label transfer pushed up (:attr:`Weights.transfer` on, at least
        :data:`_LIKE` of the neighbours' votes), the text of the nearest labelled requirement it is on topic for."""
        if not self.weights.transfer:
            return {}
        nearest, _ = self._neighbours(self._tvec.matrix([terms(text, self.thesaurus)])[0])
        out: dict[int, str] = {}
        for qi in chosen:
            voters = [int(n) for n in nearest if self._votes[n, qi] > 0]
            if ev.fields[5, qi] >= _LIKE and voters:
                out[qi] = self._item_texts[voters[0]]
        return out

    def _reason(self, qi: int, probs: np.ndarray, req_terms: list[str], surface: dict[str, str]) -> str:
        parts = []
        if probs.size:
            ci = int(np.argmax(self._qcomp[qi] * probs))
            if probs[ci] >= 0.2 and self._qcomp[qi, ci] > 0:
                parts.append(f"asks for {_lower_first(self.competencies[ci].name)}")
        idf = self._vec.idf
        shared = sorted(
            {t for t in req_terms if t in self._terms_of[qi] and t in self._vec.vocab},
            key=lambda t: (-idf[self._vec.vocab[t]], t),  # ties by the word: the same reason in every run
        )[:3]
        if shared:
            parts.append("shares " + ", ".join(f"'{surface.get(t, t)}'" for t in shared))
        return "; ".join(parts) or "close to the requirements it was built for"

    def rank_all(self, texts: Iterable[str], *, limit: int = 3) -> list[Ranking]:
        return [self.rank(t, limit=limit) for t in texts]


def bank_inputs(
    bank: Bank, *, training: Iterable[str] | None = None
) -> tuple[list[QuestionText], list[CompetencyText], dict[str, str], list[str]]:
    """What a :class:`Ranker` learns from, read from a bank's files: its questions, competencies, the texts
    of the requirements of its job descriptions (only those of ``training``'s document ids, if given) and
    the texts of the requirements its screen checks with what the screen asks (:class:`Ranker`'s ``screen``)."""
    keep = None if training is None else set(training)
    questions = [
        question_text(
            q.id,
            q.title,
            q.prompt,
            follow_ups=q.follow_ups,
            rubric=[a for _, a in q.rubric],
            evidence=q.evidence,
            competencies=q.competencies,
            requirements=q.requirements,
            related=q.related_requirements,
        )
        for q in bank.questions
    ]
    competencies = [CompetencyText(c.id, c.name, c.description) for c in bank.competencies]
    texts = {r.id: r.text for jd in bank.job_descriptions if keep is None or jd.id in keep for r in jd.requirements}
    screen = [f"{texts[r]} {ask}" for r, ask in bank.screening.items() if r in texts]
    return questions, competencies, texts, screen
