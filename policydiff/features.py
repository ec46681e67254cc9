"""What the aligner and the split/merge groups share besides the plain data of
``policydiff.matches``: the per-document evidence (``SectionFeatures``), so that
``policydiff.groups`` needs nothing of ``policydiff.align``."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from policydiff.model import Section
from policydiff.segment import EMPTY_BODY  # less body and no subsections: an empty heading

NO_HEADING_KINDS = ("preamble", "closing", "body")
"""Kinds of sections without a heading whose "heading" counts as equal to one of the same kind."""


@dataclass
class SectionFeatures:
    """Per-document evidence for alignment, computed once per document.

    The TF-IDF vectors are kept compact: ``columns`` are the hashed dimensions that some
    section of the document uses (sorted), ``vectors`` the L2-normalized values in those
    columns only, so that a pair of documents multiplies only the columns both use.
    """

    doc_id: str
    sections: list[Section]
    headings: list[str]
    heading_words: list[str]  # space-joined content words, for token_set_ratio
    columns: np.ndarray  # (k,) sorted hashed dimensions used by some section
    vectors: np.ndarray  # (n, k) L2-normalized TF-IDF in ``columns``
    terms: list[dict[str, float]]  # TF-IDF weight per content word, for shared terms
    theme_ids: list[str]
    themes: np.ndarray  # (n, n_themes) L2-normalized theme scores
    text_digests: np.ndarray  # (n,) uint64 digest of each section's whole text
    roles: list[str] = field(default_factory=list)  # part role per section (roles.py)
    kinds: np.ndarray = field(init=False, repr=False)  # kind code per section
    headless: np.ndarray = field(init=False, repr=False)  # True: no heading
    same_kind_ok: np.ndarray = field(init=False, repr=False)  # headless kinds that match alike
    has_heading: np.ndarray = field(init=False, repr=False)  # heading, or a headless kind above
    empty: np.ndarray = field(init=False, repr=False)  # a heading with no text under it
    parents: np.ndarray = field(init=False, repr=False)  # parent index (root: n)
    titles: np.ndarray = field(init=False, repr=False)  # a group title (``Section.title``)
    # parent for the context bonus, group titles skipped (``_context_parents``; root: n)
    context_parents: np.ndarray = field(init=False, repr=False)
    # ``vectors`` by column (its non-zero entries, column by column): what _body_matrix reads
    col_start: np.ndarray = field(init=False, repr=False)  # (k + 1,) first entry of column
    col_rows: np.ndarray = field(init=False, repr=False)  # section of each entry
    col_values: np.ndarray = field(init=False, repr=False)  # float64 value of each entry

    def __post_init__(self) -> None:
        codes = {kind: k for k, kind in enumerate(NO_HEADING_KINDS)}
        kinds = [codes.get(s.kind, -1) for s in self.sections]
        self.kinds = np.array(kinds, dtype=np.int64)
        self.headless = np.array([not h for h in self.headings], dtype=bool)
        self.same_kind_ok = self.kinds >= 0
        self.has_heading = ~self.headless | self.same_kind_ok
        self.empty = np.array(
            [not s.children and s.body_span[1] - s.body_span[0] < EMPTY_BODY
             and s.kind == "heading" for s in self.sections], dtype=bool,
        )
        index = {s.id: k for k, s in enumerate(self.sections)}
        self.parents = np.array(
            [index.get(s.parent or "", len(self.sections)) for s in self.sections],
            dtype=np.int64,
        )
        self.titles = np.array([s.title for s in self.sections], dtype=bool)
        self.context_parents = context_parents(self.parents, self.titles)
        by_column = self.vectors.T
        cols, rows = np.nonzero(by_column)
        self.col_rows = rows.astype(np.int64)
        self.col_values = by_column[cols, rows].astype(np.float64)
        self.col_start = np.searchsorted(cols, np.arange(len(self.columns) + 1)).astype(np.int64)


def context_parents(parents: np.ndarray, titles: np.ndarray) -> np.ndarray:
    """Each section's parent for the context bonus, group titles (``Section.title``) skipped:
    Hong Kong sub-headings move between groups (2013's ``活化工廈`` under （三） is 2014's
    under the title ``工商業用地`` in （五））. Once per document (``SectionFeatures``)."""
    out = parents.copy()
    n = len(parents)
    for i in range(n):
        while out[i] < n and titles[int(out[i])]:
            out[i] = parents[int(out[i])]
    return out

