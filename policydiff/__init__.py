"""policydiff: compare Chinese policy documents section by section.

The public API for scripts and notebooks::

    import policydiff
    comparison = policydiff.compare(["2024.txt", "2025.txt"])
    for match in comparison.alignment("d1", "d2").matches: ...

    config = policydiff.Config(encoding="gb18030", cache=False)
    comparison = policydiff.compare(paths, config, ref="d1")

``compare`` and ``Config`` load on first use (importing the package loads no heavy module and
changes no global state). Batch work is fastest with one BLAS thread per process: set
``OPENBLAS_NUM_THREADS=1`` before numpy is imported (the ``policydiff`` command does).
"""

from __future__ import annotations

from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policydiff.comparison import compare
    from policydiff.config import Config

try:
    __version__ = metadata.version("policydiff")
except metadata.PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["Config", "__version__", "compare"]


def __getattr__(name: str) -> Any:
    if name == "compare":
        from policydiff.comparison import compare

        return compare
    if name == "Config":
        from policydiff.config import Config

        return Config
    raise AttributeError(f"module 'policydiff' has no attribute {name!r}")
