"""The file rules in one place: reading any file that is not an input document
(``read_file``: themes, overrides, cache entries, exports), and writing outputs safely
(``write_atomic``; a compare's whole set is ``outputs.write_outputs``). Decoding input
documents is ``policydiff.decode``, whose ``read_bytes`` is ``read_file(path, "input")``.

Reading: a regular file only, checked with ``lstat`` and again on the open descriptor (a FIFO
or device swapped in between never blocks: the file is opened non-blocking), never more than
its kind's size limit (``KINDS``) plus one byte read, every refusal one ``InputError`` line
naming the file. A cache entry is never read through a symbolic link.

An output is written to a temporary file in its folder, flushed to disk and renamed over the
target, so readers see the old file or the new one, never half of one; it is never written
over an input, through a symbolic link, over a device, or over an existing file without
``force``. Every refusal is an ``OutputError`` naming the file and saying what to do.
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policydiff.errors import InputError, OutputError
from policydiff.textsafe import one_line

__all__ = ["KINDS", "MANIFEST", "FileKind", "os_reason", "read_file", "write_atomic", "write_set"]


@dataclass(frozen=True)
class FileKind:
    """What the reader allows for one kind of file: its size limit, whether a symbolic link is
    followed (to a regular file only), and how a too-large file is explained."""

    limit: int
    links: bool
    smaller: str  # "a report is far smaller" ...


KINDS: dict[str, FileKind] = {
    "input": FileKind(50_000_000, True, "a report is far smaller"),
    "themes": FileKind(1_000_000, True, "a theme taxonomy is far smaller (the bundled: 21 KB)"),
    "overrides": FileKind(1_000_000, True, "an overrides file is far smaller"),
    "export": FileKind(200_000_000, True, "the export of a 10 MB report is about 76 MB"),
    "cache": FileKind(300_000_000, False, "no cache entry is that large"),
    "store": FileKind(1_000_000, True, "a corpus store's marker is a few hundred bytes"),
}
"""The kinds of file ``read_file`` reads, by name."""


def read_file(path: str | Path, kind: str, *, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path`` of ``kind`` (a key of ``KINDS``), or
    ``InputError`` (one line naming the file) saying what is wrong with it.

    Refused: a missing path, a folder, a device, pipe or socket (also behind a symbolic link,
    or swapped in after the check), a symbolic link at all for kinds that follow none, an
    unreadable file, and a file over ``limit`` (default: the kind's). At most ``limit + 1``
    bytes are ever read, so a file that grows while it is read is refused too. An empty file
    is ``b''``.
    """
    rule = KINDS[kind]
    limit = rule.limit if limit is None else limit
    shown = one_line(str(path))
    fspath = os.fspath(path)
    info = _lstat(fspath, shown)
    if stat.S_ISLNK(info.st_mode):
        if not rule.links:
            raise InputError(
                f"{shown}: is a symbolic link; a {kind} file is never read through one"
            )
        info = _lstat(fspath, shown, follow=True)
    _check_regular(info, shown, limit, rule, kind)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not rule.links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(fspath, flags)
    except PermissionError:
        raise InputError(f"{shown}: permission denied; check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read it ({os_reason(exc)}); check the path") from None
    with open(fd, "rb") as handle:
        try:
            # The descriptor again: what was checked may have been replaced since.
            _check_regular(os.fstat(fd), shown, limit, rule, kind)
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{shown}: cannot read it ({os_reason(exc)})") from None
    if len(data) > limit:
        raise InputError(_too_large(shown, len(data), limit, rule))
    return data


