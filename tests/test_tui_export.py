"""Taking text out of the viewer (issue 15, item 4): export of the section pair or document
pair on screen as HTML, Markdown or plain text through the core's renderers, and copy of the
current change or section pair with file:line references.

From the seeds (all five loaded): seed 000 (d1) has "一是推进城市更新。聚焦“城市病”，提速城市更新、
“城市双修”，加快棚户区、老…" on line 2 (its first part is one long line); seed 001 (d2) has
"加快實(shí)施城市更新。狠抓城市路網(wǎng)建設(shè),…" on line 70; both name 老旧小区、城中村.
"""

from __future__ import annotations

import time
from pathlib import Path

from textual.widgets import RadioButton
from tui_helpers import SIZE, select_urban_renewal, settle

from policydiff_tui.app import make_app
from policydiff_tui.screens.export import ExportScreen


async def _export(app, pilot, scope: str, fmt: str) -> list[Path]:
    app.last_export = None
    await pilot.press("e")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    screen.query_one(f"#{scope}", RadioButton).value = True
    screen.query_one(f"#fmt-{fmt}", RadioButton).value = True
    await pilot.pause()
    await pilot.press("enter")
    deadline = time.monotonic() + 60
    while app.last_export is None and time.monotonic() < deadline:
        await pilot.pause(0.05)
    assert app.last_export is not None
    assert not app.last_export.error, app.last_export.error
    return app.last_export.paths


async def test_export_the_section_pair_and_the_document_pair(tmp_path: Path) -> None:
    app = make_app(export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await select_urban_renewal(app, pilot)
        main = app.main
        row = main.current
        assert row is not None and row.left is not None
        section = row.left.id
        (md,) = await _export(app, pilot, "section", "md")
        assert md.name == f"view-d1-d2-{section.replace('/', '-')}.md"
        text = md.read_text("utf-8")
        assert text.startswith("# d1 000 ⇄ d2 2023年曲靖市麒麟区政府工作报告—全文")
        assert "一是推进城市更新" in text and "加快实施城市更新" in text
        assert "~~" in text and "**" in text and "| d1 000 |" in text
        # only that section pair: d1's second part is not in it
        assert "第二，" not in text
        (txt,) = await _export(app, pilot, "section", "txt")
        assert txt.read_text("utf-8").startswith(f"== {section} 一是推进城市更新")
        (page,) = await _export(app, pilot, "pair", "html")
        assert page.name == "view-d1-d2.html"
        html = page.read_text("utf-8")
        assert html.startswith("<!DOCTYPE html>") and "<table" in html
        assert "第二，" in html  # every section pair of the two documents
        # the dialog remembers the last choice, and never overwrites without asking
        before = page.stat().st_mtime_ns
        app.last_export = None
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert (screen.scope, screen.fmt) == ("pair", "html")
        await pilot.press("enter")
        deadline = time.monotonic() + 30
        while app.last_export is None and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert app.last_export is not None and app.last_export.error
        assert page.stat().st_mtime_ns == before


async def test_copy_the_current_change_and_the_section_with_line_references() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await select_urban_renewal(app, pilot)
        main = app.main
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        copied = main.last_copy
        assert app.clipboard == copied
        # both sides, each under its document's tag and file:line; the first change is in
        # the first sentence of each: d1 line 2, d2 line 70, d2 as written (實施)
        assert copied.startswith("d1 000  000_fa4a5ba1074ac6cc.txt:2\n")
        assert "d2 2023年曲靖市麒麟区政府工作报告—全文  001_377fd206c21df32a.txt:70\n" in copied
        assert "一是推进城市更新。" in copied and "加快實施城市更新。" in copied
        assert "狠抓" not in copied  # one sentence, not the whole section
        await pilot.press("C")
        await pilot.pause()
        whole = main.last_copy
        assert app.clipboard == whole and len(whole) > len(copied)
        assert "老旧小区、城中村" in whole and "老舊小區、城中村" in whole
        assert "001_377fd206c21df32a.txt:70\n" in whole  # the section is one line of the file


def test_markdown_cells_keep_document_text_inert() -> None:
    from policydiff.render.markdown import escape

    # a table border, a link, a tag and a control character stay text
    assert escape("a|b [x](http://e) <b> \x1b]0;T") == (
        "a\\|b \\[x\\](http://e) \\<b\\> ␛\\]0;T"
    )
    assert escape("一\n二") == "一<br>二"


def test_an_export_follows_the_ignore_toggles(tmp_path: Path) -> None:
    """Two one-section reports that differ only in punctuation (，/；, written here by hand):
    the exported text shows the change by default, and none once punctuation is ignored
    (the ``i`` toggle sets ``ViewerSession.diff_options``; the export used the defaults)."""
    from dataclasses import replace

    from policydiff.comparison import compare
    from policydiff.config import Config
    from policydiff_tui.session import ViewerSession

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("一、推进城市更新\n加快棚户区改造，完善地下管网。\n", encoding="utf-8")
    b.write_text("一、推进城市更新\n加快棚户区改造；完善地下管网。\n", encoding="utf-8")
    session = ViewerSession(compare([a, b], Config(cache=False)))
    shown = session.render_view("d1", "d2", None, "txt")
    assert "加快棚户区改造[-，-]完善地下管网。" in shown
    assert "加快棚户区改造{+；+}完善地下管网。" in shown
    session.diff_options = replace(session.diff_options, ignore_punctuation=True)
    assert session.render_view("d1", "d2", None, "txt").strip() == "no differences"
