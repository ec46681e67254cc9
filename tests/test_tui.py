"""The viewer: display safety, section rows, and the app driven with Pilot (and in a real pty).

The layout rules (rows, wrapping, widths) are tested with the other renderers in test_layout.py.

Every app is built with ``policydiff_tui.app.make_app``, the factory the command uses.
Expectations come from reading the seeds: seed 000 (d1) has seven parts 第一，…第七，, its first
part's item 一是推进城市更新 is the only place it mentions 城中村, and seed 001 (d2) is the
麒麟区 report.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import select
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.binding import Binding
from textual.widgets import Input, OptionList
from tui_helpers import FIRST_TWO, ROOT, SIZE, pane_text, select_urban_renewal, settle

from policydiff_tui import sanitize
from policydiff_tui.app import make_app
from policydiff_tui.pairs import build_rows
from policydiff_tui.widgets.diff_pane import DiffPane

CANARY_TEXT = (
    "第一，标题[/b]里的方括号\n"
    "正文[@click=app.quit]点击\x1b]0;PWNED\x07之后\x1b[2JCLEAR-CANARY清屏"
    "\x1b]52;c;UFdORUQ=\x07剪贴板\x9b31mC1-CANARY\x00空字符\x7f删除\r回车\n"
    "第二，第二部分[red]红色[/red]保持原样。\n"
)
HOSTILE_NAME = "hostile\x1b]0;PWNED\x07\x9b.txt"
RAW_CANARIES = (
    b"\x1b]0;PWNED",
    b"\x1b]52;c;UFdORUQ=",
    b"\x1b[2JCLEAR-CANARY",
    b"\xc2\x9b31mC1-CANARY",
    b"\x00",
)


# --------------------------------------------------------------------------- sanitize


def test_markup_in_document_text_stays_text() -> None:
    content = sanitize.line("[/b][@click=app.quit]退出[red]红[/red]")
    assert content.plain == "[/b][@click=app.quit]退出[red]红[/red]"
    assert not content.spans


def test_control_characters_become_placeholders() -> None:
    content = sanitize.styled("安全\r危险\x1b]0;T\x07\x9b\x00\x7f")
    assert content.plain == "安全␍危险␛]0;T␇⟨U+009B⟩␀␡"
    assert all(span.style == "reverse" for span in content.spans)
    assert len(content.spans) == 6


def test_spans_follow_their_characters_past_placeholders() -> None:
    # "甲" at 0, C1 at 1 (shown as 8 characters), "乙丙" at 2-4
    content = sanitize.styled("甲\x9b乙丙", [(2, 4, "bold")], placeholder="")
    bold = [content.plain[s.start : s.end] for s in content.spans]
    assert bold == ["乙丙"]


@settings(max_examples=80, deadline=None)
@given(st.text(st.sampled_from("中文\n\t a[]/@=\x00\x07\x1b\x9b\x7f\r\u202e"), max_size=40))
def test_no_control_character_reaches_the_display(text: str) -> None:
    shown = sanitize.styled(text).plain
    assert not any(
        (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in shown
    )
    assert sanitize.line(text).plain.count("\n") == 0


# --------------------------------------------------------------------------- section rows


def test_every_section_has_a_row(seed_files) -> None:
    from policydiff.comparison import compare

    comparison = compare([seed_files["000"], seed_files["002"]])
    d1, d2 = comparison.documents
    rows = build_rows(comparison.alignment("d1", "d2"), d1, d2, mirrored=False)
    assert {r.left.id for r in rows if r.left} == {s.id for s in d1.sections}
    assert {r.right.id for r in rows if r.right} == {s.id for s in d2.sections}
    mirrored = build_rows(comparison.alignment("d1", "d2"), d2, d1, mirrored=True)
    assert {r.left.id for r in mirrored if r.left} == {s.id for s in d2.sections}
    # own spans tile each document
    spans = sorted(s.own_span for s in d1.sections)
    assert spans[-1][1] <= len(d1.text)
    assert all(x[1] == y[0] for x, y in itertools.pairwise(spans))


# --------------------------------------------------------------------------- Pilot


async def test_opens_the_seeds_and_moves_through_pairs() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        comparison = main.comparison
        assert comparison is not None
        assert len(comparison.documents) == 5
        assert (main.left, main.right) == ("d1", "d2")
        assert main.section_list.highlighted == 0
        # d1's seven parts, 第一，… 第七，, are listed in order (a split lists a part twice)
        parts = [r.left.label for r in main.rows if r.left is not None and r.left.level == 1]
        assert list(dict.fromkeys(p for p in parts if p)) == [
            "第一，", "第二，", "第三，", "第四，", "第五，", "第六，", "第七，"]
        first_left = main.rows[0].left
        assert first_left is not None
        assert first_left.kind == "preamble"
        first = main.current
        await pilot.press("j")
        await settle(app, pilot)
        assert main.current == main.rows[1] != first
        await pilot.press("down", "down")
        await settle(app, pilot)
        assert main.current == main.rows[3]
        await pilot.press("k")
        await settle(app, pilot)
        assert main.current == main.rows[2]
        # the panes show the current pair's own text, as written (seed 001 is Traditional)
        row = main.current
        assert row is not None
        text = pane_text(app, "left") + pane_text(app, "right")
        sec = row.left or row.right
        assert sec is not None
        doc = comparison.document(main.left if row.left else main.right)
        start, _end = doc.normalization.to_source((sec.own_span[0], sec.own_span[0] + 4))
        assert doc.source_text[start : start + 4] in text.replace("\n", "")


async def test_keys_are_answered_while_the_documents_load() -> None:
    from textual import events

    from policydiff_tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        # Pilot.press waits for the process to go idle, i.e. for the workers: post the key.
        app.post_message(events.Key("question_mark", "?"))
        deadline = time.monotonic() + 5
        while not isinstance(app.screen, HelpScreen) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert isinstance(app.screen, HelpScreen)
        assert not app.main.ready, "the help opened only after all the work was done"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.main.current is not None


async def test_next_change_moves_the_change_cursor() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        # the first pair is the two preambles: they differ
        layout = main.side_by_side.current_layout
        assert layout is not None
        assert layout.changes
        await pilot.press("n")
        await settle(app, pilot)
        assert main.side_by_side.change_index == 0
        assert "▶" in pane_text(app, "left") + pane_text(app, "right")


async def test_panes_scroll_together_and_tab_moves_between_them(tmp_path: Path) -> None:
    # one long paragraph on each side, different enough to wrap to different heights
    a = tmp_path / "a.txt"
    a.write_text("第一，长段落\n" + "加快建设现代化产业体系，" * 300 + "\n", "utf-8")
    b = tmp_path / "b.txt"
    b.write_text("第一，长段落\n" + "加快建设现代化产业体系和新质生产力，" * 250 + "\n", "utf-8")
    app = make_app([a, b])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        main.section_list.select_index(
            next(k for k, r in enumerate(main.rows) if r.left and r.left.heading == "长段落")
        )
        await settle(app, pilot)
        left = main.query_one("#left-pane")
        right = main.query_one("#right-pane")
        assert left.has_focus
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        assert left.scroll_y > 0 and right.scroll_y == left.scroll_y
        await pilot.press("tab")
        assert right.has_focus
        await pilot.press("pageup")
        await pilot.pause()
        assert right.scroll_y == left.scroll_y
        await pilot.press("shift+tab")
        assert left.has_focus


async def test_choosing_a_shared_phrase_marks_it_on_both_sides() -> None:
    # With all five seeds, d1's 一是推进城市更新 is matched with d2's 加快实施城市更新; both
    # texts name 老旧小区、城中村.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        await select_urban_renewal(app, pilot)
        current = main.current
        assert current is not None and current.right is not None
        assert current.right.heading == "加快实施城市更新"
        await pilot.press("f")
        await pilot.pause()
        texts = [p.text for p in main.pair_phrases]
        assert "老旧小区、城中村" in texts
        main.phrase_panel.highlighted = texts.index("老旧小区、城中村")
        await pilot.pause()
        current = main.current
        assert current is not None
        a_text, b_text = main._texts(current)
        left, right = main.side_by_side.overlays
        marked_a = {a_text[s:e] for s, e, role in left if role == "phrase-current"}
        marked_b = {b_text[s:e] for s, e, role in right if role == "phrase-current"}
        # d2 (seed 001) is written in Traditional characters: its text shows as written,
        # "老舊小區(qū)、城中村、城郊結…" without the pinyin the normalizer strips, and the
        # mark covers the same characters there
        assert marked_a == {"老旧小区、城中村"}
        assert marked_b == {"老舊小區、城中村"}


async def test_search_jumps_to_the_hit_and_marks_it() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"城中村")
        await pilot.pause()
        from policydiff_tui.screens.search import SearchScreen

        search = app.screen
        assert isinstance(search, SearchScreen)
        hits = search.hits
        assert [doc for doc, _ in hits] == ["d1", "d2"]
        await pilot.press("enter")
        await settle(app, pilot)
        main = app.main
        assert main.search_query == "城中村"
        current = main.current
        assert current is not None and current.left is not None
        assert current.left.label + current.left.heading == "一是推进城市更新"
        left, _right = main.side_by_side.overlays
        assert any(role == "search" for *_span, role in left)
        # an empty query closed with Escape clears the marks
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one("Input", Input).value = ""
        await pilot.press("escape")
        await pilot.pause()
        assert main.search_query == ""
        left, right = main.side_by_side.overlays
        assert not any(role == "search" for *_span, role in left + right)


async def test_theme_filter_keeps_only_that_theme() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await pilot.pause()
        from policydiff_tui.screens.theme_filter import ThemeFilterScreen

        screen = app.screen
        assert isinstance(screen, ThemeFilterScreen)
        options = screen.query_one("OptionList", OptionList)
        options.highlighted = [t.id for t in screen.themes].index("industry") + 1
        await pilot.press("enter")
        await settle(app, pilot)
        main = app.main
        assert main.theme_filter == "industry"
        headings = [r.left.heading for r in main.rows if r.left is not None]
        assert "聚力速效同增、量质兼备，培育更具实力的工业优势" in headings
        assert "推进城市更新" not in headings
        assert main.header.theme_label == "产业发展"
        # "all themes" brings every row back
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("home", "enter")
        await settle(app, pilot)
        assert main.theme_filter is None and len(main.rows) == len(main.all_rows)


async def test_swap_mirrors_the_pair() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        await pilot.press("j", "j")
        await settle(app, pilot)
        before = main.current
        assert before is not None
        await pilot.press("s")
        await settle(app, pilot)
        assert (main.left, main.right) == ("d2", "d1")
        current = main.current
        assert current is not None
        assert (current.left, current.right) == (before.right, before.left)
        assert len(main.all_rows) == len(
            [r for r in main.all_rows if r.left is not None or r.right is not None]
        )


async def test_switching_pairs_among_five_documents() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        comparison = main.comparison
        assert comparison is not None
        assert len(comparison.pairs) == 10
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert (main.left, main.right) == ("d1", "d3")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert (main.left, main.right) == ("d1", "d4")
        # theme matrix: the cursor starts in the right document's column; two columns further
        # right is d5 (hidden d-columns come after "theme")
        await pilot.press("m")
        await pilot.pause()
        from policydiff_tui.screens.theme_matrix import ThemeMatrixScreen

        assert isinstance(app.screen, ThemeMatrixScreen)
        await pilot.press("right", "down", "enter")
        await settle(app, pilot)
        assert (main.left, main.right) == ("d1", "d5")
        second_theme = comparison.themes[1].id
        assert main.theme_filter == second_theme


async def test_export_writes_alignment_and_phrase_report(tmp_path: Path) -> None:
    app = make_app(export_dir=tmp_path / "out")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        # the report files (the dialog proposes the section pair on screen first)
        from textual.widgets import RadioButton

        app.screen.query_one("#report", RadioButton).value = True
        await pilot.pause()
        await pilot.press("enter")
        deadline = time.monotonic() + 60
        while app.last_export is None and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert app.last_export is not None and not app.last_export.error
        names = sorted(p.name for p in app.last_export.paths)
        assert names == ["alignment.json", "phrases.json", "phrases.md"]
        data = json.loads((tmp_path / "out" / "alignment.json").read_text("utf-8"))
        assert data["schema"] == "policydiff/alignment@2"
        assert [Path(d["path"]).name for d in data["documents"]] == sorted(
            p.name for p in (ROOT / "seeds").glob("*.txt")
        )
        assert len(data["pairs"]) == 10
        phrases = json.loads((tmp_path / "out" / "phrases.json").read_text("utf-8"))
        assert phrases["schema"] == "policydiff/phrases@1"
        # a second export into the same folder refuses to overwrite
        before = (tmp_path / "out" / "alignment.json").stat().st_mtime_ns
        app.last_export = None
        app.main.export(tmp_path / "out")
        while app.last_export is None and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert app.last_export is not None
        assert app.last_export.error
        assert (tmp_path / "out" / "alignment.json").stat().st_mtime_ns == before


async def test_reopens_an_export_and_refuses_a_changed_input(tmp_path: Path, seed_files) -> None:
    from policydiff.comparison import compare
    from policydiff.formats.alignment import alignment_json
    from policydiff.formats.jsontext import dumps

    inputs = [tmp_path / "a.txt", tmp_path / "b.txt"]
    shutil.copy(seed_files["000"], inputs[0])
    shutil.copy(seed_files["002"], inputs[1])
    export = tmp_path / "alignment.json"
    export.write_text(dumps(alignment_json(compare(inputs))), "utf-8")

    app = make_app(from_json=export)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        comparison = app.main.comparison
        assert comparison is not None
        assert [Path(d.path).name for d in comparison.documents] == ["a.txt", "b.txt"]

    inputs[1].write_text(inputs[1].read_text("utf-8") + "\n新增一段。\n", "utf-8")
    app = make_app(from_json=export)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "changed" in app.error and "b.txt" in app.error
        assert app.main.comparison is None


async def test_hostile_document_is_shown_as_text(tmp_path: Path) -> None:
    # The normalizer drops control characters from the text (and says so); the file name keeps
    # them, and the header shows it: both paths must end as plain, visible text.
    hostile = tmp_path / HOSTILE_NAME
    hostile.write_bytes(CANARY_TEXT.encode("utf-8"))
    other = tmp_path / "other.txt"
    other.write_text("第一，标题里的方括号\n正文。\n第二，第二部分保持原样。\n", "utf-8")
    app = make_app([hostile, other])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        shown = ""
        for index in range(len(main.rows)):
            main.section_list.select_index(index)
            await settle(app, pilot)
            shown += pane_text(app, "left")
        assert "[/b]" in shown and "[@click=app.quit]" in shown and "[red]" in shown
        assert "]0;PWNED" in shown and "CLEAR-CANARY" in shown
        header = main.header.render().plain
        assert "hostile␛]0;PWNED␇⟨U+009B⟩.txt" in header
        for text in (shown, header):
            assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in text)
        assert app.is_running


async def test_help_and_command_palette_list_every_action() -> None:
    from policydiff_tui.screens.main import MainScreen

    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from policydiff_tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.main)}
        bindings = [b for b in MainScreen.BINDINGS if isinstance(b, Binding)]
        assert len(bindings) == len(MainScreen.BINDINGS)
        assert {b.description for b in bindings} <= titles


async def test_a_theme_change_recolours_the_diff() -> None:
    # on a truecolor terminal the diff colours are blends of the theme's (at 256 and 16
    # colours they are fixed palette colours: test_tui_colours)
    app = make_app(FIRST_TWO, palette="truecolor")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.main.query_one("#left-pane", DiffPane)
        before = pane.role_styles()["deleted"]
        app.theme = "gruvbox"
        await pilot.pause()
        await pilot.pause()
        after = pane.role_styles()["deleted"]
        assert before.background != after.background
        assert app.main.section_list.option_count == len(app.main.rows)


# --------------------------------------------------------------------------- real terminal


def _read_until(fd: int, deadline: float, want: bytes | None) -> bytes:
    out = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if want is not None and want in out:
            break
    return out


def test_terminal_receives_no_raw_control_sequences(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    hostile = tmp_path / HOSTILE_NAME
    hostile.write_bytes(CANARY_TEXT.encode("utf-8"))
    other = tmp_path / "other.txt"
    other.write_text("第一，标题里的方括号\n正文。\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color", "COLUMNS": "120",
           "LINES": "36"}
    try:
        pid, fd = pty.fork()
    except OSError as exc:
        pytest.skip(f"no pty: {exc}")
    if pid == 0:
        os.chdir(ROOT)
        os.execve(
            sys.executable, [sys.executable, "-m", "policydiff", "view", str(hostile), str(other)],
            env,
        )
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
        placeholder = "␛".encode()
        output = _read_until(fd, time.monotonic() + 30, placeholder)
        assert placeholder in output, "the first screen never showed the document"
        output += _read_until(fd, time.monotonic() + 1.0, None)
        assert os.waitpid(pid, os.WNOHANG) == (0, 0), "the app exited on its own"
        os.write(fd, b"q")
        output += _read_until(fd, time.monotonic() + 15, None)
        _, status = os.waitpid(pid, 0)
        pid = 0
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    tail = output[-2000:].decode("utf-8", "replace")
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, (status, tail)
    for canary in RAW_CANARIES:
        assert output.count(canary) == 0, canary
    assert output.count(placeholder) >= 1
    assert "⟨U+009B⟩".encode() in output, tail
