"""textsafe: document text shown on a terminal carries no live control characters."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.textsafe import has_unsafe, visible


def is_unsafe(ch: str) -> bool:
    """The rule, written independently of the module: C0 but LF/TAB, DEL, C1, bidi, surrogates."""
    code = ord(ch)
    return (
        (code < 0x20 and ch not in "\n\t")
        or 0x7F <= code <= 0x9F
        or 0x202A <= code <= 0x202E
        or 0x2066 <= code <= 0x2069
        or 0xD800 <= code <= 0xDFFF
    )


def test_control_pictures_for_c0_and_del() -> None:
    assert visible("\x1b") == "␛"
    assert visible("\x00") == "␀"
    assert visible("\r") == "␍"
    assert visible("\x07") == "␇"
    assert visible("\x08") == "␈"
    assert visible("\x7f") == "␡"


def test_readable_codes_for_c1_bidi_and_surrogates() -> None:
    assert visible("\x9b") == "⟨U+009B⟩"
    assert visible("\x85") == "⟨U+0085⟩"
    assert visible("\u202e") == "⟨U+202E⟩"
    assert visible("\u2066") == "⟨U+2066⟩"
    assert visible("\ud800") == "⟨U+D800⟩"
    visible("a\udcff").encode("utf-8")  # a lone surrogate would crash the terminal writer


def test_injection_sequences_become_visible_text() -> None:
    assert visible("安全\r危险") == "安全␍危险"
    assert visible("\x1b]0;pwned\x07标题") == "␛]0;pwned␇标题"
    assert visible("\x1b]52;c;ZXZpbA==\x07") == "␛]52;c;ZXZpbA==␇"
    assert visible("\x9b2J清屏") == "⟨U+009B⟩2J清屏"
    assert visible("abc\u202etxt.exe") == "abc⟨U+202E⟩txt.exe"


def test_kept_unchanged() -> None:
    paragraph = "（一）疫情防控作为贯穿全年工作的两大主线之一，\n\t坚持抓早、抓严。"
    assert visible(paragraph) == paragraph
    assert visible("\\u001b[31m") == "\\u001b[31m"  # the literal text, six characters
    assert visible("[/b][@click=app.quit]") == "[/b][@click=app.quit]"  # markup is not ours
    assert visible("零\u200b宽") == "零\u200b宽"
    assert not has_unsafe(paragraph)
    assert has_unsafe("正文\x1b[2J")
    assert has_unsafe("\x9b")


def test_safe_text_is_returned_without_copying(seed_files: dict[str, Path]) -> None:
    text = seed_files["002"].read_text(encoding="utf-8")
    assert visible(text) is text


SPECIALS = "\x00\x07\x08\x0b\x0c\r\x1b\x7f\x80\x9b\x9f\u202a\u202e\u2066\u2069\ud800\udfff\n\t␛⟨"


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(), st.sampled_from(SPECIALS)), max_size=60))
def test_property_no_control_reaches_the_terminal(text: str) -> None:
    out = visible(text)
    assert not any(is_unsafe(ch) for ch in out)
    assert has_unsafe(text) == any(is_unsafe(ch) for ch in text)
    # Each character maps on its own: safe ones to themselves, unsafe ones to one placeholder.
    assert out == "".join(visible(ch) for ch in text)
    for ch in set(text):
        if is_unsafe(ch):
            assert visible(ch) != ch and len(visible(ch)) >= 1
        else:
            assert visible(ch) == ch
    assert visible(out) == out


@settings(max_examples=50, deadline=None)
@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF)
        | st.sampled_from("\n\t，。")
    )
)
def test_property_cjk_unchanged(text: str) -> None:
    assert visible(text) == text
