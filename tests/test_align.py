"""Section alignment on real reports, with expected pairs written by hand from the headings."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.align import Alignment
from policydiff.assign import assign
from policydiff.comparison import Comparison, compare
from policydiff.formats.alignment import alignment_json, alignment_schema
from policydiff.formats.jsontext import dumps


def covers_each_section_once(comparison: Comparison, al: Alignment) -> bool:
    a = comparison.document(al.a)
    b = comparison.document(al.b)
    one_to_one = [m for m in al.matches if m.kind == "match"]
    extra = [m for m in al.matches if m.kind != "match"]
    seen_a = (
        [m.a for m in one_to_one] + list(al.unmatched_a) + [m.a for m in extra if m.kind == "merge"]
    )
    seen_b = (
        [m.b for m in one_to_one] + list(al.unmatched_b) + [m.b for m in extra if m.kind == "split"]
    )
    return sorted(seen_a) == sorted(s.id for s in a.sections) and sorted(seen_b) == sorted(
        s.id for s in b.sections
    )


def task_pairs(comparison: Comparison, al: Alignment) -> dict[str, str]:
    """One-to-one matches between （一）… tasks, as label → label."""
    a, b = comparison.document(al.a), comparison.document(al.b)
    out = {}
    for m in al.matches:
        sa, sb = a.section(m.a), b.section(m.b)
        if m.kind == "match" and sa.label.startswith("（") and sa.parent == "d1/3":
            out[sa.label] = sb.label if sb.parent == "d2/3" else sb.id
    return out


# --- the national reports: tasks of one year find their counterparts in the next ---------

# From reading the two reports: 2024's （一） modern industry ⇄ 2025's （二） new productive forces
# and modern industry; （二） science & education ⇄ （三）; （三） domestic demand ⇄ （一）;
# the rest keep their places.
EXPECTED_2024_2025 = {
    "（一）": "（二）", "（二）": "（三）", "（三）": "（一）", "（四）": "（四）",
    "（五）": "（五）", "（六）": "（六）", "（七）": "（七）", "（八）": "（八）",
    "（九）": "（九）", "（十）": "（十）",
}
# 2021 → 2022: 2022 adds a task on market entities and jobs （二）, so later ones shift by one.
EXPECTED_2021_2022 = {
    "（一）": "（一）", "（二）": "（三）", "（三）": "（四）", "（四）": "（五）",
    "（五）": "（六）", "（六）": "（七）", "（七）": "（八）", "（八）": "（九）",
}


@pytest.mark.parametrize(
    ("years", "expected"),
    [((2024, 2025), EXPECTED_2024_2025), ((2021, 2022), EXPECTED_2021_2022)],
)
def test_national_tasks_match_across_years(corpus_dir, years, expected):
    comparison = compare([corpus_dir / f"national-{y}.txt" for y in years])
    al = comparison.alignment("d1", "d2")
    assert task_pairs(comparison, al) == expected
    assert covers_each_section_once(comparison, al)
    top = {m.a: m.b for m in al.matches if m.a in ("d1/1", "d1/2", "d1/3")}
    if years == (2024, 2025):  # the three parts match part for part
        assert top == {"d1/1": "d2/1", "d1/2": "d2/2", "d1/3": "d2/3"}
    else:
        # 2021's 二 (line 80) is "“十三五”时期发展成就和“十四五”时期主要目标任务": a five-year
        # plan's review and targets. 2022's 二 (line 82, 2022年经济社会发展总体要求和政策取向)
        # holds one year's targets (line 89 今年发展主要预期目标是：国内生产总值增长5.5%左右),
        # which 2021 states inside its 三 (line 122 …增长6%以上): no part of 2021 is 2022's 二.
        assert top == {"d1/1": "d2/1", "d1/3": "d2/3"}


# --- the seeds ---------------------------------------------------------------------------

def test_seed_sections_find_their_parallels(seed_files):
    # Seed 000 (a district's 2021 tasks) against seed 002 (a district's 2022 report).
    comparison = compare([seed_files["000"], seed_files["002"]])
    al = comparison.alignment("d1", "d2")
    pairs = {m.a: m.b for m in al.matches if m.kind == "match"}
    # 第三 (rural revitalization) ⇄ （六） 推进乡村振兴; its items ⇄ the same-named items.
    assert pairs["d1/3"] == "d2/3.6"
    assert pairs["d1/3.1"] == "d2/3.6.1"  # 一是发展现代农业 ⇄ 一是发展现代农业
    assert pairs["d1/3.2"] == "d2/3.6.2"  # 二是建设美丽乡村 ⇄ 二是建设美丽乡村
    # 第四 一是抓严环境污染防治 ⇄ （七） 三要强化环境污染防治 (ecology)
    assert pairs["d1/4.1"] == "d2/3.7.3"
    # 第七 二是守牢安全发展底线 ⇄ （七） 二要守住安全生产底线 (governance and safety)
    assert pairs["d1/7.2"] == "d2/3.7.2"
    # 第二 (industry) ⇄ a task of the industry kind in part 三
    assert pairs["d1/2"] in {"d2/3.2", "d2/3.3"}
    assert covers_each_section_once(comparison, al)


def test_themed_sections_of_seed_pairs_meet(seed_files):
    """For every pair of seeds, sections sharing a main theme are matched within that theme."""
    comparison = compare(list(seed_files.values()))
    for al in comparison.alignments():
        assert covers_each_section_once(comparison, al)
        a, b = comparison.document(al.a), comparison.document(al.b)
        themed = [
            m for m in al.matches
            if a.section(m.a).themes and b.section(m.b).themes
        ]
        agree = [m for m in themed if m.themes]
        # Matches overwhelmingly share a theme (a few mixed sections may not).
        assert len(agree) >= 0.8 * len(themed)


def test_align_with_itself_is_identity(seed_files):
    comparison = compare([seed_files["002"], seed_files["002"]])
    al = comparison.alignment("d1", "d2")
    assert not al.unmatched_a and not al.unmatched_b
    for m in al.matches:
        assert m.kind == "match"
        assert m.a.split("/")[1] == m.b.split("/")[1]
        assert m.score == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("blank", ["", " \n\n\u3000\n"])
def test_document_without_sections_aligns_to_nothing(tmp_path, seed_files, blank):
    """An empty or blank file has no sections: aligned either way round with a seed, nothing
    is matched and every section of the seed is left over (this crashed in
    ``_left_in_context`` on a float array of no sections)."""
    empty = tmp_path / "empty.txt"
    empty.write_text(blank, encoding="utf-8")
    for paths, side in (([empty, seed_files["000"]], "b"), ([seed_files["000"], empty], "a")):
        comparison = compare(paths)
        blank_doc = comparison.document("d1" if side == "b" else "d2")
        assert not blank_doc.sections
        assert any("no text" in w for w in blank_doc.warnings)
        al = comparison.alignment("d1", "d2")
        assert al.matches == () and al.reviewed_in == () and al.origins == ()
        seed = comparison.document("d2" if side == "b" else "d1")
        # Seed 000 has sections: "第一，突出形态转变、品质塑造，建设更有魅力的宜居城市。" ...
        assert any(
            s.label == "第一，" and s.heading.startswith("突出形态转变") for s in seed.sections
        )
        left = al.unmatched_b if side == "b" else al.unmatched_a
        assert left == tuple(s.id for s in seed.sections)
        assert covers_each_section_once(comparison, al)


def test_provincial_theme_matrix(corpus_dir):
    paths = sorted(corpus_dir.glob("prov-2026-*.txt"))
    assert len(paths) == 31
    comparison = compare(paths)
    matrix = dict(comparison.theme_matrix())
    for theme in ("industry", "ecology", "livelihoods"):
        missing = [d for d, ids in matrix[theme].items() if not ids]
        assert not missing, f"{theme}: no section found in {missing}"


# --- the export ----------------------------------------------------------------------------

def test_export_validates_and_is_deterministic(seed_files):
    jsonschema = pytest.importorskip("jsonschema")
    paths = [seed_files["000"], seed_files["001"], seed_files["003"]]
    first = dumps(alignment_json(compare(paths)))
    second = dumps(alignment_json(compare(paths)))
    assert first == second
    data = json.loads(first)
    jsonschema.validate(data, alignment_schema())
    assert data["schema"] == "policydiff/alignment@2"
    assert [d["id"] for d in data["documents"]] == ["d1", "d2", "d3"]
    assert [(p["a"], p["b"]) for p in data["pairs"]] == [("d1", "d2"), ("d1", "d3"), ("d2", "d3")]
    import hashlib

    expected_sha = hashlib.sha256(seed_files["000"].read_bytes()).hexdigest()
    assert data["documents"][0]["sha256"] == expected_sha


def test_ref_aligns_everything_against_one(seed_files):
    paths = [seed_files["000"], seed_files["002"], seed_files["003"]]
    comparison = compare(paths, ref=str(seed_files["003"]))
    assert comparison.pairs == [("d3", "d1"), ("d3", "d2")]


# --- the assignment ------------------------------------------------------------------------

def brute_force_best(score: np.ndarray) -> float:
    import itertools

    n, m = score.shape
    if n > m:
        return brute_force_best(score.T)
    return max(sum(score[i, c[i]] for i in range(n)) for c in itertools.permutations(range(m), n))


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.integers(1, 5).flatmap(
            lambda m: st.lists(
                st.lists(st.floats(0, 1, allow_nan=False), min_size=m, max_size=m),
                min_size=n, max_size=n,
            )
        )
    )
)
def test_assignment_is_optimal(rows):
    score = np.array(rows, dtype=np.float64)
    pairs = assign(score)
    assert len(pairs) == min(score.shape)
    assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
    assert sum(score[i, j] for i, j in pairs) == pytest.approx(brute_force_best(score), abs=1e-9)


@pytest.fixture(scope="module")
def hk_2013_2014(corpus_dir):
    """Hong Kong's 2013 and 2014 policy addresses compared, and their alignment."""
    c = compare([corpus_dir / "hk-policy-address-2013-zht.txt",
                 corpus_dir / "hk-policy-address-2014-zht.txt"])
    doc_a, doc_b = c.documents
    return doc_a, doc_b, c.alignment(doc_a.id, doc_b.id)


