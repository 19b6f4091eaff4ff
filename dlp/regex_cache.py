"""Compiled regexes of rules and built-in checks, memoised on disk.

``re.compile`` parses a pattern and generates its program in Python: 3-6 ms
for a long rule pattern, paid again by every cold process (a hook runs one
per prompt). :func:`compile` keeps the program (the opcodes ``re`` hands to
its C engine, with the group names) in the cache directory, keyed by the
pattern, the flags and the interpreter, and makes the same pattern object
from it (~0.05 ms). A program is stored only after the pattern object made
from it compared equal to ``re.compile``'s (``re.Pattern`` equality compares
the programs), so any interpreter whose ``re`` differs simply gets
``re.compile``. The C engine validates a program it is given, and a cache
file is read only if it is the user's own and writable by no one else.

For patterns that are not secrets (rule packs, dlp's own checks): the cache
holds each pattern's text.
"""
from __future__ import annotations

import re
import sys
from typing import Any, AnyStr


def compile(pattern: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, its program memoised on disk."""
    if flags & re.DEBUG:
        return re.compile(pattern, flags)
    try:
        path = _path(pattern, flags)
    except Exception:  # noqa: BLE001 - no cache: compile as usual
        return re.compile(pattern, flags)
    compiled = _load(path, pattern, flags)
    if compiled is not None:
        return compiled
    compiled = re.compile(pattern, flags)  # raises re.error for a bad pattern, as usual
    try:
        program = _program(pattern, flags)
        made = _make(pattern, program)
        if made == compiled and made.groupindex == compiled.groupindex and made.groups == compiled.groups:
            import marshal

            from dlp.cache import store_atomic

            store_atomic(path, marshal.dumps((pattern, int(flags), program)))
    except Exception:  # noqa: BLE001 - an interpreter whose re works otherwise: no cache
        return compiled
    return compiled


def _path(pattern: str | bytes, flags: int) -> Any:
    import _sre  # type: ignore[import-not-found]

    from dlp.cache import cache_dir, sha256

    key = repr((sys.version, _sre.MAGIC, int(flags), pattern)).encode("utf-8", "surrogatepass")
    return cache_dir() / f"re-{sha256(key).hexdigest()[:32]}.marshal"


def _load(path: Any, pattern: AnyStr, flags: int) -> re.Pattern[AnyStr] | None:
    """The pattern made from its stored program, or None (missing, foreign,
    stale or corrupt: the caller compiles and stores it again)."""
    import marshal

    from dlp.cache import read_own

    blob = read_own(path)
    if blob is None:
        return None
    try:
        stored_pattern, stored_flags, program = marshal.loads(blob)
        if type(stored_pattern) is not type(pattern) or stored_pattern != pattern or stored_flags != int(flags):
            return None
        return _make(pattern, program)
    except Exception:  # noqa: BLE001 - the engine refuses an invalid program (RuntimeError)
        return None


def _program(pattern: str | bytes, flags: int) -> tuple[Any, ...]:
    """What ``re._compiler.compile`` passes to the C engine, as plain data."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (int(flags | parsed.state.flags), [int(op) for op in code], parsed.state.groups - 1, groupindex,
            tuple(indexgroup))


def _make(pattern: AnyStr, program: tuple[Any, ...]) -> re.Pattern[AnyStr]:
    import _sre  # type: ignore[import-not-found]

    engine_flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, engine_flags, code, groups, groupindex, indexgroup)  # type: ignore[no-any-return]
