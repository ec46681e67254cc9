"""The hostile inputs of /work/shared/ROBUSTNESS.md, generated at test time (nothing binary is
committed), each with the outcome a user should get.

An outcome is one of:
- ``accept``: the file is read, normalized and segmented, with no warning;
- ``warn``: accepted, and a warning containing ``fragment`` is attached to the document (the
  CLI prints it on stderr);
- ``refuse``: ``InputError`` whose one-line message contains ``fragment`` (the CLI exits 2 and
  prints that line, naming the file).

``truth`` is the text that was encoded, for the decoding cases: an accepted file must decode to
exactly that (anything else is a silent mis-decode). ``keep`` lists fragments a reader must
still find in the normalized text (text that looks like markup or escapes is text).
``headings`` is the number of top-level sections that start at a heading (preamble and
closing paragraphs are not counted), when a reader can count them in the file.
"""

from __future__ import annotations

import codecs
import io
import random
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

# A short municipal work report, written for these tests: title, preamble, three numbered
# parts, two of them with （一）/（二） items, a closing line. Every character is in GBK and
# (in its Traditional form) in Big5.
POLICY_HANS = """政府工作报告
——2024年1月在市第十七届人民代表大会第三次会议上
各位代表：
现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员提出意见。
一、2023年工作回顾
过去一年，全市经济运行稳中向好，地区生产总值增长5.2%。
（一）产业发展取得新成效。高新技术企业达到1200家，新质生产力加快培育。
（二）民生保障持续加强。城镇新增就业3.1万人，居民人均可支配收入增长6%。
二、2024年重点任务
（一）坚定不移推进高质量发展，加快建设现代化产业体系。
（二）持续优化营商环境，深化“放管服”改革。
三、加强政府自身建设
各位代表，让我们团结一心，奋力谱写现代化建设新篇章！
"""
POLICY_TOP_SECTIONS = 3  # 一、 二、 三、

# The same report in Traditional script (Taiwan forms, all in Big5), written out by hand.
POLICY_HANT = """政府工作報告
——2024年1月在市第十七屆人民代表大會第三次會議上
各位代表：
現在，我代表市人民政府，向大會報告工作，請予審議，並請市政協委員提出意見。
一、2023年工作回顧
過去一年，全市經濟運行穩中向好，地區生產總值增長5.2%。
（一）產業發展取得新成效。高新技術企業達到1200家，新質生產力加快培育。
（二）民生保障持續加強。城鎮新增就業3.1萬人，居民人均可支配收入增長6%。
二、2024年重點任務
（一）堅定不移推進高質量發展，加快建設現代化產業體系。
（二）持續優化營商環境，深化“放管服”改革。
三、加強政府自身建設
各位代表，讓我們團結一心，奮力譜寫現代化建設新篇章！
"""

# GB18030 encodes these in four bytes (U+20BB7 outside the BMP, U+3400 in Extension A).
FOUR_BYTE = "𠮷㐀"

ESC = "\x1b"
BEL = "\x07"
# Sequences a terminal would obey: retitle the window, clear the screen, colour, write the
# clipboard (OSC 52), the C1 CSI, a hyperlink (OSC 8).
INJECTIONS = (
    f"{ESC}]0;PWNED{BEL}",
    f"{ESC}[2J",
    f"{ESC}[31m",
    f"{ESC}]52;c;UFdORUQ={BEL}",
    "\x9b31m",
    f"{ESC}]8;;http://evil.example/{ESC}\\",
)
# What must never reach a terminal raw (as UTF-8 bytes).
RAW_CANARIES = (
    b"\x1b]0;PWNED",
    b"\x1b[2J",
    b"\x1b]52;c;UFdORUQ=",
    b"\xc2\x9b31m",
    b"\x1b]8;;http://evil",
    b"\x00",
)
MARKUP = ("[/b]", "[red]", "[@click=app.quit]", "[link=http://evil.example]点我[/link]")


