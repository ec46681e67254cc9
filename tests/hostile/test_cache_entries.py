"""Cache entries read back (the per-document cache is a file the tool reads, like an export):
truncated, garbage or type-confused entries must be treated as a miss — the results are the
same as without a cache — and never crash a command."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from policydiff.comparison import compare
from policydiff.formats.alignment import alignment_json
from policydiff.formats.jsontext import dumps

from .cases import POLICY_HANS
from .figures import Figures


def _result(paths: list[Path]) -> str:
    comparison = compare(paths)
    phrases = sorted((p.text, len(p.occurrences)) for p in comparison.phrases().phrases)
    return dumps(alignment_json(comparison)) + json.dumps(phrases, ensure_ascii=False)


def _nodes(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _nodes(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node[:20]):
            found += _nodes(value, (*prefix, index))
    return found


def test_damaged_cache_entries_are_misses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, figures: Figures
) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(POLICY_HANS, "utf-8")
    b.write_text(POLICY_HANS.replace("三、加强", "一、加强").replace("5.2%", "5.5%"), "utf-8")
    monkeypatch.setenv("POLICYDIFF_NO_CACHE", "1")
    truth = _result([a, b])
    monkeypatch.delenv("POLICYDIFF_NO_CACHE")
    pristine, live = tmp_path / "pristine", tmp_path / "cache"
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(pristine))
    assert _result([a, b]) == truth  # fills the cache
    assert _result([a, b]) == truth  # reads it
    entries = sorted(p.relative_to(pristine) for p in pristine.rglob("*.json"))
    assert entries, "nothing was cached"
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(live))
    rng = random.Random(11)
    values = [None, True, -1, 0, 10**12, 2.5, "", "x", [], {}, [0], [[0, 10**9]], {"a": 1}]
    for trial in range(120):
        shutil.rmtree(live, ignore_errors=True)
        shutil.copytree(pristine, live)
        victim = live / rng.choice(entries)
        raw = victim.read_bytes()
        how = trial % 3
        if how == 0:
            victim.write_bytes(raw[: rng.randrange(len(raw))])
        elif how == 1:
            victim.write_bytes(bytes(rng.randrange(256) for _ in range(64)) + raw[64:])
        else:
            entry = json.loads(raw)
            *parents, last = rng.choice(_nodes(entry["data"])[1:] or [("x",)])
            node = entry["data"]
            for key in parents:
                node = node[key]
            node[last] = rng.choice(values)
            victim.write_text(json.dumps(entry), "utf-8")
        figures.generated()
        try:
            got = _result([a, b])
        except Exception as exc:
            what = f"damaged cache entry ({how}): {type(exc).__name__}: {exc}"
            figures.bad("crashes", what[:200])
            raise
        if how < 2 and got != truth:
            figures.bad("records_lost", f"a damaged cache entry ({how}) changed the results")
        assert how == 2 or got == truth
