"""What the corpus knows about each input: path, year, region, level (and more columns).

A manifest is a CSV file with a header holding at least ``path``; ``year``, ``region`` and
``level`` are read when present, every other column is kept as it is (``extra``). Paths are
relative to the manifest's folder. Without a manifest (or where a cell is empty) the year and
the region come from the document itself (``labels.year_of``, ``labels.place_of``: title,
dateline, file name) and the level (``level_of``) from the lowest of the columns ``county``
and ``prefecture`` filled in (a county's row may name its prefecture too), else from the
region's name: ``national`` for 全国,
``province`` for a province-level name (``labels.is_province_level``), ``county`` for a name
ending in 县, 旗 or 区 (自治县, 林区 …), ``prefecture`` for one ending in 市, 州, 盟 or 地区
(a county-level city, 县级市, needs its level in the manifest), else empty (unknown).

Rules: a manifest without a ``path`` column, with a year that is not a number, or naming the
same path twice is refused in one line (``InputError``), before any document is read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policydiff.errors import InputError

if TYPE_CHECKING:
    from policydiff.model import Document

NATIONAL_LEVEL = "national"
PROVINCE_LEVEL = "province"
PREFECTURE_LEVEL = "prefecture"
COUNTY_LEVEL = "county"
LEVEL_COLUMNS = (("county", COUNTY_LEVEL), ("prefecture", PREFECTURE_LEVEL))
"""Manifest columns that, filled in, give the level of a row without one."""
COUNTY_ENDS = ("县", "旗", "区")
PREFECTURE_ENDS = ("市", "州", "盟", "地区")
KNOWN_COLUMNS = ("path", "year", "region", "level")


@dataclass(frozen=True)
class Entry:
    """One input: its path and what the manifest says about it (empty: not said)."""

    path: str
    year: int | None = None
    region: str = ""
    level: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def entries_of_files(files: list[str]) -> list[Entry]:
    """Inputs given on the command line: nothing known yet."""
    return [Entry(path=name) for name in files]


def read_manifest(path: str) -> list[Entry]:
    """The entries of a manifest CSV (see the module docstring)."""
    from policydiff.decode import read_text

    text = read_text(path).text
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or "path" not in [c.strip() for c in rows[0]]:
        raise InputError(f"{path}: a manifest needs a header with a path column "
                         "(path,year,region,level)")
    header = [c.strip() for c in rows[0]]
    folder = Path(path).parent
    entries: list[Entry] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        name = cells.get("path", "")
        if not name:
            raise InputError(f"{path}:{number}: empty path")
        full = str(folder / name) if not Path(name).is_absolute() else name
        if full in seen:
            raise InputError(f"{path}:{number}: {name} is listed twice")
        seen.add(full)
        entries.append(Entry(
            path=full, year=_year(cells.get("year", ""), f"{path}:{number}"),
            region=cells.get("region", ""), level=cells.get("level", ""),
            extra={k: v for k, v in cells.items() if k not in KNOWN_COLUMNS},
        ))
    return entries


def _year(cell: str, where: str) -> int | None:
    if not cell:
        return None
    if not cell.isdigit() or not 1900 <= int(cell) <= 2200:
        raise InputError(f"{where}: year {cell!r} is not a year")
    return int(cell)


def describe(entry: Entry, doc: Document) -> tuple[int | None, str, str]:
    """Year, region and level of a read document: the manifest's, else from the document."""
    from policydiff.labels import place_of, year_of

    year = entry.year
    if year is None:
        found = year_of(doc)
        year = int(found) if found else None
    region = entry.region or place_of(doc) or ""
    return year, region, entry.level or level_of(region, entry.extra)


def level_of(region: str, extra: dict[str, str]) -> str:
    """The level of a document whose manifest row names none (rules in the module
    docstring)."""
    from policydiff.labels import NATIONAL, is_province_level

    for column, level in LEVEL_COLUMNS:
        if extra.get(column, "").strip():
            return level
    if not region:
        return ""
    if region == NATIONAL:
        return NATIONAL_LEVEL
    if is_province_level(region):
        return PROVINCE_LEVEL
    if region.endswith(COUNTY_ENDS):
        return COUNTY_LEVEL
    if region.endswith(PREFECTURE_ENDS):
        return PREFECTURE_LEVEL
    return ""
