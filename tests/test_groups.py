"""Split and merge groups (policydiff.groups) on the corpus, written from reading the reports."""

from __future__ import annotations

from pathlib import Path

from policydiff.align import Alignment
from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.model import Document


def _aligned(corpus_dir: Path, a: str, b: str) -> tuple[Document, Document, Alignment]:
    c = compare([corpus_dir / a, corpus_dir / b], Config())
    doc_a, doc_b = c.documents
    return doc_a, doc_b, c.alignment(doc_a.id, doc_b.id)


def _name(doc: Document, section_id: str) -> str:
    sec = doc.section(section_id)
    return sec.label + sec.heading


def _group(al: Alignment, group: str) -> set[tuple[str, str, str]]:
    return {(m.a, m.b, m.kind) for m in al.matches if m.group == group}


def test_task_that_became_one_item_joins_the_part_that_holds_it(corpus_dir: Path) -> None:
    # 2019: "（七）加强污染防治和生态建设，大力推动绿色发展。" (pollution, green industry,
    # "加强生态系统保护修复。推进山水林田湖草生态保护修复工程试点…"); 2020 has no such task: its
    # part "五、实施扩大内需战略，推动经济发展方式加快转变" holds the one item
    # "提高生态环境治理成效。…壮大节能环保产业。…实施重要生态系统保护和修复重大工程". One
    # subsection of （七） is matched into 五, and （七）'s words are closest to that item: （七）
    # is part of 五's merge, beside （四）促进形成强大国内市场 and （六）促进区域协调发展.
    doc_a, doc_b, al = _aligned(corpus_dir, "national-2019.txt", "national-2020.txt")
    five = next(s for s in doc_b.sections if _name(doc_b, s.id).startswith("五、实施扩大内需"))
    members = {_name(doc_a, a)[:10] for a, b, _ in _group(al, five.id) if b == five.id}
    assert members == {"（四）促进形成强大国", "（六）促进区域协调发", "（七）加强污染防治和"}


def test_chapter_split_off_as_a_new_chapter(corpus_dir: Path) -> None:
    # 17th Congress (2007): "五、促进国民经济又好又快发展" holds "（四）加强能源资源节约和生态环境
    # 保护，增强可持续发展能力"; the 18th (2012) makes it a chapter of its own, "八、大力推进生态
    # 文明建设" ("（二）全面促进资源节约", "（三）加大自然生态系统和环境保护力度"), beside its
    # economy chapter "四、加快完善社会主义市场经济体制和加快转变经济发展方式". 2007's 五 is split
    # into 2012's 四 and 八.
    doc_a, doc_b, al = _aligned(
        corpus_dir, "cpc-congress-17th-2007.txt", "cpc-congress-18th-2012.txt"
    )
    five = next(s for s in doc_a.sections if _name(doc_a, s.id).startswith("五、促进国民经济"))
    parts = {_name(doc_b, b)[:7]: kind for a, b, kind in _group(al, five.id)
             if a == five.id}
    assert parts == {"四、加快完善社": "match", "八、大力推进生": "split"}


