"""Theme taxonomy and section classification.

A theme is a named bag of weighted key terms (``data/themes.toml``; ``--themes FILE`` replaces
it). A section is classified from its heading and its body:

- Terms are found by one leftmost-longest scan over all themes at once, so the most specific
  term wins where terms overlap (``生态安全屏障`` is ecology, not security; ``粮食安全`` is
  rural). A term listed under several themes counts for each of them (``城乡融合``).
- Heading evidence per theme is a noisy-or of the weights of the distinct terms found in the
  heading: one defining term gives 1.0, two weak ones add up without passing 1.
- Body evidence is the weighted term count per 1,000 characters, saturating
  (``1 - exp(-rate / BODY_SATURATION)``), so a long body does not win for being long. Bodies
  shorter than ``MIN_BODY_CHARS`` count as that long, so one word in a ten-character body is
  not taken as overwhelming evidence.
- The score is ``HEADING_WEIGHT * heading + BODY_WEIGHT * body`` (weights sum to 1): a
  defining term in the heading alone gives 0.6, a saturated body alone at most 0.4.

Rules: a theme is kept when it scores at least ``MIN_SCORE`` and either reaches
``RELATIVE_CUTOFF`` times the best score or has a body clearly about it (body evidence at
least ``STRONG_BODY``). So a section with no evidence gets no themes, a passing mention does
not become a label, and a section whose heading says "projects" but whose body is all roads,
rail and pipes gets both labels. Scores are rounded to three decimals and sorted by score
descending, then theme id; the same input always gives the same output. Text is matched as
given: classify the normalized (Simplified, width-folded) text, not the raw source.
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from policydiff.errors import ConfigError
from policydiff.model import ThemeScore

HEADING_WEIGHT = 0.6
BODY_WEIGHT = 0.4
BODY_SATURATION = 6.0
MIN_BODY_CHARS = 200
MIN_SCORE = 0.2
RELATIVE_CUTOFF = 0.5
STRONG_BODY = 0.95

MAX_TERM_CHARS = 50
"""The longest key term a themes file may hold (the bundled ones are at most 13)."""
MAX_THEMES = 500
MAX_TERMS = 20_000
"""Bounds of a themes file (the bundled one: 17 themes, 843 terms)."""

_ID_RE = re.compile(r"[A-Za-z0-9_-]+")
_THEME_KEYS = frozenset({"id", "name", "name_en", "terms"})


@dataclass(frozen=True)
class Theme:
    """One theme: a stable ASCII ``id``, display names and ``(term, weight)`` pairs.

    Weights are in (0, 1]; terms keep the order of the file they came from.
    """

    id: str
    name: str
    name_en: str
    terms: tuple[tuple[str, float], ...]


def load_themes(path: str | Path | None = None) -> tuple[Theme, ...]:
    """Load a theme taxonomy; ``None`` loads the bundled ``data/themes.toml``.

    A user file replaces the bundled one entirely (no merging: a merged taxonomy would be
    hard to reason about). Any problem with the file (unreadable, not UTF-8, TOML syntax, a
    missing or duplicate id, a non-numeric weight or one outside (0, 1], empty terms, an
    unknown key) raises ``ConfigError`` with one line that names the file and the problem.
    A UTF-8 byte-order mark is accepted. The bundled taxonomy is parsed once and shared. The
    file is read with ``files.read_file`` (kind ``themes``: a regular file, at most 1 MB);
    nesting too deep for the parser, a term over ``MAX_TERM_CHARS`` and more than
    ``MAX_THEMES`` themes or ``MAX_TERMS`` terms are refused in one line too.
    """
    if path is None:
        return _bundled_themes()
    from policydiff.errors import InputError
    from policydiff.files import read_file

    name = _printable(str(path))
    try:
        # The one reader of files that are not inputs: a regular file only (a FIFO named here
        # would block, /dev/zero never ends), at most files.KINDS["themes"].limit bytes.
        data = read_file(path, "themes")
    except InputError as exc:
        raise ConfigError(f"cannot read themes file: {exc}") from None
    return _parse_themes(data, name=name)


@lru_cache(maxsize=1)
def _bundled_themes() -> tuple[Theme, ...]:
    data = resources.files("policydiff.data").joinpath("themes.toml").read_bytes()
    return _parse_themes(data, name="policydiff/data/themes.toml")


def _parse_themes(data: bytes, *, name: str) -> tuple[Theme, ...]:
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        raise ConfigError(
            f"{name}: themes file is not UTF-8 (byte 0x{data[offset]:02x} at offset {offset})"
        ) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: invalid TOML: {_printable(str(exc))}") from None
    except RecursionError:
        raise ConfigError(
            f"{name}: arrays or tables nested too deeply; check the file: a themes file is a "
            "list of [[theme]] tables of term = weight"
        ) from None
    extra = sorted(set(doc) - {"theme"})
    if extra:
        raise ConfigError(
            f"{name}: unknown top-level key {extra[0]!r} (themes go in [[theme]] tables)"
        )
    raw = doc.get("theme")
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{name}: no [[theme]] tables found")
    if len(raw) > MAX_THEMES:
        raise ConfigError(
            f"{name}: {len(raw)} themes, over the limit of {MAX_THEMES}; split the taxonomy"
        )
    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(raw, start=1):
        theme = _parse_theme(entry, number=number, name=name)
        if theme.id in seen:
            raise ConfigError(
                f"{name}: theme #{number}: duplicate id {theme.id!r} (also theme #{seen[theme.id]})"
            )
        seen[theme.id] = number
        themes.append(theme)
    total = sum(len(theme.terms) for theme in themes)
    if total > MAX_TERMS:
        raise ConfigError(
            f"{name}: {total} terms in all, over the limit of {MAX_TERMS}; remove rare terms"
        )
    return tuple(themes)


def _parse_theme(entry: Any, *, number: int, name: str) -> Theme:
    where = f"{name}: theme #{number}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: must be a table")
    raw_id = entry.get("id")
    if raw_id is None:
        raise ConfigError(f"{where}: missing 'id'")
    if not isinstance(raw_id, str) or not _ID_RE.fullmatch(raw_id):
        raise ConfigError(
            f"{where}: 'id' must be ASCII letters, digits, '_' or '-', got {_short(raw_id)}"
        )
    where = f"{where} ({raw_id})"
    unknown = sorted(set(entry) - _THEME_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown key {unknown[0]!r} (expected id, name, name_en, terms)"
        )
    names: dict[str, str] = {}
    for key in ("name", "name_en"):
        value = entry.get(key)
        if value is None:
            raise ConfigError(f"{where}: missing {key!r}")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: {key!r} must be a non-empty string, got {_short(value)}")
        names[key] = value
    raw_terms = entry.get("terms")
    if raw_terms is None:
        raise ConfigError(f"{where}: missing 'terms'")
    if not isinstance(raw_terms, dict):
        raise ConfigError(f"{where}: 'terms' must be a table of term = weight")
    if not raw_terms:
        raise ConfigError(f"{where}: 'terms' is empty")
    terms: list[tuple[str, float]] = []
    for term, weight in raw_terms.items():
        if not term.strip():
            raise ConfigError(f"{where}: empty term")
        if len(term) > MAX_TERM_CHARS:
            raise ConfigError(
                f"{where}: a term of {len(term)} characters ({_short(term)}), over the limit of "
                f"{MAX_TERM_CHARS}; use a word or a short phrase as a key term"
            )
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ConfigError(f"{where}: weight of {term!r} must be a number, got {_short(weight)}")
        if not (math.isfinite(weight) and 0 < weight <= 1):
            raise ConfigError(f"{where}: weight of {term!r} must be in (0, 1], got {weight}")
        terms.append((term, float(weight)))
    return Theme(id=raw_id, name=names["name"], name_en=names["name_en"], terms=tuple(terms))


def _short(value: object) -> str:
    text = repr(value)
    return _printable(text if len(text) <= 40 else text[:37] + "...")


def _printable(text: str) -> str:
    """Escape control characters so that a message stays one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


