"""Tokenizer: tokens tile the text, policy terms stay whole, the segmenter is loaded lazily and
quietly; rjieba (the default) and jieba (the fallback) give identical tokens on the seeds, the
corpus (when present) and generated edge strings; the cache key names the segmenter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff import tokenize as tokenize_module
from policydiff.tokenize import (
    JIEBA,
    RJIEBA,
    Segmenter,
    load_segmenter,
    policy_terms,
    tokenize,
    tokenize_spans,
)

ROOT = Path(__file__).resolve().parent.parent


def test_empty_text_has_no_tokens() -> None:
    assert tokenize("") == []
    assert tokenize_spans("") == []


@pytest.mark.parametrize(
    "term",
    [
        "放管服", "新质生产力", "乡村振兴", "碳达峰", "碳中和", "两新一重", "双循环",
        "高质量发展", "营商环境", "专精特新", "一带一路", "共同富裕", "十四五", "十五五",
        "稳就业", "六稳", "六保", "人工智能+", "数字经济", "城市更新",
    ],
)
def test_policy_term_stays_one_token_in_context(term: str) -> None:
    text = f"我们要坚持推进{term}，取得新成效。"
    assert term in tokenize(text)


def test_user_dictionary_is_large_and_every_term_wins_in_context() -> None:
    terms = [word for word, _freq, _tag in policy_terms()]
    assert len(terms) >= 150
    assert len(set(terms)) == len(terms)
    for term in terms:
        for text in (term, f"加快{term}建设", f"实施{term}行动，", f"“{term}”"):
            assert term in tokenize(text), (term, text, tokenize(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Longer words are not eaten by the short terms of the dictionary.
        ("下放专项债券项目审核权限", ["下放", "专项债券", "项目"]),
        ("增订单稳岗位保就业", ["稳", "岗位", "保就业"]),
        ("事情接着一件事情办", ["一件", "事情"]),
        ("二氧化碳排放下降", ["二氧化碳", "排放"]),
    ],
)
def test_short_terms_do_not_swallow_neighbouring_words(text: str, expected: list[str]) -> None:
    tokens = tokenize(text)
    for word in expected:
        assert word in tokens, tokens


def test_sentence_is_cut_into_words_not_characters() -> None:
    # Written by hand: the obvious word boundaries of an ordinary report sentence.
    tokens = tokenize("国内生产总值增长5%左右，城镇新增就业1200万人以上。")
    assert tokens[:2] == ["国内生产总值", "增长"]
    assert "就业" in tokens
    assert "左右" in tokens
    assert "1200" in tokens


def test_whitespace_and_controls_are_their_own_tokens() -> None:
    text = "发展 \n\t经济\x1b[2J\u3000😀"
    tokens = tokenize(text)
    assert "".join(tokens) == text
    for char in (" ", "\n", "\t", "\x1b", "\u3000", "😀"):
        assert char in tokens


def test_spans_index_the_tokens() -> None:
    text = "推动高质量发展，建设现代化产业体系。"
    tokens = tokenize(text)
    spans = tokenize_spans(text)
    assert [text[s:e] for s, e in spans] == tokens


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
       | st.text(alphabet="发展经济城市化镇乡村振兴碳达峰，。、“” \n5%xX＊*", max_size=80))
def test_tokens_join_to_text(text: str) -> None:
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert all(tokens)
    spans = tokenize_spans(text)
    assert spans == sorted(spans)
    assert (spans[-1][1] if spans else 0) == len(text)


def test_importing_the_package_does_not_load_a_segmenter() -> None:
    code = (
        "import sys, policydiff, policydiff.tokenize, policydiff.document\n"
        "policydiff.document._tokenizer_signature()\n"
        "loaded = [m for m in ('jieba', 'rjieba') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# In a subprocess: this line makes `import rjieba` fail, so that the jieba fallback is used.
_WITHOUT_RJIEBA = "import sys\nsys.modules['rjieba'] = None\n"


@pytest.mark.parametrize("segmenter", [RJIEBA, JIEBA])
def test_first_use_is_silent_and_keeps_out_of_tmp(tmp_path: Path, segmenter: str) -> None:
    # jieba prints "Building prefix dict..." to stderr and caches in /tmp unless wrapped.
    code = (
        (_WITHOUT_RJIEBA if segmenter == JIEBA else "")
        + "import os, tempfile\n"
        "from policydiff.tokenize import get_tokenizer, tokenize\n"
        "before = set(os.listdir(tempfile.gettempdir()))\n"
        "assert tokenize('乡村振兴') == ['乡村振兴']\n"
        f"assert get_tokenizer().name == {segmenter!r}, get_tokenizer().name\n"
        "after = set(os.listdir(tempfile.gettempdir()))\n"
        "assert not [n for n in after - before if 'jieba' in n], after - before\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "c"),
           "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path / "t")}
    (tmp_path / "t").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # jieba keeps its dictionary cache in the user cache directory; rjieba writes no file
    assert (tmp_path / "c" / "policydiff" / "jieba.cache").is_file() == (segmenter == JIEBA)
    assert not list((tmp_path / "t").iterdir())


def test_unwritable_cache_dir_falls_back_to_memory(tmp_path: Path) -> None:
    # jieba (the fallback) is the segmenter with a dictionary cache file
    blocker = tmp_path / "c"
    blocker.write_text("a file where the cache directory should be")
    code = _WITHOUT_RJIEBA + (
        "from policydiff.tokenize import get_tokenizer, tokenize\n"
        "assert tokenize('碳达峰') == ['碳达峰']\n"
        "assert get_tokenizer().name == 'jieba'\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(blocker),
           "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path / "t")}
    (tmp_path / "t").mkdir()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert not list((tmp_path / "t").iterdir())


# ---------------------------------------------------------------------------------------------
# rjieba (the segmenter) and jieba (the fallback): which one is used, and identical tokens


@pytest.fixture(scope="module")
def both() -> tuple[Segmenter, Segmenter]:
    """rjieba and a private jieba, each with the policy terms (jieba skips when absent)."""
    pytest.importorskip("jieba")
    return load_segmenter(RJIEBA), load_segmenter(JIEBA)


def test_rjieba_is_the_segmenter_and_its_default_instance_holds_the_policy_terms() -> None:
    import rjieba

    assert tokenize_module.segmenter_name() == RJIEBA
    assert tokenize_module.get_tokenizer().name == RJIEBA
    # the terms went into rjieba's default instance (no second 0.2 s instance was built)
    assert rjieba.has_word("新质生产力")
    assert rjieba.cut("加快发展新质生产力", False) == ["加快", "发展", "新质生产力"]


def test_without_rjieba_jieba_is_used_and_the_cache_key_says_so() -> None:
    code = _WITHOUT_RJIEBA + (
        "from policydiff import document, tokenize\n"
        "signature = document._tokenizer_signature()\n"
        "assert signature.startswith('segmenter=jieba;jieba=0.42.1:'), signature\n"
        "assert tokenize.tokenize('推动放管服改革') == ['推动', '放管服', '改革']\n"
        "assert tokenize.get_tokenizer().name == 'jieba'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_the_cache_key_names_rjieba() -> None:
    from importlib.metadata import version

    from policydiff.document import _tokenizer_signature

    signature = _tokenizer_signature()
    assert signature.startswith(f"segmenter=rjieba;rjieba={version('rjieba')}:")
    assert signature.endswith(";hmm=False")


def test_without_any_segmenter_the_error_says_what_to_install() -> None:
    code = (
        "import sys\nsys.modules['rjieba'] = None\nsys.modules['jieba'] = None\n"
        "from policydiff.tokenize import tokenize\n"
        "try:\n    tokenize('发展')\nexcept ImportError as e:\n    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == (
        "policydiff needs a Chinese word segmenter: pip install rjieba (or jieba)"
    )


def _assert_same_tokens(both: tuple[Segmenter, Segmenter], text: str) -> None:
    fast, slow = both
    assert fast.cut(text) == slow.cut(text), text[:80]


def test_identical_tokens_for_every_policy_term_in_context(
    both: tuple[Segmenter, Segmenter],
) -> None:
    for word, _freq, _tag in policy_terms():
        for text in (word, f"加快{word}建设", f"实施{word}行动，", f"“{word}”", f"{word}2025年"):
            _assert_same_tokens(both, text)


def test_identical_tokens_on_the_seeds(
    both: tuple[Segmenter, Segmenter], seed_files: dict[str, Path]
) -> None:
    from policydiff import Config, compare
    from policydiff.decode import read_text

    for path in seed_files.values():
        source = read_text(path).text
        _assert_same_tokens(both, source)
        tokens = both[0].cut(source)
        assert len(tokens) > 1000 and "".join(tokens) == source
    for doc in compare(sorted(seed_files.values()), Config()).documents:
        _assert_same_tokens(both, doc.text)  # the normalized text the pipeline cuts


@pytest.mark.corpus
def test_identical_tokens_on_the_corpus(
    both: tuple[Segmenter, Segmenter], corpus_dir: Path
) -> None:
    from policydiff.decode import read_text

    paths = sorted(corpus_dir.glob("*.txt")) + sorted(corpus_dir.glob("bulk/*/*.txt"))
    assert len(paths) >= 50
    for path in paths:
        _assert_same_tokens(both, read_text(path).text)


# Mixed scripts where the two implementations could differ: runs of Han (common words, policy
# terms, CJK extension A/B, U+9FD6-U+9FFF beyond jieba's own Han range, compatibility
# ideographs), ASCII letters and digits with jieba's joiners +#&._%-, full-width forms,
# non-ASCII digits and letters, combining marks, every kind of space and line break, and
# Chinese and ASCII punctuation.
_EDGE_ALPHABET = (
    "发展经济城市化镇乡村振兴碳达峰中和国人民共和新质生产力放管服人工智能两新一重十四五"
    "的了和是在一二三四五六七八九十百千万亿年月日第条款项"
    "㐀㐁䶵𠀀𠀁𪚥鿏鿐鿖鿿豈兀"
    "abcXYZ019+#&._%-"
    "ＡＢ１２％＋"
    "٣éü\u0301"
    " \t\n\r\u3000\u00a0\u2028\x0b\x0c"
    "，。、；：？！“”‘’（）《》【】—…·,.;:?!()[]\"'*＊"
)


def _assert_same_tokens_or_a_tie(both: tuple[Segmenter, Segmenter], text: str) -> None:
    """Identical tokens, or two segmentations of exactly the same probability under jieba's
    dictionary: a tie, which each implementation breaks by its own floating-point rounding
    (条条条0七: 条条|条|0|七 and 条|条条|0|七, both log P = -49.0679…). Generated strings of
    repeated characters meet such ties; real text (the seeds, the corpus) is held to identical
    tokens."""
    import math

    fast, slow = both
    a, b = fast.cut(text), slow.cut(text)
    if a == b:
        return
    jieba_tokenizer = slow._tokenizer  # type: ignore[attr-defined]
    jieba_tokenizer.check_initialized()
    freq, total = jieba_tokenizer.FREQ, jieba_tokenizer.total

    def log_p(words: list[str]) -> float:
        return sum(math.log(freq.get(w) or 1) - math.log(total) for w in words)

    assert "".join(a) == "".join(b) and math.isclose(log_p(a), log_p(b), rel_tol=1e-12), (
        text[:80], a, b)


def test_a_tie_may_be_broken_either_way(both: tuple[Segmenter, Segmenter]) -> None:
    _assert_same_tokens_or_a_tie(both, "条条条0七")  # a tie (the docstring above)
    with pytest.raises(AssertionError):  # no tie: one segmentation is the more probable
        _assert_same_tokens_or_a_tie(
            (both[0], _Fixed(["新质", "生产力"], both[1])), "新质生产力")  # type: ignore[arg-type]


class _Fixed:
    """A segmenter that always gives ``tokens``, with the dictionary of jieba's ``like``."""

    def __init__(self, tokens: list[str], like: Segmenter) -> None:
        self.tokens = tokens
        self._tokenizer = like._tokenizer  # type: ignore[attr-defined]

    def cut(self, text: str) -> list[str]:
        return self.tokens


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=_EDGE_ALPHABET, max_size=40))
def test_identical_tokens_on_generated_edge_strings(
    both: tuple[Segmenter, Segmenter], text: str
) -> None:
    _assert_same_tokens_or_a_tie(both, text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_identical_tokens_on_arbitrary_text(both: tuple[Segmenter, Segmenter], text: str) -> None:
    _assert_same_tokens(both, text)


def test_jieba_block_is_jiebas_character_class() -> None:
    # jieba 0.42.1 re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]; every code point.
    import re

    pattern = re.compile("[\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]")
    block = tokenize_module._in_jieba_block
    assert block("一") and block("\u9fd5") and block("A") and block("-") and block("%")
    assert not block("\u9fd6") and not block("，") and not block("\u3007") and not block(" ")
    assert all(
        block(ch) == (pattern.match(ch) is not None) for ch in map(chr, range(0x110000))
    )