def test_a_flat_section_holding_a_title_s_group_matches_the_title(hk_2013_2014):
    # Hong Kong 2013, line 116: "短中期增加房屋土地供應" / "政府會採取一系列強力措施，增加短中期的
    # 房屋土地供應：" / "(1) 我去年8月宣佈，將36幅…改作房屋發展" … "(10) …": its measures
    # are items of its text. Hong Kong 2014 gives the same measures headings under the title
    # "短中期土地供應" (精簡程序改善機制, 適度增加發展密度…, 檢討土地用途 …). The title has no
    # text of its own, but the 2013 section holds its group's content: they are parallel.
    doc_a, doc_b, al = hk_2013_2014
    title = next(s for s in doc_b.sections if s.heading == "短中期土地供应")
    assert title.title
    pairs = {(doc_a.section(m.a).heading, doc_b.section(m.b).heading) for m in al.matches}
    assert ("短中期增加房屋土地供应", "短中期土地供应") in pairs


def test_a_section_without_a_theme_does_not_disagree_with_a_themed_one(hk_2013_2014):
    # Hong Kong 2013, line 107: "土地供應理念和目標" (land short, housing, "增加短、中和長期的
    # 土地供應"), and Hong Kong 2014, line 217: "土地供應" ("房屋短缺問題是嚴重的。…要提供足夠
    # 土地以達到未來10年的房屋供應目標"): the same job, near-identical headings. The theme
    # taxonomy has no word for land supply: 2014's section has no theme, 2013's one weak one
    # (overview). That is no disagreement; the unthemed 短中期增加資助房屋供應 (public housing
    # units) must not take 土地供應 for want of a theme.
    doc_a, doc_b, al = hk_2013_2014
    land = next(s for s in doc_b.sections if s.heading == "土地供应")
    partners = {doc_a.section(m.a).heading: m.kind for m in al.matches if m.b == land.id}
    assert partners == {"土地供应理念和目标": "match"}
