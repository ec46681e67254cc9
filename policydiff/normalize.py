"""Normalization: named text steps with an offset map back to the decoded source.

Reports arrive with web chrome, zero-width spaces, pinyin annotations, Traditional characters,
full-width digits, masked names (``**区``, ``xx市``) and lines broken in the middle of a phrase.
:func:`normalize` cleans them through a pipeline of small named steps, each switchable in
:class:`NormalizeConfig`, and keeps for every normalized character the span of the decoded
source it came from. This module is the ONLY owner of that offset map: the segmenter, the
exports and the TUI map positions back with :meth:`NormalText.to_source`.

Steps, in pipeline order (:data:`STEPS`):

1. ``nfc`` – Unicode NFC (composes pinyin tone marks, folds CJK compatibility ideographs).
2. ``strip_invisible`` – removes zero-width and format characters, soft hyphens and stray
   C0/C1 controls; CRLF, CR, VT, FF, NEL, U+2028/2029 become ``\\n``; a line that held only
   invisible characters is removed with its line end (Wikisource leaves such lines in the
   middle of a paragraph); every other space character (NBSP, U+3000, U+2003, tab, …)
   becomes one ASCII space. Indentation is *not* removed here: ``rejoin_lines`` reads it as a
   layout signal and removes it.
3. ``strip_pinyin`` – removes pinyin annotations ``報(bào)告`` → ``報告``: a bracketed
   lower-case syllable with a tone mark right after a Han character. ``(一)``, ``(PM2.5)``,
   ``(市、区)`` and English in brackets are never touched. It also repairs one garbling
   seen in seeds/001, ``麒麟?yún)^(qū)`` → ``麒麟區``, when the document itself proves it (see
   :func:`strip_pinyin`); other garbled text is left alone for ``detect_mojibake``.
4. ``to_simplified`` – detects the script and converts Traditional to Simplified with OpenCC
   (``hk2s`` for Hong Kong texts, else ``t2s``), only for ``hant``/``mixed`` documents.
5. ``fold_width`` – full-width digits and Latin letters to ASCII (also ``％`` and a ``．``
   between digits); ASCII ``, : ; ( ) ? !`` in Chinese context to ``，：；（）？！``.
6. ``canonical_masks`` – masked names and numbers (``*``, ``***.**``, ``xx``, ``XX``,
   ``××``, ``○○``) become the single mask token :data:`MASK` (``＊``).
7. ``strip_boilerplate`` – removes web chrome and licence trailers listed in
   ``policydiff/data/boilerplate.txt``.
8. ``rejoin_lines`` – re-joins fragments broken onto their own lines, removes blank lines,
   indentation and spaces between Chinese characters. Headings stay on their own lines.
9. ``detect_mojibake`` – changes nothing; reports suspect garbled spans as warnings.

Rules that hold for every result (tested with Hypothesis):

- ``normalize(normalize(x).text).text == normalize(x).text`` (idempotent);
- ``starts`` and ``ends`` are non-decreasing and ``starts[i] < ends[i] <= len(source)``: every
  normalized character comes from a non-empty source span. No step inserts a character out of
  nothing; a replacement of unequal length maps each new character to the whole replaced span;
- ``text[i] == source[starts[i]]`` for every character that no :class:`Change` covers;
- paragraphs are separated by exactly one ``\\n``; no line starts or ends with whitespace;
  there is no trailing newline.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

Span = tuple[int, int]

MASK = "＊"
"""The one token that stands for any masked name or number (U+FF0A FULLWIDTH ASTERISK).

