"""The result cache (``policydiff.results``): a comparison run again with the same inputs,
settings and code reuses its alignments and outputs, and writes exactly what it wrote without
the cache; damaged entries are rebuilt; ``--no-cache`` / ``POLICYDIFF_NO_CACHE`` are honoured;
another setting is another key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from policydiff import cache as store
from policydiff import results
from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.files import MANIFEST
from policydiff.outputs import comparison_outputs, write_outputs


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(folder))
    monkeypatch.delenv("POLICYDIFF_NO_CACHE", raising=False)
    return folder


def _entries(kind: str) -> list[Path]:
    folder = store.cache_dir() / kind
    return sorted(folder.rglob("*.json")) if folder.is_dir() else []


def _write(paths: list[Path], out: Path, config: Config | None = None) -> dict[str, bytes]:
    comparison = compare(paths, config)
    comparison.alignments()
    write_outputs(out, comparison_outputs(comparison), force=True)
    # The outputs, not the set's manifest (files.MANIFEST, which no renderer writes).
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != MANIFEST}


def _no_alignment(*args: object, **kwargs: object) -> object:
    raise AssertionError("aligned again: the result cache was not used")


def test_a_repeat_run_reuses_everything_and_writes_the_same(
    seed_files: dict[str, Path], tmp_path: Path, fresh_cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = [seed_files["000"], seed_files["002"], seed_files["004"]]
    without = _write(paths, tmp_path / "none", Config(cache=False))
    assert not _entries(results.KIND_ALIGNMENTS)  # --no-cache writes nothing
    first = _write(paths, tmp_path / "first")
    assert first == without
    assert len(_entries(results.KIND_ALIGNMENTS)) == 1
    # one entry per file written (alignment.json, the phrase report, the three pair pages…)
    assert {"alignment.json", "phrases.json", "diff-d1-d2.html", "diff-d2-d3.html"} <= set(first)
    assert len(_entries(results.KIND_OUTPUTS)) == len(first)
    monkeypatch.setattr("policydiff.align.align_features", _no_alignment)  # comparison's import
    monkeypatch.setattr("policydiff.phrases.find_shared_phrases", _no_alignment)
    second = _write(paths, tmp_path / "second")
    assert second == without


def test_a_damaged_entry_is_rebuilt(
    seed_files: dict[str, Path], tmp_path: Path, fresh_cache: Path
) -> None:
    paths = [seed_files["001"], seed_files["003"]]
    first = _write(paths, tmp_path / "first")
    [alignments] = _entries(results.KIND_ALIGNMENTS)
    alignments.write_text('{"format": "policydiff-cache", "version": 1, "data": [', "utf-8")
    outputs = _entries(results.KIND_OUTPUTS)
    outputs[0].write_bytes(b"\xff\xfe not json")
    # well-formed JSON that does not hold together: a score outside 0..1
    comparison = compare(paths)
    key = comparison.result_key()
    store.write_entry(results.KIND_ALIGNMENTS, key, [{"a": "d1", "b": "d2", "matches": [
        ["d1/1", "d2/1", 7.0, [], 0.5, 0.5, [], "match"]], "unmatched_a": [],
        "unmatched_b": []}])
    assert results.read_alignments(key, comparison.pairs) is None
    again = _write(paths, tmp_path / "again")
    assert again == first
    # rewritten whole
    assert results.read_alignments(key, comparison.pairs) is not None


def test_another_setting_or_input_is_another_key(
    seed_files: dict[str, Path], tmp_path: Path, fresh_cache: Path
) -> None:
    paths = [seed_files["000"], seed_files["002"]]
    base = compare(paths).result_key()
    assert compare(paths).result_key() == base
    assert compare(paths, Config(cache=True)).result_key() == base  # the switch is not a result
    assert compare(paths, Config(min_phrase_chars=5)).result_key() != base
    assert compare(list(reversed(paths))).result_key() != base
    copy = tmp_path / "000.txt"
    copy.write_bytes(seed_files["000"].read_bytes())
    copied = compare([copy, paths[1]]).result_key()
    assert copied != base  # the path is in the outputs
    copy.write_bytes(seed_files["000"].read_bytes() + "\n再补充一句。\n".encode())
    assert compare([copy, paths[1]]).result_key() != copied


def test_the_cli_gives_the_same_files_with_and_without_the_cache(
    seed_files: dict[str, Path], tmp_path: Path, fresh_cache: Path
) -> None:
    paths = [str(seed_files["000"]), str(seed_files["001"])]

    def run(out: Path, *options: str) -> dict[str, bytes]:
        done = subprocess.run(
            [sys.executable, "-m", "policydiff", "compare", *paths, "-o", str(out), *options],
            capture_output=True, text=True,
        )
        assert done.returncode in (0, 1), done.stderr
        return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != MANIFEST}

    cold = run(tmp_path / "cold", "--no-cache")
    assert not _entries(results.KIND_OUTPUTS)
    assert run(tmp_path / "warm1") == cold
    assert _entries(results.KIND_OUTPUTS)
    assert run(tmp_path / "warm2") == cold
