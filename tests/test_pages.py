"""The HTML pages ``compare`` writes (index.html, phrases.html, diff-dA-dB.html), parsed with
``html.parser``: every link resolves, every section of both documents is on its pair page
(anchor and heading), sections of one side only are shown wholly deleted/inserted in their
place, nothing of a document's text is live markup, and which pair pages are written beyond
10 pairs. Facts about the documents were read from the texts (seeds 000/002, the national
reports 2024/2025)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policydiff.comparison import Comparison, compare
from policydiff.config import Config
from policydiff.outputs import comparison_outputs, page_pairs

EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
VOID = {"meta", "br", "link", "img", "input", "hr", "wbr"}


class Page(HTMLParser):
    """What a structural check needs of a page: ids (with the text inside each), links, tags,
    the text inside <ins> and <del>, and whether every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, int] = {}  # id -> position among the ids (document order)
        self.id_text: dict[str, str] = {}
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []
        self.inserted: list[str] = []
        self.deleted: list[str] = []
        self._stack: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        found = dict(attrs)
        self.attributes.update(name for name, _ in attrs)
        if found.get("href") is not None:
            self.hrefs.append(str(found["href"]))
        element_id = found.get("id")
        if element_id is not None:
            assert element_id not in self.ids, f"id {element_id} twice"
            self.ids[element_id] = len(self.ids)
            self.id_text[element_id] = ""
        if tag not in VOID:
            self._stack.append((tag, element_id))

    def handle_endtag(self, tag: str) -> None:
        assert self._stack and self._stack[-1][0] == tag, (tag, self._stack[-3:])
        self._stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for _tag, element_id in self._stack:
            if element_id is not None:
                self.id_text[element_id] += data
        tags = [tag for tag, _ in self._stack]
        if "ins" in tags:
            self.inserted.append(data)
        if "del" in tags:
            self.deleted.append(data)

    def anchor_of(self, text: str, doc: str = "") -> str:
        """The id of the one section anchor (of document ``doc``, if given) holding ``text``."""
        found = [i for i, t in self.id_text.items()
                 if text in t and re.fullmatch(rf"{doc or 'd[0-9]+'}-[0-9.]+", i)]
        assert len(found) == 1, (text, found)
        return found[0]


def parse(path: Path) -> Page:
    raw = path.read_text(encoding="utf-8")
    page = Page()
    page.feed(raw)
    page.close()
    assert page._stack == [], f"{path.name}: unclosed {page._stack}"
    return page


def check_folder(folder: Path) -> dict[str, Page]:
    """Parse every page of ``folder``; every link resolves (to an id of the same page, a file of
    the folder, an id of that file); nothing is fetched from elsewhere, nothing runs."""
    pages = {path.name: parse(path) for path in sorted(folder.glob("*.html"))}
    for name, page in pages.items():
        assert not page.tags & {"script", "iframe", "object", "embed", "img", "link", "form"}
        assert not {a for a in page.attributes if a.startswith("on")}, name
        assert "src" not in page.attributes
        raw = (folder / name).read_text(encoding="utf-8")
        assert "url(" not in raw and "@import" not in raw and "\x1b" not in raw
        for href in page.hrefs:
            assert not EXTERNAL.match(href), f"{name}: external link {href}"
            target, _, fragment = href.partition("#")
            if target:
                assert (folder / target).is_file(), f"{name}: {href} names no file"
            if fragment:
                other = pages[target] if target else page
                assert fragment in other.ids, f"{name}: {href} has no target"
    return pages


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policydiff", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def check_every_section(pages: dict[str, Page], comparison: Comparison, a: str, b: str) -> Page:
    """Every section of ``a`` and ``b`` has its anchor on their page, holding its heading."""
    page = pages[f"diff-{a}-{b}.html"]
    for doc in (comparison.document(a), comparison.document(b)):
        for sec in doc.sections:
            anchor = sec.id.replace("/", "-")
            assert anchor in page.ids, f"{sec.id} missing"
            assert sec.heading in page.id_text[anchor]
            assert sec.id in page.id_text[anchor]
    return page


# --------------------------------------------------------------------------- seeds