@dataclass(frozen=True)
class _Matcher:
    """A compiled leftmost-longest scanner over every term of a theme sequence."""

    pattern: re.Pattern[str] | None
    hits: dict[str, tuple[tuple[int, float], ...]]
    size: int


_MATCHERS: dict[tuple[int, ...], tuple[tuple[Theme, ...], _Matcher]] = {}
_MAX_MATCHERS = 16


def _matcher(themes: Sequence[Theme]) -> _Matcher:
    """The matcher for ``themes``, cached by the identity of the Theme objects.

    The cache holds the themes themselves, so the ids in its key stay valid; Themes are
    frozen, so an object seen before has the same terms.
    """
    key = tuple(map(id, themes))
    cached = _MATCHERS.get(key)
    if cached is not None:
        return cached[1]
    held = tuple(themes)
    matcher = _build_matcher(held)
    if len(_MATCHERS) >= _MAX_MATCHERS:
        _MATCHERS.clear()
    _MATCHERS[key] = (held, matcher)
    return matcher


def _build_matcher(themes: tuple[Theme, ...]) -> _Matcher:
    hits: dict[str, list[tuple[int, float]]] = {}
    for index, theme in enumerate(themes):
        for term, weight in theme.terms:
            bucket = hits.setdefault(term, [])
            if all(i != index for i, _ in bucket):
                bucket.append((index, weight))
    pattern = re.compile(_trie_regex(hits)) if hits else None
    return _Matcher(
        pattern=pattern,
        hits={term: tuple(v) for term, v in hits.items()},
        size=len(themes),
    )


