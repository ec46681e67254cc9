"""``policydiff changes A B`` without ``--context``: the other reports beside A and B are the
context (``policydiff/changes/context.py``), as a user runs it. Expectations read by hand with
``grep -n`` in the reports (the line is quoted in a comment)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from policydiff.changes.context import beside


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *args], capture_output=True, text=True,
        timeout=600, encoding="utf-8",
    )


def top_new(proc: subprocess.CompletedProcess[str], top: int = 30) -> list[str]:
    assert proc.returncode == 0, proc.stderr
    return [entry["text"] for entry in json.loads(proc.stdout)["new"][:top]]


# Old terms of national 2025, each in an earlier national report of the same folder:
OLD_TERMS = (
    "双一流",  # 2018:184 加快“双一流”建设 (2025:86 加快“双一流”建设)
    # 2019:142 重点解决实现“两不愁三保障”面临的突出问题; 2023:82 (2025:122 巩固提升“三保障”)
    "三保障",
    "双循环",  # 2021:97 促进国内国际双循环 (2025:61 实现国内国际双循环在更高水平上相互促进)
    "大力度",  # a fragment: 2025:74 更大力度支持“两重”建设; 2018:174, 2020:163, 2023:185 更大力度
)
# New in 2025 and in no earlier national report (2017–2024, nor 1954–2017 of bulk/): grep -c 0
NEW_TERMS = (
    "具身智能",  # 2025:78 培育生物制造、量子科技、具身智能、6G等未来产业
    "耐心资本",  # 2025:88 加快发展创业投资、壮大耐心资本
    "好房子",  # 2025:112 舒适、绿色、智慧的“好房子”
    "两重",  # 2025:74 更大力度支持“两重”建设
    "投资于人",  # 2025:57 推动更多资金资源“投资于人”、服务于民生
    "内卷式",  # 2025:96 综合整治“内卷式”竞争
    "沙戈荒",  # 2025:138 加快建设“沙戈荒”新能源基地
)


def test_changes_takes_the_reports_beside_as_context(corpus_dir: Path) -> None:
    """national 2024 → 2025 as a user runs it, no --context: the old terms and the fragment
    大力度 are out of the top 30 new, the new terms in it; stderr says what was taken."""
    a, b = str(corpus_dir / "national-2024.txt"), str(corpus_dir / "national-2025.txt")
    proc = run("changes", a, b, "--format", "json")
    found = top_new(proc)
    for term in OLD_TERMS:
        assert term not in found, (term, found)
    for term in NEW_TERMS:
        assert term in found, (term, found)
    others = sorted(
        p for p in os.listdir(corpus_dir)
        if p.endswith(".txt") and p not in ("national-2024.txt", "national-2025.txt")
    )
    line = f"policydiff: context: {len(others)} other reports beside the inputs"
    assert line in proc.stderr, proc.stderr
    # the Hong Kong addresses' private-use characters are the context's doubts, not the inputs'
    assert "hk-policy-address" not in proc.stderr
    alone = run("changes", a, b, "--format", "json", "--no-context")
    assert "context:" not in alone.stderr
    # without the context 双一流 is new again: 2024 has no 双一流 (grep -c 0)
    assert "双一流" in top_new(alone)
    # but 大力度 stays a fragment, in no list: 2025:55 更大力度促进楼市股市健康发展, 2025:74
    # 更大力度支持“两重”建设 (its 大 goes with 更; 2024 has no 大力度, grep -c 0)
    assert "大力度" not in top_new(alone, top=10_000)


def test_context_before_or_after_the_two_files(corpus_dir: Path) -> None:
    """--context X A B and A B --context X Y both compare A with B (2024 → 2025)."""
    a, b = str(corpus_dir / "national-2024.txt"), str(corpus_dir / "national-2025.txt")
    x, y = str(corpus_dir / "national-2018.txt"), str(corpus_dir / "national-2023.txt")
    for args in (("--context", x, a, b), (a, b, "--context", x, y)):
        proc = run("changes", *args, "--format", "json")
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        assert [d["file"] for d in data["documents"]] == ["national-2024.txt",
                                                          "national-2025.txt"]
        assert "context:" not in proc.stderr  # given, not found
        # 2018:184 加快“双一流”建设 is in both contexts: old, below the top 30
        assert "双一流" not in top_new(proc), args
    bad = run("changes", a, b, y)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_seeds_with_the_other_seeds_as_context(
    seed_files: dict[str, Path], tmp_path: Path
) -> None:
    """Two seeds: the three other seeds are the context; an unreadable file beside them is
    left out with one warning line, never a failure. 绿美麒麟 is new in 001's plan (001:96
    深入推進(jìn)“綠美麒麟”建設(shè), in part 三、勇毅前行… (line 54), Traditional with pinyin,
    read as Simplified; grep -c 綠美 or 绿美: 0 in 000, 002, 003, 004). (十五条硬措施, 001:14,
    is in the review of 2022, 一、攻堅克難,2022年經濟社會發展取得新成效: a result, ranked
    below the plan's terms.)"""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in seed_files.values():
        shutil.copy(path, folder / path.name)
    (folder / "binary-2020.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.md").write_text("not a report", "utf-8")
    a, b = str(folder / seed_files["000"].name), str(folder / seed_files["001"].name)
    proc = run("changes", a, b, "--format", "json")
    assert "绿美麒麟" in top_new(proc)
    every = top_new(proc, top=len(proc.stdout))  # the whole list, best first
    assert "十五条硬措施" in every, "the review's term is still new, only ranked lower"
    assert every.index("十五条硬措施") > every.index("绿美麒麟")
    errors = [x for x in proc.stderr.splitlines() if "binary-2020.txt" in x]
    assert len(errors) == 1 and "left out" in errors[0], proc.stderr
    assert "context: 3 other reports beside the inputs" in proc.stderr
    chosen = beside(a, b)
    assert sorted(Path(p).name for p in chosen.paths) == sorted(
        seed_files[k].name for k in ("002", "003", "004")
    )
    assert len(chosen.warnings) == 1 and chosen.capped == 0


def test_context_prefers_the_nearest_years_not_after(corpus_dir: Path) -> None:
    """With a cap of 3 for 2024 → 2025 the reports of the nearest years not after 2025 come
    first: national-2025-npc-resolution (2025), then 2023 and a 2022 one (2024 is A; of the
    two 2022 reports, cpc-congress-20th-2022 sorts first by path); the 2026
    provincial reports, after 2025, come last (left out by the cap)."""
    a, b = str(corpus_dir / "national-2024.txt"), str(corpus_dir / "national-2025.txt")
    chosen = beside(a, b, cap=3)
    names = [Path(p).name for p in chosen.paths]
    assert names[0] == "national-2025-npc-resolution.txt"
    assert names[1:] == ["national-2023.txt", "cpc-congress-20th-2022.txt"]
    assert chosen.capped > 40
