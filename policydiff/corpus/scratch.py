"""The disk shuffle of ``corpus phrases``: arrays that one stage's tasks write, partitioned,
and the next stage's tasks read partition by partition, on disk instead of through the client.

A task of stage A writes one file per array (``NAME-TASK.ARRAY.npy``) whose rows are sorted by
partition, and returns the row edges of the partitions (``edges[j]:edges[j + 1]`` are
partition ``j``'s rows). A task of stage B reads its partition's rows of every file through a
memory map (``slices``): only those rows are read. The folder lives inside the store
(``STORE/.scratch-…``), so that every worker of a cluster sees it where it sees the store,
and is removed when the run ends, also when it fails (``Scratch`` is a context manager).
Files are written whole or not at all (``write``); they are the run's own files, read only by
the run that wrote them.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PREFIX = ".scratch-"


class Scratch:
    """A run's scratch folder in the store (see the module docstring)."""

    def __init__(self, store: str | Path) -> None:
        self.folder = Path(store) / f"{PREFIX}{secrets.token_hex(6)}"
        self.folder.mkdir()

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def write(folder: str, name: str, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as ``folder/name.KEY.npy``, each whole or not at all (a temporary
    name, then a rename), without ``files.write_atomic``'s flush to disk: a scratch file does
    not outlive its run, and hundreds of flushes cost more than the stage on a busy disk."""
    import numpy as np

    for key, array in arrays.items():
        target = Path(folder) / f"{name}.{key}.npy"
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
        try:
            with partial.open("xb") as handle:
                np.save(handle, np.ascontiguousarray(array), allow_pickle=False)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)


def load(folder: str, name: str, key: str) -> np.ndarray:
    """The array ``folder/name.KEY.npy``, memory-mapped (read only where it is indexed)."""
    import numpy as np

    found: np.ndarray = np.load(Path(folder) / f"{name}.{key}.npy", mmap_mode="r",
                                allow_pickle=False)
    return found


def slices(folder: str, names: Sequence[str], key: str, spans: Sequence[tuple[int, int]],
           ) -> list[np.ndarray]:
    """Rows ``spans[i]`` of array ``key`` of file ``names[i]``, each copied out of its map."""
    import numpy as np

    out = []
    for name, (lo, hi) in zip(names, spans, strict=True):
        out.append(np.array(load(folder, name, key)[lo:hi]))
    return out


def partition_order(partition: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The stable order sorting rows by ``partition`` and the row edges of the ``count``
    partitions in that order."""
    import numpy as np

    order = np.argsort(partition, kind="stable")
    edges = np.searchsorted(partition[order], np.arange(count + 1))
    return order, edges
