"""Document labels (``policydiff.labels``): given with --label, else derived from the title and
file name so that documents are told apart; the same label in tables, JSON and CSV."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policydiff.comparison import compare, load_corpus
from policydiff.document import build_document
from policydiff.errors import InputError
from policydiff.labels import derive_labels, place_of, year_of
from policydiff.model import Document

# Written by hand: the file name of each provincial report of 2026 and its region's short name.
PROVINCES = {
    "anhui": "安徽", "beijing": "北京", "chongqing": "重庆", "fujian": "福建", "gansu": "甘肃",
    "guangdong": "广东", "guangxi": "广西", "guizhou": "贵州", "hainan": "海南", "hebei": "河北",
    "heilongjiang": "黑龙江", "henan": "河南", "hubei": "湖北", "hunan": "湖南",
    "jiangsu": "江苏", "jiangxi": "江西", "jilin": "吉林", "liaoning": "辽宁",
    "neimenggu": "内蒙古", "ningxia": "宁夏", "qinghai": "青海", "shaanxi": "陕西",
    "shandong": "山东", "shanghai": "上海", "shanxi": "山西", "sichuan": "四川",
    "tianjin": "天津", "xinjiang": "新疆", "xizang": "西藏", "yunnan": "云南", "zhejiang": "浙江",
}  # fmt: skip


def doc(text: str, path: str, doc_id: str = "d1") -> Document:
    return build_document(text, doc_id=doc_id, path=path)


BODY = "各位代表：\n现在，我代表省人民政府向大会报告工作。\n一、总体要求\n稳中求进。\n"


# ------------------------------------------------------------------------------------------
# places and years


@pytest.mark.parametrize(
    ("title", "place"),
    [
        ("北京市2026年政府工作报告", "北京"),
        ("2026年内蒙古自治区政府工作报告", "内蒙古"),
        ("2026年广西壮族自治区政府工作报告", "广西"),
        ("2026年宁夏回族自治区政府工作报告", "宁夏"),
        ("2026年新疆维吾尔自治区政府工作报告", "新疆"),
        ("2026年西藏自治区政府工作报告", "西藏"),
        ("香港特别行政区行政长官发表施政报告", "香港"),
        ("陕西省2026年政府工作报告", "陕西"),
        ("2026年山西省政府工作报告", "山西"),
        ("2026年黑龙江省政府工作报告", "黑龙江"),
    ],
)
def test_place_from_the_title(title: str, place: str) -> None:
    assert place_of(doc(f"{title}\n{BODY}", "report.txt")) == place


def test_place_from_the_dateline_when_the_title_has_none() -> None:
    """Yunnan's report is titled 2026年政府工作报告; its dateline names the province."""
    text = (
        "云南要闻\n2026年政府工作报告\n——2026年1月28日在云南省第十四届人民代表大会第四次会议上\n"
        "省长王予波\n" + BODY + "我们与四川、贵州携手。\n"
    )
    d = doc(text, "report.txt")
    assert d.title == "2026年政府工作报告"
    assert (place_of(d), year_of(d)) == ("云南", "2026")


def test_a_province_named_after_the_salutation_is_not_the_place() -> None:
    d = doc("政府工作报告\n各位代表：\n我们与广东合作。\n一、回顾\n好。\n", "report.txt")
    assert place_of(d) is None


def test_place_from_the_file_name_and_national_reports() -> None:
    hk = doc("主席、各位议员、各位市民：\n（一）引言\n本届政府致力发展经济。\n", "hk-pa-2014.txt")
    assert (place_of(hk), year_of(hk)) == ("香港", "2014")
    national = doc("各位代表：\n现在，我代表国务院，向大会报告政府工作。\n", "report-a.txt")
    assert place_of(national) == "全国"


def test_years_from_the_dateline_in_han_numerals() -> None:
    text = "政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n" + BODY
    assert year_of(doc(text, "g.txt")) == "2026"


# ------------------------------------------------------------------------------------------
# labels of a set


def test_labels_of_a_national_series_are_years() -> None:
    docs = [
        doc(f"政府工作报告\n——{y}年3月5日在第十四届全国人民代表大会第二次会议上\n{BODY}",
            f"gov-{k}.txt", f"d{k + 1}")
        for k, y in enumerate((2024, 2025))
    ]
    assert derive_labels(docs) == ["2024", "2025"]


def test_labels_of_different_kinds_are_titles() -> None:
    a = doc("关于2024年国民经济和社会发展计划执行情况的报告\n" + BODY, "plan.txt")
    b = doc("政府工作报告\n——2025年3月5日\n" + BODY, "gov.txt", "d2")
    # 25 characters: the first 23 and an ellipsis.
    assert derive_labels([a, b]) == ["关于2024年国民经济和社会发展计划执行情况的…", "政府工作报告"]