def _lstat(fspath: str | bytes, shown: str, *, follow: bool = False) -> os.stat_result:
    """The status of the path itself (``follow``: of what a link points to)."""
    try:
        return os.stat(fspath) if follow else os.lstat(fspath)
    except FileNotFoundError:
        if follow:
            raise InputError(f"{shown}: broken symbolic link; check where it points") from None
        raise InputError(f"{shown}: no such file; check the path") from None
    except NotADirectoryError:
        raise InputError(
            f"{shown}: part of this path is a file, not a folder; check the path"
        ) from None
    except PermissionError:
        raise InputError(
            f"{shown}: permission denied; check the permissions of its folder"
        ) from None
    except (OSError, ValueError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else "not a valid path"
        raise InputError(f"{shown}: cannot read it ({reason}); check the path") from None


def _check_regular(
    info: os.stat_result, shown: str, limit: int, rule: FileKind, kind: str
) -> None:
    if stat.S_ISDIR(info.st_mode):
        inside = "the text files" if kind == "input" else "the file"
        raise InputError(f"{shown}: is a folder, not a file; pass {inside} inside it")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{shown}: not a regular file (a device, pipe or socket); save the text to a file "
            "and pass that"
        )
    if info.st_size > limit:
        raise InputError(_too_large(shown, info.st_size, limit, rule))


def _too_large(shown: str, size: int, limit: int, rule: FileKind) -> str:
    return (
        f"{shown}: is {size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit; {rule.smaller}, "
        "so check that this is the right file"
    )


def write_atomic(
    path: str | Path,
    data: str | bytes,
    *,
    force: bool = False,
    protect: Iterable[str | Path] = (),
) -> Path:
    """Write ``data`` to ``path`` atomically and return ``path`` (as a ``Path``).

    Rules (each refusal is an ``OutputError`` naming the file):
    - never over an input: refused, even with ``force``, when ``path`` resolves (realpath, or
      the same inode through a hard link) to one of ``protect``;
    - never through a symbolic link: refused when ``path`` is one, dangling or not;
    - never over an existing file without ``force`` (checked again at the moment of the
      rename with a hard link where the file system allows it), and never over anything but a
      regular file (a device such as ``/dev/null``, a FIFO or a socket), even with ``force``;
    - missing parent folders are created, and removed again when the write then fails
      (nothing is left behind by a refused path; one ending in ``.`` or ``..`` names a folder
      and is refused first);
    - the data goes to a temporary file in the same folder, is flushed to disk and renamed over
      the target with ``os.replace``, so readers see the old file or the new one, never half;
      on any failure the temporary file is removed and the target is untouched;
    - ``str`` is written as UTF-8 without BOM, newlines as they are; a replaced file keeps its
      permission bits, a new one gets the usual ones (umask).
    """
    target = Path(path)
    shown = one_line(str(target))
    payload = _payload(data, shown)
    _refuse_path(target, shown, protect)
    existing = _existing(target, shown, force=force)
    folder = target.parent
    created = _make_parents(folder, shown)
    temp, fd = _open_temp(folder, shown, created)
    try:
        _write_and_install(fd, payload, temp, target, existing, force=force)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        _remove_folders(created)
        if isinstance(exc, FileExistsError):
            raise OutputError(f"{shown}: already exists; pass --force to overwrite it") from None
        if isinstance(exc, OSError):
            raise OutputError(
                f"{shown}: could not write it ({os_reason(exc)}); nothing was changed: "
                f"{_path_advice(exc)}"
            ) from None
        raise
    _sync_folder(folder)
    return target


def _payload(data: str | bytes, shown: str) -> bytes:
    """The bytes to write: ``str`` as UTF-8, bytes as they are. A lone surrogate (the bytes of
    a file name that is not UTF-8, such as GBK names from a Windows archive, as Python reads
    them) is written as U+FFFD: the name is shown with replacement characters."""
    if not isinstance(data, str):
        return bytes(data)
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", data).encode("utf-8")


_SURROGATES = re.compile("[\ud800-\udfff]")


class _Inputs:
    """The inputs a write must not overwrite, resolved once: a compare of 100 documents checks
    300 targets against them, and a ``realpath`` of both sides of every pair took seconds."""

    def __init__(self, protect: Iterable[str | Path]) -> None:
        paths = [Path(source) for source in protect]
        self.real = {os.path.realpath(path) for path in paths}
        self.ids = set()
        for path in paths:
            try:
                found = os.stat(path)
            except OSError:
                continue
            self.ids.add((found.st_dev, found.st_ino))

    def hold(self, target: Path) -> bool:
        """Whether ``target`` is one of the inputs (same path, or the same file: a hard link,
        a path through a link)."""
        if os.path.realpath(target) in self.real:
            return True
        try:
            found = os.stat(target)
        except OSError:
            return False
        return (found.st_dev, found.st_ino) in self.ids


