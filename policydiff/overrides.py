"""Analyst overrides: pairs, unpairs and splits of sections that last across runs.

An overrides file is TOML (``docs/alignment.md`` shows one). Each entry names a pair of
documents by the SHA-256 of their bytes (``Document.sha256``) and their file names, and sections
by their label and heading as the tool reads them (``（八）推动城乡融合和区域协调发展，…``;
``[preamble]``/``[closing]`` for the headless ones; ``parent / child`` when a heading occurs
more than once)::

    [[pair]]                       # these two are parallel
    a_file = "national-2024.txt"
    a_sha256 = "…"
    b_file = "national-2025.txt"
    b_sha256 = "…"
    a = "（八）推动城乡融合和区域协调发展，大力优化经济布局"
    b = "（八）推进新型城镇化和区域协调发展，进一步优化发展空间格局"

    [[unpair]]                     # never match these two (same keys)
    [[split]]                      # a became several of B: b = ["…", "…"]
    [[merge]]                      # several of A became b: a = ["…", "…"]

Rules:
- Read with the strict reader (``files.read_file`` kind ``overrides``: regular files, 1 MB);
  malformed TOML or an entry without its keys is a ``ConfigError`` naming the file.
- An entry applies to the pair of documents whose hashes it names. An entry whose file names
  match the pair but whose hashes do not (the document changed), or whose headings no longer
  name one section, is stale: reported (``Alignment.stale``, a warning of the CLI), never
  applied; so is a pair, split or merge naming a section an earlier entry already placed
  (every section is in one match at most).
- Applied entries reach the aligner as ``matches.Fixed`` before the automatic assignment,
  and their matches carry ``source = "manual"``.
- ``FILE_NAME`` beside the documents is read automatically when no ``--overrides`` is given.
- ``Overrides`` is immutable; ``with_pair``/``without``/``with_split`` return a new value
  (the viewer's keys) and ``save`` writes it atomically.
"""

from __future__ import annotations

import json
import os
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from policydiff.errors import ConfigError
from policydiff.matches import Fixed
from policydiff.model import Document, Section

FILE_NAME = "policydiff-overrides.toml"
"""The overrides file found beside the documents (in the folder of the first one)."""

ACTIONS = ("pair", "unpair", "split", "merge")


@dataclass(frozen=True)
class Entry:
    """One decision: ``action`` (``ACTIONS``) on sections ``a`` and ``b`` of two documents;
    for a split ``b`` holds several names, for a merge ``a`` does."""

    action: str
    a_file: str
    a_sha256: str
    b_file: str
    b_sha256: str
    a: tuple[str, ...]
    b: tuple[str, ...]


