"""Where dlp keeps derived data (compiled databases, parsed rules): never secrets."""
from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    environ = os.environ
    return _cache_dir(environ.get("DLP_CACHE_DIR"), environ.get("XDG_CACHE_HOME"),
                      environ.get("HOME") or environ.get("USERPROFILE"))


@cache
def _cache_dir(explicit: str | None, xdg: str | None, _home: str | None) -> Path:
    """The folder for these variables (a process asks once per cached regex and
    database: a Path and ``expanduser`` each time cost ~6 us, about 1 ms of a
    scan's start)."""
    if explicit:
        return Path(explicit)
    base = xdg or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dlp"


def sha256(data: bytes = b"") -> Any:
    """``hashlib.sha256(data)``, the same digest, without importing hashlib:
    its import loads OpenSSL, several ms of a hook's start-up (CPython's own
    SHA-256 module is used when present)."""
    return _sha256_constructor()(data)


@cache
def _sha256_constructor() -> Any:
    """The SHA-256 constructor, found once (not an import attempt per call)."""
    try:
        from _sha256 import sha256 as new  # type: ignore[import-not-found]  # CPython <= 3.11
    except ImportError:
        try:
            from _sha2 import sha256 as new  # type: ignore[import-not-found]  # CPython >= 3.12
        except ImportError:
            from hashlib import sha256 as new
    return new


def read_own(path: str | Path) -> bytes | None:
    """The bytes of a cache file that becomes code or a program when loaded
    (records' methods, regex programs), or None when it is missing, not the
    user's own, or writable by anyone else."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_mode & 0o022 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
                return None
            return fh.read()
    except OSError:
        return None


def store_atomic(path: Path, blob: bytes) -> None:
    """Best effort: a read-only or missing cache only costs a recompute next time."""
    import tempfile  # only a cache miss writes: a warm start need not import it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass


def memo_json(kind: str, text: str, parse: Callable[[], Any]) -> Any:
    """``parse()``, a pure function of ``text``, memoised on disk by the hash of
    ``text`` (so a cold process reading the same `.dlp.yaml` again need not
    import a YAML parser). Only values that JSON returns unchanged are kept;
    errors raised by ``parse`` are never cached."""
    import json

    digest = sha256(f"{kind}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()[:32]
    path = cache_dir() / f"{kind}-{digest}.json"
    try:
        with open(path, "rb") as fh:
            return json.loads(fh.read())
    except (OSError, ValueError):
        pass
    value = parse()
    try:
        blob = json.dumps(value, ensure_ascii=False)
        faithful = json.loads(blob) == value and _same_types(json.loads(blob), value)
    except (TypeError, ValueError, RecursionError):
        return value
    if faithful:
        store_atomic(path, blob.encode("utf-8", "surrogatepass"))
    return value


def _same_types(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return all(_same_types(k, k2) and _same_types(a[k], b[k2]) for k, k2 in zip(a, b))
    if isinstance(a, list):
        return all(_same_types(x, y) for x, y in zip(a, b))
    return True
