"""Count tables of the ratings' design, dense with numpy for the sizes a team has, sparse (scipy) above.

The statistics need a few products of the candidate x interviewer count table ``N`` (``N[c, i]``: how many
times interviewer i rated candidate c): ``N' diag(w) N``, the pairs of interviewers' shared candidates,
and the connected components of the design's graph. With scipy.sparse they cost the same at any size but
importing scipy.sparse and scipy.sparse.csgraph (with scipy's common modules) cost about 0.1-0.2 s of
every ``calibrate`` run; for the tables a team has (the demo's is 16 x 8) dense numpy is as fast, so scipy
is imported only when a dense product would cost more than :data:`DENSE_LIMIT` multiply-adds (rows x columns^2:
the demo's is 1,024, a team's 2,000 candidates x 50 interviewers 5 million, the large demo's 60,000 x 400 ten
billion), or for more than :data:`GRAPH_LIMIT` edges for the components. Counts are integers, so
both ways give the same counts; weighted sums agree to rounding.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DENSE_LIMIT",
    "GRAPH_LIMIT",
    "SparseCounts",
    "connected_labels",
    "count_table",
    "dense",
    "pair_counts",
    "pair_counts_of_cells",
    "sparse_counts",
    "weighted_gram",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

DENSE_LIMIT = 20_000_000  # multiply-adds of a dense N' diag(w) N above which scipy.sparse is used (~10 ms)
GRAPH_LIMIT = 20_000  # edges above which scipy.sparse.csgraph finds the components (a Python loop below)


def dense(n_rows: int, n_cols: int) -> bool:
    """Whether an ``n_rows x n_cols`` count table is small enough to multiply densely (see the module docstring)."""
    return n_rows * n_cols * max(n_cols, 1) <= DENSE_LIMIT


def count_table(rows: IntArray, n_rows: int, cols: IntArray, n_cols: int) -> FloatArray:
    """The dense ``n_rows x n_cols`` table of how many times each (row, column) pair occurs."""
    flat = np.bincount(rows * n_cols + cols, minlength=n_rows * n_cols).astype(np.float64)
    return flat.reshape(n_rows, n_cols)


class SparseCounts:
    """The count table of a large design as a scipy.sparse matrix, made once for many products."""

    def __init__(self, rows: IntArray, n_rows: int, cols: IntArray, n_cols: int) -> None:
        from scipy import sparse

        self._sparse = sparse
        self.table = sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n_rows, n_cols))
        self.table_t = self.table.T.tocsr()

    def weighted_gram(self, weights: FloatArray) -> FloatArray:
        """``N' diag(weights) N``, dense."""
        weighted = self._sparse.csr_matrix(self.table_t.multiply(weights))
        return np.asarray((weighted @ self.table).todense(), dtype=np.float64)


def sparse_counts(rows: IntArray, n_rows: int, cols: IntArray, n_cols: int) -> SparseCounts:
    """The count table as a :class:`SparseCounts` (scipy.sparse: for tables beyond :func:`dense`)."""
    return SparseCounts(rows, n_rows, cols, n_cols)


def weighted_gram(rows: IntArray, n_rows: int, cols: IntArray, n_cols: int, weights: FloatArray) -> FloatArray:
    """``N' diag(weights) N`` (``n_cols x n_cols``, dense) of the count table ``N`` of (row, column) pairs,
    ``weights`` one per row."""
    if dense(n_rows, n_cols):
        table = count_table(rows, n_rows, cols, n_cols)
        gram: FloatArray = (table.T * weights) @ table
        return gram
    return SparseCounts(rows, n_rows, cols, n_cols).weighted_gram(weights)


def pair_counts(rated: NDArray[np.bool_]) -> FloatArray:
    """``r' r`` of a 0/1 table: for each two columns, the rows that have both (on the diagonal, each column's)."""
    if dense(*rated.shape):
        r = rated.astype(np.float64)
        common: FloatArray = r.T @ r
        return common
    from scipy import sparse

    s = sparse.csr_matrix(rated, dtype=np.float64)
    return np.asarray((s.T @ s).toarray(), dtype=np.float64)


def pair_counts_of_cells(rows: IntArray, cols: IntArray, n_rows: int, n_cols: int) -> FloatArray:
    """:func:`pair_counts` of the 0/1 table whose ones are the distinct cells ``(rows[k], cols[k])``."""
    if dense(n_rows, n_cols):
        rated = np.zeros((n_rows, n_cols), dtype=bool)
        rated[rows, cols] = True
        return pair_counts(rated)
    from scipy import sparse

    s = sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n_rows, n_cols))
    return np.asarray((s.T @ s).toarray(), dtype=np.float64)


def connected_labels(n_nodes: int, u: IntArray, v: IntArray) -> tuple[int, IntArray]:
    """The connected components of the undirected graph with edges ``(u[k], v[k])``: ``(count, label of each
    node)``, numbered as ``scipy.sparse.csgraph.connected_components(directed=False)`` numbers them, in the
    order of each component's first node."""
    if u.size > GRAPH_LIMIT:
        from scipy import sparse
        from scipy.sparse.csgraph import connected_components

        graph = sparse.coo_matrix((np.ones(u.size), (u, v)), shape=(n_nodes, n_nodes))
        count, found = connected_components(graph, directed=False)
        return int(count), np.asarray(found, dtype=np.intp)
    parent = list(range(n_nodes))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(u.tolist(), v.tolist()):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # a component's root is its first node
    roots = np.fromiter((root(x) for x in range(n_nodes)), dtype=np.intp, count=n_nodes)
    firsts, numbered = np.unique(roots, return_inverse=True)  # the roots in increasing order: first nodes
    return int(firsts.size), np.asarray(numbered.reshape(-1), dtype=np.intp)
