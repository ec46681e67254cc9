"""decode: decoding is right or refused (never silent garbage).

Every encoded or binary input is generated here, in memory or in tmp_path. The truth for each
decoding test is the string that was encoded, so the expectations do not come from the tool.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import io as stdio
import os
import random
import re
import zipfile
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.decode import DecodedText, decode_bytes, read_bytes, read_text
from policydiff.errors import InputError

# ------------------------------------------------------------------------------------------
# Texts


@pytest.fixture(scope="module")
def seed_text(seed_files: dict[str, Path]) -> str:
    return seed_files["002"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def simplified(seed_text: str) -> str:
    """Four paragraphs of seed 002 (the 开展的工作 part): plain Simplified report prose."""
    lines = seed_text.split("\n")
    assert lines[1] == "一、目前已开展的工作"
    return "\n".join(lines[2:6]) + "\n"


@pytest.fixture(scope="module")
def traditional(simplified: str) -> str:
    """The same paragraphs in Traditional script, Taiwan standard forms.

    ``s2tw`` rather than ``s2t``: OpenCC's ``s2t`` writes 爲/着/羣, which Big5 cannot encode;
    the Taiwan forms (為/著/群) are what a real Big5 file holds.
    """
    return str(opencc.OpenCC("s2tw").convert(simplified))


def sentences(text: str) -> list[str]:
    return [s for s in re.split("[。；\n]", text) if len(s) >= 12]


def refusal(data: bytes, name: str = "seeds/x.txt") -> str:
    """The InputError message for ``data``; fails the test if the bytes are accepted."""
    with pytest.raises(InputError) as info:
        decode_bytes(data, name=name)
    message = str(info.value)
    assert message.startswith(name + ": ")
    assert "\n" not in message
    return message


# ------------------------------------------------------------------------------------------
# The same text in every encoding


@pytest.mark.parametrize(
    ("codec", "bom", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
        ("utf-32-be", codecs.BOM_UTF32_BE, "utf-32-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
        ("gbk", b"", "gb18030"),
        ("gb18030", b"", "gb18030"),
    ],
)
def test_simplified_text_in_each_encoding(
    simplified: str, codec: str, bom: bytes, expected: str
) -> None:
    data = bom + simplified.encode(codec)
    decoded = decode_bytes(data, name="report.txt")
    assert decoded.text == simplified
    assert decoded.encoding == expected
    assert decoded.sha256 == hashlib.sha256(data).hexdigest()
    if expected == "gb18030":
        assert 0.999 <= decoded.confidence < 1.0  # a guess, however sure, is not a fact
    elif not bom and expected.startswith("utf-16"):
        assert 0.9 <= decoded.confidence < 1.0  # the share of plausible characters
    else:
        assert decoded.confidence == 1.0


def test_gb18030_four_byte_characters(simplified: str) -> None:
    text = "𠀀㐀" + simplified + "䶵𪚥\n"
    data = text.encode("gb18030")
    assert len("𠀀".encode("gb18030")) == 4 and len("㐀".encode("gb18030")) == 4
    decoded = decode_bytes(data, name="report.txt")
    assert (decoded.text, decoded.encoding) == (text, "gb18030")
    assert "GB18030" in decoded.reason and decoded.warnings == ()


def test_traditional_text_in_big5(traditional: str) -> None:
    data = traditional.encode("big5")
    # The trap this guards against: Big5 bytes decode *without error* as GB18030.
    assert data.decode("gb18030") != traditional
    decoded = decode_bytes(data, name="施政.txt")
    assert (decoded.text, decoded.encoding) == (traditional, "big5")
    assert decoded.reason.startswith("Big5: ")


def test_traditional_text_in_gb18030_and_utf8(simplified: str) -> None:
    """GBK holds Traditional characters too: such a file is GB18030, not Big5."""
    text = opencc.OpenCC("s2t").convert(simplified)
    assert text != simplified
    assert decode_bytes(text.encode("gb18030"), name="t.txt").text == text
    assert decode_bytes(text.encode("gb18030"), name="t.txt").encoding == "gb18030"
    assert decode_bytes(text.encode("utf-8"), name="t.txt").encoding == "utf-8"


def test_gbk_sentences_that_also_decode_as_big5(seed_text: str) -> None:
    """GBK bytes that Big5 decodes without error are still read as GB18030."""
    both = []
    for sentence in sentences(seed_text):
        data = sentence.encode("gbk", errors="ignore")
        try:
            data.decode("big5")
        except UnicodeDecodeError:
            continue
        both.append((sentence.encode("gbk", errors="ignore").decode("gbk"), data))
    assert len(both) >= 20
    for truth, data in both:
        decoded = decode_bytes(data, name="s.txt")
        assert (decoded.text, decoded.encoding) == (truth, "gb18030")


def test_big5_sentences_all_decode_as_gb18030_yet_are_big5(seed_text: str) -> None:
    convert = opencc.OpenCC("s2tw").convert
    checked = 0
    for sentence in sentences(seed_text)[:80]:
        try:
            data = convert(sentence).encode("big5")
        except UnicodeEncodeError:
            continue
        data.decode("gb18030")  # no error: the codec alone cannot tell
        decoded = decode_bytes(data, name="s.txt")
        assert (decoded.text, decoded.encoding) == (convert(sentence), "big5")
        checked += 1
    assert checked >= 60


def test_very_short_files() -> None:
    """Six characters are enough when all are common and Big5 reads rare ones; one is not.

    政府工作报告 in GBK also decodes without error as Big5 (淉葬馱釬惆豢, mostly rare
    characters), so the decision rests on evidence: GB18030 is chosen. A lone 报 (2 bytes)
    gives too little evidence to beat "neither" at the 0.999 bar: refused, with the reading.
    """
    data = "政府工作报告".encode("gbk")
    assert data.decode("big5") == "淉葬馱釬惆豢"
    decoded = decode_bytes(data, name="short.txt")
    assert (decoded.text, decoded.encoding) == ("政府工作报告", "gb18030")

    decoded = decode_bytes("政府工作報告".encode("big5"), name="short.txt")
    assert (decoded.text, decoded.encoding) == ("政府工作報告", "big5")

    message = refusal("报".encode("gbk"), name="short.txt")
    assert "too little text" in message and "“报”" in message and "--encoding" in message

    # 转 in GBK is D7 AA, valid UTF-8 for the Hebrew letter ת: ambiguous, so refused.
    assert "转".encode("gbk").decode("utf-8") == "ת"
    message = refusal("转".encode("gbk"), name="short.txt")
    assert "ambiguous encoding: valid UTF-8 (“ת”)" in message and "GB18030 (“转”)" in message
    assert "全省统一".encode("gbk").decode("utf-8") == "ȫʡͳһ"
    assert "ambiguous encoding" in refusal("全省统一".encode("gbk"))
    # ... while UTF-8 with a few accented letters among ASCII stays UTF-8.
    assert decode_bytes("café".encode(), name="short.txt").text == "café"
    assert decode_bytes("Привет, мир".encode(), name="short.txt").encoding == "utf-8"


@settings(max_examples=60, deadline=None)
@given(start=st.integers(0, 5000), length=st.integers(1, 40), big5=st.booleans())
def test_property_right_or_refused(seed_text: str, start: int, length: int, big5: bool) -> None:
    """Any slice of a report, in GBK or Big5: decoded exactly, or refused. Never wrong."""
    text = seed_text[start : start + length]
    if big5:
        text = opencc.OpenCC("s2tw").convert(text)
    codec = "big5" if big5 else "gbk"
    data = text.encode(codec, errors="ignore")
    truth = data.decode(codec)
    try:
        decoded = decode_bytes(data, name="slice.txt")
    except InputError:
        return
    assert decoded.text == truth
    if not truth.isascii():
        assert decoded.encoding in (("big5", "utf-8") if big5 else ("gb18030", "utf-8"))


# ------------------------------------------------------------------------------------------
# Refusals


def test_binary_formats_are_refused_with_advice() -> None:
    buffer = stdio.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    cases = {
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj": "a PDF document, not a text file; extract the "
        "text first (e.g. pdftotext)",
        buffer.getvalue(): "a ZIP archive (.docx/.xlsx/.zip)",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504): "an OLE2 compound file (.doc/.wps/.xls)",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR": "a PNG image",
        b"\xff\xd8\xff\xe0\x00\x10JFIF": "a JPEG image",
        b"GIF89a\x01\x00": "a GIF image",
    }
    for data, fragment in cases.items():
        message = refusal(data, name="seeds/x.pdf")
        assert f"seeds/x.pdf: this looks like {fragment}" in message


def test_random_bytes_are_refused() -> None:
    rng = random.Random(20261123)
    for size in (40, 3000, 100_000):
        data = bytes(rng.randrange(256) for _ in range(size))
        message = refusal(data)
        assert "binary data" in message or "cannot tell the encoding" in message


def test_random_bytes_messages() -> None:
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(3000))
    assert "this looks like binary data" in refusal(data)
    assert "this looks like binary data (NUL bytes)" in refusal(b"abc\x00\x00def")


def test_shift_jis_japanese_is_refused() -> None:
    japanese = (
        "日本国民は、正当に選挙された国会における代表者を通じて行動し、"
        "われらとわれらの子孫のために、諸国民との協和による成果を確保する。"
    )
    message = refusal(japanese.encode("shift_jis"))
    assert "cannot tell the encoding" in message
    assert "GB18030" in message and "Big5" in message and "--encoding NAME" in message


def test_euc_kr_korean_is_refused() -> None:
    korean = (
        "대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, "
        "모든 권력은 국민으로부터 나온다."
    )
    assert "cannot tell the encoding" in refusal(korean.encode("euc_kr"))


def test_half_utf8_half_gbk_is_refused(simplified: str) -> None:
    first, second = simplified.split("\n")[:2]
    message = refusal(first.encode("utf-8") + b"\n" + second.encode("gbk"))
    assert f"the first {len(first.encode('utf-8')) + 1} bytes are UTF-8" in message
    assert "mixes encodings" in message
    message = refusal(second.encode("gbk") + b"\n" + first.encode("utf-8"))
    assert "read as GB18030 Chinese but the rest does not" in message


def test_gbk_with_a_big5_paragraph_is_refused(simplified: str, traditional: str) -> None:
    """Big5 inside GBK decodes as GB18030 without error: only the stretch check catches it."""
    tail = traditional.split("\n")[0][:60]
    data = simplified.encode("gbk") + tail.encode("big5")
    data.decode("gb18030")
    start = len(simplified.encode("gbk"))
    message = refusal(data)
    assert "reads as GB18030 Chinese except bytes" in message and "mix encodings" in message
    found = re.search(r"bytes (\d+)-(\d+)", message)
    assert found is not None
    assert int(found[1]) <= start + 60 and int(found[2]) > start


def test_truncated_utf8_is_refused(simplified: str) -> None:
    data = simplified.rstrip("\n").encode("utf-8")[:-1]
    message = refusal(data)
    assert f"cut off in the middle of a character at byte {len(data) - 2}" in message
    assert "remove its last 2 byte(s)" in message


def test_utf8_with_a_damaged_byte_in_the_middle(simplified: str) -> None:
    raw = simplified.encode("utf-8")
    message = refusal(raw[:99] + raw[100:])
    assert "the first 99 bytes are UTF-8" in message


def test_bom_with_invalid_body() -> None:
    message = refusal(codecs.BOM_UTF8 + "政府".encode("gbk"))
    assert "starts with a UTF-8 byte-order mark but is not valid UTF-8" in message


def test_message_names_are_made_safe() -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(b"%PDF-1.4", name="evil\x1b]0;x\x07\nname.pdf")
    assert str(info.value).startswith("evil␛]0;x␇␊name.pdf: this looks like a PDF document")


# ------------------------------------------------------------------------------------------
# Accepted as they are


def test_empty_and_bom_only() -> None:
    empty = decode_bytes(b"", name="e.txt")
    assert empty == DecodedText("", "utf-8", 1.0, "empty file", hashlib.sha256(b"").hexdigest())
    bom_only = decode_bytes(codecs.BOM_UTF8, name="b.txt")
    assert (bom_only.text, bom_only.encoding) == ("", "utf-8-sig")


def test_control_characters_in_text_are_kept_for_later() -> None:
    """A stray NUL, CR or escape sequence is text: shown with placeholders later, not here."""
    text = "安全\r危险\x1b]0;标题\x07正文\x1b[2J段落\x00结束。\n" * 3
    decoded = decode_bytes(text.encode("utf-8"), name="canary.txt")
    assert (decoded.text, decoded.encoding) == (text, "utf-8")


def test_text_is_not_sniffed_as_binary() -> None:
    for text, codec in [("政府工作报告\n", "utf-8"), ("政府工作报告\nReport\n", "utf-16-le")]:
        assert decode_bytes(text.encode(codec), name="t.txt").text == text
    assert decode_bytes(b"plain ascii\n", name="t.txt").text == "plain ascii\n"


# ------------------------------------------------------------------------------------------
# The --encoding override


def test_override_accepts_aliases(simplified: str, traditional: str) -> None:
    gbk = simplified.encode("gbk")
    for name, expected in (("GBK", "gbk"), ("cp936", "gbk"), ("GB18030", "gb18030")):
        decoded = decode_bytes(gbk, name="o.txt", encoding=name)
        assert (decoded.text, decoded.encoding) == (simplified, expected)
        assert (decoded.confidence, decoded.reason) == (1.0, "user override")
    decoded = decode_bytes(traditional.encode("big5"), name="o.txt", encoding="big5hkscs")
    assert (decoded.text, decoded.encoding) == (traditional, "big5hkscs")
    decoded = decode_bytes("政府".encode("gb2312"), name="o.txt", encoding="GB2312")
    assert (decoded.text, decoded.encoding) == ("政府", "gb2312")
    decoded = decode_bytes(codecs.BOM_UTF8 + b"abc", name="o.txt", encoding="utf8")
    assert (decoded.text, decoded.encoding) == ("abc", "utf-8-sig")


def test_override_failures_name_the_byte_offset(simplified: str) -> None:
    data = simplified.encode("gbk")
    with pytest.raises(InputError, match=r"^o\.txt: not valid utf-8: .* at byte offset 0 "):
        decode_bytes(data, name="o.txt", encoding="utf-8")
    with pytest.raises(InputError, match=r"^o\.txt: unknown text encoding 'klingon'"):
        decode_bytes(data, name="o.txt", encoding="klingon")
    with pytest.raises(InputError, match="unknown text encoding 'base64'"):
        decode_bytes(data, name="o.txt", encoding="base64")
    with pytest.raises(InputError, match="a PDF document"):
        decode_bytes(b"%PDF-1.4", name="o.txt", encoding="latin-1")


def test_override_that_gives_garbage_warns(traditional: str) -> None:
    decoded = decode_bytes(traditional.encode("big5"), name="o.txt", encoding="gb18030")
    assert decoded.encoding == "gb18030"
    assert len(decoded.warnings) == 1 and "check --encoding" in decoded.warnings[0]


def test_override_reads_utf16_without_bom() -> None:
    data = "abc\n".encode("utf-16-le")
    assert decode_bytes(data, name="o.txt", encoding="utf-16-le").text == "abc\n"


# ------------------------------------------------------------------------------------------
# read_bytes / read_text


def test_read_text_from_disk(tmp_path: Path, traditional: str) -> None:
    path = tmp_path / "big5.txt"
    path.write_bytes(traditional.encode("big5"))
    decoded = read_text(path)
    assert (decoded.text, decoded.encoding) == (traditional, "big5")
    assert read_text(str(path), encoding="big5").confidence == 1.0


def test_read_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"/nope\.txt: no such file; check the path$"):
        read_bytes(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_bytes(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 100)
    with pytest.raises(InputError, match="over the 5e-05 MB limit"):
        read_bytes(big, max_bytes=50)
    assert read_bytes(big, max_bytes=100) == b"x" * 100
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    with pytest.raises(InputError, match="broken symbolic link"):
        read_bytes(tmp_path / "link.txt")
    with pytest.raises(InputError, match="part of this path is a file"):
        read_bytes(big / "x.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert read_text(empty).text == ""


def test_read_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_bytes(fifo)


def test_read_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated, because the tests may run as root (who can read a mode-000 file)."""
    path = tmp_path / "secret.txt"
    path.write_bytes(b"x")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    # files.read_file opens with os.open (non-blocking, so a FIFO swapped in cannot block).
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(InputError, match=r"secret\.txt: permission denied"):
        read_bytes(path)


