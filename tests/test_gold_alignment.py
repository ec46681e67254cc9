"""The aligner scored against gold alignments written by hand (``tests/gold/*.toml``, see its
README): recall of the analyst's pairs, precision of the matches between two gold-named
sections and of every match touching one, splits and merges found as groups.

Run as a script (``python tests/test_gold_alignment.py [--held-out]``) to print the figures
per pair and per confidence band (docs/alignment.md).
"""

from __future__ import annotations

import functools
import os
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from policydiff.align import Alignment, Match
from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.matches import CONFIDENCE_BANDS
from policydiff.model import Document

GOLD = Path(__file__).parent / "gold"
ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("POLICYDIFF_CORPUS", ROOT.parent / "shared" / "corpus"))


@dataclass
class Gold:
    name: str
    a: str
    b: str
    held_out: bool
    pairs: list[tuple[str, str]]
    groups: list[tuple[str, str, list[str]]]  # (kind, shared name, other names)
    alone: list[tuple[str, str]]  # (side, name)


@dataclass
class Score:
    gold_pairs: int = 0
    found_pairs: int = 0
    both_named: int = 0
    both_right: int = 0
    touching: int = 0
    touching_right: int = 0
    groups: int = 0
    groups_found: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (score, right) touching

    def add(self, other: Score) -> None:
        for name in ("gold_pairs", "found_pairs", "both_named", "both_right", "touching",
                     "touching_right", "groups", "groups_found"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.wrong += other.wrong
        self.missed += other.missed
        self.scored += other.scored

    def figures(self) -> tuple[float, float, float]:
        return (
            self.found_pairs / max(1, self.gold_pairs),
            self.both_right / max(1, self.both_named),
            self.touching_right / max(1, self.touching),
        )


def load_gold(path: Path) -> Gold:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    groups = [("split", e["a"], list(e["b"])) for e in data.get("split", [])]
    groups += [("merge", e["b"], list(e["a"])) for e in data.get("merge", [])]
    alone = [("a" if "a" in e else "b", e.get("a") or e["b"]) for e in data.get("alone", [])]
    return Gold(
        path.stem, data["a"], data["b"], bool(data.get("held_out", False)),
        [(e["a"], e["b"]) for e in data.get("pair", [])], groups, alone,
    )


def gold_files() -> Iterator[Path]:
    yield from sorted(GOLD.glob("*.toml"))


def resolve(doc: Document, name: str) -> str:
    """The id of the one section ``name`` names (label + heading, or a unique prefix)."""
    if name in ("[preamble]", "[closing]"):
        kind = name[1:-1]
        found = [s.id for s in doc.sections if s.kind == kind]
    else:
        keys = [(s.id, s.label + s.heading) for s in doc.sections]
        found = [i for i, key in keys if key == name] or [
            i for i, key in keys if key.startswith(name)
        ]
    if len(found) != 1:
        raise AssertionError(f"{doc.path}: {name!r} names {len(found)} sections")
    return found[0]


def document_path(name: str) -> Path:
    return ROOT / name if name.startswith("seeds/") else CORPUS / name


def score_alignment(gold: Gold, doc_a: Document, doc_b: Document, al: Alignment) -> Score:
    ra = {n: resolve(doc_a, n) for n in _names(gold, "a")}
    rb = {n: resolve(doc_b, n) for n in _names(gold, "b")}
    right: set[tuple[str, str]] = {(ra[x], rb[y]) for x, y in gold.pairs}
    for kind, shared, others in gold.groups:
        for other in others:
            right.add((ra[shared], rb[other]) if kind == "split" else (ra[other], rb[shared]))
    named_a, named_b = set(ra.values()), set(rb.values())
    found = {(m.a, m.b) for m in al.matches}
    score = Score(gold_pairs=len(gold.pairs))
    for x, y in gold.pairs:
        if (ra[x], rb[y]) in found:
            score.found_pairs += 1
        else:
            score.missed.append(f"{gold.name}: {x} ⇄ {y}")
    for kind, shared, others in gold.groups:
        score.groups += 1
        score.gold_pairs += 1  # a group counts as one pair found when one member is matched
        members = {
            (ra[shared], rb[o]) if kind == "split" else (ra[o], rb[shared]) for o in others
        }
        if members & found:
            score.found_pairs += 1
        else:
            score.missed.append(f"{gold.name}: {kind} {shared} ⇄ {others}")
        if _found_as_group(al.matches, members):
            score.groups_found += 1
    for m in al.matches:
        ok = (m.a, m.b) in right
        if m.a in named_a and m.b in named_b:
            score.both_named += 1
            score.both_right += ok
        if m.a in named_a or m.b in named_b:
            score.touching += 1
            score.touching_right += ok
            score.scored.append((m.score, ok))
            if not ok:
                score.wrong.append(
                    f"{gold.name}: {m.a} {_name(doc_a, m.a)} ⇄ {m.b} {_name(doc_b, m.b)}"
                    f" [{m.kind} {m.score:.2f}]"
                )
    return score


def _found_as_group(matches: tuple[Match, ...], members: set[tuple[str, str]]) -> bool:
    """Every member of a gold group is matched, all in one group of the alignment."""
    chosen = [m for m in matches if (m.a, m.b) in members]
    return len(chosen) == len(members) and len({m.group for m in chosen}) == 1 and bool(
        chosen[0].group
    )


def _names(gold: Gold, side: str) -> set[str]:
    names = {x if side == "a" else y for x, y in gold.pairs}
    for kind, shared, others in gold.groups:
        if (kind == "split") == (side == "a"):
            names.add(shared)
        else:
            names.update(others)
    names.update(n for s, n in gold.alone if s == side)
    return names


def _name(doc: Document, section_id: str) -> str:
    sec = doc.section(section_id)
    return (sec.label + sec.heading)[:24] or f"[{sec.kind}]"


def run(gold: Gold) -> Score:
    comparison = compare([document_path(gold.a), document_path(gold.b)], Config())
    doc_a, doc_b = comparison.documents
    return score_alignment(gold, doc_a, doc_b, comparison.alignment(doc_a.id, doc_b.id))


NEVER_TUNED_ON = "national-2022-2023"
"""The held-out pair written after every rule was chosen and scored once: the test of the
targets. The other held-out pairs were scored before the targets/principles role rule, which
was chosen after seeing one of their errors (docs/alignment.md)."""


@functools.cache
def total(held_out: bool, without: str = "") -> Score:
    """Every gold pair of the tuning set (or of the held-out set) pooled, but ``without``
    (computed once)."""
    out = Score()
    for path in gold_files():
        gold = load_gold(path)
        if gold.held_out == held_out and gold.name != without:
            out.add(run(gold))
    return out


# --------------------------------------------------------------------------- tests


def test_gold_names_each_name_one_section(corpus_dir: Path) -> None:
    for path in gold_files():
        gold = load_gold(path)
        comparison = compare([document_path(gold.a), document_path(gold.b)], Config())
        doc_a, doc_b = comparison.documents
        for name in _names(gold, "a"):
            resolve(doc_a, name)
        for name in _names(gold, "b"):
            resolve(doc_b, name)


def test_tuning_gold(corpus_dir: Path) -> None:
    # Issue 14's targets, reached on the tuning gold: recall >= 95 % (95.6 %), both-named
    # precision >= 97 % (100 %), touching precision >= 90 % (94.3 %). Its last target, every
    # split and merge found as a whole group, is not reached: 6 of 7 (docs/alignment.md: the
    # 18th -> 19th Congress's （三）加大自然生态系统和环境保护力度 split is missed); the floor
    # is the figure reached, so that a change that loses a group fails here.
    score = total(held_out=False)
    recall, both, touching = score.figures()
    report = "\n".join(score.missed + score.wrong)
    assert recall >= 0.95, report
    assert both >= 0.97, report
    assert touching >= 0.90, report
    assert score.groups_found >= 6, report


def test_never_tuned_on_pair_meets_the_targets(corpus_dir: Path) -> None:
    # National 2022 -> 2023, written after the tuning and scored once, alone against issue 14's
    # targets: recall >= 95 % (24 of 25: 96.0 %), both-named >= 97 % (24 of 24) and touching
    # >= 90 % (24 of 25: 2022's 要用好政府投资资金 as a merge partner of 2023's （一）着力扩大
    # 国内需求, since a left-over section's best partner is the best of a compatible role,
    # docs/alignment.md). Its one miss: 2022's （四）深入实施创新驱动发展战略 ⇄ 2023's （二）.
    score = run(load_gold(GOLD / f"{NEVER_TUNED_ON}.toml"))
    recall, both, touching = score.figures()
    report = "\n".join(score.missed + score.wrong)
    assert recall >= 0.95, report
    assert both >= 0.97, report
    assert touching >= 0.90, report


def _older_held_out() -> tuple[float, float, float, str]:
    score = total(held_out=True, without=NEVER_TUNED_ON)
    return (*score.figures(), "\n".join(score.missed + score.wrong))


def test_older_held_out_gold_floors(corpus_dir: Path) -> None:
    # National 2021 -> 2022, 19th -> 20th Congress, Hong Kong 2014 -> 2015: not a clean test
    # (the targets/principles rule was chosen after seeing a Congress error), so the figures
    # first measured on them are floors: recall 104 of 109 (95.4 %), both-named 104 of 105
    # (99.0 %), touching 104 of 117 (88.9 %, then under the 90 % target); since the splits
    # by words (docs/alignment.md) both-named 105 of 106, touching 105 of 118 (89.0 %), groups
    # 1 of 2 (2021's （一） split into 2022's （一） and （二）), no floor; with a theme-less
    # section neutral to a themed one (align.NO_THEME) touching 105 of 117 (89.7 %); with the
    # five_year role 105 of 116 (90.5 %, the test below). Now (`--held-out`, "all but
    # national-2022-2023"): recall 104 of 109, both-named 105 of 106, touching 105 of 116.
    recall, both, touching, report = _older_held_out()
    assert recall >= 0.954, report
    assert both >= 0.990, report
    assert touching >= 0.888, report


def test_older_held_out_gold_touching_target(corpus_dir: Path) -> None:
    # Issue 14's 90 %, reached (105 of 116, 90.5 %) with the five_year role (roles.py), which was
    # written for the issue's named case, national 2021's 十四五 targets matched to a part of
    # 2022, knowing that this set's gold has them alone: not a clean test of that rule. Still
    # wrong: the 19th -> 20th Congress report's 依法治国 and 国家安全 tasks that became chapters,
    # Hong Kong 2014's 房屋 / 长远房屋策略 crosswise (docs/alignment.md).
    _recall, _both, touching, report = _older_held_out()
    assert touching >= 0.90, report


def test_confidence_bands_say_the_tuning_precision(corpus_dir: Path) -> None:
    # matches.CONFIDENCE_BANDS is what each score band measured on the tuning gold, to two places;
    # a band without a wrong match says right / (matches + 1), never 1 (a manual match's).
    scored = total(held_out=False).scored
    highs = [1.01] + [low for low, _ in CONFIDENCE_BANDS[:-1]]
    for (low, said), high in zip(CONFIDENCE_BANDS, highs, strict=True):
        inside = [ok for s, ok in scored if low <= s < high]
        right, n = sum(inside), len(inside)
        measured = right / n if right < n else n / (n + 1)
        assert said == round(measured, 2), f"score {low}-{high}: {right}/{n} right, band {said}"


def test_score_counts_a_wrong_match(corpus_dir: Path) -> None:
    # The scorer itself: a gold pair turned around is a miss and a wrong match.
    gold = Gold("t", "national-2024.txt", "national-2025.txt", False,
                [("一、2023年工作回顾", "三、2025年政府工作任务")], [], [])
    score = run(gold)
    assert score.found_pairs == 0 and score.touching_right == 0 and score.touching >= 1


def main(argv: list[str]) -> int:
    held_out = "--held-out" in argv
    everything = Score()
    for path in gold_files():
        gold = load_gold(path)
        if gold.held_out != held_out:
            continue
        score = run(gold)
        everything.add(score)
        r, b, t = score.figures()
        print(f"{gold.name:28} recall {r:6.1%}  both-named {b:6.1%} ({score.both_named})  "
              f"touching {t:6.1%} ({score.touching})  groups {score.groups_found}/{score.groups}")
    pooled = [("all", everything)]
    if held_out:  # the older held-out set, without the pair never tuned on
        pooled.append((f"all but {NEVER_TUNED_ON}", total(True, without=NEVER_TUNED_ON)))
    for name, score in pooled:
        r, b, t = score.figures()
        print(f"{name:28} recall {r:6.1%}  both-named {b:6.1%} ({score.both_named})  "
              f"touching {t:6.1%} ({score.touching})  "
              f"groups {score.groups_found}/{score.groups}")
    bands = [(0.0, 0.4), (0.4, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 1.01)]
    for lo, hi in bands:
        inside = [ok for s, ok in everything.scored if lo <= s < hi]
        if inside:
            print(f"  score {lo:.1f}–{min(hi, 1.0):.1f}: {sum(inside)}/{len(inside)} right "
                  f"({sum(inside) / len(inside):.0%})")
    if "-v" in argv:
        print("\n".join(["missed:", *everything.missed, "wrong:", *everything.wrong]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
