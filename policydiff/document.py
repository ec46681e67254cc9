"""Reading a file into a ``Document``: decode, normalize, segment (and classify themes).

Also the word tokens of a document (``DocumentTokens``), computed once per document for the
aligner, the phrase miner and the section diffs. Both a Document's normalized text and
sections and its tokens are kept in the per-document cache (``policydiff.cache``) unless it is
turned off; a document read from the cache is equal to one built afresh.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import itertools
import re
import weakref
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policydiff.model import Document, Section, Span, ThemeScore

if TYPE_CHECKING:
    from policydiff.normalize import NormalizeConfig, NormalText
    from policydiff.themes import Theme

DOCUMENT_CACHE = "documents"
TOKEN_CACHE = "tokens"

_TITLE_WORDS = re.compile(r"报告|规划|建议|决定|纲要|讲话|施政|意见")
MAX_TITLE = 60


def title_from_name(path: str | Path) -> str:
    """The title of a document without a title line: its file name without the extension,
    with every character a terminal would act on shown as a placeholder (``textsafe``), so
    the name is safe wherever the title goes: a pipe, Markdown, JSON, a page."""
    from policydiff.textsafe import visible

    return visible(Path(path).stem)


def guess_title(normal: NormalText, fallback: str) -> str:
    """A title for display: a title-like line among the first few, else ``fallback``.

    A line counts when it is short and names the kind of document (报告, 规划, 建议, …).
    """
    for line in normal.text.split("\n")[:6]:
        line = line.strip()
        if (
            line
            and len(line) <= MAX_TITLE
            and line[-1] not in "。！？；，：:,;"
            and _TITLE_WORDS.search(line)
        ):
            return line
    return fallback


def build_document(
    source: str,
    *,
    doc_id: str,
    path: str,
    sha256: str = "",
    encoding: str = "utf-8",
    config: NormalizeConfig | None = None,
    warnings: tuple[str, ...] = (),
    themes: tuple[Theme, ...] | None = None,
) -> Document:
    """Normalize and segment already-decoded text; classify sections when ``themes`` given."""
    return _build(source, doc_id=doc_id, path=path, sha256=sha256, encoding=encoding,
                  config=config, warnings=warnings, themes=themes)[0]


def _build(
    source: str,
    *,
    doc_id: str,
    path: str,
    sha256: str,
    encoding: str,
    config: NormalizeConfig | None,
    warnings: tuple[str, ...],
    themes: tuple[Theme, ...] | None,
) -> tuple[Document, dict[str, Any]]:
    """The Document and its cache entry (what does not depend on the path or the id)."""
    from policydiff.normalize import normalize
    from policydiff.segment import segment

    normal = normalize(source, config)
    guessed = guess_title(normal, "")
    title = guessed or title_from_name(path)
    root = segment(normal, doc_id=doc_id, title=title)
    if themes:
        root = _with_themes(root, normal.text, themes)
    doc = Document(
        id=doc_id,
        path=path,
        title=title,
        sha256=sha256,
        encoding=encoding,
        script=normal.script,
        text=normal.text,
        root=root,
        warnings=tuple(warnings) + tuple(normal.warnings),
        source_text=source,
        normalize_config=config,
    )
    keep_normalization(doc, normal)
    entry = {
        "text_sha256": _text_digest(normal.text),
        "title": guessed,
        "script": normal.script,
        "text": normal.text,
        "warnings": list(normal.warnings),
        "root": [list(root.span), list(root.source_span)],
        "sections": [_section_entry(sec, doc_id) for sec in doc.sections],
    }
    return doc, entry


def keep_normalization(doc: Document, normal: NormalText) -> None:
    """Let ``doc.normalization`` (the trace citations read) be ``normal``, the run that made
    ``doc``, instead of normalizing its source again on first use: the same function of the
    same source and settings, so the same value."""
    doc.__dict__["normalization"] = normal


def forget_normalization(doc: Document) -> None:
    """Drop the kept trace (``keep_normalization``): a document sent from a pool worker goes
    without it (about 70 bytes a character; computed again only where a citation needs it)."""
    doc.__dict__.pop("normalization", None)


def with_label(doc: Document, label: str) -> Document:
    """A copy of ``doc`` named ``label`` that keeps its normalization trace once computed."""
    copy = dataclasses.replace(doc, label=label)
    if "normalization" in doc.__dict__:
        keep_normalization(copy, doc.__dict__["normalization"])
    return copy


def load_document(
    path: str | Path,
    *,
    doc_id: str = "d1",
    encoding: str | None = None,
    config: NormalizeConfig | None = None,
    themes: tuple[Theme, ...] | None = None,
    extra_warnings: tuple[str, ...] = (),
    cache: bool | None = None,
    data: bytes | None = None,
) -> Document:
    """Read a file from disk into a Document. Raises ``InputError`` for unreadable input.

    ``path`` may also be ``-`` (standard input), a pipe or a character device
    (``decode.read_input``); ``data``: the input's bytes, already read (a stream read once
    before the work was spread over processes), ``path`` then only names it.

    The file is always read and decoded (its bytes decide the cache key); normalizing,
    segmenting and classifying are taken from the cache when this input was seen before with
    the same settings. ``cache``: None follows ``POLICYDIFF_NO_CACHE``, False bypasses it.
    """
    from policydiff import cache as store
    from policydiff.decode import decode_bytes, input_name, read_input

    shown = input_name(path)
    raw = read_input(path) if data is None else data
    decoded = decode_bytes(raw, name=shown, encoding=encoding)
    warnings = decoded.warnings + extra_warnings
    key = None
    if store.is_enabled(cache):
        key = _document_key(decoded.sha256, encoding, config, themes)
        cached = store.read_entry(DOCUMENT_CACHE, key)
        if cached is not None:
            doc = _document_from_entry(
                cached, doc_id=doc_id, path=shown, sha256=decoded.sha256,
                encoding=decoded.encoding, warnings=warnings, source=decoded.text,
                config=config,
            )
            if doc is not None:
                return doc
    doc, entry = _build(
        decoded.text,
        doc_id=doc_id,
        path=shown,
        sha256=decoded.sha256,
        encoding=decoded.encoding,
        config=config,
        warnings=warnings,
        themes=themes,
    )
    if key is not None:
        store.write_entry(DOCUMENT_CACHE, key, entry)
    return doc


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _document_key(
    sha256: str,
    encoding: str | None,
    config: NormalizeConfig | None,
    themes: tuple[Theme, ...] | None,
) -> str:
    from policydiff.cache import make_key

    taxonomy = "none" if not themes else hashlib.sha256(repr(themes).encode()).hexdigest()
    # None is the default config (its fields are in the code digest); a given one by value.
    settings = "default" if config is None else repr(config)
    return make_key(DOCUMENT_CACHE, sha256, encoding or "", settings, taxonomy)


def _section_entry(sec: Section, doc_id: str) -> list[Any]:
    """A section as plain data, its ids relative to the document (``/3.2``)."""
    return [
        sec.id[len(doc_id):],
        None if sec.parent is None else sec.parent[len(doc_id):],
        sec.level,
        sec.label,
        sec.heading,
        list(sec.span),
        list(sec.heading_span),
        list(sec.body_span),
        list(sec.source_span),
        sec.kind,
        [[t.id, t.score] for t in sec.themes],
        sec.title,
    ]


def _span(value: Any, limit: int) -> Span:
    start, end = value
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= limit):
        raise ValueError(f"bad span {value!r}")
    return (start, end)


def _document_from_entry(
    data: Any,
    *,
    doc_id: str,
    path: str,
    sha256: str,
    encoding: str,
    warnings: tuple[str, ...],
    source: str,
    config: NormalizeConfig | None = None,
) -> Document | None:
    """The Document a cache entry describes, or None when the entry does not hold together.

    Sections are rebuilt under ``doc_id``; the title falls back to this path's file name when
    no title line was found, exactly as ``build_document`` does.
    """
    try:
        text = data["text"]
        if not isinstance(text, str) or data["text_sha256"] != _text_digest(text):
            return None
        title = data["title"] or title_from_name(path)
        size = len(text)
        nodes: dict[str, tuple[dict[str, Any], list[str]]] = {}
        order: list[str] = []
        for rel, parent, level, label, heading, span, head, body, src, kind, themes, group in data[
            "sections"
        ]:
            if not isinstance(rel, str) or not isinstance(parent, str) or rel in nodes:
                return None
            fields = {
                "id": doc_id + rel,
                "parent": doc_id + parent,
                "level": int(level),
                "label": str(label),
                "heading": str(heading),
                "span": _span(span, size),
                "heading_span": _span(head, size),
                "body_span": _span(body, size),
                "source_span": _span(src, len(source)),
                "kind": str(kind),
                "themes": tuple(ThemeScore(str(t), float(v)) for t, v in themes),
                "title": bool(group),
            }
            if parent and parent not in nodes:
                return None
            nodes[rel] = (fields, [])
            order.append(rel)
            if parent:
                nodes[parent][1].append(rel)
        top = [rel for rel in order if nodes[rel][0]["parent"] == doc_id]

        def build(rel: str) -> Section:
            fields, children = nodes[rel]
            return Section(**fields, children=tuple(build(c) for c in children))

        root_span, root_source = data["root"]
        root = Section(
            id=doc_id,
            parent=None,
            level=0,
            label="",
            heading=title,
            span=_span(root_span, size),
            heading_span=(0, 0),
            body_span=(0, 0),
            source_span=_span(root_source, len(source)),
            kind="root",
            children=tuple(build(rel) for rel in top),
        )
        return Document(
            id=doc_id,
            path=path,
            title=title,
            sha256=sha256,
            encoding=encoding,
            script=str(data["script"]),
            text=text,
            root=root,
            warnings=tuple(warnings) + tuple(str(w) for w in data["warnings"]),
            source_text=source,
            normalize_config=config,
        )
    except (KeyError, TypeError, ValueError, IndexError, RecursionError):
        return None


def _with_themes(root: Section, text: str, themes: tuple[Theme, ...]) -> Section:
    """A copy of the tree whose sections carry theme scores (heading and whole body)."""
    from policydiff.themes import TextTerms

    terms = TextTerms(text, themes)  # one scan of the text for all its nested sections

    def visit(sec: Section) -> Section:
        children = tuple(visit(c) for c in sec.children)
        if sec.kind == "root":
            return dataclasses.replace(sec, children=children)
        heading = sec.heading_span if sec.heading else None
        scores = terms.classify(heading, (sec.heading_span[1], sec.span[1]))
        return dataclasses.replace(sec, children=children, themes=tuple(scores))

    return visit(root)


# ---------------------------------------------------------------------------------------------
# Word tokens of a document


@dataclass(frozen=True, eq=False)
class DocumentTokens:
    """The jieba word tokens of one document, computed once and shared by every consumer.

    ``ends`` are the end offsets of ``tokenize_spans(text)`` (they tile ``text``).
    ``headings`` maps each section heading to the lengths of its own tokens (the aligner
    tokenizes headings on their own). ``slices`` holds, for the section spans that jieba
    cuts differently alone than inside the whole text (``tokenize.is_stable_cut``; rare), the
    token lengths of that slice tokenized alone.

    Rule: every method returns exactly what tokenizing the same string with
    ``policydiff.tokenize`` returns; what is not held here is tokenized on demand.
    """

    text: str = field(repr=False)
    ends: array[int] = field(repr=False)
    headings: Mapping[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    slices: Mapping[Span, tuple[int, ...]] = field(default_factory=dict, repr=False)

    def spans(self) -> list[Span]:
        """``tokenize_spans(text)``."""
        ends = self.ends.tolist()
        return list(zip([0, *ends][:-1], ends, strict=True))

    def slice_spans(self, start: int, end: int) -> list[Span]:
        """``tokenize_spans(text[start:end])``: spans relative to ``start``."""
        from policydiff.tokenize import is_stable_cut, tokenize_spans

        lengths = self.slices.get((start, end))
        if lengths is not None:
            return _spans_of_lengths(lengths)
        text = self.text
        if not (is_stable_cut(text, start) and is_stable_cut(text, end)):
            return tokenize_spans(text[start:end])
        lo = bisect.bisect_right(self.ends, start)
        hi = bisect.bisect_right(self.ends, end)
        out: list[Span] = []
        previous = start
        for stop in self.ends[lo:hi]:
            out.append((previous - start, stop - start))
            previous = stop
        return out

    def heading_tokens(self, heading: str) -> list[str]:
        """``tokenize(heading)``."""
        lengths = self.headings.get(heading)
        if lengths is None:
            from policydiff.tokenize import tokenize

            return tokenize(heading)
        return [heading[s:e] for s, e in _spans_of_lengths(lengths)]


def _spans_of_lengths(lengths: Sequence[int]) -> list[Span]:
    out = []
    pos = 0
    for length in lengths:
        out.append((pos, pos + length))
        pos += length
    return out


def tokenize_document(doc: Document) -> DocumentTokens:
    """Tokenize a document's text, headings and the section slices that need it."""
    from policydiff.tokenize import is_stable_cut, tokenize, tokenize_spans

    text = doc.text
    ends = array("q", [end for _, end in tokenize_spans(text)])
    headings: dict[str, tuple[int, ...]] = {}
    slices: dict[Span, tuple[int, ...]] = {}
    for sec in doc.sections:
        if sec.heading and sec.heading not in headings:
            headings[sec.heading] = tuple(len(t) for t in tokenize(sec.heading))
        for start, end in (sec.span, sec.own_span):
            if (start, end) not in slices and not (
                is_stable_cut(text, start) and is_stable_cut(text, end)
            ):
                slices[(start, end)] = tuple(len(t) for t in tokenize(text[start:end]))
    return DocumentTokens(text, ends, headings, slices)


