"""What makes the package install anywhere (issue 11), tested as a user would meet it.

- cdifflib (no wheels) is an optional accelerator: ``policydiff.diff.matcher_type`` picks
  ``cdifflib.CSequenceMatcher`` when it is installed, else ``difflib.SequenceMatcher``. The
  two must give identical opcodes: on raw generated token lists (Hypothesis), and through the
  whole word diff on every matched section pair of the seeds and of the national 2024/2025
  reports (the corpus; skipped when absent). The test extra installs cdifflib so that CI runs
  the comparison; without it those tests skip and the fallback test still runs.
"""

from __future__ import annotations

import difflib
import itertools
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policydiff
from policydiff import diff as diff_module
from policydiff.comparison import Comparison, diff_spans
from policydiff.config import Config

# ---------------------------------------------------------------------------------------------
# The difflib engine: cdifflib when present, the standard library otherwise


def test_without_cdifflib_the_standard_library_matcher_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "cdifflib", None)  # makes `import cdifflib` fail
    diff_module.matcher_type.cache_clear()
    try:
        assert diff_module.matcher_type() is difflib.SequenceMatcher
        # and the word diff still works: 增长5% -> 增长6% changes one character
        result = diff_module.diff_texts("经济增长5%左右。", "经济增长6%左右。")
        changed = [
            (op.tag, result.a[op.a_start:op.a_end], result.b[op.b_start:op.b_end])
            for op in result.refined
            if op.tag != "equal"
        ]
        assert changed == [("replace", "5", "6")]
    finally:
        diff_module.matcher_type.cache_clear()


def test_with_cdifflib_the_c_matcher_is_used() -> None:
    cdifflib = pytest.importorskip("cdifflib")
    assert diff_module.matcher_type() is cdifflib.CSequenceMatcher


def _opcodes(engine: Any, a: list[int], b: list[int]) -> list[tuple[str, int, int, int, int]]:
    return list(engine(None, a, b, autojunk=False).get_opcodes())


# Small alphabets make repeats, where difflib's tie-breaking (earliest longest match) matters.
_token_lists = st.lists(st.integers(0, 5), max_size=80) | st.lists(st.integers(0, 40), max_size=200)


@settings(max_examples=400, deadline=None)
@given(a=_token_lists, b=_token_lists)
def test_both_engines_give_identical_opcodes_on_generated_token_lists(
    a: list[int], b: list[int]
) -> None:
    cdifflib = pytest.importorskip("cdifflib")
    assert _opcodes(cdifflib.CSequenceMatcher, a, b) == _opcodes(difflib.SequenceMatcher, a, b)


def _diffs_of_matched_pairs(comparison: Comparison, a: str, b: str) -> list[Any]:
    doc_a, doc_b = comparison.document(a), comparison.document(b)
    out = []
    for match in comparison.alignment(a, b).matches:
        (sa, ea), (sb, eb) = diff_spans(doc_a.section(match.a), doc_b.section(match.b))
        out.append(diff_module.diff_texts(doc_a.text[sa:ea], doc_b.text[sb:eb]))
    return out


def _assert_engines_agree(
    monkeypatch: pytest.MonkeyPatch, comparison: Comparison, pairs: list[tuple[str, str]]
) -> int:
    """Diff every matched section pair of ``pairs`` with each engine; the results must be
    identical (opcodes, character refinements, moves, coarse flag). Returns the pair count."""
    cdifflib = pytest.importorskip("cdifflib")
    results = {}
    for name, engine in (("c", cdifflib.CSequenceMatcher), ("py", difflib.SequenceMatcher)):
        monkeypatch.setattr(diff_module, "matcher_type", lambda engine=engine: engine)
        results[name] = [d for a, b in pairs for d in _diffs_of_matched_pairs(comparison, a, b)]
    assert len(results["c"]) == len(results["py"])
    for fast, slow in zip(results["c"], results["py"], strict=True):
        assert fast.opcodes == slow.opcodes
        assert fast.refined == slow.refined
        assert fast.moves == slow.moves
        assert fast.coarse == slow.coarse
    return len(results["c"])


def test_both_engines_agree_on_every_matched_section_pair_of_the_seeds(
    monkeypatch: pytest.MonkeyPatch, seed_files: dict[str, Path]
) -> None:
    comparison = policydiff.compare(sorted(seed_files.values()), Config())
    ids = [d.id for d in comparison.documents]
    pairs = list(itertools.combinations(ids, 2))
    count = _assert_engines_agree(monkeypatch, comparison, pairs)
    assert count > 50  # the five seeds share many sections; a broken alignment would show here


@pytest.mark.corpus
def test_both_engines_agree_on_every_matched_section_pair_of_national_2024_2025(
    monkeypatch: pytest.MonkeyPatch, corpus_dir: Path
) -> None:
    paths = [corpus_dir / "national-2024.txt", corpus_dir / "national-2025.txt"]
    comparison = policydiff.compare(paths, Config())
    a, b = (d.id for d in comparison.documents)
    count = _assert_engines_agree(monkeypatch, comparison, [(a, b)])
    assert count > 40  # two consecutive reports of one government match most of their sections
