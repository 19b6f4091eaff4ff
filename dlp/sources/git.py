"""Git as a source: the index, diffs between revisions, and history.

Everything goes through the ``git`` command (``-c core.quotepath=off``,
NUL-separated output, streamed); pack files are never parsed here. Blobs are
read through one long-lived ``git cat-file --batch`` process per scanning
process, requests written in batches so git and the scanner overlap.

Errors (not a repository, an unknown revision) are :class:`InputError` with a
one-line message.
"""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from typing import IO, Iterable, Iterator, Sequence

from dlp.errors import InputError

ZERO_OID = "0" * 40
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_GIT = ("git", "-c", "core.quotepath=off", "-c", "diff.noprefix=false", "-c", "log.showSignature=false")
# Options that make diff output independent of the user's configuration.
_DIFF_OPTS = ("--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
              "--no-abbrev", "--raw", "-z")
_REGULAR_MODES = frozenset({"100644", "100755", "100664"})
_HUNK = re.compile(rb"^@@@* -[0-9,]+ \+(\d+)(?:,(\d+))? @@")
_READ_CHUNK = 1 << 18
_BATCH = 512  # cat-file requests written at once (41 bytes each: well under a pipe buffer)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Commit:
    oid: str
    author: str  # "Name <email>"
    date: str  # author date, ISO 8601


@dataclass(frozen=True, slots=True)
class RawEntry:
    """One line of ``git diff --raw``: a path whose content changed."""

    status: str  # A M D R C T (R and C carry a score: R100)
    old_mode: str
    new_mode: str
    old_oid: str
    new_oid: str
    path: str  # the new path
    old_path: str | None = None  # renames and copies

    @property
    def has_new_text(self) -> bool:
        """A regular file exists on the new side (symlinks and submodules are not content)."""
        return self.new_oid != ZERO_OID and self.new_mode in _REGULAR_MODES and self.status[0] != "D"

    @property
    def old_text_oid(self) -> str | None:
        """The regular-file blob the new one replaces at this path (None for a new file)."""
        return None if self.old_oid == ZERO_OID or self.old_mode not in _REGULAR_MODES else self.old_oid


@dataclass(frozen=True, slots=True)
class Change:
    """A blob to scan, and (for diffs) the line ranges it adds: ``(start, count)``, 1-based."""

    path: str
    oid: str
    added: tuple[tuple[int, int], ...] | None = None  # None: every line is new


# --------------------------------------------------------------------------- running git


