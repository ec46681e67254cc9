"""A comparison as tables of plain rows: lists of dicts of str, int, float and None, ready for
``csv``, a spreadsheet or ``pandas.DataFrame(rows)``.

One builder per table; the CSV files (``policydiff.render.csv_tables``) and the Python API
(``Comparison.alignment_rows()``, ``phrase_rows()``, ``theme_rows()``, ``document_rows()``, …)
both use them, so a CSV file and its API rows hold the same values. Documents are named by
their labels (``Document.label``): as the ``*_label`` columns of long tables, and as column
names of wide ones (one count column per document in ``phrases`` and ``themes``).

Tables (``TABLES``):
- ``documents``: one row per document (id, label, title, path, sha256, encoding, script,
  sections, chars, warnings);
- ``alignment``: one row per match of every aligned pair, then one per section left unmatched
  (kind ``only_a``/``only_b``), with section ids, headings, score and similarities;
- ``themes``: one row per theme, the number of sections filed under it in each document;
- ``phrases``: one row per shared phrase, its count in each document;
- ``occurrences``: one row per occurrence of a shared phrase (document, section, offsets);
- ``overlap``: one row per pair of documents (Jaccard, coverage of each side, shared phrases);
- ``changes``: one row per new or dropped phrase between consecutive documents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from policydiff.render.names import section_name
from policydiff.report import PhraseReport, rounded

if TYPE_CHECKING:
    from policydiff.matches import Alignment
    from policydiff.model import Document
    from policydiff.phrases import PhraseSet
    from policydiff.themes import Theme


class Comparison(Protocol):
    """What the tables read of a ``policydiff.comparison.Comparison`` (a protocol, so that
    this module, which the Comparison's row methods call, does not import it back)."""

    @property
    def documents(self) -> list[Document]: ...
    @property
    def themes(self) -> tuple[Theme, ...]: ...
    def document(self, doc_id: str) -> Document: ...
    def alignments(self) -> list[Alignment]: ...
    def theme_matrix(self) -> list[tuple[str, dict[str, list[str]]]]: ...
    def phrases(self) -> PhraseSet: ...
    def batch_workers(self) -> int: ...
    def change_series(self, small: int | None = None) -> list[list[str]]: ...
    @property
    def pairs(self) -> list[tuple[str, str]]: ...

Row = dict[str, Any]

TABLES = ("documents", "alignment", "themes", "phrases", "occurrences", "overlap", "changes")
"""Every table, in the order ``--table all`` writes them."""

REPORT_TABLES = ("phrases", "occurrences", "overlap", "changes")
"""The tables of the phrase report (the others need the comparison itself)."""

MAX_CHANGE_DOCUMENTS = 10
"""Beyond this many documents, the phrase report has new/dropped phrases only along the series
found by name (``Comparison.change_series``)."""

MAX_OVERLAP_DOCUMENTS = 100
"""Up to this many documents the phrase report's overlap holds every pair; beyond, only the
pairs the comparison aligns (``Comparison.pairs``: series neighbours and each document's
nearest), so that it grows with the documents, not their square (1,000 documents: 499,500
pairs, most of them sharing only formulaic phrases)."""

LIST_SEP = "；"
"""Joins lists inside one cell (themes, shared terms): never part of a theme id or a term."""


@dataclass(frozen=True)
class Table:
    """A table: its column names (also when it has no rows) and its rows."""

    columns: tuple[str, ...]
    rows: list[Row]
    counts_from: int | None = None
    """Where the columns that hold only counts (integers >= 0, one per document) begin, if
    any: a CSV writes those cells as they are, without looking at each (the phrases table of
    1,000 documents has 150 million of them)."""


def label_columns(labels: Sequence[str], fixed: Sequence[str]) -> list[str]:
    """Column names for per-document columns: the labels, a label that is also the name of a
    fixed column (``text``) followed by its position (``text (3)``)."""
    return [f"{label} ({k + 1})" if label in fixed else label for k, label in enumerate(labels)]


# --------------------------------------------------------------------------- comparison tables


def document_table(comparison: Comparison) -> Table:
    columns = ("id", "label", "title", "path", "sha256", "encoding", "script", "sections",
               "chars", "warnings")  # fmt: skip
    rows = [
        dict(zip(columns, (
            d.id, d.name, d.title, d.path, d.sha256, d.encoding, d.script, len(d.sections),
            len(d.text), len(d.warnings),
        ), strict=True))
        for d in comparison.documents
    ]  # fmt: skip
    return Table(columns, rows)


_ALIGNMENT_COLUMNS = (
    "a", "b", "a_label", "b_label", "kind", "section_a", "heading_a", "section_b", "heading_b",
    "score", "heading_similarity", "body_similarity", "themes", "shared_terms", "group",
    "source",
)  # fmt: skip


def alignment_table(comparison: Comparison) -> Table:
    """Every aligned pair's matches, then its unmatched sections (score and similarities
    empty), in the order of ``Comparison.pairs``."""
    rows: list[Row] = []
    for al in comparison.alignments():
        a, b = comparison.document(al.a), comparison.document(al.b)
        pair = {"a": al.a, "b": al.b, "a_label": a.name, "b_label": b.name}
        for m in al.matches:
            rows.append(pair | {
                "kind": m.kind,
                "section_a": m.a, "heading_a": _heading(a.section(m.a)),
                "section_b": m.b, "heading_b": _heading(b.section(m.b)),
                "score": rounded(m.score),
                "heading_similarity": rounded(m.heading_similarity),
                "body_similarity": rounded(m.body_similarity),
                "themes": LIST_SEP.join(m.themes),
                "shared_terms": LIST_SEP.join(m.shared_terms),
                "group": m.group, "source": m.source,
            })  # fmt: skip
        for kind, ids, doc in (("only_a", al.unmatched_a, a), ("only_b", al.unmatched_b, b)):
            for sid in ids:
                side = "a" if kind == "only_a" else "b"
                other = "b" if side == "a" else "a"
                rows.append(pair | {
                    "kind": kind,
                    f"section_{side}": sid, f"heading_{side}": _heading(doc.section(sid)),
                    f"section_{other}": None, f"heading_{other}": None,
                    "score": None, "heading_similarity": None, "body_similarity": None,
                    "themes": "", "shared_terms": "", "group": "", "source": "",
                })  # fmt: skip
    return Table(_ALIGNMENT_COLUMNS, [{c: row[c] for c in _ALIGNMENT_COLUMNS} for row in rows])


def theme_table(comparison: Comparison) -> Table:
    """Per theme (taxonomy order): its name and how many sections of each document are filed
    under it (``Comparison.theme_matrix``)."""
    fixed = ("theme", "name", "name_en")
    columns = label_columns([d.name for d in comparison.documents], fixed)
    names = {t.id: t for t in comparison.themes}
    rows = []
    for theme, cells in comparison.theme_matrix():
        row: Row = {"theme": theme, "name": names[theme].name, "name_en": names[theme].name_en}
        for doc, column in zip(comparison.documents, columns, strict=True):
            row[column] = len(cells.get(doc.id, []))
        rows.append(row)
    return Table((*fixed, *columns), rows)


def _heading(sec: Any) -> str:
    return str(section_name(sec)[len(sec.id) + 1 :])


# --------------------------------------------------------------------------- report tables


def phrase_table(report: PhraseReport) -> Table:
    """Every shared phrase (most documents first, then longest) and its count per document."""
    fixed = ("text", "kind", "length", "docs")
    ids = report.phrase_set.doc_ids
    keys = (*fixed, *label_columns(_names(report, ids), fixed))
    position = {doc: k for k, doc in enumerate(ids)}
    zeros = [0] * len(ids)
    rows = []
    for p in report.phrase_set.phrases:
        counts = dict(p.counts)
        cells = zeros.copy()  # one row at once (a Python loop over every column was the cost)
        for doc, count in counts.items():
            cells[position[doc]] = count
        rows.append(dict(zip(keys, (p.text, p.kind, p.han_length, len(counts), *cells),
                             strict=True)))  # fmt: skip
    return Table(keys, rows, counts_from=len(fixed))


def occurrence_table(report: PhraseReport) -> Table:
    columns = ("text", "kind", "doc", "label", "section", "start", "end")
    names = _label_of(report)
    rows = [
        dict(zip(columns, (
            p.text, p.kind, occ.doc, names.get(occ.doc, occ.doc), occ.section or "",
            occ.span[0], occ.span[1],
        ), strict=True))
        for p in report.phrase_set.phrases
        for occ in p.occurrences
    ]  # fmt: skip
    return Table(columns, rows)


def overlap_table(report: PhraseReport) -> Table:
    columns = ("a", "b", "a_label", "b_label", "jaccard", "coverage_a", "coverage_b", "shared")
    names = _label_of(report)
    rows = [
        dict(zip(columns, (
            ov.a, ov.b, names.get(ov.a, ov.a), names.get(ov.b, ov.b), rounded(ov.jaccard),
            rounded(ov.coverage_a), rounded(ov.coverage_b), ov.shared,
        ), strict=True))
        for ov in report.overlaps
    ]  # fmt: skip
    return Table(columns, rows)


def change_table(report: PhraseReport) -> Table:
    """New and dropped phrases of each consecutive pair, ranked (empty when not computed)."""
    columns = ("from", "to", "from_label", "to_label", "change", "rank", "text", "kind",
               "count", "elsewhere")  # fmt: skip
    names = _label_of(report)
    rows: list[Row] = []
    for c in report.changes:
        for change, units in (("new", c.new), ("dropped", c.dropped)):
            for rank, u in enumerate(units, 1):
                rows.append(dict(zip(columns, (
                    c.from_doc, c.to_doc, names.get(c.from_doc, c.from_doc),
                    names.get(c.to_doc, c.to_doc), change, rank, u.text, u.kind, u.count,
                    u.elsewhere,
                ), strict=True)))  # fmt: skip
    return Table(columns, rows)


def _label_of(report: PhraseReport) -> dict[str, str]:
    return {d.id: d.name for d in report.documents}


def _names(report: PhraseReport, ids: Sequence[str]) -> list[str]:
    names = _label_of(report)
    return [names.get(doc, doc) for doc in ids]


_REPORT_BUILDERS: Mapping[str, Callable[[PhraseReport], Table]] = {
    "phrases": phrase_table,
    "occurrences": occurrence_table,
    "overlap": overlap_table,
    "changes": change_table,
}
_COMPARISON_BUILDERS: Mapping[str, Callable[[Comparison], Table]] = {
    "documents": document_table,
    "alignment": alignment_table,
    "themes": theme_table,
}


def table(
    name: str,
    comparison: Comparison | None = None,
    report: PhraseReport | None = None,
) -> Table:
    """The table ``name`` (one of ``TABLES``): report tables from ``report`` (built from
    ``comparison`` when not given), the others from ``comparison``. ``ValueError`` for an
    unknown name or a missing source."""
    if name in _REPORT_BUILDERS:
        if report is None:
            if comparison is None:
                raise ValueError(f"table {name!r} needs a phrase report or a comparison")
            report = phrase_report(comparison)
        return _REPORT_BUILDERS[name](report)
    if name in _COMPARISON_BUILDERS:
        if comparison is None:
            raise ValueError(f"table {name!r} needs a comparison")
        return _COMPARISON_BUILDERS[name](comparison)
    raise ValueError(f"unknown table {name!r}; one of {', '.join(TABLES)}")


def phrase_report(comparison: Comparison) -> PhraseReport:
    """The phrase report of a comparison, as ``compare`` writes it (``phrases.json``, the CSV
    files) and the API's rows read it: themes included; new/dropped phrases between consecutive
    documents of ``Comparison.change_series`` (all inputs in order up to
    ``MAX_CHANGE_DOCUMENTS``, else the series found by name); the overlap of every pair up to
    ``MAX_OVERLAP_DOCUMENTS``, else of the aligned pairs."""
    from policydiff.report import build_report

    series = comparison.change_series(small=MAX_CHANGE_DOCUMENTS)
    few = len(comparison.documents) <= MAX_OVERLAP_DOCUMENTS
    return build_report(
        comparison.phrases(),
        documents=comparison.documents,
        with_changes=bool(series),
        series=series,
        themes=dict(comparison.theme_matrix()),
        workers=comparison.batch_workers(),
        overlap_pairs=None if few else comparison.pairs,
    )


def to_pandas(rows: list[Row] | Table) -> Any:
    """A ``pandas.DataFrame`` of ``rows`` (or of a ``Table``, its columns kept in order also
    when it has no rows). ``ImportError`` with what to install when pandas is missing."""
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "to_pandas needs pandas, which is not installed: pip install pandas (the rows "
            "themselves are plain lists of dicts and need nothing)"
        ) from None
    if isinstance(rows, Table):
        return pandas.DataFrame(rows.rows, columns=list(rows.columns))
    return pandas.DataFrame(rows)