@dataclass(frozen=True)
class Overrides:
    """The entries of one overrides file (``path``: where it was read, or ``None``)."""

    entries: tuple[Entry, ...] = ()
    path: str | None = None

    def for_pair(self, doc_a: Document, doc_b: Document) -> tuple[Fixed, tuple[str, ...]]:
        """The applicable decisions for documents A and B by section id, and one line for
        each stale entry of this pair (not applied)."""
        pairs: list[tuple[str, str, str]] = []
        forbidden: list[tuple[str, str]] = []
        stale: list[str] = []
        names_a, names_b = _Names(doc_a), _Names(doc_b)
        for e in self.entries:
            same_hash = (e.a_sha256, e.b_sha256) == (doc_a.sha256, doc_b.sha256)
            same_name = (e.a_file, e.b_file) == (_file(doc_a), _file(doc_b))
            if not same_hash:
                if same_name:
                    stale.append(f"{_describe(e)}: the document changed since it was written")
                continue
            ids_a = [names_a.find(n) for n in e.a]
            ids_b = [names_b.find(n) for n in e.b]
            if None in ids_a or None in ids_b:
                stale.append(f"{_describe(e)}: a heading no longer names one section")
                continue
            a_ids = [i for i in ids_a if i]
            b_ids = [i for i in ids_b if i]
            taken = {x for x, _, _ in pairs}, {y for _, y, _ in pairs}
            if e.action != "unpair" and (set(a_ids) & taken[0] or set(b_ids) & taken[1]):
                stale.append(f"{_describe(e)}: a section is already in an earlier override")
                continue
            if e.action == "unpair":
                forbidden.append((a_ids[0], b_ids[0]))
            elif e.action == "pair":
                pairs.append((a_ids[0], b_ids[0], "match"))
            elif e.action == "split":
                pairs += [(a_ids[0], b, "match" if k == 0 else "split")
                          for k, b in enumerate(b_ids)]
            else:
                pairs += [(a, b_ids[0], "match" if k == 0 else "merge")
                          for k, a in enumerate(a_ids)]
        return Fixed(tuple(pairs), tuple(forbidden)), tuple(stale)

    def with_pair(self, doc_a: Document, doc_b: Document, a: str, b: str) -> Overrides:
        """These plus a manual pair of sections ``a`` and ``b`` (ids); decisions of this
        pair of documents on either section are replaced."""
        return self._with(doc_a, doc_b, "pair", [a], [b])

    def with_split(self, doc_a: Document, doc_b: Document, a: str, b: Sequence[str]) -> Overrides:
        """These plus a manual split: section ``a`` of A became sections ``b`` of B (ids)."""
        return self._with(doc_a, doc_b, "split", [a], list(b))

    def with_merge(self, doc_a: Document, doc_b: Document, a: Sequence[str], b: str) -> Overrides:
        """These plus a manual merge: sections ``a`` of A became section ``b`` of B (ids)."""
        return self._with(doc_a, doc_b, "merge", list(a), [b])

    def without(self, doc_a: Document, doc_b: Document, a: str, b: str) -> Overrides:
        """These with sections ``a`` and ``b`` unpaired: manual decisions joining them are
        dropped, and an ``unpair`` entry keeps the aligner from pairing them again."""
        return self._with(doc_a, doc_b, "unpair", [a], [b])

    def _with(self, doc_a: Document, doc_b: Document, action: str, a: list[str],
              b: list[str]) -> Overrides:
        names_a = tuple(section_key(doc_a, doc_a.section(i)) for i in a)
        names_b = tuple(section_key(doc_b, doc_b.section(i)) for i in b)
        entry = Entry(action, _file(doc_a), doc_a.sha256, _file(doc_b), doc_b.sha256,
                      names_a, names_b)
        def replaced(e: Entry) -> bool:
            """An entry the new one overrides: one joining both of its sides (an unpair only
            cancels decisions about that pair), or, for a new pairing, any pairing that placed
            one of its sections (a section is placed once)."""
            if (e.a_sha256, e.b_sha256) != (doc_a.sha256, doc_b.sha256):
                return False
            shares_a, shares_b = bool(set(e.a) & set(names_a)), bool(set(e.b) & set(names_b))
            if action == "unpair" or e.action == "unpair":
                return shares_a and shares_b
            return shares_a or shares_b

        kept = [e for e in self.entries if not replaced(e)]
        return replace(self, entries=(*kept, entry))

    def to_toml(self) -> str:
        """The entries as an overrides file (read back by ``parse`` to equal entries)."""
        out = ["# policydiff overrides (docs/alignment.md): pairs, unpairs, splits, merges", ""]
        for e in self.entries:
            out.append(f"[[{e.action}]]")
            for key in ("a_file", "a_sha256", "b_file", "b_sha256"):
                out.append(f"{key} = {_toml_string(getattr(e, key))}")
            for side, names in (("a", e.a), ("b", e.b)):
                several = (e.action == "split" and side == "b") or (
                    e.action == "merge" and side == "a")
                value = ("[" + ", ".join(_toml_string(n) for n in names) + "]") if several \
                    else _toml_string(names[0])
                out.append(f"{side} = {value}")
            out.append("")
        return "\n".join(out)

    def save(self, path: str | Path | None = None) -> Path:
        """Write the entries to ``path`` (default: where they were read), atomically."""
        from policydiff.files import write_atomic

        target = path or self.path
        if target is None:
            raise ConfigError("overrides: no file to save to")
        return write_atomic(target, self.to_toml(), force=True)


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (``\\"``, ``\\\\``, ``\\uXXXX`` for the
    controls below U+0020); DEL, which JSON leaves as it is, is escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007F")


def _file(doc: Document) -> str:
    return os.path.basename(doc.path)


def _describe(e: Entry) -> str:
    return f"override {e.action} {' + '.join(e.a)} ⇄ {' + '.join(e.b)} ({e.a_file} ⇄ {e.b_file})"


