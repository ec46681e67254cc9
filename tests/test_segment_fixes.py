"""Heading-detection fixes of issue 14, each written from a line of the document it fixes."""

from __future__ import annotations

from pathlib import Path

from policydiff.document import build_document, load_document
from policydiff.model import Document, Section


def headings(sec: Section) -> list[str]:
    return [c.heading for c in sec.children]


def part(doc: Document, heading: str) -> Section:
    return next(s for s in doc.root.children if s.heading == heading)


def test_national_2025_review_opening_is_body(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "national-2025.txt")
    review = part(doc, "2024年工作回顾")
    # Line 10: "过去一年，我国发展历程很不平凡。党的二十届三中全会胜利召开，…" and line 16:
    # "回顾过去一年，成绩来之不易。…" open the review; they are its own text, not headings,
    # so the review's own text (what is shown beside the 2024 review) holds them.
    assert headings(review)[0] == "因时因势加强和创新宏观调控，推动经济回升向好"  # 一是…
    own = doc.text[review.own_span[0] : review.own_span[1]]
    assert "过去一年，我国发展历程很不平凡" in own and "回顾过去一年，成绩来之不易" in own
    # Line 162: "过去一年，国防和军队建设取得新的重要进展。新的一年，…" is a paragraph of the
    # last task, not a sub-heading.
    tasks = part(doc, "2025年政府工作任务")
    assert all(not h.startswith("过去一年") for s in tasks.walk() for h in [s.heading])


def test_national_2018_parallel_leads_stay_headings(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "national-2018.txt")
    review = doc.root.children[1]
    # Line 12: "五年来，经济实力跃上新台阶。…": six leads share "五年来，" — run-in headings.
    leads = [h for h in headings(review) if h.startswith("五年来，")]
    assert leads[0] == "五年来，经济实力跃上新台阶" and len(leads) == 6


def test_hong_kong_2014_sub_headings_found(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "hk-policy-address-2014-zht.txt")
    economy = part(doc, "经济")
    # Line 33: "專業服務" followed by a one-sentence paragraph (36 characters, line 34).
    assert "专业服务" in headings(economy)
    care = part(doc, "扶贫安老助弱")
    # Line 99: "安老", line 100: "安老服務計劃方案" … line 119: "積極樂頤年"; line 121: "助弱",
    # line 122: "少數族裔" … line 146: "有特殊教育需要的學生"; line 148: "福利服務規劃". A group
    # title holds the headings under it, up to the next title.
    groups = {s.heading: headings(s) for s in care.children}
    assert groups["安老"][0] == "安老服务计划方案" and groups["安老"][-1] == "积极乐颐年"
    assert groups["助弱"] == ["少数族裔", "残疾人士", "有特殊教育需要的学生"]
    assert "福利服务规划" in groups
    youth = part(doc, "培育下一代")
    # Line 167: "教育" above line 168 "幼兒教育"; line 187: "就業" (each right above a
    # sub-heading, with no text of its own).
    titles = {s.heading: s for s in youth.children}
    assert {"教育", "就业"} <= set(titles) and headings(titles["教育"])[0] == "幼儿教育"
    assert all(len(doc.text[slice(*titles[t].body_span)].strip()) == 0 for t in ("教育", "就业"))
    land = part(doc, "土地房屋与交通运输")
    # Line 238: "工商業用地" holds line 247 "活化工廈"; line 255 "房屋" and line 275 "交通運輸"
    # name topics of the chapter's title: they end the group (a title of its level).
    groups = {s.heading: headings(s) for s in land.children}
    assert "活化工厦" in groups["工商业用地"] and "房屋" in groups and "交通运输" in groups
    assert "建造业发展" in groups["市区重建与楼宇安全"]


def test_hong_kong_2014_numbered_list_items_are_body(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "hk-policy-address-2014-zht.txt")
    care = part(doc, "扶贫安老助弱")
    # Line 73: " 一、不少基層人士是家中唯一的就業成員，…" and line 76: "(1) 基本津貼會以家庭為單位，
    # 與就業及工時掛鈎，…" are items of lists under 低收入在職家庭津貼, not headings.
    allowance = next(s for s in care.children if s.heading == "低收入在职家庭津贴")
    assert allowance.children == ()
    body = doc.text[allowance.own_span[0] : allowance.own_span[1]]
    assert "不少基层人士是家中唯一的就业成员" in body and "基本津贴会以家庭为单位" in body
    assert not any(s.label.startswith(("（1）", "(1)", "一、")) for s in care.walk())


