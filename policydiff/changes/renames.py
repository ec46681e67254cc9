"""Renamed formulations: a dropped formulation of the old report and a new one of the new report
said in the same context (学习运用“千村示范、万村整治”工程经验 → 学习运用“千万工程”经验), linked as
one change (issue 13, item 3).

Two formulations are a rename when, for some pair of their occurrences,
- the words just around them, within their clause, agree: at least ``MIN_EDGE`` characters
  right before or right after the term are the same on both sides (quotation marks aside;
  ``MIN_EDGE_UNAKIN`` characters before and after unless the two terms begin with the same
  character), and
- their clauses (between commas, semicolons and sentence ends), each term replaced by one
  placeholder, are alike: a difflib ratio of at least ``MIN_CLAUSE`` with at least
  ``MIN_SHARED`` characters in common besides the placeholder (提高优抚标准 and
  提高人才队伍质量 share only 提高).
At least one of the two must be a term (quoted in its report, or in the policy dictionary):
two reworded noun phrases (创业指导服务 → 创业服务) are an edit the diff shows, not a renamed
formulation; nor is a term that holds the other (两新 → 两新一重). An abbreviation is one
(自由贸易试验区 → 自贸试验区).
Each formulation is in at most one rename; the pairs with the most alike contexts are linked
first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from policydiff.chars import CITED_CLAUSE_END, HAN_OR_ZERO_RE

if TYPE_CHECKING:
    from policydiff.changes.formulation_reading import Reading
    from policydiff.changes.model import Formulation

MIN_EDGE = 2
"""Characters of context right before or after the term that must agree."""

MIN_EDGE_UNAKIN = 3
"""Characters of context on both sides that must agree when the terms do not begin alike."""

MIN_CLAUSE = 0.6
"""Least difflib ratio of the two clauses with the terms replaced by a placeholder."""

MIN_SHARED = 4
"""Least number of characters the two clauses share besides the placeholder."""

CONTEXT = 12
"""Characters of context read on each side of an occurrence."""

MAX_CANDIDATES = 400
"""Formulations of each list (the best ranked) looked at: bounds the pairs compared on a huge
or hostile input (national reports have 250-400 of each)."""

MAX_OCCURRENCES = 4
"""Occurrences of each formulation compared (the first ones)."""

_QUOTES = str.maketrans("", "", "“”「」『』‘’\"'")
_HOLE = "\ufffc"


def find_renames(
    old: Reading,
    new: Reading,
    dropped: Sequence[Formulation],
    added: Sequence[Formulation],
) -> list[tuple[int, int]]:
    """The renames among ``dropped`` (formulations of ``old``) and ``added`` (of ``new``):
    pairs ``(i, j)`` of ``dropped[i]`` renamed ``added[j]``, in the order of ``added``."""
    pairs: list[tuple[float, int, int]] = []
    old_contexts = [_contexts(old, f.text) for f in dropped[:MAX_CANDIDATES]]
    new_contexts = [_contexts(new, f.text) for f in added[:MAX_CANDIDATES]]
    old_quoted, new_quoted = _quoted(old), _quoted(new)
    old_strong = [_is_term(old, f.text, old_quoted) for f in dropped]
    new_strong = [_is_term(new, f.text, new_quoted) for f in added]
    by_edge = _by_edge(new_contexts)
    for i, oc in enumerate(old_contexts):
        # only formulations sharing ``MIN_EDGE`` characters of context can be alike
        for j in sorted({j for key in _edges(oc) for j in by_edge.get(key, ())}):
            nc = new_contexts[j]
            if not (old_strong[i] or new_strong[j]):
                continue  # two reworded noun phrases: an edit the diff shows, not a rename
            if dropped[i].text in added[j].text or added[j].text in dropped[i].text:
                continue  # one extends the other (两新, 两新一重): a new and a dropped term
            likeness = _likeness(oc, nc, _begin_alike(dropped[i].text, added[j].text))
            if likeness > 0:
                pairs.append((likeness, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    linked: list[tuple[int, int]] = []
    for _, i, j in pairs:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        linked.append((i, j))
    return sorted(linked, key=lambda pair: pair[1])


_Context = tuple[str, str, str, int, int]
"""(left, right, sentence with a placeholder, start, end) of one occurrence."""


def _edges(contexts: list[_Context]) -> set[tuple[bool, str]]:
    """The last ``MIN_EDGE`` characters before and the first after each occurrence: two
    contexts agree on ``MIN_EDGE`` characters on one side (``_likeness``) only when they share
    one of these."""
    out = set()
    for left, right, _, _, _ in contexts:
        if len(left) >= MIN_EDGE:
            out.add((False, left[-MIN_EDGE:]))
        if len(right) >= MIN_EDGE:
            out.add((True, right[:MIN_EDGE]))
    return out


def _by_edge(contexts: list[list[_Context]]) -> dict[tuple[bool, str], list[int]]:
    """The formulations (their places in ``contexts``) by each of their ``_edges``."""
    out: dict[tuple[bool, str], list[int]] = {}
    for j, found in enumerate(contexts):
        for key in _edges(found):
            out.setdefault(key, []).append(j)
    return out


def _contexts(reading: Reading, text: str) -> list[_Context]:
    out = []
    for start, end in reading.occurrences(text)[:MAX_OCCURRENCES]:
        left = _clause_part(reading.text[max(0, start - CONTEXT) : start], reverse=True)
        right = _clause_part(reading.text[end : end + CONTEXT], reverse=False)
        clause = left + _HOLE + right
        out.append((left.translate(_QUOTES), right.translate(_QUOTES),
                    clause.translate(_QUOTES), start, end))
    return out


_TERM_QUOTES = (("“", "”"), ("「", "」"), ("『", "』"))


def _quoted(reading: Reading) -> frozenset[str]:
    """Every quotation of the text with its marks (“…”, 「…」, 『…』) holding no mark of its own
    pair: ``“两重”`` is in the text exactly when it is in this set."""
    return frozenset(
        m.group(0)
        for o, c in _TERM_QUOTES
        for m in re.finditer(f"{o}[^{o}{c}]*{c}", reading.text)
    )


def _is_term(reading: Reading, text: str, quoted: frozenset[str]) -> bool:
    """Whether the formulation is a term: quoted in its report (``quoted``: ``_quoted`` of it)
    or in the policy dictionary."""
    from policydiff.changes.formulation_reading import dictionary_terms

    return text in dictionary_terms() or any(
        f"{o}{text}{c}" in quoted if o not in text and c not in text
        else f"{o}{text}{c}" in reading.text
        for o, c in _TERM_QUOTES
    )


def _begin_alike(a: str, b: str) -> bool:
    """Whether the two terms begin alike (保交楼/保交房, 千村示范、万村整治/千万工程): what
    makes two terms in the same context look like one renamed."""
    return bool(a and b and a[0] == b[0] and HAN_OR_ZERO_RE.match(a[0]))


def _likeness(old: list[_Context], new: list[_Context], akin: bool) -> float:
    """How alike the best pair of contexts is (0: not a rename). Terms that do not begin
    alike (千村示范、万村整治 and 千万工程 do) need ``MIN_EDGE_UNAKIN`` characters of context on
    each side."""
    best = 0.0
    for ol, orr, osent, _, _ in old:
        for nl, nr, nsent, _, _ in new:
            left, right = _common_suffix(ol, nl), _common_prefix(orr, nr)
            edge = left + right
            if max(left, right) < MIN_EDGE:
                continue
            if not akin and min(left, right) < MIN_EDGE_UNAKIN:
                continue
            matcher = difflib.SequenceMatcher(None, osent, nsent, autojunk=False)
            shared = sum(b.size for b in matcher.get_matching_blocks()) - 1
            ratio = matcher.ratio()
            if ratio >= MIN_CLAUSE and shared >= MIN_SHARED:
                best = max(best, ratio + edge / 100)
    return best


_CLAUSE_ENDS = frozenset(CITED_CLAUSE_END)


def _clause_part(context: str, *, reverse: bool) -> str:
    """The part of ``context`` within the term's clause (``reverse``: context before it)."""
    if reverse:
        cut = max((k for k, c in enumerate(context) if c in _CLAUSE_ENDS), default=-1)
        return context[cut + 1 :]
    cut = next((k for k, c in enumerate(context) if c in _CLAUSE_ENDS), len(context))
    return context[:cut]


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n
