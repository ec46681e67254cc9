"""Fixtures of the hostile suite: the generated input files, a sandboxed environment for the
CLI, and the session figures (printed at the end and written as JSON).

The figures go to ``$POLICYDIFF_HOSTILE_REPORT`` when set, else to ``hostile-figures.json`` in
pytest's temporary folder; the path is printed with the summary. Tests marked ``slow`` (the
10 MB document through every command, about five minutes) run only with
``POLICYDIFF_SLOW=1``; the 10 MB document is still read, normalized and segmented by default.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .cases import CASES, POLICY_HANS
from .figures import FIGURES, Figures
from .harness import cli_env

REPORT_ENV = "POLICYDIFF_HOSTILE_REPORT"
SLOW_ENV = "POLICYDIFF_SLOW"
_report_path: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"slow: the hostile suite's longest runs (only with {SLOW_ENV}=1)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get(SLOW_ENV, "") in ("1", "true", "yes"):
        return
    skip = pytest.mark.skip(reason=f"slow hostile run: set {SLOW_ENV}=1 to include it")
    here = Path(__file__).parent
    for item in items:
        if "slow" in item.keywords and here in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def figures() -> Figures:
    return FIGURES


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the whole suite: inputs, outputs, caches."""
    root = tmp_path_factory.mktemp("hostile")
    _report_path[:] = [
        Path(os.environ[REPORT_ENV]) if os.environ.get(REPORT_ENV)
        else tmp_path_factory.getbasetemp() / "hostile-figures.json"
    ]
    return root


@pytest.fixture(scope="session")
def env(sandbox: Path) -> dict[str, str]:
    return cli_env(sandbox / "cache")


@pytest.fixture(scope="session")
def inputs(sandbox: Path) -> dict[str, Path]:
    """Every case written to ``inputs/<name>.txt``, plus ``ref.txt`` (the clean report)."""
    folder = sandbox / "inputs"
    folder.mkdir()
    files = {}
    for case in CASES:
        path = folder / f"{case.name}.txt"
        path.write_bytes(case.make())
        files[case.name] = path
    ref = folder / "ref.txt"
    ref.write_text(POLICY_HANS, "utf-8")
    files["ref"] = ref
    return files


def report_path() -> Path | None:
    return _report_path[0] if _report_path else None


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES.runs and not FIGURES.generated_examples:
        return
    path = report_path()
    terminalreporter.section("hostile inputs: figures")
    for line in FIGURES.summary_lines():
        terminalreporter.write_line(line)
    if path is not None:
        FIGURES.write(path)
        terminalreporter.write_line(f"figures written to {path}")