# ------------------------------------------------------------------------------------------
# Real documents (skipped without the shared corpus)


@pytest.mark.corpus
def test_corpus_round_trips(corpus_dir: Path) -> None:
    """Hong Kong addresses in Big5 (HKSCS where needed) and mainland reports in GB18030."""
    checked = 0
    for path in sorted(corpus_dir.glob("hk-policy-address-201[45]-zht.txt")):
        text = path.read_text(encoding="utf-8")
        data = text.encode("big5hkscs", errors="replace")  # PUA code points become '?'
        truth = data.decode("big5hkscs")
        expected = next(c for c in ("big5", "cp950", "big5hkscs") if _decodes(data, c))
        decoded = decode_bytes(data, name=path.name)
        assert (decoded.text, decoded.encoding) == (truth, expected)
        checked += 1
    for path in sorted(corpus_dir.glob("national-202[345].txt")):
        text = path.read_text(encoding="utf-8")
        decoded = decode_bytes(text.encode("gb18030"), name=path.name)
        assert (decoded.text, decoded.encoding) == (text, "gb18030")
        checked += 1
    assert checked == 5


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def test_character_lists_line_up() -> None:
    """The committed lists: 3,000 Simplified characters and their Traditional forms, by line."""
    from importlib import resources

    folder = resources.files("policydiff.data")

    def lines(name: str) -> list[str]:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        return [line for line in text.splitlines() if not line.startswith("#")]

    hans, hant = lines("common_hans.txt"), lines("common_hant.txt")
    assert len(hans) == len(hant) == 3000
    forms = dict(zip(hans, hant, strict=True))
    assert hans[0] == "的"
    assert forms["发"].split() == ["發", "髮"]
    assert forms["国"] == "國" and forms["的"] == "的"
    assert "羣" in forms["群"].split()