def _refuse_path(
    target: Path, shown: str, protect: Iterable[str | Path] | _Inputs
) -> None:
    """Refuse a folder name, a symbolic link and an input file, before anything is created."""
    if target.name in ("", ".", ".."):
        # Checked before anything is created: "new/.." would otherwise make the folder "new"
        # and then fail on the rename.
        raise OutputError(
            f"{shown}: names a folder, not a file; choose a file name for the output"
        )
    if os.path.islink(target):
        raise OutputError(
            f"{shown}: is a symbolic link; outputs are never written through links: remove it "
            "or choose another path"
        )
    inputs = protect if isinstance(protect, _Inputs) else _Inputs(protect)
    if inputs.hold(target):
        raise OutputError(
            f"{shown}: is an input file; choose another output path (inputs are never "
            "overwritten, even with --force)"
        )


def _existing(target: Path, shown: str, *, force: bool) -> os.stat_result | None:
    """The status of the file already at ``target`` (None when there is none); refuses a
    folder, a device, pipe or socket, and without ``force`` any existing file."""
    try:
        existing = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise OutputError(
            f"{shown}: cannot check this path ({os_reason(exc)}); {_path_advice(exc)}"
        ) from None
    if stat.S_ISDIR(existing.st_mode):
        raise OutputError(f"{shown}: is a folder; choose a file name for the output")
    if not stat.S_ISREG(existing.st_mode):
        # Renaming over /dev/null or a FIFO would replace the device node itself.
        raise OutputError(
            f"{shown}: is a device, pipe or socket, not a file; choose a file name (or "
            "leave out -o to print to stdout)"
        )
    if not force:
        raise OutputError(f"{shown}: already exists; pass --force to overwrite it")
    return existing


def _make_parents(folder: Path, shown: str) -> list[Path]:
    """Create the missing folders up to ``folder``; the ones made, for removal on failure."""
    created: list[Path] = []
    try:
        _make_folders(folder, created)
    except (FileExistsError, NotADirectoryError):
        _remove_folders(created)
        raise OutputError(
            f"{shown}: cannot create the folder {one_line(str(folder))}: a file is in the way; "
            "choose another output path"
        ) from None
    except OSError as exc:
        _remove_folders(created)
        raise OutputError(
            f"{shown}: cannot create the folder {one_line(str(folder))} ({os_reason(exc)}); "
            f"{_path_advice(exc)}"
        ) from None
    return created


def _open_temp(folder: Path, shown: str, created: list[Path]) -> tuple[Path, int]:
    """A new temporary file in ``folder``, opened for writing: its path and descriptor."""
    temp = folder / f".policydiff-{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        _remove_folders(created)
        raise OutputError(
            f"{shown}: cannot write in the folder {one_line(str(folder))} ({os_reason(exc)}); "
            f"{_path_advice(exc)}"
        ) from None
    return temp, fd


def _write_and_install(
    fd: int,
    payload: bytes,
    temp: Path,
    target: Path,
    existing: os.stat_result | None,
    *,
    force: bool,
) -> None:
    """Write ``payload`` through ``fd``, flush it to disk, keep the permission bits of the file
    it replaces, and move it into place."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    if existing is not None:
        os.chmod(temp, stat.S_IMODE(existing.st_mode))
    _install(temp, target, overwrite=force)


def _make_folders(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its missing parents, appending each one made to ``created`` (so a
    failed write can remove them again). A path such as ``new/..`` creates ``new``."""
    missing: list[Path] = []
    current = folder
    while not os.path.isdir(current):
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path)
        except FileExistsError:
            if not os.path.isdir(path):  # a file, or a link to one, is in the way
                raise
            continue  # "new/.." exists once "new" was made
        created.append(path)


def _remove_folders(created: list[Path]) -> None:
    """Remove the folders a failed write created, deepest first (only while they are empty)."""
    for path in reversed(created):
        try:
            os.rmdir(path)
        except OSError:
            return


