"""Tokenizer: tokens tile the text, policy terms stay whole, jieba is loaded lazily and quietly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.tokenize import policy_terms, tokenize, tokenize_spans

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


def test_importing_the_package_does_not_load_jieba() -> None:
    code = (
        "import sys, policydiff, policydiff.tokenize\n"
        "assert 'jieba' not in sys.modules, 'jieba imported eagerly'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_first_use_is_silent_and_keeps_out_of_tmp(tmp_path: Path) -> None:
    # jieba prints "Building prefix dict..." to stderr and caches in /tmp unless wrapped.
    code = (
        "import os, tempfile\n"
        "from policydiff.tokenize import tokenize\n"
        "before = set(os.listdir(tempfile.gettempdir()))\n"
        "assert tokenize('乡村振兴') == ['乡村振兴']\n"
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
    assert (tmp_path / "c" / "policydiff" / "jieba.cache").is_file()
    assert not list((tmp_path / "t").iterdir())


def test_unwritable_cache_dir_falls_back_to_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "c"
    blocker.write_text("a file where the cache directory should be")
    code = "from policydiff.tokenize import tokenize\nassert tokenize('碳达峰') == ['碳达峰']\n"
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
