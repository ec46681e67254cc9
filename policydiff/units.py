"""The units of measure a figure ends with (``4.4万亿元``, ``1200万人``, ``5%``, ``2个百分点``):
the one list, for the figures a word diff keeps whole (``diffunits.NUMBER_RE``) and the
figures of the indicators table (``changes/indicators.FIGURE_RE``).

Units of time (``年``, ``月``, ``日``, ``岁``) are not in it: the diff keeps dates whole
(``diffunits``), the indicators table never reads a year or a date as a figure.
"""

from __future__ import annotations

MEASURE_UNITS = (
    "%", "％", "‰", "个百分点", "百分点", "元", "美元", "港元", "欧元", "倍",
    "吨", "公斤", "斤", "亩", "公里", "千米", "平方公里", "平方米", "立方米",
    "千瓦时", "千瓦", "瓦",
    "人次", "人", "户", "家", "所", "个", "项", "座", "套", "间", "辆", "台", "张", "天", "小时",
)
"""Units of measure after a number (with its magnitude: ``万亿``, ``亿``, ``万``)."""


def alternation(units: tuple[str, ...]) -> str:
    """``units`` as a regular-expression alternation, longest first (``千瓦时`` before
    ``千瓦``, ``个百分点`` before ``个``), so that a unit is read whole."""
    import re

    return "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
