"""Split and merge groups: one section of A whose content went into several sections of B
(a split), or several of A that became one of B (a merge).

``policydiff.align`` chooses the one-to-one matches; this module then finds, among the sections
left over, the extra partners of a matched section, and checks each group:

- by score and body: a left-over section whose best partner is already matched, that scores
  nearly as well with it as that partner's own match (``AlignOptions.split_ratio``), whose body
  covers it (``MIN_SPLIT_BODY``), of a compatible role and not inside that partner; the group
  is kept only when its members cover the shared section clearly better together than the best
  of them alone (``SPLIT_GAIN``); a left-over task with subsections that shares as many of the
  section's words as its partner does, beside that partner, is a candidate whatever its score
  (``_as_close_in_words``);
- by an item: a list item matched outside its parent's partner, to a section beside that
  partner that is closer in words to the whole parent than to the item, stands for its parent
  (``lifted_items``, called by ``policydiff.align`` before the groups above);
- by structure: a left-over section whose matched subsections went, for the most part
  (``STRUCTURAL_AGREEMENT``, at least ``STRUCTURAL_CHILDREN`` of them), into one matched
  section of the other side; or whose one matched subsection went there, when the section's
  own words are closest to the section that subsection is matched to (the task that became
  one item of a larger part: 2019's （七）加强污染防治和生态建设 → 2020's 提高生态环境治理成效
  in 五、实施扩大内需战略).

Every match of a kept group carries the group's name (``Match.group``: the id of the section
with several partners). An analyst's splits and merges are named the same way
(``manual_group``).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np

from policydiff.model import Section

if TYPE_CHECKING:
    from policydiff.features import SectionFeatures
    from policydiff.matches import AlignOptions, Match

STRUCTURAL_AGREEMENT = 0.6
"""The share of a left-over section's matched subsections that must be matched into one
section for it to be that section's split or merge partner (``_extras``)."""

STRUCTURAL_CHILDREN = 2
"""The least matched subsections a left-over section needs for structural evidence (one
suffices when its words agree: ``_one_child_confirmed``)."""

SPLIT_GAIN = 1.3
"""A split or merge group is kept when the body similarity summed over the group is at least
this many times that of its best single member (the partners cover more together)."""

MIN_SPLIT_BODY = 0.2
"""The least body similarity of a split or merge partner with the section it shares."""

Extra = tuple[int, int, str, str]
"""An extra partner: (index in A, index in B, kind ``split`` or ``merge``, group name)."""


def find_groups(
    fa: SectionFeatures, fb: SectionFeatures, matrices: tuple[np.ndarray, np.ndarray, np.ndarray],
    pairs: list[tuple[int, int]], descendants: tuple[np.ndarray, np.ndarray, np.ndarray],
    options: AlignOptions,
) -> list[Extra]:
    """The extra partners of the automatic one-to-one ``pairs``. ``matrices``: (score, body,
    allowed) of every pair of sections; ``descendants``: (count, matched_a, matched_b) of the
    one-to-one matches, manual ones included (``align._descendant_matches``)."""
    score, body, allowed = matrices
    count, matched_a, matched_b = descendants
    partner_a = {i: j for i, j in pairs}
    partner_b = {j: i for i, j in pairs}
    # The share of each section's matched descendants that went into the other section.
    into_a = np.divide(count, matched_b[None, :], out=np.zeros_like(count),
                       where=matched_b[None, :] >= 1)  # for a left-over section of B
    into_b = np.divide(count, matched_a[:, None], out=np.zeros_like(count),
                       where=matched_a[:, None] >= 1)  # for a left-over section of A
    return _extras(fa, fb, score, body, allowed, (into_a, into_b, matched_b, matched_a),
                   partner_a, partner_b, options)


def name_groups(matches: list[Match], extras: list[Extra]) -> list[Match]:
    """``matches`` with the automatic ones of a kept group named after it."""
    grouped = {g for *_, g in extras}
    return [
        dataclasses.replace(m, group=m.a if m.a in grouped else m.b)
        if m.source == "auto" and (m.a in grouped or m.b in grouped) else m
        for m in matches
    ]


def manual_group(
    fa: SectionFeatures, fb: SectionFeatures, manual: list[tuple[int, int, str]], i: int, j: int
) -> str:
    """The group of the analyst's pair (i, j): its section of A for a split, its section of B
    for a merge, "" for a plain pair that shares no section with a split or merge."""
    if all(k == "match" for x, y, k in manual if x == i or y == j):
        return ""
    splits = [k for x, _, k in manual if x == i and k == "split"]
    return fa.sections[i].id if splits else fb.sections[j].id


