"""Diff readability on real reports (issue 13, item 6): how many of the unchanged anchors
between two changes of the section diffs are one or two characters long, and how many
changed runs cut through a figure, now and with the rules before issue 13 (figures cut into
jieba's tokens and characters, only one-character anchors absorbed), in the same run.

    python benchmarks/diff_readability.py [A B]   (default: national 2024 → 2025 of the corpus)

Prints, over every matched section pair: the anchors (equal runs with a change on each side),
the share of them of at most 2 characters (and of those that are not a sentence end, which
stays an anchor: rows break there), and the changed runs (refined runs included) that
begin or end between two digits (``7[-00-]{+35+}0亿元``), which should be none now.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from policydiff import compare, diffunits
from policydiff.config import Config
from policydiff.diff import EQUAL, TextDiff

HERE = Path(__file__).resolve()
CORPUS = Path(os.environ.get("POLICYDIFF_CORPUS", HERE.parents[2] / "shared" / "corpus"))


def anchors(diff: TextDiff) -> list[str]:
    ops = diff.opcodes
    return [
        diff.a[op.a_start : op.a_end]
        for k, op in enumerate(ops)
        if op.tag == EQUAL and 0 < k < len(ops) - 1
    ]


def splits_number(text: str, start: int, end: int) -> bool:
    def inside(pos: int) -> bool:
        return 0 < pos < len(text) and text[pos - 1].isdigit() and (
            text[pos].isdigit() or text[pos] in ".．%"
        )

    return start < end and (inside(start) or inside(end))


@contextmanager
def rules_before() -> Iterator[None]:
    """The diff as it was before issue 13: no figure tokens, one-character anchors only."""

    def same(text: str, spans: Sequence[tuple[int, int]], keys: Sequence[str | None]) -> object:
        return list(spans), list(keys)

    def chars(text: str) -> list[tuple[int, int]]:
        return [(i, i + 1) for i in range(len(text))]

    with mock.patch("policydiff.diff.merge_numbers", same), mock.patch(
        "policydiff.diff.refine_units", chars
    ), mock.patch.object(diffunits, "TINY_ANCHOR_CHARS", 1):
        yield


def measure(paths: list[str]) -> tuple[int, int, int, int, int]:
    comparison = compare(paths, Config(cache=False))
    a, b = comparison.documents[0].id, comparison.documents[1].id
    found: list[str] = []
    split = changes = 0
    for section in comparison.section_diffs(a, b):
        diff = section.diff
        found.extend(anchors(diff))
        for op in (*diff.opcodes, *diff.refined):
            if op.tag == EQUAL:
                continue
            changes += 1
            split += splits_number(diff.a, op.a_start, op.a_end) or splits_number(
                diff.b, op.b_start, op.b_end
            )
    short = [t for t in found if len(t) <= 2]
    stops = sum(t.strip() in ("。", "；", "！", "？") for t in short)
    return len(found), len(short), stops, changes, split


def main() -> None:
    paths = sys.argv[1:3] or [str(CORPUS / "national-2024.txt"), str(CORPUS / "national-2025.txt")]
    with rules_before():
        before = measure(paths)
    now = measure(paths)
    for name, (n, short, stops, changes, split) in (("before", before), ("now", now)):
        share, other = (short / n, (short - stops) / n) if n else (0.0, 0.0)
        print(f"{name:>6}: anchors between changes {n}, of at most 2 characters {short} "
              f"({share:.0%}; not a sentence end: {short - stops}, {other:.0%}); "
              f"changed runs {changes}, cutting through a figure {split}")


if __name__ == "__main__":
    main()
