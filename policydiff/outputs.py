"""What a comparison writes: the one owner of the output set.

``policydiff compare`` and the viewer's export both ask ``comparison_outputs`` which files a
comparison produces and write them with ``write_outputs``. Each output is rendered only when
it is written (a renderer per file name).

The set, for documents d1…dN:
- ``alignment.json``: the alignment export (``policydiff/alignment@2``);
- ``phrases.json``, ``phrases.md``: the phrase-overlap report; its new/dropped phrases between
  consecutive documents of ``Comparison.change_series()``: all inputs in order up to
  ``records.MAX_CHANGE_DOCUMENTS`` documents or with ``--series``, else only the series found
  by name (a run of peers in input order means nothing, and it is the slowest part);
- the CSV tables of ``policydiff.records``;
- ``index.html``: the documents, each pair's alignment (a list of pairs beyond
  ``MAX_HTML_PAIRS``), the theme matrix, links to the pair pages and to ``phrases.html``, the
  phrase report as a page (``render.index``, ``render.phrases.render_html``);
- ``changes-dA-dB.{html,md,json}``: the change report of every consecutive pair of a series
  (``changes.files.change_pairs``; peers get ``changes-distinctive.{html,md}`` instead),
  linked from the index;
- ``diff-dA-dB.html``: a page per pair (``render.html``) for the pairs ``page_pairs`` chooses
  (``pair_pages``: ``auto``, ``all`` or ``none``; see ``PAIR_PAGES``). Beyond
  ``MAX_HTML_PAIRS`` pairs these are the pairs that get a change report
  (``changes.files.change_pairs``: consecutive documents of a series) that are aligned:
  documents that are no series (31 provinces, the seeds) get no pair pages, and the index says
  so (a page costs a section diff of every match, 0.1–0.5 s).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policydiff.render.page import INDEX

PHRASES_PAGE = "phrases.html"

if TYPE_CHECKING:
    from policydiff.comparison import Comparison
    from policydiff.report import PhraseReport

MAX_HTML_PAIRS = 10
"""Up to this many pairs, ``compare`` writes a page for every pair; beyond, those of
``page_pairs``."""

PAIR_PAGES = {
    "auto": "every pair up to 10 pairs; beyond, each document against --ref, else the "
            "consecutive documents of each series (found by name, or with --series the "
            "inputs in order, d1-d2, d2-d3, ...; none for documents that are no series)",
    "all": "every aligned pair",
    "none": "no pair pages (index.html and phrases.html are still written)",
}
"""The choices of which pair pages ``compare`` writes (``--pair-pages``), with their meaning."""


Renderer = Callable[[], str]


@dataclass
class Outputs:
    """The files of a comparison (name -> renderer, in writing order) and notes for the user
    about what was left out and why."""

    files: dict[str, Renderer]
    notes: list[str] = field(default_factory=list)


def page_pairs(comparison: Comparison, pair_pages: str = "auto") -> list[tuple[str, str]]:
    """The pairs that get a page (``PAIR_PAGES``): all of ``Comparison.pairs`` up to
    ``MAX_HTML_PAIRS`` (or with ``all``); beyond, the pairs ``--ref`` defines (every document
    against the reference), else the pairs that get a change report
    (``changes.files.change_pairs``: the consecutive documents of each series, found by name
    or with ``--series`` the inputs in order) that are aligned, as aligned (so a page never
    aligns a pair again); none when the documents are no series (peers)."""
    if pair_pages not in PAIR_PAGES:
        raise ValueError(f"pair_pages must be one of {', '.join(PAIR_PAGES)}, not {pair_pages!r}")
    if pair_pages == "none":
        return []
    pairs = comparison.pairs
    if pair_pages == "all" or len(pairs) <= MAX_HTML_PAIRS or comparison.ref is not None:
        return pairs
    from policydiff.changes.files import change_pairs

    aligned = set(pairs)
    chosen: list[tuple[str, str]] = []
    for a, b in change_pairs(comparison):
        pair = (a, b) if (a, b) in aligned else (b, a)
        if pair in aligned and pair not in chosen:
            chosen.append(pair)
    return chosen


def _pages_note(comparison: Comparison, chosen: Sequence[tuple[str, str]]) -> str:
    """What the user is told when ``page_pairs`` left pairs without a page."""
    other = "--pair-pages all for every pair, or `policydiff diff A B --format html`"
    count = len(comparison.pairs)
    if not chosen:
        return (f"{count} pairs of documents that are no series: no pair pages ({other}; "
                "--series if the inputs are one series in this order)")
    return f"{count} pairs: pages for the {len(chosen)} consecutive pairs of a series ({other})"


def comparison_outputs(
    comparison: Comparison,
    names: Collection[str] | None = None,
    *,
    bom: bool = True,
    pair_pages: str = "auto",
) -> Outputs:
    """The output set of ``comparison``; ``names`` keeps only those files (the viewer's export
    asks for ``alignment.json``, ``phrases.json`` and ``phrases.md``). ``bom``: the CSV files
    start with a UTF-8 byte-order mark (Excel needs it to read UTF-8). ``pair_pages``: which
    pair pages (``page_pairs``)."""
    from policydiff.changes.files import change_files
    from policydiff.formats.alignment import alignment_json
    from policydiff.formats.jsontext import dumps

    def phrase_report() -> PhraseReport:  # built once per comparison (records.phrase_report)
        return comparison.phrase_report()

    def phrases_json() -> str:  # the renderers imported when rendering (not for the cache)
        from policydiff.formats.phrases import render_json

        return render_json(phrase_report())

    def phrases_md() -> str:
        from policydiff.render.phrases import render_markdown

        return render_markdown(phrase_report())

    files: dict[str, Renderer] = {
        "alignment.json": lambda: dumps(alignment_json(comparison)),
        "phrases.json": phrases_json,
        "phrases.md": phrases_md,
    }
    files.update(_csv_files(comparison, phrase_report))
    files.update(change_files(comparison, index=INDEX))
    notes = []
    chosen = page_pairs(comparison, pair_pages)
    if pair_pages == "auto" and len(chosen) < len(comparison.pairs):
        notes.append(_pages_note(comparison, chosen))
    others: list[str] = []  # the files beside the index, filled in once the set is known
    files.update(_pages(comparison, phrase_report, chosen, others, notes))
    if names is not None:
        files = {name: render for name, render in files.items() if name in names}
    others += [name for name in files if name not in (INDEX, PHRASES_PAGE)
               and not name.startswith(("diff-", "changes-"))]
    files = _in_workers(comparison, files)
    # The index depends on which pages there are: the choice is part of its cache name.
    files = {name: _cached(comparison, f"{name}?{pair_pages}" if name == INDEX else name, render)
             for name, render in files.items()}
    if bom:  # after the cache, which keeps the text without it
        files = {name: _with_bom(render) if name.endswith(".csv") else render
                 for name, render in files.items()}
    return Outputs(files, notes)


PARALLEL_MIN_TASKS = 4
"""From this many pair pages and change reports on, they are rendered in forked workers."""

PARALLEL_MAX_DOCUMENTS = 24
"""Above this many documents the pages render in this process: each forked worker soon holds
its own copy of the comparison (reference counts write to every page it touches): +1.1 GB at
the 100 corpus documents for about 8 % of the wall time (docs/performance.md). Below it the
copies are small (13 documents: the pools test)."""


def _in_workers(comparison: Comparison, files: dict[str, Renderer]) -> dict[str, Renderer]:
    """``files`` whose pair pages and change reports render in forked workers (``_Batch``)
    when there are at least ``PARALLEL_MIN_TASKS`` of them, at most
    ``PARALLEL_MAX_DOCUMENTS`` documents, and batch work may fork
    (``Comparison.batch_workers``). One task per page, one per pair's change report (its
    three files share one report), one for the peers' report; only the files the result
    cache lacks (``_not_cached``: the others are read from it)."""
    tasks: dict[str, list[str]] = {}
    for name in files:
        if name.startswith("diff-"):
            tasks[name] = [name]
        elif name.startswith("changes-"):
            tasks.setdefault(name.rpartition(".")[0], []).append(name)
    workers = min(comparison.batch_workers(), len(tasks))
    if len(comparison.documents) > PARALLEL_MAX_DOCUMENTS:
        workers = 1
    if workers < 2 or len(tasks) < PARALLEL_MIN_TASKS:
        return files
    groups = _not_cached(comparison, list(tasks.values()))
    workers = min(workers, len(groups))
    if workers < 2 or len(groups) < PARALLEL_MIN_TASKS:
        return files
    batch = _Batch(files, groups, workers)
    batched = {name for group in groups for name in group}
    return {name: batch.renderer(name) if name in batched else render
            for name, render in files.items()}


def _not_cached(comparison: Comparison, groups: list[list[str]]) -> list[list[str]]:
    """The names of each group that the result cache lacks (all of them without the cache),
    empty groups dropped: a run with ``--pair-pages all`` after one with ``auto`` renders only
    the new pages. A page's or change report's cache name is its file name (``_cached``)."""
    from policydiff.results import enabled, has_output

    if not enabled(comparison.config.cache):
        return groups
    key = comparison.result_key()
    missing = [[name for name in group if not has_output(key, name)] for group in groups]
    return [group for group in missing if group]


class _Batch:
    """Renders groups of files in a pool of forked workers, started when the first of them is
    asked for (through the result cache: a repeat run forks nothing), results in the order of
    the groups, so the parent holds only what the workers are ahead by (as UTF-8)."""

    def __init__(self, files: dict[str, Renderer], groups: list[list[str]], workers: int):
        self.files = files
        self.groups = groups
        self.workers = workers
        self.ready: dict[str, bytes] = {}
        self.results: Generator[dict[str, bytes], None, None] | None = None
        self.received = 0

    def renderer(self, name: str) -> Renderer:
        return lambda: self.text(name)

    def text(self, name: str) -> str:
        if name not in self.ready:
            if self.results is None:
                self.results = self._run()
            for found in self.results:
                self.ready.update(found)
                self.received += 1
                if name in self.ready:
                    break
            if self.received == len(self.groups):
                self.results.close()  # every group is in: the pool ends now
        data = self.ready.pop(name, None)
        if data is None:  # asked for twice: the workers' copy is gone
            return self.files[name]()
        return data.decode("utf-8", "surrogatepass")

    def _run(self) -> Generator[dict[str, bytes], None, None]:
        import multiprocessing

        global _BATCH
        _BATCH = self
        try:
            try:
                pool = multiprocessing.get_context("fork").Pool(self.workers)
            except (OSError, ImportError):  # no working semaphores: render here
                yield from map(_render_group, range(len(self.groups)))
                return
            with pool:
                yield from pool.imap(_render_group, range(len(self.groups)))
        finally:
            _BATCH = None


_BATCH: _Batch | None = None
"""The batch a forked worker renders from (set in the parent before the pool forks)."""


def _render_group(group: int) -> dict[str, bytes]:
    """The files of the batch's group number ``group``, as UTF-8."""
    batch = _BATCH
    assert batch is not None, "render workers must be forked from _Batch._run"
    return {name: batch.files[name]().encode("utf-8", "surrogatepass")
            for name in batch.groups[group]}