def _control_doc() -> str:
    return (
        "第一，标题" + INJECTIONS[0] + "里的窗口标题\n"
        "正文" + INJECTIONS[1] + "清屏之后" + INJECTIONS[2] + "红色字" + f"{ESC}[0m"
        "，剪贴板" + INJECTIONS[3] + "写入，C1" + INJECTIONS[4] + "控制，链接" + INJECTIONS[5]
        + "结束。\n"
        "第二，第二部分保持原样。\n"
    )


@dataclass(frozen=True)
class Case:
    """One hostile input file and what must happen to it."""

    name: str
    klass: str
    make: Callable[[], bytes]
    expect: str
    fragment: str = ""
    truth: str | None = None
    keep: tuple[str, ...] = ()
    headings: int | None = None
    size: str = "small"
    marks: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        assert self.expect in ("accept", "warn", "refuse"), self.expect
        assert self.expect == "accept" or self.fragment, self.name


def _enc(text: str, codec: str, bom: bytes = b"") -> Callable[[], bytes]:
    return lambda: bom + text.encode(codec)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><w:t>政府工作报告</w:t></w:document>")
    return buffer.getvalue()


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body).to_bytes(4, "big")
        return len(body).to_bytes(4, "big") + kind + body + crc

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _random_bytes() -> bytes:
    return random.Random(20240305).randbytes(4096)


def _half_utf8_half_gbk() -> bytes:
    lines = POLICY_HANS.splitlines(keepends=True)
    half = len(lines) // 2
    return "".join(lines[:half]).encode("utf-8") + "".join(lines[half:]).encode("gbk")


def _truncated_utf8() -> bytes:
    data = POLICY_HANS.rstrip("\n").encode("utf-8")
    return data[:-1]  # the last character (！) loses its last byte


def _utf8_read_as_gbk() -> str:
    """Mojibake: UTF-8 bytes of a sentence shown as GBK, then saved as UTF-8."""
    return "深化“放管服”改革，优化营商环境。".encode().decode("gbk", errors="replace")


