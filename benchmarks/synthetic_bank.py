"""A synthetic question bank for benchmarks: the shipped settings, framework and job descriptions, plus
thousands of generated, valid question files.

The bank is a copy of the shipped ``bank.yaml``, ``competencies.yaml`` and ``job_descriptions/`` with
``count`` question files spread over twenty sub-folders of ``questions/``. Every question follows
docs/bank-format.md: a kebab-case id equal to the file name, 1-3 real competency ids, 1-5 real requirement
ids extracted from the shipped job descriptions, a kind, a level from ``bank.yaml``, minutes, 2-4 probes, one
rubric anchor per level of the scale and sometimes red flags.

The text is recombined from the shipped questions by a seeded random generator: a title is the start of
one shipped title and the end of another, a prompt is a sequence of sentences drawn from all shipped
prompts, each rubric anchor is the anchor of that level in a random shipped question, and probes and red
flags are drawn from all shipped ones. Generated files therefore have the length, the vocabulary and
roughly the word frequencies of real questions, which matters for search: a query's cost grows with its
number of hits. The same ``count`` and ``seed`` always give the same files (only modification times differ).

Run it on its own to look at a bank::

    python benchmarks/synthetic_bank.py /tmp/bank --questions 200
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from interviewkit.bank.loader import load_bank
from interviewkit.bank.model import KINDS
from interviewkit.paths import shipped_bank_dir

__all__ = ["FOLDERS", "BankVocabulary", "SyntheticBank", "generate_bank", "vocabulary_from_bank"]

FOLDERS: tuple[str, ...] = (
    "ab-testing",
    "batch-scoring",
    "cloud-costs",
    "data-pipelines",
    "data-quality",
    "delivery-planning",
    "deployment",
    "distributed-training",
    "drift-and-monitoring",
    "feature-stores",
    "governance-and-audit",
    "hiring",
    "incident-response",
    "ml-fundamentals",
    "model-serving",
    "people-leadership",
    "platform-and-infra",
    "software-quality",
    "stakeholder-management",
    "technical-strategy",
)
MINUTES: tuple[int, ...] = (5, 8, 10, 10, 12, 15, 15, 20, 25, 30, 45)

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z*\"“(])")
_WORD = re.compile(r"[a-z0-9]+")
# A text that YAML reads back unchanged as a plain (unquoted) scalar; anything else is double-quoted.
_PLAIN = re.compile(r"^[A-Za-z(][^\n\"#{}\[\]`|>]*[A-Za-z0-9.?!)]$")
_YAML_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "null", "y", "n"})


@dataclass(frozen=True)
class BankVocabulary:
    """What generated questions are made of: real ids and real texts from a bank."""

    competencies: tuple[str, ...]
    requirements: tuple[str, ...]
    levels: tuple[str, ...]
    scale: tuple[int, ...]
    titles: tuple[tuple[str, ...], ...]  # each title as its words
    prompt_sentences: tuple[str, ...]
    prompt_lengths: tuple[int, ...]  # sentences per prompt, one entry per real prompt
    anchors: dict[int, tuple[str, ...]]  # rubric level -> anchors of that level
    follow_ups: tuple[str, ...]
    red_flags: tuple[str, ...]


@dataclass(frozen=True)
class SyntheticBank:
    """A generated bank folder and what was written into it."""

    root: Path
    question_count: int
    folder_count: int
    total_bytes: int


def vocabulary_from_bank(root: Path | None = None) -> BankVocabulary:
    """The ids and texts of a bank (default: the shipped one), which must load without errors."""
    bank = load_bank(root or shipped_bank_dir())
    if bank.errors or not bank.questions:
        raise RuntimeError(f"the bank in {bank.root} has no questions or has errors: {bank.errors[:1]}")
    sentences: list[str] = []
    lengths: list[int] = []
    for q in bank.questions:
        parts = [s for s in _SENTENCE_END.split(" ".join(q.prompt.split())) if s]
        sentences.extend(parts)
        lengths.append(len(parts))
    scale = bank.settings.scale.levels
    return BankVocabulary(
        competencies=tuple(c.id for c in bank.competencies),
        requirements=tuple(r.id for jd in bank.job_descriptions for r in jd.requirements),
        levels=bank.settings.levels or ("manager",),
        scale=scale,
        titles=tuple(tuple(q.title.split()) for q in bank.questions),
        prompt_sentences=tuple(sentences),
        prompt_lengths=tuple(lengths),
        anchors={lv: tuple(q.anchor(lv) for q in bank.questions if q.anchor(lv)) for lv in scale},
        follow_ups=tuple(dict.fromkeys(f for q in bank.questions for f in q.follow_ups)),
        red_flags=tuple(dict.fromkeys(f for q in bank.questions for f in q.red_flags)),
    )


def _scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when that is safe, else double-quoted (a JSON string is valid YAML)."""
    plain = _PLAIN.match(text) and ": " not in text and " #" not in text and text.lower() not in _YAML_WORDS
    return text if plain else json.dumps(text, ensure_ascii=False)