def _install(temp: Path, target: Path, *, overwrite: bool) -> None:
    """Move the finished temp file into place; without ``overwrite`` never replace a file.

    ``os.link`` fails if the target appeared since it was checked; file systems without hard
    links fall back to ``os.replace`` (the earlier check stands).
    """
    if not overwrite:
        try:
            os.link(temp, target, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                 errno.EMLINK, errno.ENOSYS, errno.EACCES):  # fmt: skip
                raise
        else:
            os.unlink(temp)
            return
    os.replace(temp, target)


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk where the OS allows opening a folder (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Messages


def _path_advice(exc: OSError) -> str:
    """What to do about an output path the OS refused, as the end of a message."""
    if exc.errno == errno.ENAMETOOLONG:
        return "choose a shorter name (at most 255 bytes for each part of the path)"
    if exc.errno == errno.ENOSPC:
        return "free some disk space or choose another folder"
    return "choose another output path, or check the folder's permissions"


def os_reason(exc: OSError) -> str:
    """Why the OS refused, in lower case, for a message (``permission denied``)."""
    return (exc.strerror or exc.__class__.__name__).lower()


# ---------------------------------------------------------------------------------------------
# A set of outputs (a compare's folder): complete or not at all

MANIFEST = ".policydiff.json"
"""The file, in a folder a set was written to, that lists the files of the tool's own making
there (so that a later run removes only those that went stale, never anything else)."""
_TEMP_PREFIX = ".policydiff-set-"
_DEAD_AFTER_S = 60.0  # a temporary folder this old and not locked is a killed run's
_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")  # held while the set moves into place
_CAUGHT = ("SIGTERM", "SIGHUP")  # end the run cleanly while it is written (SIGINT already does)


def write_set(
    folder: str | Path,
    files: dict[str, Callable[[], str | bytes]],
    *,
    force: bool = False,
    protect: Iterable[str | Path] = (),
    stale: Callable[[str], bool] | None = None,
) -> list[Path]:
    """Write the files ``files`` (name -> renderer) into ``folder`` as one set; their paths.

    Rules (each refusal one ``OutputError`` line; on any failure, the folder is as before):
    - every target is checked before anything is rendered: without ``force`` none may exist
      (one message lists them all); with it each must be a regular file that is not an input
      (``protect``) nor a symbolic link, else nothing is written;
    - the set is rendered and written, one file at a time, into a temporary folder inside
      ``folder`` (same file system; missing folders are created and removed again on
      failure), and only once it is complete moved into place, file by file with
      ``os.replace``, while SIGTERM, SIGINT and SIGHUP wait; a full disk or a signal before
      that leaves the previous results as they were and no temporary folder behind;
    - runs into the same folder hold a lock (``flock`` on the folder) while they move their
      files, and the targets are checked again under it, so parallel ``--force`` runs leave
      one run's whole set, never a mix;
    - with ``stale`` (a set whose size varies: a compare's), ``MANIFEST`` lists what the tool
      wrote there; a file it lists, that is not in the new set and for which ``stale(name)``
      holds, is removed (the pair pages of an earlier, larger compare). Nothing it does not
      list is ever removed; without ``stale`` the manifest is neither read nor written.
      Temporary folders of a run that was killed are removed by the next run.
    """
    out = Path(folder)
    protected = list(protect)
    _check_set(out, list(files), force=force, protect=protected)
    created = _make_parents(out, one_line(str(out)))
    with _TempSet(out, created) as temp:
        for name, render in files.items():
            temp.add(name, render())
        temp.install(list(files), force=force, protect=protected, stale=stale)
    return [out / name for name in files]


def _check_set(out: Path, names: list[str], *, force: bool, protect: list[str | Path]) -> None:
    """Every target of the set, before anything is written (``write_set``'s first rule)."""
    shown = one_line(str(out))
    if os.path.lexists(out) and not os.path.isdir(out):
        raise OutputError(f"{shown}: is a file, not a folder; choose a folder with -o")
    if not force:
        taken = [name for name in names if os.path.lexists(out / name)]
        if taken:
            more = f" and {len(taken) - 4} more" if len(taken) > 4 else ""
            listed = ", ".join(taken[:4]) + more
            raise OutputError(
                f"{shown}: already holds {listed}; pass --force to overwrite, or choose another "
                "folder with -o"
            )
    inputs = _Inputs(protect)
    for name in names:
        target = out / name
        _refuse_path(target, one_line(str(target)), inputs)
        _existing(target, one_line(str(target)), force=True)


class _TempSet:
    """The temporary folder a set is written into, locked for its lifetime; removed on exit."""

    def __init__(self, out: Path, created: list[Path]) -> None:
        self.out = out
        self.created = created
        self.path = out / f"{_TEMP_PREFIX}{secrets.token_hex(6)}.tmp"
        self.fd = -1
        self.old_handlers: dict[int, Any] = {}

    def __enter__(self) -> _TempSet:
        shown = one_line(str(self.out))
        _remove_dead_sets(self.out)
        try:
            os.mkdir(self.path, 0o700)
        except OSError as exc:
            _remove_folders(self.created)
            raise OutputError(
                f"{shown}: cannot write in this folder ({os_reason(exc)}); {_path_advice(exc)}"
            ) from None
        self.fd = _open_folder(self.path)
        _lock(self.fd, blocking=False)  # tells the next run this folder is not a dead one's
        self._catch_signals()
        return self

    def add(self, name: str, data: str | bytes) -> None:
        shown = one_line(str(self.out / name))
        payload = _payload(data, shown)
        try:
            fd = os.open(self.path / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(
                f"{shown}: could not write it ({os_reason(exc)}); nothing was changed: "
                f"{_path_advice(exc)}"
            ) from None

    def install(
        self, names: list[str], *, force: bool, protect: list[str | Path],
        stale: Callable[[str], bool] | None,
    ) -> None:
        """Move the finished set into place under the folder's lock, signals held."""
        lock = _open_folder(self.out)
        try:
            _lock(lock, blocking=True)
            _check_set(self.out, names, force=force, protect=protect)  # again, under the lock
            held = _hold_signals()
            try:
                for name in names:
                    _move_into_place(self.path / name, self.out / name, force=force)
                if stale is not None:
                    _update_manifest(self.out, names, stale)
            finally:
                _release_signals(held)
            _sync_folder(self.out)
        finally:
            _close(lock)

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        _remove_tree(self.path)
        _close(self.fd)
        self._restore_signals()
        if exc is not None:
            _remove_folders(self.created)
        if isinstance(exc, _Signalled):
            signal.signal(exc.signum, signal.SIG_DFL)
            os.kill(os.getpid(), exc.signum)  # end as the signal asked, now that all is clean

    def _catch_signals(self) -> None:
        """While the set is written, a signal raises ``_Signalled`` so that the temporary
        folder is removed before the process ends (main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            return
        for name in _CAUGHT:
            signum = getattr(signal, name, None)
            if signum is None:
                continue
            current = signal.getsignal(signum)
            if current == signal.SIG_DFL:
                _watch_forks()
                self.old_handlers[signum] = current
                signal.signal(signum, _raise_signalled)

    def _restore_signals(self) -> None:
        for signum, handler in self.old_handlers.items():
            signal.signal(signum, handler)


class _Signalled(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_HANDLER_PID = os.getpid()
"""The process that installs ``_raise_signalled``; a process forked while a set is written
(a worker pool rendering a page) inherits the handler but must end as the signal asks:
``Pool.terminate`` sends its workers SIGTERM and waits for them (a worker that raised
``_Signalled`` instead hung the compare that forked it)."""


_FORKS_WATCHED: list[bool] = []


def _watch_forks() -> None:
    """Note this process as the handler's owner, and (once) make a forked child start with
    the default handlers again."""
    global _HANDLER_PID
    _HANDLER_PID = os.getpid()
    if not _FORKS_WATCHED and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_default_signals_in_child)
        _FORKS_WATCHED.append(True)


def _default_signals_in_child() -> None:
    for name in _CAUGHT:
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is _raise_signalled:
            try:
                signal.signal(signum, signal.SIG_DFL)
            except ValueError:  # not the main thread: _raise_signalled still ends it
                pass


def _raise_signalled(signum: int, frame: object) -> None:
    if os.getpid() != _HANDLER_PID:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise _Signalled(signum)


def _hold_signals() -> set[int] | None:
    """Block the termination signals (they are delivered once released); None where the OS
    has no signal masks."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    wanted = {getattr(signal, name) for name in _SIGNALS if hasattr(signal, name)}
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, wanted))


