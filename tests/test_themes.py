"""Theme taxonomy and classification, on real headings with expectations written by hand.

The headings below are copied verbatim from the seeds and from the mainland reports in the
shared corpus (public official documents); ``test_headings_are_verbatim`` checks that each
still occurs in its source. Expectations were written from reading the headings, before
running the classifier: ``"urban"`` means urban must be the first theme, ``"urban&rural"``
means both must be present and the first theme is one of them, ``forbid`` lists themes that
must not be assigned.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff import themes as themes_mod
from policydiff.errors import ConfigError
from policydiff.model import ThemeScore
from policydiff.themes import Theme, classify, key_terms, load_themes

THEMES = load_themes()
IDS = {t.id for t in THEMES}

# (source, heading as written after its marker, expected, forbidden themes)
HEADINGS: list[tuple[str, str, str, tuple[str, ...]]] = [
    # seed 000 (a county report: 第一，… 第七，)
    ("seed:000", "突出形态转变、品质塑造，建设更有魅力的宜居城市", "urban", ()),
    ("seed:000", "聚力速效同增、量质兼备，培育更具实力的工业优势", "industry", ()),
    ("seed:000", "注重精准施策、示范引领，推进更高水平的乡村振兴", "rural", ()),
    ("seed:000", "紧扣绿色发展、生态宜居，构建更可持续的生态体系", "ecology", ()),
    ("seed:000", "强化改革创新、开放合作，激发更富活力的发展潜能", "reform&opening", ()),
    ("seed:000", "着力保障民生、增进福祉，共创更加美好的幸福生活", "livelihoods", ()),
    ("seed:000", "致力共建共治、系统提升，推动更深层次的社会治理", "security", ()),
    # seed 002 (a district report: （一） and 一是 inside paragraphs)
    ("seed:002", "疫情防控作为贯穿全年工作的两大主线之一", "security", ()),
    ("seed:002", "新旧动能转换率先突破", "industry", ()),
    ("seed:002", "城市面貌发生显著改观", "urban", ()),
    ("seed:002", "人民群众生活更加幸福", "livelihoods", ()),
    ("seed:002", "关于当前经济形势", "overview", ()),
    ("seed:002", "高效率推动项目建设", "demand", ()),
    ("seed:002", "高水平扩大对外开放", "opening", ()),
    ("seed:002", "狠抓园区建设，在完善平台功能上实现新突破", "industry", ()),
    ("seed:002", "狠抓品质提升，在湿地城市建设上实现新突破", "urban", ()),
    ("seed:002", "狠抓融合发展，在推进乡村振兴上实现新突破", "rural", ()),
    ("seed:002", "狠抓底线任务，在安全稳定发展上实现新突破", "security", ()),
    ("seed:002", "增强领导经济工作的能力和本领", "party_gov", ()),
    # seed 003 (a city report with a party-building part)
    ("seed:003", "对标先进“提质效”，在一流营商环境建设上争当“排头兵”", "reform", ()),
    ("seed:003", "做强乡村，促进共同富裕", "rural&livelihoods", ()),
    ("seed:003", "加快农业产业发展", "rural", ()),
    ("seed:003", "保护xx好山好水", "ecology", ()),
    ("seed:003", "建强基层堡垒，夯实事业之基", "party_gov", ()),
    ("seed:003", "从严管党治党，恪守清廉之本", "party_gov", ()),
    (
        "seed:003",
        "坚定不移推进全面从严治党，在激发干部队伍干事创业激情上争当“排头兵”",
        "party_gov",
        (),
    ),
    # seed 004 (a five-year-plan proposal: 一、 then 1. … 52.)
    ("seed:004", "“十四五”面临的发展形势", "overview", ()),
    ("seed:004", "深入实施创新首位战略,打造活力迸发的创新型城区", "innovation", ()),
    ("seed:004", "大力实施扩大内需战略,全面融入双循环新发展格局", "demand", ()),
    ("seed:004", "大力发展数字经济", "industry", ()),
    ("seed:004", "推进城乡融合发展,巩固提升温州大都市区核心区地位", "urban&rural", ()),
    ("seed:004", "构筑外快内畅的交通体系", "urban", ()),
    ("seed:004", "深入实施文化强区战略,打造底蕴深厚的历史文化名城", "culture", ()),
    ("seed:004", "深化生态文明建设,高水平打造美丽鹿城", "ecology", ("culture",)),
    ("seed:004", "建设幸福颐养标杆城区", "livelihoods", ()),
    ("seed:004", "全面统筹发展和安全,高水平建设平安鹿城", "security", ()),
    # national government work reports
    ("national-2017", "促进农业稳定发展和农民持续增收", "rural", ("security",)),
    ("national-2017", "全面加强政府自身建设", "party_gov", ()),
    (
        "national-2018",
        "坚持实施区域协调发展和新型城镇化战略，着力推动平衡发展，新的增长极增长带加快成长",
        "regional&urban",
        (),
    ),
    ("national-2019", "激发市场主体活力，着力优化营商环境", "reform", ()),
    ("national-2020", "加大宏观政策实施力度，着力稳企业保就业", "macro&livelihoods", ()),
    ("national-2021", "坚持扩大内需这个战略基点，充分挖掘国内市场潜力", "demand", ()),
    (
        "national-2022",
        "切实保障和改善民生，加强和创新社会治理",
        "livelihoods&security",
        ("innovation",),
    ),
    ("national-2023", "过去一年和五年工作回顾", "overview", ()),
    ("national-2023", "加强生态环境保护，促进绿色低碳发展", "ecology", ("security",)),
    ("national-2023", "保障国家粮食安全，大力实施乡村振兴战略", "rural", ("security",)),
    ("national-2023", "有效防范化解重大经济金融风险", "security", ()),
    ("national-2023", "创新宏观调控，保持经济运行在合理区间", "macro", ("innovation",)),
    ("national-2024", "大力推进现代化产业体系建设，加快发展新质生产力", "industry", ()),
    ("national-2024", "深入实施科教兴国战略，强化高质量发展的基础支撑", "innovation", ()),
    ("national-2024", "推动城乡融合和区域协调发展，大力优化经济布局", "urban&rural&regional", ()),
    ("national-2025", "2025年经济社会发展总体要求和政策取向", "overview", ()),
    ("national-2025", "扩大高水平对外开放，积极稳外贸稳外资", "opening", ()),
    ("national-2025", "协同推进降碳减污扩绿增长，加快经济社会发展全面绿色转型", "ecology", ()),
    # party congress reports
    ("cpc-congress-17th-2007", "推进“一国两制”实践和祖国和平统一大业", "defense_foreign", ()),
    ("cpc-congress-19th-2017", "培育和践行社会主义核心价值观", "culture", ()),
    ("cpc-congress-19th-2017", "夺取反腐败斗争压倒性胜利", "party_gov", ()),
    ("cpc-congress-20th-2022", "全面推进乡村振兴", "rural", ()),
    ("cpc-congress-20th-2022", "全面发展协商民主", "democracy", ()),
    ("cpc-congress-20th-2022", "积极稳妥推进碳达峰碳中和", "ecology", ()),
    (
        "cpc-congress-20th-2022",
        "实现建军一百年奋斗目标，开创国防和军队现代化新局面",
        "defense_foreign",
        (),
    ),
    # provincial reports 2026
    ("prov-2026-beijing", "深入落实城市总体规划，推动京津冀协同发展走深走实", "regional&urban", ()),
    ("prov-2026-chongqing", "守住廉治底线", "party_gov", ("security",)),
    ("prov-2026-fujian", "服务统一大业，促进高标准融合", "defense_foreign", ()),
    ("prov-2026-fujian", "坚持守正创新，打造高标识文化", "culture", ("innovation",)),
    ("prov-2026-gansu", "坚决筑牢国家西部生态安全屏障", "ecology", ("security",)),
    ("prov-2026-guangdong", "推动海洋经济高质量发展，加快打造海上新广东", "industry", ()),
    ("prov-2026-guangxi", "争创人工智能发展优势，激活创新动能", "innovation", ()),
    ("prov-2026-hainan", "加强政府自身建设", "party_gov", ()),
    (
        "prov-2026-heilongjiang",
        "着力夯实粮食安全根基，加快推进农业农村现代化",
        "rural",
        ("security",),
    ),
    ("prov-2026-henan", "从严从实开展深入贯彻中央八项规定精神学习教育", "party_gov", ()),
    ("prov-2026-hubei", "牢固树立和坚定践行正确的政绩观", "party_gov", ()),
    ("prov-2026-jiangsu", "更高水平促进城乡融合发展", "urban&rural", ()),
    (
        "prov-2026-neimenggu",
        "坚持生态优先、绿色发展，筑牢我国北方重要生态安全屏障",
        "ecology",
        ("security",),
    ),
    ("prov-2026-neimenggu", "促进各民族广泛交往交流交融", "democracy", ()),
    ("prov-2026-neimenggu", "加快农牧业转型发展，建设国家重要农畜产品生产基地", "rural", ()),
    ("prov-2026-shanghai", "着力推动城市内涵式发展，加快转变城市发展方式", "urban", ()),
    ("prov-2026-shanxi", "着力推动能源转型", "industry", ()),
    ("prov-2026-xizang", "立足边境建设，扎实推进固边兴边富民行动", "regional", ()),
    ("prov-2026-zhejiang", "着力抓项目优投资促招商", "demand", ()),
]

SEED_SOURCES = {
    "seed:000": "000_fa4a5ba1074ac6cc.txt",
    "seed:002": "002_18ae15f2ea8019a0.txt",
    "seed:003": "003_dbac8fd8727e5cee.txt",
    "seed:004": "004_b78163a6892e2685.txt",
}


def ids(result: tuple[ThemeScore, ...]) -> list[str]:
    return [score.id for score in result]


def check(result: tuple[ThemeScore, ...], expected: str, forbid: tuple[str, ...]) -> None:
    wanted = expected.split("&")
    got = ids(result)
    assert got, "no theme assigned"
    assert got[0] in wanted, f"first theme {got[0]} not in {wanted} (got {got})"
    assert set(wanted) <= set(got), f"missing {set(wanted) - set(got)} (got {got})"
    assert not set(forbid) & set(got), f"forbidden {set(forbid) & set(got)} (got {got})"


# ---------------------------------------------------------------- the bundled taxonomy


def test_bundled_taxonomy_shape() -> None:
    assert len(THEMES) >= 13
    assert len(IDS) == len(THEMES)
    for theme in THEMES:
        assert theme.id.isascii() and theme.id.replace("_", "").isalnum()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in theme.name)
        assert theme.name_en.isascii() and theme.name_en
        assert theme.terms
        for term, weight in theme.terms:
            assert term.strip() == term and term
            assert 0 < weight <= 1
    for required in (
        "overview",
        "industry",
        "urban",
        "rural",
        "ecology",
        "livelihoods",
        "reform",
        "opening",
        "innovation",
        "demand",
        "security",
        "culture",
        "party_gov",
    ):
        assert required in IDS


def test_bundled_taxonomy_is_shared() -> None:
    assert load_themes() is load_themes()
    assert load_themes(None) is THEMES


def test_every_expectation_names_a_real_theme() -> None:
    for _, _, expected, forbid in HEADINGS:
        assert set(expected.split("&")) | set(forbid) <= IDS


# ---------------------------------------------------------------- real headings


@pytest.mark.parametrize(
    ("source", "heading", "expected", "forbid"), HEADINGS, ids=[h[1][:16] for h in HEADINGS]
)
def test_real_heading(source: str, heading: str, expected: str, forbid: tuple[str, ...]) -> None:
    check(classify(heading, "", THEMES), expected, forbid)


def test_at_least_thirty_real_headings() -> None:
    assert len(HEADINGS) >= 36
    assert len({h[1] for h in HEADINGS}) == len(HEADINGS)


def test_seed_headings_are_verbatim(seed_files: dict[str, Path]) -> None:
    for source, heading, _, _ in HEADINGS:
        if source.startswith("seed:"):
            text = seed_files[source[5:]].read_text(encoding="utf-8")
            assert heading in text, (source, heading)


@pytest.mark.corpus
def test_corpus_headings_are_verbatim(corpus_dir: Path) -> None:
    for source, heading, _, _ in HEADINGS:
        if not source.startswith("seed:"):
            text = (corpus_dir / f"{source}.txt").read_text(encoding="utf-8")
            assert heading in text, (source, heading)


def test_marker_in_heading_does_not_matter() -> None:
    assert ids(classify("（三）全面推进乡村振兴", "", THEMES)) == ids(
        classify("全面推进乡村振兴", "", THEMES)
    )


# ---------------------------------------------------------------- bodies


# seed 003, （一） of the party-building part: the heading has no theme term.
BODY_PARTY = (
    "以政治建设为统领，以学习贯彻党的十九届六中全会精神为抓手，深刻领会“两个确立”的决定性意义，"
    "胸怀“两个大局”，心系“国之大者”，不断提高政治判断力、政治领悟力、政治执行力。"
    "牢牢掌握意识形态工作领导权、主动权、话语权，弘扬主旋律，传播正能量，"
    "汇聚推动全市高质量发展的精神力量。"
)

# Fujian 2026, 四、（五）: again no theme term in the heading.
BODY_EFFICIENCY = (
    "牢记“马上就办、真抓实干”，扎实推进新时代机关效能建设，看准的事、定下的事坚决去做，"
    "尽快出成果、见成效。提升12345政务服务便民热线和中小企业直通车等平台服务质效，"
    "及时高效回应群众期盼、解决企业诉求。持续深化整治形式主义为基层减负，"
    "进一步统筹规范督查检查考核，加大精文简会力度，严格执行乡镇（街道）履职事项清单，"
    "真正将基层负担减下去，腾出更多精力干实事、谋发展。"
)


def test_body_decides_when_heading_is_silent() -> None:
    assert classify("坚持正确导向，把稳思想之舵", "", THEMES) == ()
    assert ids(classify("坚持正确导向，把稳思想之舵", BODY_PARTY, THEMES))[0] == "party_gov"
    assert ids(classify("始终把高效作为服务之道", BODY_EFFICIENCY, THEMES))[0] == "party_gov"


def test_body_clearly_about_a_theme_adds_it() -> None:
    # The heading says projects (demand); the body is all roads, rail and pipes (urban).
    body = (
        "加快城市路网、轨道交通和综合管廊建设，推进城市更新和老旧小区改造，完善市政基础设施。"
        "建成城市快速路二期，新开工公路、铁路项目各3个，提升交通基础设施和城市基础设施水平。"
    ) * 2
    result = ids(classify("高效率推动项目建设", body, THEMES))
    assert result[:2] == ["demand", "urban"]
    # A passing mention does not: one road in an otherwise plain 250-character body.
    plain = "加快推进项目建设，新开工公路一条。" + "。" * 230
    assert ids(classify("高效率推动项目建设", plain, THEMES)) == ["demand"]


def test_heading_outweighs_body() -> None:
    # An ecology heading over a body that mentions industry three times in 200+ characters.
    body = "推动园区循环化改造，" + "引导产业绿色转型。" * 3 + "加强工业污染治理。" + "。" * 150
    result = ids(classify("加强生态环境保护", body, THEMES))
    assert result[0] == "ecology"


def test_long_body_is_not_favoured_for_being_long() -> None:
    body = BODY_EFFICIENCY + BODY_PARTY
    assert len(body) >= themes_mod.MIN_BODY_CHARS
    every_max = len(THEMES)
    every_min = 1e-9
    once = classify("", body, THEMES, max_themes=every_max, min_score=every_min)
    assert once  # the body is about something
    assert classify("", body * 5, THEMES, max_themes=every_max, min_score=every_min) == once


def test_short_body_is_not_overwhelming() -> None:
    # One weak term in a ten-character body must not look like a saturated section.
    assert classify("", "搞好企业。", THEMES) == ()


# ---------------------------------------------------------------- rules


def test_no_evidence_gives_no_themes() -> None:
    assert classify("", "", THEMES) == ()
    assert (
        classify("各位代表：", "现在，我代表市人民政府，向大会报告工作，请予审议。", THEMES) == ()
    )
    assert classify("全面推进乡村振兴", "", ()) == ()


def test_max_themes() -> None:
    heading = "推动城乡融合和区域协调发展，大力优化经济布局"
    assert len(classify(heading, "", THEMES)) == 3
    assert ids(classify(heading, "", THEMES, max_themes=1))[0] in {"urban", "rural", "regional"}
    assert len(classify(heading, "", THEMES, max_themes=1)) == 1
    assert classify(heading, "", THEMES, max_themes=0) == ()


def test_leftmost_longest_terms() -> None:
    assert key_terms("推进乡村振兴", THEMES) == ("乡村振兴",)
    assert key_terms("筑牢北方生态安全屏障", THEMES) == ("生态安全屏障",)
    assert key_terms("保障粮食安全，守住安全底线", THEMES) == ("粮食安全", "安全", "底线")
    assert key_terms("", THEMES) == ()


def test_heading_about_one_theme_scores_it_first() -> None:
    result = classify("全面推进乡村振兴", "", THEMES, max_themes=len(THEMES), min_score=1e-9)
    assert result[0].id == "rural" and result[0].score > 0
    assert all(0.0 <= s.score <= 1.0 for s in result)


def test_user_themes_replace_bundled(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[theme]]\nid = "water"\nname = "水利"\nname_en = "Water"\n'
        'terms = { "水利" = 1.0, "河湖" = 0.5 }\n',
        encoding="utf-8",
    )
    mine = load_themes(path)
    assert mine == (Theme("water", "水利", "Water", (("水利", 1.0), ("河湖", 0.5))),)
    assert ids(classify("加强水利建设", "", mine)) == ["water"]
    assert classify("全面推进乡村振兴", "", mine) == ()
    assert load_themes(str(path)) == mine


def test_user_themes_accept_bom_and_integer_weight(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + '[[theme]]\nid = "a"\nname = "甲"\nname_en = "A"\nterms = { "甲" = 1 }\n'.encode()
    )
    assert load_themes(path)[0].terms == (("甲", 1.0),)


# ---------------------------------------------------------------- malformed user files

GOOD = 'id = "a"\nname = "甲"\nname_en = "A"\nterms = { "甲乙" = 1.0 }\n'


def entry(terms: str = '{ "甲" = 1.0 }', **fields: str) -> str:
    """One [[theme]] table; ``fields`` replace (or with "" drop) id, name and name_en."""
    values = {"id": '"a"', "name": '"甲"', "name_en": '"A"', **fields}
    lines = [f"{key} = {value}" for key, value in values.items() if value]
    if terms:
        lines.append(f"terms = {terms}")
    return "[[theme]]\n" + "\n".join(lines) + "\n"


MALFORMED = [
    ("syntax", '[[theme]]\nid = "a"\nname = 甲\n', "invalid TOML"),
    ("unterminated", '[[theme]]\nid = "a\n', "invalid TOML"),
    ("duplicate toml key", '[[theme]]\nid = "a"\nid = "b"\n', "invalid TOML"),
    ("missing id", entry(id=""), "missing 'id'"),
    ("non-ascii id", entry(id='"产业"'), "'id' must be ASCII"),
    ("numeric id", entry(id="3"), "'id' must be ASCII"),
    ("duplicate id", f"[[theme]]\n{GOOD}[[theme]]\n{GOOD}", "duplicate id 'a'"),
    ("missing name", entry(name=""), "missing 'name'"),
    ("missing name_en", entry(name_en=""), "missing 'name_en'"),
    ("blank name", entry(name='"  "'), "'name' must be a non-empty string"),
    ("missing terms", entry(terms=""), "missing 'terms'"),
    ("empty terms", entry("{}"), "'terms' is empty"),
    ("terms not a table", entry('["甲"]'), "'terms' must be a table"),
    ("string weight", entry('{ "甲" = "1.0" }'), "must be a number"),
    ("bool weight", entry('{ "甲" = true }'), "must be a number"),
    ("zero weight", entry('{ "甲" = 0 }'), "(0, 1]"),
    ("weight above 1", entry('{ "甲" = 1.5 }'), "(0, 1]"),
    ("negative weight", entry('{ "甲" = -0.5 }'), "(0, 1]"),
    ("nan weight", entry('{ "甲" = nan }'), "(0, 1]"),
    ("empty term", entry('{ "" = 1.0 }'), "empty term"),
    ("unknown key", f'[[theme]]\n{GOOD}term = {{ "甲" = 1.0 }}\n', "unknown key 'term'"),
    ("no themes", 'title = "x"\n', "unknown top-level key 'title'"),
    ("empty file", "", "no [[theme]] tables"),
    ("theme not array of tables", 'theme = "x"\n', "no [[theme]] tables"),
]


def test_entry_helper_builds_a_valid_theme(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(entry(), encoding="utf-8")
    assert load_themes(path) == (Theme("a", "甲", "A", (("甲", 1.0),)),)


@pytest.mark.parametrize(("case", "text", "fragment"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_user_file(tmp_path: Path, case: str, text: str, fragment: str) -> None:
    path = tmp_path / "bad themes.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_themes(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert fragment in message


def test_unreadable_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read themes file"):
        load_themes(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="cannot read themes file"):
        load_themes(tmp_path)
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('[[theme]]\nid = "a"\nname = "产业"\n'.encode("gbk"))
    with pytest.raises(ConfigError, match="not UTF-8") as info:
        load_themes(gbk)
    assert "\n" not in str(info.value)


def test_file_name_with_newline_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "odd\nname.toml"
    path.write_text("[[theme]]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_themes(path)
    assert "\n" not in str(info.value)


def test_bundled_file_is_valid_toml_with_documented_shape() -> None:
    text = (Path(themes_mod.__file__).parent / "data" / "themes.toml").read_text(encoding="utf-8")
    assert text.startswith("#")
    assert set(tomllib.loads(text)) == {"theme"}


# ---------------------------------------------------------------- properties

ALPHABET = (
    "".join(sorted({ch for t in THEMES for term, _ in t.terms for ch in term})) + "，。的和在"
)


@settings(max_examples=80, deadline=None)
@given(
    heading=st.text(alphabet=ALPHABET, max_size=30),
    body=st.text(alphabet=ALPHABET, max_size=600),
    max_themes=st.integers(min_value=0, max_value=5),
)
def test_classify_invariants(heading: str, body: str, max_themes: int) -> None:
    result = classify(heading, body, THEMES, max_themes=max_themes)
    assert len(result) <= max_themes
    assert len({s.id for s in result}) == len(result)
    assert all(s.id in IDS and 0.0 <= s.score <= 1.0 for s in result)
    assert list(result) == sorted(result, key=lambda s: (-s.score, s.id))
    assert result == classify(heading, body, THEMES, max_themes=max_themes)
    if not key_terms(heading + "\n" + body, THEMES):
        assert result == ()


@settings(max_examples=60, deadline=None)
@given(heading=st.text(alphabet=ALPHABET, min_size=1, max_size=30))
def test_heading_evidence_beats_no_evidence(heading: str) -> None:
    scored = classify(heading, "", THEMES, min_score=1e-9)
    found = key_terms(heading, THEMES)
    assert bool(scored) == bool(found)


# ------------------------------------------------------------------ one scan per document


def test_text_terms_cut_at_a_slice_end_as_a_scan_of_the_slice() -> None:
    # 乡村振兴 and 乡村 are both rural terms (data/themes.toml). The whole text holds the
    # longer one; a slice that ends inside it must find 乡村, as a scan of the slice does.
    terms = themes_mod.TextTerms("全面推进乡村振兴战略", THEMES)
    assert terms.terms(0, 10) == ["乡村振兴"]
    assert terms.terms(0, 6) == ["乡村"]  # 全面推进乡村
    assert terms.terms(4, 8) == ["乡村振兴"]
    assert terms.terms(5, 5) == []


def _section_spans_agree(path: Path) -> None:
    from policydiff.document import load_document

    doc = load_document(path, cache=False)
    text = doc.text
    terms = themes_mod.TextTerms(text, THEMES)
    pattern = themes_mod._matcher(THEMES).pattern
    assert pattern is not None
    for sec in doc.sections:
        for start, end in (sec.span, sec.heading_span, (sec.heading_span[1], sec.span[1])):
            assert terms.terms(start, end) == pattern.findall(text[start:end]), (sec.id, start)
        heading = text[sec.heading_span[0] : sec.heading_span[1]] if sec.heading else ""
        body = text[sec.heading_span[1] : sec.span[1]]
        span = sec.heading_span if sec.heading else None
        assert terms.classify(span, (sec.heading_span[1], sec.span[1])) == classify(
            heading, body, THEMES
        ), sec.id


def test_text_terms_classify_every_seed_section_as_classify(seed_files: dict[str, Path]) -> None:
    for path in seed_files.values():
        _section_spans_agree(path)


def test_text_terms_classify_every_national_section_as_classify(corpus_dir: Path) -> None:
    for year in (2024, 2025):
        _section_spans_agree(corpus_dir / f"national-{year}.txt")
