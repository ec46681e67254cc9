"""Part roles (policydiff.roles) on the corpus and seeds, written from the documents' headings."""

from __future__ import annotations

from pathlib import Path

from policydiff.align import align
from policydiff.document import load_document
from policydiff.roles import compatible, reviewed_in, same_named_role, section_roles


def top_roles(path: Path) -> list[str]:
    doc = load_document(path)
    roles = section_roles(doc)
    return [roles[s.id] for s in doc.root.children]


def test_national_report_roles(corpus_dir: Path) -> None:
    # 一、2024年工作回顾 / 二、2024年经济社会发展总体要求和政策取向 / 三、2024年政府工作任务
    assert top_roles(corpus_dir / "national-2024.txt") == [
        "preamble", "review", "targets", "tasks", "closing",
    ]
    # 二、"十三五"时期发展成就和"十四五"时期主要目标任务 holds the 十四五 targets: a five-year
    # plan's, not one year's, so not parallel to 2022's 二、2022年经济社会发展总体要求和政策取向.
    assert top_roles(corpus_dir / "national-2021.txt")[2] == "five_year"
    assert top_roles(corpus_dir / "national-2022.txt")[2] == "targets"
    assert not compatible("five_year", "targets")


def test_five_year_targets_named_by_their_sub_headings(seed_files: dict[str, Path]) -> None:
    # Seed 004 (a district's 十四五 plan proposal), line 10: "一、高水平开启全面建设社会主义现代化
    # 国家新征程", its items "3.“十四五”发展的总体要求", "4.“十四五”发展的主要目标": the part
    # sets a five-year plan's targets, as national 2021's 二 does.
    assert top_roles(seed_files["004"])[1] == "five_year"


def test_congress_report_roles(corpus_dir: Path) -> None:
    roles = top_roles(corpus_dir / "cpc-congress-19th-2017.txt")
    # 一、过去五年的工作和历史性变革; 三、新时代中国特色社会主义思想和基本方略;
    # 五、贯彻新发展理念，建设现代化经济体系 … 十三、坚定不移全面从严治党
    assert roles[1] == "review" and roles[3] == "principles"
    assert roles[5:14] == ["chapter"] * 9 and roles[-1] == "closing"
    # 十二、实现建军一百年奋斗目标，开创国防和军队现代化新局面 is a chapter, not the targets.
    assert top_roles(corpus_dir / "cpc-congress-20th-2022.txt")[12] == "chapter"


def test_hong_kong_chapter_roles(corpus_dir: Path) -> None:
    roles = top_roles(corpus_dir / "hk-policy-address-2014-zht.txt")
    # （一）引言 （二）經濟 （三）扶貧安老助弱 … （五）土地房屋與交通運輸 … （十）結語
    assert roles[1:4] == ["hk:intro", "hk:economy", "hk:welfare"]
    assert roles[5] == "hk:housing+transport" and roles[-1] == "hk:closing"


def test_every_section_has_its_part_role(corpus_dir: Path) -> None:
    doc = load_document(corpus_dir / "national-2025.txt")
    roles = section_roles(doc)
    tasks = doc.root.children[3]  # 三、2025年政府工作任务
    assert {roles[s.id] for s in tasks.walk()} == {"tasks"}


def test_seed_styled_parts_have_no_known_role(seed_files: dict[str, Path]) -> None:
    # Seed 000: 第一，突出形态转变、品质塑造，建设更有魅力的宜居城市 … no review, no targets.
    assert set(top_roles(seed_files["000"])[1:]) == {"part"}


def test_compatibility_rules() -> None:
    assert compatible("tasks", "chapter") and not compatible("targets", "principles")
    assert not compatible("tasks", "review") and not compatible("targets", "review")
    assert compatible("part", "review") and compatible("hk:housing+transport", "hk:transport")
    assert not compatible("hk:economy", "hk:welfare")
    # Below the chapters Hong Kong sub-headings move freely (2013's 發展大嶼山 under （三）房屋
    # 及土地供應 is 2014's 大嶼山 under （二）經濟); a plan and a review stay apart there too.
    assert compatible("hk:housing", "hk:economy", below_part=True)
    assert not compatible("tasks", "review", below_part=True)
    assert reviewed_in("tasks", "review") and not reviewed_in("review", "tasks")
    assert same_named_role("review", "review") and same_named_role("hk:health", "hk:health")
    assert not same_named_role("review", "review", below_part=True)
    assert not same_named_role("closing", "closing") and not same_named_role("tasks", "chapter")


