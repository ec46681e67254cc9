"""New, dropped, renamed and distinctive formulations (policydiff.changes.formulations).

Every expectation was chosen by reading the reports (the line or the count quoted in the
comment); none is the tool's output asserted back. Corpus tests skip when the corpus is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.changes.formulation_reading import fold
from policydiff.changes.formulations import (
    FormulationChanges,
    distinctive_formulations,
    formulation_changes,
)
from policydiff.config import Config
from policydiff.document import build_document, load_document
from policydiff.model import Document

CONFIG = Config()
TOP = 30


def _doc(text: str, doc_id: str, path: str) -> Document:
    return build_document(text, doc_id=doc_id, path=path)


def _texts(items: object, n: int = TOP) -> list[str]:
    return [f.text for f in list(items)[:n]]  # type: ignore[call-overload]


# --------------------------------------------------------------------------- small documents
# Sentences copied from the national reports (2024 and 2025).

OLD_2024 = (
    "一、2024年工作回顾\n"
    "过去一年，我们推动经济回升向好。\n"
    "二、2025年政府工作任务\n"
    "深入推进数字经济创新发展。制定支持数字经济高质量发展政策，积极推进数字产业化、产业数字化，"
    "深入推进数字经济创新发展，开展“人工智能+”行动。\n"
    "锚定建设农业强国目标，学习运用“千村示范、万村整治”工程经验，因地制宜、分类施策。\n"
)
NEW_2025 = (
    "一、2024年工作回顾\n"
    "“嫦娥六号”实现人类首次月背采样，“梦想”号大洋钻探船建成入列。\n"
    "二、2025年政府工作任务\n"
    "持续推进“人工智能+”行动，将数字技术与制造优势、市场优势更好结合起来。"
    "培育生物制造、量子科技、具身智能、6G等未来产业。\n"
    "坚持农业农村优先发展，学习运用“千万工程”经验，完善强农惠农富农支持制度。\n"
)


def _small_changes() -> FormulationChanges:
    old = _doc(OLD_2024, "d1", "national-2024.txt")
    new = _doc(NEW_2025, "d2", "national-2025.txt")
    return formulation_changes(old, new, config=CONFIG)


def test_a_quoted_term_the_other_report_has_is_not_new() -> None:
    # 2024: 开展“人工智能+”行动; 2025: 持续推进“人工智能+”行动 — the same term.
    changes = _small_changes()
    assert "人工智能+" not in _texts(changes.new, 1000)
    assert "人工智能+" not in _texts(changes.dropped, 1000)


def test_names_of_things_are_not_formulations() -> None:
    # “嫦娥六号” (a probe) and “梦想”号 (a ship) are facts of the review, not policy terms.
    texts = _texts(_small_changes().new, 1000)
    assert "嫦娥六号" not in texts and "梦想" not in texts


def test_a_renamed_formulation_is_one_change() -> None:
    # 学习运用“千村示范、万村整治”工程经验 (2024) → 学习运用“千万工程”经验 (2025)
    changes = _small_changes()
    pairs = [(r.old.text, r.new.text) for r in changes.renamed]
    assert ("千村示范、万村整治", "千万工程") in pairs
    assert "千万工程" not in _texts(changes.new, 1000)
    assert "千村示范、万村整治" not in _texts(changes.dropped, 1000)


def test_a_new_term_carries_its_place() -> None:
    # 具身智能 is new in 2025 and sits in the plan part; its sentence and offsets are exact.
    changes = _small_changes()
    new = {f.text: f for f in changes.new}
    assert "具身智能" in new
    found = new["具身智能"]
    doc = _doc(NEW_2025, "d2", "national-2025.txt")
    assert doc.text[found.start : found.end] == "具身智能"
    assert found.sentence == "培育生物制造、量子科技、具身智能、6G等未来产业。"
    assert doc.section(found.section).heading.endswith("2025年政府工作任务")


def test_seeds_formulations_point_at_their_text(seed_files: dict[str, Path]) -> None:
    # Two 2022 seed reports (a district's and a city's): whatever is found, each formulation
    # is the text at its offsets, inside its sentence and its section, and none of the "new"
    # ones occurs in the other report.
    old = load_document(seed_files["002"], doc_id="d1")
    new = load_document(seed_files["003"], doc_id="d2")
    changes = formulation_changes(old, new, config=CONFIG)
    assert changes.new and changes.dropped
    for doc, other, items in ((new, old, changes.new), (old, new, changes.dropped)):
        for f in items:
            assert doc.text[f.start : f.end] == f.text
            assert f.text in f.sentence
            sec = doc.section(f.section)
            assert sec.span[0] <= f.start and f.end <= sec.span[1]
            assert fold(f.text) not in fold(other.text)
    scores = [f.score for f in changes.new]
    assert scores == sorted(scores, reverse=True)


def test_masked_names_are_not_formulations(seed_files: dict[str, Path]) -> None:
    # Seed 000 quotes masked names (“数字**”, “健康**”: the ** hides a place name); such a
    # quotation is no formulation, nor is any phrase holding a mask.
    seeds = [load_document(seed_files[k], doc_id=f"d{k}") for k in ("000", "001", "002")]
    changes = formulation_changes(seeds[0], seeds[1], others=seeds[2:], config=CONFIG)
    assert "两山" in _texts(changes.dropped, 10_000)  # seed 000: 践行“两山”理念; 001 (兩山): none
    for f in (*changes.new, *changes.dropped):
        assert "＊" not in f.text and "*" not in f.text, f.text


# --------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> dict[str, Document]:
    paths = sorted(corpus_dir.glob("*.txt"))
    return {p.name: load_document(p, doc_id=f"d{k}") for k, p in enumerate(paths)}


def _changes(corpus: dict[str, Document], a: str, b: str) -> FormulationChanges:
    others = [doc for name, doc in corpus.items() if name not in (a, b)]
    return formulation_changes(corpus[a], corpus[b], others=others, config=CONFIG)


def _nothing_new_the_other_has(changes: FormulationChanges, old: Document, new: Document) -> None:
    for f in changes.new:
        assert fold(f.text) not in fold(old.text), f.text
    for f in changes.dropped:
        assert fold(f.text) not in fold(new.text), f.text


def test_national_2024_to_2025(corpus: dict[str, Document]) -> None:
    changes = _changes(corpus, "national-2024.txt", "national-2025.txt")
    _nothing_new_the_other_has(changes, corpus["national-2024.txt"], corpus["national-2025.txt"])
    top_new = _texts(changes.new)
    # Each occurs in 2025 and not in 2024 (grep -c: 2024 0, 2025 ≥ 1): “两重”, “好房子”,
    # “投资于人”, 具身智能, 耐心资本, “内卷式”竞争, “沙戈荒”, “土特产”.
    expected = ("两重", "好房子", "投资于人", "具身智能", "耐心资本", "内卷式", "沙戈荒", "土特产")
    for term in expected:
        assert term in top_new, term
    # 加力支持“两新”工作 (2025, in the review): 2020 and 2021 had it only inside “两新一重”, a
    # formula of its own; the issue names 两新 a short formulation that must count.
    assert "两新" in top_new
    # Noise of today's list (issue 13): facts, old terms back from earlier reports (双一流:
    # 2018; 三保障: 2019, 2023) and generic runs of words.
    for noise in ("嫦娥六号", "梦想", "双一流", "三保障", "动态调整", "持续优化", "更大力度",
                  "推动科技", "服务体系"):
        assert noise not in top_new, noise
    assert "人工智能+" not in _texts(changes.new, 10_000)  # 2024: 开展“人工智能+”行动
    # 2024 has 建设海洋强国, 人才强国 and “消费促进年”; 2025 has none of them.
    top_dropped = _texts(changes.dropped)
    for term in ("海洋强国", "人才强国", "消费促进年"):
        assert term in top_dropped, term
    for noise in ("深入开展", "产业发展", "薄弱环节"):  # the dropped noise
        assert noise not in top_dropped, noise
    pairs = {(r.old.text, r.new.text) for r in changes.renamed}
    # 推动“保交楼” (2024, 1×) → “保交房” (2025, 2×, 2024 0×); and the 千万工程 sentence.
    assert {("保交楼", "保交房"), ("千村示范、万村整治", "千万工程")} <= pairs
    # Reworded noun phrases are edits, not renamed formulations: 2024 优化就业创业指导服务
    # against 2025 优化就业创业服务: neither is a term.
    assert all(r.old.text != "创业指导服务" for r in changes.renamed)


def test_national_2023_to_2024(corpus: dict[str, Document]) -> None:
    changes = _changes(corpus, "national-2023.txt", "national-2024.txt")
    _nothing_new_the_other_has(changes, corpus["national-2023.txt"], corpus["national-2024.txt"])
    # First written in 2024 (grep -c 2023: 0): 新质生产力, 开展“人工智能+”行动, 低空经济,
    # 未来产业, 超长期特别国债, 银发经济, “高效办成一件事”.
    top_new = _texts(changes.new)
    for term in ("新质生产力", "人工智能+", "低空经济", "未来产业", "超长期特别国债", "银发经济",
                 "高效办成一件事"):
        assert term in top_new, term
    # 2023 still speaks of “六稳”“六保”; 2024 no more.
    top_dropped = _texts(changes.dropped)
    assert "六稳" in top_dropped and "六保" in top_dropped
    # 2023: 实施自由贸易试验区提升战略; 2024: 深入实施自贸试验区提升战略 (each 2×, never the
    # other form): one renamed term, and in neither list.
    pairs = {(r.old.text, r.new.text) for r in changes.renamed}
    assert ("自由贸易试验区", "自贸试验区") in pairs
    assert "自贸试验区" not in _texts(changes.new, 10_000)


def test_national_2021_to_2022(corpus: dict[str, Document]) -> None:
    changes = _changes(corpus, "national-2021.txt", "national-2022.txt")
    _nothing_new_the_other_has(changes, corpus["national-2021.txt"], corpus["national-2022.txt"])
    # 2022 introduces 专精特新, “两个确立”, 全国统一大市场, 爱国者治港 (2021: 0 each).
    top_new = _texts(changes.new)
    for term in ("专精特新", "两个确立", "全国统一大市场", "爱国者治港"):
        assert term in top_new, term
    # 2021 (the plan's first year) has “十三五” 3×, 三去一降一补, 保市场主体 4×; 2022 none.
    top_dropped = _texts(changes.dropped)
    for term in ("十三五", "三去一降一补", "保市场主体"):
        assert term in top_dropped, term


def test_hong_kong_address_2014_to_2015(corpus: dict[str, Document]) -> None:
    a, b = "hk-policy-address-2014-zht.txt", "hk-policy-address-2015-zht.txt"
    changes = _changes(corpus, a, b)
    _nothing_new_the_other_has(changes, corpus[a], corpus[b])
    # 2015: 是國內外的“超級聯繫人” (2014: 0); 房屋委員會(“房委會”) is a body's short name.
    top_new = _texts(changes.new)
    assert "超级联系人" in top_new
    assert "房委会" not in _texts(changes.new, 10_000)
    # 2014 has 綜援 13× and “雙非”兒童; 2015 neither.
    top_dropped = _texts(changes.dropped)
    assert "综援" in top_dropped and "双非" in top_dropped


def test_guangdong_among_the_provinces(corpus: dict[str, Document]) -> None:
    provinces = {n: d for n, d in corpus.items() if n.startswith("prov-2026-")}
    assert len(provinces) == 31
    me = provinces["prov-2026-guangdong.txt"]
    others = [d for n, d in provinces.items() if n != "prov-2026-guangdong.txt"]
    found = distinctive_formulations(me, others, config=CONFIG)
    top = _texts(found)
    # Guangdong's own programmes, written by no other province (grep -l: only guangdong):
    # 百县千镇万村高质量发展工程 and 百万英才汇南粤.
    assert "百县千镇万村高质量发展工程" in top[:10]
    assert "百万英才汇南粤" in top[:10]
    # Distinctive: no formulation of the top is written by more than 3 of the 30 others
    # (高质量发展 or 新质生产力 are in all of them).
    for text in top:
        having = sum(fold(text) in fold(d.text) for d in others)
        assert having <= 3, (text, having)
    assert "新质生产力" not in _texts(found, 10_000)


def test_guangdong_among_five_provinces(corpus: dict[str, Document]) -> None:
    # Issue 13: for peers, what is distinctive of each against the rest, not "new relative
    # to Gansu". With four peers a formulation of Guangdong's list is written by none of them.
    names = ("guangdong", "gansu", "beijing", "shanghai", "zhejiang")
    docs = {n: corpus[f"prov-2026-{n}.txt"] for n in names}
    others = [d for n, d in docs.items() if n != "guangdong"]
    found = distinctive_formulations(docs["guangdong"], others, config=CONFIG)
    for f in found:
        assert all(fold(f.text) not in fold(d.text) for d in others), f.text
    # 实施“百县千镇万村高质量发展工程” (Guangdong's programme, grep -l: only guangdong) leads;
    # 高质量发展 itself, in all five, is not distinctive.
    assert "百县千镇万村高质量发展工程" in _texts(found, 5)
    assert "高质量发展" not in _texts(found, 10_000)
    # Gansu's own: “三抓三促” and 绿满陇原 (grep -l among the five: gansu only).
    gansu = distinctive_formulations(
        docs["gansu"], [d for n, d in docs.items() if n != "gansu"], config=CONFIG
    )
    assert {"三抓三促", "绿满陇原"} <= set(_texts(gansu))


# --------------------------------------------------------------------------- the bar (issue 13)
# "At most 3 of the top 30 new and of the top 30 dropped formulations are not formulations;
# nothing listed as new that the other year contains." The lists the tool is checked against
# are tests/gold/formulations/*.toml, written by hand from reading the reports: every item is
# classified there; an item a file does not list counts as a non-formulation.

GOLD_FORMULATIONS = Path(__file__).parent / "gold" / "formulations"
MOST_NOISE = 3


def _gold_files() -> list[Path]:
    return sorted(GOLD_FORMULATIONS.glob("*.toml"))


def _load_gold(path: Path) -> dict[str, object]:
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))


def _lists(
    corpus: dict[str, Document], gold: dict[str, object], context: bool
) -> dict[str, list[str]]:
    """The new and dropped lists of ``changes A B`` as the command computes them: with the
    auto-context (the other reports beside A and B, ``changes.context.beside``) or alone."""
    from policydiff.changes.context import beside

    a, b = str(gold["a"]), str(gold["b"])
    old, new = corpus[a], corpus[b]
    others: list[Document] = []
    if context:
        found = beside(old.path, new.path)
        others = [corpus[Path(p).name] for p in found.paths]
    if gold["kind"] == "series":
        changes = formulation_changes(old, new, others=others, config=CONFIG)
        return {"new": _texts(changes.new, 10_000), "dropped": _texts(changes.dropped, 10_000)}
    return {
        "new": _texts(distinctive_formulations(new, [old, *others], config=CONFIG), 10_000),
        "dropped": _texts(distinctive_formulations(old, [new, *others], config=CONFIG), 10_000),
    }


def test_the_gold_files_are_well_formed() -> None:
    # Each file names its two reports and kind, and classifies an item once.
    files = _gold_files()
    assert len(files) >= 6
    for path in files:
        gold = _load_gold(path)
        assert gold["kind"] in ("series", "peers"), path.name
        good = gold["formulations"]
        bad = gold["not_formulations"]
        assert isinstance(good, list) and isinstance(bad, dict)
        assert not set(good) & set(bad), path.name
        assert len(good) == len(set(good)), path.name
        assert set(gold["old_terms"]) <= set(good), path.name  # type: ignore[call-overload]


# Pairs and modes where the bar is not met yet (counted by hand on 2026-12-03, 13a; again
# by form and form2 on 2026-12-04): strict, so the test says so the day they pass. Each reason
# names what is still in the top 30.
NOT_YET: dict[str, str] = {
    "national-2021-2022-context": "new: 14 generic noun phrases of rare words (资源勘探, 资源禀赋, "
    "大中型灌区, 传统村落 …): 2022 has few new quoted or listed terms, and nothing in the "
    "corpus tells such a phrase from a new one (经济大省, 分区管控); dropped: 5 (港口建设费, "
    "谈判进程 …; tried by form: every rule that removes some brings in others from a tail of "
    "phrases as generic; by form2: counting as taken up only the issuer's later reports, or "
    "uptake by others only while the issuer still uses it, leaves 资源勘探, 闲置资产, "
    "落实好外资企业国民待遇, 漠视群众合法权益 (national 2023/2024 have them) and refills from "
    "扫黑除恶常态化, 技术服务, 企业产权 …: new 15, dropped 5)",
}


@pytest.mark.parametrize("context", [True, False], ids=["context", "alone"])
@pytest.mark.parametrize("path", _gold_files(), ids=lambda p: p.stem)
def test_top_30_are_formulations(
    corpus: dict[str, Document], path: Path, context: bool, request: pytest.FixtureRequest
) -> None:
    gold = _load_gold(path)
    key = f"{path.stem}-{'context' if context else 'alone'}"
    if key in NOT_YET:
        request.applymarker(pytest.mark.xfail(reason=NOT_YET[key], strict=True))
    good = set(gold["formulations"])  # type: ignore[call-overload]
    old_terms = set(gold["old_terms"]) if context else set()  # type: ignore[call-overload]
    lists = _lists(corpus, gold, context)
    report = []
    for name, items in lists.items():
        noise = [t for t in items[:TOP] if t not in good or (name == "new" and t in old_terms)]
        if len(noise) > MOST_NOISE:
            report.append(f"{name}: {len(noise)} not formulations in the top {TOP}: {noise}")
    assert not report, "; ".join(report)


@pytest.mark.parametrize("path", _gold_files(), ids=lambda p: p.stem)
def test_real_new_formulations_rank_and_old_ones_are_not_new(
    corpus: dict[str, Document], path: Path
) -> None:
    # must_rank_new: read in B and absent from A (each file quotes the lines); not_new: B has
    # them but so has A (2025: 持续推进“人工智能+”行动; 2024: 开展“人工智能+”行动).
    gold = _load_gold(path)
    old, new = corpus[str(gold["a"])], corpus[str(gold["b"])]
    for context in (True, False):
        lists = _lists(corpus, gold, context)
        for term in gold["must_rank_new"]:  # type: ignore[attr-defined]
            assert fold(term) not in fold(old.text) and term in new.text, term
            if context:
                assert term in lists["new"][:TOP], (term, context)
        for term in gold["not_new"]:  # type: ignore[attr-defined]
            assert term in new.text and term in old.text, term
            assert term not in lists["new"], (term, context)
        if gold["kind"] == "series":  # nothing listed as new that the other year contains
            for term in lists["new"]:
                assert fold(term) not in fold(old.text), term
            for term in lists["dropped"]:
                assert fold(term) not in fold(new.text), term


# ------------------------------------------------------------------- the rules, on sentences
# Sentences copied from the national reports (the year in each comment); always run.

RULES_OLD = (
    "二、2024年政府工作任务\n"
    # 2024: 大力推进现代化产业体系建设，加快发展新质生产力。
    "大力推进现代化产业体系建设，加快发展新质生产力。\n"
    # 2024: 宏观政策要……加大力度 (a verb and its object, 加大/力度); words of 经济政策 apart
    "既果断加大力度，又不搞大水漫灌。经济发展和政策落地要协同。\n"
)
RULES_NEW = (
    "二、2025年政府工作任务\n"
    # 2025: 全面贯彻落实党的二十大和二十届二中、三中全会精神
    "全面贯彻落实党的二十大和二十届二中、三中全会精神，加快建设现代化产业体系。\n"
    # 2025: 国内生产总值增长5%左右 (an indicator, the targets table has it)
    "今年发展主要预期目标是：国内生产总值增长5%左右。\n"
    # 2025: （四）更大力度吸引和利用外资 (a heading; 大力度 goes with 更)
    "（四）更大力度吸引和利用外资\n"
    # 2025: 强化企业科技创新主体地位 (a generic evaluation)
    "强化企业科技创新主体地位。\n"
    # 2025: 坚持以人民为中心，经济政策的着力点转向惠民生、促消费 (经济, 政策: 2024's words)
    "经济政策的着力点转向惠民生、促消费。经济政策要协同。\n"
    # 2025: 支持独角兽企业、瞪羚企业发展 (独角兽: a word 2024 does not use)
    "支持独角兽企业、瞪羚企业发展。\n"
)


def _rules_changes() -> FormulationChanges:
    old = _doc(RULES_OLD, "d1", "national-2024.txt")
    new = _doc(RULES_NEW, "d2", "national-2025.txt")
    return formulation_changes(old, new, config=CONFIG)


def test_what_names_no_policy_is_not_new() -> None:
    new = _texts(_rules_changes().new, 10_000)
    assert "三中全会精神" not in new  # the spirit of a meeting: an event
    assert "国内生产总值" not in new  # names the figure 5%左右: an indicator
    assert "主体地位" not in new and "科技创新主体地位" not in new  # a generic evaluation


def test_a_fragment_and_a_rewording_are_not_new() -> None:
    changes = _rules_changes()
    new, dropped = _texts(changes.new, 10_000), _texts(changes.dropped, 10_000)
    assert "大力度" not in new  # 更大力度 here; 2024's 加大力度 is 加大/力度, no occurrence of it
    # 2024's 现代化产业体系建设 said as an action in 2025, and back
    assert "建设现代化产业体系" not in new and "现代化产业体系建设" not in dropped
    # alone, a phrase every word of which the other report uses is a rewording
    assert "经济政策" not in new
    assert "独角兽企业" in new  # 独角兽 is a new word: a new formulation


def test_without_a_corpus_a_weak_phrase_is_not_listed() -> None:
    # National 2023 (line 102, the review): 预算内投资引导和撬动社会投资成倍增加; (the plan,
    # line 179) 政府投资和政策激励要有效带动全社会投资; 2024 has 社会 and 投资 but never 社会投资
    # (着力稳定和扩大民间投资……实施政府和社会资本合作新机制). Alone, nothing but 2023 itself
    # speaks for 社会投资, a combination of 2024's words said twice: not a dropped formulation.
    # 2023's “六稳”、“六保” (quoted; 2024 has neither) are.
    old = _doc(
        "一、过去一年和五年工作回顾\n"
        "创新投融资体制机制，预算内投资引导和撬动社会投资成倍增加，增加地方政府专项债券额度。\n"
        "二、对今年政府工作的建议\n"
        "持续做好“六稳”、“六保”工作，以改革开放办法推动经济爬坡过坎、持续前行。\n"
        "政府投资和政策激励要有效带动全社会投资，激发民间投资活力。\n",
        "d1", "national-2023.txt",
    )
    new = _doc(
        "一、2023年工作回顾\n过去一年，我们推动经济回升向好。\n三、2024年政府工作任务\n"
        "着力稳定和扩大民间投资，落实和完善支持政策，实施政府和社会资本合作新机制，"
        "鼓励民间资本参与重大项目建设。\n",
        "d2", "national-2024.txt",
    )
    dropped = _texts(formulation_changes(old, new, config=CONFIG).dropped, 10_000)
    assert "社会投资" not in dropped
    assert "六稳" in dropped and "六保" in dropped


def test_names_of_bodies_and_places_in_brackets_are_not_formulations() -> None:
    # Hong Kong 2014 (as normalized): 房屋协会（“房协”）…; 珠江三角洲（“珠三角”）近年经济发展迅速;
    # 综合社会保障援助（“综援”） is a scheme and stays.
    old = _doc("（一）引言\n政府会继续推行计划。\n", "d1", "hk-2013.txt")
    new = _doc(
        "（一）引言\n2012年年底房屋协会（“房协”）预售单位。\n珠江三角洲（“珠三角”）近年经济发展迅速。\n"
        "非综合社会保障援助（“综援”）住户。政府会成立“调解督导委员会”。\n", "d2", "hk-2014.txt",
    )
    new_texts = _texts(formulation_changes(old, new, config=CONFIG).new, 10_000)
    assert "房协" not in new_texts and "珠三角" not in new_texts
    assert "调解督导委员会" not in new_texts  # a body, quoted or not
    assert "综援" in new_texts


def test_a_quoted_saying_is_weaker_than_a_quoted_name() -> None:
    # Hong Kong 2015: 《学苑》编印一本名为《香港民族论》的书，主张香港“寻找一条自立自决的出路”。 —
    # the quotation is the predicate of its sentence (it begins with the verb 寻找 and the
    # sentence ends with it): the students' words, not a policy. National 2024: 以推进“高效办成
    # 一件事”为牵引 and 香港既是内地航运公司“走出去”的最佳跳板 (Hong Kong 2014) use a name in
    # their sentence; Yunnan 2026's 持续实施“兴滇英才支持计划”。 ends its sentence but is a short
    # name (4 words), not a clause.
    from policydiff.changes.formulation_reading import Reading, quoted_candidates

    doc = _doc(
        "（一）引言\n2013年，《学苑》编印一本名为《香港民族论》的书，主张香港“寻找一条自立自决的出路”。\n"
        "以推进“高效办成一件事”为牵引，提高政务服务水平。\n"
        "香港既是内地航运公司“走出去”的最佳跳板。\n"
        "构建科研攻关、人才培养、学科建设、产业发展协同模式。持续实施“兴滇英才支持计划”。\n",
        "d1", "hk-2015.txt",
    )
    kinds = {t: c.kind for t, c in quoted_candidates(Reading.of(doc)).items()}
    assert kinds["寻找一条自立自决的出路"] == "quoted word"
    assert kinds["高效办成一件事"] == "quoted" and kinds["走出去"] == "quoted"
    assert kinds["兴滇英才支持计划"] == "quoted"
