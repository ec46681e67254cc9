"""``ViewerSession.correct`` (the viewer's pair, unpair and split keys), at the session level.

Seeds 000 (d1) and 001 (d2) alone: d1's "一是推进城市更新。聚焦“城市病”…" is matched with
d2's "城市建管擴(kuò)容提質(zhì)。文明城市創(chuàng)建成果…" (Traditional with pinyin, which the
normalized text holds as 城市建管扩容提质; with all five seeds it goes to 加快实施城市更新).
The comparison aligns the pair (d1, d2); a view of d2 against d1 is its mirror, and every
correction made there must be stored in the alignment's own order (A = d1, B = d2).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policydiff import compare
from policydiff.config import Config
from policydiff.overrides import load
from policydiff_tui.session import CorrectionRefused, ViewerSession


@pytest.fixture
def session(tmp_path: Path, seed_files: dict[str, Path],
            monkeypatch: pytest.MonkeyPatch) -> ViewerSession:
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(tmp_path / "cache"))
    inputs = [tmp_path / "a.txt", tmp_path / "b.txt"]
    shutil.copy(seed_files["000"], inputs[0])
    shutil.copy(seed_files["001"], inputs[1])
    return ViewerSession(compare([str(p) for p in inputs], Config()))


def renewal(session: ViewerSession) -> tuple[str, str]:
    """The ids of d1's 推进城市更新 and of the d2 section it is matched with."""
    d1 = session.document("d1")
    left = next(s.id for s in d1.sections if s.heading.endswith("推进城市更新"))
    match = next(m for m in session.comparison.alignment("d1", "d2").matches if m.a == left)
    right = session.document("d2").section(match.b)
    assert right.heading == "城市建管扩容提质"
    return left, match.b


def test_a_split_on_the_mirrored_pair_is_refused_and_writes_nothing(
    session: ViewerSession, tmp_path: Path
) -> None:
    left, right = renewal(session)
    other = next(s.id for s in session.document("d1").sections if s.id != left)
    # on screen d2 is on the left: one d2 section split into two of d1 cannot be stored as a
    # split of A (d1) into several of B
    with pytest.raises(CorrectionRefused, match="swap the sides"):
        session.correct("split", "d2", "d1", right, [left, other])
    assert list(tmp_path.glob("*.toml")) == []
    assert session.comparison.config.overrides is None
    with pytest.raises(ValueError, match="unknown correction"):
        session.correct("swap", "d1", "d2", left, [right])
    assert list(tmp_path.glob("*.toml")) == []


def test_unpair_and_pair_on_the_mirrored_pair_store_the_alignments_order(
    session: ViewerSession, tmp_path: Path
) -> None:
    left, right = renewal(session)
    saved = session.correct("unpair", "d2", "d1", right, [left])  # as on screen: d2 | d1
    assert saved == tmp_path / "policydiff-overrides.toml"
    (entry,) = load(saved).entries
    assert (entry.action, entry.a_file, entry.b_file) == ("unpair", "a.txt", "b.txt")
    assert (entry.a, entry.b) == (("一是推进城市更新",), ("城市建管扩容提质",))
    alignment = session.comparison.alignment("d1", "d2")
    assert (left, right) not in {(m.a, m.b) for m in alignment.matches}
    session.correct("pair", "d2", "d1", right, [left])
    actions = [(e.action, e.a_file, e.b_file) for e in load(saved).entries]
    assert actions == [("pair", "a.txt", "b.txt")]  # the pair replaces the unpair
    (entry,) = load(saved).entries
    assert (entry.a, entry.b) == (("一是推进城市更新",), ("城市建管扩容提质",))
    alignment = session.comparison.alignment("d1", "d2")
    assert (left, right) in {(m.a, m.b) for m in alignment.matches if m.source == "manual"}