def test_seed_pages(tmp_path: Path, seed_files: dict[str, Path]) -> None:
    out = tmp_path / "out"
    proc = run("compare", str(seed_files["000"]), str(seed_files["002"]), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    pages = check_folder(out)
    # changes-d1-d2.html: the change report of the pair (issue 13), linked from the index
    assert set(pages) == {"index.html", "phrases.html", "diff-d1-d2.html", "changes-d1-d2.html"}
    index = pages["index.html"]
    assert {"diff-d1-d2.html", "phrases.html", "alignment.json", "changes-d1-d2.html"} <= set(
        index.hrefs
    )
    assert any(h.startswith("diff-d1-d2.html#") for h in index.hrefs)  # alignment rows
    for name in ("diff-d1-d2.html", "phrases.html", "changes-d1-d2.html"):
        assert "index.html" in pages[name].hrefs
    comparison = compare([seed_files["000"], seed_files["002"]], Config(cache=False))
    page = check_every_section(pages, comparison, "d1", "d2")
    # Seed 002 opens with 一、目前已开展的工作, which 000 (a plan, no review) does not have:
    # a section of B only, shown as inserted before the first matched pair after it.
    only_b = page.anchor_of("一、目前已开展的工作")
    assert only_b.startswith("d2-")
    assert "目前已开展的工作" in "".join(page.inserted)
    # The themes row of the index names sections that link into the pair page.
    assert "Themes" in "".join(index.text)


def test_standalone_diff_page_has_no_back_link(tmp_path: Path, seed_files: dict[str, Path]) -> None:
    target = tmp_path / "page.html"
    proc = run("diff", str(seed_files["000"]), str(seed_files["002"]), "--format", "html",
               "-o", str(target))
    assert proc.returncode == 1, proc.stderr
    page = parse(target)
    assert "index.html" not in page.hrefs
    assert all(h.startswith("#") for h in page.hrefs)
    assert all(h[1:] in page.ids for h in page.hrefs)


# --------------------------------------------------------------------------- hostile names


HOSTILE = '<script>alert("x")</script> & \'q\' "q" \x1b]0;pwned\x07'


def test_hostile_heading_and_file_name_are_inert(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    body = "坚持稳中求进工作总基调，推动高质量发展取得新成效。" * 3
    texts = [
        f"2024年政府工作报告{HOSTILE}\n\n一、{HOSTILE}发展目标\n\n{body}\n\n二、深化改革\n\n"
        f"{body}持续深化改革开放。\n",
        f"2025年政府工作报告{HOSTILE}\n\n一、{HOSTILE}发展目标\n\n{body}新增一句。\n\n"
        "二、扩大开放\n\n稳步扩大制度型开放。\n",
    ]
    paths = []
    for k, text in enumerate(texts):
        path = inputs / f"{k}{HOSTILE.replace('/', '_')}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / "out"
    proc = run("compare", *paths, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    pages = check_folder(out)  # no script tag, no \x1b anywhere, links resolve
    for name, page in pages.items():
        raw = (out / name).read_text(encoding="utf-8")
        assert "\x07" not in raw and "<script" not in raw, name
        shown = "".join(page.text)
        assert '<script>alert("x")</script>' in shown, name  # shown as text
        assert "␛]0;pwned␇" in shown, name  # the OSC made visible, not obeyed
    pair = pages["diff-d1-d2.html"]
    assert "\"q\"" in pair.id_text[pair.anchor_of("发展目标", "d1")]
    assert "&amp;" in (out / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- many documents


def six_paths(folder: Path) -> list[Path]:
    """The five seeds and a copy of the first: 6 documents, 15 pairs."""
    from policydiff.seeds import seed_paths

    paths = [Path(p) for p in seed_paths()]
    copy = folder / "copy-of-000.txt"
    shutil.copyfile(paths[0], copy)
    return [*paths, copy]


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    return compare(six_paths(tmp_path_factory.mktemp("six")), Config(cache=False))


@pytest.fixture(scope="module")
def six_series(six: Comparison) -> Comparison:
    """The same six documents with ``--series``: the inputs in order are one series."""
    return Comparison(six.documents, six.themes, Config(cache=False, series=True),
                      _tokens=dict(six._tokens))


def test_peers_beyond_ten_pairs_get_no_pages(six: Comparison) -> None:
    """The seeds have no year in their names (000_fa4a5ba1074ac6cc, …): peers, which get no
    change report per pair (only changes-distinctive) and so no pair page either."""
    assert len(six.pairs) == 15 and six.series() == []
    assert page_pairs(six) == []
    outputs = comparison_outputs(six)
    per_pair = [n for n in outputs.files if n.startswith(("diff-", "changes-"))
                and not n.startswith("changes-distinctive.")]
    assert per_pair == [] and "changes-distinctive.html" in outputs.files
    assert outputs.notes and "no series" in outputs.notes[0]


def test_pages_beyond_ten_pairs_follow_consecutive_order(
    six_series: Comparison, tmp_path: Path
) -> None:
    six = six_series
    assert len(six.pairs) == 15  # 6 documents, every pair aligned
    consecutive = [("d1", "d2"), ("d2", "d3"), ("d3", "d4"), ("d4", "d5"), ("d5", "d6")]
    assert page_pairs(six) == consecutive
    assert len(page_pairs(six, "all")) == 15 and page_pairs(six, "none") == []
    outputs = comparison_outputs(six)
    # one rule for the pages and the change reports: the same consecutive pairs
    assert [n for n in outputs.files if n.startswith("changes-") and n.endswith(".json")] == [
        f"changes-{a}-{b}.json" for a, b in consecutive
    ]
    assert [n for n in outputs.files if n.startswith("diff-")] == [
        f"diff-{a}-{b}.html" for a, b in consecutive
    ]
    assert outputs.notes and "consecutive" in outputs.notes[0]
    # Written by the command (in this process the phrase report's worker pool may hang after
    # other tests used OpenMP: the CLI sets OMP_NUM_THREADS=1, a test session cannot).
    out = tmp_path / "out"
    proc = run("compare", *map(str, six_paths(tmp_path)), "-o", str(out), "--series")
    assert proc.returncode == 0, proc.stderr
    assert "consecutive" in proc.stderr
    pages = check_folder(out)
    index = pages["index.html"]
    # The pair list: a row for every pair, links only to the pages written.
    linked = {h for h in index.hrefs if h.startswith("diff-")}
    assert {h.partition("#")[0] for h in linked} == {f"diff-{a}-{b}.html" for a, b in consecutive}
    text = "".join(index.text)
    assert text.count("d1 000") >= 5  # d1 in five pairs of the list
    check_every_section(pages, six, "d5", "d6")


def test_pages_beyond_ten_pairs_follow_the_reference(six: Comparison) -> None:
    with_ref = Comparison(six.documents, six.themes, six.config, ref="d3",
                          _tokens=dict(six._tokens))
    assert page_pairs(with_ref) == [("d3", "d1"), ("d3", "d2"), ("d3", "d4"), ("d3", "d5"),
                                    ("d3", "d6")]


def test_pair_pages_option(tmp_path: Path, seed_files: dict[str, Path]) -> None:
    out = tmp_path / "none"
    proc = run("compare", str(seed_files["000"]), str(seed_files["002"]), "-o", str(out),
               "--pair-pages", "none")
    assert proc.returncode == 0, proc.stderr
    pages = check_folder(out)
    # no pair pages; the change report of the pair (issue 13) is not a pair page
    assert set(pages) == {"index.html", "phrases.html", "changes-d1-d2.html"}
    assert "--pair-pages" in run("compare", "--help").stdout
    bad = run("compare", "--pair-pages", "some", "-o", str(tmp_path / "x"))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


# --------------------------------------------------------------------------- national reports


def test_national_pages(tmp_path: Path, corpus_dir: Path) -> None:
    paths = [corpus_dir / "national-2024.txt", corpus_dir / "national-2025.txt"]
    out = tmp_path / "out"
    proc = run("compare", *map(str, paths), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    pages = check_folder(out)
    comparison = compare(paths)
    page = check_every_section(pages, comparison, "d1", "d2")
    # 2025 has 持续用力推动房地产市场止跌回稳 as the first item of （六）有效防范化解重点领域风险;
    # 2024's （六） has no such item (its first is 稳妥有序处置风险隐患). On the page the item is
    # wholly inserted, after the row of the two （六） and before 稳妥有序处置风险隐患.
    housing = page.anchor_of("持续用力推动房地产市场止跌回稳")
    assert housing.startswith("d2-")
    six_2025 = page.anchor_of("有效防范化解重点领域风险，牢牢守住不发生系统性风险底线")
    risks_2024 = page.anchor_of("稳妥有序处置风险隐患")
    assert page.ids[six_2025] < page.ids[housing] < page.ids[risks_2024]
    inserted = "".join(page.inserted)
    for words in ("因城施策调减限制性措施", "加力实施城中村和危旧房改造", "“好房子”"):
        assert words in inserted
    index = pages["index.html"]
    assert f"diff-d1-d2.html#{housing}" in index.hrefs


def test_sections_inside_a_shown_pair_are_not_shown_twice(six_series: Comparison) -> None:
    """A section without a partner whose text is already inside a matched pair's table (a pair
    diffed whole because one side has no subsections) links to that pair instead."""
    from policydiff.render.html import pair_rows

    six = six_series
    found = 0
    for a, b in page_pairs(six):
        rows = pair_rows(six, a, b)
        by_id = {}
        for row in rows:
            for side in (row.left, row.right):
                if side is not None and side.anchored:
                    by_id[side.section_id.replace("/", "-")] = row
        for row in rows:
            if row.diff is not None:
                continue
            found += 1
            side = row.left or row.right
            assert side is not None
            doc = six.document(side.section_id.split("/")[0])
            start, end = doc.section(side.section_id).own_span
            holder = by_id[row.within]
            assert holder.diff is not None and holder.kind not in ("only-a", "only-b")
            shown = holder.diff.a if row.kind == "only-a" else holder.diff.b
            assert doc.text[start:end] in shown
            assert row.within_heading == holder.heading
    # 000 against 001 (d1-d2): 000's 第五， has items 一是坚持创新驱动, 二是提速“数字**”…; it
    # matches 001's 改革创新持续深化, which has no items, so 000's items are inside that pair.
    assert found >= 2