def test_colliding_labels_get_the_file_name_then_the_id() -> None:
    a = doc("政府工作报告\n" + BODY, "x/2025-draft.txt")
    b = doc("政府工作报告\n" + BODY, "x/2025-final.txt", "d2")
    c = doc("政府工作报告\n" + BODY, "y/2025-final.txt", "d3")
    # Same title, same year (2025, from the file names): the title, then the file name.
    assert derive_labels([a, b]) == ["政府工作报告 (2025-draft)", "政府工作报告 (2025-final)"]
    # Same file name in two folders: the document id.
    assert derive_labels([b, c]) == ["政府工作报告 (d2)", "政府工作报告 (d3)"]


def test_given_labels_come_first_and_derived_ones_avoid_them() -> None:
    a = doc("2026年北京市政府工作报告\n" + BODY, "bj.txt")
    b = doc("2026年上海市政府工作报告\n" + BODY, "sh.txt", "d2")
    assert derive_labels([a, b], ["首都"]) == ["首都", "上海"]
    assert derive_labels([a, b], ["上海"]) == ["上海", "上海 (sh)"]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["a", "b", "c"], "^3 labels for 2 documents"),
        (["a", "a"], "^--label a: given twice"),
        ([" "], "^--label: a label cannot be empty"),
        (["a\nb"], "holds control characters or line breaks"),
        (["x" * 41], "longer than 40 characters"),
    ],
)
def test_bad_labels_are_refused(given: list[str], message: str) -> None:
    a = doc("甲\n" + BODY, "a.txt")
    b = doc("乙\n" + BODY, "b.txt", "d2")
    with pytest.raises(InputError, match=message):
        derive_labels([a, b], given)


def test_labels_of_the_seeds(seed_files) -> None:
    docs, _ = load_corpus(list(seed_files.values()), tokens=False)
    assert [d.label for d in docs] == [
        "000",  # no title line: the file name without its content hash
        "2023年曲靖市麒麟区政府工作报告—全文",
        "002",
        "003",
        "中共温州市鹿城区委关于制定鹿城区国民经济和社会…",
    ]


# ------------------------------------------------------------------------------------------
# the real corpus


def test_the_31_provinces_are_labelled_by_their_short_names(corpus_dir: Path) -> None:
    paths = [corpus_dir / f"prov-2026-{name}.txt" for name in PROVINCES]
    docs, _ = load_corpus(paths, tokens=False)
    assert [d.label for d in docs] == list(PROVINCES.values())
    assert len({d.label for d in docs}) == 31


def test_each_province_is_told_from_the_national_report(corpus_dir: Path) -> None:
    paths = [corpus_dir / "prov-2026-guangdong.txt", corpus_dir / "national-2025.txt"]
    docs, _ = load_corpus(paths, tokens=False)
    assert [d.label for d in docs] == ["广东 2026", "全国 2025"]


def test_the_national_series_is_labelled_by_year(corpus_dir: Path) -> None:
    years = range(2017, 2026)
    docs, _ = load_corpus([corpus_dir / f"national-{y}.txt" for y in years], tokens=False)
    assert [d.label for d in docs] == [str(y) for y in years]
    # The 2025 report and the resolution approving it: the same year, then the file name.
    paths = [corpus_dir / f"national-{y}.txt" for y in (2024, 2025)]
    docs, _ = load_corpus([*paths, corpus_dir / "national-2025-npc-resolution.txt"], tokens=False)
    assert [d.label for d in docs] == [
        "2024", "2025 (national-2025)", "2025 (national-2025-npc-resolution)"
    ]
    # The two alone share their year: neither has a title line, so their file names.
    docs, _ = load_corpus([*paths[1:], corpus_dir / "national-2025-npc-resolution.txt"],
                          tokens=False)
    assert [d.label for d in docs] == ["national-2025", "national-2025-npc-resolution"]


def test_party_congress_reports_are_labelled_by_year(corpus_dir: Path) -> None:
    names = ["cpc-congress-17th-2007", "cpc-congress-18th-2012", "cpc-congress-19th-2017",
             "cpc-congress-20th-2022"]
    docs, _ = load_corpus([corpus_dir / f"{n}.txt" for n in names], tokens=False)
    assert [d.label for d in docs] == ["2007", "2012", "2017", "2022"]


# ------------------------------------------------------------------------------------------
# the same label everywhere


def test_labels_in_the_alignment_table_and_json(seed_files) -> None:
    from policydiff.formats.alignment import alignment_json
    from policydiff.render.tables import alignment_table

    comparison = compare([seed_files["001"], seed_files["002"]], labels=["麒麟区"])
    data = alignment_json(comparison)
    assert [d["label"] for d in data["documents"]] == ["麒麟区", "002"]
    assert alignment_table(comparison)[0].startswith("== d1 麒麟区  ⇄  d2 002")


def test_cli_label_option(seed_files) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", "align", str(seed_files["000"]),
         str(seed_files["003"]), "--label", "甲区", "--label", "乙区", "--json", "-"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert [d["label"] for d in json.loads(proc.stdout)["documents"]] == ["甲区", "乙区"]
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", "align", str(seed_files["000"]),
         str(seed_files["003"]), "--label", "a", "--label", "b", "--label", "c"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "policydiff: 3 labels for 2 documents; give at most one --label per document\n"
    )
