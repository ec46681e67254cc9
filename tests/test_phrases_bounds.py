"""The work bound of phrase mining (issue 17 class 2, issue 12): periodic runs found and
collapsed, the occurrence budget, ``PhraseSet.coarse``; and the overlap matrix, of all pairs
and of chosen pairs, on a case worked out by hand. The hostile cases with time and memory
budgets are in ``tests/hostile/test_repetition.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_phrases import words

from policydiff.phrases import find_shared_phrases, mining, overlap_matrix
from policydiff.phrases.corpus import periodic_runs, text_barriers


def runs(text: str) -> list[tuple[int, int, int]]:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    found = periodic_runs(codes, np.zeros(len(text), dtype=bool))  # no barrier: the runs alone
    return [(r.start, r.end, r.period) for r in found]


def test_a_periodic_run_is_found_with_its_bounds_and_period() -> None:
    # 前言 (2) + 发展改革 × 20 (80 characters) + 后记
    assert runs("前言" + "发展改革" * 20 + "后记") == [(2, 82, 4)]
    # 64 characters is the least: 甲 × 63 is not a run, × 64 is
    assert runs("甲" * 63) == []
    assert runs("x" + "甲" * 64 + "y") == [(1, 65, 1)]
    # 15 units of four characters are only 60 characters
    assert runs("发展改革" * 15) == []


def test_each_stretch_gets_its_smallest_period() -> None:
    # ab × 40 runs on into the first "ab" of abc × 30 (82 characters, period 2); the abc run
    # starts at 80 and has 90 characters (period 3). Neither is reported again with a
    # multiple of its period.
    assert runs("ab" * 40 + "abc" * 30) == [(0, 82, 2), (80, 170, 3)]


def test_longest_unit_and_units_with_barriers() -> None:
    unit = "一二三四五六七八九十甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"  # 32 characters
    assert len(unit) == 32
    assert runs("起" + unit * 8 + "止") == [(1, 257, 32)]  # 8 units: a run
    assert runs("起" + unit * 7 + "止") == []  # 7 units: not
    assert runs("起" + (unit + "零") * 10 + "止") == []  # 33 characters: beyond MAX_PERIOD
    # a unit that holds a sentence end costs nothing (the barrier cuts it): not collapsed
    codes = np.frombuffer(("发展。" * 40).encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    assert periodic_runs(codes, text_barriers("发展。" * 40)) == []


def test_the_collapsed_part_of_a_run_is_a_barrier() -> None:
    barrier = text_barriers("发展改革" * 20 + "\n全面推进")
    assert not barrier[:8].any()  # the first two units take part in phrases
    assert barrier[8:80].all()
    assert barrier[80]  # the newline
    assert not barrier[81:].any()


def test_seeds_have_no_periodic_run_and_are_not_coarse(seed_files: dict[str, Path]) -> None:
    texts = {name: path.read_text("utf-8") for name, path in seed_files.items()}
    assert all(runs(text) == [] for text in texts.values())
    assert find_shared_phrases(texts).coarse == ()


def test_no_corpus_document_has_a_periodic_run(corpus_dir: Path) -> None:
    """Why collapsing changes nothing on real reports: none of the corpus documents repeats a
    unit of up to 32 characters 8 times in a row."""
    paths = sorted(corpus_dir.glob("*.txt")) + sorted(corpus_dir.glob("bulk/*/*.txt"))
    assert paths
    found = {path.name: runs(path.read_text("utf-8")) for path in paths}
    assert {name: r for name, r in found.items() if r} == {}


def test_the_budget_leaves_out_the_most_frequent_and_says_so(
    seed_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = {name: path.read_text("utf-8") for name, path in seed_files.items()}
    full = find_shared_phrases(texts)
    monkeypatch.setattr(mining, "OCCURRENCE_BUDGET", 2_000)
    monkeypatch.setattr(mining, "OCCURRENCE_BUDGET_PER_CHAR", 0)
    cut = find_shared_phrases(texts)
    assert len(cut.coarse) == 1
    assert cut.coarse[0].startswith("the texts are too repetitive: ")
    assert "over the budget of 2,000 occurrences" in cut.coarse[0]
    assert 0 < len(cut.phrases) < len(full.phrases)
    assert {p.text for p in cut.phrases} <= {p.text for p in full.phrases}
    for phrase in cut.phrases:
        for occ in phrase.occurrences:
            assert texts[occ.doc][occ.span[0] : occ.span[1]] == phrase.text


def test_overlap_matrix_on_a_case_worked_out_by_hand() -> None:
    """d1 建设美丽中国，保护生态环境 (12 Han characters), d2 建设美丽中国 (6), d3
    保护生态环境，建设美丽 (10). Phrases: 建设美丽中国 (d1 0-6, d2 0-6), 保护生态环境 (d1 7-13,
    d3 0-6), 建设美丽 (d1 0-4, d2 0-4, d3 7-11; 美丽中国 always follows 建设, so it is no
    phrase of its own)."""
    texts, spans = words(
        ["建设", "美丽", "中国", "，", "保护", "生态", "环境"],
        ["建设", "美丽", "中国"],
        ["保护", "生态", "环境", "，", "建设", "美丽"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    assert {p.text for p in ps.phrases} == {"建设美丽中国", "保护生态环境", "建设美丽"}
    got = {(o.a, o.b): (o.shared, o.jaccard, o.coverage_a, o.coverage_b)
           for o in overlap_matrix(ps)}  # fmt: skip
    assert got == {
        # shared 2 of 3; d1 covered by 建设美丽中国 ∪ 建设美丽 = 0-6: 6/12; d2 wholly: 6/6
        ("d1", "d2"): (2, 2 / 3, 6 / 12, 1.0),
        # shared 2 of 3; d1: 0-4 and 7-13 = 10/12; d3: 0-6 and 7-11 = 10/10
        ("d1", "d3"): (2, 2 / 3, 10 / 12, 1.0),
        # shared 建设美丽 only, of 3; d2: 4/6; d3: 4/10
        ("d2", "d3"): (1, 1 / 3, 4 / 6, 4 / 10),
    }
    # the chosen pairs only (as a comparison of many documents asks): the same figures, each
    # pair once with its earlier document first, in document order
    chosen = [(o.a, o.b, o.shared, o.jaccard, o.coverage_a, o.coverage_b)
              for o in overlap_matrix(ps, [("d3", "d1"), ("d2", "d3"), ("d1", "d3")])]
    assert chosen == [("d1", "d3", 2, 2 / 3, 10 / 12, 1.0), ("d2", "d3", 1, 1 / 3, 4 / 6, 4 / 10)]


def test_a_report_of_some_pairs_lists_them_instead_of_a_matrix() -> None:
    """Beyond ``records.MAX_OVERLAP_DOCUMENTS`` the report holds the aligned pairs only: the
    Markdown and HTML list those pairs (a matrix would have empty cells). Same three documents
    as above; d1-d3 shares 建设美丽 and 保护生态环境, covering 10 of d1's 12 Han characters."""
    from policydiff.render.phrases import render_html, render_markdown
    from policydiff.report import build_report

    texts, spans = words(
        ["建设", "美丽", "中国", "，", "保护", "生态", "环境"],
        ["建设", "美丽", "中国"],
        ["保护", "生态", "环境", "，", "建设", "美丽"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    some = build_report(ps, with_changes=False, overlap_pairs=[("d3", "d1")])
    assert [(o.a, o.b) for o in some.overlaps] == [("d1", "d3")]
    md = render_markdown(some)
    assert "The 1 aligned pairs" in md
    assert "| d1 | d3 | 0.67 | 83.3% | 100.0% | 2 |" in md
    assert "<td>d1</td><td>d3</td><td class=\"num\">0.67</td>" in render_html(some)
    every = render_markdown(build_report(ps, with_changes=False))
    assert "aligned pairs" not in every
    assert "| d1 | — | J 0.67 / 50.0% | J 0.67 / 83.3% |" in every
