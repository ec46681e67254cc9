"""Word-level diffs of two texts (an aligned section pair), with character refinement and moves.

Plain data out: ``diff_texts`` returns a frozen ``TextDiff`` whose opcodes, in the style of
``difflib``, index the ORIGINAL characters and tokens of both texts. Nothing here draws anything
(see ``policydiff.render``).

How it works, and why:
- Both texts are cut into jieba tokens (``policydiff.tokenize``), so a change reads as
  城市 → 城镇化, not as scattered characters; each token gets a comparison key.
- The engine is difflib's algorithm (``matcher_type``: ``cdifflib.CSequenceMatcher``, its C
  inner loop, when the optional ``fast`` extra is installed, else the standard library's
  ``difflib.SequenceMatcher``; identical opcodes, tested) with ``autojunk=False`` always:
  with autojunk on, difflib ignores every token above 1 % frequency (，、。的 发展) once a
  side has 200+ tokens and misses about half the matches. difflib's longest-block-first
  result reads better than an optimal LCS on prose.
- difflib is cubic on repetitive input (``'第一条。'*1000`` against ``'第二条。'*1000`` takes
  about 16 s on tokens, 110 s on characters). So its recursion runs under a work budget and
  is abandoned when it is projected to overrun; above a size budget it is not tried at all. The
  fallback is ``rapidfuzz.distance.Indel.opcodes`` (an optimal LCS, bit-parallel), on whole
  sentences or paragraphs first when the token grid is too large, and the diff is flagged
  ``coarse``.
- A figure (``3.9万亿元``, ``5%左右``, ``9月26日``) is one token, and a short equal run (at most
  two characters) between two larger changes, such as a shared 新, 、 or 消费 inside a
  rewritten passage, is folded into one change, as diff-match-patch's semantic cleanup does
  (``policydiff.diffunits``).
- Each ``replace`` run is refined character by character when the two sides are similar
  enough to make that readable (城市 → 城镇化 highlights 镇化), a figure staying whole
  (增长5% → 增长6% is ``{-5%-}{+6%+}``); otherwise the run is one replaced block.

What ``equal`` means: the two spans have the same comparison keys. With no ignore option set
that is identical text. Under ignore options the spans may differ in exactly the ignored ways
(punctuation present on one side only, full/half width or quote style, mask length, whitespace)
and so may differ in length; a viewer shows each side's own text. Ignored tokens never start or
end a change: they are absorbed into the neighbouring ``equal`` run where there is one.

Rules:
- Opcodes tile both texts in order: the first starts at 0, each starts where the previous
  ended, the last ends at ``len(a)`` and ``len(b)``; no opcode is empty; two ``equal`` runs
  never touch.
- ``apply_opcodes`` (equal runs taken from ``a``, the rest from ``b``) rebuilds ``b`` exactly
  when no ignore option is set, and rebuilds a text whose comparison keys equal ``b``'s when
  options are set.
- Empty texts are not an error: ``diff_texts('', '')`` has no opcodes and similarity 1.0.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import functools
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

from policydiff.chars import (
    DIFF_SENTENCE_END,
    EDGE_PUNCTUATION,
    MASK_RUN_RE,
    MOVE_TAIL_PUNCTUATION,
    NOT_PUNCTUATION,
    SENTENCE_END,
)
from policydiff.diffunits import absorb_tiny_anchors, merge_numbers, refine_units

Span = tuple[int, int]
Block = tuple[int, int, int]
"""A matching block ``(i, j, size)`` as in ``difflib.SequenceMatcher.get_matching_blocks``."""

EQUAL, REPLACE, DELETE, INSERT = "equal", "replace", "delete", "insert"

MASK_KEY = "\x00mask"
"""Comparison key of a mask run under ``ignore_masks`` (every run, whatever its length)."""

DECIMAL_POINTS = frozenset(".．")
"""A point between two digits is part of a number (``5.5%``), not punctuation."""

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")

REFINE_MAX_CHARS = 400
"""Replace runs longer than this on either side are not refined character by character."""

REFINE_MIN_SIMILARITY = 0.5
"""A replace run is refined only when at least this share of its characters match; below it
the common characters are incidental (的, ，) and highlighting them would only scatter."""

INDEL_MAX_CELLS = 400_000_000
"""Largest token grid (len a x len b) handed to ``Indel.opcodes`` at once (about 0.15 s);
larger inputs are first aligned by whole sentences or paragraphs."""

MOVE_MIN_CHARS = 8
MOVE_MIN_SIMILARITY = 0.9
MOVE_MAX_COMPARISONS = 4_000_000
"""Above this many (deleted x inserted) candidate pieces, only identical pieces are paired:
fuzzy matching every pair of a huge coarse diff would take minutes."""

MOVE_WINDOWS_FROM = 4096
"""From this many candidate pairs on, ``_similar_pairs`` scores pieces by length windows (one
``cdist`` call costs more than scoring a few thousand short pairs)."""


def _quote_and_width_table() -> dict[int, str]:
    table: dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    table.update({ord(c): '"' for c in "“”„‟「」〝〞〟＂"})
    table.update({ord(c): "'" for c in "‘’‚‛『』＇"})
    table.update({0xFF61: "。", 0xFF62: '"', 0xFF63: '"', 0xFF64: "、"})
    return table


WIDTH_TABLE = _quote_and_width_table()


def fold_width(text: str) -> str:
    """Fold full-width ASCII forms to half width and every quote style to ``"`` or ``'``.

    The mapping is character for character, so offsets into the folded text are offsets into
    ``text``. ``，`` becomes ``,``; ``。`` and ``、`` have no half-width twin and stay.
    """
    return text.translate(WIDTH_TABLE)


@dataclass(frozen=True)
class DiffOptions:
    """What a diff compares, and how much work it may spend.

    The ``ignore_*`` options change only the comparison keys, never the text shown: opcodes
    always index the original characters. Budgets, past which the coarse fallback is used
    (the defaults let a whole 18k-character report pair through and stop a pathological
    section within about 0.2 s):
    - ``max_tokens``: tokens per side, after the common prefix and suffix are set aside;
    - ``max_matches``: matching token pairs (sum over tokens of count in a x count in b),
      checked before difflib starts;
    - ``max_work``: estimated work of difflib's recursion (matching pairs visited, about 60 ns
      each), projected as it runs; deterministic, so a diff does not depend on machine load;
    - ``max_seconds``: wall-clock safety net for the same recursion.
    """

    ignore_punctuation: bool = False
    ignore_width: bool = False
    ignore_masks: bool = False
    ignore_whitespace: bool = False
    max_tokens: int = 20_000
    max_matches: int = 20_000_000
    max_work: float = 10_000_000
    max_seconds: float = 2.0

    @property
    def ignores_anything(self) -> bool:
        return (
            self.ignore_punctuation
            or self.ignore_width
            or self.ignore_masks
            or self.ignore_whitespace
        )


@dataclass(frozen=True)
class Opcode:
    """One run of a diff: ``tag`` is ``equal``, ``replace``, ``delete`` or ``insert``.

    ``a_start:a_end`` and ``b_start:b_end`` are CHARACTER offsets into ``a`` and ``b``;
    ``a_tok_*``/``b_tok_*`` are the token indices of the same run. In a refinement
    (``TextDiff.refined``) the token indices are those of the enclosing replace run.
    """

    tag: str
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_tok_start: int = 0
    a_tok_end: int = 0
    b_tok_start: int = 0
    b_tok_end: int = 0

    def as_tuple(self) -> tuple[str, int, int, int, int]:
        """``(tag, a_start, a_end, b_start, b_end)``, as ``difflib`` writes opcodes."""
        return (self.tag, self.a_start, self.a_end, self.b_start, self.b_end)


@dataclass(frozen=True)
class Move:
    """A sentence or clause deleted in one place and inserted, identical or nearly so, elsewhere.

    ``a_pair``/``b_pair`` index the sequence of diffs given to ``find_moves`` (0 for the moves
    of a single ``TextDiff``); the spans are character offsets in that diff's ``a`` and ``b``.
    """

    a_pair: int
    a_span: Span
    b_pair: int
    b_span: Span
    similarity: float
    text: str


@dataclass(frozen=True)
class TextDiff:
    """The diff of ``a`` against ``b`` (see the module docstring for the rules)."""

    a: str
    b: str
    a_tokens: tuple[str, ...]
    b_tokens: tuple[str, ...]
    a_spans: tuple[Span, ...]
    b_spans: tuple[Span, ...]
    opcodes: tuple[Opcode, ...]
    refined: tuple[Opcode, ...]
    coarse: bool
    similarity: float
    moves: tuple[Move, ...] = ()
    options: DiffOptions = field(default_factory=DiffOptions)

    @property
    def changed(self) -> bool:
        """True when some run is not ``equal``."""
        return any(op.tag != EQUAL for op in self.opcodes)

    @functools.cached_property
    def _refined_starts(self) -> list[tuple[int, int]]:
        return [(r.a_start, r.b_start) for r in self.refined]

    def refinement(self, op: Opcode) -> tuple[Opcode, ...]:
        """The character-level runs inside ``op`` (itself, for a run that was not refined)."""
        index = bisect.bisect_left(self._refined_starts, (op.a_start, op.b_start))
        inside: list[Opcode] = []
        while index < len(self.refined):
            run = self.refined[index]
            if run.a_end > op.a_end or run.b_end > op.b_end or run.a_start < op.a_start:
                break
            inside.append(run)
            if (run.a_end, run.b_end) == (op.a_end, op.b_end):
                break
            index += 1
        return tuple(inside) or (op,)

    def apply(self) -> str:
        """Rebuild ``b`` from ``a``'s equal runs and ``b``'s changed runs (``apply_opcodes``)."""
        return apply_opcodes(self.opcodes, self.a, self.b)


def apply_opcodes(opcodes: Sequence[Opcode], a: str, b: str) -> str:
    """Equal runs copied from ``a``, inserted and replacing text from ``b``, deletions dropped.

    This is the check that a diff is exact: the result equals ``b`` when the diff was made
    without ignore options.
    """
    parts: list[str] = []
    for op in opcodes:
        if op.tag == EQUAL:
            parts.append(a[op.a_start:op.a_end])
        else:
            parts.append(b[op.b_start:op.b_end])
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Comparison keys


_MAYBE_IGNORED_RE = re.compile(r"[^\w]")


def _ignored_chars(folded: str, options: DiffOptions) -> list[int]:
    """Positions of the characters that ``ignore_whitespace``/``ignore_punctuation`` drop."""
    ignored: list[int] = []
    last = len(folded) - 1
    for match in _MAYBE_IGNORED_RE.finditer(folded):
        index = match.start()
        char = folded[index]
        if char.isspace() or char in ZERO_WIDTH:
            if options.ignore_whitespace:
                ignored.append(index)
        elif (
            options.ignore_punctuation
            and unicodedata.category(char)[0] == "P"
            and char not in NOT_PUNCTUATION
            and not (
                char in DECIMAL_POINTS
                and 0 < index < last
                and folded[index - 1].isdigit()
                and folded[index + 1].isdigit()
            )
        ):
            ignored.append(index)
    return ignored


def comparison_tokens(text: str, options: DiffOptions) -> tuple[list[Span], list[str | None]]:
    """Token spans of ``text`` and the key each token is compared by (``None``: ignored).

    Without ignore options the tokens are ``tokenize_spans(text)`` with each figure joined
    into one token (``diffunits.merge_numbers``) and each key is the token's text. With
    options the text is first reduced to what is compared (width-folded, without
    ignored whitespace and punctuation) and THAT is tokenized, so that 高质量　发展 and
    高质量发展 give the same words; the token spans are then mapped back onto ``text``. A token
    may therefore contain ignored characters, and each ignored character between tokens is a
    token of its own with key ``None``. The spans always tile ``text``.

    Rules: ``ignore_width`` folds width and quote style (``fold_width``); ``ignore_whitespace``
    drops whitespace and zero-width characters; ``ignore_punctuation`` drops Unicode
    punctuation except ``%``-like signs (``NOT_PUNCTUATION``) and a point between two digits;
    ``ignore_masks`` gives every run of mask tokens the key ``MASK_KEY`` once, its second and
    later tokens ``None``, so ``xx`` and ``＊＊＊`` compare equal.
    """
    from policydiff.tokenize import tokenize_spans

    if not options.ignores_anything:
        plain_spans = tokenize_spans(text)
        return merge_numbers(text, plain_spans, [text[s:e] for s, e in plain_spans])
    folded = fold_width(text) if options.ignore_width else text
    dropped = (
        _ignored_chars(folded, options)
        if options.ignore_whitespace or options.ignore_punctuation
        else []
    )
    if dropped:
        drop = set(dropped)
        positions = [i for i in range(len(folded)) if i not in drop]
        compared = "".join(folded[i] for i in positions)
    else:
        positions = list(range(len(folded)))
        compared = folded
    in_mask = [False] * len(compared)
    if options.ignore_masks:
        for m in MASK_RUN_RE.finditer(compared):
            in_mask[m.start():m.end()] = [True] * (m.end() - m.start())
    spans: list[Span] = []
    keys: list[str | None] = []
    cursor = 0
    previous_mask_end = -1
    for start, end in tokenize_spans(compared):
        lo, hi = positions[start], positions[end - 1] + 1
        for gap in range(cursor, lo):
            spans.append((gap, gap + 1))
            keys.append(None)
        spans.append((lo, hi))
        if options.ignore_masks and all(in_mask[start:end]):
            keys.append(None if previous_mask_end == start else MASK_KEY)
            previous_mask_end = end
        else:
            keys.append(compared[start:end])
        cursor = hi
    for gap in range(cursor, len(text)):
        spans.append((gap, gap + 1))
        keys.append(None)
    return merge_numbers(text, spans, keys)


# ---------------------------------------------------------------------------------------------
# Matching engines


class _OverBudget(Exception):
    """difflib ran, or was projected to run, past ``max_work`` (or ``max_seconds``)."""


def _common_affixes(a: Sequence[int], b: Sequence[int]) -> tuple[int, int]:
    """Lengths of the common prefix and (non-overlapping) common suffix."""
    limit = min(len(a), len(b))
    prefix = 0
    while prefix < limit and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return prefix, suffix


@functools.cache
def matcher_type() -> type[difflib.SequenceMatcher[int]]:
    """The one choice of difflib engine: ``cdifflib.CSequenceMatcher`` when it is installed
    (the ``fast`` extra; it publishes no wheels, so it is optional), else the standard
    library's ``difflib.SequenceMatcher``. Same algorithm, same opcodes
    (tests/test_diff.py checks both on the seeds, the corpus and generated token lists); the
    C inner loop is only faster. Callers always pass ``autojunk=False``."""
    try:
        from cdifflib import CSequenceMatcher
    except ImportError:
        return difflib.SequenceMatcher
    return cast("type[difflib.SequenceMatcher[int]]", CSequenceMatcher)


def _difflib_blocks(
    a: list[int], b: list[int], matches: int, options: DiffOptions
) -> list[Block]:
    """difflib's matching blocks (``matcher_type``'s inner loop) under a work budget.

    This is ``SequenceMatcher.get_matching_blocks`` written out so that the work can be
    counted between calls to the C ``find_longest_match``. A call costs about the number of
    matching token pairs in the range it searches, estimated as the range's area times the
    density of matches over the whole grid (``matches / (len a x len b)``); one unit is about
    60 ns here. The share of work left is the total area of the ranges still queued. Once a
    fifth of ``max_work`` is spent, a run whose work so far divided by the share of area done
    exceeds ``max_work`` is abandoned (on repetitive input the area shrinks by one row per
    call, so this projection is about right; on prose the first long match halves it at once),
    and so is any run past ``max_work`` or past ``max_seconds`` of wall clock. Counting work
    rather than time keeps the choice deterministic: the same texts give the same diff on a
    busy machine; the clock is only a safety net.
    """
    started = time.perf_counter()
    matcher = matcher_type()(None, a, b, autojunk=False)
    find = matcher.find_longest_match
    total = len(a) * len(b)
    density = matches / total
    remaining = total
    work = 0.0
    queue = [(0, len(a), 0, len(b))]
    raw: list[Block] = []
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, k = find(alo, ahi, blo, bhi)
        area = (ahi - alo) * (bhi - blo)
        remaining -= area
        work += area * density
        if k:
            raw.append((i, j, k))
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
                remaining += (i - alo) * (j - blo)
            if i + k < ahi and j + k < bhi:
                queue.append((i + k, ahi, j + k, bhi))
                remaining += (ahi - i - k) * (bhi - j - k)
        if work > options.max_work / 5 and (
            work > options.max_work
            or work > options.max_work * (1.0 - remaining / total)
            or time.perf_counter() - started > options.max_seconds
        ):
            raise _OverBudget
    raw.sort()
    return _merge_adjacent(raw)


def _merge_adjacent(blocks: list[Block]) -> list[Block]:
    merged: list[Block] = []
    for i, j, k in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            pi, pj, pk = merged[-1]
            merged[-1] = (pi, pj, pk + k)
        else:
            merged.append((i, j, k))
    return merged


def _indel_blocks(a: Sequence[int], b: Sequence[int]) -> list[Block]:
    """Matching blocks of an optimal LCS (``rapidfuzz.distance.Indel.opcodes``)."""
    from rapidfuzz.distance import Indel

    if not a or not b:
        return []
    blocks: list[Block] = []
    for op in Indel.opcodes(a, b):
        if op.tag == EQUAL:
            blocks.append((op.src_start, op.dest_start, op.src_end - op.src_start))
    return _merge_adjacent(blocks)


def _units(keys: Sequence[int], ends: frozenset[int]) -> list[tuple[int, int]]:
    """Split a key list into sentence-like units ending at a key in ``ends``."""
    units: list[tuple[int, int]] = []
    start = 0
    for index, key in enumerate(keys):
        if key in ends:
            units.append((start, index + 1))
            start = index + 1
    if start < len(keys):
        units.append((start, len(keys)))
    return units


def _coarse_blocks(a: list[int], b: list[int], levels: Sequence[frozenset[int]]) -> list[Block]:
    """The fallback: an optimal LCS, over larger units first when the token grid is too large.

    ``levels`` are the keys that end a unit, finest first (sentence ends, then paragraph
    breaks). The finest level whose unit grid fits ``INDEL_MAX_CELLS`` is matched whole units
    at a time (a unit is its tuple of keys); each gap between matched units is then diffed the
    same way, down to tokens. A gap that fits no level stays one change, so time and memory
    stay bounded for any input size.
    """
    if not a or not b:
        return []
    if len(a) * len(b) <= INDEL_MAX_CELLS:
        return _indel_blocks(a, b)
    for ends in levels:
        a_units, b_units = _units(a, ends), _units(b, ends)
        if len(a_units) * len(b_units) <= INDEL_MAX_CELLS:
            break
    else:
        return []
    ids: dict[tuple[int, ...], int] = {}
    a_ids = [ids.setdefault(tuple(a[s:e]), len(ids)) for s, e in a_units]
    b_ids = [ids.setdefault(tuple(b[s:e]), len(ids)) for s, e in b_units]
    unit_blocks = _indel_blocks(a_ids, b_ids)
    if not unit_blocks:
        return []
    blocks: list[Block] = []
    ua = ub = 0
    for ui, uj, uk in [*unit_blocks, (len(a_ids), len(b_ids), 0)]:
        ta0 = a_units[ua][0] if ua < len(a_units) else len(a)
        tb0 = b_units[ub][0] if ub < len(b_units) else len(b)
        ta1 = a_units[ui][0] if ui < len(a_units) else len(a)
        tb1 = b_units[uj][0] if uj < len(b_units) else len(b)
        blocks.extend(
            (ta0 + i, tb0 + j, k)
            for i, j, k in _coarse_blocks(a[ta0:ta1], b[tb0:tb1], levels)
        )
        if uk:
            blocks.append((ta1, tb1, a_units[ui + uk - 1][1] - ta1))
        ua, ub = ui + uk, uj + uk
    return _merge_adjacent(blocks)


def _match(
    a: list[int], b: list[int], options: DiffOptions, levels: Sequence[frozenset[int]]
) -> tuple[list[Block], bool]:
    """Matching blocks of two key lists, and whether the coarse fallback made them."""
    prefix, suffix = _common_affixes(a, b)
    a_mid, b_mid = a[prefix:len(a) - suffix], b[prefix:len(b) - suffix]
    blocks: list[Block] = [(0, 0, prefix)] if prefix else []
    coarse = False
    if a_mid and b_mid:
        inner: list[Block] | None = None
        if max(len(a_mid), len(b_mid)) <= options.max_tokens:
            counts = Counter(a_mid)
            matches = sum(counts[key] for key in b_mid)
            if matches <= options.max_matches:
                try:
                    inner = _difflib_blocks(a_mid, b_mid, matches, options)
                except _OverBudget:
                    inner = None
        if inner is None:
            coarse = True
            inner = _coarse_blocks(a_mid, b_mid, levels)
        blocks.extend((i + prefix, j + prefix, k) for i, j, k in inner)
    if suffix:
        blocks.append((len(a) - suffix, len(b) - suffix, suffix))
    return _merge_adjacent(blocks), coarse


def _block_opcodes(blocks: list[Block], la: int, lb: int) -> list[tuple[str, int, int, int, int]]:
    """difflib's ``get_opcodes`` from matching blocks."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for ai, bj, size in [*blocks, (la, lb, 0)]:
        if i < ai and j < bj:
            ops.append((REPLACE, i, ai, j, bj))
        elif i < ai:
            ops.append((DELETE, i, ai, j, bj))
        elif j < bj:
            ops.append((INSERT, i, ai, j, bj))
        if size:
            ops.append((EQUAL, ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return ops


# ---------------------------------------------------------------------------------------------
# Token runs back to the original text


def _kept(keys: list[str | None]) -> list[int]:
    return [index for index, key in enumerate(keys) if key is not None]


def _to_token_ops(
    kept_ops: list[tuple[str, int, int, int, int]],
    a_kept: list[int],
    b_kept: list[int],
    na: int,
    nb: int,
) -> list[tuple[str, int, int, int, int]]:
    """Map opcodes over kept (compared) tokens to opcodes over all tokens.

    Ignored tokens sit in the gaps between kept ones. A gap next to an ``equal`` run joins it;
    a gap between two changes joins the later change; leading and trailing gaps join the first
    and last run. With no kept token on either side the whole texts form one run: ``equal``
    when both are non-empty (they differ only in ignored ways), else a delete or insert.
    """
    if not kept_ops:
        if na and nb:
            return [(EQUAL, 0, na, 0, nb)]
        if na:
            return [(DELETE, 0, na, 0, 0)]
        if nb:
            return [(INSERT, 0, 0, 0, nb)]
        return []

    def boundary(kept: list[int], k: int, n: int, gap_to_left: bool) -> int:
        # The token index where kept boundary k falls: after the gap of ignored tokens before
        # kept token k (the gap joins the run on the left) or before it (it joins the right).
        if gap_to_left:
            return kept[k] if k < len(kept) else n
        return kept[k - 1] + 1 if k > 0 else 0

    def side_bounds(kept: list[int], n: int, side: str) -> list[int]:
        # Of two neighbouring runs exactly one is equal, and the gap joins it. A run that is
        # empty on this side (an insert, for side a) leaves the kept index unchanged: the gap
        # there was already given to the equal run before it, so the position is reused.
        positions = [0]
        previous_k = 0
        for left in kept_ops[:-1]:
            k = left[2] if side == "a" else left[4]
            if k == previous_k:
                positions.append(positions[-1])
            else:
                positions.append(boundary(kept, k, n, left[0] == EQUAL))
            previous_k = k
        positions.append(n)
        return positions

    bounds = list(zip(side_bounds(a_kept, na, "a"), side_bounds(b_kept, nb, "b"), strict=True))
    ops: list[tuple[str, int, int, int, int]] = []
    for index, op in enumerate(kept_ops):
        (a0, b0), (a1, b1) = bounds[index], bounds[index + 1]
        tag = op[0]
        if tag != EQUAL:
            tag = REPLACE if a1 > a0 and b1 > b0 else DELETE if a1 > a0 else INSERT
        ops.append((tag, a0, a1, b0, b1))
    return ops


def _char_opcodes(
    token_ops: list[tuple[str, int, int, int, int]],
    a_spans: Sequence[Span],
    b_spans: Sequence[Span],
    la: int,
    lb: int,
) -> list[Opcode]:
    def a_char(t: int) -> int:
        return a_spans[t][0] if t < len(a_spans) else la

    def b_char(t: int) -> int:
        return b_spans[t][0] if t < len(b_spans) else lb

    return [
        Opcode(tag, a_char(a0), a_char(a1), b_char(b0), b_char(b1), a0, a1, b0, b1)
        for tag, a0, a1, b0, b1 in token_ops
    ]


def _refine(op: Opcode, a: str, b: str, options: DiffOptions) -> list[Opcode]:
    """Character runs inside a replace run; the run itself when refining would not help."""
    a_text, b_text = a[op.a_start:op.a_end], b[op.b_start:op.b_end]
    if len(a_text) > REFINE_MAX_CHARS or len(b_text) > REFINE_MAX_CHARS:
        return [op]
    if options.ignore_width:
        a_text, b_text = fold_width(a_text), fold_width(b_text)
    need = REFINE_MIN_SIMILARITY * (len(a_text) + len(b_text))  # twice the matched characters
    shared = sum((Counter(a_text) & Counter(b_text)).values())
    if 2 * shared < need:
        # not alike even if every character they share were matched (most replaced runs);
        # matching blocks are a common subsequence: no character more often than both have it
        return [op]
    ids: dict[str, int] = {}
    a_units, b_units = refine_units(a_text), refine_units(b_text)
    a_keys = [ids.setdefault(a_text[i:j], len(ids)) for i, j in a_units]
    b_keys = [ids.setdefault(b_text[i:j], len(ids)) for i, j in b_units]
    blocks, _coarse = _match(a_keys, b_keys, options, ())
    matched = sum(a_units[i + size - 1][1] - a_units[i][0] for i, _j, size in blocks if size)
    if 2 * matched < need:
        return [op]
    toks = (op.a_tok_start, op.a_tok_end, op.b_tok_start, op.b_tok_end)
    a_at = [i for i, _ in a_units] + [len(a_text)]
    b_at = [j for j, _ in b_units] + [len(b_text)]
    return [
        Opcode(tag, op.a_start + a_at[i1], op.a_start + a_at[i2], op.b_start + b_at[j1],
               op.b_start + b_at[j2], *toks)
        for tag, i1, i2, j1, j2 in _block_opcodes(blocks, len(a_units), len(b_units))
    ]


# ---------------------------------------------------------------------------------------------
# Public entry points


def diff_tokens(
    a: str,
    b: str,
    a_spans: Sequence[Span],
    b_spans: Sequence[Span],
    *,
    options: DiffOptions | None = None,
) -> TextDiff:
    """``diff_texts`` for callers that already hold the token spans of both texts.

    The spans must tile their text (as ``tokenize_spans`` gives them). They are used (with
    each figure joined into one token, as ``comparison_tokens`` does) only when no ignore
    option is set; with one, both texts are tokenized again as
    ``comparison_tokens`` requires.
    """
    options = options or DiffOptions()
    if options.ignores_anything:
        return diff_texts(a, b, options=options)
    a_merged, a_keys = merge_numbers(a, a_spans, [a[s:e] for s, e in a_spans])
    b_merged, b_keys = merge_numbers(b, b_spans, [b[s:e] for s, e in b_spans])
    return _diff(a, b, a_merged, a_keys, b_merged, b_keys, options)


def _diff(
    a: str,
    b: str,
    a_spans: Sequence[Span],
    a_keys: list[str | None],
    b_spans: Sequence[Span],
    b_keys: list[str | None],
    options: DiffOptions,
) -> TextDiff:
    a_kept, b_kept = _kept(a_keys), _kept(b_keys)
    ids: dict[str, int] = {}
    a_ids = [ids.setdefault(a_keys[t], len(ids)) for t in a_kept]  # type: ignore[arg-type]
    b_ids = [ids.setdefault(b_keys[t], len(ids)) for t in b_kept]  # type: ignore[arg-type]
    levels = (
        frozenset(ids[k] for k in ids if k in DIFF_SENTENCE_END or k == "\r\n"),
        frozenset(ids[k] for k in ids if k in ("\n", "\r\n")),
    )
    blocks, coarse = _match(a_ids, b_ids, options, levels)
    kept_ops = _block_opcodes(blocks, len(a_ids), len(b_ids))
    token_ops = _to_token_ops(kept_ops, a_kept, b_kept, len(a_spans), len(b_spans))
    token_ops = absorb_tiny_anchors(token_ops, a, a_spans, b_spans, DIFF_SENTENCE_END)
    opcodes = _char_opcodes(token_ops, a_spans, b_spans, len(a), len(b))
    refined: list[Opcode] = []
    for op in opcodes:
        if op.tag == REPLACE:
            refined.extend(_refine(op, a, b, options))
    matched2 = sum(
        (op.a_end - op.a_start) + (op.b_end - op.b_start) for op in opcodes if op.tag == EQUAL
    ) + sum(
        (op.a_end - op.a_start) + (op.b_end - op.b_start) for op in refined if op.tag == EQUAL
    )
    total = len(a) + len(b)
    diff = TextDiff(
        a=a,
        b=b,
        a_tokens=tuple(a[s:e] for s, e in a_spans),
        b_tokens=tuple(b[s:e] for s, e in b_spans),
        a_spans=tuple(a_spans),
        b_spans=tuple(b_spans),
        opcodes=tuple(opcodes),
        refined=tuple(refined),
        coarse=coarse,
        similarity=matched2 / total if total else 1.0,
        options=options,
    )
    moves = tuple(find_moves([diff]))
    return dataclasses.replace(diff, moves=moves) if moves else diff


def diff_texts(a: str, b: str, *, options: DiffOptions | None = None) -> TextDiff:
    """Diff two texts word by word; see the module docstring for what the result means."""
    options = options or DiffOptions()
    a_spans, a_keys = comparison_tokens(a, options)
    b_spans, b_keys = comparison_tokens(b, options)
    return _diff(a, b, a_spans, a_keys, b_spans, b_keys, options)


# ---------------------------------------------------------------------------------------------
# Moved text


_SENTENCE_END_RE = re.compile(f"[{re.escape(''.join(sorted(DIFF_SENTENCE_END)))}]")


def _moved_pieces(text: str, runs: list[tuple[int, int, int]]) -> list[tuple[Span, int]]:
    """Candidate moved pieces on one side: each changed run cut after every sentence end,
    trimmed of whitespace and edge punctuation, at least ``MOVE_MIN_CHARS`` long, with the
    index of its run. A full stop (not a semicolon) right after a piece is included even when
    the diff put it in the next run, so a moved sentence is reported with its full stop on
    both sides.
    ``runs`` are ``(start, end, opcode index)`` of the changed runs."""
    pieces: list[tuple[Span, int]] = []
    for run_start, run_end, op_index in runs:
        start = run_start
        cuts = [m.start() for m in _SENTENCE_END_RE.finditer(text, run_start, run_end)]
        for index in (*cuts, run_end):
            piece_end = min(index + 1, run_end)
            lo, hi = start, piece_end
            while lo < hi and (text[lo].isspace() or text[lo] in EDGE_PUNCTUATION):
                lo += 1
            while hi > lo and (text[hi - 1].isspace() or text[hi - 1] in MOVE_TAIL_PUNCTUATION):
                hi -= 1
            if hi < len(text) and text[hi] in SENTENCE_END:
                hi += 1  # the full stop may sit in the next (equal) run
            if _core_length(text[lo:hi]) >= MOVE_MIN_CHARS:
                pieces.append(((lo, hi), op_index))
            start = piece_end
    return pieces


def _core(text: str) -> str:
    """A piece without surrounding whitespace and edge punctuation, for comparing."""
    return text.strip().strip(EDGE_PUNCTUATION).strip()


def _core_length(text: str) -> int:
    return len(_core(text))


def _similar_pairs(left: list[str], right: list[str]) -> list[tuple[float, int, int]]:
    """``(score, x, y)`` of every pair ``left[x]``, ``right[y]`` whose ``rapidfuzz`` ratio is
    at least ``MOVE_MIN_SIMILARITY`` (as 0-100). Only pairs of lengths that can reach it are
    scored: the ratio is 200 x common characters / (sum of the lengths), at most 200 x the
    shorter length / the sum, so each length of ``left`` is scored against the pieces of
    ``right`` within that length window (one ``cdist`` per length; a window a character wider
    on each side than the bound, the cutoff decides). Below ``MOVE_WINDOWS_FROM`` pairs one
    ``cdist`` of all is quicker."""
    from rapidfuzz import fuzz, process

    cutoff = MOVE_MIN_SIMILARITY * 100
    groups: list[tuple[list[int], list[int]]] = []
    if len(left) * len(right) <= MOVE_WINDOWS_FROM:
        groups.append((list(range(len(left))), list(range(len(right)))))
    else:
        order = sorted(range(len(right)), key=lambda y: len(right[y]))
        lengths = [len(right[y]) for y in order]
        by_length: dict[int, list[int]] = {}
        for x, piece in enumerate(left):
            by_length.setdefault(len(piece), []).append(x)
        for length, xs in by_length.items():
            lo = bisect.bisect_left(lengths, int(length * cutoff / (200 - cutoff)) - 1)
            hi = bisect.bisect_right(lengths, int(length * (200 - cutoff) / cutoff) + 1)
            if lo < hi:
                groups.append((xs, order[lo:hi]))
    pairs: list[tuple[float, int, int]] = []
    for xs, ys in groups:
        scores = process.cdist(
            [left[x] for x in xs], [right[y] for y in ys], scorer=fuzz.ratio,
            score_cutoff=cutoff,
        )
        pairs.extend(
            (float(scores[i, j]), xs[i], ys[j]) for i, j in zip(*scores.nonzero(), strict=True)
        )
    return pairs


def find_moves(diffs: Sequence[TextDiff]) -> list[Move]:
    """Text deleted in one place and inserted in another, within or across the diffs.

    ``diffs`` are the diffs of the aligned section pairs of the same two documents (to include
    sections that have no partner, pass ``diff_texts(text, '')`` or ``diff_texts('', text)``).
    Candidates are the changed runs of each side cut into sentences (at 。！？；), trimmed of
    edge punctuation; so a whole sentence that moved is found, and so is a clause that moved
    inside a sentence (城镇新增就业… swapping places with 城镇调查失业率…). A deleted and an
    inserted piece of at least ``MOVE_MIN_CHARS`` characters form a move when their similarity
    (``rapidfuzz`` ratio, edge punctuation ignored) is at least ``MOVE_MIN_SIMILARITY`` and they
    are not the two sides of one replace run (that is an in-place edit). Each piece takes part
    in at most one move, best pairs first; moves are listed by their place in ``a``. With more
    than ``MOVE_MAX_COMPARISONS`` candidate pairs only identical pieces are paired.
    """
    deleted: list[tuple[int, Span, int, str]] = []
    inserted: list[tuple[int, Span, int, str]] = []
    for pair, diff in enumerate(diffs):
        a_runs = [(op.a_start, op.a_end, n) for n, op in enumerate(diff.opcodes)
                  if op.tag != EQUAL and op.a_end > op.a_start]
        b_runs = [(op.b_start, op.b_end, n) for n, op in enumerate(diff.opcodes)
                  if op.tag != EQUAL and op.b_end > op.b_start]
        for span, run in _moved_pieces(diff.a, a_runs):
            deleted.append((pair, span, run, _core(diff.a[span[0]:span[1]])))
        for span, run in _moved_pieces(diff.b, b_runs):
            inserted.append((pair, span, run, _core(diff.b[span[0]:span[1]])))
    if not deleted or not inserted:
        return []
    if len(deleted) * len(inserted) <= MOVE_MAX_COMPARISONS:
        pairs = _similar_pairs([d[3] for d in deleted], [i[3] for i in inserted])
    else:
        by_text: dict[str, list[int]] = {}
        for y, piece in enumerate(inserted):
            by_text.setdefault(piece[3], []).append(y)
        pairs = [(100.0, x, y) for x, d in enumerate(deleted) for y in by_text.get(d[3], ())]
    candidates = [
        (score, x, y)
        for score, x, y in pairs
        if not (deleted[x][0] == inserted[y][0] and deleted[x][2] == inserted[y][2])
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    moves: list[Move] = []
    for score, x, y in candidates:
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        d, i = deleted[x], inserted[y]
        text = diffs[d[0]].a[d[1][0]:d[1][1]]
        moves.append(Move(d[0], d[1], i[0], i[1], round(score / 100, 4), text))
    moves.sort(key=lambda m: (m.a_pair, m.a_span))
    return moves