def _trie_regex(terms: Iterable[str]) -> str:
    """A regex matching the longest of ``terms`` at each position.

    Built as a character trie so that the engine rejects a position after one character
    comparison per branch instead of trying every term; optional tails are greedy, so the
    longest term starting at a position wins.
    """
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return (body if len(branches) > 1 else "(?:" + body + ")") + "?"
        return body

    return emit(trie)


def _evidence(
    heading_terms: list[str], body_terms: list[str], body_length: int, matcher: _Matcher
) -> tuple[list[float], list[float]]:
    """Per-theme heading evidence and body evidence, each in [0, 1], from the terms found in
    the heading and in the body (``body_length`` characters), in text order."""
    n = matcher.size
    hits = matcher.hits
    heading_miss = [1.0] * n
    for term in set(heading_terms):
        for index, weight in hits[term]:
            heading_miss[index] *= 1.0 - weight
    body_rate = [0.0] * n
    if body_terms:
        scale = 1000.0 / max(body_length, MIN_BODY_CHARS)
        for term, count in Counter(body_terms).items():
            for index, weight in hits[term]:
                body_rate[index] += weight * count * scale
    heading_ev = [1.0 - miss for miss in heading_miss]
    body_ev = [1.0 - math.exp(-rate / BODY_SATURATION) if rate else 0.0 for rate in body_rate]
    return heading_ev, body_ev


