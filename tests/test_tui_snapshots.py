"""SVG snapshots of the viewer's screens on the seeds, at fixed terminal sizes.

One snapshot per screen and palette depth (``--palette``: the diff colours of 16, 256 and
truecolor terminals; an SVG itself is always drawn in truecolor, so the 256 and 16 sets show
exactly the palette colours the terminal gets). Each test's docstring says what its picture
must show; look at a new picture before accepting it.

The snapshots were generated with ``--snapshot-update`` after looking at them; regenerate them
the same way when the core's output (normalization, segmentation, alignment, phrases) or the
viewer's layout changes on purpose, and look at the new ones before committing.
"""

from __future__ import annotations

import time

from tui_helpers import SIZE, SMALL, open_change_report

from policydiff_tui.app import make_app


async def _settle(pilot) -> None:
    app = pilot.app
    deadline = time.monotonic() + 30
    await pilot.pause()
    while time.monotonic() < deadline and not (app.main.ready or app.error):
        await pilot.pause(0.02)
    await pilot.pause()


async def _at_row(pilot) -> None:
    await _settle(pilot)
    rows = pilot.app.main.rows
    index = next(
        k for k, r in enumerate(rows) if r.left is not None and r.left.heading == "推进城市更新"
    )
    pilot.app.main.section_list.select_index(index)
    await _settle(pilot)


def _main(snap_compare, palette: str, *, theme: str = "", size=SIZE) -> bool:
    async def run_before(pilot) -> None:
        if theme:
            pilot.app.theme = theme
        await _at_row(pilot)

    return snap_compare(make_app(palette=palette), terminal_size=size, run_before=run_before)


def test_main_screen(snap_compare) -> None:
    """Truecolor, dark: seed 000's 一是推进城市更新 against seed 001's 加快实施城市更新, which
    is shown in its own Traditional characters (老舊小區); the list on the left, the header
    with labels, similarity and counts, file:line references under the panes; changed runs
    tinted red (left) / green (right), their differing characters strong."""
    assert _main(snap_compare, "truecolor")


def test_main_screen_256(snap_compare) -> None:
    """256 colours, dark: the same view in xterm palette colours: the changed tint (dark
    red #5f0000 / dark green #005f00) visibly lighter than deleted #af0000 / inserted
    #008700; moved text, where there is any, blue #005faf."""
    assert _main(snap_compare, "256")


def test_main_screen_256_light(snap_compare) -> None:
    """256 colours, light theme: pale tints #ffd7d7 / #d7ffd7 against the strong #ff8787 /
    #87d787; the text stays readable (dark on light)."""
    assert _main(snap_compare, "256", theme="textual-light")


def test_main_screen_16(snap_compare) -> None:
    """16 colours: the changed tint is red / green text on the pane's background, deleted
    and inserted characters have ANSI red / green backgrounds."""
    assert _main(snap_compare, "16")


def _help(snap_compare, palette: str) -> bool:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    return snap_compare(make_app(palette=palette), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare) -> None:
    """Truecolor: every key with what it does (PgUp/PgDn scroll both panes, from the list
    too), then the legend whose samples are in the panes' own colours (two samples for
    changed and moved: left and right)."""
    assert _help(snap_compare, "truecolor")


def test_help_screen_256(snap_compare) -> None:
    """256 colours: the legend's samples in the same palette colours as the 256 main screen."""
    assert _help(snap_compare, "256")


def test_help_screen_16(snap_compare) -> None:
    """16 colours: the legend's samples in ANSI colours, changed as coloured text."""
    assert _help(snap_compare, "16")


def test_phrase_panel(snap_compare) -> None:
    """The phrase panel open at the right (Shared phrases (n)), its first phrase chosen and
    marked (bold, underlined, reversed) in both panes; the panes re-wrapped to their width
    (no clipped line)."""

    async def run_before(pilot) -> None:
        await _at_row(pilot)
        await pilot.press("f", "down")
        await _settle(pilot)

    assert snap_compare(make_app(palette="truecolor"), terminal_size=SIZE,
                        run_before=run_before)


def test_theme_matrix(snap_compare) -> None:
    """Themes × the five seeds: columns headed by the documents' labels, the left document
    marked ◀ and the right ▶, counts per cell, the documents listed under the table."""

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("m")
        await pilot.pause()

    assert snap_compare(make_app(palette="truecolor"), terminal_size=SIZE,
                        run_before=run_before)


def test_small_screen(snap_compare) -> None:
    """80×24, 256 colours: the section list hidden by itself, the two panes sharing the whole
    width (about 36 cells of text each), the header's short figures ending with the row
    position, the footer compact with ? Help first."""
    assert _main(snap_compare, "256", size=SMALL)


def test_inline_layout(snap_compare) -> None:
    """80×24, 256 colours, u pressed: one pane; unchanged rows once, each changed row's
    left lines (gutter -) and then its right lines (gutter +), the second pane hidden."""

    async def run_before(pilot) -> None:
        await _at_row(pilot)
        await pilot.press("u")
        await _settle(pilot)

    assert snap_compare(make_app(palette="256"), terminal_size=SMALL, run_before=run_before)


def test_pair_switcher(snap_compare) -> None:
    """The pair switcher over the five seeds with 麒麟 typed: the filter line, '4 of 10 pairs'
    as the list's title, the four pairs with d2 named by their tags and similarities."""

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"麒麟")
        deadline = time.monotonic() + 30
        screen = pilot.app.screen
        while time.monotonic() < deadline and len(screen.similarities) < len(screen.pairs):
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(make_app(palette="truecolor"), terminal_size=SIZE,
                        run_before=run_before)


def test_search_dialog(snap_compare) -> None:
    """The search dialog with 城市更新 typed: the hit count per document in the list's title,
    each hit with its document's tag and context, the match reversed; the 'all 5 documents'
    checkbox unticked."""

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"城市更新")
        await pilot.pause()

    assert snap_compare(make_app(palette="truecolor"), terminal_size=SIZE,
                        run_before=run_before)


def test_change_report(snap_compare) -> None:
    """The change report panel of seed 000 → seed 001: 'Targets (n)' first, each target as
    'name: old → new (direction)' with its file:line, then the new and dropped formulations;
    the first entry highlighted."""

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await open_change_report(pilot)

    assert snap_compare(make_app(palette="truecolor"), terminal_size=SIZE,
                        run_before=run_before)


def test_export_dialog(snap_compare) -> None:
    """The export dialog: 'this section pair: d1/…' chosen, then the document pair and the
    report files; HTML chosen among HTML, Markdown and plain text; the folder; overwrite
    unticked."""

    async def run_before(pilot) -> None:
        await _at_row(pilot)
        await pilot.press("e")
        await pilot.pause()

    assert snap_compare(make_app(palette="truecolor"), terminal_size=SIZE,
                        run_before=run_before)


def test_ignore_dialog(snap_compare) -> None:
    """The ignore dialog: four unticked boxes (punctuation, width, masks, whitespace), Apply
    and Cancel."""

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("i")
        await pilot.pause()

    assert snap_compare(make_app(palette="truecolor"), terminal_size=SIZE,
                        run_before=run_before)