def _extras(
    fa: SectionFeatures, fb: SectionFeatures, score: np.ndarray, body: np.ndarray,
    allowed: np.ndarray, into: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    partner_a: dict[int, int], partner_b: dict[int, int], options: AlignOptions,
) -> list[Extra]:
    """Split and merge partners, as ``(i, j, kind, group)``.

    A split: a left-over section of B whose best section of A (by score) is matched
    elsewhere, that scores nearly as well with it as its partner (``split_ratio``), whose body
    covers it (``MIN_SPLIT_BODY``), of a compatible role, and not inside that partner. The
    group of that section of A (its partner and every such section) is kept only when the
    summed body similarity is ``SPLIT_GAIN`` times its best member's. Merges likewise, sides
    swapped. The group is named by the section with several partners.

    A left-over section whose matched subsections are matched, for the most part
    (``STRUCTURAL_AGREEMENT``), into one matched section of the other side is its extra
    partner too, whatever the bodies say: its content went there (2019's task （六）促进区域
    协调发展 into 2020's part 五、实施扩大内需战略). With one matched subsection
    (``STRUCTURAL_CHILDREN`` wants two), only when its words agree (``_one_child_confirmed``)
    and no group by score holds it. ``into``: the two shares of matched subsections (B's
    left-over sections into A's, A's into B's) and each side's matched subsection counts.
    """
    out: list[Extra] = []
    for kind, rows, cols, partner, sim, ok, agree, children in (
        ("split", fa, fb, partner_a, score, allowed, into[0], into[2]),
        ("merge", fb, fa, partner_b, score.T, allowed.T, into[1].T, into[3]),
    ):
        bodies = body if kind == "split" else body.T
        used = set(partner.values())
        candidates: dict[int, list[int]] = {}
        structural: list[tuple[int, int]] = []
        weak: list[tuple[int, int]] = []  # one matched subsection: after the score evidence
        for j in range(len(cols.sections)):
            if j in used or not len(rows.sections):
                continue
            i = int(np.argmax(agree[:, j]))
            if (
                agree[i, j] >= STRUCTURAL_AGREEMENT and i in partner and ok[i, j]
                and sim[i, j] >= options.threshold / 2
                and not related(cols.sections[j], cols.sections[partner[i]])
            ):
                if children[j] >= STRUCTURAL_CHILDREN:
                    structural.append((i, j))
                    continue
                if _one_child_confirmed(rows, cols, bodies, partner, i, j):
                    weak.append((i, j))
            i = int(np.argmax(np.where(ok[:, j], sim[:, j], -1.0)))  # best of a compatible role
            if i not in partner or not ok[i, j] or bodies[i, j] < MIN_SPLIT_BODY:
                continue
            mine, theirs = sim[i, j], sim[i, partner[i]]
            if mine < options.threshold:
                continue
            if mine < options.split_ratio * theirs and not _as_close_in_words(
                rows, cols, bodies, partner, i, j
            ):
                continue
            if related(cols.sections[j], cols.sections[partner[i]]):
                continue
            candidates.setdefault(i, []).append(j)
        kept = [(i, j) for i, js in candidates.items() if _covers(bodies, i, [partner[i], *js])
                for j in js]
        taken = {j for _, j in kept}
        for i, j in kept + structural + [(i, j) for i, j in weak if j not in taken]:
            group = rows.sections[i].id
            out.append((i, j, kind, group) if kind == "split" else (j, i, kind, group))
    return out


def _as_close_in_words(
    rows: SectionFeatures, cols: SectionFeatures, bodies: np.ndarray, partner: dict[int, int],
    i: int, j: int,
) -> bool:
    """Whether left-over section ``j`` shares at least as many of ``i``'s words as ``i``'s own
    partner does, beside that partner (their parents matched): a second half of ``i``, whatever
    its heading says (national 2021's （一）保持宏观政策连续性稳定性可持续性 → 2022's （一）着力
    稳定宏观经济大盘 and （二）着力稳市场主体保就业，加大宏观政策实施力度: body 0.44 against the
    match's 0.41, score 0.42 against 0.59). Only sections with subsections: the words of a
    whole task are evidence, those of a short item are not (Hong Kong 2013's 工商及專業服務
    shares more words with 2014's 解決爭議服務 than with its match 專業服務)."""
    if not (rows.sections[i].children and cols.sections[j].children):
        return False
    up_i, up_j = int(rows.context_parents[i]), int(cols.context_parents[j])
    beside = (up_i >= len(rows.sections) and up_j >= len(cols.sections)) or (
        partner.get(up_i) == up_j)
    return beside and bool(bodies[i, j] >= bodies[i, partner[i]])