_HELD: dict[int, tuple[weakref.ref[Document], DocumentTokens]] = {}
"""The tokens of each live Document object ``document_tokens`` was asked for, by ``id``: a
second consumer of the same Document (the change report's formulation reading after the
comparison's loading) gets them without tokenizing again or reading the cache. An entry goes
with its Document."""


def hold_tokens(doc: Document, tokens: DocumentTokens) -> None:
    """Let ``document_tokens(doc)`` answer ``tokens`` (computed for a copy of ``doc`` with the
    same text and sections, such as the labelled copy ``comparison.load_corpus`` makes)."""
    key = id(doc)
    _HELD[key] = (weakref.ref(doc, lambda _ref: _HELD.pop(key, None)), tokens)


def document_tokens(doc: Document, *, cache: bool | None = None) -> DocumentTokens:
    """The tokens of ``doc``, computed once per Document object (``_HELD``), else from the
    cache when its text was tokenized before.

    Keyed by the sha256 of the normalized text, the tokenizer settings and the code digest;
    an entry whose lengths do not tile the text is ignored and rebuilt.
    """
    held = _HELD.get(id(doc))
    if held is not None and held[0]() is doc:
        return held[1]
    tokens = _document_tokens(doc, cache)
    hold_tokens(doc, tokens)
    return tokens


