"""What a two-document ``compare`` loads and computes once (issue 12: the cold and the repeat
run of two reports). Speed itself is measured in ``benchmarks/targets.py``, not here: these
check the work that must not happen (a second normalization, a segmenter loaded for a repeat
run whose documents are cached, the corpus or viewer packages)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policydiff import normalize as normalize_module
from policydiff.comparison import compare
from policydiff.config import Config

NEVER = ("dask", "distributed", "pandas", "pyarrow", "textual", "rich", "jsonschema")
"""Packages a compare of two documents has no use for, cached or not (the viewer's and the
corpus command's plug-in objects are loaded to build the command line, but not the packages
they run on)."""

SEGMENTERS_AND_TEXT_WORK = ("rjieba", "jieba", "opencc", "pydivsufsort", "rapidfuzz")
"""Packages only fresh work needs: cutting words, converting scripts, mining phrases, finding
renamed formulations. A repeat run whose documents and results are cached needs none."""

FRESH_WORK_MODULES = (
    "policydiff.changes.build", "policydiff.changes.formulations",
    "policydiff.changes.formulation_reading", "policydiff.changes.indicators",
    "policydiff.changes.summary", "policydiff.citations",
    "policydiff.render.changes", "policydiff.render.html",
    "numpy", "policydiff.align", "policydiff.phrases.mining", "policydiff.normalize",
)
"""What builds the change report and renders the pages, the aligner, the phrase miner, the
normalizer and numpy (which all of these compute with): a repeat run takes its alignments and
every output file from the result cache and its documents from the document cache, and
imports none of them (a cold run needs them all)."""


def _modules_after_compare(paths: list[Path], out: Path, cache: Path, *extra: str) -> set[str]:
    """The modules loaded by ``policydiff compare`` run in a fresh process, and their
    top-level packages."""
    code = (
        "import sys\n"
        "from policydiff.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(__import__('json').dumps(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "POLICYDIFF_CACHE_DIR": str(cache)}
    env.pop("POLICYDIFF_NO_CACHE", None)
    proc = subprocess.run(
        [sys.executable, "-c", code, "compare", *map(str, paths), "-o", str(out), "--force",
         "--quiet", *extra],
        capture_output=True, text=True, check=True, timeout=300, env=env,
    )
    names = json.loads(proc.stdout.strip().splitlines()[-1])
    return set(names) | {name.split(".")[0] for name in names}


def test_two_documents_load_no_corpus_or_viewer_package_and_no_segmenter_when_cached(
    seed_files: dict[str, Path], tmp_path: Path
) -> None:
    pair = [seed_files["000"], seed_files["001"]]
    cold = _modules_after_compare(pair, tmp_path / "out", tmp_path / "cache", "--no-cache")
    assert "policydiff" in cold and "rjieba" in cold  # the probe saw the run
    assert not cold & set(NEVER), cold & set(NEVER)
    # numpy 2.4's np.unique without counts or indices imports numpy.ma (10 ms) to test for a
    # masked array: assign.py and phrases/overlaps.py ask for counts.
    assert "numpy" in cold and "numpy.ma" not in cold
    assert set(FRESH_WORK_MODULES) <= cold, set(FRESH_WORK_MODULES) - cold
    _modules_after_compare(pair, tmp_path / "out", tmp_path / "cache")  # fills the cache
    repeat = _modules_after_compare(pair, tmp_path / "out", tmp_path / "cache")
    assert "policydiff" in repeat
    assert not repeat & set(NEVER), repeat & set(NEVER)
    assert not repeat & set(SEGMENTERS_AND_TEXT_WORK), repeat & set(SEGMENTERS_AND_TEXT_WORK)
    assert not repeat & set(FRESH_WORK_MODULES), repeat & set(FRESH_WORK_MODULES)


def test_a_loaded_document_is_normalized_once(
    seed_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The normalization trace citations read (``Document.normalization``) is the run that
    loaded the document, kept on it and on the labelled copy the comparison holds."""
    calls: list[int] = []
    real = normalize_module.normalize

    def counting(source: str, config: normalize_module.NormalizeConfig | None = None
                 ) -> normalize_module.NormalText:
        calls.append(len(source))
        return real(source, config)

    monkeypatch.setattr(normalize_module, "normalize", counting)
    comparison = compare([seed_files["000"], seed_files["001"]], Config(cache=False))
    assert len(calls) == 2
    for doc in comparison.documents:
        assert doc.label  # the comparison's documents are the labelled copies
        assert doc.normalization.text == doc.text
        assert doc.normalization.source == doc.source_text
    assert len(calls) == 2
