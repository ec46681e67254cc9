"""``corpus align``: section alignment at corpus scale, on the pairs that matter.

Not all pairs (60,000 documents make 1.8 billion): for each document, the pairs
- ``series``: the same region's report of the previous year it has (consecutive years);
- ``national``: a province's (or lower level's) report against the national report of its year;
- ``neighbour``: its most similar document of the same year (``pairs.document_similarity``
  over the content words, the measure ``compare`` uses to choose neighbours), when that is
  not already one of the above.

Each pair is a task running the core's ``compare`` on the two documents' files (so the store's
paths must still be readable by the workers; a pair that cannot be read is recorded with its
error). The rows go to the store's ``alignments`` table: both keys, the reason, matched
sections, sections of each side, mean score of the matches, and the share of each side's
sections that found a partner.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policydiff.corpus.manifest import NATIONAL_LEVEL
from policydiff.corpus.store import Store

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from policydiff.config import Config
    from policydiff.corpus.run import Runner

PAIRS_PER_TASK = 8


@dataclass(frozen=True)
class _AlignJob:
    pairs: tuple[tuple[str, str, str, str, str], ...]  # key a, key b, path a, path b, reason
    config: Config


def choose_pairs(frame: pd.DataFrame, words: dict[str, list[str]] | None = None
                 ) -> list[tuple[int, int, str]]:
    """``(a, b, reason)`` by row number of ``frame`` (documents with year, region, level),
    ``a`` the earlier or the national one (see the module docstring)."""
    import math

    rows = list(frame.itertuples(index=False))
    years = [None if r.year is None or (isinstance(r.year, float) and math.isnan(r.year))
             else int(r.year) for r in rows]
    chosen: dict[frozenset[int], tuple[int, int, str]] = {}
    by_region: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.region and years[i] is not None:
            by_region.setdefault(row.region, []).append(i)
    for members in by_region.values():
        members.sort(key=lambda i: (years[i], i))
        for a, b in itertools.pairwise(members):
            if years[b] == (years[a] or 0) + 1:
                chosen.setdefault(frozenset((a, b)), (a, b, "series"))
    national = {years[i]: i for i, r in enumerate(rows) if r.level == NATIONAL_LEVEL}
    for i, row in enumerate(rows):
        ref = national.get(years[i])
        if row.level != NATIONAL_LEVEL and ref is not None:
            chosen.setdefault(frozenset((ref, i)), (ref, i, "national"))
    if words is not None:
        for a, b in _neighbours(rows, years, words):
            chosen.setdefault(frozenset((a, b)), (a, b, "neighbour"))
    return sorted(chosen.values())


def _neighbours(rows: list[Any], years: list[int | None], words: dict[str, list[str]]
                ) -> list[tuple[int, int]]:
    """Each document's most similar document of the same year."""
    from policydiff.pairs import document_similarity

    groups: dict[int | None, list[int]] = {}
    for i, year in enumerate(years):
        groups.setdefault(year, []).append(i)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        sim = document_similarity([words[rows[i].key] for i in members])
        for k, i in enumerate(members):
            sim[k, k] = -1.0
            j = members[int(sim[k].argmax())]
            out.append((min(i, j), max(i, j)))
    return out


def align_store(store_path: str, config: Config, runner: Runner, *, neighbours: bool = True
                ) -> pd.DataFrame:
    """Align the pairs of the store's documents; the rows (also added to the store)."""
    store = Store.open(store_path)
    frame = store.documents(["path", "year", "region", "level", "text", "token_lengths"])
    words = _content_words(frame) if neighbours else None
    pairs = choose_pairs(frame, words)
    keys, paths = list(frame["key"]), list(frame["path"])
    todo = [(keys[a], keys[b], paths[a], paths[b], why) for a, b, why in pairs]
    jobs = [_AlignJob(tuple(todo[i : i + PAIRS_PER_TASK]), config)
            for i in range(0, len(todo), PAIRS_PER_TASK)]
    rows: list[dict[str, Any]] = []
    for found in runner.map("aligning", align_task, jobs):
        rows.extend(found)
    store.write_part({"alignments": _arrow(rows)})
    import pandas as pd

    return pd.DataFrame(rows)


def _content_words(frame: pd.DataFrame) -> dict[str, list[str]]:
    from itertools import accumulate

    out = {}
    for row in frame.itertuples(index=False):
        ends = list(accumulate(int(n) for n in row.token_lengths))
        text = row.text
        out[row.key] = [text[s:e] for s, e in zip([0, *ends][:-1], ends, strict=True)
                        if e - s >= 2]
    return out


def align_task(job: _AlignJob) -> list[dict[str, Any]]:
    """The rows of some pairs (the task body)."""
    from policydiff.comparison import compare

    out = []
    for key_a, key_b, path_a, path_b, reason in job.pairs:
        row: dict[str, Any] = {"a": key_a, "b": key_b, "path_a": path_a, "path_b": path_b,
                               "reason": reason, "error": ""}
        try:
            comparison = compare([path_a, path_b], job.config)
            al = comparison.alignment("d1", "d2")
            matches = [m for m in al.matches if m.kind == "match"]
            na = len(comparison.document("d1").sections)
            nb = len(comparison.document("d2").sections)
            row.update(matched=len(matches), sections_a=na, sections_b=nb,
                       mean_score=round(sum(m.score for m in matches) / max(1, len(matches)),
                                        4),
                       share_a=round(len({m.a for m in matches}) / max(1, na), 4),
                       share_b=round(len({m.b for m in matches}) / max(1, nb), 4))
        except Exception as exc:  # recorded, never stops the run
            row.update(matched=0, sections_a=0, sections_b=0, mean_score=0.0, share_a=0.0,
                       share_b=0.0, error=" ".join(str(exc).split()))
        out.append(row)
    return out


def _arrow(rows: list[dict[str, Any]]) -> pa.Table:
    import pyarrow as pa

    schema = pa.schema([
        ("a", pa.string()), ("b", pa.string()), ("path_a", pa.string()),
        ("path_b", pa.string()), ("reason", pa.string()), ("error", pa.string()),
        ("matched", pa.int32()), ("sections_a", pa.int32()), ("sections_b", pa.int32()),
        ("mean_score", pa.float64()), ("share_a", pa.float64()), ("share_b", pa.float64()),
    ])
    return pa.Table.from_pylist(rows, schema=schema)


def render_markdown(rows: pd.DataFrame, top: int = 20) -> str:
    """The pairs by reason, the closest first (share of the later side matched, then score)."""
    from policydiff.render.phrases import md_escape

    lines = ["# Alignment of the pairs that matter", ""]
    if rows.empty:
        return "\n".join([*lines, "No pairs (no years, regions or levels known).", ""])
    for reason, group in rows.groupby("reason", sort=True):
        ok = group[group["error"] == ""].sort_values(["share_b", "mean_score"],
                                                     ascending=False)
        lines += [f"## {reason} ({len(group)} pairs, {len(group) - len(ok)} failed)", "",
                  "| earlier / reference | document | matched | share of its sections | "
                  "mean score |", "|---|---|---:|---:|---:|"]
        for row in ok.head(top).itertuples(index=False):
            lines.append(f"| {md_escape(row.path_a)} | {md_escape(row.path_b)} | {row.matched} "
                         f"| {row.share_b:.0%} | {row.mean_score:.2f} |")
        lines.append("")
    return "\n".join(lines)
