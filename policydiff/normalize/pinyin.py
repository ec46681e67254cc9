"""Step ``strip_pinyin``: pinyin annotations after Han characters, and the one garbling of
them that the document itself can repair. Also the pinyin letters ``detect_mojibake`` looks
for."""

from __future__ import annotations

import re

from policydiff.chars import HAN_OR_ZERO_CLASS
from policydiff.normalize.offsets import Edit
from policydiff.normalize.state import State

TONE_LETTERS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
"""Lower-case letters with a pinyin tone mark."""

PINYIN_LETTERS = "a-zü" + TONE_LETTERS
"""The body of a regex class matching one letter of a pinyin syllable."""

_TONELESS = str.maketrans(TONE_LETTERS, "aaaaeeeeiiiioooouuuuüüüünnnm")
_SYLLABLE_RE = re.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:a|ai|an|ang|ao|e|ei|en|eng|er|i|ia|ian|iang|iao|ie|in|ing|iong|iu|o|ong|ou|"
    r"u|ua|uai|uan|uang|ue|ui|un|uo|ü|üe|üan|ün|n|ng|m)"
)


def is_pinyin(word: str) -> bool:
    """A single pinyin syllable written with a tone mark (``bào``, ``qū``, ``lǜ``)."""
    if not any(c in TONE_LETTERS for c in word):
        return False
    return _SYLLABLE_RE.fullmatch(word.translate(_TONELESS)) is not None


# Whitespace before an annotation goes with it: "中 (bào)" would otherwise become "中（bào）"
# and lose its space in rejoin_lines, and a second run would strip it then.
_ANNOTATION = f"\\s*[(（][{PINYIN_LETTERS}]{{1,7}}[)）]"
_ANNOTATION_RE = re.compile(_ANNOTATION)
_PINYIN_ANNOTATIONS_RE = re.compile(f"(?<=[{HAN_OR_ZERO_CLASS}])(?:{_ANNOTATION})+")
# seeds/001: "麒麟?yún)^(qū)" where "區(" was garbled: "?", debris of another annotation, then
# the GBK trail byte of 區 (0x5E, "^") that survived with its own annotation "(qū)".
_GARBLED_ANNOTATION_RE = re.compile(
    f"\\?[{PINYIN_LETTERS}]{{1,7}}\\)([\\x40-\\x7e])[(（]([{PINYIN_LETTERS}]{{1,7}})[)）]"
    f"(?:{_ANNOTATION})*"
)


def _valid_annotations(text: str, start: int, end: int) -> int:
    """End of the leading run of valid pinyin annotations in ``text[start:end]``."""
    pos = start
    while pos < end:
        m = _ANNOTATION_RE.match(text, pos, end)
        if m is None or not is_pinyin(m.group().strip()[1:-1]):
            break
        pos = m.end()
    return pos


def strip_pinyin(state: State) -> None:
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
    text = state.work.text
    witnesses: dict[tuple[str, str], str | None] = {}
    edits = _annotation_edits(text, witnesses)
    for m in _GARBLED_ANNOTATION_RE.finditer(text):
        witness = witnesses.get((m.group(1), m.group(2)))
        if witness is not None and is_pinyin(m.group(2)):
            annotated_end = m.start(2) + len(m.group(2)) + 1
            end = _valid_annotations(text, annotated_end, m.end())
            edits.append((m.start(), end, witness))
    edits.sort()
    kept: list[Edit] = []
    for edit in edits:
        if kept and edit[0] < kept[-1][1]:
            continue
        kept.append(edit)
    state.edit(kept, "strip_pinyin")


def _annotation_edits(text: str, witnesses: dict[tuple[str, str], str | None]) -> list[Edit]:
    """Deletions of the clean annotations; fills ``witnesses``: (GBK trail byte, syllable) →
    the one annotated character with them (``None`` when two characters share the key)."""
    edits: list[Edit] = []
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
    return edits
