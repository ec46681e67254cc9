"""Encodings (issue 17, classes 4 and 6): the Big5 variants scored against each other, a line
in another encoding named, a stray UTF-16 byte-order mark scored; file names that are not
UTF-8, output encodings that lack characters, and output that cannot be written.

Bytes are generated from real text: the Traditional report of ``cases.POLICY_HANT`` always,
and the Hong Kong policy addresses and mainland reports of the shared corpus when it is there
(skipped otherwise). A decode is right when it gives back the text that was encoded; a wrong
text without a doubt that names the problem is a silent mis-decode.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from policydiff.decode import decode_bytes
from policydiff.errors import InputError

from .cases import POLICY_HANS, POLICY_HANT
from .figures import Figures
from .harness import ROOT, is_crash, run_cli

HAN = re.compile("[\u4e00-\u9fff]")


def _hk_lines(corpus: Path | None, codec: str) -> list[str]:
    """Lines of Traditional text every Big5 variant can encode: the corpus's Hong Kong
    addresses when there, else the hand-written Traditional report."""
    texts = [POLICY_HANT]
    if corpus is not None:
        found = sorted(corpus.glob("hk-policy-address-201*-zht.txt"))
        texts += [p.read_text("utf-8") for p in found]
    lines = []
    for text in texts:
        for line in text.splitlines():
            try:
                if line.encode(codec).decode("big5") == line and line.strip():
                    lines.append(line)
            except UnicodeError:
                continue
    return lines


@pytest.fixture
def corpus(request: pytest.FixtureRequest) -> Path | None:
    """The shared corpus (``tests/conftest.py``'s ``corpus_dir``), or None when it is absent:
    the generated cases then use the hand-written reports only."""
    try:
        return Path(request.getfixturevalue("corpus_dir"))
    except pytest.skip.Exception:
        return None


def _judge(figures: Figures, what: str, data: bytes, truth: str, codec: str) -> None:
    figures.tried(what)
    decoded = decode_bytes(data, name=what)
    if decoded.text != truth:
        figures.bad("silent_misdecodes", f"{what}: read as {decoded.encoding}")
    assert decoded.text == truth, (what, decoded.encoding)
    assert decoded.encoding == codec, (what, decoded.encoding)


@pytest.mark.parametrize("seed", range(6))
def test_cp950_symbols_come_out_as_written(
    seed: int, corpus: Path | None, figures: Figures
) -> None:
    """CP950 (Windows Big5) ～ ￥ ﹑ ‧ ￠ ￡ (Big5 reads them ∼ ¥ ､ • ¢ £), at random places."""
    rng = random.Random(seed)
    lines = _hk_lines(corpus, "cp950")[: 40 + 200 * (corpus is not None)]
    for k in rng.sample(range(len(lines)), min(8, len(lines))):
        symbol = rng.choice("～￥﹑‧￠￡")
        at = rng.randrange(len(lines[k]) + 1)
        lines[k] = lines[k][:at] + symbol + lines[k][at:]
    text = "\n".join(lines) + "\n"
    _judge(figures, f"cp950-symbols-{seed}", text.encode("cp950"), text, "cp950")


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("codec", ["big5hkscs", "cp950"])
def test_list_markers_are_not_kana(
    seed: int, codec: str, corpus: Path | None, figures: Figures
) -> None:
    """①-⑩ and ⑴-⑽ at the start of list lines: HKSCS puts them at C6A1-C6B4, where Big5
    and CP950 have kana; CP950 puts them at C7E9-C7FC, where HKSCS has kana. Nothing else in
    the file tells the variants apart."""
    rng = random.Random(seed)
    lines = _hk_lines(corpus, codec)[: 30 + 100 * (corpus is not None)]
    markers = "①②③④⑤⑥⑦⑧⑨⑩" if seed % 2 else "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽"
    for n, k in enumerate(sorted(rng.sample(range(len(lines)), min(10, len(lines))))):
        lines[k] = markers[n] + lines[k]
    text = "\n".join(lines) + "\n"
    expected = "big5hkscs" if codec == "big5hkscs" else "big5"
    _judge(figures, f"markers-{codec}-{seed}", text.encode(codec), text, expected)


def _mainland_lines(corpus: Path | None) -> list[str]:
    texts = [POLICY_HANS]
    if corpus is not None:
        texts += [p.read_text("utf-8") for p in sorted(corpus.glob("national-202*.txt"))]
    return [line for text in texts for line in text.splitlines()
            if len(HAN.findall(line)) >= 6]


@pytest.mark.parametrize("seed", range(12))
def test_one_gbk_line_in_a_big5_report_is_named_or_refused(
    seed: int, corpus: Path | None, figures: Figures
) -> None:
    """A mainland line (six or more Han characters) in GBK inside a Big5 report, where the
    whole file is still valid Big5: the line must be named in a doubt, or the file refused."""
    rng = random.Random(seed)
    hant = _hk_lines(corpus, "big5")
    mainland = _mainland_lines(corpus)
    for _ in range(200):  # a line and a place whose bytes are valid Big5
        line = rng.choice(mainland)[: rng.randrange(8, 60)]
        if len(HAN.findall(line)) < 6:
            continue
        start = rng.randrange(len(hant) - 30) if len(hant) > 40 else 0
        before, after = hant[start : start + 15], hant[start + 15 : start + 30]
        data = ("\n".join(before) + "\n").encode("big5") + line.encode("gbk") + (
            "\n" + "\n".join(after) + "\n").encode("big5")
        try:
            data.decode("big5")
        except UnicodeDecodeError:
            continue
        break
    else:
        pytest.skip("no GBK line valid as Big5 found for this seed")
    figures.tried(f"big5-with-a-gbk-line-{seed}")
    number = len(before) + 1
    try:
        decoded = decode_bytes(data, name="mixed.txt")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    named = [w for w in decoded.warnings if "mixed encodings" in w and str(number) in w]
    if not named:
        figures.bad("silent_misdecodes", f"GBK line {number} in Big5 ({line[:20]}) not named")
    assert named, decoded.warnings


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE], ids=["le", "be"])
@pytest.mark.parametrize("text", [POLICY_HANS, POLICY_HANT, "Annual report 2024\n目录\n",
                                  POLICY_HANS[:7], "café, naïve\n"], ids=range(5))
def test_a_utf16_bom_before_utf8_is_scored(
    bom: bytes, text: str, figures: Figures
) -> None:
    figures.tried("stray-utf16-bom")
    decoded = decode_bytes(bom + text.encode("utf-8"), name="bom.txt")
    if decoded.text != text:
        figures.bad("silent_misdecodes", f"UTF-16 BOM + UTF-8 {text[:10]!r}: {decoded.encoding}")
    assert (decoded.text, decoded.encoding) == (text, "utf-8")
    assert any("byte-order mark" in w for w in decoded.warnings)
    # and real UTF-16 behind the same mark is still UTF-16
    codec = "utf-16-le" if bom == codecs.BOM_UTF16_LE else "utf-16-be"
    real = decode_bytes(bom + text.encode(codec), name="real.txt")
    assert (real.text, real.encoding, real.warnings) == (text, codec, ())


@pytest.mark.parametrize("seed", range(4))
def test_corpus_reports_in_their_legacy_encodings_get_no_doubt(
    seed: int, corpus: Path | None, figures: Figures
) -> None:
    """No false alarm from the new checks on real reports: every corpus report encoded as
    its region writes it decodes exactly, without a 'mixed encodings' doubt."""
    if corpus is None:
        pytest.skip("corpus not found")
    files = sorted(corpus.glob("*.txt"))[seed::4]
    for path in files:
        text = path.read_text("utf-8")
        codec = random.Random(path.name).choice(
            ("big5hkscs", "cp950") if "-zht" in path.name else ("gb18030", "gbk"))
        data = text.encode(codec, "replace")
        figures.tried(f"corpus-{codec}")
        decoded = decode_bytes(data, name=path.name)
        assert decoded.text == data.decode(codec), path.name
        assert not [w for w in decoded.warnings if "mixed" in w], (path.name, decoded.warnings)


# ---------------------------------------------------------------------------------------------
# Class 6: file names, output encodings, output that cannot be written

NAMES = [
    "报告2023.txt".encode("gbk"), "報告2023.txt".encode("big5"),
    "r\xe9sum\xe9.txt".encode("latin-1"), b"\xff\xfe-bad.txt",
]


@pytest.mark.parametrize("raw", NAMES, ids=["gbk", "big5", "latin1", "invalid"])
def test_names_that_are_not_utf8(
    raw: bytes, tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    folder = os.fsencode(tmp_path)
    a, b = raw, raw.replace(b".txt", b"-new.txt")
    with open(os.path.join(folder, a), "wb") as handle:
        handle.write(POLICY_HANS.encode("utf-8"))
    with open(os.path.join(folder, b), "wb") as handle:
        handle.write(POLICY_HANS.replace("5.2%", "5.5%").encode("utf-8"))
    names = [os.fsdecode(a), os.fsdecode(b)]
    for argv in (["align", *names, "--json", "a.json"], ["compare", *names, "-o", "out"],
                 ["sections", names[0]], ["diff", *names], ["phrases", *names]):
        result = run_cli(argv, env=env, cwd=tmp_path, timeout=120)
        figures.tried(f"name-{argv[0]}")
        if is_crash(result) or result.returncode not in (0, 1):
            figures.bad("crashes", result.describe())
        assert not is_crash(result) and result.returncode in (0, 1), result.describe()
    exported = json.loads((tmp_path / "a.json").read_text("utf-8"))
    assert [os.fsencode(d["path"]) for d in exported["documents"]] == [a, b]  # exact, escaped
    assert (tmp_path / "out" / "index.html").read_bytes().decode("utf-8")  # valid UTF-8


@pytest.mark.parametrize("encoding", ["gbk", "cp950", "ascii", "latin-1", "gb2312"])
@pytest.mark.parametrize("command", ["align", "diff", "sections", "phrases"])
def test_output_in_an_encoding_without_every_character(
    encoding: str, command: str, tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    (tmp_path / "a.txt").write_text(POLICY_HANS, "utf-8")
    (tmp_path / "b.txt").write_text(POLICY_HANS.replace("5.2%", "5.5%"), "utf-8")
    files = ["a.txt"] if command == "sections" else ["a.txt", "b.txt"]
    result = run_cli([command, *files], env=dict(env, PYTHONIOENCODING=encoding), cwd=tmp_path)
    figures.tried(f"stdout-{encoding}")
    if is_crash(result):
        figures.bad("crashes", result.describe())
    assert not is_crash(result) and result.returncode in (0, 1), result.describe()
    text = result.stdout.decode(encoding)  # what was written is that encoding
    if command == "align":
        assert "<->" in text or "⇄" in text


def _run_with_stdout(argv: list[str], stdout: int | None, cwd: Path,
                     env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """The CLI with stdout on a given descriptor, or closed (None)."""
    command = [sys.executable, "-m", "policydiff", *argv]
    if stdout is None:
        shell = " ".join(f"'{part}'" for part in command) + " >&-"
        return subprocess.run(["sh", "-c", shell], cwd=cwd, env=dict(env, PYTHONPATH=str(ROOT)),
                              stderr=subprocess.PIPE, timeout=120)
    return subprocess.run(command, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE,
                          timeout=120)


@pytest.mark.parametrize("where", ["dev-full", "closed"])
@pytest.mark.parametrize("command", ["align", "diff", "sections", "phrases"])
def test_output_that_cannot_be_written_is_one_line(
    where: str, command: str, tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    (tmp_path / "a.txt").write_text(POLICY_HANS, "utf-8")
    (tmp_path / "b.txt").write_text(POLICY_HANS.replace("5.2%", "5.5%"), "utf-8")
    files = ["a.txt"] if command == "sections" else ["a.txt", "b.txt"]
    if where == "dev-full":
        if not os.path.exists("/dev/full"):
            pytest.skip("no /dev/full here")
        with open("/dev/full", "wb") as full:
            done = _run_with_stdout([command, *files], full.fileno(), tmp_path, env)
    else:
        done = _run_with_stdout([command, *files], None, tmp_path, env)
    figures.tried(f"stdout-{where}")
    lines = [line for line in done.stderr.decode("utf-8", "replace").splitlines()
             if not line.startswith("policydiff: warning:")]
    ok = done.returncode == 2 and len(lines) == 1 and "standard output" in lines[0]
    if b"Traceback" in done.stderr or b"internal error" in done.stderr:
        figures.bad("crashes", f"{command} stdout {where}: {lines[-1:]}")
    elif not ok:
        figures.bad("bad_messages", f"{command} stdout {where}: {done.returncode} {lines}")
    assert ok, (done.returncode, lines)
