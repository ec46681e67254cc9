"""The faster alignment internals give what the plain ones give.

``assign_positive`` solves the assignment per connected group of positive scores; it must
return exactly the positive pairs of ``assign`` on the whole matrix, also where scores repeat
(duplicated sections), where it falls back to ``assign``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from policydiff.align import assign, assign_positive


def plain(score: np.ndarray) -> list[tuple[int, int]]:
    return [(i, j) for i, j in assign(score) if score[i, j] > 0]


sparse_scores = st.tuples(st.integers(0, 14), st.integers(0, 14)).flatmap(
    lambda shape: arrays(
        np.float32,
        shape,
        elements=st.one_of(
            st.just(0.0), st.just(0.0), st.just(0.0),
            st.floats(0.25, 1.0, width=32),
            st.sampled_from([0.5, 1.0]),  # repeated values: ties
        ),
    )
)


@settings(max_examples=100, deadline=None)
@given(sparse_scores)
def test_same_pairs_as_the_whole_matrix(score: np.ndarray) -> None:
    assert assign_positive(score) == plain(score)


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
