"""Section alignment: which section of one report is the parallel of which in another.

For a pair of documents every section of A is scored against every section of B, at every
level, from three pieces of evidence:

- heading similarity: rapidfuzz over the headings (character ``ratio`` and ``token_set_ratio``
  on jieba words, averaged), computed for whole matrices with ``process.cdist``;
- body similarity: cosine of TF-IDF vectors of the sections' words (heading, body and
  subsections), with IDF from all sections of all documents in the comparison, so words that
  every section uses (发展, 建设) count little;
- theme agreement: cosine of the sections' theme scores.

Matches are then chosen globally: an assignment that maximizes the total score (the Hungarian
method), so reordered sections find each other and a strong pair is never lost to an earlier,
weaker one. Further passes prefer pairs whose parents were matched to each other in the
previous pass (a bonus) over pairs across unrelated parts (a penalty), and pairs whose matched
subsections match each other (a bonus), until the choice is stable, so a task stays inside its
counterpart part. Pairs below the threshold, or with almost no shared words and no strongly
similar heading, or of incompatible part roles (``policydiff.roles``: a plan never parallels a
review), stay unmatched. A pair joining a section to a leaf subsection of its real partner is
dropped (``_repair_levels``); subsections left over under matched parents whose bodies share
many words are matched (``_left_in_context``). A section left over whose best partner is
already matched, and which covers it together with that partner's match (summed body
similarity), or whose matched subsections went into it, is reported as the extra partner of a
split (one section of A became two in B) or a merge (two of A became one in B); every match
of the group carries its name (``policydiff.groups`` finds and checks the groups).
A plan of A and the part of B's review that reports on it are linked separately
(``Alignment.reviewed_in``); a new part of B says which parts of A its content came from
(``Alignment.origins``). An analyst's decisions (``Fixed``, from ``policydiff.overrides``) are
kept before the assignment fills the rest.

Rules:
- Every section of each side appears exactly once among the one-to-one matches and the
  unmatched lists; split/merge partners are listed as extra matches with ``kind`` set and do
  not appear in the unmatched lists.
- ``align(A, A)`` matches every section to itself with score 1.
- Sections without a heading (preamble, closing, continuation) are compared by body and theme
  only; a preamble's heading counts as equal to another preamble's, a closing's to a closing's.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from policydiff.assign import assign_positive
from policydiff.chars import has_unified_han
from policydiff.features import SectionFeatures as SectionFeatures
from policydiff.groups import (
    STRUCTURAL_AGREEMENT,
    STRUCTURAL_CHILDREN,
    find_groups,
    lifted_items,
    manual_group,
    name_groups,
)
from policydiff.matches import Alignment as Alignment
from policydiff.matches import AlignOptions as AlignOptions
from policydiff.matches import Fixed as Fixed
from policydiff.matches import Match as Match
from policydiff.model import Document, Section
from policydiff.roles import compatible, reviewed_in, same_named_role

if TYPE_CHECKING:
    from policydiff.document import DocumentTokens

HASH_DIM = 1 << 13  # hashed TF-IDF dimensions; collisions are rare at report vocabulary sizes
MAX_SHARED_TERMS = 6
CONTEXT_PASSES = 4  # re-assign with parent context until stable; 2-3 passes suffice in practice
MAX_SECTION_PAIRS = 25_000_000
"""Section pairs (sections of A × sections of B) one alignment may score. The score matrices
take about 50 bytes per pair (10,000 × 10,000 sections: 4.7 GB and 35 s); real reports have a
few hundred sections each."""

_STOP_WORDS = frozenset(
    "的 和 与 及 等 在 是 了 把 对 为 以 上 中 好 更 新 加快 推进 推动 加强 进一步 着力 坚持 "
    "深入 全面 大力 持续 不断 积极 切实 扎实 努力 实现 提升 发展 建设 工作".split()
)


def _is_content(word: str) -> bool:
    """A word that carries meaning: two or more characters, Han, not a stop word."""
    return (
        len(word) >= 2
        and word not in _STOP_WORDS
        and has_unified_han(word)
    )


def _content_words(tokens: Sequence[str]) -> list[str]:
    return [t for t in tokens if _is_content(t)]


def _bucket(word: str) -> int:
    return zlib.crc32(word.encode("utf-8")) & (HASH_DIM - 1)


class Featurizer:
    """Tokenizes documents once and keeps the IDF of a whole comparison."""

    def __init__(
        self,
        documents: Sequence[Document],
        theme_ids: Sequence[str],
        tokens: Mapping[str, DocumentTokens] | None = None,
    ):
        """``tokens``: the documents' tokens by id when already computed (they are the same as
        tokenizing here, only faster); documents missing from it are tokenized."""
        from policydiff.tokenize import tokenize_spans

        self.theme_ids = list(theme_ids)
        self._tokens = dict(tokens or {})
        self._words: dict[str, list[tuple[int, str]]] = {}
        self._buckets: dict[str, int] = {}  # _bucket of each distinct word, computed once
        seen: dict[str, tuple[str, bool]] = {}  # each distinct word: one string, tested once
        df: Counter[str] = Counter()
        units = 0
        for doc in documents:
            held = self._tokens.get(doc.id)
            spans = held.spans() if held is not None else tokenize_spans(doc.text)
            kept = []
            for s, e in spans:
                word = doc.text[s:e]
                found = seen.get(word)
                if found is None:
                    found = seen[word] = (word, _is_content(word))
                if found[1]:
                    kept.append((s, found[0]))
            self._words[doc.id] = kept
            for sec in doc.sections:
                own = sec.own_span
                df.update(set(self._words_in(doc.id, own)))
                units += 1
        self._idf = {w: math.log((units + 1) / (n + 1)) + 1.0 for w, n in df.items()}
        self._default_idf = math.log(units + 1) + 1.0

    def content_words(self, doc_id: str) -> list[str]:
        """A document's content words in text order (``policydiff.pairs`` ranks documents by
        them)."""
        return [w for _, w in self._words[doc_id]]

    def _words_in(self, doc_id: str, span: tuple[int, int]) -> list[str]:
        import bisect

        words = self._words[doc_id]
        lo = bisect.bisect_left(words, (span[0], ""))
        hi = bisect.bisect_left(words, (span[1], ""))
        return [w for _, w in words[lo:hi]]

    def features(self, doc: Document) -> SectionFeatures:
        from policydiff.tokenize import tokenize

        sections = doc.sections
        n = len(sections)
        rows: list[int] = []
        buckets: list[int] = []
        values: list[float] = []
        terms: list[dict[str, float]] = []
        for i, sec in enumerate(sections):
            counts = Counter(self._words_in(doc.id, sec.span))
            weights = {
                w: (1.0 + math.log(c)) * self._idf.get(w, self._default_idf)
                for w, c in counts.items()
            }
            terms.append(weights)
            known = self._buckets
            for w, value in weights.items():
                rows.append(i)
                bucket = known.get(w)
                if bucket is None:
                    bucket = known[w] = _bucket(w)
                buckets.append(bucket)
                values.append(value)
        # Built straight into the used columns: a dense (n, HASH_DIM) matrix first took 3 GB
        # (and 50 s) for a 10 MB document of 100,000 sections.
        columns, where = np.unique(np.array(buckets, dtype=np.int64), return_inverse=True)
        compact = np.zeros((n, len(columns)), dtype=np.float32)
        np.add.at(
            compact,
            (np.array(rows, dtype=np.int64), where.reshape(-1)),
            np.array(values, dtype=np.float32),
        )
        norms = np.linalg.norm(compact, axis=1, keepdims=True)
        compact /= np.where(norms == 0, 1.0, norms)

        themes = np.zeros((n, max(1, len(self.theme_ids))), dtype=np.float32)
        index = {t: k for k, t in enumerate(self.theme_ids)}
        for i, sec in enumerate(sections):
            for score in sec.themes:
                if score.id in index:
                    themes[i, index[score.id]] = score.score
        tnorms = np.linalg.norm(themes, axis=1, keepdims=True)
        themes /= np.where(tnorms == 0, 1.0, tnorms)

        headings = [s.heading for s in sections]
        held = self._tokens.get(doc.id)
        cut = held.heading_tokens if held is not None else tokenize
        heading_words = [" ".join(_content_words(cut(h))) or h for h in headings]
        from policydiff.roles import role_codes, section_roles  # roles imports no numpy

        return SectionFeatures(
            doc.id, sections, headings, heading_words, columns, compact, terms, self.theme_ids,
            themes, _text_digests(doc.text, sections),
            role_codes(section_roles(doc), [s.id for s in sections]),
        )


def _text_digests(text: str, sections: Sequence[Section]) -> np.ndarray:
    """A 64-bit digest of each section's text (deterministic across processes)."""
    return np.array(
        [
            int.from_bytes(
                hashlib.blake2b(text[s.span[0] : s.span[1]].encode("utf-8", "surrogatepass"),
                                digest_size=8).digest(), "little",
            )
            for s in sections
        ],
        dtype=np.uint64,
    )


