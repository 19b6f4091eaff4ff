"""Files and directories as scannable documents.

Walks directories honouring .gitignore files (nested ones too) and configured
excludes, never follows directory symlinks unless asked (and then never into a
loop), skips what is not a regular file, binary files and files over the size
limit, and turns UTF-16 text into UTF-8. Everything skipped is reported as a
:class:`~dlp.model.Skipped` with its reason; nothing raises for one bad path.
"""
from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from dlp.config import DEFAULT_MAX_FILE_SIZE
from dlp.model import Skipped

if TYPE_CHECKING:
    import pathspec  # imported where a .gitignore is read: a git or stdin scan never needs it

_SNIFF = 8192
_ALWAYS_SKIP_DIRS = frozenset({".git", ".hg", ".svn"})


@dataclass(frozen=True, slots=True)
class Document:
    """Bytes to scan (UTF-8 unless the file was binary-looking) and where they came from."""

    path: str
    data: bytes
    encoding: str = "utf-8"


@dataclass(frozen=True, slots=True)
class FileTask:
    """A file found by the walk, read later (possibly in a worker process)."""

    path: str  # as displayed: reached from the argument given
    fs_path: str  # what to open


class _Ignore:
    """Gitignore rules of one directory, applied to paths relative to it."""

    __slots__ = ("base", "spec")

    def __init__(self, base: str, spec: pathspec.PathSpec) -> None:
        self.base = base
        self.spec = spec

    def matches(self, fs_path: str, is_dir: bool) -> bool:
        rel = os.path.relpath(fs_path, self.base).replace(os.sep, "/")
        if is_dir:
            rel += "/"
        return self.spec.match_file(rel)


def _read_gitignore(directory: str) -> _Ignore | None:
    path = os.path.join(directory, ".gitignore")
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return _Ignore(directory, spec) if spec.patterns else None


def walk(
    roots: list[str],
    *,
    exclude: pathspec.PathSpec | None = None,
    excludes_at: tuple[tuple[pathspec.PathSpec, str], ...] = (),
    use_gitignore: bool = True,
    follow_symlinks: bool = False,
) -> Iterator[FileTask | Skipped]:
    """Yield every file to scan under ``roots`` (files given directly are always
    scanned), and a Skipped for each path passed over with a reason worth telling.

    ``exclude`` patterns are relative to each root; ``excludes_at`` pairs a spec
    with the directory its patterns are relative to (a config file's folder)."""
    for root in roots:
        try:
            st = os.stat(root) if follow_symlinks else os.lstat(root)
        except OSError as exc:
            yield Skipped(root, _os_reason(exc))
            continue
        if stat.S_ISLNK(st.st_mode):
            try:
                target = os.stat(root)
            except OSError as exc:
                yield Skipped(root, f"broken symlink ({_os_reason(exc)})")
                continue
            if stat.S_ISDIR(target.st_mode):
                yield Skipped(root, "symlink to a directory not followed (use --follow-symlinks)")
                continue
            st = target
        if stat.S_ISDIR(st.st_mode):
            specs = ((exclude, root),) if exclude is not None else ()
            yield from _walk_dir(root, (*specs, *excludes_at), use_gitignore, follow_symlinks)
        elif stat.S_ISREG(st.st_mode):
            yield FileTask(root, root)
        else:
            yield Skipped(root, _kind(st.st_mode))


