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

Rule patterns ask for ``first_bytes``: their programs also name the bytes a
match can begin with (dlp/regex_first.py), which ``re``'s compiler finds only
when a pattern opens with them, so the engine skips to those bytes instead of
trying a match at each one.
"""
from __future__ import annotations

import re
import sys
from typing import Any, AnyStr


def compile(pattern: AnyStr, flags: int = 0, *, first_bytes: bool = False) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, its program memoised on disk.

    With ``first_bytes``, a bytes pattern whose compiled program has no
    literal prefix or first-character set of its own gets the set of bytes
    its matches begin with (:mod:`dlp.regex_first`), so that searching skips
    to them: the same matches, found without trying every position."""
    if flags & re.DEBUG:
        return re.compile(pattern, flags)
    first = first_bytes and isinstance(pattern, bytes)
    try:
        path = _path(pattern, flags, first)
    except Exception:  # noqa: BLE001 - no cache: compile as usual
        return re.compile(pattern, flags)
    compiled = _load(path, pattern, flags)
    if compiled is not None:
        return compiled
    compiled = re.compile(pattern, flags)  # raises re.error for a bad pattern, as usual
    try:
        program, skipping = _programs(pattern, flags, first)
        made = _make(pattern, program)
        if not (made == compiled and made.groupindex == compiled.groupindex and made.groups == compiled.groups):
            return compiled
        if skipping is not None:
            # the same program with a set in its INFO block, which the engine
            # checks as it does any program it is given
            compiled, program = _make(pattern, skipping), skipping
        import marshal

        from dlp.cache import store_atomic

        store_atomic(path, marshal.dumps((pattern, int(flags), program)))
    except Exception:  # noqa: BLE001 - an interpreter whose re works otherwise: no cache
        return compiled
    return compiled


def _path(pattern: str | bytes, flags: int, first: bool = False) -> Any:
    import _sre  # type: ignore[import-not-found]

    from dlp.cache import cache_dir, sha256

    key = repr((sys.version, _sre.MAGIC, int(flags), pattern) + (("first",) if first else ())).encode(
        "utf-8", "surrogatepass")
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


def _programs(pattern: str | bytes, flags: int, first: bool = False
              ) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
    """What ``re._compiler.compile`` passes to the C engine, as plain data;
    and with ``first``, the same with the bytes matches begin with in its
    INFO block (None: ``re`` found a prefix or set itself, or none is known)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    engine_flags = int(flags | parsed.state.flags)
    plain = (engine_flags, [int(op) for op in code], parsed.state.groups - 1, groupindex, tuple(indexgroup))
    skipping = None
    if first:
        code = _with_first_bytes(code, parsed, flags)
        if code is not None:
            skipping = (engine_flags, [int(op) for op in code], *plain[2:])
    return plain, skipping


def _with_first_bytes(code: list[Any], parsed: Any, flags: int) -> list[Any] | None:
    """``code`` with an INFO block naming the bytes its matches begin with
    (the block ``re._compiler._compile_info`` writes for a pattern that
    starts with a character class), or None."""
    from re import _compiler  # type: ignore[attr-defined]
    from re import _constants as C  # type: ignore[attr-defined]

    from dlp.regex_first import first_bytes

    if code[0] != C.INFO or code[2] & (C.SRE_INFO_PREFIX | C.SRE_INFO_CHARSET):
        return None
    chars = first_bytes(parsed, flags)
    if chars is None:
        return None
    charset, _cased = _compiler._optimize_charset([(C.LITERAL, c) for c in sorted(chars)])
    info = [C.INFO, 0, C.SRE_INFO_CHARSET, code[3], code[4]]  # the min and max width stay
    _compiler._compile_charset(charset, 0, info)
    info[1] = len(info) - 1
    return info + code[1 + code[1]:]


def _make(pattern: AnyStr, program: tuple[Any, ...]) -> re.Pattern[AnyStr]:
    import _sre  # type: ignore[import-not-found]

    engine_flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, engine_flags, code, groups, groupindex, indexgroup)  # type: ignore[no-any-return]
