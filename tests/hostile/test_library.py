"""Every hostile input through the library: read, normalize, segment, align (with a clean report
and with itself), diff, mine phrases, export and read the export back.

For each case the outcome is the one ``cases.py`` states; for every accepted input the
invariants of ROBUSTNESS.md are checked and what breaks them is counted in the figures.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest

from policydiff.align import MAX_SECTION_PAIRS
from policydiff.comparison import Comparison, compare
from policydiff.decode import read_text
from policydiff.errors import InputError, PolicyDiffError
from policydiff.formats.alignment import alignment_json, alignment_schema, load_alignment
from policydiff.formats.jsontext import dumps
from policydiff.normalize import normalize

from .cases import CASES, Case
from .figures import Figures
from .harness import (
    alignment_errors,
    diff_errors,
    han_characters_lost,
    offset_map_errors,
    phrase_errors,
    tiling_errors,
)

# For the whole pass (load, align, every section diff, phrases, export twice, reload, align
# with itself): far more than one command does.
BUDGET_S = {"small": 30.0, "60KB": 30.0, "600KB": 90.0, "1MB": 60.0, "10MB": 240.0}


def _truth(case: Case, data: bytes) -> str | None:
    """What the file must decode to: the case's truth, or the text of a generated UTF-8 file."""
    if case.truth is not None:
        return case.truth
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.slow) if c.size == "10MB" else c for c in CASES],
    ids=lambda c: c.name,
)
def test_case_through_the_library(
    case: Case, inputs: dict[str, Path], figures: Figures, tmp_path: Path
) -> None:
    path, ref = inputs[case.name], inputs["ref"]
    started = time.perf_counter()
    try:
        _run(case, path, ref, figures, tmp_path)
    except (AssertionError, pytest.fail.Exception):
        raise
    except Exception as exc:
        figures.bad("crashes", f"library {case.name}: {type(exc).__name__}: {exc}"[:300])
        raise
    finally:
        seconds = time.perf_counter() - started
        figures.timed(name=case.name, size=case.size, path="library", seconds=seconds)
        if seconds > BUDGET_S[case.size]:
            figures.bad("hangs", f"library {case.name}: {seconds:.0f} s")


def _outcome(figures: Figures, case: Case, got: str, detail: str) -> None:
    if got != case.expect:
        figures.bad("wrong_outcomes", f"library {case.name}: {got}, expected {case.expect}: "
                    f"{detail}"[:300])
    assert got == case.expect, detail


def _run(case: Case, path: Path, ref: Path, figures: Figures, tmp_path: Path) -> None:
    figures.tried(case.name)
    data = path.read_bytes()
    try:
        decoded = read_text(path)
    except InputError as exc:
        message = str(exc)
        _outcome(figures, case, "refuse", message)
        assert case.fragment in message and str(path) in message and "\n" not in message
        return
    truth = _truth(case, data)
    if truth is not None and decoded.text != truth and not decoded.warnings:
        figures.bad("silent_misdecodes", f"{case.name}: read as {decoded.encoding}")
    assert decoded.text == truth or decoded.warnings or truth is None

    normal = normalize(decoded.text)
    lost = han_characters_lost(normal)
    figures.bad("characters_lost", f"{case.name}: {lost} Han characters dropped silently", lost)
    bad_map = offset_map_errors(normal)
    figures.bad("characters_lost", f"{case.name}: {bad_map} characters off the map", bad_map)
    assert lost == 0 and bad_map == 0
    if case.size not in ("10MB",):
        assert normalize(normal.text).text == normal.text, "normalization is not idempotent"

    comparison = compare([path, ref])
    doc = comparison.document("d1")
    warnings = list(doc.warnings)
    if case.expect == "warn":
        _outcome(figures, case, "warn" if any(case.fragment in w for w in warnings) else "accept",
                 f"warnings: {warnings}")
    else:
        _outcome(figures, case, "warn" if warnings else "accept", f"warnings: {warnings}")

    gaps = tiling_errors(doc)
    figures.bad("characters_lost", f"{case.name}: sections miss {gaps} characters", gaps)
    assert gaps == 0
    if case.headings is not None:
        top = [s for s in doc.root.children if s.kind == "heading"]
        if len(top) != case.headings:
            figures.bad("sections_lost", f"{case.name}: {len(top)} top headings, "
                        f"expected {case.headings}")
        assert len(top) == case.headings
    for fragment in case.keep:
        assert fragment in doc.text, f"{fragment!r} is gone from the text"

    al = comparison.alignment("d1", "d2")
    misses = alignment_errors(al, doc, comparison.document("d2"))
    figures.bad("sections_lost", f"{case.name}: alignment lists {misses} sections wrongly", misses)
    assert misses == 0

    broken = sum(diff_errors(sd.diff) for sd in comparison.section_diffs("d1", "d2"))
    figures.bad("records_lost", f"{case.name}: {broken} broken diff runs", broken)
    assert broken == 0

    phrases = comparison.phrases()
    wrong = phrase_errors(phrases, {d.id: d.text for d in comparison.documents})
    figures.bad("records_lost", f"{case.name}: {wrong} phrase offsets wrong", wrong)
    assert wrong == 0

    _export_round_trip(case, comparison, figures, tmp_path)
    _aligned_with_itself(case, path, figures)