def section_key(doc: Document, sec: Section) -> str:
    """How an overrides file names a section: label and heading, ``[preamble]``/``[closing]``
    for headless ones, with the parents' keys (``parent / child``) when not unique."""
    return section_keys(doc)[sec.id]


def section_keys(doc: Document) -> dict[str, str]:
    """``section_key`` of every section of a document by id, in one pass (the own keys are
    counted once, so naming every section costs O(sections × depth), not O(sections²))."""
    own = {s.id: _own_key(s) for s in doc.sections}
    count = Counter(own.values())
    keys: dict[str, str] = {}
    for sec in doc.sections:
        path = [own[sec.id]]
        if count[path[0]] > 1:
            parent = sec.parent
            while parent in own:
                path.append(own[parent])
                parent = doc.section(parent).parent
        keys[sec.id] = " / ".join(reversed(path))
    return keys


def _own_key(sec: Section) -> str:
    return (sec.label + sec.heading) or f"[{sec.kind}]"


class _Names:
    """Which section a name (``section_key``, or a section's own key) names, for one document:
    both tables built once (``for_pair`` looks up every name of every entry)."""

    def __init__(self, doc: Document) -> None:
        self.ids: dict[str, set[str]] = {}
        for sec in doc.sections:
            self.ids.setdefault(_own_key(sec), set()).add(sec.id)
        for section_id, key in section_keys(doc).items():
            self.ids.setdefault(key, set()).add(section_id)

    def find(self, key: str) -> str | None:
        found = self.ids.get(key, set())
        return next(iter(found)) if len(found) == 1 else None


def section_for(doc: Document, key: str) -> str | None:
    """The id of the one section ``key`` names (``section_key``), else None."""
    return _Names(doc).find(key)


def parse(text: str, source: str) -> Overrides:
    """The entries of an overrides file's text; ``ConfigError`` naming ``source`` if bad."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML ({exc})") from None
    unknown = set(data) - set(ACTIONS)
    if unknown:
        raise ConfigError(f"{source}: unknown table {sorted(unknown)[0]!r} (use {ACTIONS})")
    entries = []
    for action in ACTIONS:
        items = data.get(action, [])
        if not isinstance(items, list):
            raise ConfigError(f"{source}: {action} must be an array of tables ([[{action}]])")
        for k, item in enumerate(items, 1):
            entries.append(_entry(action, item, f"{source}: {action} #{k}"))
    return Overrides(tuple(entries), source)


def _entry(action: str, item: object, where: str) -> Entry:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: not a table")
    strings = {}
    for key in ("a_file", "a_sha256", "b_file", "b_sha256"):
        value = item.get(key)
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: {key} must be a non-empty string")
        strings[key] = value
    sides: list[tuple[str, ...]] = []
    for side in ("a", "b"):
        value = item.get(side)
        several = (action == "split" and side == "b") or (action == "merge" and side == "a")
        names = value if several else [value]
        if not isinstance(names, list) or not names or not all(
            isinstance(n, str) and n for n in names
        ):
            kind = "a list of headings" if several else "a heading"
            raise ConfigError(f"{where}: {side} must be {kind}")
        sides.append(tuple(names))
    return Entry(action, strings["a_file"], strings["a_sha256"], strings["b_file"],
                 strings["b_sha256"], sides[0], sides[1])


def load(path: str | Path) -> Overrides:
    """Read an overrides file (strict reader, 1 MB); ``InputError``/``ConfigError`` if bad."""
    from policydiff.files import read_file

    data = read_file(path, "overrides")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: an overrides file must be UTF-8") from None
    return replace(parse(text, str(path)), path=str(path))


def default_path(paths: Sequence[str | Path]) -> Path | None:
    """Where the overrides of these documents are kept: ``FILE_NAME`` in the folder of the
    first document read from a file (None when every input is a stream); the viewer saves
    there unless the overrides were read from elsewhere (``Overrides.path``)."""
    for p in paths:
        if str(p) != "-" and not str(p).startswith("/dev/fd/"):
            return Path(p).parent / FILE_NAME
    return None


def beside(paths: Sequence[str | Path]) -> Path | None:
    """The overrides file kept beside the documents (``FILE_NAME`` in the first one's
    folder), if there is one."""
    candidate = default_path(paths)
    return candidate if candidate is not None and candidate.is_file() else None
