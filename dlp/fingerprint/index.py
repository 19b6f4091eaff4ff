"""The proprietary-code index: winnowed fingerprints in an embedded SQLite file.

Schema::

    meta(key, value)                        parameters (k, w, tokenizer version, max_df, ...)
    files(id, path, sha256, mtime, size, language, lines, fingerprints, tokens, line_tokens)
        tokens: the file's normalised token stream (one byte per token, zlib);
        line_tokens: tokens per line (uint32 array, zlib).  About 4% of the
        source; lookup uses them to verify a candidate file densely.
    fingerprints(hash, file_id, start_line, end_line)
        PRIMARY KEY (hash, file_id, start_line) WITHOUT ROWID: the table is its own
        index on hash, so a lookup is one B-tree probe per hash and no space goes to
        a second copy of the rows.
    common(hash, files)                     hashes found in more than max_df files
    public_hashes(hash)                     fingerprints of the --public-dir code
    public_files(path, sha256, mtime, size) what the public set was built from

Discounting frequent fingerprints (nothing here counts as proprietary, and
lookup leaves them out of a region's share as well):

* document frequency: a hash present in more than ``max_df`` indexed files is
  boilerplate of this code base; it moves to ``common`` and its rows are
  deleted.  ``max_df`` defaults to max(8, 1% of the files).  Once common, a hash
  stays common until a full rebuild (``full=True``).
* built-in stop set (:mod:`.boilerplate`): every k-gram of typical boilerplate
  in each language (main guards, getters and setters, constructors that copy
  their arguments, ``if err != nil``, include guards ...).  Comments (so
  license headers) and import/include/package statements never produce tokens.
* public code: fingerprints of the files under ``public_dirs`` (for example a
  site-packages or node_modules directory) are kept in ``public_hashes``; a
  proprietary fingerprint equal to one of them is not stored.

Incremental rebuild: a file whose size and mtime are unchanged is not read; a
file whose sha256 is unchanged is not re-tokenised; files no longer found under
the given paths are removed.  A change of k, w, tokenizer version or public set
re-indexes everything.
"""
from __future__ import annotations

import fnmatch
import os
import sys
import threading
import time
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # type-checking names only (typing.Self needs 3.11)
    import sqlite3

    from typing_extensions import Self

# sqlite3 and concurrent.futures are imported where an index is opened or
# built, and SHA-256 comes from dlp.cache (hashlib loads OpenSSL): a scan that
# never opens an index should not load them.

from ..cache import sha256
from ..errors import InputError
from . import boilerplate
from .tokenize import TOKENIZER_VERSION, Tokens, language_for_path, tokenize
from .winnow import K, W, fingerprint_rows, kgram_hashes, winnow_positions

