"""Shared phrases, overlap, section location and new/dropped phrases (policydiff.phrases).

Expectations on the seeds and on the 2024/2025 national reports were written by reading the
texts (grep counts noted next to each), not by running the tool.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.chars import MASK
from policydiff.document import build_document
from policydiff.errors import InputError
from policydiff.model import Document, Section
from policydiff.phrases import (
    Change,
    Phrase,
    PhraseSet,
    changes_of,
    find_shared_phrases,
    han_count,
    is_formulaic_text,
    load_formulaic,
    locate,
    overlap_matrix,
    pair_phrases,
)


def words(*docs: list[str]) -> tuple[dict[str, str], dict[str, list[tuple[int, int]]]]:
    """Texts d1, d2, … built from word lists, with the word spans (no jieba needed)."""
    texts: dict[str, str] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for i, doc in enumerate(docs, 1):
        pos = 0
        doc_spans = []
        for word in doc:
            doc_spans.append((pos, pos + len(word)))
            pos += len(word)
        texts[f"d{i}"] = "".join(doc)
        spans[f"d{i}"] = doc_spans
    return texts, spans


def texts_of(ps: PhraseSet) -> set[str]:
    return {p.text for p in ps.phrases}


def by_text(ps: PhraseSet, text: str) -> Phrase:
    matches = [p for p in ps.phrases if p.text == text]
    assert matches, f"{text!r} not among {sorted(texts_of(ps))[:40]}"
    return matches[0]


# --------------------------------------------------------------------------- hand-made texts


def test_two_documents_share_one_phrase_with_exact_offsets() -> None:
    texts, spans = words(
        ["推动", "高质量", "发展", "。", "建设", "现代化", "产业", "体系", "。"],
        ["建设", "现代化", "产业", "体系", "，", "保障", "民生", "。"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    assert texts_of(ps) == {"建设现代化产业体系"}
    phrase = ps.phrases[0]
    assert phrase.kind == "distinctive"
    assert [(o.doc, o.span) for o in phrase.occurrences] == [("d1", (8, 17)), ("d2", (0, 9))]
    assert phrase.counts == (("d1", 1), ("d2", 1))
    (ov,) = overlap_matrix(ps)
    assert ov.jaccard == 1.0
    assert ov.coverage_a == pytest.approx(9 / 16)  # 推动高质量发展 (7) + 9 Han characters
    assert ov.coverage_b == pytest.approx(9 / 13)  # 9 + 保障民生 (4)
    assert ov.shared == 1


def test_phrases_stop_at_newlines_masks_and_documents() -> None:
    texts, spans = words(
        ["深化", "改革", "\n", "扩大", "开放", MASK, "全面", "振兴", "乡村"],
        ["深化", "改革", "\n", "扩大", "开放", MASK, "全面", "振兴", "城市"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    # 深化改革 / 扩大开放 / 全面振兴 are shared, but never joined across \n or the mask
    assert texts_of(ps) == {"深化改革", "扩大开放", "全面振兴"}


def test_min_chars_counts_han_characters_only() -> None:
    texts, spans = words(
        ["2025", "年", "发展", "目标", "，", "GDP", "增长", "5", "%"],
        ["2025", "年", "发展", "目标", "。", "GDP", "增长", "5", "%"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, min_chars=4, formulaic=frozenset())
    # 2025年发展目标 has 5 Han characters; GDP增长5% only 2: not a phrase
    assert texts_of(ps) == {"2025年发展目标"}
    ps6 = find_shared_phrases(texts, word_spans=spans, min_chars=6, formulaic=frozenset())
    assert texts_of(ps6) == set()


def test_phrase_is_trimmed_to_word_boundaries_and_punctuation() -> None:
    # the shared run is "业高质量发展，" (企业/产业 differ); it must lose 业 (mid-word) and "，"
    texts, spans = words(
        ["推动", "企业", "高质量", "发展", "，", "好"],
        ["促进", "产业", "高质量", "发展", "，", "快"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    assert texts_of(ps) == {"高质量发展"}
    assert by_text(ps, "高质量发展").occurrences[0].span == (4, 9)


def test_clause_stubs_are_cut() -> None:
    texts, spans = words(
        ["加快", "推进", "项目", "建设", "，", "推动", "改革", "\n", "一是", "、", "稳定", "就业"],
        ["抓好", "推进", "项目", "建设", "，", "推动", "发展", "\n", "二是", "、", "稳定", "就业"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    # the shared runs are 推进项目建设，推动 and 、稳定就业: the 2-character clause after the
    # comma had only begun, and a phrase does not start with punctuation
    assert texts_of(ps) == {"推进项目建设", "稳定就业"}


def test_phrases_do_not_cut_numbers_brackets_or_dangle() -> None:
    texts, spans = words(
        ["比", "上年", "增加", "1", ".", "3", "万亿元", "\n"],
        ["比", "上年", "增加", "1", ".", "6", "万亿元", "\n"],
        ["推动", "加入", "《", "数字", "经济", "伙伴", "关系", "协定", "》", "\n"],
        ["推动", "加入", "《", "数字", "经济", "伙伴", "关系", "网络", "》", "\n"],
        ["政府", "工作", "人员", "要", "廉洁", "\n", "改善", "性", "住房", "需求", "\n"],
        ["政府", "工作", "人员", "要", "勤勉", "\n", "刚", "性", "住房", "需求", "\n"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    # the raw repeats are 比上年增加1. / 推动加入《数字经济伙伴关系 / 政府工作人员要 /
    # 性住房需求: a number, an open bracket, a dangling 要 and a cut-off suffix 性
    assert texts_of(ps) == {"比上年增加", "推动加入", "政府工作人员", "住房需求"}


def test_occurrence_that_starts_mid_word_elsewhere_is_not_counted() -> None:
    texts, spans = words(
        ["科技", "创新", "能力", "。"],
        ["科技", "创新", "能力", "。"],
        ["理科", "技创", "新能", "力", "。"],  # same characters, other words
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    assert by_text(ps, "科技创新能力").docs == ("d1", "d2")


def test_quoted_terms_are_slogans_even_when_short() -> None:
    texts, spans = words(
        ["深化", "“", "放管服", "”", "改革", "。"],
        ["推进", "“", "放管服", "”", "工作", "。"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    phrase = by_text(ps, "放管服")
    assert phrase.kind == "slogan"
    assert phrase.docs == ("d1", "d2")
    assert phrase.occurrences[0].span == (3, 6)


def test_short_term_quoted_in_one_document_only_is_not_a_phrase() -> None:
    texts, spans = words(["推进", "“", "城市", "”", "建设"], ["城市", "建设", "好"])
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    assert "城市" not in texts_of(ps)


def test_short_quoted_term_must_be_quoted_in_a_third_of_its_uses() -> None:
    stray = ["“", "人民", "”", "，", "人民", "，", "人民", "，", "人民", "\n"]
    coined = ["“", "两重", "”", "，", "两重", "\n"]
    texts, spans = words(stray + coined, stray + coined)
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    # 人民: quoted 2 times out of 8 (25 %); 两重: 2 out of 4 (50 %)
    assert "人民" not in texts_of(ps)
    assert dict(by_text(ps, "两重").counts) == {"d1": 2, "d2": 2}


def test_formulaic_kinds_from_list_and_from_share_of_documents() -> None:
    common = ["加快", "建设", "农业", "强国"]
    texts, spans = words(
        ["坚持", "以人民为中心", "。", *common],
        ["坚持", "以人民为中心", "。", *common],
        ["保障", "民生", "。", *common],
        ["改善", "民生", "。", *common],
        ["改善", "民生", "。"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset({"以人民为中心"}))
    assert by_text(ps, "坚持以人民为中心").kind == "formulaic"  # 5 of 7 Han chars listed
    assert by_text(ps, "加快建设农业强国").kind == "formulaic"  # in 4 of 5 documents (80 %)
    assert by_text(ps, "改善民生").kind == "distinctive"  # in 2 of 5


def test_formulaic_list_is_loaded_and_covers_the_classic_formulas() -> None:
    listed = load_formulaic()
    assert len(listed) >= 80
    assert "习近平新时代中国特色社会主义思想" in listed
    assert is_formulaic_text("以习近平新时代中国特色社会主义思想为指导")
    assert is_formulaic_text("推动高质量发展")
    assert not is_formulaic_text("适度宽松的货币政策")


def test_repetitive_input_stays_fast_and_digits_are_not_a_ruled_line() -> None:
    line = "——" * 20_000 + "推进改革创新工作"
    text = {"a": "发展" * 20_000 + "\n" + line, "b": "发展" * 20_000 + "\n" + line}
    spans = {k: [(i, i + 1) for i in range(len(v))] for k, v in text.items()}
    ps = find_shared_phrases(text, word_spans=spans, formulaic=frozenset())  # quadratic: minutes
    # 发展发展… occurs far more than MAX_OCCURRENCES times; the dashes are a ruled line
    assert texts_of(ps) == {"推进改革创新工作"}
    texts, spans2 = words(["增加", "10000", "亿元", "资金"], ["增加", "10000", "亿元", "资金"])
    assert texts_of(find_shared_phrases(texts, word_spans=spans2)) == {"增加10000亿元资金"}


def test_degenerate_inputs() -> None:
    assert find_shared_phrases({}).phrases == ()
    empty = find_shared_phrases({"a": "", "b": ""}, word_spans={"a": [], "b": []})
    assert empty.phrases == ()
    (ov,) = overlap_matrix(empty)
    assert ov.jaccard == 0.0
    assert ov.coverage_a == 0.0
    texts, spans = words(["发展", "经济"])
    assert find_shared_phrases(texts, word_spans=spans).phrases == ()
    with pytest.raises(InputError):
        find_shared_phrases({"a": "x"}, min_chars=0)


def test_overlap_matrix_lists_each_pair_once_in_document_order() -> None:
    texts, spans = words(
        ["建设", "美丽", "中国"], ["建设", "美丽", "中国"], ["保护", "生态", "环境"]
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    pairs = [(o.a, o.b) for o in overlap_matrix(ps)]
    assert pairs == [("d1", "d2"), ("d1", "d3"), ("d2", "d3")]
    by_pair = {(o.a, o.b): o for o in overlap_matrix(ps)}
    assert by_pair[("d1", "d2")].coverage_a == 1.0
    assert by_pair[("d1", "d3")].jaccard == 0.0


# --------------------------------------------------------------------------- sections


def _section(
    sid: str,
    parent: str | None,
    level: int,
    span: tuple[int, int],
    children: tuple[Section, ...] | list[Section] = (),
) -> Section:
    return Section(
        id=sid,
        parent=parent,
        level=level,
        label="",
        heading="",
        span=span,
        heading_span=(span[0], span[0]),
        body_span=span,
        source_span=span,
        children=tuple(children),
    )


def _document(doc_id: str, text: str, cut: int) -> Document:
    half1 = _section(f"{doc_id}/1", doc_id, 1, (0, cut))
    half2 = _section(
        f"{doc_id}/2",
        doc_id,
        1,
        (cut, len(text)),
        [_section(f"{doc_id}/2.1", f"{doc_id}/2", 2, (cut, len(text)))],
    )
    root = _section(doc_id, None, 0, (0, len(text)), [half1, half2])
    return Document(
        id=doc_id,
        path="",
        title="",
        sha256="",
        encoding="utf-8",
        script="hans",
        text=text,
        root=root,
    )


def test_locate_and_pair_phrases_on_hand_built_sections() -> None:
    texts, spans = words(
        ["扩大", "内需", "。", "发展", "新质", "生产力", "。"],
        ["发展", "新质", "生产力", "。", "扩大", "内需", "战略", "。"],
    )
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset(), min_chars=4)
    docs = [_document("d1", texts["d1"], 5), _document("d2", texts["d2"], 8)]
    located = locate(ps, docs)
    phrase = by_text(located, "发展新质生产力")
    assert [(o.doc, o.section) for o in phrase.occurrences] == [("d1", "d1/2.1"), ("d2", "d2/1")]
    assert by_text(located, "扩大内需").occurrences[1].section == "d2/2.1"
    shared = pair_phrases(located, "d1", (5, 13), "d2", (0, 8))
    assert [(p.text, p.spans_a, p.spans_b) for p in shared] == [
        ("发展新质生产力", ((5, 12),), ((0, 7),))
    ]
    assert pair_phrases(located, "d1", (0, 5), "d2", (0, 8)) == ()


# --------------------------------------------------------------------------- invariants

VOCAB = [
    "发展",
    "改革",
    "创新",
    "推动",
    "建设",
    "现代化",
    "产业",
    "体系",
    "高质量",
    "的",
    "和",
    "，",
    "。",
    "、",
    "\n",
    MASK,
    "“",
    "”",
    "放管服",
    "乡村",
    "振兴",
    "GDP",
    "5",
    "%",
    "市",
    "域",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(VOCAB), max_size=40), min_size=2, max_size=4),
    st.integers(min_value=2, max_value=5),
)
def test_every_reported_occurrence_is_real(docs: list[list[str]], min_chars: int) -> None:
    texts, spans = words(*docs)
    ps = find_shared_phrases(texts, word_spans=spans, min_chars=min_chars, formulaic=frozenset())
    for phrase in ps.phrases:
        assert "\n" not in phrase.text and MASK not in phrase.text
        if phrase.kind == "slogan":
            assert han_count(phrase.text) >= 2
        else:
            assert han_count(phrase.text) >= min_chars
        assert len(phrase.counts) >= 2
        assert sum(n for _, n in phrase.counts) == len(phrase.occurrences)
        assert len(set(phrase.occurrences)) == len(phrase.occurrences)
        first, last = phrase.text[0], phrase.text[-1]
        assert unicodedata.category(first)[0] != "P" or first == "“"
        assert unicodedata.category(last)[0] != "P" or last == "”"
        for occ in phrase.occurrences:
            start, end = occ.span
            assert texts[occ.doc][start:end] == phrase.text
            cuts = {s for s, _ in spans[occ.doc]} | {len(texts[occ.doc])}
            assert start in cuts and end in cuts, "a phrase starts or ends mid-word"
    for ov in overlap_matrix(ps):
        assert 0.0 <= ov.jaccard <= 1.0
        assert 0.0 <= ov.coverage_a <= 1.0 and 0.0 <= ov.coverage_b <= 1.0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from(VOCAB), max_size=30), min_size=2, max_size=3))
def test_new_phrases_really_are_absent_from_the_previous_document(docs: list[list[str]]) -> None:
    texts, spans = words(*docs)
    ps = find_shared_phrases(texts, word_spans=spans, formulaic=frozenset())
    for change in changes_of(ps):
        before, after = texts[change.from_doc], texts[change.to_doc]
        folded = before.replace("5", "0")
        for unit in change.new:
            assert unit.text not in before and unit.text.replace("5", "0") not in folded
            assert unit.spans and all(after[s:e] == unit.text for s, e in unit.spans)
        for unit in change.dropped:
            assert unit.text not in after
            assert all(before[s:e] == unit.text for s, e in unit.spans)


def test_trim_of_han_characters_only_cuts_particles_and_non_boundaries() -> None:
    from policydiff.phrases.trim import trim

    text = "坚持高质量发展的"  # 坚持/高质量/发展/的
    anywhere = lambda o: True  # noqa: E731
    assert trim(text, 0, 7, anywhere) == (0, 7)  # nothing to cut
    assert trim(text, 0, 8, anywhere) == (0, 7)  # the trailing 的
    assert trim(text, 0, 7, lambda o: o in (0, 2, 5, 8)) == (0, 5)  # 7 is no boundary
    assert trim("性住房需求", 0, 5, anywhere) == (1, 5)  # 性 ends the word before


def test_matching_lengths_of_both_texts_from_one_suffix_array() -> None:
    from policydiff.phrases.novelty import _mutual_matching_lengths

    # 两新一重 in 推进两重两新: 两新 (2), 新 (1), 一 is not there (0), 重 (1)
    # 推进两重两新 in 两新一重: 推 0, 进 0, 两 (1: 两重 is not there), 重 (1), 两新 (2), 新 (1)
    first, second = _mutual_matching_lengths("两新一重", "推进两重两新")
    assert first.tolist() == [2, 1, 0, 1, 0]
    assert second.tolist() == [0, 0, 1, 1, 2, 1, 0]
    empty, other = _mutual_matching_lengths("", "两新")
    assert empty.tolist() == [] and other.tolist() == [0, 0, 0]


@settings(max_examples=60, deadline=None)
@given(st.text("ab两新", max_size=25), st.text("ab两新", max_size=25))
def test_mutual_matching_lengths_are_the_longest_prefixes_found(first: str, second: str) -> None:
    from policydiff.phrases.novelty import _matching_lengths, _mutual_matching_lengths

    def longest(a: str, b: str) -> list[int]:
        if not a:
            return []
        return [max(n for n in range(len(a) - i + 1) if a[i : i + n] in b)
                for i in range(len(a))] + [0]

    found = _mutual_matching_lengths(first, second)
    assert [found[0].tolist(), found[1].tolist()] == [
        longest(first, second), longest(second, first)
    ]
    assert _matching_lengths(first, second) == longest(first, second)


# --------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seed_phrases(seed_files: dict[str, Path]) -> tuple[PhraseSet, list[Document]]:
    docs = [
        build_document(path.read_text("utf-8"), doc_id=key, path=str(path))
        for key, path in sorted(seed_files.items())
    ]
    return find_shared_phrases({d.id: d.text for d in docs}), docs


def test_seeds_share_the_guiding_thought_as_a_formulaic_phrase(
    seed_phrases: tuple[PhraseSet, list[Document]],
) -> None:
    ps, _ = seed_phrases
    # counted in the normalized seeds: 001 ×4 (Traditional in the file), 002 ×1, 003 ×4,
    # 004 ×3; 000 never names it
    phrase = by_text(ps, "习近平新时代中国特色社会主义思想")
    assert phrase.kind == "formulaic"
    assert dict(phrase.counts) == {"001": 4, "002": 1, "003": 4, "004": 3}


def test_seeds_share_fangguanfu_as_a_slogan(seed_phrases: tuple[PhraseSet, list[Document]]) -> None:
    ps, _ = seed_phrases
    # “放管服” is quoted in 000, 001, 002 (twice) and 004; 003 writes 深化放管服改革 unquoted
    phrase = by_text(ps, "放管服")
    assert phrase.kind == "slogan"
    assert dict(phrase.counts) == {"000": 1, "001": 1, "002": 2, "003": 1, "004": 1}


def test_seed_phrases_found_by_reading(seed_phrases: tuple[PhraseSet, list[Document]]) -> None:
    ps, _ = seed_phrases
    found = texts_of(ps)
    # counted in the normalized seeds: 全国文明城市创建 000-003 once each; 生产性服务业 000,
    # 002, 004; 高新技术企业 001 ×3, 002 ×1, 003 ×2, 004 ×3
    assert by_text(ps, "全国文明城市创建").docs == ("000", "001", "002", "003")
    assert by_text(ps, "生产性服务业").docs == ("000", "002", "004")
    assert dict(by_text(ps, "高新技术企业").counts) == {"001": 3, "002": 1, "003": 2, "004": 3}
    assert all(han_count(p.text) >= 4 or p.kind == "slogan" for p in ps.phrases)
    assert all("\n" not in text for text in found)


def test_seed_occurrences_are_located_in_the_deepest_section(
    seed_phrases: tuple[PhraseSet, list[Document]],
) -> None:
    ps, docs = seed_phrases
    located = locate(ps, docs)
    sections = {s.id: s for d in docs for s in d.root.walk()}
    for phrase in located.phrases[:200]:
        for occ in phrase.occurrences:
            assert occ.section is not None
            sec = sections[occ.section]
            assert sec.span[0] <= occ.span[0] and occ.span[1] <= sec.span[1]
            assert not any(
                c.span[0] <= occ.span[0] and occ.span[1] <= c.span[1] for c in sec.children
            )


# --------------------------------------------------------------------------- 2024 → 2025


@pytest.fixture(scope="module")
def national_change(corpus_dir: Path) -> Change:
    """2024 → 2025, with 2023 before them in the series (the background for "returning")."""
    texts = {
        year: (corpus_dir / f"national-{year}.txt").read_text("utf-8")
        for year in ("2023", "2024", "2025")
    }
    first, last = changes_of(find_shared_phrases(texts))
    assert (first.from_doc, first.to_doc, last.from_doc, last.to_doc) == (
        "2023",
        "2024",
        "2024",
        "2025",
    )
    return last


def test_new_formulations_of_2025(national_change: Change) -> None:
    new = [u.text for u in national_change.new]
    # quoted in 2025, absent from 2024 (read in both reports)
    slogans = {"两重", "两新", "投资于人", "内卷式", "好房子", "千万工程", "沙戈荒", "十五五"}
    assert slogans <= set(new[:20])
    assert all(u.kind == "slogan" for u in national_change.new[:18])
    # unquoted new wording (grep count in 2024 → 2025): 提振消费 0→3, 止跌回稳 0→2,
    # 零基预算 0→2, 楼市股市 0→2, 适度宽松 0→1, 具身智能 0→1, 育儿补贴 0→1
    for term in (
        "提振消费",
        "止跌回稳",
        "零基预算",
        "楼市股市",
        "适度宽松",
        "具身智能",
        "育儿补贴",
    ):
        assert any(term in text for text in new), term
    for term in ("提振消费", "止跌回稳", "零基预算", "楼市股市"):  # repeated: ranked early
        assert any(term in text for text in new[:80]), term
    # already said in 2024: not new
    for term in ("人工智能+", "新质生产力", "以旧换新", "低空经济", "超长期特别国债"):
        assert term not in new
    assert not any("习近平新时代中国特色社会主义思想" in text for text in new)


def test_returning_phrases_rank_after_first_appearances(national_change: Change) -> None:
    new = {u.text: u for u in national_change.new}
    # 从严治党: 0 times in 2024, twice in 2025, once in 2023 (grep): it returns, it is not new
    returning = next(u for text, u in new.items() if "从严治党" in text)
    fresh = next(u for text, u in new.items() if "楼市股市" in text)  # in no earlier report
    assert returning.elsewhere and not fresh.elsewhere
    order = list(national_change.new)
    assert order.index(fresh) < order.index(returning)


def test_formulaic_units_do_not_drown_the_new_list(national_change: Change) -> None:
    kinds = [u.kind for u in national_change.new]
    assert "formulaic" not in kinds[:100]
    assert kinds == sorted(kinds, key=lambda k: {"slogan": 0, "distinctive": 1, "formulaic": 2}[k])


def test_formulations_dropped_in_2025(national_change: Change) -> None:
    dropped = [u.text for u in national_change.dropped]
    # quoted in 2024 and absent from 2025
    assert {"新三样", "一老一小", "揭榜挂帅", "消费促进年", "平急两用"} <= set(dropped[:20])
    # 2024: 稳健的货币政策要灵活适度; 2025 switched to 适度宽松的货币政策
    assert any("稳健的货币政策" in text for text in dropped)