def _release_signals(held: set[int] | None) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _open_folder(path: Path) -> int:
    """A descriptor of the folder ``path`` to lock, or -1 where folders cannot be opened."""
    try:
        return os.open(path, os.O_RDONLY)
    except OSError:
        return -1


def _close(fd: int) -> None:
    if fd >= 0:
        os.close(fd)


def _lock(fd: int, *, blocking: bool) -> None:
    """An exclusive ``flock`` on ``fd`` (a folder); nothing where there is no ``fcntl`` or
    no descriptor."""
    try:
        import fcntl
    except ImportError:
        return
    if fd < 0:
        return
    fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))


def _move_into_place(source: Path, target: Path, *, force: bool) -> None:
    """One finished file over its target (keeping the target's permission bits), or beside
    none: without ``force`` a link that fails if the target appeared."""
    try:
        existing = os.lstat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISREG(existing.st_mode):
        os.chmod(source, stat.S_IMODE(existing.st_mode))
    try:
        _install(source, target, overwrite=force)
    except OSError as exc:
        shown = one_line(str(target))
        if isinstance(exc, FileExistsError):
            raise OutputError(f"{shown}: already exists; pass --force to overwrite it") from None
        raise OutputError(f"{shown}: could not move it into place ({os_reason(exc)})") from None


