"""Where the corpus tasks run: the one module that talks to Dask.

``Runner.map(stage, fn, items)`` runs ``fn`` (a module-level function) on every item as Dask
tasks and returns the results in item order, reporting ``progress(stage, done, total)``:

- no scheduler (the default): the local machine, in spawned worker processes (one per core,
  at most 8; kept for the whole run, so that what a worker has read stays loaded), or in the
  calling process when ``comparison.worker_count()`` says one (a test process, a thread);
- ``tcp://host:port``: a ``dask.distributed`` cluster (``dask scheduler``, ``dask worker``).
  Workers read the store by its path: on a cluster it must be on a file system every worker
  sees (an NFS mount, the same path on every machine).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from policydiff.errors import InputError

Progress = Callable[[str, int, int], None]

CONNECT_TIMEOUT = "10s"


def dask_missing() -> str | None:
    """None when the corpus extra is installed, else the one-line reason."""
    try:
        import dask  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as exc:
        return (f"corpus mode needs the corpus extra ({exc.name} is not installed): "
                "pip install 'policydiff[corpus]'")
    return None


class Runner:
    """Runs tasks locally or on a cluster (see the module docstring); a context manager."""

    def __init__(self, scheduler: str | None = None, *, progress: Progress | None = None,
                 workers: int | None = None) -> None:
        self.scheduler = scheduler
        self.progress = progress
        self._client: Any = None
        self._pool: Any = None
        if scheduler:
            self._client = _connect(scheduler)
        else:
            from policydiff.comparison import worker_count

            self.workers = workers or worker_count()
            if self.workers > 1:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_setup)

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    @property
    def where(self) -> str:
        """Where the tasks run, for messages."""
        if self._client is not None:
            return f"cluster {self.scheduler}"
        return f"{self.workers} local process{'es' if self.workers > 1 else ''}"

    def map(self, stage: str, fn: Callable[..., Any], items: Sequence[Any]) -> list[Any]:
        """``[fn(item) for item in items]``, as Dask tasks."""
        total = len(items)
        self._report(stage, 0, total)
        if self._client is not None:
            results = self._map_cluster(stage, fn, items)
        else:
            results = self._map_local(stage, fn, items)
        self._report(stage, total, total)
        return results

    def _map_local(self, stage: str, fn: Callable[..., Any], items: Sequence[Any]) -> list[Any]:
        import dask
        import dask.callbacks

        api: Any = dask  # untyped
        done = [0]
        total = len(items)

        def finished(key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
            done[0] += 1
            self._report(stage, min(done[0], total), total)

        tasks = [api.delayed(_call, pure=False)(fn, _Box(item)) for item in items]
        options: dict[str, Any] = {"scheduler": "sync"}
        if self._pool is not None:
            options = {"scheduler": "processes", "pool": self._pool}
        with api.callbacks.Callback(posttask=finished):
            return list(api.compute(*tasks, **options))

    def _map_cluster(self, stage: str, fn: Callable[..., Any], items: Sequence[Any]
                     ) -> list[Any]:
        import distributed

        api: Any = distributed  # untyped
        futures = self._client.map(_call, [fn] * len(items), [_Box(i) for i in items],
                                   pure=False)
        total = len(futures)
        for done, future in enumerate(api.as_completed(futures), 1):
            if future.status == "error":
                future.result()  # raises the task's exception here
            self._report(stage, done, total)
        return list(self._client.gather(futures))

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


class _Box:
    """A task's argument, kept whole: Dask looks inside lists and tuples for other tasks,
    which for a list of 100,000 phrases took longer than the task."""

    def __init__(self, item: Any) -> None:
        self.item = item


def _call(fn: Callable[[Any], Any], box: _Box) -> Any:
    return fn(box.item)


def _connect(address: str) -> Any:
    """A client of the scheduler at ``address``; one line when it cannot be reached."""
    if "://" not in address:
        raise InputError(f"--scheduler {address}: give an address such as tcp://host:8786")
    import distributed

    api: Any = distributed  # untyped
    try:
        return api.Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"--scheduler {address}: cannot reach the scheduler ({exc})") from None


def _worker_setup() -> None:
    """A local worker process: one thread for BLAS and OpenMP, as the CLI sets them."""
    for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(name, "1")
