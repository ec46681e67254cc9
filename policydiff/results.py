"""The result cache: the alignments and the written outputs of a comparison run before.

Why: a user re-running ``policydiff compare`` on the same files (after looking at the output,
or from a script) would otherwise align, diff and mine phrases again; with documents and tokens
already in the per-document cache (``policydiff.cache``), that is nearly all the remaining
work. A comparison whose inputs, settings and code are unchanged reuses:

- its alignments (``KIND_ALIGNMENTS``: every pair of ``Comparison.pairs``, one entry);
- every output file ``policydiff.outputs`` renders (``KIND_OUTPUTS``: alignment JSON, phrase
  report, HTML diffs, one entry per file), which hold its section diffs and phrases.

The key (``comparison_key``) is made with ``cache.make_key``, so it holds the digest of every
module and data file of the package, and: the tool's version; every document's id, path,
title, sha256 of its bytes, warnings and label; the digest of its tokens (so a change of
segmenter is a new key); the ``Config`` (without its cache switch, which does not change a
result); the theme taxonomy; ``ref``. Entries are written and read by ``policydiff.cache``:
JSON only, atomic, private folders, ``POLICYDIFF_NO_CACHE``/``--no-cache`` honoured, an entry
that does not parse or does not hold together is a miss and is written again. The results are
the same with and without the cache (tests/test_results.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import policydiff.cache as store
from policydiff.matches import Alignment, Match

if TYPE_CHECKING:
    from policydiff.config import Config
    from policydiff.document import DocumentTokens
    from policydiff.model import Document
    from policydiff.themes import Theme

KIND_ALIGNMENTS = "alignments"
KIND_OUTPUTS = "outputs"
FORMAT = "policydiff-results@2"


def comparison_key(
    ref: str | None,
    config: Config,
    themes: Sequence[Theme],
    documents: Sequence[Document],
    tokens: Callable[[str], DocumentTokens],
) -> str:
    """The key of everything a comparison computes (see the module docstring); ``tokens``
    gives a document's tokens by id."""
    parts = [FORMAT, _version(), repr(ref)]
    parts.append(repr(dataclasses.replace(config, cache=None)))
    parts.append(repr(tuple(themes)))
    parts.append(_tokenizer_signature())
    for doc in documents:
        held = tokens(doc.id)
        digest = hashlib.sha256(held.ends.tobytes())
        digest.update(repr(sorted(held.headings.items())).encode("utf-8", "surrogatepass"))
        parts.append(
            repr((doc.id, doc.path, doc.title, doc.sha256, doc.warnings, len(doc.text),
                  doc.label, digest.hexdigest()))
        )
    return store.make_key(*parts)


def _version() -> str:
    """The installed version (as ``policydiff.__version__``, without importing the package
    root from inside it)."""
    from importlib import metadata

    try:
        return metadata.version("policydiff")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _tokenizer_signature() -> str:
    import policydiff.document as document

    signature = getattr(document, "_tokenizer_signature", None)
    return str(signature()) if callable(signature) else ""


def enabled(cache: bool | None) -> bool:
    """Whether the result cache is used for this ``Config.cache`` setting."""
    return store.is_enabled(cache)


# --------------------------------------------------------------------------- alignments


def read_alignments(
    key: str, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Alignment] | None:
    """The cached alignments of ``pairs``, or None (missing, damaged, other pairs)."""
    data = store.read_entry(KIND_ALIGNMENTS, key)
    if data is None:
        return None
    try:
        found = {(al.a, al.b): al for al in (_alignment(item) for item in data)}
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if list(found) != list(pairs):
        return None
    return found


def write_alignments(key: str, alignments: Sequence[Alignment]) -> None:
    store.write_entry(KIND_ALIGNMENTS, key, [_alignment_data(al) for al in alignments])


def _alignment_data(al: Alignment) -> dict[str, Any]:
    return {
        "a": al.a,
        "b": al.b,
        "matches": [_match_data(m) for m in al.matches],
        "unmatched_a": list(al.unmatched_a),
        "unmatched_b": list(al.unmatched_b),
        "reviewed_in": [_match_data(m) for m in al.reviewed_in],
        "origins": [[part, list(parts)] for part, parts in al.origins],
        "stale": list(al.stale),
    }


def _match_data(m: Match) -> list[Any]:
    return [m.a, m.b, m.score, list(m.themes), m.heading_similarity, m.body_similarity,
            list(m.shared_terms), m.kind, m.source, m.group]


def _match(item: list[Any]) -> Match:
    a, b, score, themes, heading, body, terms, kind, source, group = item
    values = (score, heading, body)
    if not all(isinstance(v, float | int) and 0.0 <= v <= 1.0 for v in values):
        raise ValueError("score out of range")
    if not all(isinstance(x, str) for x in (a, b, kind, source, group, *themes, *terms)):
        raise TypeError("not a string")
    return Match(a, b, float(score), tuple(themes), float(heading), float(body), tuple(terms),
                 kind, source, group)


def _alignment(data: dict[str, Any]) -> Alignment:
    matches = [_match(item) for item in data["matches"]]
    reviewed = [_match(item) for item in data["reviewed_in"]]
    unmatched_a, unmatched_b = data["unmatched_a"], data["unmatched_b"]
    origins = tuple((part, tuple(parts)) for part, parts in data["origins"])
    stale = data["stale"]
    names = (data["a"], data["b"], *unmatched_a, *unmatched_b, *stale,
             *(p for part, parts in origins for p in (part, *parts)))
    if not all(isinstance(x, str) for x in names):
        raise TypeError("not a string")
    return Alignment(data["a"], data["b"], tuple(matches), tuple(unmatched_a), tuple(unmatched_b),
                     tuple(reviewed), origins, tuple(stale))


# --------------------------------------------------------------------------- outputs


def has_output(result_key: str, name: str) -> bool:
    """Whether output ``name`` of the comparison ``result_key`` is in the cache (its entry is
    there: one that does not read back is rendered again by ``cached_output``)."""
    return store.has_entry(KIND_OUTPUTS, store.make_key(KIND_OUTPUTS, result_key, name))


def cached_output(result_key: str, name: str, render: Callable[[], str]) -> str:
    """The text of output ``name`` of the comparison whose key is ``result_key``: from the
    cache when it was rendered before with the same key, else rendered now (and kept)."""
    key = store.make_key(KIND_OUTPUTS, result_key, name)
    data = store.read_entry(KIND_OUTPUTS, key)
    if isinstance(data, dict) and data.get("name") == name and isinstance(data.get("text"), str):
        text: str = data["text"]
        return text
    text = render()
    store.write_entry(KIND_OUTPUTS, key, {"name": name, "text": text})
    return text