def _covers(bodies: np.ndarray, i: int, members: list[int]) -> bool:
    """Whether the group ``members`` covers section ``i`` clearly better than its best member
    alone: summed body similarity at least ``SPLIT_GAIN`` times the best one's."""
    values = [float(bodies[i, g]) for g in members]
    return sum(values) >= SPLIT_GAIN * max(values)


def related(x: Section, y: Section) -> bool:
    """True when one section contains the other."""
    return x.id == y.id or y.id.startswith(x.id + ".") or x.id.startswith(y.id + ".")


def _inside(x: Section, y: Section) -> bool:
    """True when ``x`` is ``y`` or inside it."""
    return x.id == y.id or x.id.startswith(y.id + ".")


def _one_child_confirmed(
    rows: SectionFeatures, cols: SectionFeatures, bodies: np.ndarray, partner: dict[int, int],
    i: int, j: int,
) -> bool:
    """Whether left-over section ``j``'s best partner by body is a section inside ``i`` that
    is matched to a subsection of ``j``: its one matched subsection and its own words point to
    the same place (2019's （七）加强污染防治和生态建设: its 加强生态系统保护修复 is matched to
    2020's 提高生态环境治理成效 in 五、实施扩大内需战略, and so is the best body of （七））."""
    best = int(np.argmax(bodies[:, j]))
    return best != i and _inside(rows.sections[best], rows.sections[i]) and best in partner and (
        _inside(cols.sections[partner[best]], cols.sections[j]))


def lifted_items(
    fa: SectionFeatures, fb: SectionFeatures, matrices: tuple[np.ndarray, np.ndarray, np.ndarray],
    pairs: list[tuple[int, int]], options: AlignOptions,
) -> list[tuple[tuple[int, int], Extra]]:
    """Pairs that join a list item to a section outside its parent's partner, read as the
    item's parent split (or merged) into that section: ``((x, c), extra)``, the pair to drop
    and the extra partner in its place.

    An item ``x`` with no subsections, whose parent ``i`` is matched to ``p``, matched to ``c``
    outside ``p``, where ``c``'s parent is matched to ``i``'s parent (``c`` stands beside
    ``p``), ``c``'s words clearly closer to the whole of ``i`` than to ``x`` (``SPLIT_GAIN``
    times the body similarity) and their headings not alike (under ``strong_heading``): ``i``
    went into ``p`` and ``c`` (national 2017's 多措并举降成本, taxes and then the fee items
    一是…五是, into 2018's 大幅降低企业非税负担 and 进一步减轻企业税负, which its item 五是
    alone had taken: body 0.18 with the whole, 0.13 with 五是). Likewise with the sides swapped
    (a merge). A pair that is only a little closer to the whole stays an item's match (national
    2023's 推动产业向中高端迈进 ⇄ 2024's ——现代化产业体系建设取得重要进展: 0.153 and 0.144)."""
    heading, body, allowed = matrices
    out: list[tuple[tuple[int, int], Extra]] = []
    for kind, rows, cols, sims, heads, ok, flipped in (
        ("split", fa, fb, body, heading, allowed, False),
        ("merge", fb, fa, body.T, heading.T, allowed.T, True),
    ):
        partner = {(j if flipped else i): (i if flipped else j) for i, j in pairs}
        n, m = len(rows.sections), len(cols.sections)
        for x, c in partner.items():
            i = int(rows.parents[x])
            if rows.sections[x].children or i >= n or i not in partner:
                continue
            p = partner[i]
            if related(cols.sections[c], cols.sections[p]) or not ok[i, c]:
                continue
            up_i, up_c = int(rows.context_parents[i]), int(cols.context_parents[c])
            if up_i >= n or up_c >= m or partner.get(up_i) != up_c:
                continue
            if sims[i, c] < SPLIT_GAIN * sims[x, c] or heads[x, c] >= options.strong_heading:
                continue
            group = rows.sections[i].id
            pair = (c, x) if flipped else (x, c)
            if any(pair == seen for seen, _ in out):
                continue  # lifted as a split already
            out.append((pair, (c, i, kind, group) if flipped else (i, c, kind, group)))
    return out
