"""The faster internals give exactly what the plain ones give.

- ``assign_positive`` solves the assignment per connected group of positive scores; it must
  reach the best total, and return exactly the positive pairs of ``assign`` on the whole
  matrix whenever the best matching is unique, and wherever a score repeats (duplicated
  sections), where it falls back to ``assign``.
- ``export.dumps`` writes indented JSON itself; it must be byte for byte what ``json.dumps``
  writes, and leave anything unusual to ``json.dumps`` (same result, same errors).
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from policydiff.assign import assign, assign_positive
from policydiff.formats.jsontext import dumps


def plain(score: np.ndarray) -> list[tuple[int, int]]:
    return [(i, j) for i, j in assign(score) if score[i, j] > 0]


def best_matchings(score: np.ndarray) -> tuple[float, list[list[tuple[int, int]]]]:
    """By brute force: the best total of a matching of positive entries, and all matchings
    that reach it (small matrices only)."""
    n, m = score.shape
    best = 0.0
    found: list[list[tuple[int, int]]] = [[]]

    def extend(i: int, used: frozenset[int], total: float, chosen: list[tuple[int, int]]) -> None:
        nonlocal best, found
        if i == n:
            if total > best:
                best, found = total, [list(chosen)]
            elif total == best:
                found.append(list(chosen))
            return
        extend(i + 1, used, total, chosen)
        for j in range(m):
            if j not in used and score[i, j] > 0:
                extend(i + 1, used | {j}, total + float(score[i, j]), [*chosen, (i, j)])

    extend(0, frozenset(), 0.0, [])
    return best, found


sparse_scores = st.tuples(st.integers(0, 5), st.integers(0, 5)).flatmap(
    lambda shape: arrays(
        np.float32,
        shape,
        elements=st.one_of(
            st.just(0.0), st.just(0.0),
            st.floats(0.25, 1.0, width=32),
            st.sampled_from([0.25, 0.5, 1.0]),  # repeated values: ties
        ),
    )
)


@settings(max_examples=150, deadline=None)
@given(sparse_scores)
def test_a_best_matching_and_the_same_one_when_it_is_unique(score: np.ndarray) -> None:
    pairs = assign_positive(score)
    best, matchings = best_matchings(score.astype(np.float64))
    assert sum(float(score[i, j]) for i, j in pairs) == best
    if len(matchings) == 1:
        assert pairs == plain(score)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.integers(1, 40))
def test_same_pairs_as_the_whole_matrix_on_generic_scores(seed: int, n: int, m: int) -> None:
    # Continuous scores, a tenth of them plausible, as in real score matrices.
    rng = np.random.default_rng(seed)
    score = np.where(rng.random((n, m)) < 0.1, 0.3 + 0.7 * rng.random((n, m)), 0.0)
    assert assign_positive(score.astype(np.float32)) == plain(score.astype(np.float32))


def test_separate_groups_and_single_rows() -> None:
    # Rows 0-1 compete for columns 0-1 (0.9 + 0.8 beats 0.95 + nothing); row 2 has one partner;
    # row 3 none; column 3 is wanted by rows 4 and 5 (the better one wins).
    score = np.zeros((6, 5), dtype=np.float32)
    score[0, 0], score[0, 1] = 0.95, 0.9
    score[1, 0] = 0.8
    score[2, 2] = 0.4
    score[4, 3], score[5, 3] = 0.6, 0.7
    assert assign_positive(score) == [(0, 1), (1, 0), (2, 2), (5, 3)]
    assert assign_positive(score) == plain(score)


def test_duplicated_sections_keep_the_choice_of_assign() -> None:
    # Two identical sections in B: both columns score 1.0 with row 0.
    score = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 0.5]], dtype=np.float32)
    assert assign_positive(score) == plain(score)
    assert assign_positive(np.zeros((0, 3), dtype=np.float32)) == []


def reference(data: object) -> str:
    """What ``dumps`` must write: ``json.dumps``, with the terminal-unsafe characters as
    escapes (written out here, not taken from the module)."""
    text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    unsafe = [*range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
              *range(0x2066, 0x206A)]
    for code in unsafe:
        text = text.replace(chr(code), f"\\u{code:04x}")
    return text


json_data = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=100, deadline=None)
@given(json_data)
def test_dumps_is_json_dumps(data: object) -> None:
    assert dumps(data) == reference(data)


def test_dumps_leaves_the_unusual_to_json() -> None:
    class Number(int):
        pass

    odd = {"a": Number(3), 1: "int key", "b": [True, None, -0.0, 1e300, "\u2028\x00“引号”"]}
    assert dumps(odd) == reference(odd)
    with pytest.raises(ValueError):
        dumps({"x": math.nan})
    cycle: list[object] = []
    cycle.append(cycle)
    with pytest.raises(ValueError):
        dumps(cycle)
    with pytest.raises(TypeError):
        dumps({"x": {1, 2}})


small_groups = st.tuples(st.integers(2, 3), st.integers(2, 3)).flatmap(
    lambda shape: arrays(
        np.float64, shape,
        elements=st.one_of(st.just(0.0), st.floats(0.01, 1.0)),
    )
)


@settings(max_examples=300, deadline=None)
@given(small_groups)
def test_small_groups_are_solved_as_assign_solves_them(score: np.ndarray) -> None:
    """``_small_group`` (every assignment tried) returns the positive pairs ``assign`` returns,
    or declines (None) when another choice comes within rounding of the best."""
    from policydiff.assign import _small_group

    found = _small_group(score)
    if found is None:
        return
    assert [(i, j) for i, j in found if score[i, j] > 0] == plain(score)


def test_small_groups_decline_exact_ties() -> None:
    from policydiff.assign import _small_group

    # 0.5 + 0.5 on the diagonal against 0.25 + 0.75 across: the same total, two choices
    assert _small_group(np.array([[0.5, 0.25], [0.75, 0.5]])) is None
    assert _small_group(np.array([[0.9, 0.1], [0.2, 0.8]])) == [(0, 0), (1, 1)]
    assert _small_group(np.zeros((4, 4))) is None  # 24 assignments: not small


def test_sparse_body_similarity_equals_the_dense_product(seed_files: dict[str, object]) -> None:
    """The body similarity, formed from the products of shared columns only, is the float32
    value of the dense float64 product over the shared columns (every seed pair)."""
    from policydiff.align import _body_matrix
    from policydiff.comparison import compare

    comparison = compare(list(seed_files.values()))  # type: ignore[arg-type]
    features = [comparison.features(d.id) for d in comparison.documents]
    for k, fa in enumerate(features):
        for fb in features[k:]:
            _, ia, ib = np.intersect1d(fa.columns, fb.columns, assume_unique=True,
                                       return_indices=True)
            dense = (fa.vectors[:, ia].astype(np.float64)
                     @ fb.vectors[:, ib].astype(np.float64).T).astype(np.float32)
            sparse = _body_matrix(fa, fb)
            assert sparse.dtype == np.float32 and sparse.shape == dense.shape
            assert np.array_equal(sparse, dense)


def test_dumps_escapes_what_a_terminal_would_act_on() -> None:
    """A heading holding CSI (U+009B) and a right-to-left override (U+202E) must not reach a
    terminal that shows the export (``cat alignment.json``); the JSON still reads back the
    same, and ordinary Chinese text and quotes stay as written."""
    data = {"heading": "加强\u009b31m建设\u202e“引号”"}
    text = dumps(data)
    assert "\u009b" not in text and "\u202e" not in text
    assert "\\u009b" in text and "\\u202e" in text and "加强" in text and "“引号”" in text
    assert json.loads(text) == data