def _cached(comparison: Comparison, name: str, render: Renderer) -> Renderer:
    """``render`` through the result cache (``policydiff.results``): a comparison run before
    with the same inputs, settings and code gets the same text without the work."""
    from policydiff.results import cached_output, enabled

    def cached() -> str:
        if not enabled(comparison.config.cache):
            return render()
        return cached_output(comparison.result_key(), name, render)

    return cached


def _csv_files(
    comparison: Comparison, phrase_report: Callable[[], PhraseReport]
) -> dict[str, Renderer]:
    """``<table>.csv`` for every table of ``policydiff.records`` (without a byte-order mark)."""
    from policydiff import records

    def render(name: str) -> Renderer:
        def text() -> str:
            from policydiff.render.phrases import table_csv

            report = phrase_report() if name in records.REPORT_TABLES else None
            return table_csv(records.table(name, comparison, report=report))

        return text

    return {f"{name}.csv": render(name) for name in records.TABLES}


def _with_bom(render: Renderer) -> Renderer:
    return lambda: "\ufeff" + render()


def _pages(
    comparison: Comparison,
    phrase_report: Callable[[], PhraseReport],
    chosen: Sequence[tuple[str, str]],
    others: Sequence[str],
    notes: Sequence[str],
) -> dict[str, Renderer]:
    """The HTML pages: the phrase report, a page per chosen pair, then the index (which shows
    ``notes``: why pairs have no page)."""
    pages = {f"diff-{a}-{b}.html": (a, b) for a, b in chosen}

    def phrases_page() -> str:
        from policydiff.render.phrases import render_html

        return render_html(phrase_report(), index=INDEX)

    def index_page() -> str:
        from policydiff.changes.files import change_pairs
        from policydiff.render.index import index_html

        return index_html(comparison, pages=pages, report=phrase_report(), phrases=PHRASES_PAGE,
                          files=others, changes=change_pairs(comparison), notes=notes)

    files: dict[str, Renderer] = {PHRASES_PAGE: phrases_page}
    files.update({name: _pair_page(comparison, a, b) for name, (a, b) in pages.items()})
    files[INDEX] = index_page
    return files


def _pair_page(comparison: Comparison, a: str, b: str) -> Renderer:
    def render() -> str:
        from policydiff.render.html import diff_html

        return diff_html(comparison, a, b, index=INDEX)

    return render


def write_outputs(
    folder: str | Path,
    outputs: Outputs,
    *,
    force: bool = False,
    protect: Iterable[str | Path] = (),
) -> list[Path]:
    """Write every file of ``outputs`` into ``folder`` as one set; returns the paths.

    ``files.write_set``: every target is checked before anything is written (without
    ``force`` none may exist; inputs, ``protect``, are never overwritten), the set is written
    into a temporary folder and moved into place only once complete, so a full disk, a
    blocked target or SIGTERM leaves the previous results as they were. A compare's set (one
    with ``index.html``) also removes the pair pages and change reports an earlier, larger
    compare wrote there (the ones its manifest lists), never anything else.
    """
    from policydiff.files import write_set

    def stale(name: str) -> bool:
        return name.startswith(("diff-", "changes-")) and name.endswith((".html", ".md", ".json"))

    compare_set = INDEX in outputs.files
    return write_set(folder, dict(outputs.files), force=force, protect=protect,
                     stale=stale if compare_set else None)
