"""The shape of the code, as the house rules state it (docs/architecture.md):

- no import cycle among the modules of ``policydiff/`` and ``tui/policydiff_tui/`` (imports
  inside functions count; imports only for type checking do not);
- the core never names the viewer, Textual or Rich, not even through ``importlib``;
- no function over 100 lines, no module over 900 lines, no viewer module over 450 lines.

The import contract itself (``lint-imports``) runs in ``.ci/run``; these tests also catch what
it cannot see (imports by name, cycles through function-level imports).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# package name -> the folder that holds it (the viewer's package lives inside the tui/ folder)
PACKAGES = {"policydiff": ROOT, "policydiff_tui": ROOT / "tui"}
MAX_FUNCTION_LINES = 100
MAX_MODULE_LINES = 900
MAX_VIEWER_MODULE_LINES = 450


def _modules() -> dict[str, Path]:
    """Module name -> file, for every module of the two packages."""
    found = {}
    for package, base in PACKAGES.items():
        for path in sorted((base / package).rglob("*.py")):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``module`` imports at run time (anywhere in the file)."""
    tree = ast.parse(path.read_text("utf-8"))
    is_package = path.name == "__init__.py"
    out: set[str] = set()

    def add(name: str) -> None:
        # `from a.b import c` names module a.b.c when it exists, else a.b.
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module:
            out.add(name)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                if not is_package:
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                add(f"{base}.{alias.name}")
        for sub in ast.iter_child_nodes(node):
            visit(sub)

    visit(tree)
    return out


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph``, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := walk(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := walk(node)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle() -> None:
    modules = _modules()
    known = set(modules)
    graph = {name: _imported(name, path, known) for name, path in modules.items()}
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_core_never_names_the_viewer() -> None:
    offenders = []
    for name, path in _modules().items():
        if not name.startswith("policydiff"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in ("import_module", "__import__"):
                    offenders.append(f"{name}:{node.lineno} {called}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.split(".")[0] in ("policydiff_tui", "tui", "textual", "rich"):
                    offenders.append(f"{name}:{node.lineno} {node.value!r}")
    assert offenders == []


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                out.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    return out


def test_no_function_over_100_lines() -> None:
    offenders = [f for path in _modules().values() for f in _long_functions(path)]
    assert offenders == []


def test_module_sizes() -> None:
    offenders = []
    for name, path in _modules().items():
        lines = len(path.read_text("utf-8").splitlines())
        limit = MAX_VIEWER_MODULE_LINES if name.startswith("policydiff_tui") else MAX_MODULE_LINES
        if lines > limit:
            offenders.append(f"{path.relative_to(ROOT)}: {lines} lines (at most {limit})")
    assert offenders == []
