"""A ranker kept on disk between runs, so that ``jd suggest`` does not learn the bank again each time.

A :class:`~interviewkit.bank.suggest.Ranker` stems and vectorises the bank's ~125 questions, its requirements
and ~470 labelled examples, and trains its competency classifier: ~0.28 s CPU of a cold ``jd suggest`` of
~1 s. :func:`cached_ranker` keeps the ranker as built in one file of the cache folder, under a key: the
SHA-256 of everything it is built from (the questions', competencies', requirements' and screen's texts as
given, the thesaurus and the examples as read, the weights) and of the code that builds it (this module,
``suggest.py`` and ``thesaurus.py``, and numpy's version). Any change to the bank, the examples, the thesaurus
or the code changes the key, so a stale ranker is never served. A cache file that cannot be read, is cut short,
or holds another key is ignored and written again, and one that another account owns or could write (with
its folder) is never read, since unpickling runs code; one that cannot be written is left (the ranker is built as
without a cache). Files are written to a temporary name and renamed into place, so a reader never sees half
of one."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from interviewkit.bank import suggest as _suggest
from interviewkit.bank import thesaurus as _thesaurus
from interviewkit.bank.suggest import CompetencyText, Example, QuestionText, Ranker, Thesaurus, Weights

__all__ = ["CACHE_FILE", "cached_ranker", "ranker_key"]

CACHE_FILE = "ranker.pickle"
_MAGIC = b"interviewkit-ranker 1\n"


def _code_version() -> bytes:
    """The bytes of the code that builds a ranker, and numpy's version (the arrays' pickled form)."""
    h = hashlib.sha256(np.__version__.encode())
    for module in (_suggest, _thesaurus):
        h.update(Path(module.__file__ or "").read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.digest()


def ranker_key(
    questions: Sequence[QuestionText],
    competencies: Sequence[CompetencyText],
    requirements: Mapping[str, str],
    thesaurus: Thesaurus,
    *,
    screen: Sequence[str] = (),
    examples: Sequence[Example] = (),
    weights: Weights | None = None,
) -> str:
    """The hex SHA-256 of a ranker's inputs and of the code that builds it."""
    inputs = (
        list(questions),
        list(competencies),
        sorted(requirements.items()),
        sorted(thesaurus.words.items()),
        sorted(thesaurus.phrases.items()),
        sorted(thesaurus.labels.items()),
        list(screen),
        list(examples),
        weights or Weights(),
    )
    h = hashlib.sha256(_code_version())
    h.update(repr(inputs).encode("utf-8"))
    return h.hexdigest()


def _private(path: Path) -> bool:
    """Whether ``path`` and its folder belong to this user and nobody else may write them: a pickle runs code
    when read, so a file another account could have put there (a cache folder named in a shared place such as
    /tmp) is never read. Where the system has no owners (Windows), the user's profile folder protects it."""
    if not hasattr(os, "getuid"):
        return True
    for where in (path.parent, path):
        st = where.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            return False
    return True


def _read(path: Path, key: str) -> Ranker | None:
    """The ranker stored under ``key`` in ``path``, or None (no file, another key, a file that cannot be used,
    or one that another account could have written)."""
    try:
        if not _private(path):
            return None
        with path.open("rb") as f:
            if f.readline() != _MAGIC or f.readline() != key.encode() + b"\n":
                return None
            ranker = pickle.load(f)
    except Exception:  # noqa: BLE001 - a cache file cut short or damaged in any way is rebuilt, never an error
        return None
    return ranker if isinstance(ranker, Ranker) else None


def _write(path: Path, key: str, ranker: Ranker) -> None:
    """Store ``ranker`` under ``key`` in ``path`` atomically; a folder that cannot be written is left as it is."""
    tmp: str | None = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ranker-", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + key.encode() + b"\n")
            pickle.dump(ranker, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def cached_ranker(
    questions: Sequence[QuestionText],
    competencies: Sequence[CompetencyText],
    requirements: Mapping[str, str],
    thesaurus: Thesaurus,
    *,
    screen: Sequence[str] = (),
    examples: Sequence[Example] = (),
    cache_dir: Path | None = None,
) -> Ranker:
    """The :class:`Ranker` of these inputs (default weights): read from ``cache_dir`` when it holds one built
    from the same inputs by the same code, else built and stored there. ``cache_dir`` None: built, not stored."""
    if cache_dir is None:
        return Ranker(questions, competencies, requirements, thesaurus, screen=screen, examples=examples)
    key = ranker_key(questions, competencies, requirements, thesaurus, screen=screen, examples=examples)
    path = cache_dir / CACHE_FILE
    ranker = _read(path, key)
    if ranker is None:
        ranker = Ranker(questions, competencies, requirements, thesaurus, screen=screen, examples=examples)
        _write(path, key, ranker)
    return ranker