def _heading_matrix(fa: SectionFeatures, fb: SectionFeatures) -> np.ndarray:
    from rapidfuzz import fuzz, process

    chars = process.cdist(fa.headings, fb.headings, scorer=fuzz.ratio, dtype=np.float32)
    words = process.cdist(
        fa.heading_words, fb.heading_words, scorer=fuzz.token_set_ratio, dtype=np.float32
    )
    sim: np.ndarray = (chars + words) / 200.0
    # Where either side has no heading: 1 for two headless sections of the same kind
    # (preamble/preamble, closing/closing, body/body), else 0.
    either = fa.headless[:, None] | fb.headless[None, :]
    alike = (fa.kinds[:, None] == fb.kinds[None, :]) & fa.same_kind_ok[:, None]
    sim[either] = alike[either]
    return sim


def _body_matrix(fa: SectionFeatures, fb: SectionFeatures) -> np.ndarray:
    """Cosine similarity of the sections' TF-IDF vectors, over the columns both documents use
    (the other columns contribute nothing).

    Sparse: a section uses about 150 of the thousands of columns, so only the products of
    entries in the same column are formed (all at once, with numpy), and summed per section
    pair; a dense product over the shared columns did a thousand times more work (40 ms a pair
    of provincial reports). Summed in float64 and rounded once to float32: the products of
    float32 values are exact in float64, so the result does not depend on a BLAS library and
    is the float32 value of the exact sum but in the rarest cases.
    """
    _, ia, ib = np.intersect1d(fa.columns, fb.columns, assume_unique=True, return_indices=True)
    n, m = len(fa.sections), len(fb.sections)
    start_a, count_a = fa.col_start[ia], fa.col_start[ia + 1] - fa.col_start[ia]
    start_b, count_b = fb.col_start[ib], fb.col_start[ib + 1] - fb.col_start[ib]
    per_column = count_a * count_b
    total = int(per_column.sum())
    if total == 0:
        return np.zeros((n, m), dtype=np.float32)
    # Product p belongs to column k = column[p]; its offset inside the column's block gives the
    # entry of A (offset // count_b) and of B (offset % count_b).
    column = np.repeat(np.arange(len(ia)), per_column)
    offset = np.arange(total) - np.repeat(np.cumsum(per_column) - per_column, per_column)
    cb = count_b[column]
    entry_a = start_a[column] + offset // cb
    entry_b = start_b[column] + offset % cb
    flat = fa.col_rows[entry_a] * m + fb.col_rows[entry_b]
    weights = fa.col_values[entry_a] * fb.col_values[entry_b]
    sums = np.bincount(flat, weights=weights, minlength=n * m)
    return sums.reshape(n, m).astype(np.float32)


