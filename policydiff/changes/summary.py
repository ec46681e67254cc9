"""The per-theme summary of a change report, and the theme of a passage.

A passage's theme is its section's strongest theme, except in the closing passages of a
national report: after the last task section the report turns, each time after an address
(``各位代表！``), to defence, Hong Kong and Macao, Taiwan and foreign affairs, and those
paragraphs end up inside the last task section (``全面提高行政效能``) or the closing. Such a
section's text is cut at every address paragraph, and each part after one gets the theme its
own words give (``defense_foreign`` for ``国防和军队建设…``), not the section's.

For each theme the summary counts the indicators whose value changed, the new, dropped and
renamed formulations, the share of its text rewritten in the matched sections (from the
comparison's section diffs) and its sections added and removed; themes come ordered by the
amount of change (``ThemeChange.amount``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policydiff.changes.model import Entry, Indicator, Renamed, ThemeChange
from policydiff.labels import SALUTATIONS
from policydiff.model import Document, Span
from policydiff.themes import Theme, classify

ADDRESS_RE = re.compile(rf"^(?:{'|'.join(SALUTATIONS)})[！!，,：:。]?$", re.MULTILINE)
"""A paragraph that is only an address: the report turns to another subject after it."""


@dataclass(frozen=True)
class Passages:
    """A document cut into passages, each with its theme: ``starts`` (offsets in
    ``Document.text``, ascending) and ``themes`` (one per passage)."""

    starts: tuple[int, ...]
    themes: tuple[str, ...]

    def theme_at(self, offset: int) -> str:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.themes[index] if index >= 0 else ""


def passages(doc: Document, themes: Sequence[Theme]) -> Passages:
    """The passages of ``doc``: every section's own text; the section before the closing and
    any section holding an address paragraph are cut into paragraphs (``closing_cuts``)."""
    starts: list[int] = []
    found: list[str] = []
    sections = doc.sections
    heads = [sec for sec in sections if sec.kind == "heading"]
    last = heads[-1].id if heads else None
    for sec in sections:
        start, end = sec.own_span
        section_theme = sec.themes[0].id if sec.themes else ""
        starts.append(start)
        found.append(section_theme)
        for cut, body in closing_cuts(doc.text, start, end, every=sec.id == last):
            scores = classify("", body, themes, max_themes=1)
            starts.append(cut)
            strong = bool(scores) and scores[0].score >= PASSAGE_MIN_SCORE
            found.append(scores[0].id if strong else section_theme)
    return Passages(tuple(starts), tuple(found))


PASSAGE_MIN_SCORE = 0.3
"""Least score of a closing paragraph's own theme for it to be filed under that theme (a body
without a heading scores at most ``themes.BODY_WEIGHT``)."""


def closing_cuts(text: str, start: int, end: int, *, every: bool) -> list[tuple[int, str]]:
    """Where the text ``[start, end)`` of a section is cut, with the text of each part: after
    every address paragraph, and (``every``) at every paragraph after the first."""
    cuts = [m.end() + 1 for m in ADDRESS_RE.finditer(text, start, end)]
    if every:
        pos = text.find("\n", start, end)
        while 0 <= pos < end - 1:
            cuts.append(pos + 1)
            pos = text.find("\n", pos + 1, end)
    cuts = sorted({cut for cut in cuts if start < cut < end and not ADDRESS_RE.match(text, cut)})
    bounds = [*cuts, end]
    return [(cut, text[cut:bounds[k + 1]]) for k, cut in enumerate(cuts)]


@dataclass
class _Tally:
    targets: int = 0
    new: int = 0
    dropped: int = 0
    renamed: int = 0
    changed_chars: int = 0
    chars: int = 0
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


DiffPart = tuple[Span, Span, Sequence[tuple[str, int, int, int, int]]]
"""A diffed section pair: its span in each document and its opcodes (tag, a_start, a_end,
b_start, b_end; relative to the spans)."""


def theme_summary(
    old: Document,
    new: Document,
    themes: Sequence[Theme],
    *,
    indicators: Sequence[Indicator],
    new_entries: Sequence[Entry],
    dropped_entries: Sequence[Entry],
    renamed: Sequence[Renamed],
    diffs: Sequence[DiffPart],
    removed: Sequence[str],
    added: Sequence[str],
) -> list[ThemeChange]:
    """The summary by theme, most changed first (themes where nothing changed left out).
    ``removed``/``added``: ids of the sections of one side only."""
    tally = {theme.id: _Tally() for theme in themes}
    where_old, where_new = passages(old, themes), passages(new, themes)

    def of(theme: str) -> _Tally:
        return tally.setdefault(theme or "", _Tally())

    for ind in indicators:
        if ind.direction != "unchanged":
            of(ind.theme).targets += 1
    for entry in new_entries:
        of(entry.theme).new += 1
    for entry in dropped_entries:
        of(entry.theme).dropped += 1
    for pair in renamed:
        of(pair.new.theme).renamed += 1
    for span_a, span_b, ops in diffs:
        for tag, a0, a1, b0, b1 in ops:
            side_a, side_b = where_old.theme_at(span_a[0] + a0), where_new.theme_at(span_b[0] + b0)
            of(side_a).chars += a1 - a0
            of(side_b).chars += b1 - b0
            if tag != "equal":
                of(side_a).changed_chars += a1 - a0
                of(side_b).changed_chars += b1 - b0
    for sec_id in removed:
        sec = old.section(sec_id)
        of(where_old.theme_at(sec.own_span[0])).removed += (sec_id,)
    for sec_id in added:
        sec = new.section(sec_id)
        of(where_new.theme_at(sec.own_span[0])).added += (sec_id,)
    names = {theme.id: theme.name for theme in themes}
    rows = [
        ThemeChange(
            theme=theme_id, name=names.get(theme_id, "（未分类）"), targets=t.targets,
            new=t.new, dropped=t.dropped, renamed=t.renamed,
            rewritten=t.changed_chars / t.chars if t.chars else 0.0, chars=t.chars,
            sections_added=t.added, sections_removed=t.removed,
        )
        for theme_id, t in tally.items()
    ]
    rows = [row for row in rows if row.amount > 0]
    return sorted(rows, key=lambda row: -row.amount)