def _export_round_trip(
    case: Case, comparison: Comparison, figures: Figures, tmp_path: Path
) -> None:
    text = dumps(alignment_json(comparison))
    again = dumps(alignment_json(comparison))
    data = json.loads(text)
    jsonschema.validate(data, alignment_schema())
    out = tmp_path / "alignment.json"
    out.write_text(text, "utf-8")
    figures.tried(case.name)
    loaded = load_alignment(out)
    if again != text or loaded != data or dumps(loaded) != text:
        figures.bad("records_lost", f"{case.name}: export does not round-trip byte for byte")
    assert again == text and loaded == data and dumps(loaded) == text


def _aligned_with_itself(case: Case, path: Path, figures: Figures) -> None:
    """align(A, A) matches every section with score 1 — or, for a document too large to align
    with itself, refuses with the size message."""
    comparison = compare([path, path])
    doc = comparison.document("d1")
    if len(doc.sections) ** 2 > MAX_SECTION_PAIRS:
        with pytest.raises(PolicyDiffError, match="too many to align"):
            comparison.alignment("d1", "d2")
        return
    al = comparison.alignment("d1", "d2")
    pairs = {(m.a.split("/", 1)[1], m.b.split("/", 1)[1], m.kind, m.score) for m in al.matches}
    expected = {(s.id.split("/", 1)[1], s.id.split("/", 1)[1], "match", 1.0) for s in doc.sections}
    if pairs != expected or al.unmatched_a or al.unmatched_b:
        figures.bad("sections_lost", f"{case.name}: align(A, A) is not the identity")
    assert pairs == expected and not al.unmatched_a and not al.unmatched_b


def test_simplified_and_traditional_copies_are_the_same_report(
    tmp_path: Path, figures: Figures
) -> None:
    """The same report in Simplified (UTF-8) and in Traditional (Big5): after conversion every
    section matches its twin with score 1 and no section diff has a change."""
    from .cases import POLICY_HANS, POLICY_HANT

    hans, hant = tmp_path / "hans.txt", tmp_path / "hant.txt"
    hans.write_text(POLICY_HANS, "utf-8")
    hant.write_bytes(POLICY_HANT.encode("big5"))
    figures.tried("mix-simplified-traditional-pair")
    comparison = compare([hans, hant])
    a, b = comparison.documents
    assert (a.script, b.script, b.encoding) == ("hans", "hant", "big5")
    al = comparison.alignment("d1", "d2")
    pairs = {(m.a[3:], m.b[3:], m.score) for m in al.matches}
    assert pairs == {(s.id[3:], s.id[3:], 1.0) for s in a.sections}
    assert not any(sd.diff.changed for sd in comparison.section_diffs("d1", "d2"))
