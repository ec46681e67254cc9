"""The assignment solver: a maximum-total-score one-to-one matching of rows to columns.

Plain numpy, no knowledge of documents: the aligner (``policydiff.align``) builds the score
matrices and asks this module which pairs to keep. ``assign`` solves a whole matrix
(Hungarian method, Jonker-Volgenant style); ``assign_positive`` solves only the pairs with a
positive score, per connected group, which is much faster on sparse real score matrices.
"""

from __future__ import annotations

import math
from itertools import permutations

import numpy as np


def assign(score: np.ndarray) -> list[tuple[int, int]]:
    """Row/column pairs of a maximum-total-score one-to-one assignment (Hungarian method).

    Shortest augmenting paths (Jonker-Volgenant style), vectorized over columns. Works for
    rectangular matrices; every row of the shorter side gets a column.
    """
    if score.size == 0:
        return []
    transposed = score.shape[0] > score.shape[1]
    cost = -(score.T if transposed else score).astype(np.float64)
    n, m = cost.shape
    c = np.zeros((n + 1, m + 1))
    c[1:, 1:] = cost
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    p = np.zeros(m + 1, dtype=np.int64)
    way = np.zeros(m + 1, dtype=np.int64)
    # Work arrays reused for every row; in-place ufuncs, no allocation in the inner loop. A used
    # column's ``minv`` is set to infinity (it is never read again), so argmin over ``minv``
    # picks the first free column of least reduced cost.
    minv = np.empty(m + 1)
    cur = np.empty(m + 1)
    used = np.empty(m + 1, dtype=bool)
    free = np.empty(m + 1, dtype=bool)
    better = np.empty(m + 1, dtype=bool)
    row_used = np.empty(n + 1, dtype=bool)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv.fill(np.inf)
        used.fill(False)
        free.fill(True)
        row_used.fill(False)
        while True:
            used[j0] = True
            free[j0] = False
            minv[j0] = np.inf
            i0 = p[j0]
            row_used[i0] = True
            np.subtract(c[i0], u[i0], out=cur)
            np.subtract(cur, v, out=cur)
            np.less(cur, minv, out=better)
            np.logical_and(better, free, out=better)
            np.copyto(minv, cur, where=better)
            np.copyto(way, j0, where=better)
            j1 = int(minv.argmin())
            delta = minv[j1]
            np.add(u, delta, out=u, where=row_used)
            np.subtract(v, delta, out=v, where=used)
            np.subtract(minv, delta, out=minv)
            j0 = j1
            if p[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
    pairs = [(int(p[j]) - 1, j - 1) for j in range(1, m + 1) if p[j]]
    if transposed:
        pairs = [(j, i) for i, j in pairs]
    return sorted(pairs)


def assign_positive(score: np.ndarray) -> list[tuple[int, int]]:
    """The pairs with a positive score of a maximum-total assignment (``assign``), sorted.

    Why not ``assign`` on the whole matrix: only about 3 % of section pairs are plausible, so
    the positive entries fall apart into many small groups (connected components) that share no
    row or column; each group is solved on its own (one row or one column: its best entry; a
    few rows and columns: every assignment tried, ``_small_group``), which is 4x faster on
    real reports. The total is always the same, because a maximum-total assignment's
    positive pairs form a maximum-weight matching of the positive entries, and
    that is made of the best matchings of the groups; the pairs can only differ where two
    different matchings have exactly the same total. The usual causes of that, the same
    positive score appearing twice (duplicated sections, scores clipped to 1, a + a = b),
    send the whole matrix to ``assign``, so the choice between equals stays the one ``assign``
    makes. An exact tie between sums of all-different scores remains possible in principle;
    there was none on the 4,950 pairs of the corpus (identical alignments).
    """
    if score.size == 0:
        return []
    positive = score[score > 0]
    if len(np.unique(positive, return_counts=True)[0]) < len(positive):  # counts: no numpy.ma
        return [(i, j) for i, j in assign(score) if score[i, j] > 0]
    out: list[tuple[int, int]] = []
    for rows, cols in _positive_groups(score > 0):
        if len(rows) == 1:
            out.append((rows[0], cols[int(np.argmax(score[rows[0], cols]))]))
        elif len(cols) == 1:
            out.append((rows[int(np.argmax(score[rows, cols[0]]))], cols[0]))
        else:
            sub = score[np.ix_(rows, cols)]
            small = _small_group(sub)
            chosen = small if small is not None else assign(sub)
            out.extend((rows[i], cols[j]) for i, j in chosen if sub[i, j] > 0)
    return sorted(out)


SMALL_GROUP = 6
"""Groups of at most this many candidate assignments of the shorter side (2 × 3 → 6 pairs of
columns, 3 × 3 → 6) are solved by trying them all (``_small_group``)."""


def _small_group(sub: np.ndarray) -> list[tuple[int, int]] | None:
    """The best assignment of a small non-negative matrix by trying every one; None when the
    group is not small, or when another assignment with different positive pairs comes within
    rounding of the best (then ``assign`` decides, so the choice between equals stays its
    choice)."""
    n, m = sub.shape
    short, long_ = min(n, m), max(n, m)
    if math.perm(long_, short) > SMALL_GROUP:
        return None
    values = (sub if n <= m else sub.T).tolist()
    best: tuple[float, frozenset[tuple[int, int]]] | None = None
    runner_up = -math.inf
    for chosen in permutations(range(long_), short):
        total = sum(values[i][j] for i, j in enumerate(chosen))
        positive = frozenset((i, j) for i, j in enumerate(chosen) if values[i][j] > 0)
        if best is None or total > best[0]:
            if best is not None and best[1] != positive:
                runner_up = max(runner_up, best[0])
            best = (total, positive)
        elif positive != best[1]:
            runner_up = max(runner_up, total)
    assert best is not None
    if best[0] - runner_up <= 1e-9 * max(1.0, abs(best[0])):
        return None
    pairs = sorted(best[1]) if n <= m else sorted((j, i) for i, j in best[1])
    return pairs


def _positive_groups(positive: np.ndarray) -> list[tuple[list[int], list[int]]]:
    """Connected components (rows, columns) of the bipartite graph of True entries."""
    n = positive.shape[0]
    parent = list(range(n + positive.shape[1]))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows, cols = np.nonzero(positive)
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        a, b = find(i), find(n + j)
        if a != b:
            parent[a] = b
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in sorted(set(rows.tolist())):
        groups.setdefault(find(i), ([], []))[0].append(i)
    for j in sorted(set(cols.tolist())):
        groups.setdefault(find(n + j), ([], []))[1].append(j)
    return list(groups.values())