def _scores(
    heading_terms: list[str], body_terms: list[str], body_length: int, matcher: _Matcher
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """``(scores, body evidence)`` per theme."""
    heading_ev, body_ev = _evidence(heading_terms, body_terms, body_length, matcher)
    scores = tuple(
        min(1.0, HEADING_WEIGHT * h + BODY_WEIGHT * b)
        for h, b in zip(heading_ev, body_ev, strict=True)
    )
    return scores, tuple(body_ev)


def classify(
    heading: str,
    body: str,
    themes: Sequence[Theme],
    *,
    max_themes: int = 3,
    min_score: float = MIN_SCORE,
) -> tuple[ThemeScore, ...]:
    """The themes of a section, best first (multi-label, at most ``max_themes``).

    ``heading`` is the heading text (the marker may be included), ``body`` the section's text
    without its heading. Rules: a theme is kept when its score is at least ``min_score`` and
    either at least ``RELATIVE_CUTOFF`` times the best score or backed by a body that is
    clearly about it (body evidence at least ``STRONG_BODY``); no evidence gives ``()``;
    ``max_themes <= 0`` gives ``()``. Scores are rounded to 3 decimals, ties are ordered by id.
    """
    if max_themes <= 0:
        return ()
    matcher = _matcher(themes)
    pattern = matcher.pattern
    heading_terms = pattern.findall(heading) if pattern is not None and heading else []
    body_terms = pattern.findall(body) if pattern is not None and body else []
    return _kept(themes, _scores(heading_terms, body_terms, len(body), matcher),
                 max_themes=max_themes, min_score=min_score)


class TextTerms:
    """The theme terms of one text, found by one scan, for classifying many of its sections.

    ``terms(start, end)`` is exactly ``pattern.findall(text[start:end])``: the matches of
    the whole text between ``start`` and ``end``, unless a match of the whole text crosses
    ``start`` or ``end`` (then the slice is scanned on its own). Why that is exact: the scan
    of the whole text tries every position that no match covers, so where no match covers
    ``start`` it scans on from ``start`` as a scan of the slice does; the pattern has no
    anchors or look-around, so a match ending by ``end`` is also the slice's match there.
    Nested sections share their text, so one scan instead of one per level (about 5x less
    work on a report)."""

    def __init__(self, text: str, themes: Sequence[Theme]) -> None:
        self.text = text
        self.themes = themes
        self._matcher = _matcher(themes)
        pattern = self._matcher.pattern
        found = list(pattern.finditer(text)) if pattern is not None else []
        self._starts = [m.start() for m in found]
        self._ends = [m.end() for m in found]
        self._terms = [m.group() for m in found]

    def terms(self, start: int, end: int) -> list[str]:
        """The terms in ``text[start:end]``, in order (``findall`` of the slice)."""
        pattern = self._matcher.pattern
        if pattern is None or end <= start:
            return []
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end, lo)
        crosses_start = lo > 0 and self._ends[lo - 1] > start
        crosses_end = hi > lo and self._ends[hi - 1] > end
        if crosses_start or crosses_end:
            return pattern.findall(self.text, start, end)
        return self._terms[lo:hi]

    def classify(
        self,
        heading: tuple[int, int] | None,
        body: tuple[int, int],
        *,
        max_themes: int = 3,
        min_score: float = MIN_SCORE,
    ) -> tuple[ThemeScore, ...]:
        """``classify(text[heading], text[body], themes)`` (``heading``: None for none)."""
        if max_themes <= 0:
            return ()
        heading_terms = self.terms(*heading) if heading is not None else []
        length = max(0, min(body[1], len(self.text)) - body[0])
        scores = _scores(heading_terms, self.terms(*body), length, self._matcher)
        return _kept(self.themes, scores, max_themes=max_themes, min_score=min_score)


def _kept(
    themes: Sequence[Theme],
    evidence: tuple[tuple[float, ...], tuple[float, ...]],
    *,
    max_themes: int,
    min_score: float,
) -> tuple[ThemeScore, ...]:
    """The themes ``classify`` keeps, given ``(scores, body evidence)``."""
    scores, body_ev = evidence
    best = max(scores, default=0.0)
    if best < min_score:
        return ()
    floor = RELATIVE_CUTOFF * best
    kept = [
        (round(score, 3), theme.id)
        for theme, score, body_score in zip(themes, scores, body_ev, strict=True)
        if score >= min_score and (score >= floor or body_score >= STRONG_BODY)
    ]
    kept.sort(key=lambda item: (-item[0], item[1]))
    return tuple(ThemeScore(id=theme_id, score=score) for score, theme_id in kept[:max_themes])


def key_terms(text: str, themes: Sequence[Theme]) -> tuple[str, ...]:
    """The distinct theme terms found in ``text``, in order of first occurrence.

    The same leftmost-longest scan as ``classify``: inside ``乡村振兴`` only ``乡村振兴`` is
    reported, not ``乡村``. Useful as shared-term evidence when aligning sections.
    """
    pattern = _matcher(themes).pattern
    if pattern is None or not text:
        return ()
    return tuple(dict.fromkeys(pattern.findall(text)))