def test_ascii_bytes_that_are_also_utf16_han_say_so() -> None:
    """``中`` written as UTF-16-LE without a byte-order mark is the two bytes ``-N``: valid
    ASCII. Such a file cannot tell its encoding; the reading must come with a doubt that names
    the other reading and the option to choose it. Ordinary ASCII gets no doubt."""
    decoded = decode_bytes("中".encode("utf-16-le"), name="x.txt")
    assert decoded.text == "-N"
    assert len(decoded.warnings) == 1
    assert "'中'" in decoded.warnings[0] and "--encoding utf-16-le" in decoded.warnings[0]
    assert decode_bytes(b"hello", name="x.txt").warnings == ()
    assert decode_bytes(b"2025\n", name="x.txt").warnings == ()


def test_utf8_replacement_characters_are_a_doubt() -> None:
    """锟斤拷 written in GB18030 is the bytes EF BF BD EF BF BD: valid UTF-8 for two U+FFFD.
    Either way text was lost before the file was written, and the reading says so."""
    data = "锟斤拷锟斤拷".encode("gb18030")
    decoded = decode_bytes(data, name="x.txt")
    assert decoded.text == "\ufffd" * 4
    assert len(decoded.warnings) == 1 and "U+FFFD" in decoded.warnings[0]
    assert "锟斤拷" in decoded.warnings[0]
