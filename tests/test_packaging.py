"""What makes the package install anywhere (issue 11), tested as a user would meet it.

- A built wheel holds every module of ``policydiff`` and of the viewer's package
  ``policydiff_tui`` (no top-level ``tui``), the data files and the seed reports; the sdist
  holds the ``seeds/`` and ``tui/`` folders. Installed non-editable into a folder of its own,
  the package finds its seeds from another working directory and ``compare`` runs on them.
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
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policydiff
from policydiff import diff as diff_module
from policydiff.comparison import Comparison, diff_spans
from policydiff.config import Config

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "policydiff", "tui", "seeds")


# ---------------------------------------------------------------------------------------------
# The wheel and the sdist


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A wheel and an sdist built from a copy of the source tree (so that no build folder is
    left in the shared checkout), without network: the installed setuptools builds them."""
    tree = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=ignore)
        else:
            shutil.copy2(source, tree / name)
    dist = tmp_path_factory.mktemp("dist")
    code = (
        "import sys\nfrom setuptools import build_meta as backend\n"
        "out = sys.argv[1]  # read once: the backend rewrites sys.argv\n"
        "wheel = backend.build_wheel(out)\nsdist = backend.build_sdist(out)\n"
        "print('BUILT', wheel, sdist)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(dist)], cwd=tree, capture_output=True, text=True,
        timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    built = [line.split() for line in result.stdout.splitlines() if line.startswith("BUILT ")]
    _, wheel, sdist = built[-1]
    return {"wheel": dist / wheel, "sdist": dist / sdist}


def _source_modules(base: Path, package: str) -> set[str]:
    return {
        str(path.relative_to(base)).replace(os.sep, "/")
        for path in (base / package).rglob("*.py")
        if "__pycache__" not in path.parts
    }


def test_the_wheel_holds_every_module_the_data_and_the_seeds(built: dict[str, Path]) -> None:
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    tops = {name.split("/")[0] for name in names}
    assert tops == {"policydiff", "policydiff_tui", "policydiff-0.1.0.dist-info"}
    # every module of both packages: a package folder missing from pyproject's list fails here
    expected = _source_modules(ROOT, "policydiff") | _source_modules(ROOT / "tui", "policydiff_tui")
    assert expected - names == set()
    seeds = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    for name in seeds:
        assert f"policydiff/_seeds/{name}" in names
    for data in ("policydiff/data/userdict.txt", "policydiff/data/themes.toml",
                 "policydiff/py.typed", "policydiff_tui/app.tcss"):
        assert data in names
    entry_points = zipfile.ZipFile(built["wheel"]).read(
        "policydiff-0.1.0.dist-info/entry_points.txt").decode()
    assert "view = policydiff_tui.command:VIEW" in entry_points
    metadata = zipfile.ZipFile(built["wheel"]).read("policydiff-0.1.0.dist-info/METADATA").decode()
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    required = [line for line in requires if "extra ==" not in line]
    # what has no wheels is optional: cdifflib only in the extras 'fast' and 'test', jieba only
    # in 'jieba' and 'test'
    assert not [line for line in required if "cdifflib" in line or "jieba==" in line]
    assert any("rjieba" in line for line in required)
    assert any("cdifflib" in line and 'extra == "fast"' in line for line in requires)
    assert any("jieba==" in line and 'extra == "jieba"' in line for line in requires)


def test_the_sdist_holds_the_seeds_and_the_viewer_folders(built: dict[str, Path]) -> None:
    with tarfile.open(built["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for path in (ROOT / "seeds").iterdir():
        assert f"seeds/{path.name}" in names
    assert "tui/policydiff_tui/app.py" in names
    assert "tui/policydiff_tui/app.tcss" in names
    assert "policydiff/data/userdict.txt" in names


def test_a_non_editable_install_finds_its_seeds_from_any_folder(
    built: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
         "--target", str(target), str(built["wheel"])],
        check=True, capture_output=True, timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # the installed copy comes first on the path; the dependencies come from this environment
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import json, policydiff, policydiff_tui\n"
        "from policydiff.seeds import seed_paths\n"
        "print(json.dumps([policydiff.__file__, policydiff_tui.__file__, seed_paths()]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
        timeout=120, check=True,
    )
    core, viewer, seeds = json.loads(result.stdout)
    assert Path(core).is_relative_to(target) and Path(viewer).is_relative_to(target)
    assert [Path(p).name for p in seeds] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert all(Path(p).is_relative_to(target / "policydiff" / "_seeds") for p in seeds)

    out = elsewhere / "out"
    run = subprocess.run(
        [sys.executable, "-m", "policydiff", "compare", "-o", str(out)], cwd=elsewhere, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr
    alignment = json.loads((out / "alignment.json").read_text("utf-8"))
    assert [Path(d["path"]).name for d in alignment["documents"]] == [Path(p).name for p in seeds]


def test_seed_paths_in_the_checkout_are_the_seeds_folder() -> None:
    from policydiff.seeds import seed_paths

    assert seed_paths() == [str(p) for p in sorted((ROOT / "seeds").resolve().glob("*.txt"))]


# ---------------------------------------------------------------------------------------------
# The difflib engine: cdifflib when present, the standard library otherwise


def test_without_cdifflib_the_standard_library_matcher_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "cdifflib", None)  # makes `import cdifflib` fail
    diff_module.matcher_type.cache_clear()
    try:
        assert diff_module.matcher_type() is difflib.SequenceMatcher
        # and the word diff still works: 增长5% -> 增长6% replaces one figure (a figure is one
        # token of the diff, issue 13)
        result = diff_module.diff_texts("经济增长5%左右。", "经济增长6%左右。")
        changed = [
            (op.tag, result.a[op.a_start:op.a_end], result.b[op.b_start:op.b_end])
            for op in result.refined
            if op.tag != "equal"
        ]
        assert changed == [("replace", "5%", "6%")]
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
