"""Tests for policydiff.normalize.

Expected values are written by hand from reading the seeds and the corpus files, not copied
from the tool's output. Corpus tests skip when ../shared/corpus is absent (``corpus_dir``).
Hong Kong texts are read from the corpus at test time and never copied here.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policydiff.normalize import (
    MASK,
    STEPS,
    Change,
    NormalizeConfig,
    NormalText,
    detect_script,
    explain,
    load_boilerplate,
    normalize,
)
from policydiff.normalize.simplify import _converter  # the fast OpenCC replacement


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def lines_of(result: NormalText) -> list[str]:
    return result.text.split("\n")


HAN_ANNOTATED = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")


# --------------------------------------------------------------------------- seeds


def test_seed_001_title_block_is_simplified_without_pinyin(seed_files: dict[str, Path]) -> None:
    result = normalize(read(seed_files["001"]))
    assert result.script == "hant"
    assert lines_of(result)[:6] == [
        "2023年曲靖市麒麟区政府工作报告—全文",
        "政府工作报告",
        "——2023年1月4日在曲靖市麒麟区第六届人民代表大会第二次会议上",
        "曲靖市麒麟区人民政府区长张忠文",
        "各位代表：",
        "我代表区人民政府，向大会报告工作，请予审议，并请区政协委员和列席人员提出意见。",
    ]
    assert lines_of(result)[6] == "一、攻坚克难，2022年经济社会发展取得新成效"


def test_seed_001_pinyin_annotations_are_gone(seed_files: dict[str, Path]) -> None:
    source = read(seed_files["001"])
    assert "報(bào)" in source and "會(huì)" in source and "產(chǎn)業(yè)" in source
    text = normalize(source).text
    assert HAN_ANNOTATED.search(text) is None
    assert "产业" in text and "报告" in text


def test_seed_001_garbled_district_name_is_repaired_and_mapped(
    seed_files: dict[str, Path],
) -> None:
    source = read(seed_files["001"])
    result = normalize(source)
    first = lines_of(result)[0]
    start = first.index("麒麟区")
    src_start, src_end = result.to_source((start, start + 3))
    assert source[src_start:src_end] == "麒麟?yún)^(qū)"
    repairs = [c for c in result.changes if c.step == "strip_pinyin" and c.after]
    assert {c.before for c in repairs} == {"?yún)^(qū)"}
    assert {c.after for c in repairs} == {"區"}


def test_seed_001_other_garbling_is_left_and_warned(seed_files: dict[str, Path]) -> None:
    source = read(seed_files["001"])
    result = normalize(source)
    # "龍?zhí)逗铀畮熘翀@區(qū)" cannot be repaired safely: it stays and is reported.
    assert "龙?zhí）逗铀" in result.text
    assert any("龍?zhí)" in w for w in result.warnings)
    assert 1 < len(result.warnings) <= 12
    assert result.warnings[-1].startswith("mojibake:") and "more" in result.warnings[-1]
    for warning in result.warnings[:-1]:
        start, end = map(int, re.search(r"source (\d+)-(\d+)", warning).groups())  # type: ignore[union-attr]
        assert repr(source[start:end])[:20] in warning


def test_seed_masks_compare_equal(seed_files: dict[str, Path]) -> None:
    seed000 = normalize(read(seed_files["000"])).text
    seed002 = normalize(read(seed_files["002"])).text
    seed003 = normalize(read(seed_files["003"])).text
    # 000: "**年，**区…经济总量达***.**亿元，跃居全省县(市、区)第*名"
    assert seed000.startswith(
        "＊年，＊区“十三五”规划确定的主要目标任务较好完成，经济总量达＊亿元，"
    )
    assert "跃居全省县（市、区）第＊名" in seed000
    # 002: "*区财源建设“*条”", "连续保持*%以上的增长"
    assert "＊区财源建设“＊条”" in seed002
    assert "连续保持＊%以上的增长" in seed002
    # 003: "考察xx重要讲话", "xx省第十一次党代会", "完成“我为群众办实事”x.x万件",
    # "增长x%、xx%", "爱国卫生“x+x专项行动”", "收回x#、x#地块"
    assert "考察＊重要讲话" in seed003
    assert "按照＊省第十一次党代会、＊市第十二次党代会部署" in seed003
    assert "“我为群众办实事”＊万件" in seed003
    assert "增长＊%、＊%" in seed003
    assert "爱国卫生“＊+＊专项行动”" in seed003
    assert "收回＊#、＊#地块" in seed003
    assert "*" not in seed000 and "*" not in seed002
    assert "以“＊”经济走廊" in seed003 and "推进“＊+＊+＊”现代产业集群" in seed003
    # "国家xA、xA级景区": x touching a letter is not judged a mask
    assert re.findall("[xX]", seed003) == ["x", "x"]
    assert MASK + "区" in seed000 and MASK + "区" in seed002


def test_seed_004_chrome_and_news_lead(seed_files: dict[str, Path]) -> None:
    result = normalize(read(seed_files["004"]))
    lines = lines_of(result)
    assert lines[0] == (
        "中共温州市鹿城区委关于制定鹿城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议"
    )
    assert lines[1].startswith("中国共产党温州市鹿城区第九届委员会第十次全体会议，认真学习贯彻")
    assert lines[2] == "一、高水平开启全面建设社会主义现代化国家新征程"
    assert "图片" not in lines and "返回顶部" not in result.text
    assert lines[-1].startswith("全区干部群众要紧密团结在以习近平同志为核心的党中央周围")
    assert lines[-1].endswith("社会主义现代化先行区而努力奋斗！")
    assert "二〇三五年" in result.text  # 〇 is the numeral zero, never a mask


# --------------------------------------------------------------------------- small examples


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("政 府 工 作 報(bào) 告", "政府工作报告"),
        ("政府工作报\n告", "政府工作报告"),
        ("国务院总理\u3000\n李\u3000强", "国务院总理李强"),
        ("细颗粒物（PM\n2.5\n）浓度下降", "细颗粒物（PM2.5）浓度下降"),
        ("广义货币M\n2\n增长11.3%", "广义货币M2\n增长11.3%"),
        ("所作的\n政府工作报告\n。会议充分肯定", "所作的政府工作报告。会议充分肯定"),
        ("成果找市场“双向\n揭榜\n挂帅”的简称", "成果找市场“双向揭榜挂帅”的简称"),
        (
            "——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利",
            "——2026年1月26日在广东省第十四届人民代表大会第五次会议上\n广东省省长孟凡利",
        ),
    ],
)
def test_rejoin_fragments(source: str, expected: str) -> None:
    assert normalize(source).text == expected


@pytest.mark.parametrize(
    "source",
    [
        "一、总体要求\n（一）指导思想\n坚持稳中求进工作总基调。",
        "（一）着力稳定宏观经济大盘，保持经济运行在合理区间。\n继续做好“六稳”、“六保”工作。",
        "各位代表：\n现在，我代表国务院，向大会报告政府工作。",
        "“十四五”时期工作回顾\n“十四五”时期是甘肃发展极不寻常的五年。",
        "愿景\n香港人勤奋、拼搏、认真。",
        "生态底色更加亮丽。\n始终坚持生态优先、绿色发展。",
    ],
)
def test_headings_and_paragraphs_keep_their_lines(source: str) -> None:
    assert normalize(source).text == source


def test_blank_line_layout_joins_link_fragments() -> None:
    # Wikisource style: paragraphs separated by blank lines, links split onto their own lines.
    source = (
        "各位代表：\n\n\n现在，我代表国务院报告工作。\n\n\n一、2016年工作回顾\n\n\n"
        "推动经济社会持续健康发展。\n党的十八届六中全会\n正式明确\n习近平\n总书记的核心地位。\n\n\n"
        "——基础设施支撑能力持续提升。新建\n高速铁路\n投产里程超过1900公里。\n\n\n"
        "一是继续创新和加强宏观调控，经济运行保持在合理区间。\n去年宏观调控面临多难抉择。\n"
    )
    assert normalize(source).text.split("\n") == [
        "各位代表：",
        "现在，我代表国务院报告工作。",
        "一、2016年工作回顾",
        "推动经济社会持续健康发展。党的十八届六中全会正式明确习近平总书记的核心地位。",
        "——基础设施支撑能力持续提升。新建高速铁路投产里程超过1900公里。",
        "一是继续创新和加强宏观调控，经济运行保持在合理区间。",
        "去年宏观调控面临多难抉择。",
    ]


def test_indented_layout_joins_wrapped_lines() -> None:
    # Hong Kong Hansard style: paragraphs start with a space, PDF wrapping splits them.
    source = (
        "主席、各位議員、各位市民：\n(一) 引言\n願景\n"
        " 香港人勤奮、拼搏、認真，有創業、敬業和法治精神。\n"
        " 我們的客觀環境也極其優越。\n"
        " 國家一直大力支持香港發展。\n"
        " 民生將是政府未來一年施政的另一個重要範疇，我們要繼續努力不懈，通過改變觀\n"
        "念、落實政策和用好財政，共同改善廣大市民的生活。\n"
        " 多謝大家。\n"
        "(有議員擊桌和拍掌)\n"
        " 最後一段。\n"
    )
    assert normalize(source).text.split("\n") == [
        "主席、各位议员、各位市民：",
        "（一）引言",
        "愿景",
        "香港人勤奋、拼搏、认真，有创业、敬业和法治精神。",
        "我们的客观环境也极其优越。",
        "国家一直大力支持香港发展。",
        "民生将是政府未来一年施政的另一个重要范畴，我们要继续努力不懈，通过改变观念、"
        "落实政策和用好财政，共同改善广大市民的生活。",
        "多谢大家。",
        "（有议员击桌和拍掌）",
        "最后一段。",
    ]


def test_layout_lines_and_spaces() -> None:
    source = (
        "\n\n\u3000\u3000一、回顾  \n\n\n\u3000\u3000过去一年，  经济  增长 5%。\r\n"
        "Hong  Kong is\n\n"
    )
    assert normalize(source).text == "一、回顾\n过去一年，经济增长5%。\nHong Kong is"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(一)加强领导", "（一）加强领导"),
        (
            "各位代表:\n我代表区人民政府,向大会报告工作",
            "各位代表：\n我代表区人民政府，向大会报告工作",
        ),
        ("细颗粒物(PM2.5)浓度", "细颗粒物（PM2.5）浓度"),
        ("全省县(市、区)第一", "全省县（市、区）第一"),
        ("(来源：中国政府网）之前的话", "（来源：中国政府网）之前的话"),
        ("增长１２．５％，达１９９０年水平", "增长12.5%，达1990年水平"),
        ("去年经济增长8 ．8 ％，", "去年经济增长8.8%，"),
        ("收入1,200元，10:30开会", "收入1,200元，10:30开会"),
        ("比例为2.6:1。", "比例为2.6:1。"),
        ("这是为什么?", "这是为什么？"),
        ("Hong Kong (HK), 2017: yes; really?", "Hong Kong (HK), 2017: yes; really?"),
        ("ＡＢＣ公司", "ABC公司"),
    ],
)
def test_fold_width(source: str, expected: str) -> None:
    assert normalize(source).text == expected


def test_question_mark_inside_han_text_is_not_folded() -> None:
    # A "?" followed directly by a character is a lost character, not a question.
    result = normalize("麒麟?yún)市场")
    assert "?" in result.text
    assert result.warnings and result.warnings[0].startswith("mojibake at source 0-")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**区", "＊区"),
        ("*区", "＊区"),
        ("xx区", "＊区"),
        ("XX市", "＊市"),
        ("ｘｘ县", "＊县"),
        ("××市", "＊市"),
        ("○○镇", "＊镇"),
        ("达***.**亿元", "达＊亿元"),
        ("达xx.xx亿元", "达＊亿元"),
        ("第*名", "第＊名"),
        ("增长*%", "增长＊%"),
        ("省委、xx市委、xx新区", "省委、＊市委、＊新区"),
        ("＊＊区", "＊区"),
    ],
)
def test_masks(source: str, expected: str) -> None:
    assert normalize(source).text == expected


@pytest.mark.parametrize(
    "source",
    [
        "细颗粒物PM2.5浓度",
        "x86架构",
        "5G基站",
        "7×24小时服务",
        "2*3=6",
        "寄存器0xFF",
        "二○○○年",
        "二〇〇〇年",
        "某某同志",
        "the xx band",
        "xxx-large尺码",
        "3 x 4",
        "晋升国家xA级景区",
        "构建省属企业“1+N+X”规划体系",
        '成立一个"香港X科技创业平台"',
    ],
)
def test_not_masks(source: str) -> None:
    assert MASK not in normalize(source).text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("報(bào)告", "报告"),
        ("產(chǎn)業(yè)發(fā)展", "产业发展"),
        ("綠(lǜ)色", "绿色"),
        ("全省县(市、区)", "全省县（市、区）"),
        ("(一)", "（一）"),
        ("浓度(PM2.5)下降", "浓度（PM2.5）下降"),
        ("目的(de)是", "目的（de）是"),
        ("见附件(see annex)", "见附件（see annex）"),
    ],
)
def test_strip_pinyin(source: str, expected: str) -> None:
    assert normalize(source).text == expected


def test_strip_invisible() -> None:
    source = (
        "\ufeff数字\u200b经济\u00ad发展\r\n"
        "安全\r危险\x0c新页\u2028下一行\n"
        "\u200b\n"
        "控制\x1b[2J符\x85号\u202e反向\x7f"
    )
    result = normalize(source)
    assert result.text == "数字经济发展\n安全\n危险\n新页\n下一行\n控制[2J符\n号反向"
    removed = {c.before for c in result.changes if c.step == "strip_invisible" and not c.after}
    assert {"\ufeff", "\u200b", "\u00ad", "\x1b", "\u202e", "\x7f"} <= removed


def test_zero_width_line_does_not_split_a_paragraph() -> None:
    source = (
        "第一段。\n\n\n国内生产总值达到74.4\n\u200b\n万亿元，增长6.7%。\n\n\n"
        "第二段。\n\n\n第三段。\n"
    )
    assert (
        normalize(source).text
        == "第一段。\n国内生产总值达到74.4万亿元，增长6.7%。\n第二段。\n第三段。"
    )


# --------------------------------------------------------------------------- scripts


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("政府工作报告", "hans"),
        ("政府工作報告", "hant"),
        ("", "none"),
        ("Hello 2024", "none"),
        ("中国人民", "hans"),
        ("政府工作報告。" * 3 + "经济发展，产业转型。" * 3, "mixed"),
    ],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_script_is_recorded_even_without_conversion() -> None:
    result = normalize("區長報告", NormalizeConfig(to_simplified=False))
    assert result.script == "hant"
    assert result.text == "區長報告"


def test_conversion_keeps_offsets_for_phrases() -> None:
    source = "我們要瞭解情況，乾燥的天氣。"
    result = normalize(source)
    assert result.text == "我们要了解情况，干燥的天气。"
    for i, char in enumerate(result.text):
        start, end = result.starts[i], result.ends[i]
        assert end - start == 1  # all same-length conversions: one source character each
        if char in "要，的。":
            assert source[start] == char


@pytest.mark.parametrize("conversion", ["t2s", "hk2s"])
def test_fast_conversion_equals_opencc_on_seed(
    seed_files: dict[str, Path], conversion: str
) -> None:
    from opencc import OpenCC

    source = read(seed_files["001"])
    assert _converter(conversion).convert(source) == OpenCC(conversion).convert(source)


PHRASES = ["瞭解", "一目瞭然", "覆電", "電覆", "乾燥", "藉口", "反覆", "沈默", "於是", "千鍾"]
CHARS = [*"中國發展報告區會議瞭解乾燥覆衞羣才台一地以於電鍾，。 -", "\n"]


@functools.cache
def reference(conversion: str) -> Any:
    from opencc import OpenCC

    return OpenCC(conversion)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PHRASES + CHARS), max_size=20).map("".join))
def test_fast_conversion_equals_opencc(text: str) -> None:
    for conversion in ("t2s", "hk2s"):
        assert _converter(conversion).convert(text) == reference(conversion).convert(text)


# --------------------------------------------------------------------------- corpus


@pytest.mark.corpus
def test_national_2017_pm25_and_title(corpus_dir: Path) -> None:
    result = normalize(read(corpus_dir / "national-2017.txt"))
    lines = lines_of(result)
    assert lines[:4] == [
        "政府工作报告",
        "——2017年3月5日在第十二届全国人民代表大会第五次会议上",
        "国务院总理李克强",
        "各位代表：",
    ]
    assert "74个重点城市细颗粒物（PM2.5）年均浓度下降9.1%。" in result.text
    assert "重点地区细颗粒物（PM2.5）浓度明显下降。" in result.text
    assert "2.5" not in lines and "\u200b" not in result.text
    assert "推动《巴黎协定》生效。" in result.text
    assert "Public domain" not in result.text and "维基文库" not in result.text


@pytest.mark.corpus
def test_national_2024_licence_trailer_removed(corpus_dir: Path) -> None:
    source = read(corpus_dir / "national-2024.txt")
    result = normalize(source)
    lines = lines_of(result)
    assert lines[2] == "国务院总理李强"
    assert lines[-2] == "各位代表！"
    assert lines[-1].startswith("使命重在担当，奋斗创造未来。")
    assert lines[-1].endswith("为以中国式现代化全面推进强国建设、民族复兴伟业不懈奋斗！")
    assert "本作品" not in result.text and "false" not in result.text
    trailer = [c for c in result.changes if c.step == "strip_boilerplate"]
    assert len(trailer) == 1
    assert trailer[0].before.startswith("本作品是中华人民共和国的\n法律\n、\n法规")
    assert trailer[0].source_span[1] == len(source)


@pytest.mark.corpus
def test_npc_resolution_rejoined(corpus_dir: Path) -> None:
    result = normalize(read(corpus_dir / "national-2025-npc-resolution.txt"))
    assert lines_of(result)[0] == (
        "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的政府工作报告。"
        "会议充分肯定国务院过去一年的工作，同意报告提出的2025年经济社会发展的总体要求、"
        "政策取向和工作任务，决定批准这个报告。"
    )
    assert len(lines_of(result)) == 2


@pytest.mark.corpus
def test_national_2020_source_credit_removed(corpus_dir: Path) -> None:
    result = normalize(read(corpus_dir / "national-2020.txt"))
    assert lines_of(result)[:4] == [
        "政府工作报告（文字实录）",
        "——2020年5月22日在第十三届全国人民代表大会第三次会议上",
        "国务院总理李克强",
        "（根据直播整理）",
    ]
    assert "来源" not in result.text
    assert lines_of(result)[-1].startswith("中华民族向来不畏艰难险阻")


@pytest.mark.corpus
def test_hong_kong_2014_is_traditional_and_converted(corpus_dir: Path) -> None:
    result = normalize(read(corpus_dir / "hk-policy-address-2014-zht.txt"))
    assert result.script == "hant"
    assert lines_of(result)[:3] == [
        "主席、各位议员、各位市民：",
        "（一）引言",
        "本届政府致力发展经济，改善民生；推动政制发展，加强管治；主张稳中求变，适度有为；"
        "重视长远规划，摒弃短期思维。",
    ]
    assert lines_of(result)[-1] == "多谢大家。"
    assert any(w.startswith("private-use characters: 12 ") for w in result.warnings)


@pytest.mark.corpus
@pytest.mark.parametrize(
    "name",
    [
        "hk-policy-address-2013-zht.txt",
        "hk-policy-address-2015-zht.txt",
        "hk-policy-address-2017-zht.txt",
        "hk-policy-address-2013-zht-hansard-raw.txt",
    ],
)
def test_fast_conversion_equals_opencc_on_hong_kong_texts(corpus_dir: Path, name: str) -> None:
    from opencc import OpenCC

    source = read(corpus_dir / name)
    assert _converter("hk2s").convert(source) == OpenCC("hk2s").convert(source)


@pytest.mark.corpus
def test_hong_kong_hansard_page_headers_removed(corpus_dir: Path) -> None:
    result = normalize(read(corpus_dir / "hk-policy-address-2013-zht-hansard-raw.txt"))
    assert "立法会" in result.text
    assert "3401" not in result.text and "─" not in result.text
    assert "（一）引言" in lines_of(result)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "title", "first_heading"),
    [
        ("prov-2026-beijing.txt", "2026年北京市政府工作报告", "一、2025年工作回顾"),
        ("prov-2026-anhui.txt", "2026年安徽省政府工作报告", "一、2025年工作和“十四五”发展回顾"),
        ("prov-2026-ningxia.txt", "2026年宁夏回族自治区政府工作报告", None),
        ("prov-2026-sichuan.txt", "2026年四川省人民政府工作报告", None),
        ("prov-2026-hunan.txt", "2026年湖南省政府工作报告", None),
    ],
)
def test_provincial_web_chrome_removed(
    corpus_dir: Path, name: str, title: str, first_heading: str | None
) -> None:
    result = normalize(read(corpus_dir / name))
    lines = lines_of(result)
    assert lines[0] == title
    assert "各位代表：" in lines
    salutation = lines.index("各位代表：")
    head = "\n".join(lines[:salutation])
    for chrome in ("下载", "全屏", "【字", "来源", "时间：", "首页", "摄", "阅读量"):
        assert chrome not in head, chrome
    for tail in ("相关报道", "扫一扫", "责任编辑", "关闭窗口", "打印本页"):
        assert tail not in result.text, tail
    if first_heading:
        assert lines[salutation + 2] == first_heading
    assert lines[salutation + 1].startswith("现在，我代表")


@pytest.mark.corpus
def test_sichuan_tail_keeps_last_glossary_item(corpus_dir: Path) -> None:
    result = normalize(read(corpus_dir / "prov-2026-sichuan.txt"))
    assert lines_of(result)[-1].startswith("20.“一件事”全链条专项整治：")
    assert "abcd39f1" not in result.text


@pytest.mark.corpus
def test_clean_corpus_files_have_no_mojibake_warnings(corpus_dir: Path) -> None:
    for name in ("national-2018.txt", "prov-2026-zhejiang.txt", "cpc-congress-20th-2022.txt"):
        assert normalize(read(corpus_dir / name)).warnings == (), name


# --------------------------------------------------------------------------- warnings


def test_mojibake_signals() -> None:
    utf8_as_gbk = "政府工作报告".encode().decode("gbk", errors="replace")
    for garbled in ("锟斤拷锟斤拷", "政府\ufffd\ufffd报告", utf8_as_gbk):
        result = normalize("正常的句子。" + garbled + "正常的句子。")
        assert len(result.warnings) == 1, garbled
        assert result.warnings[0].startswith("mojibake at source ")
    assert normalize("正常的句子，没有问题。").warnings == ()


def test_mojibake_warnings_are_capped() -> None:
    result = normalize("\n".join(f"第{i}段锟斤拷。" + "正常文字。" * 5 for i in range(40)))
    assert len(result.warnings) == 11
    assert result.warnings[-1] == "mojibake: 30 more suspect spans not listed"


# --------------------------------------------------------------------------- boilerplate file


def test_boilerplate_file_loads_every_kind() -> None:
    patterns = load_boilerplate()
    assert patterns.line and patterns.head and patterns.lead and patterns.tail


def test_boilerplate_bad_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bp.txt"
    path.write_text("# comment\nline  图片\nsomething 相关\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bp.txt:3"):
        load_boilerplate(path)
    path.write_text("tail  相关报道(\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad regex"):
        load_boilerplate(path)


def test_tail_pattern_only_at_the_end() -> None:
    body = "正文内容，继续写下去。\n" * 600
    assert "相关报道" in normalize("标题\n相关报道：\n" + body).text
    assert normalize(body + "相关报道：\n链接一\n链接二").text == body.strip()


def test_head_patterns_only_before_the_salutation() -> None:
    source = "下载\n打印\n标题\n来源：某某日报\n各位代表：\n收藏\n正文。"
    assert normalize(source).text == "标题\n各位代表：\n收藏\n正文。"


# --------------------------------------------------------------------------- API


def test_empty_and_blank_sources() -> None:
    for source in ("", "\n", "   \n\u3000\n", "\ufeff"):
        result = normalize(source)
        assert result.text == ""
        assert result.starts == () and result.ends == ()
        assert result.script == "none"


def test_every_step_can_be_switched_off() -> None:
    source = "\u3000\u3000區(qū)長:**\u200b\n\n图片\n"
    off = normalize(source, NormalizeConfig(**{name: False for name in STEPS}))
    assert off.text == source and off.changes == () and off.warnings == ()
    assert normalize(source).text == "区长：＊"
    for name in STEPS[:-1]:
        result = normalize(source, NormalizeConfig(**{name: False}))
        assert name not in {c.step for c in result.changes}


def test_to_source_and_from_source() -> None:
    source = "\u3000\u3000報(bào)告\r\n\r\n第二段"
    result = normalize(source)
    assert result.text == "报告\n第二段"
    # source: 0-1 indentation, 2 報, 3-7 (bào), 8 告, 9-12 two CRLF, 13-15 第二段
    assert result.to_source((0, 2)) == (2, 9)
    assert result.to_source((1, 2)) == (8, 9)
    assert result.to_source((2, 3)) == (9, 11)  # the kept line end was the first CRLF
    assert source[slice(*result.to_source((3, 6)))] == "第二段"
    assert result.to_source((2, 2)) == (9, 9)
    assert result.to_source((6, 6)) == (16, 16)
    assert result.from_source((2, 9)) == (0, 2)
    assert result.from_source((0, 2)) == (0, 0)  # removed indentation
    assert result.from_source((3, 8)) == (1, 1)  # removed annotation
    assert result.from_source((13, 16)) == (3, 6)


def test_line_spans() -> None:
    result = normalize("一、总体要求\n\n坚持稳中求进。\n")
    assert result.line_spans() == [(0, 6), (7, 14)]
    assert [result.text[a:b] for a, b in result.line_spans()] == ["一、总体要求", "坚持稳中求进。"]
    assert normalize("").line_spans() == []


def test_explain_lines() -> None:
    result = normalize("報(bào)告")
    lines = explain(result)
    assert lines == result.explain()
    assert lines == [
        "strip_pinyin      source[1:6]  '(bào)' → ''",
        "to_simplified     source[0:1]  '報' → '报'",
    ]
    assert result.explain(steps=["to_simplified"]) == [lines[1]]
    assert result.explain(limit=1) == [lines[0], "… 1 more lines"]


def test_change_records_are_plain_data() -> None:
    result = normalize("報告")
    assert result.changes == (Change("to_simplified", (0, 1), "報", "报"),)


# --------------------------------------------------------------------------- properties

TOKENS = [
    *"中国发展報告區會議政府工作的了是一二三年市区",
    *"0123456789ａ１aPMxXyzb",
    *",:;?!()（）。，、“”—.*＊×○〇%《》「」 ",
    *["\u3000", "\n", "\n", "\r", "\t", "\u200b", "\xa0", "à", "ǎ", "^", "e\u0301", "\ufeff"],
    *["\x1b", "\u2028", "\x0c", "\x85", "\ue40c", "\ufffd"],
    *["(bào)", "xx", "**", "PM2.5", "一、", "（一）", "——", "\r\n", "\n\n", "政 府", "(一)"],
    *[
        "?yún)^(qū)",
        "區(qū)",
        "1,200",
        "10:30",
        "相关报道：",
        "图片",
        "鹿城新闻网讯 ",
        "各位代表：",
    ],
    *["Hong", "Kong", "锟斤拷", "鐨勬槸鍦", "2.5", "——2026年1月26日在", "会议上", "国务院总理"],
]
texts = st.lists(st.sampled_from(TOKENS), max_size=50).map("".join)
configs = st.builds(NormalizeConfig, **{name: st.booleans() for name in STEPS})
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(texts)
def test_idempotent(source: str) -> None:
    once = normalize(source).text
    assert normalize(once).text == once


@PROPERTY
@given(st.sampled_from(["000", "001", "002", "003", "004"]), st.floats(0, 1), st.integers(0, 3000))
def test_idempotent_on_slices_of_the_seeds(
    seed_files: dict[str, Path], seed: str, where: float, length: int
) -> None:
    source = read(seed_files[seed])
    start = int(where * len(source))
    once = normalize(source[start : start + length]).text
    assert normalize(once).text == once


@PROPERTY
@given(texts, configs)
def test_idempotent_with_any_steps(source: str, config: NormalizeConfig) -> None:
    once = normalize(source, config).text
    assert normalize(once, config).text == once


@PROPERTY
@given(texts, configs)
def test_offset_map_invariants(source: str, config: NormalizeConfig) -> None:
    result = normalize(source, config)
    assert len(result.starts) == len(result.ends) == len(result.text)
    changed: set[int] = set()
    for change in result.changes:
        changed.update(range(*change.source_span))
    for i, char in enumerate(result.text):
        assert 0 <= result.starts[i] < result.ends[i] <= len(source)
        if i:
            assert result.starts[i - 1] <= result.starts[i]
            assert result.ends[i - 1] <= result.ends[i]
        if result.starts[i] not in changed:
            assert char == source[result.starts[i]]


@PROPERTY
@given(texts)
def test_layout_invariants(source: str) -> None:
    text = normalize(source).text
    assert text == text.strip()
    if text:
        for line in text.split("\n"):
            assert line and line == line.strip()


@PROPERTY
@given(texts)
def test_changes_point_into_the_source(source: str) -> None:
    result = normalize(source)
    for change in result.changes:
        start, end = change.source_span
        assert 0 <= start < end <= len(source)
        assert change.step in STEPS
        assert change.before != change.after


def test_nfc_leaves_a_pile_of_combining_marks_as_written() -> None:
    """A heading under 60,000 combining marks ("Zalgo" text) is hostile, not Chinese: NFC's
    canonical reordering of such a pile is quadratic (25 minutes for 1 MB), so a cluster of
    more than MAX_CLUSTER characters stays as written, while ordinary decomposed text around
    it is still composed (e + U+0301 -> é)."""
    from policydiff.normalize.unicode import MAX_CLUSTER

    pile = "\u0316\u0301" * 30_000  # not in canonical order: NFC would reorder all of it
    source = "e\u0301、加强" + pile + "建设\n内容。"
    result = normalize(source)
    assert result.text.startswith("é、加强" + pile + "建设")
    assert len(pile) > MAX_CLUSTER
    first_mark = result.text.index("\u0316")
    assert result.starts[first_mark] == source.index("\u0316")