Chosen because it is a single character that real report text never uses except as a mask,
it has the display width of a Han character, and no other step rewrites it."""

STEPS: tuple[str, ...] = (
    "nfc",
    "strip_invisible",
    "strip_pinyin",
    "to_simplified",
    "fold_width",
    "canonical_masks",
    "strip_boilerplate",
    "rejoin_lines",
    "detect_mojibake",
)
"""Step names in pipeline order; each is also a field of :class:`NormalizeConfig`."""

BOILERPLATE_FILE = Path(__file__).resolve().parent / "data" / "boilerplate.txt"

MAX_MOJIBAKE_WARNINGS = 10


@dataclass(frozen=True)
class Change:
    """One edit made by one step: ``before`` at ``source_span`` in the source became ``after``.

    ``before`` is the text as the step saw it (an earlier step may already have changed it,
    e.g. converted it to Simplified); ``source_span`` always locates it in the decoded source.
    Neighbouring edits of one step are reported as one change.
    """

    step: str
    source_span: Span
    before: str
    after: str


@dataclass(frozen=True, kw_only=True)
class NormalizeConfig:
    """Which steps run. Every step is on by default.

    Switching a step off skips exactly that step; the others still run in the same order.
    ``script`` is always detected, also when ``to_simplified`` is off.
    """

    nfc: bool = True
    strip_invisible: bool = True
    strip_pinyin: bool = True
    to_simplified: bool = True
    fold_width: bool = True
    canonical_masks: bool = True
    strip_boilerplate: bool = True
    rejoin_lines: bool = True
    detect_mojibake: bool = True


@dataclass(frozen=True)
class NormalText:
    """Normalized text plus, for every normalized character, its span in the source.

    ``starts[i]``/``ends[i]`` give the source span of ``text[i]``. Paragraphs are separated by a
    single ``\\n``; blank lines and leading indentation are gone. ``script`` is the script of the
    source before conversion: ``hans``, ``hant``, ``mixed`` or ``none`` (no Han character).
    ``changes`` lists what each step changed, in step order; ``warnings`` are human-readable
    notes (suspect mojibake) with source offsets.
    """

    text: str
    source: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    script: str
    changes: tuple[Change, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_source(self, span: Span) -> Span:
        """Map a normalized ``[start, end)`` span to the source span it came from.

        An empty span maps to an empty span at the source position of its character (or at the
        end of the source when it sits at the end of the text).
        """
        start, end = span
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.source)
            return (pos, pos)
        return (self.starts[start], self.ends[end - 1])

    def from_source(self, span: Span) -> Span:
        """Map a source ``[start, end)`` span to the smallest normalized span covering it.

        Source text that normalization removed maps to an empty span at the position where it
        would have been.
        """
        start, end = span
        lo = bisect.bisect_right(self.ends, start)
        if end <= start:
            return (lo, lo)
        hi = bisect.bisect_left(self.starts, end)
        return (lo, max(lo, hi))

    def line_spans(self) -> list[Span]:
        """``[start, end)`` of every line (paragraph) of ``text``, in order; none for empty text."""
        spans: list[Span] = []
        start = 0
        while start < len(self.text):
            end = self.text.find("\n", start)
            end = len(self.text) if end < 0 else end
            spans.append((start, end))
            start = end + 1
        return spans

    def explain(self, *, steps: Iterable[str] | None = None, limit: int | None = None) -> list[str]:
        """Human-readable lines ``step  source[start:end]  'before' → 'after'``.

        ``steps`` keeps only the named steps; ``limit`` caps the number of lines (a last line
        says how many were left out). Warnings follow the changes, prefixed with ``warning``.
        """
        return explain(self, steps=steps, limit=limit)


def explain(
    result: NormalText, *, steps: Iterable[str] | None = None, limit: int | None = None
) -> list[str]:
    """The trace behind ``policydiff normalize --explain``; see :meth:`NormalText.explain`."""
    wanted = set(steps) if steps is not None else None
    lines: list[str] = []
    for change in result.changes:
        if wanted is not None and change.step not in wanted:
            continue
        start, end = change.source_span
        lines.append(
            f"{change.step:<17} source[{start}:{end}]  "
            f"{_short_repr(change.before)} → {_short_repr(change.after)}"
        )
    if wanted is None or "detect_mojibake" in wanted:
        lines.extend(f"{'warning':<17} {w}" for w in result.warnings)
    if limit is not None and len(lines) > limit:
        left_out = len(lines) - limit
        lines = [*lines[:limit], f"… {left_out} more lines"]
    return lines


def _short_repr(s: str, width: int = 40) -> str:
    if len(s) <= width:
        return repr(s)
    return repr(s[: width - 10] + "…" + s[-8:]) + f" ({len(s)} chars)"


_NO_TEXT = "no text: the file is empty or blank; check that it is the right file"
_NOTHING_LEFT = (
    "no text left after normalization (only controls, invisible characters or page chrome); "
    "see `policydiff normalize --explain`"
)


def normalize(source: str, config: NormalizeConfig | None = None) -> NormalText:
    """Run the enabled steps over ``source`` (already decoded text) and keep the offset map.

    An empty or whitespace-only source is not an error: it gives empty text, script ``none``
    and a ``no text`` warning (an empty file is usually the wrong file, and a comparison with
    it would otherwise look like a document that shares nothing). The function is pure; the only state it touches is a cache of the conversion
    tables and the boilerplate patterns, loaded on first use.
    """
    cfg = config or NormalizeConfig()
    work = _Work(source, list(range(len(source))), list(range(1, len(source) + 1)))
    changes: list[Change] = []
    warnings: list[str] = []
    script = "none"
    for name in STEPS:
        if name == "to_simplified":
            script = detect_script(work.text)
        if not getattr(cfg, name):
            continue
        if name == "detect_mojibake":
            warnings.extend(_detect_mojibake(work, source))
            continue
        if name == "to_simplified":
            work, step_changes = _to_simplified(work, script)
        else:
            work, step_changes = _STEP_FUNCS[name](work)
        changes.extend(step_changes)
    if not work.text:
        warnings.append(_NO_TEXT if not source.strip() else _NOTHING_LEFT)
    return NormalText(
        text=work.text,
        source=source,
        starts=tuple(work.starts),
        ends=tuple(work.ends),
        script=script,
        changes=tuple(changes),
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------------------------------------
# The working text and the one place where edits are applied
# ---------------------------------------------------------------------------------------------


@dataclass
class _Work:
    """Text being normalized with its offset map (parallel lists, one entry per character)."""

    text: str
    starts: list[int]
    ends: list[int]

    def span(self, start: int, end: int) -> Span:
        return (self.starts[start], self.ends[end - 1])


_Edit = tuple[int, int, str]  # replace text[start:end] with the string; end > start always


def _apply(work: _Work, edits: Sequence[_Edit]) -> _Work:
    """Apply sorted, non-overlapping edits and compose the offset map.

    An edit of equal length maps character for character; any other edit maps each new
    character to the source span of the whole replaced range. Insertions (empty ranges) are
    refused: every normalized character must come from somewhere in the source.
    """
    if not edits:
        return work
    text, starts, ends = work.text, work.starts, work.ends
    parts: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for start, end, repl in edits:
        if not pos <= start < end:
            raise ValueError(f"bad edit {start}:{end} after {pos}")
        parts.append(text[pos:start])
        new_starts.extend(starts[pos:start])
        new_ends.extend(ends[pos:start])
        if repl:
            parts.append(repl)
            if len(repl) == end - start:
                new_starts.extend(starts[start:end])
                new_ends.extend(ends[start:end])
            else:
                new_starts.extend([starts[start]] * len(repl))
                new_ends.extend([ends[end - 1]] * len(repl))
        pos = end
    parts.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return _Work("".join(parts), new_starts, new_ends)


def _record(work: _Work, edits: Sequence[_Edit], step: str) -> list[Change]:
    """One :class:`Change` per group of touching edits (seen against ``work`` before applying)."""
    changes: list[Change] = []
    i = 0
    while i < len(edits):
        j = i + 1
        while j < len(edits) and edits[j][0] == edits[j - 1][1]:
            j += 1
        start, end = edits[i][0], edits[j - 1][1]
        after = "".join(e[2] for e in edits[i:j])
        changes.append(Change(step, work.span(start, end), work.text[start:end], after))
        i = j
    return changes


def _run(work: _Work, edits: Sequence[_Edit], step: str) -> tuple[_Work, list[Change]]:
    return _apply(work, edits), _record(work, edits, step)


# ---------------------------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------------------------

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# "Wide" characters give a Chinese context: Han, CJK and full-width punctuation, curly
# quotes, dashes, kana, private-use code points (Hong Kong texts put HKSCS characters there).
# Full-width digits and letters are not wide: fold_width turns them into ASCII.
_WIDE = (
    _HAN
    + "\u2014\u2018-\u201f\u2026\u2e80-\u2fdf\u3000-\u3006\u3008-\u303f\u3040-\u30ff"
    + "\u3100-\u312f\u3200-\u33ff\ue000-\uf8ff\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20"
    + "\uff3b-\uff40\uff5b-\uff65\uffe0-\uffee"
)
_HAN_RE = re.compile(f"[{_HAN}]")
_WIDE_RE = re.compile(f"[{_WIDE}]")
_ALNUM_RE = re.compile("[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")
_DIGIT_RE = re.compile("[0-9０-９]")

# Punctuation that fold_width folds, in both widths, and what it folds to.
_FOLD_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
# When fold_width and canonical_masks look for the character next to a punctuation mark or
# a mask, they look through whitespace, other foldable punctuation and asterisks, so that the
# answer does not change when a later step removes spaces or line breaks.
_SKIP_CLASS = r"\s,:;?!()，：；？！（）*＊"
_SKIP_RE = re.compile(f"[{_SKIP_CLASS}]")
_SKIP_RUN_RE = re.compile(f"[{_SKIP_CLASS}]+")

_TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_LETTERS = "a-zü" + _TONE_LETTERS
_TONELESS = str.maketrans(_TONE_LETTERS, "aaaaeeeeiiiioooouuuuüüüünnnm")
_SYLLABLE_RE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:a|ai|an|ang|ao|e|ei|en|eng|er|i|ia|ian|iang|iao|ie|in|ing|iong|iu|o|ong|ou|"
    r"u|ua|uai|uan|uang|ue|ui|un|uo|ü|üe|üan|ün|n|ng|m)"
)


def _is_pinyin(word: str) -> bool:
    """A single pinyin syllable written with a tone mark (``bào``, ``qū``, ``lǜ``)."""
    if not any(c in _TONE_LETTERS for c in word):
        return False
    return _SYLLABLE_RE.fullmatch(word.translate(_TONELESS)) is not None


# ---------------------------------------------------------------------------------------------
# 1. nfc
# ---------------------------------------------------------------------------------------------


def nfc(work: _Work) -> tuple[_Work, list[Change]]:
    """Unicode NFC, one edit per changed character cluster (a base and its combining marks).

    Rule: a line whose clusters do not normalize independently (rare: Hangul jamo, some
    scripts) is replaced as a whole, so its characters all map to the whole source line.
    """
    text = work.text
    if unicodedata.is_normalized("NFC", text):
        return work, []
    edits: list[_Edit] = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if unicodedata.is_normalized("NFC", line):
            continue
        target = unicodedata.normalize("NFC", line)
        clusters: list[tuple[int, int]] = []
        start = 0
        for i in range(1, len(line) + 1):
            if i == len(line) or not (
                unicodedata.combining(line[i]) or "\u1100" <= line[i] <= "\u11ff"
            ):
                clusters.append((start, i))
                start = i
        pieces = [unicodedata.normalize("NFC", line[a:b]) for a, b in clusters]
        if "".join(pieces) != target:
            edits.append((m.start(), m.end(), target))
            continue
        for (a, b), piece in zip(clusters, pieces, strict=True):
            if piece != line[a:b]:
                edits.append((m.start() + a, m.start() + b, piece))
    return _run(work, edits, "nfc")


# ---------------------------------------------------------------------------------------------
# 2. strip_invisible
# ---------------------------------------------------------------------------------------------

_LINE_END_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 except \t \n (\r \x0b \x0c are line ends by now), DEL, C1 except NEL (a line end), and
# the invisible format characters: soft hyphen, zero-width, bidi controls, BOM, tags.
_INVISIBLE = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
_SPACES = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE_RE = re.compile(
    f"(?m)^[ {_SPACES}]*[{_INVISIBLE}][ {_SPACES}{_INVISIBLE}]*(?:\n|\\Z)"
    f"|(?P<inv>[{_INVISIBLE}]+)"
    f"|(?P<sp>[{_SPACES}]+)"
)


def strip_invisible(work: _Work) -> tuple[_Work, list[Change]]:
    """Remove invisible characters, unify line ends and space characters.

    Rules: every line end becomes ``\\n``; a line holding only invisible characters (and
    spaces) disappears with its line end, so it neither splits nor separates paragraphs; other
    invisible characters are deleted; NBSP, U+3000, U+2000–U+200A, tabs and the like become one
    ASCII space each (``rejoin_lines`` later removes them at line starts and between Chinese
    characters, and needs to see indentation to do so).
    """
    edits: list[_Edit] = [(m.start(), m.end(), "\n") for m in _LINE_END_RE.finditer(work.text)]
    work, changes = _run(
        work, [e for e in edits if work.text[e[0] : e[1]] != "\n"], "strip_invisible"
    )
    edits = []
    for m in _INVISIBLE_RE.finditer(work.text):
        if m.lastgroup == "sp":
            edits.append((m.start(), m.end(), " " * (m.end() - m.start())))
        else:
            edits.append((m.start(), m.end(), ""))
    work, more = _run(work, edits, "strip_invisible")
    return work, changes + more


# ---------------------------------------------------------------------------------------------
# 3. strip_pinyin
# ---------------------------------------------------------------------------------------------

# Whitespace before an annotation goes with it: "中 (bào)" would otherwise become "中（bào）"
# and lose its space in rejoin_lines, and a second run would strip it then.
_ANNOTATION = f"\\s*[(（][{_PINYIN_LETTERS}]{{1,7}}[)）]"
_ANNOTATION_RE = re.compile(_ANNOTATION)
_PINYIN_ANNOTATIONS_RE = re.compile(f"(?<=[{_HAN}])(?:{_ANNOTATION})+")
# seeds/001: "麒麟?yún)^(qū)" where "區(" was garbled: "?", debris of another annotation, then
# the GBK trail byte of 區 (0x5E, "^") that survived with its own annotation "(qū)".
_GARBLED_ANNOTATION_RE = re.compile(
    f"\\?[{_PINYIN_LETTERS}]{{1,7}}\\)([\\x40-\\x7e])[(（]([{_PINYIN_LETTERS}]{{1,7}})[)）]"
    f"(?:{_ANNOTATION})*"
)


def _valid_annotations(text: str, start: int, end: int) -> int:
    """End of the leading run of valid pinyin annotations in ``text[start:end]``."""
    pos = start
    while pos < end:
        m = _ANNOTATION_RE.match(text, pos, end)
        if m is None or not _is_pinyin(m.group().strip()[1:-1]):
            break
        pos = m.end()
    return pos


def strip_pinyin(work: _Work) -> tuple[_Work, list[Change]]:
    """Remove pinyin annotations written after Han characters (``報(bào)告`` → ``報告``).

    Rules: only a single syllable with a tone mark, in ``()`` or ``（）``, right after a Han
    character is an annotation; ``(一)``, ``(PM2.5)``, ``(市、区)``, ``(de)`` stay.

    Repair: the pattern ``?<syllable>)X(<syllable>)`` (X one ASCII character) is what is left of
    a Traditional character whose GBK encoding ends in the byte X, when the lead byte was lost.
    It is replaced by that character only if the same document annotates, in clean form, exactly
    one character whose GBK trail byte is X and whose reading is that syllable (seeds/001:
    ``區(qū)`` appears cleanly, so ``麒麟?yún)^(qū)`` becomes ``麒麟區``). Anything less certain is
    left for ``detect_mojibake``.
    """
    text = work.text
    witnesses: dict[tuple[str, str], str | None] = {}
    edits: list[_Edit] = []
    for m in _PINYIN_ANNOTATIONS_RE.finditer(text):
        end = _valid_annotations(text, m.start(), m.end())
        if end == m.start():
            continue
        edits.append((m.start(), end, ""))
        first = _ANNOTATION_RE.match(text, m.start())
        if first is None:  # cannot happen: the run starts with a valid annotation
            continue
        han = text[m.start() - 1]
        try:
            encoded = han.encode("gbk")
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and 0x40 <= encoded[1] <= 0x7E:
            key = (chr(encoded[1]), first.group().strip()[1:-1])
            if witnesses.setdefault(key, han) != han:
                witnesses[key] = None
    for m in _GARBLED_ANNOTATION_RE.finditer(text):
        witness = witnesses.get((m.group(1), m.group(2)))
        if witness is not None and _is_pinyin(m.group(2)):
            annotated_end = m.start(2) + len(m.group(2)) + 1
            end = _valid_annotations(text, annotated_end, m.end())
            edits.append((m.start(), end, witness))
    edits.sort()
    kept: list[_Edit] = []
    for edit in edits:
        if kept and edit[0] < kept[-1][1]:
            continue
        kept.append(edit)
    return _run(work, kept, "strip_pinyin")


# ---------------------------------------------------------------------------------------------
# 4. to_simplified (and script detection)
# ---------------------------------------------------------------------------------------------

# Hong Kong texts use HK variants that hk2s folds better than t2s. Only Traditional forms
# count: Simplified reports mention 香港 too.
_HK_RE = re.compile("特區|立法會|行政長官|香港特別行政區|[羣衞綫]")
# OpenCC splits text at these before converting (copied from opencc-python-reimplemented):
# no dictionary entry spans them, so converted text splits into the same pieces.
_OPENCC_SPLIT_RE = re.compile(
    r"(\s+|-|,|\.|\?|!|\*|　|，|。|、|；|：|？|！|…|“|”|‘|’|『|』|「|」|﹁|﹂|—|－|（|）"
    r"|《|》|〈|〉|～|．|／|＼|︒|︑|︔|︓|︿|﹀|︹|︺|︙|︐|［|﹇|］|﹈|︕|︖|︰|︳|︴|︽|︾|︵|︶"
    r"|｛|︷|｝|︸|﹃|﹄|【|︻|】|︼)"
)


@dataclass(frozen=True)
class _ScriptTables:
    traditional: frozenset[str]  # characters that only t2s changes
    simplified: frozenset[str]  # characters that only s2t changes
    t2s_trigger: _Trigger  # finds anything t2s might change (characters or phrases)
    hk2s_trigger: _Trigger


def _read_opencc_dict(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("\t")
            if key:
                table[key] = value.split(" ")[0]
    return table


def _changing_chars(table: dict[str, str]) -> set[str]:
    """Characters of the keys that a conversion table actually changes."""
    chars: set[str] = set()
    for key, value in table.items():
        if key == value:
            continue
        if len(key) == len(value):
            chars.update(k for k, v in zip(key, value, strict=True) if k != v)
        else:
            chars.update(key)
    return chars


@dataclass(frozen=True)
class _Trigger:
    """Finds lines that a conversion might change: any of ``chars``, or a changing phrase
    without such a character (``瞭解`` → ``了解``: 瞭 alone is not converted), looked for only
    in lines holding one of the characters such phrases change. Sets and substring tests, not
    one big regex: a regex class of 4,000 characters is ten times slower."""

    chars: frozenset[str]
    phrase_chars: frozenset[str]
    phrases: tuple[str, ...]

    def __call__(self, line: str) -> bool:
        if not self.chars.isdisjoint(line):
            return True
        return not self.phrase_chars.isdisjoint(line) and any(p in line for p in self.phrases)


def _trigger(chars: set[str], phrases: dict[str, str]) -> _Trigger:
    extra = {k: v for k, v in phrases.items() if k != v and not any(c in chars for c in k)}
    return _Trigger(frozenset(chars), frozenset(_changing_chars(extra)), tuple(sorted(extra)))


@lru_cache(maxsize=1)
def _script_tables() -> _ScriptTables:
    import opencc

    folder = Path(opencc.__file__).resolve().parent / "dictionary"
    ts_chars = _read_opencc_dict(folder / "TSCharacters.txt")
    st_chars = _read_opencc_dict(folder / "STCharacters.txt")
    ts_phrases = _read_opencc_dict(folder / "TSPhrases.txt")
    hk_chars = _read_opencc_dict(folder / "HKVariantsRev.txt")
    hk_phrases = _read_opencc_dict(folder / "HKVariantsRevPhrases.txt")
    t_only = {k for k, v in ts_chars.items() if len(k) == 1 and v != k}
    s_only = {k for k, v in st_chars.items() if len(k) == 1 and v != k}
    both = t_only & s_only
    t2s = _changing_chars(ts_chars)
    hk = t2s | _changing_chars(hk_chars)
    return _ScriptTables(
        traditional=frozenset(t_only - both),
        simplified=frozenset(s_only - both),
        t2s_trigger=_trigger(t2s, ts_phrases),
        hk2s_trigger=_trigger(hk, {**ts_phrases, **hk_phrases}),
    )


@dataclass(frozen=True)
class _PhraseTable:
    table: dict[str, str]
    first_chars: frozenset[str]
    lengths: tuple[int, ...]  # key lengths, longest first


class _Converter:
    """OpenCC's conversion (opencc-python-reimplemented 0.1.7, same dictionaries and chain),
    made fast for long documents.

    OpenCC splits text at separators, then for each dictionary group replaces the longest
    phrase found anywhere in a piece (leftmost among equals), recurses on what is left and
    maps single characters in the remainder. Here a piece without any phrase-initial character
    skips straight to ``str.translate``, which is where almost all the time went. Rule: the
    output equals ``OpenCC(conversion).convert`` (tested on the seeds and the Hong Kong texts);
    only pieces longer than 1,000 characters without a separator are matched in 1,000-character
    chunks, so a phrase across a chunk border is converted character by character.
    """

    CHUNK = 1000

    def __init__(self, conversion: str) -> None:
        import opencc

        folder = Path(opencc.__file__).resolve().parent
        config = json.loads((folder / "config" / f"{conversion}.json").read_text("utf-8"))
        self.stages: list[tuple[list[_PhraseTable], dict[int, str]]] = []
        for link in config["conversion_chain"]:
            spec = link["dict"]
            files = (
                [d["file"] for d in spec["dicts"]] if spec["type"] == "group" else [spec["file"]]
            )
            phrases: list[_PhraseTable] = []
            chars: dict[int, str] = {}
            for name in files:
                table = _read_opencc_dict(folder / "dictionary" / name)
                if all(len(k) == 1 for k in table):
                    for key, value in table.items():
                        chars.setdefault(ord(key), value)
                    continue
                if chars:
                    raise ValueError(f"{conversion}: phrase table after a character table")
                lengths = tuple(sorted({len(k) for k in table}, reverse=True))
                phrases.append(_PhraseTable(table, frozenset(k[0] for k in table), lengths))
            if any(_OPENCC_SPLIT_RE.fullmatch(chr(k)) for k in chars):
                raise ValueError(f"{conversion}: a separator is in a character table")
            self.stages.append((phrases, chars))

    def convert(self, text: str) -> str:
        for phrases, chars in self.stages:
            if all(table.first_chars.isdisjoint(text) for table in phrases):
                text = text.translate(chars)  # no separator is in a character table
                continue
            parts = _OPENCC_SPLIT_RE.split(text)
            for i in range(0, len(parts), 2):
                parts[i] = self._stage(parts[i], phrases, chars)
            text = "".join(parts)
        return text

    def _stage(self, piece: str, phrases: list[_PhraseTable], chars: dict[int, str]) -> str:
        if all(table.first_chars.isdisjoint(piece) for table in phrases):
            return piece.translate(chars)
        todo = [piece[i : i + self.CHUNK] for i in range(0, len(piece), self.CHUNK)]
        pieces: list[tuple[str, bool]] = [(p, False) for p in todo]
        for table in phrases:
            matched: list[tuple[str, bool]] = []
            for text, done in pieces:
                if done or table.first_chars.isdisjoint(text):
                    matched.append((text, done))
                else:
                    matched.extend(_match_phrases(text, table))
            pieces = matched
        return "".join(text if done else text.translate(chars) for text, done in pieces)


def _match_phrases(text: str, table: _PhraseTable) -> list[tuple[str, bool]]:
    """OpenCC's phrase matching: the longest phrase anywhere (leftmost among equals) first,
    then the same on the text to its left and right. Iterative, so long pieces cannot
    overflow the stack. Returns (text, converted) pieces in order."""
    out: list[tuple[str, bool]] = []
    stack: list[tuple[str, bool]] = [(text, False)]
    while stack:
        rest, done = stack.pop()
        if done or not rest:
            if rest:
                out.append((rest, done))
            continue
        found: tuple[int, int] | None = None  # (-length, start): longest, then leftmost
        for i, char in enumerate(rest):
            if char not in table.first_chars:
                continue
            for length in table.lengths:
                if found is not None and -length > found[0]:
                    break
                if i + length <= len(rest) and rest[i : i + length] in table.table:
                    if found is None or (-length, i) < found:
                        found = (-length, i)
                    break
        if found is None:
            out.append((rest, False))
            continue
        length, i = -found[0], found[1]
        # pushed right first so that the left part comes out first
        stack.append((rest[i + length :], False))
        stack.append((table.table[rest[i : i + length]], True))
        stack.append((rest[:i], False))
    return out


@lru_cache(maxsize=2)
def _converter(conversion: str) -> _Converter:
    return _Converter(conversion)


def detect_script(text: str) -> str:
    """``hans``, ``hant``, ``mixed`` or ``none`` for a text.

    Counts the characters that OpenCC's character tables change only under ``t2s``
    (Traditional-only) and only under ``s2t`` (Simplified-only). Rules: no Han character →
    ``none``; Traditional-only characters under 1 % of the distinguishing ones → ``hans`` (a
    stray 於 in a name does not make a document Traditional); 90 % or more → ``hant``; anything
    in between → ``mixed``. A Han text without any distinguishing character is ``hans``.
    """
    if not _HAN_RE.search(text):
        return "none"
    tables = _script_tables()
    counts = Counter(text)
    trad = sum(n for c, n in counts.items() if c in tables.traditional)
    simp = sum(n for c, n in counts.items() if c in tables.simplified)
    if trad + simp == 0:
        return "hans"
    share = trad / (trad + simp)
    if share < 0.01:
        return "hans"
    if share >= 0.9:
        return "hant"
    return "mixed"


def _to_simplified(work: _Work, script: str) -> tuple[_Work, list[Change]]:
    """Convert Traditional to Simplified, keeping the offset map exact.

    Rules: runs only for ``hant`` and ``mixed`` documents; converts line by line and skips lines
    without any character OpenCC could change. A converted piece of equal length maps character
    for character; a phrase whose length changes maps to the span of the source phrase.
    """
    if script not in ("hant", "mixed"):
        return work, []
    text = work.text
    hk = _HK_RE.search(text) is not None
    tables = _script_tables()
    trigger = tables.hk2s_trigger if hk else tables.t2s_trigger
    convert = _converter("hk2s" if hk else "t2s").convert
    edits: list[_Edit] = []  # what is applied
    reported: list[_Edit] = []  # what is reported: the changed runs
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if not trigger(line):
            continue
        converted = convert(line)
        if converted == line:
            continue
        runs = _conversion_edits(line, converted, m.start())
        reported.extend(runs)
        if len(converted) == len(line):  # one edit maps the whole line char for char
            edits.append((m.start(), m.end(), converted))
        else:
            edits.extend(runs)
    return _apply(work, edits), _record(work, reported, "to_simplified")


def _conversion_edits(old: str, new: str, offset: int) -> list[_Edit]:
    if len(old) == len(new):
        return _diff_runs(old, new, offset)
    old_parts = _OPENCC_SPLIT_RE.split(old)
    new_parts = _OPENCC_SPLIT_RE.split(new)
    if len(old_parts) != len(new_parts):
        return _trimmed_edit(old, new, offset)
    edits: list[_Edit] = []
    pos = offset
    for a, b in zip(old_parts, new_parts, strict=True):
        if a != b:
            edits.extend(_diff_runs(a, b, pos) if len(a) == len(b) else _trimmed_edit(a, b, pos))
        pos += len(a)
    return edits


def _diff_runs(old: str, new: str, offset: int) -> list[_Edit]:
    edits: list[_Edit] = []
    i, n = 0, len(old)
    while i < n:
        if old[i] == new[i]:
            i += 1
            continue
        j = i + 1
        while j < n and old[j] != new[j]:
            j += 1
        edits.append((offset + i, offset + j, new[i:j]))
        i = j
    return edits


def _trimmed_edit(old: str, new: str, offset: int) -> list[_Edit]:
    """One edit for the part between the common prefix and the common suffix."""
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p]:
        p += 1
    s = 0
    while s < min(len(old), len(new)) - p and old[-1 - s] == new[-1 - s]:
        s += 1
    if p == len(old) - s:  # pure insertion: widen to one neighbouring source character
        if p > 0:
            p -= 1
        else:
            s -= 1
    return [(offset + p, offset + len(old) - s, new[p : len(new) - s])]


# ---------------------------------------------------------------------------------------------
# Shared by fold_width and canonical_masks: masks made of x and the context of a position
# ---------------------------------------------------------------------------------------------

# A single upper-case X is a name, not a mask: "香港X科技创业平台", "“1+N+X”规划体系".
_X_RUN_RE = re.compile(r"[xXｘＸ]{2,}(?:[.．][xXｘＸ]+)*|[xｘ](?:[.．][xXｘＸ]+)*")
# When judging an x-run, look through punctuation and the units and joiners of a masked
# number: "增长x%、xx%", "“x+x+x”", "收回x#、x#地块", "以“xx”经济走廊".
_X_SKIP_RE = re.compile(f"[{_SKIP_CLASS}%#+、。“”‘’《》「」【】〈〉…—/～~·\\-]")
_TIMES_RUN_RE = re.compile("×{2,}")
_CIRCLE_RUN_RE = re.compile("○{2,}")
_NUMERAL_CHARS = set("0123456789〇○零一二三四五六七八九十百千万两年")


def _outer(
    text: str, pos: int, direction: int, opaque: _Runs, skip: re.Pattern[str] = _SKIP_RE
) -> str:
    """The first character before ``pos`` (direction -1) or at/after ``pos`` (+1) that is not
    whitespace, foldable punctuation, an asterisk or inside an ``opaque`` run; ``""`` at an end.

    ``opaque`` holds mask runs that are looked through as a whole.
    """
    n = len(text)
    while True:
        if direction < 0:
            j = pos - 1
            while j >= 0 and skip.match(text, j):
                j -= 1
            if j < 0:
                return ""
            if j + 1 in opaque.back:
                pos = opaque.back[j + 1]
                continue
            return text[j]
        j = pos
        while j < n and skip.match(text, j):
            j += 1
        if j >= n:
            return ""
        if j in opaque.fwd:
            pos = opaque.fwd[j]
            continue
        return text[j]


@dataclass
class _Runs:
    """Mask runs: ``fwd`` maps each start to its end, ``back`` each end to its start (two maps,
    because one run can end where the next begins: ``xx××``)."""

    fwd: dict[int, int]
    back: dict[int, int]

    def add(self, start: int, end: int) -> None:
        self.fwd[start] = end
        self.back[end] = start

    def copy(self) -> _Runs:
        return _Runs(dict(self.fwd), dict(self.back))


def _mask_runs(text: str) -> _Runs:
    """Masks other than asterisk runs.

    Rules:
    - two or more ``×`` (U+00D7); a single ``×`` is multiplication (``7×24小时``);
    - two or more ``○`` (U+25CB) unless next to a numeral (``二○○○年`` is a year);
      ``〇`` (U+3007) is the numeral zero and is never a mask;
    - x-runs (``x``, ``xx``, ``XX``, ``ｘｘ``, ``xx.xx``, ``x.x``; a single upper-case ``X`` is a
      name as in ``1+N+X``, never a mask) that touch no ASCII letter or
      digit, with a Han character as the nearest real character on either side of their
      cluster (masks and x-runs separated only by spaces, punctuation, asterisks, ``%``, ``#``
      or ``+``, such as ``xx、xx市`` or ``增长x%、xx%``): ``xx市``, ``第x名``, ``x+x专项行动``
      are masks; ``xxx-large``, ``0xFF``, ``x86``, ``xA级``, ``3 x 4`` and ``the xx band``
      are not.
    Fold_width looks through these runs (and asterisks) when it judges the context of a
    punctuation mark, so its answer is the same before and after the masks are replaced.
    """
    opaque = _Runs({}, {})
    for m in _TIMES_RUN_RE.finditer(text):
        opaque.add(m.start(), m.end())
    for m in _CIRCLE_RUN_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before not in _NUMERAL_CHARS and after not in _NUMERAL_CHARS:
            opaque.add(m.start(), m.end())
    runs: list[tuple[int, int]] = []
    for m in _X_RUN_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if (before and _ALNUM_RE.match(before)) or (after and _ALNUM_RE.match(after)):
            continue
        runs.append((m.start(), m.end()))
    symbols = opaque.copy()
    i = 0
    while i < len(runs):
        j = i + 1
        while j < len(runs) and _only_skippable(text, runs[j - 1][1], runs[j][0], symbols):
            j += 1
        left = _outer(text, runs[i][0], -1, symbols, _X_SKIP_RE)
        right = _outer(text, runs[j - 1][1], 1, symbols, _X_SKIP_RE)
        if (left and _HAN_RE.match(left)) or (right and _HAN_RE.match(right)):
            for start, end in runs[i:j]:
                opaque.add(start, end)
        i = j
    return opaque


def _only_skippable(text: str, start: int, end: int, opaque: _Runs) -> bool:
    pos = start
    while pos < end:
        if _X_SKIP_RE.match(text, pos):
            pos += 1
        elif pos in opaque.fwd:
            pos = opaque.fwd[pos]
        else:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# 5. fold_width
# ---------------------------------------------------------------------------------------------

_FULLWIDTH_ALNUM_RE = re.compile("[０-９Ａ-Ｚａ-ｚ]+")
# Spaces inside a number go with the folded sign: "8 ．8 ％" (national-1998) → "8.8%".
_PERCENT_RE = re.compile("(?<=[0-9０-９])[^\\S\n]*％|％")
_DECIMAL_POINT_RE = re.compile("(?<=[0-9０-９])[^\\S\n]*．[^\\S\n]*(?=[0-9０-９])")
_ASCII_FOLDABLE_RE = re.compile("[,:;?!()]")
_CLAUSE_END_AFTER = set("”’」』）)】》\"'")


def fold_width(work: _Work) -> tuple[_Work, list[Change]]:
    """Fold widths so that the same report typed two ways compares equal.

    Rules:
    - full-width digits and Latin letters become ASCII; ``％`` becomes ``%``; ``．`` between two
      digits becomes ``.``; spaces between a digit and these signs go with them
      (``8 ．8 ％`` → ``8.8%``);
    - ASCII ``, : ; ( ) ? !`` become ``，：；（）？！`` when the nearest real character on
      either side is Chinese (Han or CJK punctuation), looking through spaces, line breaks,
      other such punctuation and masks; ``,`` and ``:`` between two digits stay (``1,200``,
      ``10:30``); ``?`` and ``!`` fold only at the end of a clause (followed by a space, a line
      end, a closing quote or bracket, or nothing): an ASCII ``?`` directly followed by a
      character is a lost character in garbled text (``麒麟?yún``) and must stay visible;
    - brackets are paired (across lines); when one of a pair is or becomes full-width, so does
      the other: ``(一)`` → ``（一）``, ``(来源：中国政府网）`` → ``（来源：中国政府网）``.
    English in English context (``Hong Kong (HK), 2017``) is left alone.
    """
    text = work.text
    n = len(text)
    edits: dict[int, _Edit] = {}
    for m in _FULLWIDTH_ALNUM_RE.finditer(text):
        folded = "".join(chr(ord(c) - 0xFEE0) for c in m.group())
        edits[m.start()] = (m.start(), m.end(), folded)
    for m in _PERCENT_RE.finditer(text):
        edits[m.start()] = (m.start(), m.end(), "%")
    for m in _DECIMAL_POINT_RE.finditer(text):
        edits[m.start()] = (m.start(), m.end(), ".")

    opaque = _mask_runs(text)
    wide: set[int] = set()  # positions of ASCII punctuation that fold
    for m in _SKIP_RUN_RE.finditer(text):
        if not _ASCII_FOLDABLE_RE.search(text, m.start(), m.end()):
            continue
        left = _outer(text, m.start(), -1, opaque)
        right = _outer(text, m.end(), 1, opaque)
        if not ((left and _WIDE_RE.match(left)) or (right and _WIDE_RE.match(right))):
            continue
        for i in range(m.start(), m.end()):
            c = text[i]
            if (
                c in ",:"
                and 0 < i < n - 1
                and _DIGIT_RE.match(text, i - 1)
                and _DIGIT_RE.match(text, i + 1)
            ):
                continue
            if (
                c in "?!"
                and i + 1 < n
                and not (text[i + 1].isspace() or text[i + 1] in _CLAUSE_END_AFTER)
            ):
                continue
            if c in ",:;?!()":
                wide.add(i)

    stack: list[int] = []
    for m in re.finditer("[()（）]", text):
        i = m.start()
        if text[i] in "(（":
            stack.append(i)
        elif stack:
            o = stack.pop()
            if o in wide or i in wide or text[o] == "（" or text[i] == "）":
                for k in (o, i):
                    if text[k] in "()":
                        wide.add(k)
    for i in wide:
        edits[i] = (i, i + 1, _FOLD_PUNCT[text[i]])
    return _run(work, [edits[k] for k in sorted(edits)], "fold_width")


# ---------------------------------------------------------------------------------------------
# 6. canonical_masks
# ---------------------------------------------------------------------------------------------

_ASTERISK_RUN_RE = re.compile(r"[*＊]+")


def canonical_masks(work: _Work) -> tuple[_Work, list[Change]]:
    """Replace every masked name or number by the single token :data:`MASK` (``＊``).

    Rules:
    - a run of ``*``/``＊`` is a mask unless the nearest non-space character on both sides is
      an ASCII letter or digit (or the text ends): ``**区``, ``第*名``, ``*%`` are masks,
      ``2*3`` and ``a * b`` are not;
    - ``××``, ``○○`` and x-runs as in :func:`_mask_runs` (``xx市``, ``XX``, ``ｘｘ``);
    - ``某某`` is an ordinary word and is not treated as a mask;
    - neighbouring masks, and masks joined by ``.`` (``***.**``), merge into one ``＊``.
    """
    text = work.text
    opaque = _mask_runs(text)
    pieces: list[tuple[int, int]] = list(opaque.fwd.items())
    for m in _ASTERISK_RUN_RE.finditer(text):
        if _ascii_side(text, m.start(), -1, opaque) and _ascii_side(text, m.end(), 1, opaque):
            continue
        pieces.append(m.span())
    pieces.sort()
    merged: list[list[int]] = []
    for start, end in pieces:
        if merged and (
            start <= merged[-1][1] or (start == merged[-1][1] + 1 and text[merged[-1][1]] in ".．")
        ):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    edits = [(s, e, MASK) for s, e in merged if text[s:e] != MASK]
    return _run(work, edits, "canonical_masks")


def _ascii_side(text: str, pos: int, direction: int, opaque: _Runs) -> bool:
    """True when the nearest non-space character on that side is an ASCII letter or digit
    (not part of a masked x-run) or there is none."""
    if direction < 0:
        j = pos - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        if j < 0:
            return True
        return bool(_ALNUM_RE.match(text, j)) and j + 1 not in opaque.back
    j = pos
    while j < len(text) and text[j].isspace():
        j += 1
    if j >= len(text):
        return True
    return bool(_ALNUM_RE.match(text, j)) and j not in opaque.fwd


# ---------------------------------------------------------------------------------------------
# 7. strip_boilerplate
# ---------------------------------------------------------------------------------------------

_BODY_LINE_RE = re.compile(r"[^\S\n]*(?:各位代表|同志们|各位委员|主席|女士们|尊敬的)")
_HEAD_MAX_LINES = 40


@dataclass(frozen=True)
class _Boilerplate:
    line: tuple[re.Pattern[str], ...]
    head: tuple[re.Pattern[str], ...]
    lead: tuple[re.Pattern[str], ...]
    tail: tuple[re.Pattern[str], ...]


def load_boilerplate(path: Path = BOILERPLATE_FILE) -> _Boilerplate:
    """Read the pattern file (format documented at its top). A bad line raises ``ValueError``
    naming the line, because a silently skipped pattern would leave chrome in every report."""
    kinds: dict[str, list[re.Pattern[str]]] = {"line": [], "head": [], "lead": [], "tail": []}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, regex = line.partition(" ")
        regex = regex.strip()
        if kind not in kinds or not regex:
            raise ValueError(f"{path}:{number}: expected 'KIND REGEX', got {raw!r}")
        try:
            if kind == "lead":
                pattern = re.compile(f"(?m)^[^\\S\n]*(?:{regex})")
            else:
                pattern = re.compile(f"(?m)^[^\\S\n]*(?:{regex})[^\\S\n]*$")
        except re.error as exc:
            raise ValueError(f"{path}:{number}: bad regex {regex!r}: {exc}") from exc
        kinds[kind].append(pattern)
    return _Boilerplate(*(tuple(kinds[k]) for k in ("line", "head", "lead", "tail")))


@lru_cache(maxsize=1)
def _boilerplate() -> _Boilerplate:
    return load_boilerplate()


def strip_boilerplate(work: _Work) -> tuple[_Work, list[Change]]:
    """Remove web chrome and licence trailers listed in ``data/boilerplate.txt``.

    Rules: ``line`` patterns remove whole lines anywhere; ``head`` patterns only before the first
    body line (see the data file); ``lead`` patterns remove text at the start of a head line or
    of the first body line; the first ``tail`` match in the last 15 % (at least the last 5,000
    characters) removes its line and everything after it. Each removal is one change.
    """
    text = work.text
    patterns = _boilerplate()
    ranges: list[tuple[int, int]] = []

    tail_from = len(text) - max(5000, len(text) * 15 // 100)
    tail_start = len(text)
    for pattern in patterns.tail:
        for m in pattern.finditer(text, max(0, tail_from)):
            tail_start = min(tail_start, m.start())
            break
    if tail_start < len(text):
        ranges.append((tail_start, len(text)))

    head_end, body_end = _head_region(text)
    for pattern in patterns.line:
        ranges.extend(_whole_lines(text, m.start(), m.end()) for m in pattern.finditer(text))
    for pattern in patterns.head:
        ranges.extend(
            _whole_lines(text, m.start(), m.end()) for m in pattern.finditer(text, 0, head_end)
        )
    for pattern in patterns.lead:
        for m in pattern.finditer(text, 0, body_end):
            if m.end() > m.start():
                ranges.append(m.span())

    ranges.sort()
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif end > start:
            merged.append([start, end])
    return _run(work, [(s, e, "") for s, e in merged], "strip_boilerplate")


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """The matched lines plus their line end."""
    if end < len(text) and text[end] == "\n":
        end += 1
    return (start, end)


def _head_region(text: str) -> tuple[int, int]:
    """(end of the head, end of the first body line) as text positions.

    The head is every line before the first body line: the first salutation (各位代表, 同志们,
    …) or, when there is none, the first line of 50+ characters containing ，or 。 (a photo
    caption before the salutation is long too, so the salutation wins). Only the first 40 lines
    are searched; with no body line among them the head is empty (nothing is removed as head
    chrome).
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    while len(lines) < _HEAD_MAX_LINES and pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        lines.append((pos, end))
        pos = end + 1
    for start, end in lines:
        if _BODY_LINE_RE.match(text, start, end):
            return start, end
    for start, end in lines:
        stripped = text[start:end].strip()
        if len(stripped) >= 50 and ("，" in stripped or "。" in stripped or "," in stripped):
            return start, end
    return 0, 0


# ---------------------------------------------------------------------------------------------
# 8. rejoin_lines
# ---------------------------------------------------------------------------------------------

_HEADING_RE = re.compile(
    r"(?:[一二三四五六七八九十百零〇]+[、.．]"
    r"|[（(][一二三四五六七八九十百零〇\d]{1,3}[)）]"
    r"|第[一二三四五六七八九十百零〇\d]+[章节部分篇条，、,]"
    r"|[一二三四五六七八九十]+是"
    r"|\d{1,2}[.．、](?!\d)"
    r"|[—―]"
    r"|附件|附录|名词解释|［\d+］)"
)
_LINE_OPENS_WITH_CLOSER = set("）)」』】》〉”’，、。；：？！,;:?!")
_SENTENCE_END = set("。！？；：…!?;:.")
_TRAILING_CLOSERS = "”’」』）)》】\"' "
_DIGIT_FRAGMENT_RE = re.compile(r"[0-9.%]{1,8}")
_HAN_WORD_RE = re.compile(f"[{_HAN}]+")
_OFFICE_RE = re.compile(f"[{_HAN}]{{0,12}}(?:总理|省长|市长|区长|县长|主席|书记|委员长|行政长官)")
_DATELINE_RE = re.compile("[—―]{1,2}[^，。；！？\n]{0,40}年[^，。；！？\n]*")
_SHORT_FRAGMENT = 20
_FULL_LINE = 20
_PAIRS = (("“", "”"), ("（", "）"), ("《", "》"), ("「", "」"), ("『", "』"), ("【", "】"))
_OPEN_ENDINGS = set("，、“‘（《「『【(的")  # a line ending so has not ended its sentence
_NO_SPACE_NEIGHBOUR = MASK  # spaces next to a mask stay: "＊ ＊" must not become "＊＊"


def _ends_sentence(line: str) -> bool:
    """The line ends a sentence, or is a bracketed aside such as ``（有议员击桌和拍掌）``."""
    if line[:1] in "（(" and line[-1:] in "）)":
        return True
    stripped = line.rstrip(_TRAILING_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def _is_heading(line: str, *, dash: bool = True) -> bool:
    """Does the line start with a heading marker? ``dash=False`` does not count ``——``
    bullets, which are paragraphs rather than stand-alone headings."""
    m = _HEADING_RE.match(line)
    return m is not None and (dash or m.group()[0] not in "—―")


def _complete_dateline(line: str) -> bool:
    return _DATELINE_RE.fullmatch(line) is not None and line.rstrip("）)").endswith("上")


def _unclosed(line: str) -> bool:
    """A quote or bracket opened in the last 200 characters is still open at the end (the
    window keeps long joined paragraphs linear)."""
    tail = line[-200:]
    return any(tail.rfind(o) > tail.rfind(c) for o, c in _PAIRS)


def _joins_by_content(prev: str, line: str) -> bool:
    """Join rules that look only at the text (so they hold again on normalized output).

    Each rule is written so that if it is false for a line, it stays false when more text is
    appended to that line: that is what makes the step idempotent.
    """
    if line[0] in _LINE_OPENS_WITH_CLOSER:  # "）浓度…", "。", "》第五条…"
        return True
    if prev[-1] in _OPEN_ENDINGS and not _is_heading(line):  # "…所作的" + "政府工作报告"
        return True
    if _unclosed(prev) and not _ends_sentence(prev) and not _is_heading(line):
        return True  # "成果找市场“双向" + "揭榜"
    if _DIGIT_FRAGMENT_RE.fullmatch(line) and (  # "细颗粒物（PM" + "2.5"
        prev[-1] in "（(" or (prev[-1].isascii() and prev[-1].isalpha())
    ):
        return True
    if _HAN_WORD_RE.fullmatch(line) and (
        (
            len(line) <= 2 and len(prev) <= 20 and (prev + line).endswith("报告")
        )  # "政府工作报" + "告"
        or (len(line) <= 3 and _OFFICE_RE.fullmatch(prev))  # "国务院总理" + "李强"
    ):
        return True
    # "——2026年1月26日在广东省第十四届" + "人民代表大会第五次会议上"
    return (
        _DATELINE_RE.fullmatch(prev) is not None
        and len(prev) <= 40
        and not _complete_dateline(prev)
        and len(line) <= 20
        and re.fullmatch(f"[{_HAN}0-9]+", line) is not None
    )


def _joins_in_blank_line_layout(prev: str, line: str) -> bool:
    """In a document whose paragraphs are separated by blank lines, two lines with no blank
    line between them are pieces of one paragraph (Wikisource splits at every link), except
    that a heading line starts a new paragraph, a finished heading (``（一）…。``, ``一是…。``)
    or a dateline keeps its own line, and after a finished sentence only a short fragment
    (``城市轨道交通``) joins."""
    if _is_heading(line) or _complete_dateline(prev):
        return False
    if _ends_sentence(prev):
        return not _is_heading(prev, dash=False) and len(line) <= _SHORT_FRAGMENT
    return True


def _joins_in_indented_layout(prev: str, line: str, last_line: str) -> bool:
    """In a document whose paragraphs start indented, an unindented line after a full-width
    line (20+ characters) of a paragraph that has not ended is the rest of that paragraph (PDF
    line wrapping in the Hong Kong texts). Headings, titles and stage directions are short
    lines and are never continued this way."""
    if len(last_line) < _FULL_LINE or _complete_dateline(prev):
        return False
    return not (_ends_sentence(prev) or _is_heading(line))


_LETTER_RE = re.compile("[A-Za-zＡ-Ｚａ-ｚ]")
_MASK_LIKE = (MASK, "×", "○")


def _join_separator(text: str, gap_start: int, gap_end: int) -> str:
    """What the line break becomes when two lines join: a space between two words
    (``Hong`` + ``Kong``) and between two masks or mask characters (``＊ ＊`` must not become
    ``＊＊``, nor ``×`` + ``×`` become ``××``, which canonical_masks would treat differently on
    a second run), else nothing."""
    left, right = text[gap_start - 1], text[gap_end]
    if _LETTER_RE.match(left) and _LETTER_RE.match(right):
        return " "
    return " " if left == right and left in _MASK_LIKE else ""


def _drop_space(left: str, right: str) -> bool:
    """Spaces between two Chinese characters (or a Chinese character and a digit) go."""
    lw = bool(_WIDE_RE.match(left)) and left != _NO_SPACE_NEIGHBOUR
    rw = bool(_WIDE_RE.match(right)) and right != _NO_SPACE_NEIGHBOUR
    return (
        (lw and rw)
        or (lw and right.isdigit() and right.isascii())
        or (rw and left.isdigit() and left.isascii())
    )


def rejoin_lines(work: _Work) -> tuple[_Work, list[Change]]:
    """Re-join fragments and settle the layout: one paragraph per line.

    Rules:
    - blank lines, indentation and trailing spaces go; paragraphs are separated by exactly one
      ``\\n`` and the text has no leading or trailing whitespace;
    - inside a line, spaces between two Chinese characters, or a Chinese character and a digit,
      go (``政 府 工 作 报 告``, ``李　强``, ``省长 王予波``, ``（一） 引言``); other runs of
      spaces become one space;
    - a line joins the previous paragraph when it starts with closing punctuation, follows a
      line ending in ``，、“（《`` or ``的`` or leaving a quote or bracket open (a sentence
      cannot end there), is a digit
      fragment after ``PM``/``M``/``（``, completes a split title (``政府工作报`` + ``告``), puts a
      name after an office (``国务院总理`` + ``李强``) or completes a broken dateline (see
      :func:`_joins_by_content`);
    - layout signals, used only when the document shows them: blank-line separated paragraphs
      (then consecutive lines are fragments) and indented paragraphs (then an unindented line
      after a full-width line continues an unfinished paragraph);
    - headings (``一、``, ``（一）``, ``一是``, ``1.``, ``——``, ``第一，``) start their own line.
    Two joined words, or two masks, keep one space between them (the line break becomes a
    space).
    """
    text = work.text
    lines: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(_Line.read(text, pos, pos + len(raw)))
        pos += len(raw) + 1
    filled = [ln for ln in lines if not ln.blank]
    if not filled:
        everything = [(0, len(text), "")] if text else []
        return _apply(work, everything), _record(work, everything, "rejoin_lines")

    gaps_with_blank = sum(
        1 for a, b in itertools.pairwise(filled) if text.count("\n", a.end, b.start) > 1
    )
    blank_layout = len(filled) > 4 and gaps_with_blank >= 0.4 * (len(filled) - 1)
    indented = sum(ln.indented for ln in filled)
    indented_layout = indented >= 5 and indented >= 0.1 * len(filled)

    edits: list[_Edit] = []
    changes: list[Change] = []
    paragraph = filled[0].clean
    for prev, line in itertools.pairwise(filled):
        gap_start, gap_end = prev.end, line.start
        consecutive = text.count("\n", gap_start, gap_end) == 1
        join = (
            _joins_by_content(paragraph, line.clean)
            or (blank_layout and consecutive and _joins_in_blank_line_layout(paragraph, line.clean))
            or (
                indented_layout
                and not line.indented
                and _joins_in_indented_layout(paragraph, line.clean, prev.clean)
            )
        )
        first_nl = text.index("\n", gap_start)
        gap_edits: list[_Edit] = []
        if gap_start < first_nl:
            gap_edits.append((gap_start, first_nl, ""))
        if join:
            separator = _join_separator(text, gap_start, gap_end)
            paragraph += separator + line.clean
            gap_edits.append((first_nl, first_nl + 1, separator))
        else:
            paragraph = line.clean
        if first_nl + 1 < gap_end:
            gap_edits.append((first_nl + 1, gap_end, ""))
        if gap_edits:
            edits.extend(gap_edits)
            after = "".join(e[2] for e in gap_edits) if join else "\n"
            changes.append(
                Change(
                    "rejoin_lines", work.span(gap_start, gap_end), text[gap_start:gap_end], after
                )
            )
    for ln in filled:
        if ln.inner_edits:
            edits.extend(ln.inner_edits)
            changes.extend(_record(work, ln.inner_edits, "rejoin_lines"))
    ends = [(0, filled[0].start, ""), (filled[-1].end, len(text), "")]
    ends = [e for e in ends if e[1] > e[0]]
    edits.extend(ends)
    changes.extend(_record(work, ends, "rejoin_lines"))
    edits.sort()
    changes.sort(key=lambda c: c.source_span)
    return _apply(work, edits), changes


_WHITESPACE_RE = re.compile(r"\s+")


@dataclass
class _Line:
    """One line: its content bounds, whether it was indented, its cleaned content."""

    start: int  # first non-space character
    end: int  # after the last non-space character
    blank: bool
    indented: bool
    clean: str
    inner_edits: list[_Edit]

    @classmethod
    def read(cls, text: str, line_start: int, line_end: int) -> _Line:
        raw = text[line_start:line_end]
        stripped = raw.lstrip()
        start = line_start + len(raw) - len(stripped)
        end = line_start + len(raw.rstrip())
        if start >= end:
            return cls(line_start, line_start, True, False, "", [])
        inner: list[_Edit] = []
        pieces: list[str] = []
        pos = start
        for m in _WHITESPACE_RE.finditer(text, start, end):
            a, b = m.start(), m.end()
            pieces.append(text[pos:a])
            if _drop_space(text[a - 1], text[b]):
                inner.append((a, b, ""))
            else:
                pieces.append(" ")
                if text[a] != " ":
                    inner.append((a, a + 1, " "))
                if b - a > 1:
                    inner.append((a + 1, b, ""))
            pos = b
        pieces.append(text[pos:end])
        return cls(start, end, False, start > line_start, "".join(pieces), inner)


# ---------------------------------------------------------------------------------------------
# 9. detect_mojibake
# ---------------------------------------------------------------------------------------------

_SUSPECT_RES = (
    re.compile("\ufffd+"),  # decoding already failed
    re.compile("(?:锟斤拷)+|烫{3,}|屯{3,}"),  # classic UTF-8/GBK debris
    re.compile(f"(?<=[{_HAN}])\\?(?![\\s”’」』）)】》\"']|$)"),  # a lost character: 麒麟?yún
    # pinyin letters with tone marks outside a clean annotation: "?zhí)", "L(fēng)", "。ǘ┬"
    re.compile(f"[a-zü]*[{_TONE_LETTERS}][a-zü{_TONE_LETTERS}]*(?=[)）])"),
    re.compile(f"(?<=[^\\x00-\\x7f])[a-zü]*[{_TONE_LETTERS}]"),
    re.compile(f"[{_TONE_LETTERS}][a-zü{_TONE_LETTERS}]*(?=[^\\x00-\\x7f])"),
)
# Three or more UTF-8 encoded CJK characters hidden in GBK bytes: UTF-8 text read as GBK.
# On the corpus and the seeds this has no false positive.
_UTF8_IN_GBK_RE = re.compile(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){3,}")
_PUA_RE = re.compile("[\ue000-\uf8ff]")


def _detect_mojibake(work: _Work, source: str) -> list[str]:
    """Warnings for suspect garbled spans; the text is not changed.

    Signals: U+FFFD runs; 锟斤拷/烫烫烫; an ASCII ``?`` right after a Han character that does not
    end a clause; pinyin letters with tone marks outside a clean annotation; UTF-8 read as GBK
    (three or more characters whose GBK bytes are valid UTF-8 CJK). Hits closer than 8
    characters merge into one span; at most 10 spans are listed, then a count. Private-use code
    points (unmapped Hong Kong characters) get one summary line.
    """
    text = work.text
    hits: list[tuple[int, int]] = []
    for regex in _SUSPECT_RES:
        hits.extend(m.span() for m in regex.finditer(text) if m.end() > m.start())
    hits.extend(_utf8_in_gbk(text))
    warnings: list[str] = []
    if hits:
        hits.sort()
        merged: list[list[int]] = []
        for start, end in hits:
            if merged and start <= merged[-1][1] + 8:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        for start, end in merged[:MAX_MOJIBAKE_WARNINGS]:
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            line_end = len(text) if line_end < 0 else line_end
            start, end = max(line_start, start - 3), min(line_end, end + 3)
            s, e = work.span(start, end)
            warnings.append(f"mojibake at source {s}-{e}: {_short_repr(source[s:e], 60)}")
        if len(merged) > MAX_MOJIBAKE_WARNINGS:
            warnings.append(
                f"mojibake: {len(merged) - MAX_MOJIBAKE_WARNINGS} more suspect spans not listed"
            )
    pua = [m.start() for m in _PUA_RE.finditer(text)]
    if pua:
        first = work.starts[pua[0]]
        warnings.append(
            f"private-use characters: {len(pua)} (font-specific glyphs such as unmapped Hong Kong"
            f" characters), first at source {first}: {source[first]!r}"
        )
    return warnings


def _utf8_in_gbk(text: str) -> list[tuple[int, int]]:
    data = text.encode("gbk", errors="replace")
    found = [m.span() for m in _UTF8_IN_GBK_RE.finditer(data)]
    if not found:
        return []
    # byte offset -> character offset (GBK: ASCII one byte, everything else two; an
    # unencodable character was replaced by one "?" byte)
    offsets: list[int] = []
    pos = 0
    for c in text:
        offsets.append(pos)
        if c.isascii():
            pos += 1
        else:
            try:
                pos += len(c.encode("gbk"))
            except UnicodeEncodeError:
                pos += 1
    spans = []
    for start, end in found:
        a = bisect.bisect_right(offsets, start) - 1
        b = bisect.bisect_left(offsets, end)
        if b > a:
            spans.append((a, b))
    return spans


_STEP_FUNCS: dict[str, Callable[[_Work], tuple[_Work, list[Change]]]] = {
    "nfc": nfc,
    "strip_invisible": strip_invisible,
    "strip_pinyin": strip_pinyin,
    "fold_width": fold_width,
    "canonical_masks": canonical_masks,
    "strip_boilerplate": strip_boilerplate,
    "rejoin_lines": rejoin_lines,
}

__all__ = [
    "MASK",
    "STEPS",
    "Change",
    "NormalText",
    "NormalizeConfig",
    "detect_script",
    "explain",
    "load_boilerplate",
    "normalize",
]
