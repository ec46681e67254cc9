"""policydiff: compare Chinese policy documents section by section.

The public API for scripts and notebooks::

    import policydiff
    comparison = policydiff.compare(["2024.txt", "2025.txt"])
    for match in comparison.alignment("d1", "d2").matches: ...

Heavy modules (jieba, OpenCC) load on first use, not on import.
"""

from __future__ import annotations

import os as _os

__version__ = "0.1.0"

# One BLAS thread. Our matrix products are small (sections x sections) and batch work is
# spread over processes; extra BLAS threads only busy-wait after each call (OpenBLAS spins
# for about 0.1 s), taking a core from the work: on 2 cores an alignment took 3x longer.
# Effective only when numpy is not imported yet; a value set by the user wins.
for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")
