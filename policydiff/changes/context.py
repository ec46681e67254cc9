"""The context of a change report when none is given: the other reports beside the two.

``policydiff changes A B`` without ``--context`` compares A and B against the other reports
of their folder(s) as well (the earlier years of the same series, other provinces): a term
they already have (双一流, 三保障, 双循环 in the national reports of 2017–2023) is an old term
coming back, not a new one. ``beside(a, b)`` chooses them: regular ``*.txt`` files of the
folders of A and B that are neither A nor B, at most ``MAX_CONTEXT``, those whose year (in the
file name, ``labels.year_in_name``) is nearest to the newer document's year and not after it
first, then those without a year, then later ones; none of a year strictly between A's and
B's (for 2023 -> 2025 a 2024 report would make the pair no series, and its terms not new
relative to 2023). A file that cannot be read is left out with a warning, never a failure.
``--no-context`` turns it off; ``--context FILE`` chooses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from policydiff.decode import read_text
from policydiff.errors import PolicyDiffError
from policydiff.labels import year_in_name

__all__ = ["MAX_CONTEXT", "Context", "beside", "describe"]

MAX_CONTEXT = 60
"""The most reports taken as context by ``beside`` (reading each costs about 0.1 s)."""


@dataclass(frozen=True)
class Context:
    """The chosen context files, the number of candidates left out by the cap, and one
    warning line per file left out because it cannot be read."""

    paths: tuple[str, ...]
    capped: int
    warnings: tuple[str, ...]


def beside(a: str, b: str, *, cap: int = MAX_CONTEXT, encoding: str | None = None) -> Context:
    """The other reports in the folders of ``a`` and ``b`` (see the module docstring), each
    read and decoded (``encoding``: as ``--encoding`` says) to leave out what cannot be; an
    empty file is left out silently. Standard input (``-``) and pipes have no folder."""
    inputs = [p for p in (a, b) if p != "-" and os.path.isfile(p)]
    own = {os.path.realpath(p) for p in inputs}
    folders = list(dict.fromkeys(os.path.dirname(os.path.abspath(p)) for p in inputs))
    found: dict[str, str] = {}
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            real = os.path.realpath(path)
            if name.endswith(".txt") and real not in own and real not in found:
                if os.path.isfile(path):
                    found[real] = path
    years = [y for y in (year_in_name(p) for p in inputs) if y is not None]
    if len(years) == 2:  # 2023 -> 2025: a 2024 report would make the pair no series
        found = {
            real: path for real, path in found.items()
            if not min(years) < (year_in_name(path) or min(years)) < max(years)
        }
    chosen = sorted(found.values(), key=lambda p: _preference(p, max(years, default=None)))
    kept: list[str] = []
    warnings: list[str] = []
    capped = 0
    for k, path in enumerate(chosen):
        if len(kept) >= cap:
            capped = len(chosen) - k
            break
        try:
            text = read_text(path, encoding=encoding).text
        except PolicyDiffError as exc:
            warnings.append(f"context: {exc} (left out)")
            continue
        if text.strip():
            kept.append(path)
    return Context(tuple(kept), capped, tuple(warnings))


def _preference(path: str, newest: int | None) -> tuple[int, int, str]:
    """Sort key: not after ``newest`` by distance, then no year, then after it by distance."""
    year = year_in_name(path)
    if year is None or newest is None:
        return (1, 0, path)
    if year <= newest:
        return (0, newest - year, path)
    return (2, year - newest, path)


def describe(context: Context) -> str:
    """The one line saying what was taken (for the console)."""
    beyond = f", {context.capped} more left out (at most {MAX_CONTEXT})" if context.capped else ""
    return (
        f"context: {len(context.paths)} other reports beside the inputs{beyond} "
        "(--no-context to compare the two alone)"
    )