def cn_numeral(n: int) -> str:
    """1..99 as a Chinese numeral (十二, 三十, 九十九)."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[ones - 1] if ones else "")


def ten_thousand_headings() -> str:
    """10,000 ``一、`` headings whose numbering restarts after 九十九 (each with a body)."""
    return "".join(
        f"{cn_numeral(k % 99 + 1)}、第{k}项重点工作\n推进第{k}项工作。\n" for k in range(10_000)
    )


def deep_nesting() -> str:
    """Seven marker kinds, each nested in the one before, in three parts."""
    rows = []
    for part in ("一", "二", "三"):
        rows += [
            f"{part}、主要任务",
            "（一）推进产业发展",
            "1.培育新兴产业",
            "（1）发展数字经济",
            "①建设数据中心。",
            "一是扩大有效投资。",
            "——优化营商环境。",
        ]
    return "\n".join(rows) + "\n"


def marker_every_line() -> str:
    """2,000 lines, each an arabic-numbered item (1. to 99., then again from 1.)."""
    return "".join(f"{k % 99 + 1}.第{k}项任务：推进改革。\n" for k in range(2000))


def one_megabyte_line() -> str:
    unit = "深化改革开放，推动高质量发展，建设现代化产业体系，"
    repeats = 1_000_000 // len(unit.encode("utf-8")) + 1
    return unit * repeats  # no newline at all


def ten_megabytes() -> str:
    """About 10 MB of realistic report text: the policy report repeated with fresh numbering."""
    body = POLICY_HANS.split("\n", 3)[3]
    parts = []
    total = 0
    k = 0
    while total < 10_000_000:
        k += 1
        block = f"第{k}部分　第{k}年度报告\n" + body.replace("2023", str(1000 + k))
        parts.append(block)
        total += len(block.encode("utf-8"))
    return "".join(parts)


def _utf8(text: str) -> Callable[[], bytes]:
    return lambda: text.encode("utf-8")


CASES: tuple[Case, ...] = (
    # 1. Encodings: the same report, decoded exactly or refused.
    Case("enc-utf8", "encoding", _utf8(POLICY_HANS), "accept", truth=POLICY_HANS,
         headings=POLICY_TOP_SECTIONS),
    Case("enc-utf8-bom", "encoding", _enc(POLICY_HANS, "utf-8", codecs.BOM_UTF8), "accept",
         truth=POLICY_HANS, headings=POLICY_TOP_SECTIONS),
    Case("enc-utf16le-bom", "encoding", _enc(POLICY_HANS, "utf-16-le", codecs.BOM_UTF16_LE),
         "accept", truth=POLICY_HANS, headings=POLICY_TOP_SECTIONS),
    Case("enc-utf16be-bom", "encoding", _enc(POLICY_HANS, "utf-16-be", codecs.BOM_UTF16_BE),
         "accept", truth=POLICY_HANS, headings=POLICY_TOP_SECTIONS),
    Case("enc-utf16le", "encoding", _enc(POLICY_HANS, "utf-16-le"), "accept", truth=POLICY_HANS,
         headings=POLICY_TOP_SECTIONS),
    Case("enc-utf16be", "encoding", _enc(POLICY_HANS, "utf-16-be"), "accept", truth=POLICY_HANS,
         headings=POLICY_TOP_SECTIONS),
    Case("enc-gbk", "encoding", _enc(POLICY_HANS, "gbk"), "accept", truth=POLICY_HANS,
         headings=POLICY_TOP_SECTIONS),
    Case("enc-gb18030-4byte", "encoding", _enc(POLICY_HANS + FOUR_BYTE + "\n", "gb18030"),
         "accept", truth=POLICY_HANS + FOUR_BYTE + "\n", headings=POLICY_TOP_SECTIONS),
    Case("enc-big5", "encoding", _enc(POLICY_HANT, "big5"), "accept", truth=POLICY_HANT,
         headings=POLICY_TOP_SECTIONS),
    # 全省统一 in GBK is C8AB CAA1 CDB3 D2BB: valid UTF-8 (ȫʡͳһ) by accident.
    Case("enc-gbk-short-valid-utf8", "encoding", _enc("全省统一", "gbk"), "refuse",
         "ambiguous encoding"),
    Case("enc-gbk-short", "encoding", _enc("政府报告", "gbk"), "refuse", "--encoding"),
    Case("enc-half-utf8-half-gbk", "encoding", _half_utf8_half_gbk, "refuse", "mixes encodings"),
    Case("enc-truncated-utf8", "encoding", _truncated_utf8, "refuse", "cut off"),
    Case("enc-truncated-gbk", "encoding", lambda: POLICY_HANS.rstrip("\n").encode("gbk")[:-1],
         "refuse", "--encoding"),
    Case("enc-shift-jis", "encoding",
         _enc("日本語の文章です。政府の報告書を読みます。", "shift_jis"),
         "refuse", "--encoding"),
    # 2. Binary formats: refused by signature or by their bytes, with advice.
    Case("bin-pdf", "binary", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
         "refuse", "PDF"),
    Case("bin-docx", "binary", _docx, "refuse", "ZIP archive"),
    Case("bin-ole", "binary",
         lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "正文".encode("utf-16-le"),
         "refuse", "OLE2"),
    Case("bin-png", "binary", _png, "refuse", "PNG image"),
    Case("bin-random", "binary", _random_bytes, "refuse", "binary data"),
    # 3. Degenerate files: nothing to compare is said, not crashed on.
    Case("deg-empty", "degenerate", lambda: b"", "warn", "no text"),
    Case("deg-newline", "degenerate", lambda: b"\n", "warn", "no text"),
    Case("deg-whitespace", "degenerate", lambda: b" \t \n\n  \n", "warn", "no text"),
    Case("deg-ideographic-space", "degenerate", _utf8("\u3000" * 8), "warn", "no text"),
    Case("deg-bom-only", "degenerate", lambda: codecs.BOM_UTF8, "warn", "no text"),
    Case("deg-no-headings", "degenerate",
         _utf8("全市经济运行稳中向好。居民收入持续增长。\n城乡面貌焕然一新。\n"), "accept",
         keep=("城乡面貌焕然一新",), headings=0),
    Case("deg-one-char", "degenerate", _utf8("中"), "accept", keep=("中",), headings=0),
    # 4. Control characters and injection: kept as text or removed visibly, never obeyed.
    Case("ctl-escapes", "control", _utf8(_control_doc()), "accept",
         keep=("PWNED", "清屏之后", "UFdORUQ=", "31m", "第二部分保持原样"), headings=2),
    Case("ctl-nul-del", "control", _utf8("第一，空\x00字符\x7f删除。\n第二，其余正常。\n"),
         "accept", keep=("字符", "删除"), headings=2),
    Case("ctl-cr-overwrite", "control", _utf8("第一，提示\n安全\r危险\n第二，其余正常。\n"),
         "accept", keep=("安全", "危险"), headings=2),
    Case("ctl-markup", "control",
         _utf8("第一，标题" + MARKUP[0] + "方括号\n正文" + MARKUP[1] + "红" + MARKUP[2]
               + "点击" + MARKUP[3] + "。\n第二，其余正常。\n"),
         "accept", keep=MARKUP, headings=2),
    Case("ctl-bidi", "control",
         _utf8("第一，文字\u202e顺序颠倒\u202c之后\u2066隔离\u2069。\n第二，其余正常。\n"),
         "accept", keep=("顺序颠倒", "隔离"), headings=2),
    Case("ctl-zwsp-nbsp", "control",
         _utf8("第一，零宽\u200b空格\u00a0与\ufeff不换行。\n第二，其余正常。\n"), "accept",
         keep=("零宽空格",), headings=2),
    Case("ctl-literal-escape", "control", _utf8("第一，字面\\u001b与\\x1b[2J都是文字。\n"),
         "accept", keep=("\\u001b", "\\x1b[2J"), headings=1),
    Case("ctl-c1-latin1", "control", _utf8("第一，C1\u0085换行\u009d与\u0090结束。\n"),
         "accept", keep=("结束",), headings=1),
    # 5. Mixed script and mojibake.
    Case("mix-simplified-traditional", "mixed",
         _utf8(POLICY_HANS.split("二、")[0] + "二、" + POLICY_HANT.split("二、")[1]), "accept",
         headings=POLICY_TOP_SECTIONS),
    Case("mix-mojibake-utf8-as-gbk", "mixed",
         _utf8("第一，正常句子在这里。\n" + _utf8_read_as_gbk() + "\n第二，其余正常。\n"),
         "warn", "mojibake"),
    Case("mix-kunjinkao", "mixed",
         _utf8("第一，锟斤拷锟斤拷锟斤拷烫烫烫正文。\n第二，其余正常。\n"),
         "warn", "mojibake"),
    Case("mix-replacement-run", "mixed",
         _utf8("第一，丢失了\ufffd\ufffd\ufffd\ufffd的文字。\n第二，其余正常。\n"), "warn",
         "mojibake"),
    # 6. Structure.
    Case("str-10000-headings", "structure", _utf8(ten_thousand_headings()), "accept",
         headings=10_000, size="600KB"),
    Case("str-deep-nesting", "structure", _utf8(deep_nesting()), "accept", headings=3),
    Case("str-marker-every-line", "structure", _utf8(marker_every_line()), "accept",
         headings=2000, size="60KB"),
    Case("str-1mb-line", "structure", _utf8(one_megabyte_line()), "accept", size="1MB",
         headings=0),
    Case("str-10mb", "structure", _utf8(ten_megabytes()), "accept", size="10MB"),
    Case("str-crlf", "structure", _utf8(POLICY_HANS.replace("\n", "\r\n")), "accept",
         headings=POLICY_TOP_SECTIONS),
    Case("str-cr-only", "structure", _utf8(POLICY_HANS.replace("\n", "\r")), "accept",
         headings=POLICY_TOP_SECTIONS),
    Case("str-form-feed", "structure", _utf8(POLICY_HANS.replace("二、2024", "\f二、2024")),
         "accept", headings=POLICY_TOP_SECTIONS),
    # A real seed has 一、 where 三、 belongs: numbering that repeats is still three parts.
    Case("str-repeated-numbering", "structure",
         _utf8(POLICY_HANS.replace("三、加强", "一、加强")), "accept",
         headings=POLICY_TOP_SECTIONS),
)

BY_NAME = {case.name: case for case in CASES}
CLASSES = sorted({case.klass for case in CASES})
