"""The targets and indicators table (policydiff.changes.indicators), checked against the reports.

Every expectation below was written by reading the report files (``grep -n`` for the line
numbers); the lines are quoted in the comments. A row is (old value, old source line, new value,
new source line, direction); None where a side is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.changes.indicators import (
    FIGURE_RE,
    _amount,
    _trim,
    document_figures,
    indicators,
    name_key,
)
from policydiff.changes.model import Indicator
from policydiff.comparison import compare
from policydiff.config import Config

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

Row = tuple[str | None, int | None, str | None, int | None, str]


def table(corpus: Path, old: str, new: str) -> dict[str, Indicator]:
    comparison = compare([corpus / old, corpus / new], Config())
    a, b = comparison.documents
    return {ind.name: ind for ind in indicators(a, b, comparison.themes)}


def row(ind: Indicator) -> Row:
    o, n = ind.old, ind.new
    return (
        o.value if o else None, o.citation.line if o else None,
        n.value if n else None, n.citation.line if n else None, ind.direction,
    )


def check(found: dict[str, Indicator], expected: dict[str, Row]) -> None:
    missing = [name for name in expected if name not in found]
    assert not missing, f"not in the table: {missing}; found {sorted(found)}"
    wrong = {name: row(found[name]) for name, want in expected.items() if row(found[name]) != want}
    assert not wrong, wrong


def test_figure_values_keep_qualifiers_and_compare_in_base_units() -> None:
    # Values as written in the reports: 粮食产量1.3万亿斤以上, 赤字率拟按3%安排,
    # 比上年提高1个百分点, 国内生产总值增长6%－6.5% (2019).
    m = FIGURE_RE.search("粮食产量1.3万亿斤以上")
    assert m is not None and m.group() == "1.3万亿斤以上"
    assert _amount(m) == pytest.approx(1.3e12) and m.group("unit") == "斤"
    assert m.group("post") == "以上"
    m = FIGURE_RE.search("比上年提高1个百分点")
    assert m is not None and m.group("unit") == "个百分点" and _amount(m) == 1
    m = FIGURE_RE.search("赤字规模4.06万亿元")
    assert m is not None and _amount(m) == pytest.approx(4.06e12)
    m = FIGURE_RE.search("增长6%-6.5%")
    assert m is not None and m.group() == "6%-6.5%" and _amount(m) == pytest.approx(6.25)
    m = FIGURE_RE.search("约11 400个单位")  # Hong Kong groups thousands with a space
    assert m is not None and m.group() == "约11 400个" and _amount(m) == 11400
    assert FIGURE_RE.search("到2035年") is None  # a year is not a figure
    # Hong Kong 2014, line 37: 在去年首11個月，機場的貨運量為370萬公噸，較2012年同期上升2.6%:
    # 11 months are a span of time, not a count of 11 (个); 2.6% is the figure
    assert [m.group() for m in FIGURE_RE.finditer("在去年首11个月，较2012年同期上升2.6%")] == [
        "2.6%"]
    assert FIGURE_RE.search("11个项目") is not None  # a count of projects stays
    assert name_key("全省生产总值增长") == name_key("生产总值增长")


def test_a_name_never_starts_inside_brackets_it_did_not_open() -> None:
    # Seed 001, line 63: "…轉型升級(j�…zhí）短锩旱V120万吨技改升级" — the pinyin converter broke
    # the characters of 級(jí) and 質(zhì); the clause holding 120万吨 starts inside a pinyin
    # bracket. The name is what follows its unopened "）", whatever the file wrote there.
    comparison = compare(
        [SEEDS / "000_fa4a5ba1074ac6cc.txt", SEEDS / "001_377fd206c21df32a.txt"], Config()
    )
    doc = comparison.documents[1]
    names = {fig.name for fig in document_figures(doc, comparison.themes)
             if fig.value == "120万吨"}
    assert names == {"短锩旱V"}
    # Line 45: 培育壮大“硅光伏、先进制造、钢铁、煤及煤化工、农产品及精深加工”5个百亿级优势产业 —
    # the clause before 5个 begins inside the quotes (at 、), so its last item is no name: the
    # 5 are the 百亿级优势产业 the figure counts.
    five = {fig.name for fig in document_figures(doc, comparison.themes)
            if fig.value == "5个" and fig.citation.line == 45}
    assert five and all(name.startswith("百亿级优势产业") for name in five), five
    # Brackets the name opens itself stay: 国内生产总值（GDP）增长.
    assert _trim("国内生产总值（GDP）增长") == "国内生产总值（GDP）增长"


def test_national_2024_to_2025(corpus_dir: Path) -> None:
    found = table(corpus_dir, "national-2024.txt", "national-2025.txt")
    check(found, {
        # 2024:75 今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上，
        #   城镇调查失业率5.5%左右；居民消费价格涨幅3%左右；…粮食产量1.3万亿斤以上；
        #   单位国内生产总值能耗降低2.5%左右
        # 2025:47 …国内生产总值增长5%左右；城镇调查失业率5.5%左右，城镇新增就业1200万人以上；
        #   居民消费价格涨幅2%左右；…粮食产量1.4万亿斤左右；单位国内生产总值能耗降低3%左右
        "国内生产总值增长": ("5%左右", 75, "5%左右", 47, "unchanged"),
        "城镇新增就业": ("1200万人以上", 75, "1200万人以上", 47, "unchanged"),
        "城镇调查失业率": ("5.5%左右", 75, "5.5%左右", 47, "unchanged"),
        "居民消费价格涨幅": ("3%左右", 75, "2%左右", 47, "lowered"),
        "粮食产量": ("1.3万亿斤以上", 75, "1.4万亿斤左右", 47, "raised"),
        "单位国内生产总值能耗降低": ("2.5%左右", 75, "3%左右", 47, "raised"),
        # 2024:81 赤字率拟按3%安排，赤字规模4.06万亿元，比上年年初预算增加1800亿元。…
        #   一般公共预算支出规模28.5万亿元、比上年增加1.1万亿元。拟安排地方政府专项债券3.9万亿元、
        #   比上年增加1000亿元。…拟连续几年发行超长期特别国债，…今年先发行1万亿元。
        # 2025:53 今年赤字率拟按4%左右安排、比上年提高1个百分点，赤字规模5.66万亿元、比上年增加
        #   1.6万亿元。一般公共预算支出规模29.7万亿元、比上年增加1.2万亿元。拟发行超长期特别国债
        #   1.3万亿元、比上年增加3000亿元。拟发行特别国债5000亿元，…拟安排地方政府专项债券
        #   4.4万亿元、比上年增加5000亿元，…今年合计新增政府债务总规模11.86万亿元、
        #   比上年增加2.9万亿元
        "赤字率": ("3%", 81, "4%左右", 53, "raised"),
        "赤字率比上年提高": (None, None, "1个百分点", 53, "new"),
        "赤字规模": ("4.06万亿元", 81, "5.66万亿元", 53, "raised"),
        "赤字规模比上年增加": ("1800亿元", 81, "1.6万亿元", 53, "raised"),
        "一般公共预算支出规模": ("28.5万亿元", 81, "29.7万亿元", 53, "raised"),
        # the spending increase is paired with the spending increase, never the deficit's
        "一般公共预算支出规模比上年增加": ("1.1万亿元", 81, "1.2万亿元", 53, "raised"),
        "超长期特别国债": ("1万亿元", 81, "1.3万亿元", 53, "raised"),
        "超长期特别国债比上年增加": (None, None, "3000亿元", 53, "new"),
        "特别国债": (None, None, "5000亿元", 53, "new"),
        "地方政府专项债券": ("3.9万亿元", 81, "4.4万亿元", 53, "raised"),
        "地方政府专项债券比上年增加": ("1000亿元", 81, "5000亿元", 53, "raised"),
        "新增政府债务总规模": (None, None, "11.86万亿元", 53, "new"),
        "新增政府债务总规模比上年增加": (None, None, "2.9万亿元", 53, "new"),
        # 2024:116 今年中央预算内投资拟安排7000亿元。 2025:74 今年中央预算内投资拟安排7350亿元。
        "中央预算内投资": ("7000亿元", 116, "7350亿元", 74, "raised"),
        # 2025:72 安排超长期特别国债3000亿元支持消费品以旧换新。
        "超长期特别国债（支持消费品以旧换新）": (None, None, "3000亿元", 72, "new"),
    })
    # Results of the past year are not targets: 2025:12 国内生产总值达到134.9万亿元、增长5%
    values = {fig.value for ind in found.values() for fig in (ind.old, ind.new) if fig}
    assert "134.9万亿元" not in values and "126万亿元" not in values
    # each figure is where it says, in its sentence and in its document's normalized text
    old_doc, new_doc = compare(
        [corpus_dir / "national-2024.txt", corpus_dir / "national-2025.txt"], Config()
    ).documents
    for ind in found.values():
        for doc, fig in ((old_doc, ind.old), (new_doc, ind.new)):
            if fig is not None:
                assert fig.sentence[fig.at : fig.at + len(fig.value)] == fig.value
                assert doc.text[fig.span[0] : fig.span[1]] == fig.value


def test_national_2023_to_2024(corpus_dir: Path) -> None:
    found = table(corpus_dir, "national-2023.txt", "national-2024.txt")
    check(found, {
        # 2023:171 今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人左右，
        #   城镇调查失业率5.5%左右；居民消费价格涨幅3%左右；…粮食产量保持在1.3万亿斤以上
        "国内生产总值增长": ("5%左右", 171, "5%左右", 75, "unchanged"),
        "城镇新增就业": ("1200万人左右", 171, "1200万人以上", 75, "changed"),
        "城镇调查失业率": ("5.5%左右", 171, "5.5%左右", 75, "unchanged"),
        "居民消费价格涨幅": ("3%左右", 171, "3%左右", 75, "unchanged"),
        "粮食产量": ("1.3万亿斤以上", 171, "1.3万亿斤以上", 75, "unchanged"),
        # 2024:75 …单位国内生产总值能耗降低2.5%左右 (2023 set no energy target)
        "单位国内生产总值能耗降低": (None, None, "2.5%左右", 75, "new"),
        # 2023:173 赤字率拟按3%安排  2023:179 拟安排地方政府专项债券3.8万亿元
        "赤字率": ("3%", 173, "3%", 81, "unchanged"),
        "地方政府专项债券": ("3.8万亿元", 179, "3.9万亿元", 81, "raised"),
        "超长期特别国债": (None, None, "1万亿元", 81, "new"),
    })


def test_national_2021_to_2022(corpus_dir: Path) -> None:
    found = table(corpus_dir, "national-2021.txt", "national-2022.txt")
    check(found, {
        # 2021:122 国内生产总值增长6%以上；城镇新增就业1100万人以上，城镇调查失业率5.5%左右；
        #   居民消费价格涨幅3%左右；…单位国内生产总值能耗降低3%左右；…粮食产量保持在1.3万亿斤以上
        # 2022:89 国内生产总值增长5.5%左右；城镇新增就业1100万人以上，城镇调查失业率全年控制在
        #   5.5%以内；居民消费价格涨幅3%左右；…粮食产量保持在1.3万亿斤以上
        "国内生产总值增长": ("6%以上", 122, "5.5%左右", 89, "lowered"),
        "城镇新增就业": ("1100万人以上", 122, "1100万人以上", 89, "unchanged"),
        "居民消费价格涨幅": ("3%左右", 122, "3%左右", 89, "unchanged"),
        "粮食产量": ("1.3万亿斤以上", 122, "1.3万亿斤以上", 89, "unchanged"),
        "单位国内生产总值能耗降低": ("3%左右", 122, None, None, "dropped"),
        # 2021:135 今年赤字率拟按3.2%左右安排  2022:111 今年赤字率拟按2.8%左右安排
        "赤字率": ("3.2%左右", 135, "2.8%左右", 111, "lowered"),
        # 2021:174 拟安排地方政府专项债券3.65万亿元  2022:113 拟安排地方政府专项债券3.65万亿元
        "地方政府专项债券": ("3.65万亿元", 174, "3.65万亿元", 113, "unchanged"),
        # 2021:174 中央预算内投资安排6100亿元  2022:161 中央预算内投资安排6400亿元
        "中央预算内投资": ("6100亿元", 174, "6400亿元", 161, "raised"),
    })
    # 2022:89 城镇调查失业率全年控制在5.5%以内 (was 5.5%左右): the same number, another bound
    unemployment = [ind for ind in found.values() if ind.name.startswith("城镇调查失业率")]
    assert [row(ind) for ind in unemployment] == [("5.5%左右", 122, "5.5%以内", 89, "changed")]


def test_province_2026_against_national_2025(corpus_dir: Path) -> None:
    found = table(corpus_dir, "national-2025.txt", "prov-2026-zhejiang.txt")
    # zhejiang:59 今年经济社会发展主要预期目标为：全省生产总值增长5%—5.5%，…；城镇调查失业率
    #   5%以内；居民消费价格涨幅2%左右；
    check(found, {
        "全省生产总值增长": ("5%左右", 47, "5%—5.5%", 59, "raised"),
        "城镇调查失业率": ("5.5%左右", 47, "5%以内", 59, "lowered"),
        "居民消费价格涨幅": ("2%左右", 47, "2%左右", 59, "unchanged"),
    })
    # national 2025:53 赤字率拟按4%左右安排: a province has no deficit target
    assert found["赤字率"].direction == "dropped"


def test_hong_kong_address_against_the_next(corpus_dir: Path) -> None:
    found = table(corpus_dir, "hk-policy-address-2014-zht.txt", "hk-policy-address-2015-zht.txt")
    # 2014:257 過去5年，私營單位平均每年落成量只有約9 680個單位。
    # 2015:102 過去5年，私營單位平均每年落成量只有約11 400個單位。
    # 2014:120 政府準備向長者學苑發展基金注資5,000萬元。
    # 2015:174 此外，政府已向“長者學苑發展基金”注資5,000萬元。
    check(found, {
        "私营单位平均每年落成量": ("约9 680个", 257, "约11 400个", 102, "raised"),
        "政府已向“长者学苑发展基金”注资": ("5,000万元", 120, "5,000万元", 174, "unchanged"),
    })


def test_a_count_is_named_by_what_it_counts(corpus_dir: Path) -> None:
    # Hong Kong: the clause before a count ends in a verb and the thing counted follows it.
    # 2014:25 現時政府有11個駐海外經濟貿易辦事處(“經貿辦”)
    # 2015:35 我們在國外共有11個經濟貿易辦事處
    # — one indicator, unchanged, not "现时政府有" and "我们在国外" (the names were those).
    # 2014:35 …支援專業服務業發展的框架建議，包括5個主題： (the name was "包括").
    # 2015:46 目前有超過150間受規管的保險公司 (the name was "目前有").
    found = table(corpus_dir, "hk-policy-address-2014-zht.txt", "hk-policy-address-2015-zht.txt")
    check(found, {
        "经济贸易办事处": ("11个", 25, "11个", 35, "unchanged"),
        "主题": ("5个", 35, None, None, "dropped"),
        "受规管的保险公司": (None, None, "超过150间", 46, "new"),
    })
    assert not {"包括", "现时政府有", "我们在国外", "目前有"} & set(found)
    # A ratio measures what is named before it, not the noun after it: national 2021:163
    # 延续执行企业研发费用加计扣除75%政策 is 企业研发费用加计扣除 at 75%, not a "政策" of 75%.
    doc = compare([corpus_dir / "national-2021.txt"], Config()).documents[0]
    names = {f.name for f in document_figures(doc, ()) if f.citation.line == 163}
    assert "延续执行企业研发费用加计扣除" in names and "政策" not in names
