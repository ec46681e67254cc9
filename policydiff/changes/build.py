"""Assemble the change report of a pair of documents of a comparison.

``change_report(comparison, a, b)``: the indicators table (``changes.indicators``), the new,
dropped and renamed formulations (``changes.formulations``) or, when the two documents are
peers rather than one issuer's consecutive reports, what is distinctive of each against the
others, and the per-theme summary (``changes.summary``). Every offset becomes a citation
(``policydiff.citations``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from policydiff.changes.indicators import pair_figures
from policydiff.changes.model import (
    KINDS,
    ChangeReport,
    Distinctive,
    DocumentRef,
    Entry,
    Renamed,
)
from policydiff.changes.summary import Passages, theme_summary
from policydiff.citations import Citer, file_name
from policydiff.model import Document

if TYPE_CHECKING:
    from policydiff.changes.formulations import Evidence
    from policydiff.comparison import Comparison


def document_ref(doc: Document) -> DocumentRef:
    """The report's reference to ``doc``; its title "" when it has no title line (its title
    is then the file name, which ``file`` says)."""
    title = doc.title if doc.title != doc.file_stem else ""
    return DocumentRef(id=doc.id, label=doc.name, path=doc.path, file=file_name(doc), title=title)


def pair_kind(comparison: Comparison, a: str, b: str) -> str:
    """``series`` when ``b`` follows ``a`` in a series of the comparison (the years of one
    issuer: ``Comparison.series``, or ``--series``), else ``peers``."""
    runs = [[d.id for d in comparison.documents]] if comparison.config.series else (
        comparison.series()
    )
    for run in runs:
        if a in run and b in run and run.index(b) == run.index(a) + 1:
            return "series"
    return "peers"


def evidence_of(comparison: Comparison) -> Evidence:
    """The comparison's documents as formulations read them, on the tokens the comparison
    read (``document.document_tokens`` keeps them per document); share one between the
    reports of a comparison: each document is then read once."""
    from policydiff.changes.formulations import Evidence

    return Evidence(cache=comparison.config.cache)


def change_report(
    comparison: Comparison, a: str, b: str, *, kind: str | None = None,
    context: Sequence[Document] | None = None, evidence: Evidence | None = None,
) -> ChangeReport:
    """The change report of document ``a`` (old) -> ``b`` (new). ``kind``: ``series`` or
    ``peers`` (default: ``pair_kind``); ``context``: the other reports, evidence for the
    formulations (default: the comparison's other documents); ``evidence``: the documents as
    already read (``evidence_of``: each document's figures, passages and formulation reading
    kept for the other reports of the comparison)."""
    kind = kind or pair_kind(comparison, a, b)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    old, new = comparison.document(a), comparison.document(b)
    themes = comparison.themes
    evidence = evidence or evidence_of(comparison)
    table = pair_figures(evidence.figures(old, themes), evidence.figures(new, themes))
    where_old, where_new = evidence.passages(old, themes), evidence.passages(new, themes)
    others = list(context) if context is not None else [
        d for d in comparison.documents if d.id not in (a, b)
    ]
    found, notes = _formulations(old, new, others, comparison, kind, evidence)
    cite_old, cite_new = Citer(old), Citer(new)
    new_entries = tuple(_entry(cite_new, f, where_new) for f in found["new"])
    dropped_entries = tuple(_entry(cite_old, f, where_old) for f in found["dropped"])
    renamed = tuple(
        Renamed(_entry(cite_old, r.old, where_old), _entry(cite_new, r.new, where_new))
        for r in found["renamed"]
    )
    al = comparison.alignment(a, b)
    diffs = [
        (sd.span_a, sd.span_b, [op.as_tuple() for op in sd.diff.opcodes])
        for sd in comparison.section_diffs(a, b)
    ]
    summary = theme_summary(
        old, new, themes, indicators=table, new_entries=new_entries,
        dropped_entries=dropped_entries, renamed=renamed, diffs=diffs,
        removed=al.unmatched_a, added=al.unmatched_b,
    )
    return ChangeReport(
        old=document_ref(old), new=document_ref(new), kind=kind, indicators=tuple(table),
        new_formulations=new_entries, dropped_formulations=dropped_entries, renamed=renamed,
        themes=tuple(summary), notes=tuple(notes),
    )


def _entry(citer: Citer, formulation: Any, where: Passages) -> Entry:
    """A formulation (``changes.model.Formulation``) of ``citer.doc`` as an entry."""
    span = (formulation.start, formulation.end)
    return Entry(
        text=formulation.text, score=float(formulation.score), sentence=formulation.sentence,
        citation=citer.cite(span, section=formulation.section),
        theme=where.theme_at(formulation.start), span=span,
    )


def _formulations(
    old: Document, new: Document, others: Sequence[Document], comparison: Comparison, kind: str,
    evidence: Evidence,
) -> tuple[dict[str, tuple[Any, ...]], list[str]]:
    """New, dropped and renamed formulations (series) or each side's distinctive ones
    (peers: in ``new`` for the new document, ``dropped`` for the old one)."""
    from policydiff.changes import formulations

    config = comparison.config
    if kind == "series":
        found = formulations.formulation_changes(
            old, new, others=others, config=config, evidence=evidence
        )
        return {"new": found.new, "dropped": found.dropped, "renamed": found.renamed}, []
    rest_new = [old, *others]
    rest_old = [new, *others]
    return {
        "new": formulations.distinctive_formulations(
            new, rest_new, config=config, evidence=evidence
        ),
        "dropped": formulations.distinctive_formulations(
            old, rest_old, config=config, evidence=evidence
        ),
        "renamed": (),
    }, []


def distinctive_report(
    comparison: Comparison, *, top: int = 30, evidence: Evidence | None = None
) -> tuple[Distinctive, ...]:
    """For peers (documents that are not one series): each document's ``top`` distinctive
    formulations against all the others, cited."""
    from policydiff.changes import formulations

    evidence = evidence or evidence_of(comparison)
    docs = comparison.documents
    found = []
    for doc in docs:
        others = [d for d in docs if d.id != doc.id]
        where, citer = evidence.passages(doc, comparison.themes), Citer(doc)
        ranked = formulations.distinctive_formulations(
            doc, others, config=comparison.config, evidence=evidence
        )
        found.append(Distinctive(
            document_ref(doc), tuple(_entry(citer, f, where) for f in ranked[:top])
        ))
    return tuple(found)
