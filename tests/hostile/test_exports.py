"""Export files read back: a real alignment export, then broken variants of it, through
``policydiff.formats.alignment.load_alignment`` and ``policydiff view --from`` (a subprocess; a
refused export must end with exit code 2 and one line before the viewer takes over the screen).

Also: an export round-trips (``load(dump(x)) == x``) and two runs write byte-identical files.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from policydiff.errors import ExportError
from policydiff.formats.alignment import load_alignment

from .cases import POLICY_HANS
from .figures import Figures
from .harness import is_crash, message_problems, placeholders, raw_canaries, run_cli, run_in_pty


@dataclass(frozen=True)
class ExportCase:
    """A variant of a good export (``make(good_text, folder) -> bytes``) and its outcome."""

    name: str
    make: Callable[[str, Path], bytes]
    expect: str  # "accept" or "refuse"
    fragment: str = ""


def _edit(change: Callable[[dict], None]) -> Callable[[str, Path], bytes]:
    def make(text: str, folder: Path) -> bytes:
        data = json.loads(text)
        change(data)
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    return make


def _past_the_end(data: dict) -> None:
    doc = data["documents"][0]
    doc["sections"][-1]["span"][1] = doc["chars"] + 50


def _wrong_schema(data: dict) -> None:
    data["schema"] = "policydiff/alignment@999"  # a version this tool does not know


def _no_path(data: dict) -> None:
    del data["documents"][1]["path"]


def _documents_not_objects(data: dict) -> None:
    data["documents"] = ["d1", "d2"]


def _unknown_section(data: dict) -> None:
    data["pairs"][0]["matches"][0]["a"] = "d1/99.99"


def _input_is_a_fifo(text: str, folder: Path) -> bytes:
    fifo = folder / "fifo-input.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    data = json.loads(text)
    data["documents"][1]["path"] = str(fifo)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _stale(text: str, folder: Path) -> bytes:
    """The export of a copy of the inputs, one of which is then edited."""
    data = json.loads(text)
    copy = folder / "stale-b.txt"
    shutil.copy(data["documents"][1]["path"], copy)
    data["documents"][1]["path"] = str(copy)
    copy.write_text(copy.read_text("utf-8") + "\n新增一段。\n", "utf-8")
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _duplicate_key(text: str, folder: Path) -> bytes:
    return text.replace('"schema": ', '"schema": "x", "schema": ', 1).encode("utf-8")


def _nan(text: str, folder: Path) -> bytes:
    return text.replace('"score": 1.0', '"score": NaN', 1).encode("utf-8")


EXPORT_CASES = (
    ExportCase("good", lambda t, f: t.encode("utf-8"), "accept"),
    ExportCase("bom-prefixed", lambda t, f: b"\xef\xbb\xbf" + t.encode("utf-8"), "accept"),
    ExportCase("truncated", lambda t, f: t.encode("utf-8")[: len(t) // 2], "refuse",
               "invalid JSON"),
    ExportCase("brackets-100000", lambda t, f: b"[" * 100_000, "refuse", "nested deeper"),
    ExportCase("duplicate-keys", _duplicate_key, "refuse", "duplicate key"),
    ExportCase("nan", _nan, "refuse", "NaN is not allowed"),
    ExportCase("wrong-schema-version", _edit(_wrong_schema), "refuse", "schema is"),
    ExportCase("offsets-past-the-end", _edit(_past_the_end), "refuse", "past the text"),
    ExportCase("stale-hash", _stale, "refuse", "has changed"),
    ExportCase("empty", lambda t, f: b"", "refuse", "invalid JSON"),
    ExportCase("not-utf8", lambda t, f: t.encode("utf-16"), "refuse", "not UTF-8"),
    ExportCase("a-pdf", lambda t, f: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "refuse", "not UTF-8"),
    ExportCase("not-an-object", lambda t, f: b"[1, 2, 3]", "refuse", "expected a JSON object"),
    ExportCase("document-without-path", _edit(_no_path), "refuse", "no id, path or sha256"),
    ExportCase("documents-not-objects", _edit(_documents_not_objects), "refuse",
               "no id, path or sha256"),
    ExportCase("unknown-section", _edit(_unknown_section), "refuse", "unknown sections"),
    ExportCase("input-is-a-fifo", _input_is_a_fifo, "refuse", "not a regular file"),
)


@dataclass(frozen=True)
class Exports:
    folder: Path
    a: Path
    b: Path
    text: str  # the export written by the first run
    second: str  # and by the second


@pytest.fixture(scope="module")
def exports(sandbox: Path, env: dict[str, str]) -> Exports:
    """A real export of two small reports, written by the CLI twice (it must not differ)."""
    folder = sandbox / "exports"
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text(POLICY_HANS, "utf-8")
    b.write_text(POLICY_HANS.replace("三、加强", "一、加强").replace("5.2%", "5.5%"), "utf-8")
    first = run_cli(["align", str(a), str(b), "--json", str(folder / "first.json")],
                    env=env, cwd=folder)
    second = run_cli(["align", str(a), str(b), "--json", str(folder / "second.json")],
                     env=env, cwd=folder)
    assert first.returncode == 0 and second.returncode == 0, first.describe()
    return Exports(folder, a, b, (folder / "first.json").read_text("utf-8"),
                   (folder / "second.json").read_text("utf-8"))


def test_two_runs_write_byte_identical_exports(exports: Exports, figures: Figures,
                                               env: dict[str, str]) -> None:
    folder = exports.folder
    outs = []
    for k in range(2):
        out = folder / f"compare-{k}"
        result = run_cli(["compare", str(exports.a), str(exports.b), "-o", str(out)],
                         env=env, cwd=folder)
        assert result.returncode == 0, result.describe()
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    figures.tried("export")
    same = exports.text == exports.second and outs[0] == outs[1]
    if not same:
        figures.bad("records_lost", "two runs wrote different exports")
    assert same
    # The output set of issue 11: the exports, the pages and every report table as CSV.
    assert set(outs[0]) == {
        "alignment.json", "phrases.json", "phrases.md", "index.html", "phrases.html",
        "diff-d1-d2.html", "documents.csv", "alignment.csv", "themes.csv", "phrases.csv",
        "occurrences.csv", "overlap.csv", "changes.csv",
        # issue 13: the change report of the pair
        "changes-d1-d2.html", "changes-d1-d2.md", "changes-d1-d2.json",
        # issue 17: the manifest of the set (files.write_set)
        ".policydiff.json",
    }


def test_export_round_trips(exports: Exports, figures: Figures) -> None:
    folder = exports.folder
    loaded = load_alignment(folder / "first.json")
    figures.tried("export")
    text = exports.text
    ok = loaded == json.loads(text) and (
        json.dumps(loaded, ensure_ascii=False, indent=1, allow_nan=False) + "\n" == text
    )
    if not ok:
        figures.bad("records_lost", "load(dump(x)) != x for the alignment export")
    assert ok


@pytest.mark.parametrize("case", EXPORT_CASES, ids=lambda c: c.name)
def test_export_read_back(
    case: ExportCase, exports: Exports, env: dict[str, str], figures: Figures
) -> None:
    folder = exports.folder
    path = folder / f"{case.name}.json"
    path.write_bytes(case.make(exports.text, folder))
    figures.tried(f"export-{case.name}")
    try:
        load_alignment(path)
    except ExportError as exc:
        got, message = "refuse", str(exc)
    except Exception as exc:
        figures.bad("crashes", f"load_alignment({case.name}): {type(exc).__name__}: {exc}")
        raise
    else:
        got, message = "accept", ""
    if got != case.expect or case.fragment not in message:
        figures.bad("wrong_outcomes", f"export {case.name}: {got}: {message}"[:300])
    assert got == case.expect and case.fragment in message, message
    if got == "accept":
        return

    result = run_cli(["view", "--from", str(path)], env=env, cwd=folder, timeout=60)
    figures.tried(f"export-{case.name}")
    where = result.describe()
    if result.timed_out:
        figures.bad("hangs", where)
    if is_crash(result):
        figures.bad("crashes", where)
    problems = message_problems(result, [str(path), path.name])
    if case.fragment not in " ".join(result.problem_lines):
        problems.append(f"no {case.fragment!r}")
    if problems:
        figures.bad("bad_messages", f"{'; '.join(problems)}: {where}")
    assert not problems, where
    raw = raw_canaries(result.stderr)
    figures.bad("raw_control_bytes_on_terminal", where, raw)


def test_view_reopens_a_bom_prefixed_export(
    exports: Exports, env: dict[str, str], figures: Figures
) -> None:
    folder = exports.folder
    path = folder / "bom-view.json"
    path.write_bytes(b"\xef\xbb\xbf" + exports.text.encode("utf-8"))
    tty_env = dict(env, TERM="xterm-256color")
    result = run_in_pty([sys.executable, "-m", "policydiff", "view", "--from", str(path)],
                        env=tty_env, cwd=folder, keys=b"q", wait_for="加强".encode(),
                        timeout=60)
    figures.tried("export-bom-view")
    figures.placeholders_seen += placeholders(result.output)
    assert result.code == 0 and "加强".encode() in result.output, result.output[-300:]


def test_no_mutation_of_an_export_escapes_as_another_exception(
    exports: Exports, figures: Figures
) -> None:
    """A seeded fuzz: replace or delete 1-3 random nodes of the export; the loader returns or
    raises ExportError, never anything else."""
    folder = exports.folder
    good = json.loads(exports.text)
    values = [None, True, 0, -1, 1.5, "", "x", [], {}, [1], {"a": 1}, 10**30, "d1/1",
              [0, 10**9], [5, 2], "../a.txt", "/dev/zero", str(folder)]
    nodes = list(_paths(good))[1:]
    rng = random.Random(6)
    path = folder / "mutant.json"
    for _ in range(400):
        data = json.loads(json.dumps(good))
        for _ in range(rng.randint(1, 3)):
            *parents, last = rng.choice(nodes)
            node = data
            try:
                for key in parents:
                    node = node[key]
                if isinstance(node, dict) and rng.random() < 0.2:
                    del node[last]
                else:
                    node[last] = rng.choice(values)
            except (KeyError, IndexError, TypeError):
                continue
        path.write_text(json.dumps(data), "utf-8")
        figures.generated()
        try:
            load_alignment(path)
        except ExportError:
            pass
        except Exception as exc:
            figures.bad("crashes", f"load_alignment(mutant): {type(exc).__name__}: {exc}")
            raise


def _paths(node: object, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))
