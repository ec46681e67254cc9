"""Segmentation on the seeds and the corpus, against outlines written by hand from the texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.document import build_document, load_document
from policydiff.model import Document, Section
from policydiff.normalize import normalize
from policydiff.segment import cn_number, segment


def top(doc: Document) -> list[str]:
    return [s.label + s.heading for s in doc.root.children if s.kind == "heading"]


def children(sec: Section) -> list[str]:
    return [c.label + c.heading for c in sec.children if c.kind == "heading"]


def own_text_tiles(doc: Document) -> bool:
    """The own text (heading + body before the first child) of all sections tiles the text."""
    pos = 0
    for sec in doc.sections:
        if sec.heading_span[0] != pos or sec.body_span[0] != sec.heading_span[1]:
            return False
        pos = sec.body_span[1]
    return pos == len(doc.text)


# --- seeds -------------------------------------------------------------------------------

def test_seed_000_ordinal_parts_with_inline_items(seed_files: dict[str, Path]) -> None:
    doc = load_document(seed_files["000"])
    assert doc.root.children[0].kind == "preamble"
    assert top(doc) == [
        "第一，突出形态转变、品质塑造，建设更有魅力的宜居城市",
        "第二，聚力速效同增、量质兼备，培育更具实力的工业优势",
        "第三，注重精准施策、示范引领，推进更高水平的乡村振兴",
        "第四，紧扣绿色发展、生态宜居，构建更可持续的生态体系",
        "第五，强化改革创新、开放合作，激发更富活力的发展潜能",
        "第六，着力保障民生、增进福祉，共创更加美好的幸福生活",
        "第七，致力共建共治、系统提升，推动更深层次的社会治理",
    ]
    first = doc.root.children[1]
    assert children(first) == [
        "一是推进城市更新", "二是强化精细管理", "三是繁荣城市经济", "四是提升宜居指数",
    ]
    # 第四's 二是 follows a line break in the middle of the item list; it is still found.
    fourth = doc.root.children[4]
    assert [c.label for c in fourth.children][:2] == ["一是", "二是"]
    assert own_text_tiles(doc)


def test_seed_001_traditional_with_pinyin(seed_files: dict[str, Path]) -> None:
    doc = load_document(seed_files["001"])
    assert doc.script == "hant"
    assert top(doc) == [
        "一、攻坚克难，2022年经济社会发展取得新成效",
        "二、踔厉奋发，全面开启麒麟社会主义现代化建设新篇章",
        "三、勇毅前行，奋力夺取麒麟高质量跨越式发展新胜利",
    ]
    part1, part2, part3 = doc.root.children[1:4]
    # Four unnumbered heading lines (一年来，我们…) come before the numbered tasks.
    assert children(part1)[0] == "一年来，我们立足当前、著眼长远，绘制了跨越发展作战图"
    assert children(part1)[4] == "（一）聚焦产业兴区、蓄势赋能，转型升级势头强劲"
    assert len(children(part2)) == 6
    assert len(children(part3)) == 8
    assert children(part3)[0].startswith("（一）强基固本“抓产业”")
    # Run-in lead sentences under a task become its subsections.
    industry = part3.children[0]
    assert children(industry) == [
        "大力发展园区经济", "力促传统产业提质转型", "打造新兴产业竞争优势", "打响现代农业特色品牌",
    ]
    assert doc.root.children[-1].kind == "closing"
    assert own_text_tiles(doc)


def test_seed_002_repeated_top_number(seed_files: dict[str, Path]) -> None:
    doc = load_document(seed_files["002"])
    labels = [s.label for s in doc.root.children if s.kind == "heading"]
    # The document writes 一、 where 三、 belongs; it is kept as written, at the top level.
    assert labels == ["一、", "二、", "一、", "四、"]
    parts = [s for s in doc.root.children if s.kind == "heading"]
    assert parts[0].heading == "目前已开展的工作"
    assert parts[1].heading == "关于当前经济形势"
    assert parts[3].heading == "增强领导经济工作的能力和本领"
    assert children(parts[0])[2] == "（三）新旧动能转换率先突破"  # inline heading, body follows
    assert [c.label for c in parts[1].children] == ["一是", "二是", "三是", "四是", "五是"]
    assert len(parts[2].children) == 8
    assert children(parts[2])[5] == "（六）狠抓融合发展，在推进乡村振兴上实现新突破"
    assert [c.label for c in parts[3].children] == ["一要", "二要", "三要", "四要", "五要"]
    assert own_text_tiles(doc)


def test_seed_003_party_report(seed_files: dict[str, Path]) -> None:
    doc = load_document(seed_files["003"])
    parts = top(doc)
    assert len(parts) == 4
    assert parts[0] == "一、踔厉奋发、攻坚克难，经济社会发展平稳向好"
    # Part 二 names a masked place (新时代xx笃行…); compare around the mask.
    assert parts[1].startswith("二、深入学习贯彻党的十九届六中全会精神，凝聚新时代")
    assert parts[1].endswith("笃行赶考、跨越赶超的强大合力")
    assert parts[2] == "三、励新实干、勇毅前行，奋力争当全省县域高质量发展“排头兵”"
    assert parts[3] == "四、坚定不移推进全面从严治党，在激发干部队伍干事创业激情上争当“排头兵”"
    part3 = doc.root.children[3]
    tasks = [c for c in part3.children if c.label.startswith("（")]
    assert [c.label for c in tasks] == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    # 一是 items under a （一） task belong to that task, not to the part.
    assert [c.label for c in tasks[0].children] == ["一是", "二是", "三是"]
    assert tasks[0].children[0].heading == "提速工业集群建设"
    part4 = doc.root.children[4]
    assert children(part4)[0] == "（一）坚持正确导向，把稳思想之舵"
    assert doc.root.children[-1].kind == "closing"


def test_seed_004_plan_proposal_with_arabic_items(seed_files: dict[str, Path]) -> None:
    doc = load_document(seed_files["004"])
    parts = [s for s in doc.root.children if s.kind == "heading"]
    assert len(parts) == 11
    assert parts[0].label + parts[0].heading == "一、高水平开启全面建设社会主义现代化国家新征程"
    assert parts[10].label == "十一、"
    # 52 numbered items in all, numbered across parts; part 二 holds 6–10.
    items = [s for s in doc.sections if s.label.endswith(".") and s.label[:-1].isdigit()]
    assert len(items) == 52
    assert [c.label for c in parts[1].children] == ["6.", "7.", "8.", "9.", "10."]
    assert parts[1].children[0].heading == "建设都市科创新地标"
    assert items[-1].heading == "确保“十四五”规划建议落到实处"


# --- corpus ------------------------------------------------------------------------------

NATIONAL_TASKS = {
    # year: (number of （一） tasks in the last part, first task heading, last task heading),
    # read off the reports. 2020 has eight 一、 parts and no （一） tasks; 2023 puts its
    # proposals in part 二 of two.
    2017: (9, "（一）用改革的办法深入推进“三去一降一补”", "（九）全面加强政府自身建设"),
    2018: (9, "（一）深入推进供给侧结构性改革", "（九）提高保障和改善民生水平"),
    2019: (10, "（一）继续创新和完善宏观调控，确保经济运行在合理区间",
           "（十）加快发展社会事业，更好保障和改善民生"),
    2021: (8, "（一）保持宏观政策连续性稳定性可持续性，促进经济运行在合理区间",
           "（八）切实增进民生福祉，不断提高社会建设水平"),
    2022: (9, "（一）着力稳定宏观经济大盘，保持经济运行在合理区间",
           "（九）切实保障和改善民生，加强和创新社会治理"),
    2023: (8, "（一）着力扩大国内需求", "（八）保障基本民生和发展社会事业"),
    2024: (10, "（一）大力推进现代化产业体系建设，加快发展新质生产力",
           "（十）切实保障和改善民生，加强和创新社会治理"),
    2025: (10, "（一）大力提振消费、提高投资效益，全方位扩大国内需求",
           "（十）加大保障和改善民生力度，提升社会治理效能"),
}


@pytest.mark.parametrize("year", sorted(NATIONAL_TASKS))
def test_national_report_parts_and_tasks(corpus_dir: Path, year: int) -> None:
    doc = load_document(corpus_dir / f"national-{year}.txt")
    parts = [s for s in doc.root.children if s.kind == "heading"]
    expected = ["一、", "二、"] if year == 2023 else ["一、", "二、", "三、"]
    assert [p.label for p in parts] == expected
    assert "工作回顾" in parts[0].heading
    count, first, last = NATIONAL_TASKS[year]
    tasks = [c for c in parts[-1].children if c.label.startswith("（")]
    assert len(tasks) == count
    assert tasks[0].label + tasks[0].heading == first
    assert tasks[-1].label + tasks[-1].heading == last
    assert doc.root.children[-1].kind == "closing"
    assert own_text_tiles(doc)


@pytest.mark.parametrize("year", range(2017, 2026))
def test_every_national_report_has_its_parts(corpus_dir: Path, year: int) -> None:
    doc = load_document(corpus_dir / f"national-{year}.txt")
    parts = [s for s in doc.root.children if s.kind == "heading" and s.label.endswith("、")]
    # 2020 has eight parts; 2023 (a five-year review) two; the others three.
    assert len(parts) == {2020: 8, 2023: 2}.get(year, 3)
    assert own_text_tiles(doc)


def test_unnumbered_provincial_parts(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "prov-2026-gansu.txt")
    assert top(doc) == ["“十四五”时期工作回顾", "“十五五”时期的主要目标任务", "2026年重点工作"]
    last = doc.root.children[-1]
    work = doc.root.children[-2] if last.kind == "closing" else last
    assert children(work)[0] == "（一）放大促消费扩投资政策效应"
    assert children(work)[-1] == "（八）更好统筹发展和安全"


def test_hong_kong_chapters_above_list_items(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "hk-policy-address-2014-zht.txt")
    assert doc.script == "hant"
    chapters = [s for s in doc.root.children if s.label.startswith("（")]
    assert chapters[0].heading == "引言"
    assert chapters[1].heading == "经济"
    # Unnumbered subheadings sit below the chapters.
    assert "金融业" in children(chapters[1])
    # Numbered list items (一、二、) under 低收入在职家庭津贴 do not swallow the next subheading.
    poverty = chapters[2]
    assert poverty.heading == "扶贫安老助弱"
    assert {"扶贫", "低收入在职家庭津贴", "关爱基金", "改善综援"} <= set(children(poverty))


# --- properties --------------------------------------------------------------------------

def test_cn_number() -> None:
    numerals = ["一", "九", "十", "十一", "二十", "二十三"]
    assert [cn_number(x) for x in numerals] == [1, 9, 10, 11, 20, 23]
    assert cn_number("百") is None and cn_number("十十") is None and cn_number("") is None


LINES = st.lists(
    st.sampled_from(
        [
            "一、总体要求", "（一）加快建设现代化产业体系。推动产业升级。", "二、重点任务",
            "一是推进城市更新。聚焦城市病。二是强化精细管理。", "——经济运行总体平稳。",
            "1.建设都市科创新地标。立足区位。", "各位代表！让我们团结奋斗。",
            "第一，建设宜居城市。",
            "过去一年，我们坚持稳中求进工作总基调，经济社会发展取得新成效，人民生活持续改善。",
            "扩大优质教育供给。全方位提高教育教学质量，推动学有所教向学有优教转变，建设品牌。",
            "2026年重点工作", "", "（梁国雄议员站起来）", "x",
        ]
    ),
    max_size=25,
)


@settings(max_examples=80, deadline=None)
@given(LINES)
def test_segmentation_loses_no_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    doc = build_document(text, doc_id="d1", path="x.txt")
    assert own_text_tiles(doc)
    for sec in doc.sections:
        assert sec.span[0] <= sec.heading_span[0] <= sec.heading_span[1] <= sec.body_span[1]
        assert sec.body_span[1] <= sec.span[1]
        for child in sec.children:
            assert sec.span[0] <= child.span[0] <= child.span[1] <= sec.span[1]
            assert child.level == sec.level + 1


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_segmentation_never_fails_on_any_text(text: str) -> None:
    root = segment(normalize(text), doc_id="d9")
    assert root.id == "d9" and root.span == (0, len(normalize(text).text))


def test_empty_document_has_no_sections() -> None:
    doc = build_document("", doc_id="d1", path="empty.txt")
    assert doc.sections == []


def test_document_without_headings_is_one_body_section() -> None:
    doc = build_document("这是一段没有任何标题的文字。只有正文。", doc_id="d1", path="x.txt")
    assert [s.kind for s in doc.sections] == ["body"]
