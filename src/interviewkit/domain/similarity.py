"""Text similarity for finding near-duplicate questions.

TF-IDF vectors over word unigrams and bigrams (stop words removed, sublinear term frequency) compared by
cosine similarity. Unlike a plain Jaccard of words, the IDF weighting keeps the shared vocabulary of a
whole bank ("model", "team", "production") from making every pair of questions look alike, so a high
score means two prompts ask the same specific thing.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

__all__ = ["similar_pairs", "tokens"]

_STOP = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my no nor not now
    of off on once only or other our ours out over own same she should so some such than that the their
    them then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself tell describe walk us give time""".split()
)
_WORD = re.compile(r"[a-z0-9][a-z0-9+#/.-]*[a-z0-9+#]|[a-z0-9]")


def tokens(text: str) -> list[str]:
    """Lower-case words without stop words, with adjacent-word bigrams appended."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def similar_pairs(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs (i, j, cosine) with i < j whose TF-IDF cosine similarity is at least ``threshold``."""
    n = len(texts)
    if n < 2:
        return []
    docs = [Counter(tokens(t)) for t in texts]
    vocab: dict[str, int] = {}
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    rows, cols, vals = [], [], []
    for i, d in enumerate(docs):
        for term, tf in d.items():
            j = vocab.setdefault(term, len(vocab))
            idf = math.log((1 + n) / (1 + df[term])) + 1.0
            rows.append(i)
            cols.append(j)
            vals.append((1.0 + math.log(tf)) * idf)
    if not vals:
        return []
    from scipy import sparse  # here, not at the top: only bank checks need it, not every command

    x = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit = sparse.diags(1.0 / norms) @ x
    sim = sparse.triu(unit @ unit.T, k=1).tocoo()
    keep = sim.data >= threshold
    pairs = [
        (int(i), int(j), float(v))
        for i, j, v in zip(sim.row[keep], sim.col[keep], sim.data[keep])
    ]
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))