def _update_manifest(out: Path, names: list[str], stale: Callable[[str], bool]) -> None:
    """Remove the stale files the previous manifest lists, then list what is there now."""
    before = _manifest(out)
    kept = []
    for name in before:
        if name in names:
            continue
        path = out / name
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stale(name) and stat.S_ISREG(info.st_mode):
            try:
                os.unlink(path)
            except OSError:
                kept.append(name)
        else:
            kept.append(name)
    listed = sorted(set(kept) | set(names))
    payload = json.dumps({"format": "policydiff/outputs@1", "files": listed}, indent=1)
    try:
        write_atomic(out / MANIFEST, payload + "\n", force=True)
    except OutputError:
        pass  # without it, a later run removes nothing: never more than it should


def _manifest(out: Path) -> list[str]:
    """The names the manifest in ``out`` lists (none when it is missing or damaged)."""
    try:
        data = json.loads(read_file(out / MANIFEST, "cache", limit=1_000_000))
    except (InputError, ValueError, RecursionError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return []
    return [name for name in files if isinstance(name, str) and _plain_name(name)]


def _plain_name(name: str) -> bool:
    """A file name without a folder part (a manifest never reaches outside its folder)."""
    return name not in ("", ".", "..", MANIFEST) and "/" not in name and "\\" not in name


def _remove_dead_sets(out: Path) -> None:
    """Remove the temporary folders of runs that were killed (no run holds their lock)."""
    try:
        import fcntl
    except ImportError:
        return
    try:
        entries = [e for e in os.scandir(out) if e.name.startswith(_TEMP_PREFIX)
                   and e.is_dir(follow_symlinks=False)]
    except OSError:
        return
    now = time.time()
    for entry in entries:
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < _DEAD_AFTER_S:
                continue  # perhaps a run that has made its folder but not yet locked it
            fd = os.open(entry.path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # a live run's
        _remove_tree(Path(entry.path))
        os.close(fd)


def _remove_tree(path: Path) -> None:
    """Remove a temporary folder of ours and the plain files in it (best effort)."""
    try:
        names = os.listdir(path)
    except OSError:
        return
    for name in names:
        try:
            os.unlink(path / name)
        except OSError:
            pass
    try:
        os.rmdir(path)
    except OSError:
        pass
