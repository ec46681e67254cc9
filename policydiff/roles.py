"""Part roles: what each top-level part of a report is for (and so every section below it).

A report is a sequence of parts that do different jobs: a preamble, a review of the past year
or five years, the targets and policy orientation of the coming year (总体要求、预期目标、
政策取向), the targets of a five-year plan (``five_year``: in the report of the plan's first
year, ``"十三五"时期发展成就和"十四五"时期主要目标任务``, or a plan proposal), the guiding
principles (指导思想、基本方略), the tasks or plan, the chapters of a plan or congress report,
a closing. Hong Kong policy addresses are a row of topical chapters
(经济, 房屋, 扶贫安老, 教育 …), each with its own role. The aligner pairs sections whose roles
are compatible (``compatible``) and links a plan to the later review of it separately
(``REVIEWED_IN``: this year's tasks ⇄ next year's review).

Rules:
- A top-level part's role comes from its heading (first matching rule of ``_PART_RULES``, or
  a Hong Kong chapter rule); a headless part from its kind (preamble, closing, body).
- A targets part whose heading or sub-headings name a five-year plan (``_PLAN_PERIOD``) is
  ``five_year``: not parallel to one year's targets.
- Every section below a part has the part's role.
- A part no rule names is a ``chapter`` (tasks and chapters are both the plan) in a report
  where some part is a review or the targets (its structure is known: national and congress
  reports), else a ``part``: a role not known, compatible with every role (the seeds' styled
  headings, ``第一，突出形态转变…``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from policydiff.model import Document, Section

ROLES = (
    "preamble", "review", "targets", "five_year", "principles", "tasks", "chapter", "part",
    "closing", "body",
)
"""The roles of mainland reports; Hong Kong chapters have ``hk:<topic>`` roles (``HK_TOPICS``)."""

_PART_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 二、2024年经济社会发展总体要求和政策取向 / 二、今年发展主要目标… / 二、2017年工作总体部署 /
    # 二、"十三五"时期发展成就和"十四五"时期主要目标任务 / 三、新时代新征程中国共产党的使命任务
    (
        "targets",
        re.compile(r"总体要求|政策取向|预期目标|主要目标|总体部署|使命|目标任务|新征程|的目标|新要求"),
    ),
    # 三、新时代中国特色社会主义思想和基本方略 / 二、夺取中国特色社会主义新胜利 / 指导思想
    (
        "principles",
        re.compile(r"指导思想|基本方略|思想和|新境界|中国特色社会主义新胜利|科学发展观|历史进程"),
    ),
    # 一、2024年工作回顾 / 一、过去五年的工作和历史性变革 / 一、目前已开展的工作
    (
        "review",
        re.compile(r"回顾|回望|过去.{0,4}年|工作和|工作总结|基本总结|取得新成效|已开展的工作|年来|发展成就|主要成绩"),
    ),
    # 三、2024年政府工作任务 / 三、对2018年政府工作的建议 / 三、2021年重点工作
    ("tasks", re.compile(r"工作任务|重点工作|工作的建议|工作建议|工作安排|主要任务|重点任务")),
)

_PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五")
"""A five-year plan's name (``“十四五”``): a targets part whose heading or sub-headings name one
sets the targets of a five-year plan (``five_year``)."""

REVIEW_HEADING_RE = dict(_PART_RULES)["review"]
"""A heading of the review of the past (its figures are results, not targets; the one rule,
also used by ``changes/``)."""

HK_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hk:intro", re.compile(r"引言")),
    ("hk:closing", re.compile(r"结语")),
    ("hk:governance", re.compile(r"政制|行政|管治")),
    ("hk:welfare", re.compile(r"扶贫|安老|助弱|关怀|福利|退休保障")),
    ("hk:housing", re.compile(r"房屋|土地")),
    ("hk:transport", re.compile(r"交通")),
    ("hk:environment", re.compile(r"环保|保育")),
    ("hk:education", re.compile(r"教育|培育下一代|青少年")),
    ("hk:health", re.compile(r"医疗")),
    ("hk:culture", re.compile(r"文康|文化|体育|市政")),
    ("hk:population", re.compile(r"人口")),
    ("hk:economy", re.compile(r"经济|一带一路|创新及科技")),
)
"""Hong Kong chapters by topic; a chapter has every topic its heading names
(``（五）土地房屋與交通運輸`` is ``hk:housing+transport``)."""

_PLAN = frozenset({"tasks", "chapter"})
_NAMED = frozenset({"review", "targets", "five_year", "principles", "tasks"})

REVIEWED_IN = "reviewed_in"
"""The kind of a link from a plan (tasks, chapters) of one report to the review of a later one
(``Alignment.reviewed_in``); never one of the parallel matches."""


def is_hong_kong(doc: Document) -> bool:
    """A Hong Kong policy address: its parts are numbered ``（一）`` and one is 引言 or 结语
    (``（一）引言`` … ``（十）结语``)."""
    parts = [s for s in doc.root.children if s.kind == "heading"]
    return bool(parts) and all(s.label.startswith(("（", "(")) for s in parts) and any(
        s.heading in ("引言", "结语") for s in parts
    )


def part_role(part: Section, *, hong_kong: bool = False, known: bool = True) -> str:
    """The role of a top-level part (see the module docstring); ``known``: the report's
    structure is known (a part no rule names is then a ``chapter``, else a ``part``)."""
    if part.kind in ("preamble", "closing", "body"):
        return part.kind
    if part.kind == "continuation" or not part.heading:
        return "body"
    if hong_kong:
        topics = [role[3:] for role, pattern in HK_TOPICS if pattern.search(part.heading)]
        return "hk:" + "+".join(topics) if topics else "chapter"
    for role, pattern in _PART_RULES:
        if pattern.search(part.heading):
            if role == "targets" and any(
                _PLAN_PERIOD.search(s.heading) for s in (part, *part.children)
            ):
                return "five_year"
            return role
    return "chapter" if known else "part"


def section_roles(doc: Document) -> dict[str, str]:
    """The role of every section of a document, by section id (the part's role, inherited)."""
    hong_kong = is_hong_kong(doc)
    named = [part_role(part) for part in doc.root.children]
    known = bool({"review", "targets", "five_year"} & set(named))
    roles: dict[str, str] = {}
    for part in doc.root.children:
        role = part_role(part, hong_kong=hong_kong, known=known)
        for sec in part.walk():
            roles[sec.id] = role
    return roles


def compatible(a: str, b: str, below_part: bool = False) -> bool:
    """Whether sections of roles ``a`` and ``b`` can be parallel matches; ``below_part``: one
    of the two sections is below its top-level part.

    Equal roles are; so are the plan roles (tasks, chapter) with each other; Hong Kong
    chapters sharing a topic; ``body`` (a
    document without headings) and ``part`` (role not known) are compatible with everything;
    a generic ``chapter`` with any Hong Kong topic. Below the chapters any two Hong Kong
    topics are: the sub-headings of Hong Kong addresses move between chapters (2013's
    ``發展大嶼山`` under housing is 2014's ``大嶼山`` under the economy), only the chapters
    themselves are held to their topic. Targets and principles are not parallel: a
    congress report's mission (``新时代中国共产党的历史使命``) and its guiding thought (``…思想
    和基本方略``) are different parts, whose headings share words (新时代).
    """
    if a == b or "body" in (a, b) or "part" in (a, b):
        return True
    if a in _PLAN and b in _PLAN:
        return True
    if a.startswith("hk:") and b.startswith("hk:"):
        return below_part or bool(set(a[3:].split("+")) & set(b[3:].split("+")))
    return (a == "chapter" and b.startswith("hk:")) or (b == "chapter" and a.startswith("hk:"))


def reviewed_in(a: str, b: str, below_part: bool = False) -> bool:
    """Whether a section of role ``a`` (earlier report) can be reviewed in one of role ``b``
    (later report): a plan in a review, at any level (``below_part`` does not matter)."""
    return a in _PLAN and b == "review"


def same_named_role(a: str, b: str, below_part: bool = False) -> bool:
    """Whether two top-level parts share a named role, which is evidence that they are
    parallel (both reviews, both targets, principles or tasks, or Hong Kong chapters of the
    same topics); False below the parts and for the other roles (a preamble's and a
    closing's missing heading already counts as equal to another's)."""
    return not below_part and a == b and (a in _NAMED or a.startswith("hk:"))


def role_codes(roles: Mapping[str, str], ids: list[str]) -> list[str]:
    """The roles of ``ids`` in order (``body`` for an id without a role)."""
    return [roles.get(i, "body") for i in ids]