def _document_tokens(doc: Document, cache: bool | None) -> DocumentTokens:
    from policydiff import cache as store

    key = None
    if store.is_enabled(cache):
        key = store.make_key(TOKEN_CACHE, _text_digest(doc.text), _tokenizer_signature())
        data = store.read_entry(TOKEN_CACHE, key)
        if data is not None:
            tokens = _tokens_from_entry(data, doc.text)
            if tokens is not None:
                return tokens
    tokens = tokenize_document(doc)
    if key is not None:
        ends = tokens.ends.tolist()
        store.write_entry(
            TOKEN_CACHE,
            key,
            {
                "lengths": [e - s for s, e in zip([0, *ends][:-1], ends, strict=True)],
                "headings": {h: list(v) for h, v in tokens.headings.items()},
                "slices": [[s, e, list(v)] for (s, e), v in tokens.slices.items()],
            },
        )
    return tokens


def _tokens_from_entry(data: Any, text: str) -> DocumentTokens | None:
    try:
        lengths = data["lengths"]
        if not all(isinstance(n, int) and n > 0 for n in lengths):
            return None
        ends = array("q", itertools.accumulate(lengths))
        if (ends[-1] if ends else 0) != len(text):
            return None
        headings = {}
        for heading, parts in data["headings"].items():
            if sum(parts) != len(heading) or not all(isinstance(n, int) and n > 0 for n in parts):
                return None
            headings[heading] = tuple(parts)
        slices = {}
        for start, end, parts in data["slices"]:
            span = _span((start, end), len(text))
            if sum(parts) != end - start or not all(isinstance(n, int) and n > 0 for n in parts):
                return None
            slices[span] = tuple(parts)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return DocumentTokens(text, ends, headings, slices)


def _tokenizer_signature() -> str:
    """What the tokens depend on besides our own code: which segmenter (rjieba or jieba), its
    install, and the HMM switch (``tokenize.segmenter_signature``)."""
    from policydiff.tokenize import segmenter_signature

    return segmenter_signature()
