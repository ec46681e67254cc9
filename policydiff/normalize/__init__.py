"""Normalization: named text steps with an offset map back to the decoded source.

Reports arrive with web chrome, zero-width spaces, pinyin annotations, Traditional characters,
full-width digits, masked names (``**区``, ``xx市``) and lines broken in the middle of a phrase.
:func:`normalize` cleans them through a pipeline of small named steps, each switchable in
:class:`NormalizeConfig`, and keeps for every normalized character the span of the decoded
source it came from. This package is the ONLY owner of that offset map: the segmenter, the
exports and the TUI map positions back with :meth:`NormalText.to_source`.

Here: the public API (:func:`normalize`, :func:`explain`, :class:`NormalizeConfig`,
:class:`NormalText`) and the step table :data:`STEP_TABLE`. Every step has one signature,
``step(state: State) -> None`` (``state.py``); each lives in the module of its concern:
``unicode.py`` (nfc, strip_invisible), ``pinyin.py``, ``simplify.py`` (script detection and
the OpenCC conversion), ``width.py``, ``masks.py``, ``boilerplate.py``, ``lines.py``
(rejoin_lines), ``mojibake.py``; the offset map itself is ``offsets.py``.

Steps, in pipeline order (:data:`STEPS`; ``detect_script`` runs between 3 and 4 whatever the
config says, so :attr:`NormalText.script` is always set):

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
4. ``to_simplified`` – converts Traditional to Simplified with OpenCC
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
from collections.abc import Iterable
from dataclasses import dataclass

from policydiff.chars import MASK
from policydiff.normalize.boilerplate import load_boilerplate, strip_boilerplate
from policydiff.normalize.lines import rejoin_lines
from policydiff.normalize.masks import canonical_masks
from policydiff.normalize.mojibake import detect_mojibake
from policydiff.normalize.offsets import Change, Span, short_repr
from policydiff.normalize.pinyin import strip_pinyin
from policydiff.normalize.simplify import detect_script, note_script, to_simplified
from policydiff.normalize.state import State, Step
from policydiff.normalize.unicode import nfc, strip_invisible
from policydiff.normalize.width import fold_width
from policydiff.normalize_config import NormalizeConfig

STEP_TABLE: tuple[tuple[str, Step], ...] = (
    ("nfc", nfc),
    ("strip_invisible", strip_invisible),
    ("strip_pinyin", strip_pinyin),
    ("detect_script", note_script),
    ("to_simplified", to_simplified),
    ("fold_width", fold_width),
    ("canonical_masks", canonical_masks),
    ("strip_boilerplate", strip_boilerplate),
    ("rejoin_lines", rejoin_lines),
    ("detect_mojibake", detect_mojibake),
)
"""Every step, in pipeline order: ``(name, step)``."""

ALWAYS_ON = frozenset({"detect_script"})
"""Steps that run whatever the config says: the script is reported also when
``to_simplified`` is off. They change no text."""

STEPS: tuple[str, ...] = tuple(name for name, _ in STEP_TABLE if name not in ALWAYS_ON)
"""Names of the switchable steps in pipeline order; each is also a field of
:class:`NormalizeConfig`."""


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
            f"{short_repr(change.before)} → {short_repr(change.after)}"
        )
    if wanted is None or "detect_mojibake" in wanted:
        lines.extend(f"{'warning':<17} {w}" for w in result.warnings)
    if limit is not None and len(lines) > limit:
        left_out = len(lines) - limit
        lines = [*lines[:limit], f"… {left_out} more lines"]
    return lines


_NO_TEXT = "no text: the file is empty or blank; check that it is the right file"
_NOTHING_LEFT = (
    "no text left after normalization (only controls, invisible characters or page chrome); "
    "see `policydiff normalize --explain`"
)


def normalize(source: str, config: NormalizeConfig | None = None) -> NormalText:
    """Run the enabled steps over ``source`` (already decoded text) and keep the offset map.

    An empty or whitespace-only source is not an error: it gives empty text, script ``none``
    and a ``no text`` warning (an empty file is usually the wrong file, and a comparison with
    it would otherwise look like a document that shares nothing). The function is pure; the only
    state it touches is a cache of the conversion tables and the boilerplate patterns, loaded
    on first use. The steps of :data:`STEP_TABLE` run in order: those of :data:`ALWAYS_ON`
    always, the others when switched on in ``config``.
    """
    cfg = config or NormalizeConfig()
    state = State.start(source)
    for name, step in STEP_TABLE:
        if name in ALWAYS_ON or getattr(cfg, name):
            step(state)
    work = state.work
    if not work.text:
        state.warnings.append(_NO_TEXT if not source.strip() else _NOTHING_LEFT)
    return NormalText(
        text=work.text,
        source=source,
        starts=tuple(work.starts),
        ends=tuple(work.ends),
        script=state.script,
        changes=tuple(state.changes),
        warnings=tuple(state.warnings),
    )


__all__ = [
    "ALWAYS_ON",
    "MASK",
    "STEPS",
    "STEP_TABLE",
    "Change",
    "NormalText",
    "NormalizeConfig",
    "detect_script",
    "explain",
    "load_boilerplate",
    "normalize",
]
