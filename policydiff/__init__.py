"""policydiff: compare Chinese policy documents section by section.

The public API for scripts and notebooks::

    import policydiff
    comparison = policydiff.compare(["2024.txt", "2025.txt"])
    for match in comparison.alignment("d1", "d2").matches: ...

Heavy modules (jieba, OpenCC) load on first use, not on import.
"""

from __future__ import annotations

__version__ = "0.1.0"
