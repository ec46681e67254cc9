"""Steps ``detect_script`` and ``to_simplified``: which script a text is written in, and
Traditional to Simplified with OpenCC's dictionaries.

The conversion is OpenCC's own (opencc-python-reimplemented 0.1.7: same dictionaries, same
conversion chain, same output), re-implemented here so that long documents convert fast and
every changed run keeps an exact offset map. ``opencc`` is imported on first use only.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policydiff.chars import HAN_OR_ZERO_RE
from policydiff.normalize.offsets import Edit
from policydiff.normalize.state import State

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
    if not HAN_OR_ZERO_RE.search(text):
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


def note_script(state: State) -> None:
    """Step ``detect_script``: the script of the text as it reaches ``to_simplified``
    (:func:`detect_script`). It runs whether ``to_simplified`` is on or not."""
    state.script = detect_script(state.work.text)


def to_simplified(state: State) -> None:
    """Convert Traditional to Simplified, keeping the offset map exact.

    Rules: runs only for ``hant`` and ``mixed`` documents; converts line by line and skips lines
    without any character OpenCC could change. A converted piece of equal length maps character
    for character; a phrase whose length changes maps to the span of the source phrase.
    """
    if state.script not in ("hant", "mixed"):
        return
    text = state.work.text
    hk = _HK_RE.search(text) is not None
    tables = _script_tables()
    trigger = tables.hk2s_trigger if hk else tables.t2s_trigger
    convert = _converter("hk2s" if hk else "t2s").convert
    edits: list[Edit] = []  # what is applied
    reported: list[Edit] = []  # what is reported: the changed runs
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
    state.edit(edits, "to_simplified", reported=reported)


def _conversion_edits(old: str, new: str, offset: int) -> list[Edit]:
    if len(old) == len(new):
        return _diff_runs(old, new, offset)
    old_parts = _OPENCC_SPLIT_RE.split(old)
    new_parts = _OPENCC_SPLIT_RE.split(new)
    if len(old_parts) != len(new_parts):
        return _trimmed_edit(old, new, offset)
    edits: list[Edit] = []
    pos = offset
    for a, b in zip(old_parts, new_parts, strict=True):
        if a != b:
            edits.extend(_diff_runs(a, b, pos) if len(a) == len(b) else _trimmed_edit(a, b, pos))
        pos += len(a)
    return edits


def _diff_runs(old: str, new: str, offset: int) -> list[Edit]:
    edits: list[Edit] = []
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


def _trimmed_edit(old: str, new: str, offset: int) -> list[Edit]:
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

