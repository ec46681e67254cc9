"""Inputs that are not regular files: ``-`` (standard input), pipes of process substitution
(``<(git show HEAD:a.txt)``), ``/dev/stdin``; what stays refused (folders, sockets) and what
keeps the strict regular-file rule (theme files, exports).

Every stream here is a real pipe with a writer that finishes, so nothing can hang."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from policydiff.comparison import compare, load_corpus
from policydiff.decode import STDIN_NAME, is_stream, read_bytes, read_input, read_text
from policydiff.document import load_document
from policydiff.errors import ConfigError, ExportError, InputError
from policydiff.themes import load_themes


def run(*args: str, stdin: bytes = b"", shell: bool = False) -> subprocess.CompletedProcess[bytes]:
    command: list[str] | str = [sys.executable, "-m", "policydiff", *args]
    if shell:  # bash, for process substitution
        command = ["bash", "-c", f"{sys.executable!s} -m policydiff " + " ".join(args)]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=300)


def _pipe(data: bytes) -> Iterator[str]:
    """A /dev/fd path of a real pipe that a thread fills with ``data`` and then closes."""
    read_fd, write_fd = os.pipe()

    def write() -> None:
        try:
            os.write(write_fd, data) if len(data) < 60_000 else _write_all(write_fd, data)
        except BrokenPipeError:
            pass  # the reader stopped early (the size limit): fine
        finally:
            os.close(write_fd)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield f"/dev/fd/{read_fd}"
    finally:
        writer.join(timeout=10)
        os.close(read_fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view[:65536]) :]


@pytest.fixture
def pipe_of():
    opened: list[Iterator[str]] = []

    def make(data: bytes) -> str:
        gen = _pipe(data)
        opened.append(gen)
        return next(gen)

    yield make
    for gen in opened:
        next(gen, None)


# ------------------------------------------------------------------------------------------
# decode.read_input


def test_read_input_reads_a_pipe(pipe_of) -> None:
    text = "政府工作报告\n各位代表：\n".encode()
    path = pipe_of(text)
    assert is_stream(path)
    assert read_input(path) == text


def test_read_input_reads_a_large_pipe_in_chunks(pipe_of) -> None:
    data = ("一、总体要求\n" + "稳中求进。" * 40_000).encode()  # 600 kB: many pipe buffers
    assert len(data) > 500_000
    assert read_input(pipe_of(data)) == data


def test_read_input_refuses_a_pipe_over_the_limit(pipe_of) -> None:
    path = pipe_of(b"x" * 5000)
    with pytest.raises(InputError, match=r"^/dev/fd/\d+: more than the 0\.001 MB limit arrived"):
        read_input(path, max_bytes=1000)


def test_read_input_refuses_folders_and_sockets(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_input(tmp_path)
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(sock_path))
        with pytest.raises(InputError, match=r"s\.sock: is a socket, not a text file"):
            read_input(sock_path)
    finally:
        server.close()


def test_read_input_of_a_regular_file_is_read_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc")
    assert not is_stream(path)
    assert read_input(path) == b"abc"
    with pytest.raises(InputError, match="no such file"):
        read_input(tmp_path / "missing.txt")


def test_read_text_reads_streams_only_when_asked(pipe_of) -> None:
    path = pipe_of("北京市人民政府\n".encode("gb18030"))
    with pytest.raises(InputError, match="not a regular file"):
        read_text(path)  # the strict rule is the default (theme files, the viewer's check)
    path = pipe_of("北京市人民政府工作报告，各位代表。\n".encode("gb18030") * 3)
    decoded = read_text(path, streams=True)
    assert decoded.encoding == "gb18030" and decoded.text.startswith("北京市人民政府")


def test_files_that_are_not_inputs_keep_the_strict_rule(pipe_of, tmp_path: Path) -> None:
    """Theme files and exports named by a pipe are refused, not read (a FIFO would block)."""
    with pytest.raises(InputError, match="not a regular file"):
        read_bytes(pipe_of(b"x"))
    with pytest.raises(ConfigError, match=r"cannot read themes file: /dev/fd/\d+: not a regular"):
        load_themes(pipe_of(b"[[theme]]\n"))
    from policydiff.formats.alignment import load_alignment

    with pytest.raises(ExportError, match="not a regular file"):
        load_alignment(pipe_of(b"{}"))


# ------------------------------------------------------------------------------------------
# documents from streams


def test_document_from_a_pipe_has_the_sha256_of_its_bytes(pipe_of, seed_files) -> None:
    data = seed_files["001"].read_bytes()
    path = pipe_of(data)
    doc = load_document(path, cache=False)
    assert doc.path == path
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.title == "2023年曲靖市麒麟区政府工作报告—全文"  # the seed's first line
    assert doc.text == load_document(seed_files["001"], cache=False).text


def test_the_document_cache_works_on_the_bytes(
    pipe_of, seed_files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe and a file holding the same bytes share one cache entry."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(folder))
    data = seed_files["002"].read_bytes()
    first = load_document(pipe_of(data), cache=True)
    entries = sorted(p.name for p in folder.rglob("*") if p.is_file())
    assert entries, "the pipe's document was not cached"
    second = load_document(seed_files["002"], cache=True)
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == entries
    assert second.text == first.text and second.sha256 == first.sha256


def test_compare_reads_pipes(pipe_of, seed_files) -> None:
    a, b = seed_files["000"].read_bytes(), seed_files["003"].read_bytes()
    comparison = compare([pipe_of(a), pipe_of(b)])
    d1, d2 = comparison.documents
    assert (d1.sha256, d2.sha256) == (
        hashlib.sha256(a).hexdigest(), hashlib.sha256(b).hexdigest()
    )
    assert comparison.alignment("d1", "d2").matches


def test_one_stream_given_twice_is_refused(pipe_of) -> None:
    path = pipe_of(b"abc")
    with pytest.raises(InputError, match=r"^/dev/fd/\d+: given twice; it can be read only once"):
        load_corpus([path, path], tokens=False)


def test_more_labels_than_inputs_is_refused_before_reading(seed_files) -> None:
    with pytest.raises(InputError, match=r"^3 labels for 2 documents"):
        load_corpus([seed_files["000"], seed_files["001"]], labels=["a", "b", "c"])


# ------------------------------------------------------------------------------------------
# the command line


def test_cli_reads_standard_input(seed_files) -> None:
    data = seed_files["001"].read_bytes()
    proc = run("align", "-", str(seed_files["002"]), "--json", "-", stdin=data)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)["documents"][0]
    assert doc["path"] == STDIN_NAME == "<stdin>"
    assert doc["sha256"] == hashlib.sha256(data).hexdigest()
    assert doc["title"] == "2023年曲靖市麒麟区政府工作报告—全文"


def test_cli_reads_standard_input_among_many_in_a_process_pool(seed_files) -> None:
    """From 4 documents on they are read in a pool of processes: stdin is read before."""
    data = seed_files["004"].read_bytes()
    others = [str(seed_files[k]) for k in ("000", "001", "002")]
    proc = run("align", *others, "-", "--json", "-", stdin=data)
    assert proc.returncode == 0, proc.stderr
    docs = json.loads(proc.stdout)["documents"]
    assert [d["path"] for d in docs][3] == "<stdin>"
    assert docs[3]["sha256"] == hashlib.sha256(data).hexdigest()
    assert docs[3]["title"].startswith("中共温州市鹿城区委关于制定鹿城区国民经济")


def test_cli_standard_input_twice_is_one_line_and_exit_2(seed_files) -> None:
    data = seed_files["001"].read_bytes()
    for second in ("-", "/dev/stdin"):
        proc = run("align", "-", second, stdin=data)
        assert proc.returncode == 2
        lines = proc.stderr.decode().splitlines()
        assert len(lines) == 1 and "standard input can be read only once" in lines[0], lines


def test_cli_reads_dev_stdin(seed_files) -> None:
    data = seed_files["003"].read_bytes()
    proc = run("align", str(seed_files["000"]), "/dev/stdin", "--json", "-", stdin=data)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)["documents"][1]
    assert doc["path"] == "/dev/stdin"
    assert doc["sha256"] == hashlib.sha256(data).hexdigest()


def test_cli_reads_process_substitution(seed_files) -> None:
    a, b = seed_files["000"], seed_files["002"]
    proc = run("align", f"<(cat {a})", f"<(cat {b})", "--json", "-", shell=True)
    assert proc.returncode == 0, proc.stderr
    docs = json.loads(proc.stdout)["documents"]
    assert all(d["path"].startswith("/dev/fd/") for d in docs)
    assert [d["sha256"] for d in docs] == [
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, b)
    ]


def test_cli_sections_and_normalize_read_standard_input(seed_files) -> None:
    data = seed_files["001"].read_bytes()
    proc = run("sections", "-", "--json", stdin=data)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["path"] == "<stdin>"
    proc = run("normalize", "-", stdin="  北京市\u3000人民政府 \n".encode())
    assert proc.returncode == 0, proc.stderr
    assert "北京市" in proc.stdout.decode()


def test_cli_undecodable_stdin_is_named_stdin() -> None:
    proc = run("sections", "-", stdin=b"%PDF-1.4\n...")
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("policydiff: <stdin>: this looks like a PDF document")


def test_an_export_of_standard_input_cannot_be_checked_later(tmp_path: Path, seed_files) -> None:
    from policydiff.formats.alignment import load_alignment

    out = tmp_path / "a.json"
    proc = run("align", "-", str(seed_files["002"]), "--json", str(out),
               stdin=seed_files["001"].read_bytes())
    assert proc.returncode == 0, proc.stderr
    with pytest.raises(ExportError, match="<stdin> was read from standard input or a pipe"):
        load_alignment(out)
    assert load_alignment(out, check_inputs=False)["documents"][0]["path"] == "<stdin>"