def test_a_heading_line_under_a_plain_line_stays_a_heading() -> None:
    # As in seed 001: a plain review line, then "（一）…" headings with no final punctuation.
    text = (
        "一、工作回顾\n"
        "一年来，我们守正创新、砥砺前行，稳住了经济发展基本盘\n"
        + "攻坚克难、加压奋进，系统谋划出台了一系列稳增长政策措施，经济运行总体平稳向好。" * 2
        + "\n（一）聚焦产业兴区、蓄势赋能，转型升级势头强劲\n"
        + "工业经济添薪蓄力。工业园区收储土地一千亩，新增规模以上工业企业二十户，产值增长。\n"
        "（二）锚定首善之区、强基补短，城乡一体加快融合\n"
        + "城市建管扩容提质。新建改造城市道路十条，老旧小区改造一百个，城市面貌持续改善。\n"
    )
    doc = build_document(text, doc_id="d1", path="x.txt")
    labels = [s.label for s in doc.sections]
    assert "（一）" in labels and "（二）" in labels


def test_seed_001_numbered_tasks_under_review_lines(seed_files: dict[str, Path]) -> None:
    doc = load_document(seed_files["001"])
    review = doc.root.children[1]
    # Line 18: "(一)聚焦產業興區、蓄勢賦能,轉型升級勢頭強勁" is a heading, not a list item.
    assert any(c.label == "（一）" for c in review.children)


def test_items_in_a_lead_paragraph_are_its_items(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "national-2017.txt")
    first = part(doc, "2017年重点工作任务").children[0]  # （一）用改革的办法深入推进“三去一降一补”
    # Line 186: "多措并举降成本。扩大小微企业享受减半征收所得税优惠的范围，…一是全面清理规范政府性
    # 基金，…": the 一是…五是 items of that paragraph belong to 多措并举降成本.
    cost = next(s for s in first.children if s.heading == "多措并举降成本")
    assert [c.label for c in cost.children] == ["一是", "二是", "三是", "四是", "五是"]


def test_a_lead_after_inline_items_is_not_inside_the_last_item(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "national-2017.txt")
    demand = part(doc, "2017年重点工作任务").children[2]  # （三）进一步释放国内需求潜力
    # Line 226: "积极扩大有效投资。引导资金更多投向补短板、…" follows the paragraph holding
    # 三要整顿和规范市场秩序: a sibling of the 一要…三要 items, not inside 三要.
    assert "积极扩大有效投资" in headings(demand)
    assert all(c.children == () for c in demand.children if c.label == "三要")


def test_leads_beside_inline_items_keep_their_headings(corpus_dir: Path) -> None:
    # Three lead headings of national 2017 were lost: each is the only lead between its task's
    # heading and a paragraph of 一是/一要 items, and the leads after the items were grouped
    # under the last item instead of the task.
    doc = load_document(corpus_dir / "national-2017.txt")
    tasks = part(doc, "2017年重点工作任务").children
    # Line 190: "精准加力补短板。要针对严重制约经济社会发展和民生改善的突出问题，…" follows the
    # paragraph of 多措并举降成本 and its 五是 item (line 186): a task of （一）, not text of 五是.
    first = tasks[0]  # （一）用改革的办法深入推进“三去一降一补”
    assert headings(first) == ["扎实有效去产能", "因城施策去库存", "积极稳妥去杠杆",
                               "多措并举降成本", "精准加力补短板"]
    # Line 222: "促进消费稳定增长。适应消费需求变化，…一要加快发展服务消费。…": the first task
    # of （三）进一步释放国内需求潜力 (line 219), holding the 一要…三要 items.
    demand = tasks[2]
    assert headings(demand) == ["促进消费稳定增长", "积极扩大有效投资", "优化区域发展格局",
                                "扎实推进新型城镇化"]
    assert [c.label for c in demand.children[0].children] == ["一要", "二要", "三要"]
    # Line 280: "坚决打好蓝天保卫战。今年二氧化硫、氮氧化物排放量要分别下降3%，…一要加快解决燃煤
    # 污染问题。…" under （七）加大生态环境保护治理力度 (line 275), before line 284's
    # "强化水、土壤污染防治。" and line 288's "推进生态保护和建设。".
    ecology = tasks[6]
    assert headings(ecology) == ["坚决打好蓝天保卫战", "强化水、土壤污染防治", "推进生态保护和建设"]
    assert [c.label for c in ecology.children[0].children] == ["一要", "二要", "三要", "四要",
                                                               "五要"]