SCHEMA_VERSION = "2"
DEFAULT_EXCLUDED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".tox", ".venv"})
MAX_FILE_BYTES = 2_000_000  # larger files are generated or data, not hand-written code
_CHUNK = 500  # hashes per SQL IN (...) list
_ENGINES: dict[str, str | None] = {"auto": "auto", "tree-sitter": None, "regex": "regex"}  # build -> tokenize()
_CACHED_FILES = 256  # decompressed token streams an open Index keeps (a few MB)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL, mtime REAL NOT NULL,
    size INTEGER NOT NULL, language TEXT NOT NULL, lines INTEGER NOT NULL,
    fingerprints INTEGER NOT NULL, tokens BLOB NOT NULL, line_tokens BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS fingerprints(
    hash INTEGER NOT NULL, file_id INTEGER NOT NULL, start_line INTEGER NOT NULL,
    end_line INTEGER NOT NULL, PRIMARY KEY (hash, file_id, start_line)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS common(hash INTEGER PRIMARY KEY, files INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS public_hashes(hash INTEGER PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS public_files(
    path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, mtime REAL NOT NULL, size INTEGER NOT NULL) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class Skip:
    """A path the build passed over, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What one build did."""

    indexed: tuple[str, ...]  # files (re-)tokenised
    unchanged: int
    removed: tuple[str, ...]
    skipped: tuple[Skip, ...]
    bytes_indexed: int  # bytes of source tokenised in this build
    fingerprints_added: int
    common: int  # hashes treated as common after the build
    public_files: int
    seconds: float
    full: bool


@dataclass(frozen=True, slots=True)
class IndexStats:
    path: str
    files: int
    lines: int
    source_bytes: int
    fingerprints: int
    common: int
    public_hashes: int
    public_files: int
    index_bytes: int
    languages: tuple[tuple[str, int], ...]
    k: int
    w: int
    max_df: int
    built: str
    engine: str

    @property
    def size_share(self) -> float:
        """Index file size as a share of the indexed source."""
        return self.index_bytes / self.source_bytes if self.source_bytes else 0.0


class SourceRow(NamedTuple):
    """One fingerprint occurrence in the index (a NamedTuple: thousands are made per lookup)."""

    hash: int
    file_id: int
    start_line: int
    end_line: int


# --------------------------------------------------------------------------- reading sources


@dataclass(frozen=True, slots=True)
class _Candidate:
    path: str
    language: str
    size: int
    mtime: float


@dataclass(slots=True)
class _Walk:
    candidates: list[_Candidate] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


def _excluded(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _walk(paths: Iterable[str], exclude: Sequence[str]) -> _Walk:
    walk = _Walk()
    seen: set[str] = set()

    def add(path: str, explicit: bool) -> None:
        if path in seen:
            return
        seen.add(path)
        language = language_for_path(path)
        if language is None:
            if explicit:
                walk.skipped.append(Skip(path, "unknown language (no known file extension)"))
            return
        try:
            st = os.stat(path)
        except OSError as exc:
            walk.skipped.append(Skip(path, f"unreadable: {exc.strerror or exc}"))
            return
        if st.st_size > MAX_FILE_BYTES:
            walk.skipped.append(Skip(path, f"larger than {MAX_FILE_BYTES} bytes"))
            return
        walk.candidates.append(_Candidate(path, language, st.st_size, st.st_mtime))

    for root in paths:
        if os.path.isdir(root):
            for dirpath, dirnames, filenames in os.walk(root):
                rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
                rel_dir = "" if rel_dir == "." else rel_dir + "/"
                dirnames[:] = sorted(
                    d for d in dirnames
                    if d not in DEFAULT_EXCLUDED_DIRS and not _excluded(rel_dir + d, exclude)
                )
                for name in sorted(filenames):
                    if not _excluded(rel_dir + name, exclude):
                        add(os.path.join(dirpath, name), False)
        elif os.path.exists(root):
            add(root, True)
        else:
            walk.skipped.append(Skip(root, "no such file or directory"))
    return walk


def _read_source(path: str) -> bytes | str:
    """The file's bytes, or the reason it cannot be indexed."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    if b"\0" in data[:8192]:
        return "binary file"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"invalid UTF-8 at byte {exc.start}"
    return data


def pack_tokens(tokens: Tokens) -> tuple[bytes, bytes]:
    """(zlib token stream, zlib uint32 tokens-per-line) as stored in ``files``."""
    starts = tokens.line_starts
    counts = array("I", [b - a for a, b in pairwise(starts)])
    return zlib.compress(tokens.stream, 6), zlib.compress(counts.tobytes(), 6)


def unpack_tokens(stream: bytes, line_tokens: bytes) -> tuple[bytes, array[int]]:
    """Token stream and line starts (token index of each line) from ``files`` blobs."""
    counts = array("I")
    counts.frombytes(zlib.decompress(line_tokens))
    return zlib.decompress(stream), array("I", accumulate(counts, initial=0))


def _line_count(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


# worker: (path, language, k, w, engine, file id) -> (path, sha256, lines, rows, size, tokens,
# line_tokens) or (path, reason); rows: (hash, file id, start line, end line) of each
# fingerprint outside the stop set, flattened into an int64 array (cheap to pass between processes)
def _fingerprint_file(item: tuple[str, str, int, int, str | None, int]) -> tuple[Any, ...]:
    path, language, k, w, engine, file_id = item
    data = _read_source(path)
    if isinstance(data, str):
        return (path, data)
    digest = sha256(data).hexdigest()
    tokens = tokenize(data, language, engine=engine)
    stop = boilerplate.stop_set(k)
    rows = array("q", chain.from_iterable(
        (h, file_id, s, e) for h, s, e in fingerprint_rows(tokens, k=k, w=w) if h not in stop
    ))
    return (path, digest, _line_count(data), rows.tobytes(), len(data), *pack_tokens(tokens))


def _public_hashes(item: tuple[str, str, int, int, str | None]) -> tuple[Any, ...]:
    path, language, k, w, engine = item
    data = _read_source(path)
    if isinstance(data, str):
        return (path, data)
    hashes = kgram_hashes(tokenize(data, language, engine=engine).stream, k)
    selected = {h - 0x1_0000_0000 if h & 0x8000_0000 else h for h in map(hashes.__getitem__, winnow_positions(hashes, w))}
    return (path, sha256(data).hexdigest(), selected)


def _run(func: Any, items: Sequence[tuple[Any, ...]], jobs: int) -> Iterator[tuple[Any, ...]]:
    total = sum(os.path.getsize(i[0]) for i in items) if len(items) < 64 else None
    if jobs <= 1 or len(items) < 16 or (total is not None and total < 500_000):
        yield from map(func, items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(func, items, chunksize=8)


# --------------------------------------------------------------------------- the index


class Index:
    """An open index. Cheap to open; one instance may serve lookups from several threads."""

    def __init__(self, path: str, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection
        meta = dict(connection.execute("SELECT key, value FROM meta"))
        self.k = int(meta.get("k", K))
        self.w = int(meta.get("w", W))
        self.max_df = int(meta.get("max_df", 0))
        self.tokenizer_version = meta.get("tokenizer", TOKENIZER_VERSION)
        self._paths: dict[int, str] | None = None
        self._file_languages: dict[int, str] | None = None
        self._tokens: dict[int, tuple[bytes, array[int]]] = {}  # most recently used last
        self._lock = threading.RLock()  # one SQLite connection, used by one thread at a time
        self._languages: tuple[str, ...] | None = None
        self._common: frozenset[int] | None = None
        self._has_public = False

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Index:
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise InputError(f"{path}: no such index")
        import sqlite3

        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            db.execute("PRAGMA query_only = ON")
            db.execute("PRAGMA mmap_size = 268435456")
            meta = dict(db.execute("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{path}: not a dlp index ({exc})") from None
        if meta.get("schema") != SCHEMA_VERSION:
            raise InputError(f"{path}: index schema {meta.get('schema')!r}, expected {SCHEMA_VERSION!r}: rebuild it")
        return cls(path, db)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries used by lookup

    def file_path(self, file_id: int) -> str:
        with self._lock:
            if self._paths is None:
                self._paths = dict(self._db.execute("SELECT id, path FROM files"))
            return self._paths[file_id]

    def file_tokens(self, file_id: int) -> tuple[bytes, array[int]]:
        """The normalised token stream of an indexed file and its line starts (cached)."""
        with self._lock:
            cached = self._tokens.get(file_id)
            if cached is None:
                row = self._db.execute("SELECT tokens, line_tokens FROM files WHERE id = ?", (file_id,)).fetchone()
                if row is None:
                    raise KeyError(file_id)
                cached = unpack_tokens(row[0], row[1])
                if len(self._tokens) >= _CACHED_FILES:
                    self._tokens.pop(next(iter(self._tokens)))
            else:
                del self._tokens[file_id]  # re-inserted below: most recently used
            self._tokens[file_id] = cached
            return cached

    def file_language(self, file_id: int) -> str:
        return self.file_languages()[file_id]

    def file_languages(self) -> dict[int, str]:
        """Language of every indexed file, by file id."""
        with self._lock:
            if self._file_languages is None:
                self._file_languages = dict(self._db.execute("SELECT id, language FROM files"))
            return self._file_languages

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages of the indexed files, most files first."""
        with self._lock:
            return self._language_list()

    def _language_list(self) -> tuple[str, ...]:
        if self._languages is None:
            self._languages = tuple(
                lang for lang, _ in self._db.execute(
                    "SELECT language, COUNT(*) c FROM files GROUP BY language ORDER BY c DESC, language"
                )
            )
        return self._languages

    def rows(self, hashes: Iterable[int]) -> list[SourceRow]:
        """Every stored occurrence of the given hashes."""
        with self._lock:
            out: list[SourceRow] = []
            unique = list(set(hashes))
            for i in range(0, len(unique), _CHUNK):
                chunk = unique[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                out.extend(map(SourceRow._make, self._db.execute(
                    f"SELECT hash, file_id, start_line, end_line FROM fingerprints WHERE hash IN ({marks})", chunk
                )))
            return out

    def _load_common(self) -> frozenset[int]:
        if self._common is None:  # the frequent ones and the stop set are few: kept in memory
            frequent = {h for (h,) in self._db.execute("SELECT hash FROM common")}
            self._common = frozenset(frequent | boilerplate.stop_set(self.k))
            self._has_public = self._db.execute("SELECT 1 FROM public_hashes LIMIT 1").fetchone() is not None
        return self._common

    def frequent(self) -> frozenset[int] | None:
        """Every hash that does not count, if the index has no public hashes (else None: use common())."""
        with self._lock:
            common = self._load_common()
            return None if self._has_public else common

    def common(self, hashes: Iterable[int]) -> set[int]:
        """Those of ``hashes`` that do not count: frequent, public or boilerplate."""
        with self._lock:
            unique = set(hashes)
            found = unique & self._load_common()
            if self._has_public:
                rest = list(unique - found)
                for i in range(0, len(rest), _CHUNK):
                    chunk = rest[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    found.update(h for (h,) in self._db.execute(
                        f"SELECT hash FROM public_hashes WHERE hash IN ({marks})", chunk))
            return found

    def stats(self) -> IndexStats:
        with self._lock:
            db = self._db
            files, lines, source_bytes = db.execute("SELECT COUNT(*), COALESCE(SUM(lines), 0), COALESCE(SUM(size), 0) FROM files").fetchone()
            meta = dict(db.execute("SELECT key, value FROM meta"))
            return IndexStats(
                path=self.path,
                files=files,
                lines=lines,
                source_bytes=source_bytes,
                fingerprints=db.execute("SELECT COUNT(*) FROM fingerprints").fetchone()[0],
                common=db.execute("SELECT COUNT(*) FROM common").fetchone()[0],
                public_hashes=db.execute("SELECT COUNT(*) FROM public_hashes").fetchone()[0],
                public_files=db.execute("SELECT COUNT(*) FROM public_files").fetchone()[0],
                index_bytes=os.path.getsize(self.path),
                languages=tuple(db.execute("SELECT language, COUNT(*) FROM files GROUP BY language ORDER BY 2 DESC, 1")),
                k=self.k,
                w=self.w,
                max_df=self.max_df,
                built=meta.get("built", ""),
                engine=meta.get("engine", "tree-sitter"),
            )


def open_index(path: str | os.PathLike[str]) -> Index:
    """Open an index built by :func:`build` for lookups."""
    return Index.open(path)


# --------------------------------------------------------------------------- building


def _connect_for_build(out: str) -> sqlite3.Connection:
    directory = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(directory):
        raise InputError(f"{out}: directory {directory} does not exist")
    import sqlite3

    try:
        db = sqlite3.connect(out, isolation_level=None)
        db.execute("PRAGMA journal_mode = DELETE")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA cache_size = -65536")
        db.execute("PRAGMA temp_store = MEMORY")
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if tables and "meta" not in tables:
            raise InputError(f"{out}: exists and is not a dlp index")
        if tables:
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None or row[0] != SCHEMA_VERSION:  # an older layout: start afresh
                for name in tables:
                    db.execute(f'DROP TABLE IF EXISTS "{name}"')
        db.executescript(_SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{out}: cannot open as an index ({exc})") from None
    return db


def _public_manifest(walk: _Walk) -> str:
    digest = sha256()
    for c in walk.candidates:
        digest.update(f"{c.path}\0{c.size}\0{c.mtime}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def build(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    public_dirs: Iterable[str | os.PathLike[str]] = (),
    exclude: Sequence[str] = (),
    max_df: int | None = None,
    full: bool = False,
    jobs: int | None = None,
    k: int = K,
    w: int = W,
    engine: str = "auto",
) -> BuildReport:
    """Create or update the index ``out`` from the source files under ``paths``.

    Only files with a known source extension are indexed (see
    :data:`dlp.fingerprint.tokenize.EXTENSIONS`); ``exclude`` holds glob patterns
    matched against the path relative to each argument and against the file name.
    ``max_df``: a hash found in more files than this is common (None: max(8, 1%)).
    ``engine``: "auto" (default: the regex engine on files where it reads like
    the grammar, tree-sitter on the others), "tree-sitter" (every file parsed;
    the regex engine where a grammar is missing) or "regex" (no grammar at all).
    """
    if engine not in _ENGINES:
        raise InputError(f"unknown tokenizer engine {engine!r}")
    engine_arg = _ENGINES[engine]
    started = time.perf_counter()
    out = os.fspath(out)
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    targets: list[str] = [os.fspath(p) for p in paths]
    if not targets:
        raise InputError("no paths to index")
    walk = _walk(targets, exclude)
    public_walk = _walk([os.fspath(p) for p in public_dirs], exclude) if public_dirs else None

    db = _connect_for_build(out)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        wanted = {"schema": SCHEMA_VERSION, "k": str(k), "w": str(w), "tokenizer": TOKENIZER_VERSION,
                  "engine": engine}
        public_manifest = _public_manifest(public_walk) if public_walk is not None else meta.get("public", "")
        changed = any(meta.get(key) != value for key, value in wanted.items())
        if changed or meta.get("public", "") != public_manifest:
            full = True
        db.execute("BEGIN")
        if full:
            for table in ("files", "fingerprints", "common"):
                db.execute(f"DELETE FROM {table}")
        if changed and public_walk is None:  # public fingerprints made with other parameters: useless
            db.execute("DELETE FROM public_hashes")
            db.execute("DELETE FROM public_files")
            public_manifest = ""

        public_count = 0
        skipped = list(walk.skipped)
        if public_walk is not None and (full or meta.get("public", "") != public_manifest):
            db.execute("DELETE FROM public_hashes")
            db.execute("DELETE FROM public_files")
            items = [(c.path, c.language, k, w, engine_arg) for c in public_walk.candidates]
            sizes = {c.path: c for c in public_walk.candidates}
            for result in _run(_public_hashes, items, jobs):
                if len(result) == 2:
                    continue  # unreadable public files simply do not count
                path, digest, selected = result
                c = sizes[path]
                db.execute("INSERT INTO public_files VALUES (?, ?, ?, ?)", (path, digest, c.mtime, c.size))
                db.executemany("INSERT OR IGNORE INTO public_hashes VALUES (?)", ((h,) for h in selected))
        public_count = db.execute("SELECT COUNT(*) FROM public_files").fetchone()[0]

        known = {path: (fid, sha, mtime, size) for fid, path, sha, mtime, size in db.execute(
            "SELECT id, path, sha256, mtime, size FROM files")}
        todo: list[_Candidate] = []
        unchanged = 0
        for c in walk.candidates:
            old = known.get(c.path)
            if old is not None and old[2] == c.mtime and old[3] == c.size:
                unchanged += 1
            else:
                todo.append(c)
        current = {c.path for c in walk.candidates}
        removed = sorted(p for p in known if p not in current)

        stale_ids = [known[p][0] for p in removed]
        boilerplate.stop_set(k)  # computed before the workers start: forked workers inherit it
        # new rows go to a scratch table first and into the index in key order at the end
        # (SQLite sorts much faster than Python)
        db.execute("CREATE TEMP TABLE IF NOT EXISTS new_fingerprints("
                   "hash INTEGER, file_id INTEGER, start_line INTEGER, end_line INTEGER)")
        db.execute("DELETE FROM new_fingerprints")
        next_id = (db.execute("SELECT MAX(id) FROM files").fetchone()[0] or 0) + 1
        by_path = {c.path: c for c in todo}
        file_items = [(c.path, c.language, k, w, engine_arg, next_id + i) for i, c in enumerate(todo)]
        ids = {item[0]: item[5] for item in file_items}
        indexed: list[str] = []
        bytes_indexed = 0
        for result in _run(_fingerprint_file, file_items, jobs):
            if len(result) == 2:
                skipped.append(Skip(result[0], result[1]))
                if result[0] in known:
                    stale_ids.append(known[result[0]][0])
                    removed.append(result[0])
                    db.execute("DELETE FROM files WHERE id = ?", (known[result[0]][0],))
                continue
            path, digest, lines, rows, size, packed, line_tokens = result
            c = by_path[path]
            old = known.get(path)
            if old is not None and old[1] == digest:
                db.execute("UPDATE files SET mtime = ?, size = ? WHERE id = ?", (c.mtime, c.size, old[0]))
                unchanged += 1
                continue
            if old is not None:
                stale_ids.append(old[0])
                db.execute("DELETE FROM files WHERE id = ?", (old[0],))
            flat = array("q")
            flat.frombytes(rows)
            db.execute(
                "INSERT INTO files(id, path, sha256, mtime, size, language, lines, fingerprints, tokens, line_tokens) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (ids[path], c.path, digest, c.mtime, c.size, c.language, lines, len(flat) // 4, packed, line_tokens),
            )
            it = iter(flat)
            db.executemany("INSERT INTO new_fingerprints VALUES (?, ?, ?, ?)", zip(it, it, it, it))
            indexed.append(c.path)
            bytes_indexed += size

        if stale_ids:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS stale(id INTEGER PRIMARY KEY)")
            db.execute("DELETE FROM stale")
            db.executemany("INSERT OR IGNORE INTO stale VALUES (?)", ((i,) for i in stale_ids))
            db.execute("DELETE FROM fingerprints WHERE file_id IN (SELECT id FROM stale)")
            db.execute("DELETE FROM files WHERE id IN (SELECT id FROM stale)")

        public_filter = " AND hash NOT IN (SELECT hash FROM public_hashes)" if public_count else ""
        added = db.execute(
            "INSERT OR IGNORE INTO fingerprints SELECT hash, file_id, start_line, end_line FROM new_fingerprints "
            f"WHERE hash NOT IN (SELECT hash FROM common){public_filter} ORDER BY hash, file_id, start_line"
        ).rowcount
        db.execute("DELETE FROM new_fingerprints")

        files = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        limit = max_df if max_df is not None else max(8, files // 100)
        db.execute(
            "INSERT OR REPLACE INTO common(hash, files) SELECT hash, COUNT(DISTINCT file_id) FROM fingerprints "
            "GROUP BY hash HAVING COUNT(DISTINCT file_id) > ?",
            (limit,),
        )
        db.execute("DELETE FROM fingerprints WHERE hash IN (SELECT hash FROM common)")
        built = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        db.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [*wanted.items(), ("max_df", str(limit)), ("public", public_manifest), ("built", built)],
        )
        db.execute("COMMIT")
        common_count = db.execute("SELECT COUNT(*) FROM common").fetchone()[0]
        if full or stale_ids:  # pages split while inserting are about 80% full: repack them (0.1 s for 10 MB)
            db.execute("VACUUM")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        db.close()
    return BuildReport(
        indexed=tuple(indexed),
        unchanged=unchanged,
        removed=tuple(removed),
        skipped=tuple(skipped),
        bytes_indexed=bytes_indexed,
        fingerprints_added=added,
        common=common_count,
        public_files=public_count,
        seconds=time.perf_counter() - started,
        full=full,
    )