NO_THEME = 0.5
"""The theme agreement of a section without a theme with one that has a theme."""


def _theme_matrix(fa: SectionFeatures, fb: SectionFeatures) -> np.ndarray:
    """Theme agreement: the cosine of the theme scores. Two sections without a theme do not
    disagree (1); a section without a theme says nothing of its subject (the taxonomy has no
    word for Hong Kong's land supply), so beside one with a theme it neither agrees nor
    disagrees (``NO_THEME``: Hong Kong 2013's 土地供應理念和目標, themed ``overview`` by one
    word, lost 2014's unthemed 土地供應 to 短中期增加資助房屋供應, unthemed too)."""
    sim: np.ndarray = fa.themes @ fb.themes.T
    empty_a = ~fa.themes.any(axis=1)
    empty_b = ~fb.themes.any(axis=1)
    sim[np.ix_(empty_a, empty_b)] = 1.0  # neither has a theme: no disagreement
    sim[np.ix_(empty_a, ~empty_b)] = NO_THEME
    sim[np.ix_(~empty_a, empty_b)] = NO_THEME
    clipped: np.ndarray = np.clip(sim, 0.0, 1.0)
    return clipped


def score_matrices(
    fa: SectionFeatures, fb: SectionFeatures, options: AlignOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(score, heading, body, theme) matrices of shape (len A sections, len B sections)."""
    heading = _heading_matrix(fa, fb)
    body = np.clip(_body_matrix(fa, fb), 0.0, 1.0)
    # Identical text is identical body, also for sections without a content word (a cosine of
    # two empty vectors is 0): align(A, A) must score every section 1.
    body[fa.text_digests[:, None] == fb.text_digests[None, :]] = 1.0
    theme = _theme_matrix(fa, fb)
    has_heading = np.outer(fa.has_heading, fb.has_heading)
    w_h, w_b, w_t = options.heading_weight, options.body_weight, options.theme_weight
    full = w_h * heading + w_b * body + w_t * theme
    no_heading = (w_b * body + w_t * theme) / (w_b + w_t)
    score = np.where(has_heading, full, no_heading)
    return np.clip(score, 0.0, 1.0), heading, body, theme


def _in_context(
    fa: SectionFeatures, fb: SectionFeatures, pairs: list[tuple[int, int]]
) -> np.ndarray:
    """True where the two sections' parents are matched in ``pairs`` (or both are roots); a
    group title (``context_parents``) does not count as a parent."""
    n, m = len(fa.sections), len(fb.sections)
    matched = np.zeros((n + 1, m + 1), dtype=bool)  # row n / column m: the roots
    matched[n, m] = True
    if pairs:
        rows, cols = zip(*pairs, strict=True)
        matched[list(rows), list(cols)] = True
    context: np.ndarray = matched[np.ix_(fa.context_parents, fb.context_parents)]
    return context


def _shared_terms(wa: dict[str, float], wb: dict[str, float]) -> tuple[str, ...]:
    """The words both sections weigh most (product of weights, then the word: a total order;
    a partial selection when there are many)."""
    if len(wb) < len(wa):
        wa, wb = wb, wa
    ranked = [(-(weight * wb[w]), w) for w, weight in wa.items() if w in wb]
    if len(ranked) > 4 * MAX_SHARED_TERMS:
        ranked = heapq.nsmallest(MAX_SHARED_TERMS, ranked)
    else:
        ranked.sort()
    return tuple(w for _, w in ranked[:MAX_SHARED_TERMS])


def _shared_themes(a: Section, b: Section) -> tuple[str, ...]:
    b_ids = {t.id for t in b.themes}
    return tuple(t.id for t in a.themes if t.id in b_ids)


def _role_matrix(
    fa: SectionFeatures, fb: SectionFeatures, test: Callable[[str, str, bool], bool],
    default: bool = True,
) -> np.ndarray:
    """``test(role a, role b, below_part)`` (``policydiff.roles``) for every pair of sections,
    ``below_part`` where either is below its part; ``default`` when roles are absent."""
    n, m = len(fa.sections), len(fb.sections)
    if len(fa.roles) != n or len(fb.roles) != m or not n or not m:  # (an empty document)
        return np.full((n, m), default, dtype=bool)
    names_a, codes_a = np.unique(np.array(fa.roles, dtype=object), return_inverse=True)
    names_b, codes_b = np.unique(np.array(fb.roles, dtype=object), return_inverse=True)
    rows, cols = codes_a.reshape(-1), codes_b.reshape(-1)
    tables = [
        np.array([[test(x, y, below) for y in names_b] for x in names_a], dtype=bool)
        for below in (False, True)
    ]
    below_a = np.array([s.level > 1 for s in fa.sections], dtype=bool)
    below_b = np.array([s.level > 1 for s in fb.sections], dtype=bool)
    below = below_a[:, None] | below_b[None, :]
    out: np.ndarray = np.where(below, tables[1][np.ix_(rows, cols)], tables[0][np.ix_(rows, cols)])
    return out


def _assign_in_context(
    fa: SectionFeatures, fb: SectionFeatures, gain: np.ndarray, plausible: np.ndarray,
    fixed: list[tuple[int, int]], options: AlignOptions,
) -> list[tuple[int, int]]:
    """The one-to-one pairs: a first assignment, then passes that prefer pairs whose parents
    were matched to each other (or are both roots) until the choice is stable, so a task stays
    inside its counterpart part instead of jumping to a look-alike elsewhere. ``fixed`` pairs
    (an analyst's) count as matched parents and are not in ``gain``."""
    pairs = assign_positive(gain)
    previous: tuple[np.ndarray, np.ndarray] | None = None
    for _ in range(CONTEXT_PASSES):
        in_context = _in_context(fa, fb, pairs + fixed)
        agreement = _children_agreement(fa, fb, pairs + fixed)
        if previous is not None and np.array_equal(in_context, previous[0]) and np.array_equal(
            agreement, previous[1]
        ):
            break  # the same choice matrix as last pass: assign() would return ``pairs`` again
        previous = (in_context, agreement)
        choice = np.where(
            in_context, gain + options.context_bonus, gain * (1.0 - options.context_penalty)
        )
        choice = choice + options.children_bonus * agreement
        chosen = assign_positive(np.where(plausible, choice, 0.0))
        if chosen == pairs:
            break
        pairs = chosen
    return pairs


def _children_agreement(
    fa: SectionFeatures, fb: SectionFeatures, pairs: list[tuple[int, int]]
) -> np.ndarray:
    """For every pair of sections, the share of their matched descendants that are matched to
    each other (bottom-up evidence: 2013's （六）教育 is 2014's （四）培育下一代 because their
    sub-headings match each other), from ``pairs``; 0 where neither has matched descendants."""
    out, matched_a, matched_b = _descendant_matches(fa, fb, pairs)
    most = np.maximum(matched_a[:, None], matched_b[None, :])
    share: np.ndarray = np.divide(out, most, out=np.zeros_like(out), where=most > 0)
    return share


def _descendant_matches(
    fa: SectionFeatures, fb: SectionFeatures, pairs: list[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(count, matched_a, matched_b): how many pairs join a descendant of section i to a
    descendant of section j, and how many pairs hold a descendant of each section."""
    n, m = len(fa.sections), len(fb.sections)
    out = np.zeros((n, m), dtype=np.float64)
    matched_a = np.zeros(n)
    matched_b = np.zeros(m)
    if not pairs:
        return out, matched_a, matched_b
    up_a = [_ancestors(fa.parents, i) for i in range(n)]
    up_b = [_ancestors(fb.parents, j) for j in range(m)]
    for i, j in pairs:
        for x in up_a[i]:
            matched_a[x] += 1
            for y in up_b[j]:
                out[x, y] += 1
        for y in up_b[j]:
            matched_b[y] += 1
    return out, matched_a, matched_b


def _repair_levels(
    fa: SectionFeatures, fb: SectionFeatures, pairs: list[tuple[int, int]],
    fixed: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The pairs without those joining a section to a subsection of its real partner: a pair
    (x, c) is dropped when c has no subsections, c's parent y is matched to another section,
    and x's matched subsections went (``STRUCTURAL_AGREEMENT`` of them, at least
    ``STRUCTURAL_CHILDREN``) into y but none into c (2019's （八）深化重点领域改革 matched to
    2020's 4.1, a subsection of 四、依靠改革激发市场主体活力, which holds its subsections).
    Such an x then becomes y's merge partner (``policydiff.groups``); likewise with the sides
    swapped.
    Not when y is matched to x's parent (Hong Kong 2013's title ``廢物管理`` in （五）, 2014's
    ``廢物管理`` in （六）: the subsections follow the chapters)."""
    count, matched_a, matched_b = _descendant_matches(fa, fb, pairs + fixed)
    partner_a = {i: j for i, j in pairs + fixed}
    partner_b = {j: i for i, j in pairs + fixed}
    kept = []
    for x, c in pairs:
        y = int(fb.parents[c])
        if y < len(fb.sections) and not fb.sections[c].children and partner_b.get(
            y, x
        ) not in (x, int(fa.parents[x])) and _went_into(count[x, :], matched_a[x], c, y):
            continue
        y = int(fa.parents[x])
        if y < len(fa.sections) and not fa.sections[x].children and partner_a.get(
            y, c
        ) not in (c, int(fb.parents[c])) and _went_into(count[:, c], matched_b[c], x, y):
            continue
        kept.append((x, c))
    return kept


CONTEXT_BODY = 0.3
"""Body similarity from which left-over sections under matched parents are matched."""


def _left_in_context(
    fa: SectionFeatures, fb: SectionFeatures, pairs: list[tuple[int, int]],
    fixed: list[tuple[int, int]], body: np.ndarray,
) -> list[tuple[int, int]]:
    """``pairs`` and, one to one by body similarity, left-over sections under matched parents
    whose bodies share many words (``CONTEXT_BODY``; ``body`` is 0 where roles forbid): the
    parents' match is the evidence the headings and themes lack (2017's 扎實有效去產能 and
    2018's 繼續破除無效供給 in the matched supply-side tasks)."""
    taken_a = {i for i, _ in pairs + fixed}
    taken_b = {j for _, j in pairs + fixed}
    # Free and below some section (top-level parts have only the roots in common).
    # dtype=bool: a document without sections would otherwise give a float array, which ``&``
    # refuses (``policydiff align <empty file> B`` crashed here).
    free_a = np.array(
        [i not in taken_a and s.level > 1 for i, s in enumerate(fa.sections)], dtype=bool
    )
    free_b = np.array(
        [j not in taken_b and s.level > 1 for j, s in enumerate(fb.sections)], dtype=bool
    )
    ok = _in_context(fa, fb, pairs + fixed) & (body >= CONTEXT_BODY) & np.outer(free_a, free_b)
    if not ok.any():
        return pairs
    return sorted(pairs + assign_positive(np.where(ok, body, 0.0)))


def _went_into(counts: np.ndarray, matched: float, wrong: int, right: int) -> bool:
    """Whether a section's matched subsections went into ``right`` and none into ``wrong``."""
    return bool(
        matched >= STRUCTURAL_CHILDREN and counts[wrong] == 0
        and counts[right] >= STRUCTURAL_AGREEMENT * matched
    )


def _ancestors(parents: np.ndarray, i: int) -> list[int]:
    """The sections above section ``i`` (its parent first), roots excluded."""
    out = []
    k = int(parents[i])
    while k < len(parents):
        out.append(k)
        k = int(parents[k])
    return out


def align_features(
    fa: SectionFeatures, fb: SectionFeatures, options: AlignOptions | None = None,
    fixed: Fixed | None = None,
) -> Alignment:
    """Align two documents from their precomputed features; ``fixed``: an analyst's pairs
    (kept, marked ``source="manual"``) and forbidden pairs, applied before the assignment.

    A pair with more than ``MAX_SECTION_PAIRS`` section pairs is refused (``InputError``)
    rather than run out of memory.
    """
    if len(fa.sections) * len(fb.sections) > MAX_SECTION_PAIRS:
        from policydiff.errors import InputError

        raise InputError(
            f"documents {fa.doc_id} and {fb.doc_id} have {len(fa.sections):,} and "
            f"{len(fb.sections):,} sections, over {MAX_SECTION_PAIRS:,} pairs of sections to "
            "score: too many to align in memory; compare smaller parts of them"
        )
    options = options or AlignOptions()
    score, heading, body, _theme = score_matrices(fa, fb, options)
    if options.role_bonus:
        same = _role_matrix(fa, fb, same_named_role, default=False)
        score = np.clip(score + options.role_bonus * same, 0.0, 1.0)

    def make(i: int, j: int, kind: str = "match", source: str = "auto", group: str = "") -> Match:
        sa, sb = fa.sections[i], fb.sections[j]
        return Match(
            a=sa.id,
            b=sb.id,
            score=round(float(score[i, j]), 4),
            themes=_shared_themes(sa, sb),
            heading_similarity=round(float(heading[i, j]), 4),
            body_similarity=round(float(body[i, j]), 4),
            shared_terms=_shared_terms(fa.terms[i], fb.terms[j]),
            kind=kind,
            source=source,
            group=group,
        )

    plausible = (score >= options.threshold) & (
        (body >= options.min_body) | (heading >= options.strong_heading)
    )
    allowed = _role_matrix(fa, fb, compatible)  # then without the analyst's rows and pairs
    # A heading with no text of its own (empty, or a title: Hong Kong 2014's 教育 above 幼兒教育)
    # is matched only to another such heading, or to a near-identical one; a title also to a
    # section of alike heading that holds its group's content in its own text (Hong Kong 2013's
    # 短中期增加房屋土地供應 lists as (1)…(10) what 2014's title 短中期土地供應 gives headings).
    empty_a = fa.empty | fa.titles
    empty_b = fb.empty | fb.titles
    one_empty = empty_a[:, None] != empty_b[None, :]
    one_title = (fa.titles[:, None] & ~empty_b[None, :]) | (~empty_a[:, None] & fb.titles[None, :])
    holds_group = one_title & (heading >= options.strong_heading) & (body >= TITLE_BODY)
    allowed &= ~one_empty | (heading >= SAME_HEADING) | holds_group
    manual, forbidden = _fixed_indices(fa, fb, fixed or Fixed())
    for i, j in forbidden:
        allowed[i, j] = False
    for i, j, _kind in manual:
        allowed[i, :] = False
        allowed[:, j] = False
    plausible &= allowed
    gain = np.where(plausible, score, 0.0)
    fixed_pairs = [(i, j) for i, j, kind in manual if kind == "match"]
    pairs = _assign_in_context(fa, fb, gain, plausible, fixed_pairs, options)
    pairs = _repair_levels(fa, fb, pairs, fixed_pairs)
    pairs = _left_in_context(fa, fb, pairs, fixed_pairs, np.where(allowed, body, 0.0))
    lifted = lifted_items(fa, fb, (heading, body, allowed), pairs, options)
    dropped = {pair for pair, _ in lifted}
    pairs = [pair for pair in pairs if pair not in dropped]
    matches = [make(i, j) for i, j in pairs]
    for i, j, kind in manual:
        matches.append(make(i, j, kind, "manual", manual_group(fa, fb, manual, i, j)))
    one_to_one = pairs + [(i, j) for i, j, kind in manual]
    extras = find_groups(fa, fb, (score, body, allowed), pairs,
                         _descendant_matches(fa, fb, one_to_one), options)
    # a section a lifted item placed is no other group's partner
    placed = {(kind, j if kind == "split" else i) for i, j, kind, _ in (e for _, e in lifted)}
    extras = [e for e in extras if (e[2], e[1] if e[2] == "split" else e[0]) not in placed]
    extras += [extra for _, extra in lifted]
    extra_matches = [make(i, j, kind, group=group) for i, j, kind, group in extras]
    matches = name_groups(matches, extras)
    taken_a = {i for i, _ in one_to_one} | {i for i, _, k, _ in extras if k == "merge"}
    taken_b = {j for _, j in one_to_one} | {j for _, j, k, _ in extras if k == "split"}
    order_a = {s.id: k for k, s in enumerate(fa.sections)}
    order_b = {s.id: k for k, s in enumerate(fb.sections)}
    all_matches = sorted(matches + extra_matches, key=lambda m: (order_a[m.a], order_b[m.b]))
    unmatched_a = tuple(s.id for i, s in enumerate(fa.sections) if i not in taken_a)
    unmatched_b = tuple(s.id for j, s in enumerate(fb.sections) if j not in taken_b)
    reviewed = _reviewed_links(fa, fb, score, body, options, make)
    return Alignment(
        fa.doc_id, fb.doc_id, tuple(all_matches), unmatched_a, unmatched_b,
        reviewed_in=tuple(reviewed), origins=_origins(fb, all_matches, set(unmatched_b)),
    )


def _fixed_indices(
    fa: SectionFeatures, fb: SectionFeatures, fixed: Fixed
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    index_a = {s.id: k for k, s in enumerate(fa.sections)}
    index_b = {s.id: k for k, s in enumerate(fb.sections)}
    manual = [
        (index_a[a], index_b[b], kind) for a, b, kind in fixed.pairs
        if a in index_a and b in index_b
    ]
    forbidden = [
        (index_a[a], index_b[b]) for a, b in fixed.forbidden if a in index_a and b in index_b
    ]
    return manual, forbidden


SAME_HEADING = 0.9
"""A heading similarity from which two headings are the same words (安老 ⇄ 安老)."""

TITLE_BODY = 0.4
"""The body similarity from which a section of alike heading holds a group title's content."""

def _reviewed_links(
    fa: SectionFeatures, fb: SectionFeatures, score: np.ndarray, body: np.ndarray,
    options: AlignOptions, make: Callable[..., Match],
) -> list[Match]:
    """Plans of A (tasks, chapters) and the sections of B's review that report on them: a
    one-to-one assignment over those pairs only, by the same score and threshold."""
    allowed = _role_matrix(fa, fb, reviewed_in)
    if not allowed.any():
        return []
    ok = allowed & (score >= options.threshold) & (body >= options.min_body)
    pairs = assign_positive(np.where(ok, score, 0.0))
    return [make(i, j, "reviewed_in") for i, j in pairs]


def _origins(
    fb: SectionFeatures, matches: list[Match], unmatched_b: set[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each unmatched top-level part of B with the top-level parts of A that its subsections
    are matched into, most matched first (``Alignment.origins``)."""
    def top(section_id: str) -> str:
        doc, _, path = section_id.partition("/")
        return f"{doc}/{path.split('.')[0]}"

    out = []
    for sec in fb.sections:
        if sec.level != 1 or sec.id not in unmatched_b:
            continue
        counts = Counter(
            top(m.a) for m in matches if m.b.startswith(sec.id + ".") and m.kind != "merge"
        )
        if counts:
            ranked = sorted(counts, key=lambda p: (-counts[p], p))
            out.append((sec.id, tuple(ranked)))
    return tuple(out)


def align(
    doc_a: Document,
    doc_b: Document,
    *,
    options: AlignOptions | None = None,
    theme_ids: Sequence[str] = (),
) -> Alignment:
    """Align two documents (convenience wrapper that builds the features itself)."""
    featurizer = Featurizer([doc_a, doc_b], theme_ids)
    return align_features(featurizer.features(doc_a), featurizer.features(doc_b), options)
