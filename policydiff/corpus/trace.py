"""``corpus trace``: where a formulation appears across the corpus, and since when.

For a phrase (normalized like the documents: 新質生產力 finds 新质生产力): every document
holding it, with each occurrence's sentence and source line; its first appearance (the
earliest year, every document of that year); the number of documents by year, by level and
by region. Occurrences are counted as the phrase miner counts them (overlapping ones too).

The source line of an occurrence is found by normalizing the stored source again for the
documents that hold the phrase (``NormalText.to_source``), in tasks; when that no longer gives
the stored text (other settings), the line is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policydiff.corpus.store import Store

if TYPE_CHECKING:
    from policydiff.config import Config
    from policydiff.corpus.run import Runner

DOCUMENTS_PER_TASK = 64
MAX_HITS = 20
"""Occurrences listed per document (all are counted)."""
SENTENCE_ENDS = frozenset("。！？；!?;\n")


@dataclass(frozen=True)
class _TraceJob:
    store: str
    phrase: str
    keys: tuple[str, ...]
    places: tuple[tuple[int, int], ...]
    """Where the documents are in the store (``store.read_rows``)."""
    config: Config


def normalized_phrase(phrase: str, config: Config) -> str:
    """The phrase as the documents' text has it (their normalization), or ``InputError``."""
    from policydiff.errors import InputError
    from policydiff.normalize import normalize

    text = normalize(phrase, config.normalize).text.strip()
    if not text or "\n" in text:
        raise InputError(f"{phrase!r}: give one phrase (a line of text) to trace")
    return text


def trace(store_path: str, phrase: str, config: Config, runner: Runner) -> dict[str, Any]:
    """The trace of ``phrase`` (see the module docstring) as a JSON-ready dict."""
    store = Store.open(store_path)
    wanted = normalized_phrase(phrase, config)
    frame = store.documents(["path", "title", "year", "region", "level"], places=True)
    keys = list(frame["key"])
    places = list(zip(frame["part"].tolist(), frame["row"].tolist(), strict=True))
    jobs = [_TraceJob(str(store_path), wanted, tuple(keys[i : i + DOCUMENTS_PER_TASK]),
                      tuple(places[i : i + DOCUMENTS_PER_TASK]), config)
            for i in range(0, len(keys), DOCUMENTS_PER_TASK)]
    hits: dict[str, dict[str, Any]] = {}
    for found in runner.map("tracing", trace_task, jobs):
        hits.update(found)
    documents = []
    for row in frame.itertuples(index=False):
        if row.key not in hits:
            continue
        year = None if row.year is None or row.year != row.year else int(row.year)
        documents.append({
            "path": row.path, "title": row.title, "year": year, "region": row.region,
            "level": row.level, **hits[row.key],
        })
    documents.sort(key=lambda d: (d["year"] is None, d["year"] or 0, d["path"]))
    return _summary(phrase, wanted, documents, len(keys))


def _summary(phrase: str, wanted: str, documents: list[dict[str, Any]], total: int
             ) -> dict[str, Any]:
    by_year: dict[str, int] = {}
    occurrences_by_year: dict[str, int] = {}
    by_level: dict[str, int] = {}
    by_region: dict[str, int] = {}
    for doc in documents:
        year = "unknown" if doc["year"] is None else str(doc["year"])
        by_year[year] = by_year.get(year, 0) + 1
        occurrences_by_year[year] = occurrences_by_year.get(year, 0) + doc["count"]
        level = doc["level"] or "unknown"
        by_level[level] = by_level.get(level, 0) + 1
        region = doc["region"] or "unknown"
        by_region[region] = by_region.get(region, 0) + 1
    dated = [d for d in documents if d["year"] is not None]
    first_year = dated[0]["year"] if dated else None
    first = [{"path": d["path"], "title": d["title"], "region": d["region"],
              "level": d["level"], "sentence": d["hits"][0]["sentence"],
              "line": d["hits"][0]["line"]} for d in dated if d["year"] == first_year]
    return {
        "phrase": phrase,
        "searched": wanted,
        "corpus_documents": total,
        "documents_with_phrase": len(documents),
        "occurrences": sum(d["count"] for d in documents),
        "first_appearance": {"year": first_year, "documents": first},
        "by_year": dict(sorted(by_year.items())),
        "occurrences_by_year": dict(sorted(occurrences_by_year.items())),
        "documents_by_level": dict(sorted(by_level.items())),
        "documents_by_region": dict(sorted(by_region.items(), key=lambda kv: (-kv[1], kv[0]))),
        "documents": documents,
    }