def run_git(args: Sequence[str], *, cwd: str | None = None, what: str = "git") -> bytes:
    try:
        proc = subprocess.run([*_GIT, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed (or not on PATH)") from None
    if proc.returncode != 0:
        raise InputError(f"{what}: {_first_line(proc.stderr)}")
    return proc.stdout


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return "git failed"


def repo_root(cwd: str | None = None) -> str:
    """The top of the working tree containing ``cwd`` (InputError outside a repository)."""
    try:
        out = run_git(["rev-parse", "--show-toplevel"], cwd=cwd)
    except InputError:
        raise InputError(f"{os.path.abspath(cwd or '.')}: not a git repository") from None
    return os.fsdecode(out.rstrip(b"\n"))


def resolve_commit(root: str, rev: str) -> str | None:
    """The commit ``rev`` names, or None."""
    if not rev or rev.startswith("-"):
        return None
    proc = subprocess.run([*_GIT, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                          cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                          check=False)
    return proc.stdout.decode().strip() or None if proc.returncode == 0 else None


def require_commit(root: str, rev: str, what: str) -> str:
    oid = resolve_commit(root, rev)
    if oid is None:
        raise InputError(f"{what}: unknown revision {rev!r}")
    return oid


def has_head(root: str) -> bool:
    return resolve_commit(root, "HEAD") is not None


# --------------------------------------------------------------------------- parsing


def unquote_path(raw: bytes) -> bytes:
    """A path as git prints it in patch headers: C-quoted when it holds special characters."""
    if not (raw.startswith(b'"') and raw.endswith(b'"') and len(raw) >= 2):
        return raw
    body = raw[1:-1]
    out = bytearray()
    i = 0
    escapes = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12,
               ord("r"): 13, ord('"'): 34, ord("\\"): 92}
    while i < len(body):
        c = body[i]
        if c == 92 and i + 1 < len(body):  # backslash
            nxt = body[i + 1]
            if 48 <= nxt <= 55 and i + 3 < len(body) + 1:
                out.append(int(body[i + 1:i + 4], 8) & 0xFF)
                i += 4
                continue
            out.append(escapes.get(nxt, nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """NUL-separated tokens of a stream, read in chunks (bounded memory; a long
    token, such as a commit's patch, is joined once, not copied per chunk)."""
    pending: list[bytes] = []
    while True:
        chunk = stream.read(_READ_CHUNK)
        if not chunk:
            break
        if b"\0" not in chunk:
            pending.append(chunk)
            continue
        parts = chunk.split(b"\0")
        pending.append(parts[0])
        yield b"".join(pending)
        yield from parts[1:-1]
        pending = [parts[-1]]
    tail = b"".join(pending)
    if tail:
        yield tail


Event = tuple[str, object]  # ("commit", Commit) | ("raw", RawEntry) | ("patch", bytes)


def parse_stream(stream: IO[bytes]) -> Iterator[Event]:
    """Events of ``git log|diff --raw -z [-p]`` output whose commit header is
    ``%x00%H%x01%an <%ae>%x01%aI``."""
    tokens = _tokens(stream)
    for token in tokens:
        token = token.lstrip(b"\n")
        if not token:
            continue
        if token[:1] == b":":
            meta = token[1:].split(b" ")
            if len(meta) < 5:
                continue
            status = meta[-1].decode()
            first = next(tokens, b"")
            second = next(tokens, b"") if status[:1] in ("R", "C") else None
            old_mode, new_mode, old_oid, new_oid = (m.decode() for m in meta[:4])
            if second is None:
                yield "raw", RawEntry(status, old_mode, new_mode, old_oid, new_oid, decode_path(first))
            else:
                yield "raw", RawEntry(status, old_mode, new_mode, old_oid, new_oid, decode_path(second),
                                      decode_path(first))
        elif token.startswith(b"diff "):
            yield "patch", token
        elif len(token) > 41 and token[40:41] == b"\x01":
            oid, author, date = token.decode("utf-8", "replace").split("\x01", 2)
            yield "commit", Commit(oid, author, date.strip())


# Lines that start with these, found after a newline (a literal first character
# lets the regex engine skip through content at memchr speed).
_PATCH_HEADERS = re.compile(rb"\n(?:diff |\+\+\+ |@@)[^\n]*")


def added_lines(patch: bytes) -> dict[str, list[tuple[int, int]]]:
    """New path -> the (start, count) line ranges a ``-U0`` patch adds. Only
    header and hunk lines are looked at (found by one regex pass in C); a
    content line never starts with ``diff`` or ``@@``, and a ``+++`` inside a
    hunk is content."""
    out: dict[str, list[tuple[int, int]]] = {}
    current: list[tuple[int, int]] | None = None
    in_header = False
    for m in _PATCH_HEADERS.finditer(b"\n" + patch):
        line = m.group()[1:]
        if line.startswith(b"diff "):
            in_header = True
            current = None
        elif line.startswith(b"+++ "):
            if not in_header:
                continue  # an added line whose text starts with "++ "
            target = unquote_path(line[4:].rstrip(b"\t"))
            current = out.setdefault(decode_path(target[2:]), []) if target.startswith(b"b/") else None
        else:
            in_header = False
            hunk = _HUNK.match(line)
            if hunk and current is not None:
                count = 1 if hunk.group(2) is None else int(hunk.group(2))
                if count:
                    current.append((int(hunk.group(1)), count))
    return out


# --------------------------------------------------------------------------- sources


def _popen(args: Sequence[str], cwd: str) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen([*_GIT, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise InputError("git is not installed (or not on PATH)") from None


def _finish(proc: subprocess.Popen[bytes], what: str) -> None:
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    if proc.wait() != 0:
        raise InputError(f"{what}: {_first_line(stderr)}")


def _changes_from_diff(args: Sequence[str], root: str, pathspecs: Sequence[str], what: str) -> list[Change]:
    proc = _popen([*args, *_DIFF_OPTS, "-M", "-p", "-U0", "--", *pathspecs], root)
    assert proc.stdout is not None
    entries: list[RawEntry] = []
    hunks: dict[str, list[tuple[int, int]]] = {}
    try:
        for kind, value in parse_stream(proc.stdout):
            if kind == "raw":
                assert isinstance(value, RawEntry)
                entries.append(value)
            elif kind == "patch":
                assert isinstance(value, bytes)
                for path, ranges in added_lines(value).items():
                    hunks.setdefault(path, []).extend(ranges)
    finally:
        _finish(proc, what)
    return _changes(entries, hunks)


def _changes(entries: Iterable[RawEntry], hunks: dict[str, list[tuple[int, int]]]) -> list[Change]:
    """Blobs to scan for raw diff entries, with the lines their patch adds."""
    changes = []
    for entry in entries:
        if not entry.has_new_text:
            continue
        added = hunks.get(entry.path)
        if added:
            changes.append(Change(entry.path, entry.new_oid, tuple(added)))
        elif added is None and entry.new_oid != entry.old_oid:
            # no patch: binary to git (perhaps only by a .gitattributes setting) -> every line
            changes.append(Change(entry.path, entry.new_oid, None))
    return changes


def staged_changes(root: str, pathspecs: Sequence[str] = ()) -> list[Change]:
    """What the index adds relative to HEAD (every line, before the first commit)."""
    base = "HEAD" if has_head(root) else EMPTY_TREE
    return _changes_from_diff(["diff-index", "--cached", base], root, pathspecs, "--staged")


def diff_changes(root: str, diff_range: str, pathspecs: Sequence[str] = ()) -> list[Change]:
    """What ``REV..REV`` (or ``REV...REV``, or ``REV`` meaning ``REV...HEAD``) adds."""
    for sep in ("...", ".."):
        if sep in diff_range:
            old, new = diff_range.split(sep, 1)
            break
    else:
        old, new, sep = diff_range, "HEAD", "..."
    old_oid = require_commit(root, old or "HEAD", "--diff")
    new_oid = require_commit(root, new or "HEAD", "--diff")
    if sep == "...":
        base = run_git(["merge-base", old_oid, new_oid], cwd=root, what="--diff").decode().strip()
        old_oid = base.split()[0] if base else EMPTY_TREE
    return _changes_from_diff(["diff-tree", "-r", old_oid, new_oid], root, pathspecs, "--diff")


def history_log(root: str, revs: Sequence[str], *, since_date: str | None = None, patches: bool = False,
                renames: bool = True, pathspecs: Sequence[str] = ()) -> subprocess.Popen[bytes]:
    """``git log`` oldest first over ``revs``, one header and the raw diff (and
    ``-U0`` patch) against the first parent for each commit. Read its stdout
    with :func:`parse_stream`; finish with :func:`finish`."""
    args = ["log", "--reverse", "--date-order", "--format=%x00%H%x01%an <%ae>%x01%aI",
            "--root", "--full-history", "--diff-merges=first-parent", "-M" if patches and renames else "--no-renames",
            *_DIFF_OPTS]
    if patches:
        args += ["-p", "-U0"]
    if since_date:
        args.append(f"--since={since_date}")
    args += [*revs, "--", *pathspecs]
    return _popen(args, root)


def finish(proc: subprocess.Popen[bytes], what: str) -> None:
    _finish(proc, what)


def count_commits(root: str, revs: Sequence[str], *, since_date: str | None = None) -> int:
    args = ["rev-list", "--count"]
    if since_date:
        args.append(f"--since={since_date}")
    return int(run_git([*args, *revs, "--"], cwd=root, what="--history").strip() or 0)


def tree_blobs(root: str, revs: Iterable[str]) -> set[bytes]:
    """The binary ids of every regular-file blob in the trees of ``revs``."""
    out: set[bytes] = set()
    for rev in revs:
        data = run_git(["ls-tree", "-r", "-z", "--full-tree", rev], cwd=root, what="ls-tree")
        for record in data.split(b"\0"):
            if not record:
                continue
            meta = record.split(b"\t", 1)[0].split(b" ")
            if len(meta) == 3 and meta[1] == b"blob" and meta[0].decode() in _REGULAR_MODES:
                out.add(bytes.fromhex(meta[2].decode()))
    return out


class CatFile:
    """A long-lived ``git cat-file --batch``: blobs by id, in bounded memory."""

    def __init__(self, root: str) -> None:
        self.root = root
        try:
            self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [*_GIT, "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL)
        except FileNotFoundError:
            raise InputError("git is not installed (or not on PATH)") from None

    def read_many(self, oids: Sequence[str], max_size: int) -> Iterator[tuple[str, bytes | int | None]]:
        """(oid, content) in request order; content is the size (int) when over
        ``max_size`` (the bytes are skipped, never held), None when missing."""
        for start in range(0, len(oids), _BATCH):
            batch = oids[start:start + _BATCH]
            yield from self._read_batch(batch, max_size)

    def _read_batch(self, oids: Sequence[str], max_size: int) -> Iterator[tuple[str, bytes | int | None]]:
        proc = self._proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("".join(f"{oid}\n" for oid in oids).encode())
        proc.stdin.flush()
        out = proc.stdout
        for oid in oids:
            header = out.readline()
            if not header:
                raise InputError("git cat-file ended unexpectedly")
            parts = header.split()
            if len(parts) < 3 or parts[1] == b"missing":
                yield oid, None
                continue
            size = int(parts[2])
            if size > max_size:
                remaining = size + 1
                while remaining:
                    remaining -= len(out.read(min(remaining, _READ_CHUNK)))
                yield oid, size
                continue
            data = out.read(size + 1)
            yield oid, data[:size]

    def read(self, oid: str, max_size: int) -> bytes | int | None:
        return next(self.read_many([oid], max_size))[1]

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.close()
        except OSError:
            pass
        proc.stdout.close()
        try:
            proc.wait(timeout=1)
        except subprocess.TimeoutExpired:  # a forked process still holds its stdin open: we need no more
            proc.kill()
            proc.wait()

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def commit_changes(root: str, revs: Sequence[str], pathspecs: Sequence[str] = (), *,
                   since_date: str | None = None, renames: bool = True) -> Iterator[tuple[Commit, list[Change]]]:
    """Each commit of ``revs`` (oldest first) with the lines it adds against its
    first parent: what a push publishes, commit by commit."""
    proc = history_log(root, revs, patches=True, pathspecs=pathspecs, since_date=since_date, renames=renames)
    for commit, entries, hunks in _by_commit(proc):
        yield commit, _changes(entries, hunks)


def commit_entries(root: str, revs: Sequence[str], pathspecs: Sequence[str] = (), *,
                   since_date: str | None = None) -> Iterator[tuple[Commit, list[RawEntry]]]:
    """Each commit of ``revs`` (oldest first) with the raw entries of its diff
    against its first parent: no patches and no rename detection, so git only
    compares trees (a history of thousands of commits lists in well under a
    second). The reader compares each blob with ``old_oid`` itself."""
    proc = history_log(root, revs, patches=False, renames=False, pathspecs=pathspecs, since_date=since_date)
    for commit, entries, _ in _by_commit(proc):
        yield commit, entries


def _by_commit(proc: subprocess.Popen[bytes]
               ) -> Iterator[tuple[Commit, list[RawEntry], dict[str, list[tuple[int, int]]]]]:
    """Group the events of a ``git log`` by commit; finishes (or kills) ``proc``."""
    assert proc.stdout is not None
    commit: Commit | None = None
    entries: list[RawEntry] = []
    hunks: dict[str, list[tuple[int, int]]] = {}
    try:
        for kind, value in parse_stream(proc.stdout):
            if kind == "commit":
                if commit is not None:
                    yield commit, entries, hunks
                assert isinstance(value, Commit)
                commit, entries, hunks = value, [], {}
            elif kind == "raw":
                assert isinstance(value, RawEntry)
                entries.append(value)
            elif kind == "patch":
                assert isinstance(value, bytes)
                for path, ranges in added_lines(value).items():
                    hunks.setdefault(path, []).extend(ranges)
        if commit is not None:
            yield commit, entries, hunks
        _finish(proc, "git log")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