def test_group_titles_are_segmentation_s_word(corpus_dir: Path) -> None:
    # Hong Kong 2014, lines 167-169: "教育" / "幼兒教育" / "幼兒教育是培育青少年成長的…": 教育 is
    # the title of the headings under it (幼兒教育, 支援基層學生學習 …), with no text of its own.
    hk = load_document(corpus_dir / "hk-policy-address-2014-zht.txt")
    education = next(s for s in hk.sections if s.heading == "教育")
    assert education.title and education.children[0].heading == "幼儿教育"
    assert not education.children[0].title
    # National 2017, line 162: "做好今年政府工作，要把握好以下几点。一是贯彻稳中求进工作总基调…":
    # a lead sentence whose paragraph goes on into its items, which are its text: no title.
    national = load_document(corpus_dir / "national-2017.txt")
    points = next(s for s in national.sections if s.heading.startswith("做好今年政府工作"))
    assert [c.label for c in points.children][:2] == ["一是", "二是"]
    assert not points.title


def test_hong_kong_2015_headings_above_a_list_are_found(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "hk-policy-address-2015-zht.txt")
    care = part(doc, "扶贫安老助弱")
    helping = next(s for s in care.children if s.heading == "助弱")
    # Line 183: "精神病患者及康復者", line 184: " 根據精神健康檢討委員會的初步建議，政府會循4個方面
    # 加強支援精神病患者：" (35 characters, opening the list "(1) 增加小欖醫院的病床…"); line
    # 189: "有特殊教育需要的學生", line 190: " 我們會從4方面加強支援有特殊需要的兒童及其家人：".
    assert headings(helping)[:3] == ["极须援助的家庭和儿童", "精神病患者及康复者",
                                     "有特殊教育需要的学生"]
    population = part(doc, "优化人口创建未来")
    # Line 211: "釋放本地勞動潛力" / " 第一項策略，是釋放本地勞動潛力。我們會：" and line 219:
    # "吸引外來人才" / " 第三項策略，是推行以下的優化措施，更積極招攬外來的人才和專才：".
    assert headings(population)[:3] == ["释放本地劳动潜力", "培育本地人力", "吸引外来人才"]


def test_hong_kong_2015_numbered_items_and_narrative_leads_are_body(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "hk-policy-address-2015-zht.txt")
    # Line 191: "(1) 及早識別。衞生署會加強現有兒童體能智力測驗中心的跨專業醫療人手，…": an item
    # of the list under 有特殊教育需要的學生, not a heading of its own.
    pupils = next(s for s in doc.sections if s.heading == "有特殊教育需要的学生")
    assert pupils.children == ()
    assert "及早识别" in doc.text[pupils.own_span[0] : pupils.own_span[1]]
    # Line 48: " 擴充業界人才庫同樣重要。政府於去年4月成立…" under the sub-heading line
    # "高增值航運服務", and line 322: " 政府會繼續為藝團和藝術家開拓空間。…" under "文化及體育":
    # paragraphs opening with an ordinary sentence, not run-in headings.
    for heading in ("高增值航运服务", "文化及体育"):
        assert next(s for s in doc.sections if s.heading == heading).children == ()
    # Line 346: " 未來一年，也是香港政制發展的關鍵一年。…" in （十二）結語 opens with a time phrase,
    # as a narrative does; the one other lead there, line 347's "民生將是政府未來一年施政的另一個
    # 重要範疇。", is then alone: the closing chapter has no sub-headings.
    assert part(doc, "结语").children == ()


def test_hong_kong_2013_headings_above_a_short_opening_are_found(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "hk-policy-address-2013-zht.txt")
    found = {s.heading for s in doc.sections}
    # Line 96: "短中期增加資助房屋供應" / " 我們會加大加快資助房屋的供應：" (15 characters, then
    # "(1) 在2018年起的5年內，…"); line 116: "短中期增加房屋土地供應" / " 政府會採取一系列強力措施，
    # 增加短中期的房屋土地供應："; line 179: "關愛基金" / " “關愛基金”至今推出了18個援助項目，
    # 成功識別未能受惠於現有社會......" (the speech is interrupted, then said again).
    assert {"短中期增加资助房屋供应", "短中期增加房屋土地供应", "关爱基金"} <= found
    # The list items under them stay body (line 99 "(3) 我會邀請房協增建資助房屋。…"): no
    # subsections (a marker is a section's label, never its heading).
    for heading in ("短中期增加资助房屋供应", "短中期增加房屋土地供应", "关爱基金"):
        assert next(s for s in doc.sections if s.heading == heading).children == ()
