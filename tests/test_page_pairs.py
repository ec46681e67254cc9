"""Which pairs get an HTML page above 12 documents (``outputs.page_pairs``): the consecutive
documents of each series that are aligned, none for documents that are no series (peers),
and the index page says why a pair has no page."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from policydiff.comparison import Comparison, compare
from policydiff.config import Config
from policydiff.outputs import comparison_outputs, page_pairs


def _write(folder: Path, names: list[str], seeds: list[str]) -> list[Path]:
    paths = []
    for k, name in enumerate(names):
        path = folder / f"{name}.txt"
        path.write_text(seeds[k % 5] + f"\n附：第{k}号补充说明。\n", "utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def seeds(seed_files: dict[str, Path]) -> list[str]:
    return [seed_files[k].read_text("utf-8") for k in ("000", "001", "002", "003", "004")]


@pytest.fixture(scope="module")
def with_series(tmp_path_factory: pytest.TempPathFactory, seeds: list[str]) -> Comparison:
    """13 documents: county-2019 … county-2023 (one series, d1–d5) and eight peers."""
    names = [f"county-{year}" for year in range(2019, 2024)] + [
        f"peer-{letter}" for letter in "abcdefgh"
    ]
    return compare(_write(tmp_path_factory.mktemp("series"), names, seeds), Config(cache=False))


@pytest.fixture(scope="module")
def peers(tmp_path_factory: pytest.TempPathFactory, seeds: list[str]) -> Comparison:
    """13 documents with no year in their names or titles: no series."""
    names = [f"peer-{letter}" for letter in "abcdefghijklm"]
    return compare(_write(tmp_path_factory.mktemp("peers"), names, seeds), Config(cache=False))


def test_a_series_gets_pages_for_its_consecutive_pairs(with_series: Comparison) -> None:
    assert len(with_series.pairs) > 10
    # county-2019 … county-2023 are d1 … d5 in input order: four consecutive pairs, old to new
    expected = [("d1", "d2"), ("d2", "d3"), ("d3", "d4"), ("d4", "d5")]
    assert page_pairs(with_series) == expected
    assert set(expected) <= set(with_series.pairs)  # a page never aligns a pair again
    outputs = comparison_outputs(with_series, names={"index.html"})
    assert outputs.notes == [
        f"{len(with_series.pairs)} pairs: pages for the 4 consecutive pairs of a series "
        "(--pair-pages all for every pair, or `policydiff diff A B --format html`)"
    ]
    assert page_pairs(with_series, "all") == with_series.pairs
    # --series: the 13 inputs in order are one series, every neighbour pair aligned
    inputs = Comparison(with_series.documents, with_series.themes,
                        Config(cache=False, series=True), _tokens=dict(with_series._tokens))
    chosen = page_pairs(inputs)
    assert chosen == [(f"d{k}", f"d{k + 1}") for k in range(1, 13)]
    assert set(chosen) <= set(inputs.pairs)


def test_peers_get_no_pair_pages_and_the_index_says_so(peers: Comparison) -> None:
    assert peers.series() == [] and len(peers.pairs) > 10
    assert page_pairs(peers) == []
    outputs = comparison_outputs(peers)
    assert not [name for name in outputs.files if name.startswith("diff-")]
    note = (f"{len(peers.pairs)} pairs of documents that are no series: no pair pages "
            "(--pair-pages all for every pair, or `policydiff diff A B --format html`; "
            "--series if the inputs are one series in this order)")
    assert outputs.notes == [note]
    index = outputs.files["index.html"]()
    assert f'<p class="meta">{note}</p>' in index  # under Pairs; nothing to escape in it
    assert 'href="diff-' not in index


@pytest.mark.pools
def test_pages_and_change_reports_rendered_in_workers_are_the_same(
    with_series: Comparison,
) -> None:
    """Above ``PARALLEL_MIN_TASKS`` pages and change reports, forked workers render them
    (``outputs._Batch``): the texts are those rendered here, in any order asked for."""
    from policydiff import outputs
    from policydiff.comparison import worker_count

    if worker_count() < 2:
        pytest.skip("one core: nothing is forked")
    files = outputs.comparison_outputs(with_series).files
    batched = [n for n in files if n.startswith(("diff-", "changes-"))]
    # 4 pages and 4 change reports (3 files each) of the county series
    assert len(batched) == 4 + 4 * 3
    assert len(batched) >= outputs.PARALLEL_MIN_TASKS
    texts = {name: files[name]() for name in reversed(batched)}  # out of order on purpose
    from policydiff.changes.files import change_files
    from policydiff.render.html import diff_html

    for a, b in page_pairs(with_series):
        assert texts[f"diff-{a}-{b}.html"] == diff_html(with_series, a, b, index="index.html")
    alone = change_files(with_series, index="index.html")
    for name in batched:
        if name.startswith("changes-"):
            assert texts[name] == alone[name](), name
    assert outputs._BATCH is None  # the pool is gone


def test_a_batch_renders_only_what_the_result_cache_lacks(
    with_series: Comparison, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--pair-pages all`` after an ``auto`` run: the forked workers (``outputs._Batch``) get
    only the pages the result cache does not hold, not the ``auto`` pages and change reports
    again; a change report partly in the cache renders only its missing files. (No pool is
    started here: the batch's groups are read, and cached files are read from the cache.)"""
    from policydiff import outputs, results

    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("POLICYDIFF_NO_CACHE", raising=False)
    cached = Comparison(with_series.documents, with_series.themes, Config(cache=True),
                        _tokens=dict(with_series._tokens))
    monkeypatch.setattr(cached, "batch_workers", lambda: 2)
    seen: list[list[list[str]]] = []

    class Recording(outputs._Batch):
        def __init__(self, files: dict[str, outputs.Renderer], groups: list[list[str]],
                     workers: int) -> None:
            seen.append(groups)
            super().__init__(files, groups, workers)

    monkeypatch.setattr(outputs, "_Batch", Recording)
    auto = comparison_outputs(cached).files
    # nothing cached yet: the 4 pages and 4 change reports (3 files each) of the county series
    assert sorted(map(sorted, seen[-1])) == sorted(
        [[f"diff-d{k}-d{k + 1}.html"] for k in range(1, 5)]
        + [sorted(f"changes-d{k}-d{k + 1}.{f}" for f in ("html", "json", "md"))
           for k in range(1, 5)]
    )
    # What an auto run leaves in the cache (stand-in texts: only their presence matters),
    # but for one file of d3-d4's change report.
    key = cached.result_key()
    kept = [name for name in auto if name.startswith(("diff-", "changes-"))]
    for name in kept:
        if name != "changes-d3-d4.md":
            results.cached_output(key, name, functools.partial("cached {}".format, name))
    every = comparison_outputs(cached, pair_pages="all").files
    new_pages = [f"diff-{a}-{b}.html" for a, b in cached.pairs if (a, b) not in page_pairs(cached)]
    assert len(new_pages) > 4
    assert sorted(map(sorted, seen[-1])) == sorted(
        [[n] for n in new_pages] + [["changes-d3-d4.md"]]
    )
    assert every["diff-d1-d2.html"]() == "cached diff-d1-d2.html"  # from the cache, no pool
    assert outputs._BATCH is None


def test_no_render_workers_above_the_document_cap(
    with_series: Comparison, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``PARALLEL_MAX_DOCUMENTS`` documents the pages and change reports render in this
    process (a forked worker soon copies the comparison: +1.1 GB at 100 documents); at or
    below it the same comparison gets a batch. (No pool is started: ``_Batch`` is replaced.)"""
    from policydiff import outputs

    started: list[int] = []

    class Recording(outputs._Batch):
        def __init__(self, files: dict[str, outputs.Renderer], groups: list[list[str]],
                     workers: int) -> None:
            started.append(workers)
            super().__init__(files, groups, workers)

    monkeypatch.setattr(outputs, "_Batch", Recording)
    monkeypatch.setattr(with_series, "batch_workers", lambda: 2)
    count = len(with_series.documents)
    monkeypatch.setattr(outputs, "PARALLEL_MAX_DOCUMENTS", count)
    outputs.comparison_outputs(with_series)
    assert started == [2]
    monkeypatch.setattr(outputs, "PARALLEL_MAX_DOCUMENTS", count - 1)
    outputs.comparison_outputs(with_series)
    assert started == [2]  # no second batch
