"""How a section is named wherever it is shown: tables, diff headers, HTML pages."""

from __future__ import annotations

from policydiff.model import Section


def section_name(sec: Section) -> str:
    """``d1/3.2 （二）heading`` for a heading section, ``d1/0 [preamble]`` for the others."""
    if sec.kind != "heading":
        return f"{sec.id} [{sec.kind}]"
    return f"{sec.id} {sec.label}{sec.heading}"
