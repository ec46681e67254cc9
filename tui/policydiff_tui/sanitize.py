"""The only place where document text becomes display content.

Document text is untrusted: a report may hold escape sequences (``ESC ]0;…`` retitles the
window, ``ESC ]52;…`` writes the clipboard, C1 ``CSI`` U+009B, NUL, CR overwrites) and text that
looks like Textual markup (``[/b]`` crashes a markup parser, ``[@click=app.quit]`` becomes a live
action link). So every string that came from a document — body text, headings, titles, paths,
phrases, search hits — goes through this module before any widget sees it.

Rules:
- Output is always a ``textual.content.Content`` built from plain text with styled spans; no
  text is ever parsed as markup, and widgets are given ``Content``, never ``str`` (a ``str``
  handed to ``Static`` or ``OptionList`` would be parsed as markup).
- Unsafe characters are replaced by the placeholders of ``policydiff.textsafe.visible`` (the one
  table of what is unsafe) and the placeholders carry the ``placeholder`` style, so the reader
  sees that something was there; nothing is dropped silently.
- A tab becomes one space (its width would otherwise depend on the column), and in single-line
  contexts (``line``) a newline becomes one space: both keep offsets one to one.
- Spans given in offsets of the ORIGINAL text stay on the same characters after replacement
  (a placeholder longer than one character is covered whole when its character is).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.content import Content, Span
from textual.style import Style

from policydiff.textsafe import has_unsafe, visible

__all__ = ["StyledSpan", "join", "line", "plain", "rich_text", "safe_str", "styled", "truncate"]

StyledSpan = tuple[int, int, Style | str]
"""``(start, end, style)`` in offsets of the original text, end exclusive."""

_TAB = str.maketrans({"\t": " "})
_ONE_LINE = str.maketrans({"\t": " ", "\n": " "})


def _map_offsets(text: str) -> tuple[str, list[int] | None, list[tuple[int, int]]]:
    """The visible text, the offset map (original offset -> visible offset, ``len(text) + 1``
    entries; ``None`` when nothing changed) and the placeholder spans in visible offsets."""
    if not has_unsafe(text):
        return text, None, []
    offsets: list[int] = []
    parts: list[str] = []
    placeholders: list[tuple[int, int]] = []
    position = 0
    for char in text:
        offsets.append(position)
        shown = visible(char)
        parts.append(shown)
        if shown != char:
            placeholders.append((position, position + len(shown)))
        position += len(shown)
    offsets.append(position)
    return "".join(parts), offsets, placeholders


def styled(
    text: str,
    spans: Iterable[StyledSpan] = (),
    *,
    base: Style | str = "",
    placeholder: Style | str = "reverse",
    one_line: bool = False,
) -> Content:
    """``text`` as display content, with ``spans`` (original offsets) applied in order.

    ``base`` styles the whole text first; ``placeholder`` styles each control-character
    placeholder last, so it stays visible whatever diff colour it sits in.
    """
    text = text.translate(_ONE_LINE if one_line else _TAB)
    shown, offsets, placeholders = _map_offsets(text)
    out: list[Span] = []
    if base and shown:
        out.append(Span(0, len(shown), base))
    for start, end, style in spans:
        if offsets is not None:
            start = offsets[max(0, min(start, len(text)))]
            end = offsets[max(0, min(end, len(text)))]
        if end > start and style:
            out.append(Span(start, end, style))
    if placeholder:
        out.extend(Span(start, end, placeholder) for start, end in placeholders)
    # The text is already safe; Content must not strip anything more (offsets would move).
    return Content(shown, out, strip_control_codes=False)


def plain(text: str, style: Style | str = "") -> Content:
    """``text`` (which may span lines) as content in one style."""
    return styled(text, base=style)


def line(text: str, style: Style | str = "") -> Content:
    """``text`` on one line (newlines and tabs become spaces) in one style: for headings,
    titles, paths, phrases and list rows."""
    return styled(text, base=style, one_line=True)


def truncate(content: Content, width: int, *, ellipsis: bool = True, pad: bool = False) -> Content:
    """``content`` cut to at most ``width`` cells (with an ellipsis when something was cut
    and ``ellipsis``), padded with spaces to exactly ``width`` when ``pad``."""
    if content.cell_length > width:
        content = content.truncate(max(1, width), ellipsis=ellipsis)
    if pad and content.cell_length < width:
        content = content.pad_right(width - content.cell_length)
    return content


def safe_str(text: str) -> str:
    """``text`` made safe as a plain ``str``, for the Textual APIs that take one (a
    notification with ``markup=False``); never hand such an API document text otherwise."""
    return visible(text.translate(_TAB))


def rich_text(text: str) -> Text:
    """``text`` on one line as a Rich ``Text`` (built plain, never from markup), for the
    Textual widgets that measure cells with Rich (``DataTable``)."""
    return Text(visible(text.translate(_ONE_LINE)), end="")


def join(parts: Sequence[Content | str | tuple[str, Style | str]]) -> Content:
    """Assemble app-written labels (``str``, plain text, never markup) and sanitized content.

    ``str`` parts must be text this program wrote, not document text.
    """
    return Content.assemble(*parts, strip_control_codes=False)