def test_plan_and_review_are_never_parallel(corpus_dir: Path) -> None:
    a = load_document(corpus_dir / "national-2024.txt", doc_id="d1")
    b = load_document(corpus_dir / "national-2025.txt", doc_id="d2")
    al = align(a, b)
    ra, rb = section_roles(a), section_roles(b)
    assert all(compatible(ra[m.a], rb[m.b]) for m in al.matches)
    # The issue's example: 2024 （八）推动城乡融合和区域协调发展 was split-matched onto 2025's
    # review item 四是统筹城乡区域协调发展，优化经济布局; that is a "reviewed in" link now.
    assert ("d1/3.8", "d2/1.4") not in {(m.a, m.b) for m in al.matches}
    linked = {(m.a, m.b) for m in al.reviewed_in}
    assert ("d1/3", "d2/1") in linked  # 三、2024年政府工作任务 → 一、2024年工作回顾
    assert all(m.kind == "reviewed_in" for m in al.reviewed_in)


def test_new_chapter_says_where_its_content_came_from(corpus_dir: Path) -> None:
    a = load_document(corpus_dir / "cpc-congress-19th-2017.txt", doc_id="d1")
    b = load_document(corpus_dir / "cpc-congress-20th-2022.txt", doc_id="d2")
    al = align(a, b)
    origins = dict(al.origins)
    # 20th: 五、实施科教兴国战略，强化现代化建设人才支撑 is new; its （一）办好人民满意的教育
    # was the 19th's 八（一）优先发展教育事业 and its （二）完善科技创新体系 the 19th's
    # 五（二）加快建设创新型国家.
    assert "d2/5" in origins
    assert {"d1/5", "d1/8"} <= set(origins["d2/5"])


def test_merge_is_one_group_in_the_table_and_json(corpus_dir: Path) -> None:
    from policydiff.comparison import compare
    from policydiff.config import Config
    from policydiff.formats.alignment import alignment_json
    from policydiff.render.tables import alignment_table

    c = compare([corpus_dir / "national-2019.txt", corpus_dir / "national-2020.txt"], Config())
    al = c.alignment("d1", "d2")
    # 2019's 推动传统产业改造提升 and 促进新兴产业加快发展 are 2020's one
    # 推动制造业升级和新兴产业发展.
    group = [m for m in al.matches if m.b == "d2/4.4"]
    assert {c.document("d1").section(m.a).heading for m in group} == {
        "推动传统产业改造提升", "促进新兴产业加快发展",
    }
    assert {m.group for m in group} == {"d2/4.4"} and {m.kind for m in group} == {"match", "merge"}
    exported = [m for m in alignment_json(c)["pairs"][0]["matches"] if m["b"] == "d2/4.4"]
    assert {m["group"] for m in exported} == {"d2/4.4"}
    rows = [r for r in alignment_table(c) if "推动制造业升级和新兴产业发展" in r]
    assert len(rows) == 2 and all("[group d2/4.4]" in r for r in rows)


def test_sections_command_shows_roles(corpus_dir: Path) -> None:
    import json
    import subprocess
    import sys

    path = str(corpus_dir / "national-2024.txt")
    cmd = [sys.executable, "-m", "policydiff", "sections", path, "--depth", "1", "--no-cache"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    # 一、2023年工作回顾 … 三、2024年政府工作任务
    assert any("一、2023年工作回顾" in line and "<review>" in line for line in out.splitlines())
    assert any("三、2024年政府工作任务" in line and "<tasks>" in line for line in out.splitlines())
    data = json.loads(subprocess.run([*cmd, "--json"], capture_output=True, text=True,
                                     check=True).stdout)
    roles = {s["heading"]: s["role"] for s in data["sections"]}
    assert roles["2024年经济社会发展总体要求和政策取向"] == "targets"
