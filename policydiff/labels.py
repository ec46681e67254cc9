"""The label of each document of a comparison: the one short name people see for it.

Given labels (``--label NAME``, in input order) are kept; the others are derived from what
tells the documents apart:

1. the place, when the documents name at least two different ones: a province-level region
   by its short name (北京市 → 北京, 内蒙古自治区 → 内蒙古, 广西壮族自治区 → 广西, 香港特别行政区
   → 香港), or 全国 for a national report. It is looked for in the title, then in the header
   lines before the salutation (the dateline ``——2026年1月28日在云南省第十四届人民代表大会…``),
   then in the file name (``prov-2026-yunnan.txt``, ``hk-policy-address-2014.txt``);
2. the year, when the documents have at least two different ones and their titles are the
   same once numbers and notes in brackets are left out (a national series: 2024, 2025; 党的
   十九大 and 二十大 reports: 2017, 2022): from the
   title, the dateline (also ``二〇二六年``), then the file name;
3. otherwise the title (leading dashes trimmed, at most 24 characters), or the file name
   without its extension (nor a trailing content hash) when there is no title.

Labels that still collide get the file name (``2025 (national-2025-npc-resolution)``), and the
document id when that is not enough either: labels are always distinct.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath

from policydiff.decode import STDIN_NAME
from policydiff.errors import InputError
from policydiff.model import Document
from policydiff.textsafe import one_line, visible

__all__ = ["MAX_LABEL", "check_labels", "derive_labels", "place_of", "year_in_name", "year_of"]

MAX_LABEL = 40
"""The longest label accepted with ``--label`` (a label is a column name, not a title)."""

# Short name, the full names it is written as (Simplified and Traditional), and file-name words.
_REGIONS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("北京", ("北京市",), ("beijing",)),
    ("天津", ("天津市",), ("tianjin",)),
    ("上海", ("上海市",), ("shanghai",)),
    ("重庆", ("重庆市", "重慶市"), ("chongqing",)),
    ("河北", ("河北省",), ("hebei",)),
    ("山西", ("山西省",), ("shanxi",)),
    ("辽宁", ("辽宁省", "遼寧省"), ("liaoning",)),
    ("吉林", ("吉林省",), ("jilin",)),
    ("黑龙江", ("黑龙江省", "黑龍江省"), ("heilongjiang",)),
    ("江苏", ("江苏省", "江蘇省"), ("jiangsu",)),
    ("浙江", ("浙江省",), ("zhejiang",)),
    ("安徽", ("安徽省",), ("anhui",)),
    ("福建", ("福建省",), ("fujian",)),
    ("江西", ("江西省",), ("jiangxi",)),
    ("山东", ("山东省", "山東省"), ("shandong",)),
    ("河南", ("河南省",), ("henan",)),
    ("湖北", ("湖北省",), ("hubei",)),
    ("湖南", ("湖南省",), ("hunan",)),
    ("广东", ("广东省", "廣東省"), ("guangdong",)),
    ("海南", ("海南省",), ("hainan",)),
    ("四川", ("四川省",), ("sichuan",)),
    ("贵州", ("贵州省", "貴州省"), ("guizhou",)),
    ("云南", ("云南省", "雲南省"), ("yunnan",)),
    ("陕西", ("陕西省", "陝西省"), ("shaanxi",)),
    ("甘肃", ("甘肃省", "甘肅省"), ("gansu",)),
    ("青海", ("青海省",), ("qinghai",)),
    ("台湾", ("台湾省", "台灣省", "臺灣"), ("taiwan",)),
    ("内蒙古", ("内蒙古自治区", "內蒙古自治區"), ("neimenggu", "neimeng", "innermongolia")),
    ("广西", ("广西壮族自治区", "廣西壯族自治區"), ("guangxi",)),
    ("西藏", ("西藏自治区", "西藏自治區"), ("xizang", "tibet")),
    ("宁夏", ("宁夏回族自治区", "寧夏回族自治區"), ("ningxia",)),
    ("新疆", ("新疆维吾尔自治区", "新疆維吾爾自治區"), ("xinjiang",)),
    ("香港", ("香港特别行政区", "香港特別行政區"), ("hk", "hongkong", "xianggang")),
    ("澳门", ("澳门特别行政区", "澳門特別行政區", "澳門"), ("macau", "macao", "aomen")),
)
NATIONAL = "全国"
_NATIONAL_MARKS = ("全国人民代表大会", "全國人民代表大會", "代表国务院", "代表國務院")
_NATIONAL_WORDS = ("national", "quanguo", "guowuyuan")

# Every way a region is written, longest first (内蒙古自治区 before 内蒙古), to its short name.
_NAMES = sorted(
    {name: short for short, full, _ in _REGIONS for name in (*full, short)}.items(),
    key=lambda item: -len(item[0]),
)
_NAME_RE = re.compile("|".join(re.escape(name) for name, _ in _NAMES))
_SHORT_OF = dict(_NAMES)
_WORDS = {word: short for short, _, words in _REGIONS for word in words} | dict.fromkeys(
    _NATIONAL_WORDS, NATIONAL
)

_HEADER_CHARS = 300
SALUTATIONS = ("各位代表", "代表们", "各位委员", "各位议员", "各位議員", "同志们", "同志們")
"""How a report addresses its audience (各位代表！): the one list (the header ends at one; the
change report's summary cuts a closing part after one, ``changes/summary.ADDRESS_RE``)."""
_SALUTATION = re.compile("|".join(SALUTATIONS) + "|主席[、，：:]")
YEAR_RE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
"""A year as digits (1950–2099) not inside a longer number: the one rule for a year in a name
or title (``year_in_name``; the change report's ``document_year``)."""
_HAN_DIGITS = {ch: str(k) for k, ch in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_HAN_YEAR_RE = re.compile(r"([〇零一二三四五六七八九]{4})年")
_DATELINE_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)年\d{1,2}月\d{1,2}日")
_BRACKETS = re.compile(r"[（(【\[〔][^）)】\]〕]*[）)】\]〕]")
_NUMBERS = re.compile(r"[0-9〇零一二三四五六七八九十百]+")
_HASH_SUFFIX = re.compile(r"[-_.][0-9a-f]{8,}$")
_TITLE_CHARS = 24
_TRIM = "——―—-–－ 　:：,，.。「」“”《》"


def derive_labels(docs: Sequence[Document], given: Sequence[str] = ()) -> list[str]:
    """One label per document, in order: ``given`` for the first ones, derived for the rest
    (see the module docstring); all distinct."""
    check_labels(given, len(docs))
    places = [place_of(doc) for doc in docs]
    years = [year_of(doc) for doc in docs]
    titles = [_title_of(doc) for doc in docs]
    use_place = len({p for p in places if p}) >= 2
    kinds = {_NUMBERS.sub("", _BRACKETS.sub("", t)).strip(_TRIM) for t in titles if t}
    use_year = len({y for y in years if y}) >= 2 and len(kinds) <= 1
    labels: list[str] = []
    for k, doc in enumerate(docs):
        if k < len(given):
            labels.append(given[k])
            continue
        parts = [places[k] if use_place else None, years[k] if use_year else None]
        labels.append(" ".join(p for p in parts if p) or titles[k] or _stem(doc.path) or doc.id)
    return _distinct(labels, docs, len(given))


def check_labels(given: Sequence[str], count: int) -> None:
    """Refuse, in one line, labels that cannot name documents: more than ``count``, empty,
    too long, holding control characters or line breaks, or one label given twice."""
    if len(given) > count:
        raise InputError(
            f"{len(given)} labels for {count} documents; give at most one --label per document"
        )
    seen: set[str] = set()
    for label in given:
        shown = one_line(label)
        if not label.strip():
            raise InputError("--label: a label cannot be empty")
        if len(label) > MAX_LABEL:
            raise InputError(f"--label {shown}: longer than {MAX_LABEL} characters")
        if any(not ch.isprintable() for ch in label):
            raise InputError(f"--label {shown}: holds control characters or line breaks")
        if label in seen:
            raise InputError(f"--label {shown}: given twice; labels must tell documents apart")
        seen.add(label)


def is_province_level(name: str) -> bool:
    """Whether ``name`` is a province-level region as written (``河北``, ``河北省``,
    ``广西壮族自治区``, ``重庆市``)."""
    return name in _SHORT_OF


def place_of(doc: Document) -> str | None:
    """The region a document is about (short name, or ``全国``), or None when none is named."""
    found = _NAME_RE.search(doc.title)
    if found:
        return _SHORT_OF[found.group()]
    header = _header(doc.text)
    found = _NAME_RE.search(header)
    if found:
        return _SHORT_OF[found.group()]
    if any(mark in doc.text[:_HEADER_CHARS] for mark in _NATIONAL_MARKS):
        return NATIONAL
    for word in re.split(r"[^a-z]+", _stem(doc.path).lower()):
        if word in _WORDS:
            return _WORDS[word]
    return None


def year_of(doc: Document) -> str | None:
    """The year of a document: in its title, its dateline, or its file name; else None."""
    found = YEAR_RE.search(doc.title)
    if found:
        return found.group(1)
    header = _header(doc.text)
    found = _DATELINE_RE.search(header)
    if found:
        return found.group(1)
    han = _HAN_YEAR_RE.search(header)
    if han:
        return "".join(_HAN_DIGITS[ch] for ch in han.group(1))
    found = YEAR_RE.search(_stem(doc.path))
    return found.group(1) if found else None


def year_in_name(path: str) -> int | None:
    """The year in a file name (``national-2024.txt``: 2024), or None."""
    found = YEAR_RE.search(_stem(path))
    return int(found.group(1)) if found else None


def informative_title(doc: Document, docs: Sequence[Document] = ()) -> str:
    """``doc``'s title where it says more than the label beside it, else "": not when it has
    none (its title is the file name), when it holds the label or the tag holds it (2026年安徽省
    政府工作报告 beside 安徽), nor when another of ``docs`` has the same title (政府工作报告)."""
    title = doc.title
    if not title or title == doc.file_stem or doc.label in title or title in doc.tag:
        return ""
    if any(other is not doc and other.title == title for other in docs):
        return ""
    return title


def _header(text: str) -> str:
    """The lines before the salutation (title, dateline, speaker), at most 300 characters."""
    head = text[:_HEADER_CHARS]
    found = _SALUTATION.search(head)
    return head[: found.start()] if found else head


def _title_of(doc: Document) -> str:
    """The title as a label: trimmed of leading dashes and brackets; empty when the document
    has no title line (its title is then the file name)."""
    if doc.title == doc.file_stem:
        return ""
    title = doc.title.strip(_TRIM)
    return title if len(title) <= _TITLE_CHARS else title[: _TITLE_CHARS - 1] + "…"


def _stem(path: str) -> str:
    """The file name without its extension nor a trailing content hash (``000_fa4a5ba1…`` is
    ``000``)."""
    if path == STDIN_NAME:
        return "stdin"
    stem = PurePath(path).stem if path else ""
    if path.startswith(("/dev/fd/", "/proc/self/fd/")) and stem.isdigit():
        return f"fd{stem}"  # a pipe of process substitution, <(…)
    return visible(_HASH_SUFFIX.sub("", stem) or stem)


def _distinct(labels: list[str], docs: Sequence[Document], fixed: int) -> list[str]:
    """Derived labels that collide (with each other or a given one) get the file name, or the
    document id when the file names do not tell them apart either."""
    out = list(labels)
    groups: dict[str, list[int]] = {}
    for k, label in enumerate(labels):
        groups.setdefault(label, []).append(k)
    for label, members in groups.items():
        derived = [k for k in members if k >= fixed]
        if len(members) < 2 or not derived:
            continue
        stems = [_stem(docs[k].path) for k in derived]
        by_stem = len(set(stems)) == len(stems) and all(stems) and label not in stems
        for k, stem in zip(derived, stems, strict=True):
            out[k] = f"{label} ({stem if by_stem else docs[k].id})"
    taken = Counter(out)
    return [f"{label} ({docs[k].id})" if taken[label] > 1 else label for k, label in enumerate(out)]