def trace_task(job: _TraceJob) -> dict[str, dict[str, Any]]:
    """The occurrences of the phrase in some documents: count and hits per document key.
    Reads the texts of these documents only, and the sources of those holding the phrase."""
    from policydiff.corpus.store import read_rows

    phrase = job.phrase
    found: dict[int, tuple[str, list[int]]] = {}
    for k, row in enumerate(read_rows(job.store, job.places, ["text"])):
        text = row["text"]
        starts = []
        p = text.find(phrase)
        while p >= 0:
            starts.append(p)
            p = text.find(phrase, p + 1)
        if starts:
            found[k] = (text, starts)
    sources = read_rows(job.store, [job.places[k] for k in found], ["source"])
    out: dict[str, dict[str, Any]] = {}
    for (k, (text, starts)), row in zip(found.items(), sources, strict=True):
        out[job.keys[k]] = {"count": len(starts), "hits": _hits(
            text, row["source"], starts, len(phrase), job.config)}
    return out


def _hits(text: str, source: str, starts: list[int], length: int, config: Config
          ) -> list[dict[str, Any]]:
    from policydiff.normalize import normalize

    normal = normalize(source, config.normalize)
    mapped = normal.text == text
    hits = []
    for start in starts[:MAX_HITS]:
        lo = start
        while lo > 0 and text[lo - 1] not in SENTENCE_ENDS:
            lo -= 1
        hi = start + length
        while hi < len(text) and text[hi - 1] not in SENTENCE_ENDS:
            hi += 1
        line = None
        if mapped:
            src = normal.to_source((start, start + length))[0]
            line = source.count("\n", 0, src) + 1
        hits.append({"offset": start, "line": line, "sentence": text[lo:hi].strip()})
    return hits


def render_markdown(result: dict[str, Any]) -> str:
    """The trace as Markdown: first appearance, the counts, then the documents."""
    from policydiff.render.phrases import md_escape as md_cell

    lines = [f"# Trace of {md_cell(result['searched'])}", ""]
    lines.append(f"{result['documents_with_phrase']} of {result['corpus_documents']} documents, "
                 f"{result['occurrences']} occurrences.")
    first = result["first_appearance"]
    if first["year"] is not None:
        names = ", ".join(md_cell(d["path"]) for d in first["documents"])
        lines += ["", f"First appearance: {first['year']} ({names})"]
        for doc in first["documents"][:3]:
            lines.append(f"> {md_cell(doc['sentence'])} (line {doc['line']})")
    lines += ["", "| year | documents | occurrences |", "|---|---:|---:|"]
    for year, n in result["by_year"].items():
        lines.append(f"| {year} | {n} | {result['occurrences_by_year'][year]} |")
    lines += ["", "| level | documents |", "|---|---:|"]
    lines += [f"| {md_cell(k)} | {v} |" for k, v in result["documents_by_level"].items()]
    lines += ["", "| region | documents |", "|---|---:|"]
    lines += [f"| {md_cell(k)} | {v} |" for k, v in result["documents_by_region"].items()]
    lines += ["", "## Documents", ""]
    for doc in result["documents"]:
        where = " ".join(str(x) for x in (doc["year"], doc["region"], doc["level"]) if x)
        lines.append(f"- **{md_cell(doc['path'])}** ({where}): {doc['count']}")
        for hit in doc["hits"][:3]:
            line = f"line {hit['line']}" if hit["line"] else "line ?"
            lines.append(f"  - {line}: {md_cell(hit['sentence'])}")
    return "\n".join(lines) + "\n"
