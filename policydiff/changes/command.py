"""What ``policydiff changes A B`` does between reading its options and writing its output.

The CLI (``cli.cmd_changes``) reads the arguments, builds one comparison of A, B and the
context, and writes what ``report_text`` gives. Here:

- ``split_files``: A and B and the context from the command line (``--context X Y A B``
  leaves no positional files: the last two of the context stand for them), ``context_files``:
  the context without A and B and without repeats;
- ``pair_comparison``: the comparison of A and B alone, on the documents and tokens already
  read: the alignment, section diffs, indicators and themes of the report are those of
  ``diff A B`` (an alignment's word weights do not depend on what else lies in the folder),
  and the context is evidence for the formulations only (``change_report(context=)``);
- ``report_text``: the report in the chosen format.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.changes.model import ChangeReport
    from policydiff.comparison import Comparison

FORMATS = ("text", "md", "json", "html", "csv")


def split_files(files: Sequence[str], context: Sequence[str]) -> tuple[list[str], list[str]]:
    """A and B, and the context: ``--context X Y A B`` leaves no positional files (the option
    takes every file after it), so the last of the context stand for the missing ones."""
    missing = max(0, min(2 - len(files), len(context)))
    if not missing:
        return list(files), list(context)
    return [*files, *context[-missing:]], list(context[:-missing])


def context_files(files: Sequence[str], context: Sequence[str]) -> list[str]:
    """The ``--context`` files, without the two compared (``--context *.txt`` may hold them)
    and without repeats."""
    seen = {os.path.realpath(f) for f in files if f != "-"}
    kept = []
    for path in context:
        real = os.path.realpath(path)
        if real not in seen:
            seen.add(real)
            kept.append(path)
    return kept


def pair_comparison(comparison: Comparison) -> Comparison:
    """The comparison of its first two documents alone (A and B), sharing their Document
    objects, whose tokens ``document.document_tokens`` keeps: nothing is read or tokenized
    again."""
    from policydiff.comparison import Comparison

    a, b = comparison.documents[:2]
    return Comparison([a, b], comparison.themes, comparison.config)


def report_text(report: ChangeReport, fmt: str, *, top: int, bom: bool) -> str:
    """The report as ``fmt`` (one of ``FORMATS``) writes it; ``bom``: CSV starts with one."""
    from policydiff.render import changes as shown

    if fmt == "json":
        from policydiff.formats.changes import render_json

        return render_json(report)
    if fmt == "csv":
        return shown.render_csv(report, bom=bom)
    if fmt == "html":
        return shown.render_html(report, top=top)
    if fmt == "md":
        return shown.render_markdown(report, top=top)
    return shown.render_text(report, top=top)
