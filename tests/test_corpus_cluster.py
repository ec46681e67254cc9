"""Corpus mode on a real ``dask.distributed`` cluster: a scheduler and two workers on
127.0.0.1 (``dask scheduler``, ``dask worker``, subprocesses on free ports, stopped at the
end). The store built and mined there equals the one built and mined locally."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[str]:
    """The address of a scheduler with two single-threaded workers."""
    from distributed import Client

    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = (tmp_path / "cluster.log").open("w")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    procs = [subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port),
         "--dashboard-address", f"127.0.0.1:{free_port()}", "--no-show"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard",
                 "--memory-limit", "2GB", "--local-directory", str(tmp_path / "workers")],
                stdout=log, stderr=subprocess.STDOUT, env=env, cwd=tmp_path))
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout="5s") as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def run(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "policydiff", *args], capture_output=True,
                          text=True, timeout=600, cwd=Path(__file__).parent)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.mark.pools
def test_cluster_results_equal_local_ones(cluster, seed_files, tmp_path):
    """build, phrases and trace through --scheduler give what the local runs give."""
    from policydiff.corpus.store import Store

    files = [str(f) for f in seed_files.values()]
    local, remote = str(tmp_path / "local"), str(tmp_path / "remote")
    run("corpus", "build", *files, "-o", local)
    built = run("corpus", "build", *files, "-o", remote, "--scheduler", cluster)
    assert "5 documents added" in built.stderr
    columns = ["path", "title", "year", "region", "level", "text", "token_lengths"]
    a = Store.open(local).documents(columns)
    b = Store.open(remote).documents(columns)
    assert a.drop(columns="token_lengths").equals(b.drop(columns="token_lengths"))
    assert [list(x) for x in a["token_lengths"]] == [list(x) for x in b["token_lengths"]]
    here = json.loads(run("corpus", "phrases", local, "--format", "json").stdout)
    there = json.loads(
        run("corpus", "phrases", remote, "--format", "json", "--scheduler", cluster).stdout)
    assert len(here["phrases"]) > 1000
    assert here == there
    # the disk shuffle's files are gone, here and there
    assert not [*Path(local).glob(".scratch-*"), *Path(remote).glob(".scratch-*")]
    trace_here = run("corpus", "trace", local, "乡村振兴", "--format", "json").stdout
    trace_there = run("corpus", "trace", remote, "乡村振兴", "--format", "json", "--scheduler",
                      cluster).stdout
    assert json.loads(trace_here)["occurrences"] == 28  # 4 + 10 + 2 + 9 + 3 (test_corpus.py)
    assert trace_here == trace_there


def test_an_unreachable_scheduler_is_one_line(seed_files, tmp_path):
    port = free_port()  # nothing listens there
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", "corpus", "build", str(seed_files["000"]), "-o",
         str(tmp_path / "s"), "--scheduler", f"tcp://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parent)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "cannot reach the scheduler" in proc.stderr
