"""Invariants of ROBUSTNESS.md as Hypothesis properties, where the module tests do not already
state them (test_normalize: idempotence and the offset map; test_segment: tiling on marker
lines; test_diff: opcodes rebuild B; test_phrases: occurrences are real; test_textsafe and
test_tui: display safety; test_jsonload: the strict loader; test_io: decoding seed slices).

Here, on documents built from hostile lines (controls, bidi, CR, markup, mojibake, markers):
no Han character disappears unrecorded, sections tile the text, alignment lists every section
once and ``align(A, A)`` is the identity, the export round-trips byte for byte; decoding of
hostile text in every encoding is right or says so; ``write_atomic`` changes nothing but its
target; and a CLI error is one safe line whatever the file name.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from policydiff import cli
from policydiff.comparison import Comparison
from policydiff.decode import decode_bytes
from policydiff.document import build_document
from policydiff.errors import InputError, OutputError
from policydiff.files import write_atomic
from policydiff.formats.alignment import alignment_json, load_alignment
from policydiff.formats.jsontext import dumps
from policydiff.normalize import normalize
from policydiff.textsafe import has_unsafe
from policydiff.themes import load_themes

from .figures import Figures
from .harness import alignment_errors, han_characters_lost, offset_map_errors, tiling_errors

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

HOSTILE_LINES = [
    "一、总体要求", "（一）加快建设现代化产业体系。推动产业升级。", "二、重点任务",
    "一是推进城市更新。二是强化精细管理。", "——经济运行总体平稳。", "1.建设都市科创新地标。",
    "各位代表！让我们团结奋斗。", "第一，建设宜居城市。", "2026年重点工作", "中", "x", "",
    "过去一年，我们坚持稳中求进工作总基调，经济社会发展取得新成效，人民生活持续改善。",
    "\x1b]0;标题\x07正文\x1b[2J清屏", "[/b]标记[@click=app.quit]点击", "文字\u202e颠倒\u202c顺序",
    "安全\r危险", "\u3000\u3000缩进的段落。", "\f", "锟斤拷锟斤拷", "零宽\u200b空格\u00a0不换行",
    "\x00空字符\x7f删除\x9b控制", "字面\\u001b文字", "（二）推进“放管服”改革\r\n", "三、\t",
]  # fmt: skip
documents = st.lists(st.sampled_from(HOSTILE_LINES), max_size=14).map("\n".join)


@pytest.fixture(scope="module")
def themes() -> tuple:
    return load_themes()


@SETTINGS
@given(source=documents)
def test_documents_lose_no_han_character_and_sections_tile(
    source: str, figures: Figures
) -> None:
    figures.generated()
    normal = normalize(source)
    lost, off_map = han_characters_lost(normal), offset_map_errors(normal)
    doc = build_document(source, doc_id="d1", path="x.txt")
    gaps = tiling_errors(doc)
    figures.bad("characters_lost", f"generated {source!r:.80}: {lost}+{off_map}+{gaps}",
                lost + off_map + gaps)
    assert lost == 0 and off_map == 0 and gaps == 0


@SETTINGS
@given(a=documents, b=documents)
def test_alignment_lists_every_section_once_and_self_alignment_is_identity(
    a: str, b: str, themes: tuple, figures: Figures
) -> None:
    figures.generated()
    docs = [build_document(text, doc_id=f"d{k}", path=f"{k}.txt", themes=themes)
            for k, text in enumerate((a, b, a), 1)]
    comparison = Comparison(docs, themes)
    errors = alignment_errors(comparison.alignment("d1", "d2"), docs[0], docs[1])
    same = comparison.alignment("d1", "d3")
    identity = {(m.a[3:], m.b[3:], m.kind, m.score) for m in same.matches}
    expected = {(s.id[3:], s.id[3:], "match", 1.0) for s in docs[0].sections}
    not_identity = identity != expected or bool(same.unmatched_a or same.unmatched_b)
    figures.bad("sections_lost", f"generated pair {a!r:.60}/{b!r:.60}: {errors} listed wrongly",
                errors)
    figures.bad("sections_lost", f"align(A, A) of {a!r:.80} is not the identity",
                int(not_identity))
    assert errors == 0 and not not_identity


@SETTINGS
@given(a=documents, b=documents)
def test_export_round_trips_byte_for_byte(
    a: str, b: str, themes: tuple, figures: Figures, tmp_path: Path
) -> None:
    figures.generated()
    docs = [build_document(text, doc_id=f"d{k}", path=f"{k}.txt", sha256="0" * 64,
                           themes=themes) for k, text in enumerate((a, b), 1)]
    comparison = Comparison(docs, themes)
    text = dumps(alignment_json(comparison))
    path = tmp_path / "alignment.json"
    path.write_text(text, "utf-8")
    loaded = load_alignment(path, check_inputs=False)
    rebuilt = dumps(alignment_json(Comparison(docs, themes)))
    ok = loaded == json.loads(text) and dumps(loaded) == text and rebuilt == text
    if not ok:
        figures.bad("records_lost", f"export of {a!r:.60}/{b!r:.60} does not round-trip")
    assert ok


CODECS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk", "big5")
PROSE = ["深化改革开放，推动高质量发展。", "全面推进乡村振兴，加快建设农业强国。", "政府工作報告"]
hostile_text = st.lists(st.sampled_from([*HOSTILE_LINES, *PROSE]), min_size=1, max_size=8).map(
    "\n".join
)


@SETTINGS
@given(text=hostile_text, codec=st.sampled_from(CODECS))
def test_decoding_hostile_text_is_right_or_says_so(
    text: str, codec: str, figures: Figures
) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        return
    figures.generated()
    try:
        decoded = decode_bytes(data, name="x.txt")
    except InputError as exc:
        assert "\n" not in str(exc) and "x.txt" in str(exc)
        return
    truth = text.removeprefix("\ufeff")
    silent = decoded.text != truth and not decoded.warnings
    figures.bad("silent_misdecodes", f"{codec} {text!r:.60} read as {decoded.encoding}",
                int(silent))
    assert not silent


COMPONENTS = ("a", "b", "..", ".", "out", "link_out", "link_in", "in.txt", "exists.json",
              "new.json", "fifo")


def _tree(root: Path) -> dict[str, tuple[object, ...]]:
    entries: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = os.lstat(path)
            key = str(path.relative_to(root))
            if stat.S_ISREG(info.st_mode):
                entries[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            elif stat.S_ISLNK(info.st_mode):
                entries[key] = ("link", os.readlink(path))
            else:
                entries[key] = ("dir" if stat.S_ISDIR(info.st_mode) else "other",)
    return entries


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(st.sampled_from(COMPONENTS), min_size=1, max_size=4),
       force=st.booleans(), payload=st.binary(max_size=64))
@example(parts=["link_out", "..", "..", "exists.json"], force=False, payload=b"x")  # via the link
def test_writes_change_nothing_but_their_target(
    parts: list[str], force: bool, payload: bytes, figures: Figures
) -> None:
    """Whatever path is asked for: either refused with nothing changed, or the one file at the
    path (resolved) is written, plus the folders created on the way, and nothing else —
    never an input, never through a final symbolic link, never over a file without force."""
    figures.generated()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        work = root / "x" / "y" / "z" / "work"  # deep enough that '..' stays inside root
        (work / "out").mkdir(parents=True)
        outside = root / "o" / "o" / "o" / "outside"  # link_out/../../.. stays inside root too
        outside.mkdir(parents=True)
        (outside / "secret.txt").write_text("secret", "utf-8")
        (work / "in.txt").write_text("input", "utf-8")
        (work / "exists.json").write_text("old", "utf-8")
        os.symlink(outside, work / "link_out")
        os.symlink(work / "in.txt", work / "link_in")
        os.mkfifo(work / "fifo")
        target = Path(os.path.join(work, *parts))
        before = _tree(root)
        was_link = os.path.islink(target)
        existed = os.path.lexists(target)
        try:
            write_atomic(target, payload, force=force, protect=[work / "in.txt"])
        except OutputError as exc:
            refused, message = True, str(exc)
        else:
            refused, message = False, ""
        after = _tree(root)
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        real = Path(os.path.realpath(target))
        # A generated name such as ".." resolves outside the case folder: nothing there may change.
        resolved = (
            str(real.relative_to(root.resolve())) if real.is_relative_to(root.resolve()) else ""
        )
        if refused:
            unsafe = changed
            assert "\n" not in message
        else:
            created_dirs = {k for k in changed if after.get(k) == ("dir",) and k not in before}
            unsafe = changed - created_dirs - {resolved}
            if was_link or resolved == "x/y/z/work/in.txt" or (existed and not force):
                unsafe = unsafe | {resolved}
            if after.get(resolved) != ("file", hashlib.sha256(payload).hexdigest()):
                unsafe = unsafe | {f"{resolved} (not the payload)"}
        unsafe |= {k for k in after if ".policydiff-" in k}
        figures.bad("unsafe_writes", f"write_atomic({'/'.join(parts)}, force={force}): "
                    f"{sorted(unsafe)}", len(unsafe))
        assert not unsafe, (parts, force, message, sorted(unsafe))


file_names = st.text(
    alphabet=st.sampled_from("政府报告ab./ \x1b[]0;\x07\x9b\n\t\r\u202e\x00"), min_size=1,
    max_size=20,
).filter(lambda s: "\x00" not in s)


@SETTINGS
@given(name=file_names, command=st.sampled_from(["normalize", "sections", "align", "phrases"]))
def test_an_error_is_one_safe_line_whatever_the_file_name(
    name: str, command: str, figures: Figures, tmp_path: Path
) -> None:
    figures.generated()
    missing = str(tmp_path / "missing" / name)
    argv = [command, missing] + ([missing] if command in ("align", "phrases") else [])
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(argv)
    lines = err.getvalue().splitlines()
    bad = code != 2 or len(lines) != 1 or has_unsafe(err.getvalue())
    if bad:
        figures.bad("bad_messages", f"{command} {name!r}: exit {code}, {lines!r:.200}")
    raw = sum(err.getvalue().count(c) for c in ("\x1b", "\x9b", "\x07"))
    figures.bad("raw_control_bytes_on_terminal", f"message for {name!r}", raw)
    assert not bad and raw == 0, lines


def test_bom_variants_are_the_same_text() -> None:
    """A UTF-8, UTF-16 LE and UTF-16 BE byte-order mark each decide and are removed."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        assert decode_bytes(bom + "一、总体要求".encode(codec), name="x").text == "一、总体要求"