def _walk_dir(
    root: str,
    excludes: tuple[tuple[pathspec.PathSpec, str], ...],
    use_gitignore: bool,
    follow_symlinks: bool,
) -> Iterator[FileTask | Skipped]:
    visited: set[tuple[int, int]] = set()
    # stack of (directory, inherited ignore rules)
    stack: list[tuple[str, tuple[_Ignore, ...]]] = [(root, ())]
    while stack:
        directory, ignores = stack.pop()
        try:
            st = os.stat(directory)
        except OSError as exc:
            yield Skipped(directory, _os_reason(exc))
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:
            yield Skipped(directory, "symlink loop (directory already visited)")
            continue
        visited.add(key)
        if use_gitignore:
            own = _read_gitignore(directory)
            if own is not None:
                ignores = (*ignores, own)
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(directory, _os_reason(exc))
            continue
        subdirs = []
        for entry in entries:
            path = entry.path
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=follow_symlinks)
                is_file = entry.is_file(follow_symlinks=follow_symlinks)
            except OSError as exc:
                yield Skipped(path, _os_reason(exc))
                continue
            if is_dir and entry.name in _ALWAYS_SKIP_DIRS:
                continue
            if any(ig.matches(path, is_dir) for ig in ignores):
                continue
            if any(_excluded(spec, base, path, is_dir) for spec, base in excludes):
                continue
            if is_dir:
                subdirs.append(path)
            elif is_file:
                yield FileTask(path, path)
            elif is_link:
                if not follow_symlinks:
                    continue  # symlinks are not followed by default, silently (like git)
                yield Skipped(path, "broken symlink")
            else:
                try:
                    mode = entry.stat(follow_symlinks=False).st_mode
                except OSError as exc:
                    yield Skipped(path, _os_reason(exc))
                    continue
                yield Skipped(path, _kind(mode))
        for sub in reversed(subdirs):
            stack.append((sub, ignores))


def _excluded(spec: pathspec.PathSpec, base: str, path: str, is_dir: bool) -> bool:
    rel = os.path.relpath(path, base).replace(os.sep, "/")
    if rel.startswith("../"):
        return False
    return spec.match_file(rel + "/" if is_dir else rel)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "not a regular file (FIFO)"
    if stat.S_ISSOCK(mode):
        return "not a regular file (socket)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not a regular file (device)"
    return "not a regular file"


def _os_reason(exc: OSError) -> str:
    if exc.errno is not None and exc.strerror:
        return exc.strerror.lower()
    return str(exc)


def read_document(task: FileTask, *, max_size: int = DEFAULT_MAX_FILE_SIZE) -> Document | Skipped:
    """Read one file without following it into trouble: checks the size before
    reading, opens non-blocking (a FIFO created since the walk cannot hang us)."""
    try:
        fd = os.open(task.fs_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return Skipped(task.path, _os_reason(exc))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return Skipped(task.path, _kind(st.st_mode))
        if st.st_size > max_size:
            return Skipped(task.path, f"larger than the size limit ({st.st_size} > {max_size} bytes)")
        data = _read_all(fd, min(st.st_size, max_size) + 1, max_size + 1)
    except OSError as exc:
        return Skipped(task.path, _os_reason(exc))
    finally:
        os.close(fd)
    if len(data) > max_size:
        return Skipped(task.path, f"larger than the size limit (> {max_size} bytes)")
    return decode_document(task.path, data)


def _read_all(fd: int, hint: int, limit: int) -> bytes:
    """Read up to ``limit`` bytes (the file may grow or shrink while we read)."""
    first = os.read(fd, hint)
    if len(first) < hint:
        return first
    chunks = [first]
    total = len(first)
    while total < limit:
        chunk = os.read(fd, min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def decode_document(path: str, data: bytes) -> Document | Skipped:
    """UTF-16/32 with a BOM (or BOM-less UTF-16 text) becomes UTF-8; other bytes
    are scanned as they are (invalid UTF-8 included); binary is skipped."""
    if data.startswith(codecs.BOM_UTF8):
        return Document(path, data[len(codecs.BOM_UTF8):], "utf-8-sig")
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                          (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _transcode(path, data[len(bom):], encoding)
    head = data[:_SNIFF]
    if b"\0" in head:
        encoding = _bomless_utf16(head)
        if encoding:
            return _transcode(path, data, encoding)
        return Skipped(path, "binary file")
    return Document(path, data)


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII-range text leaves every other byte zero."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.05 * len(odd):
        return "utf-16-be"
    return None


def _transcode(path: str, data: bytes, encoding: str) -> Document | Skipped:
    text = data.decode(encoding, "replace")
    return Document(path, text.encode("utf-8", "surrogatepass"), encoding)


def display_path(path: str) -> str:
    return Path(path).as_posix()
