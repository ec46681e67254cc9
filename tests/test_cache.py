"""The per-document cache, the shared document tokens and the process pools.

What is checked: a document read back from the cache equals one built afresh (under another id
and path too); the cache is bypassed when asked; corrupt or tampered entries are ignored and
rewritten; a document's tokens give exactly what tokenizing the same strings gives; pooled
loading and pooled alignment give the same results as one process.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff import cache as store
from policydiff import comparison as compare_module
from policydiff import normalize as normalize_module
from policydiff.comparison import compare, load_corpus
from policydiff.config import Config
from policydiff.document import (
    DOCUMENT_CACHE,
    TOKEN_CACHE,
    build_document,
    document_tokens,
    load_document,
)
from policydiff.errors import InputError
from policydiff.model import Section
from policydiff.themes import load_themes
from policydiff.tokenize import is_stable_cut, tokenize, tokenize_spans


def entries(kind: str) -> list[Path]:
    folder = store.cache_dir() / kind
    return sorted(folder.rglob("*.json")) if folder.is_dir() else []


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(folder))
    monkeypatch.delenv("POLICYDIFF_NO_CACHE", raising=False)
    return folder


def no_normalize(*args: object, **kwargs: object) -> object:
    raise AssertionError("normalize ran: the cache was not used")


def test_cached_document_equals_fresh_one(
    seed_files: dict[str, Path], fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    themes = load_themes()
    fresh = load_document(seed_files["002"], doc_id="d3", themes=themes, cache=False)
    assert entries(DOCUMENT_CACHE) == []
    first = load_document(seed_files["002"], doc_id="d3", themes=themes)
    assert len(entries(DOCUMENT_CACHE)) == 1
    monkeypatch.setattr(normalize_module, "normalize", no_normalize)
    again = load_document(seed_files["002"], doc_id="d3", themes=themes)
    assert again == first == fresh
    assert again.sections == fresh.sections
    assert again.source_text == fresh.source_text


def test_cached_sections_take_the_new_id_and_the_title_the_new_name(
    seed_files: dict[str, Path], fresh_cache: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Seed 000 has no title line: its title is its file name.
    load_document(seed_files["000"], doc_id="d1")
    copy = tmp_path / "改名后的文件.txt"
    shutil.copyfile(seed_files["000"], copy)
    monkeypatch.setattr(normalize_module, "normalize", no_normalize)
    doc = load_document(copy, doc_id="d9")
    assert doc.title == "改名后的文件"
    assert doc.root.heading == "改名后的文件"
    assert doc.path == str(copy)
    assert doc.id == doc.root.id == "d9"
    assert all(s.id.startswith("d9/") for s in doc.sections)
    assert doc.sections[0].parent == "d9"
    # 000's second part is 第二，聚力速效同增、量质兼备，培育更具实力的工业优势.
    assert doc.section("d9/2").label == "第二，"


def test_a_title_line_is_kept_under_another_name(
    seed_files: dict[str, Path], fresh_cache: Path, tmp_path: Path
) -> None:
    # Seed 001 opens with the line 2023年曲靖市麒麟区政府工作报告—全文 (in Traditional script).
    load_document(seed_files["001"])
    copy = tmp_path / "other.txt"
    shutil.copyfile(seed_files["001"], copy)
    assert load_document(copy).title == "2023年曲靖市麒麟区政府工作报告—全文"


def test_no_cache_reads_and_writes_nothing(
    seed_files: dict[str, Path], fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_document(seed_files["000"], cache=False)
    monkeypatch.setenv("POLICYDIFF_NO_CACHE", "1")
    comparison = compare([seed_files["000"], seed_files["003"]])
    comparison.alignments()
    assert not fresh_cache.exists()


def test_settings_are_part_of_the_key(seed_files: dict[str, Path], fresh_cache: Path) -> None:
    plain = load_document(seed_files["003"])
    classified = load_document(seed_files["003"], themes=load_themes())
    assert len(entries(DOCUMENT_CACHE)) == 2
    assert all(not s.themes for s in plain.sections)
    assert any(s.themes for s in classified.sections)
    overridden = load_document(seed_files["003"], encoding="utf-8")
    assert len(entries(DOCUMENT_CACHE)) == 3
    assert overridden == plain


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # truncated
        lambda raw: b"\x00\xff garbage",
        lambda raw: b"[" * 100_000,
        lambda raw: raw.replace(b'"version":1', b'"version":99'),
    ],
)
def test_a_corrupt_entry_is_ignored_and_rewritten(
    seed_files: dict[str, Path], fresh_cache: Path, damage: object
) -> None:
    fresh = load_document(seed_files["004"])
    (entry,) = entries(DOCUMENT_CACHE)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert load_document(seed_files["004"]) == fresh
    assert json.loads(entry.read_text("utf-8"))["version"] == store.VERSION


def test_an_entry_that_does_not_hold_together_is_ignored(
    seed_files: dict[str, Path], fresh_cache: Path
) -> None:
    fresh = load_document(seed_files["000"])
    (entry,) = entries(DOCUMENT_CACHE)
    data = json.loads(entry.read_text("utf-8"))
    data["data"]["text"] = data["data"]["text"].replace("工业", "农业")  # hash no longer matches
    entry.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert load_document(seed_files["000"]) == fresh
    data = json.loads(entry.read_text("utf-8"))
    data["data"]["sections"][3][5] = [0, 10**9]  # a span past the end
    entry.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert load_document(seed_files["000"]) == fresh


def test_an_unwritable_cache_is_not_an_error(
    seed_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(blocker / "cache"))
    assert load_document(seed_files["000"]).sha256 == load_document(seed_files["000"]).sha256


def test_cache_folders_are_private(seed_files: dict[str, Path], fresh_cache: Path) -> None:
    load_document(seed_files["000"])
    (entry,) = entries(DOCUMENT_CACHE)
    for folder in (fresh_cache, entry.parent, entry.parent.parent):
        assert folder.stat().st_mode & 0o077 == 0


def test_document_tokens_are_what_tokenizing_gives(
    seed_files: dict[str, Path], fresh_cache: Path
) -> None:
    doc = load_document(seed_files["001"], themes=load_themes())
    made = document_tokens(doc)
    assert len(entries(TOKEN_CACHE)) == 1
    cached = document_tokens(dataclasses.replace(doc))  # a copy: read from the cache entry
    for tokens in (made, cached):
        assert tokens.spans() == tokenize_spans(doc.text)
        for sec in doc.sections:
            for start, end in (sec.span, sec.own_span, sec.heading_span):
                assert tokens.slice_spans(start, end) == tokenize_spans(doc.text[start:end])
            assert tokens.heading_tokens(sec.heading) == tokenize(sec.heading)
    # A slice that cuts a word (第二 in 第二，) is tokenized on its own, as tokenize would.
    start = doc.text.index("政府工作报告") + 2
    assert made.slice_spans(start, start + 4) == tokenize_spans(doc.text[start : start + 4])


def test_sections_cut_inside_a_word_are_tokenized_alone(fresh_cache: Path) -> None:
    # A section boundary inside 高质量发展 (jieba cuts the run 高质量发展ABC as a whole): the
    # slices on either side are tokenized alone, kept with the tokens, and cached with them.
    text = "高质量发展ABC建设，推进改革。"
    doc = build_document(text, doc_id="d1", path="x.txt")
    cut = 3
    first = Section("d1/1", "d1", 1, "", "", (0, cut), (0, 0), (0, cut), (0, cut), "body")
    second = Section(
        "d1/2", "d1", 1, "", "", (cut, len(text)), (cut, cut), (cut, len(text)),
        (cut, len(text)), "body",
    )
    doc = dataclasses.replace(doc, root=dataclasses.replace(doc.root, children=(first, second)))
    assert not is_stable_cut(text, cut)
    made = document_tokens(doc)
    cached = document_tokens(dataclasses.replace(doc))  # a copy: read from the cache entry
    assert made.slices.keys() == cached.slices.keys() == {(0, cut), (cut, len(text))}
    for tokens in (made, cached):
        assert tokens.slice_spans(0, cut) == tokenize_spans(text[:cut])
        assert tokens.slice_spans(cut, len(text)) == tokenize_spans(text[cut:])
        assert tokens.spans() == tokenize_spans(text)


han = st.sampled_from("发展建设改革开放经济社会人民政府工作报告高质量新质生产力")
other = st.sampled_from("ABCxyz0123456789.%+-#&_，。、；：“”（）《》\n\r\t 　\u3000①")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(han, other), max_size=40), st.data())
def test_stable_cuts_keep_the_tokens(chars: list[str], data: st.DataObject) -> None:
    text = "".join(chars)
    whole = tokenize(text)
    pos = data.draw(st.integers(0, len(text)))
    if is_stable_cut(text, pos):
        assert tokenize(text[:pos]) + tokenize(text[pos:]) == whole


@pytest.mark.pools
def test_pooled_loading_equals_one_by_one(
    seed_files: dict[str, Path], fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = list(seed_files.values())
    if compare_module.worker_count() < 2:
        pytest.skip("one core: no pool")
    pooled, pooled_tokens = load_corpus(paths, Config(cache=False))
    monkeypatch.setattr(compare_module, "POOL_MIN_DOCUMENTS", 10**6)
    single, single_tokens = load_corpus(paths, Config(cache=False))
    assert pooled == single
    assert [d.id for d in pooled] == ["d1", "d2", "d3", "d4", "d5"]
    for doc_id, tokens in single_tokens.items():
        assert pooled_tokens[doc_id].spans() == tokens.spans()


@pytest.mark.pools
def test_pooled_loading_reports_the_first_bad_input(
    seed_files: dict[str, Path], tmp_path: Path
) -> None:
    bad_one = tmp_path / "first.txt"
    bad_one.write_bytes(b"%PDF-1.7 binary")
    bad_two = tmp_path / "second.txt"
    bad_two.write_bytes(b"PK\x03\x04 zip")
    paths = [seed_files["000"], bad_one, seed_files["002"], bad_two, seed_files["003"]]
    with pytest.raises(InputError, match=r"first\.txt"):
        load_corpus(paths, Config(cache=False))


@pytest.mark.pools
def test_pooled_alignments_equal_one_by_one(
    seed_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = list(seed_files.values())
    monkeypatch.setattr(compare_module, "POOL_MIN_PAIRS", 2)
    seen: list[tuple[str, int, int]] = []
    # without the caches: the result cache would answer from an earlier run
    pooled = compare(paths, Config(cache=False)).alignments(
        progress=lambda *step: seen.append(step)
    )
    monkeypatch.setattr(compare_module, "POOL_MIN_PAIRS", 10**6)
    single = compare(paths, Config(cache=False)).alignments()
    assert pooled == single
    assert seen[-1] == ("aligning", 10, 10)


def test_jieba_loads_without_pkg_resources() -> None:
    code = (
        "import sys\n"
        "sys.modules['rjieba'] = None  # the jieba fallback\n"
        "from policydiff.tokenize import tokenize\n"
        "assert tokenize('新质生产力') == ['新质生产力']\n"
        "assert 'jieba' in sys.modules\n"
        "assert 'pkg_resources' not in sys.modules, 'pkg_resources was imported'\n"
        "import importlib.util\n"
        "assert importlib.util.find_spec('json') is not None\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


def test_without_a_process_pool_the_work_runs_here(
    seed_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing.context

    def no_semaphores(*args: object, **kwargs: object) -> object:
        raise OSError("no /dev/shm")

    monkeypatch.setattr(multiprocessing.context.ForkContext, "Pool", no_semaphores)
    monkeypatch.setattr(compare_module, "POOL_MIN_PAIRS", 2)
    monkeypatch.setattr(compare_module, "worker_count", lambda: 2)
    paths = list(seed_files.values())
    comparison = compare(paths, Config(cache=False))
    assert [d.id for d in comparison.documents] == ["d1", "d2", "d3", "d4", "d5"]
    assert len(comparison.alignments()) == 10


def test_a_cached_document_still_says_what_normalization_did(
    seed_files: dict[str, Path], fresh_cache: Path
) -> None:
    """Seed 001 opens with ``2023年曲靖市麒麟?yún)^(qū)政府工作報(bào)告``: a pinyin-annotated
    Traditional 區 (source characters 10-20) and 報(bào). A document read back from the cache
    holds only the normalized text, and still explains it."""
    load_document(seed_files["001"], doc_id="d1")  # writes the entry
    doc = load_document(seed_files["001"], doc_id="d1")  # read from the cache
    assert doc.text.startswith("2023年曲靖市麒麟区政府工作报告")
    trace = doc.normalization
    assert trace.text == doc.text
    steps = {(c.step, c.source_span) for c in trace.changes}
    assert ("strip_pinyin", (10, 20)) in steps
    assert ("to_simplified", (10, 20)) in steps
    assert any(line.startswith("strip_pinyin") for line in trace.explain(limit=5))


def test_the_code_digest_reads_every_module_of_every_subpackage() -> None:
    """A change to the normalizer (a subpackage) must give new cache keys."""
    names = {name for name, _ in store.hashed_files()}
    assert {"cli.py", "normalize/lines.py", "phrases/mining.py", "data/themes.toml"} <= names
    assert not any("__pycache__" in name for name in names)


def test_a_document_is_tokenized_once(
    seed_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """document_tokens of one Document object tokenizes once, also without the cache (the
    change report's formulation reading asks again after the comparison's loading); the
    labelled copies a comparison keeps answer the tokens it loaded."""
    import policydiff.document as document_module

    calls: list[str] = []
    real = document_module.tokenize_document

    def counting(doc: object) -> object:
        calls.append(getattr(doc, "id", "?"))
        return real(doc)  # type: ignore[arg-type]

    monkeypatch.setattr(document_module, "tokenize_document", counting)
    comparison = compare([seed_files["000"], seed_files["001"]], Config(cache=False))
    assert calls == ["d1", "d2"]
    for doc in comparison.documents:
        assert document_tokens(doc, cache=False) is comparison.tokens(doc.id)
    assert calls == ["d1", "d2"]
    copy = dataclasses.replace(comparison.documents[0])
    assert document_tokens(copy, cache=False).spans() == comparison.tokens("d1").spans()
    assert calls == ["d1", "d2", "d1"]  # another Document object: tokenized again
