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
import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from policydiff.errors import InputError, OutputError
from policydiff.textsafe import one_line

__all__ = ["KINDS", "FileKind", "os_reason", "read_file", "write_atomic"]


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
    """The bytes to write: ``str`` as UTF-8 (a lone surrogate is refused), bytes as they are."""
    if not isinstance(data, str):
        return bytes(data)
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise OutputError(
            f"{shown}: the text cannot be written as UTF-8 (character {exc.start} is a lone "
            "surrogate); this is a bug, please report it"
        ) from None


def _refuse_path(target: Path, shown: str, protect: Iterable[str | Path]) -> None:
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
    for source in protect:
        if _same_file(target, Path(source)):
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


def _same_file(target: Path, source: Path) -> bool:
    if os.path.realpath(target) == os.path.realpath(source):
        return True
    try:
        return os.path.samefile(target, source)
    except OSError:
        return False


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
