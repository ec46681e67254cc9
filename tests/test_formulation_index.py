"""Which other reports hold a text (``formulations._Corpus`` / ``_Index``), shared by every
report of a comparison: the counts below were found with ``grep -l`` over the 2026
provincial reports of the corpus, and every answer must equal a plain scan of the folded texts,
whatever order the reports were read in and asked about."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from policydiff.changes import formulations
from policydiff.changes.formulation_reading import fold
from policydiff.document import load_document
from policydiff.model import Document


@pytest.fixture(scope="module")
def provinces(corpus_dir: Path) -> list[Document]:
    paths = sorted(corpus_dir.glob("prov-2026-*.txt"))
    assert len(paths) == 31
    return [load_document(p, doc_id=f"p{k}") for k, p in enumerate(paths)]


def _name(other: formulations._Other, docs: list[Document], ev: formulations.Evidence) -> str:
    return next(Path(d.path or "").name for d in docs if ev.other(d) is other)


def test_hand_counted_holders(provinces: list[Document]) -> None:
    evidence = formulations.Evidence(cache=False)
    index = formulations._Index([evidence.other(d) for d in provinces])
    # grep -l 具身智能 prov-2026-*.txt | wc -l -> 19
    assert len(index.having(fold("具身智能"))) == 19
    # grep -l '“两新”' and grep -l 两新: 24 each; folded, the quotation marks go
    assert len(index.having(fold("“两新”"))) == 24
    # grep -l 冰雪经济: heilongjiang, liaoning, ningxia (支持演艺经济、赛事经济、冰雪经济、…)
    found = [_name(o, provinces, evidence) for o in index.having("冰雪经济")]
    assert found == ["prov-2026-heilongjiang.txt", "prov-2026-liaoning.txt",
                     "prov-2026-ningxia.txt"]
    assert index.holds("冰雪经济") and not index.holds("冰雪经济学院")
    # the same corpus, the others of Liaoning only: two of the three
    liaoning = next(d for d in provinces if (d.path or "").endswith("liaoning.txt"))
    rest = formulations._Index([evidence.other(d) for d in provinces if d is not liaoning])
    assert [_name(o, provinces, evidence) for o in rest.having("冰雪经济")] == [
        "prov-2026-heilongjiang.txt", "prov-2026-ningxia.txt"]


def test_same_as_a_scan_in_any_order(provinces: list[Document]) -> None:
    """Reports read in several steps (a report read after a text was asked about is searched
    at the next question), indexes over subsets in shuffled order, texts of 0 to 8
    characters taken from the reports themselves and changed by one character."""
    evidence = formulations.Evidence(cache=False)
    rng = random.Random(7)
    first = [evidence.other(d) for d in provinces[:10]]
    texts: list[str] = []
    for other in first:
        for _ in range(150):
            n = rng.randrange(0, 9)
            at = rng.randrange(0, len(other.folded) - n)
            piece = other.folded[at : at + n]
            texts.append(piece)
            if n:
                texts.append(piece[:-1] + "龘")
    early = formulations._Index(first)
    for text in texts[:500]:
        assert early.having(text) == [o for o in first if text in o.folded]
    everyone = first + [evidence.other(d) for d in provinces[10:]]
    for _ in range(5):
        subset = rng.sample(everyone, rng.randrange(1, len(everyone)))
        index = formulations._Index(subset)
        for text in texts:
            expected = [o for o in subset if text in o.folded]
            if rng.random() < 0.5:  # asked whether any holds it first: searched until one
                assert index.holds(text) == bool(expected), text
            assert index.having(text) == expected, text
            assert index.holds(text) == bool(expected), text
    assert formulations._Index([]).having("发展") == []


def test_reports_of_two_evidences_are_refused(provinces: list[Document]) -> None:
    one, two = formulations.Evidence(cache=False), formulations.Evidence(cache=False)
    with pytest.raises(ValueError, match="one Evidence"):
        formulations._Index([one.other(provinces[0]), two.other(provinces[1])])
