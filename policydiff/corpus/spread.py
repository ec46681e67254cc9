"""``corpus spread``: the formulations that spread fastest from the national level to the
provinces.

For every shared phrase of the corpus (``corpus.phrases.find_phrases``) used by a national
document: its first national year Y; the provinces (documents of level ``province``, counted
by region) using it in each later year, as a share of the provinces with a document that year.
A phrase some province used before Y did not come from the centre and is left out. Ranked by
speed: the share in the first later year with provincial documents divided by the years it
took (a phrase of the 2025 report in every 2026 provincial report: 1.0 a year; one of 1954
in all of them: 0.014), then the longer phrase; formulaic phrases (``kind``) are kept but marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from policydiff.corpus.manifest import NATIONAL_LEVEL, PROVINCE_LEVEL
from policydiff.corpus.store import Store

if TYPE_CHECKING:
    from policydiff.corpus.phrases import PhraseResult

TOP = 30


def spread(store_path: str, result: PhraseResult, *, top: int = TOP) -> dict[str, Any]:
    """The ranking (see the module docstring) as a JSON-ready dict."""
    from policydiff.phrases.model import han_count

    frame = Store.open(store_path).documents(["year", "region", "level"])
    by_key = {row.key: row for row in frame.itertuples(index=False)}
    docs = [by_key[k] for k in result.keys]
    provinces_by_year: dict[int, set[str]] = {}
    for doc in docs:
        if doc.level == PROVINCE_LEVEL and _year(doc.year) is not None and doc.region:
            provinces_by_year.setdefault(_year(doc.year) or 0, set()).add(doc.region)
    rows: list[dict[str, Any]] = []
    for phrase in result.phrases:
        held = phrase.documents.tolist()
        national = [_year(docs[d].year) for d in held
                    if docs[d].level == NATIONAL_LEVEL and _year(docs[d].year) is not None]
        if not national:
            continue
        first = min(y for y in national if y is not None)
        used: dict[int, set[str]] = {}
        for d in held:
            doc = docs[d]
            year = _year(doc.year)
            if doc.level == PROVINCE_LEVEL and year is not None and doc.region:
                used.setdefault(year, set()).add(doc.region)
        if any(year < first for year in used):
            continue
        later = sorted(y for y in provinces_by_year if y > first)
        if not later:
            continue
        shares = {str(y): round(len(used.get(y, ())) / len(provinces_by_year[y]), 3)
                  for y in later}
        rows.append({
            "text": phrase.text, "kind": phrase.kind, "first_national_year": first,
            "provinces_by_year": {str(y): sorted(used.get(y, ())) for y in later},
            "share_by_year": shares,
            "speed": round(shares[str(later[0])] / (later[0] - first), 4),
            "_han": han_count(phrase.text),
        })
    rows.sort(key=lambda r: (-r["speed"], -r["_han"], r["text"]))
    for row in rows:
        del row["_han"]
    return {
        "provinces_by_year": {str(y): len(v) for y, v in sorted(provinces_by_year.items())},
        "phrases_from_national": len(rows),
        "spread": rows[:top] if top else rows,
    }


def _year(value: Any) -> int | None:
    if value is None or value != value:  # None or NaN
        return None
    return int(value)


def render_markdown(result: dict[str, Any]) -> str:
    from policydiff.render.phrases import md_escape

    years = list(result["provinces_by_year"])
    head = " | ".join(f"{y} ({result['provinces_by_year'][y]})" for y in years)
    lines = [
        "# Formulations spreading from the national level to the provinces", "",
        f"{result['phrases_from_national']} shared phrases start in a national report before "
        "any province uses them; share of provinces using each, by year "
        "(provinces with a report that year in brackets).", "",
        f"| phrase | kind | first national year | {head} | share a year |",
        "|---|---|---:|" + "---:|" * (len(years) + 1),
    ]
    for row in result["spread"]:
        cells = " | ".join(
            f"{row['share_by_year'][y]:.0%}" if y in row["share_by_year"] else ""
            for y in years)
        lines.append(f"| {md_escape(row['text'])} | {row['kind']} | "
                     f"{row['first_national_year']} | {cells} | {row['speed']:.2f} |")
    return "\n".join(lines) + "\n"