def _front_matter(fields: dict[str, object]) -> str:
    """Front matter as people write it: flow lists for competencies, block lists and mappings elsewhere."""
    lines: list[str] = []
    for key, value in fields.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {_scalar(str(v))}" for k, v in value.items())
        elif isinstance(value, list) and key == "competencies":
            lines.append(f"{key}: [{', '.join(value)}]")
        elif isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {_scalar(str(v))}" for v in value)
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {_scalar(str(value))}")
    return "\n".join(lines) + "\n"


def _title(rng: random.Random, vocab: BankVocabulary) -> str:
    first, second = rng.sample(vocab.titles, 2)
    cut_a = rng.randint(1, max(1, len(first) - 1))
    cut_b = rng.randint(1, max(1, len(second) - 1))
    words = [*first[:cut_a], *second[cut_b:]]
    title = " ".join(words)
    return title[0].upper() + title[1:]


def _question(rng: random.Random, index: int, vocab: BankVocabulary) -> tuple[str, str]:
    """(id, file text) of the ``index``-th generated question."""
    title = _title(rng, vocab)
    qid = "-".join(_WORD.findall(title.lower())[:6] or ["question"]) + f"-{index:05d}"
    fields: dict[str, object] = {
        "id": qid,
        "title": title,
        "competencies": rng.sample(vocab.competencies, rng.randint(1, min(3, len(vocab.competencies)))),
        "requirements": rng.sample(vocab.requirements, rng.randint(1, min(5, len(vocab.requirements)))),
        "kind": rng.choice(KINDS),
        "level": rng.choice(vocab.levels),
        "minutes": rng.choice(MINUTES),
        "follow_ups": rng.sample(vocab.follow_ups, rng.randint(2, min(4, len(vocab.follow_ups)))),
    }
    rubric: dict[int, str] = {}
    for level in vocab.scale:
        anchor = rng.choice(vocab.anchors[level])
        while anchor in rubric.values():  # each level needs its own evidence
            anchor = rng.choice(vocab.anchors[level])
        rubric[level] = anchor
    fields["rubric"] = rubric
    flags = rng.sample(vocab.red_flags, rng.randint(0, min(2, len(vocab.red_flags))))
    if flags:
        fields["red_flags"] = flags
    count = max(1, rng.choice(vocab.prompt_lengths))
    prompt = " ".join(rng.choice(vocab.prompt_sentences) for _ in range(count))
    return qid, f"---\n{_front_matter(fields)}---\n{prompt}\n"


def generate_bank(
    target: Path,
    count: int,
    *,
    seed: int = 20240611,
    source: Path | None = None,
    folders: Sequence[str] = FOLDERS,
) -> SyntheticBank:
    """Write a bank of ``count`` generated questions into ``target``, which must not exist yet.

    ``source`` is the bank whose ``bank.yaml``, ``competencies.yaml`` and ``job_descriptions/`` are copied
    and whose questions give the vocabulary (default: the shipped bank).
    """
    source = source or shipped_bank_dir()
    vocab = vocabulary_from_bank(source)
    target.mkdir(parents=True)
    for name in ("bank.yaml", "competencies.yaml"):
        shutil.copy2(source / name, target / name)
    shutil.copytree(source / "job_descriptions", target / "job_descriptions")
    questions = target / "questions"
    for folder in folders:
        (questions / folder).mkdir(parents=True)
    rng = random.Random(seed)
    total = 0
    for index in range(1, count + 1):
        qid, text = _question(rng, index, vocab)
        data = text.encode("utf-8")
        (questions / folders[index % len(folders)] / f"{qid}.md").write_bytes(data)
        total += len(data)
    return SyntheticBank(target, count, len(folders), total)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic InterviewKit question bank.")
    parser.add_argument("target", type=Path, help="folder to create (must not exist)")
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args(argv)
    made = generate_bank(args.target, args.questions, seed=args.seed)
    print(f"{made.question_count} questions, {made.total_bytes / 1e6:.1f} MB in {made.root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