def test_one_subsection_is_no_evidence_when_the_words_point_elsewhere(
    seed_files: dict[str, Path],
) -> None:
    # Seed 004's "九、大力发展社会事业，努力建设最具幸福感城市" is closest in words to seed 003's
    # whole task part "三、励新实干…", not to a section inside it matched to 九's subsections:
    # one matched subsection does not make it a split partner of that whole part.
    c = compare([seed_files[k] for k in sorted(seed_files)], Config())  # as `compare` runs
    doc_a, doc_b = c.documents[3], c.documents[4]
    al = c.alignment(doc_a.id, doc_b.id)
    part = next(s for s in doc_a.sections if _name(doc_a, s.id).startswith("三、励新实干"))
    nine = next(s for s in doc_b.sections if _name(doc_b, s.id).startswith("九、大力发展社会"))
    assert (part.id, nine.id, "split") not in {(m.a, m.b, m.kind) for m in al.matches}
    # Where 九 belongs: in the group of seed 003's task of that part, line 46 "（五）幸福温暖
    # “有质感”，在坚持人民至上、增进民生福祉上争当“排头兵”。…推动社会事业走在全省前列" (its
    # other partner is seed 004's target "——民生福祉大幅跃升", line 43). Its line 48 "二是守护
    # 人民美好生活。坚持教育优先发展，…促进就业形态多元化…推进健康xx建设…多层次社会保障体系…
    # 养老服务体系" is what 九's items say (seed 004 lines 199-211: "39.实现高水平就业增收",
    # "40.打响“首位教育 学在鹿城”品牌", "41.打造区域医疗康养高地", "42.实现更高质量的社会保障",
    # "43.建设幸福颐养标杆城区"): one group of 二是 with items of 九, 教育 and 医疗 at least.
    five = next(s for s in doc_a.sections if _name(doc_a, s.id).startswith("（五）幸福温暖"))
    life = next(c for c in five.children if c.label == "二是")
    assert (five.id, nine.id) in {(a, b) for a, b, _ in _group(al, five.id)}
    items = [doc_b.section(b) for a, b, _ in _group(al, life.id) if a == life.id]
    assert {"40.", "41."} <= {item.label for item in items}
    assert all(item.parent == nine.id for item in items)


def test_a_lead_and_its_items_split_into_two_tasks(corpus_dir: Path) -> None:
    # National 2017, line 186: "多措并举降成本。扩大小微企业享受减半征收所得税优惠的范围，…千方
    # 百计使结构性减税力度和效应进一步显现。…一是全面清理规范政府性基金，…二是取消或停征中央涉企
    # 行政事业性收费35项，…五是通过深化改革、完善政策，降低企业制度性交易成本…": taxes, then
    # the fee items. 2018 (lines 112 and 114) makes them two tasks of （一）:
    # "进一步减轻企业税负。改革完善增值税制度，…大幅扩展享受减半征收所得税优惠政策的小微企业范围"
    # and "大幅降低企业非税负担。进一步清理规范行政事业性收费，…". 多措并举降成本 is split into
    # both; its item 五是 is no match of the tax task.
    doc_a, doc_b, al = _aligned(corpus_dir, "national-2017.txt", "national-2018.txt")
    cost = next(s for s in doc_a.sections if s.heading == "多措并举降成本")
    parts = {_name(doc_b, b): kind for a, b, kind in _group(al, cost.id) if a == cost.id}
    assert parts == {"大幅降低企业非税负担": "match", "进一步减轻企业税负": "split"}
    five = next(c for c in cost.children if c.label == "五是")
    assert all(m.a != five.id for m in al.matches)


def test_a_task_split_into_two_tasks_of_different_headings(corpus_dir: Path) -> None:
    # National 2021, line 132: "（一）保持宏观政策连续性稳定性可持续性，促进经济运行在合理区间。"
    # (fiscal policy, 优化和落实减税政策, monetary policy, 就业优先政策). 2022 gives it two tasks:
    # line 108 "（一）着力稳定宏观经济大盘，保持经济运行在合理区间。" and line 125 "（二）着力稳市场
    # 主体保就业，加大宏观政策实施力度。完善减负纾困等政策，…" (实施新的组合式税费支持政策, 落实
    # 落细稳就业举措). 2022's （二） shares as many of 2021's （一）'s words as 2022's （一）
    # does, though its heading is not alike: one split group, not a new task.
    doc_a, doc_b, al = _aligned(corpus_dir, "national-2021.txt", "national-2022.txt")
    first = next(s for s in doc_a.sections if s.label == "（一）")
    members = {(_name(doc_b, b)[:7], kind) for a, b, kind in _group(al, first.id) if a == first.id}
    assert members == {("（一）着力稳定", "match"), ("（二）着力稳市", "split")}
