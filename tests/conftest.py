"""Shared fixtures: paths to the bundled seeds and to the shared corpus (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tui_helpers")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = Path(os.environ.get("POLICYDIFF_CORPUS", ROOT.parent / "shared" / "corpus"))

SEED_FILES = {
    "000": SEEDS / "000_fa4a5ba1074ac6cc.txt",
    "001": SEEDS / "001_377fd206c21df32a.txt",
    "002": SEEDS / "002_18ae15f2ea8019a0.txt",
    "003": SEEDS / "003_dbac8fd8727e5cee.txt",
    "004": SEEDS / "004_b78163a6892e2685.txt",
}


@pytest.fixture(scope="session")
def seed_files() -> dict[str, Path]:
    return dict(SEED_FILES)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def hk_pair(corpus_dir: Path) -> list[Path]:
    """The Hong Kong policy addresses of 2014 and 2015 (Traditional characters), in that order."""
    return [corpus_dir / "hk-policy-address-2014-zht.txt",
            corpus_dir / "hk-policy-address-2015-zht.txt"]


@pytest.fixture(autouse=True)
def _no_forks_in_the_test_process(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batch work runs in the test process itself, except in tests marked ``pools``: a long
    pytest session has threads and native libraries (OpenMP, BLAS) that a forked worker may
    deadlock on, which a user's one-shot command does not have. Commands run as subprocesses
    (most CLI tests) use their pools as users' do."""
    if request.node.get_closest_marker("pools") is None:
        from policydiff import comparison

        monkeypatch.setattr(comparison, "worker_count", lambda: 1)


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-document cache lives in one temporary folder per test session (also for CLI
    subprocesses, through the environment), never in the user's cache directory."""
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
