"""The bytes a regex match can begin with, for ``re``'s search loop.

``re`` searches by trying a match at every position, unless its compiler
finds a literal prefix or a set of first characters, which the C engine then
skips to. It looks for them only at the very start of the pattern, so a
pattern that opens with a lookbehind or ``\\b`` - nearly every rule:
``(?<![\\w.-])(?P<value>\\d{12})`` - has neither, and each line it runs on is
tried byte by byte (lookbehinds and all). :func:`first_bytes` reads the
parsed pattern past zero-width assertions for the set of bytes any match
must begin with; :mod:`dlp.regex_cache` writes that set into the program's
INFO block, where ``re``'s own compiler would have put it. The matches are
the same: the engine only skips positions where no match can begin.

Only bytes patterns without ``re.LOCALE`` (classes and case folding are then
ASCII, as here). Anything this module does not model (backreferences,
conditionals, a pattern that can match the empty string) gives None: no set,
the search as ``re`` does it.
"""
from __future__ import annotations

from re import _constants as C  # type: ignore[attr-defined]
from typing import Any

_ALL = frozenset(range(256))
_DIGIT = frozenset(b"0123456789")
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_SPACE = frozenset(b" \t\n\r\f\v")
# the classes of a bytes pattern (ASCII), as the engine tests them
_CATEGORIES = {
    C.CATEGORY_DIGIT: _DIGIT, C.CATEGORY_NOT_DIGIT: _ALL - _DIGIT,
    C.CATEGORY_WORD: _WORD, C.CATEGORY_NOT_WORD: _ALL - _WORD,
    C.CATEGORY_SPACE: _SPACE, C.CATEGORY_NOT_SPACE: _ALL - _SPACE,
}
_REPEATS = frozenset({C.MAX_REPEAT, C.MIN_REPEAT} | ({C.POSSESSIVE_REPEAT} if hasattr(C, "POSSESSIVE_REPEAT") else set()))
_ZERO_WIDTH = frozenset({C.AT, C.ASSERT, C.ASSERT_NOT})
_ATOMIC = getattr(C, "ATOMIC_GROUP", None)


class _Unmodelled(Exception):
    """A construct :func:`first_bytes` does not read."""


def first_bytes(parsed: Any, flags: int) -> frozenset[int] | None:
    """The bytes every match of ``parsed`` (``re._parser.parse`` of a bytes
    pattern, compiled with ``flags``) begins with, or None when that is not
    known or is every byte."""
    flags |= parsed.state.flags
    if flags & (C.SRE_FLAG_LOCALE | C.SRE_FLAG_UNICODE):
        return None
    try:
        chars, nullable = _sequence(parsed, bool(flags & C.SRE_FLAG_IGNORECASE))
    except _Unmodelled:
        return None
    if nullable or not chars or len(chars) == len(_ALL):
        return None  # an empty match can happen anywhere
    return frozenset(chars)


def _sequence(items: Any, caseless: bool) -> tuple[set[int], bool]:
    """(first bytes, whether the sequence can match empty): the first bytes
    of each item up to the first that cannot match empty."""
    out: set[int] = set()
    for op, av in items:
        chars, nullable = _item(op, av, caseless)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _item(op: Any, av: Any, caseless: bool) -> tuple[set[int], bool]:
    if op is C.LITERAL:
        return set(fold(frozenset({av}))) if caseless else {av}, False
    if op is C.IN:
        return _class(av, caseless), False
    if op is C.NOT_LITERAL or op is C.ANY:
        return set(_ALL), False
    if op in _ZERO_WIDTH:
        return set(), True  # a lookaround or an anchor consumes nothing
    if op is C.SUBPATTERN:
        _group, add, remove, items = av
        if add & C.SRE_FLAG_IGNORECASE:
            caseless = True
        if remove & C.SRE_FLAG_IGNORECASE:
            caseless = False
        return _sequence(items, caseless)
    if op is C.BRANCH:
        out: set[int] = set()
        nullable = False
        for alternative in av[1]:
            chars, empty = _sequence(alternative, caseless)
            out |= chars
            nullable = nullable or empty
        return out, nullable
    if op in _REPEATS:
        low, _high, items = av
        chars, nullable = _sequence(items, caseless)
        return chars, nullable or low == 0
    if _ATOMIC is not None and op is _ATOMIC:
        return _sequence(av, caseless)
    raise _Unmodelled(op)  # backreferences, conditionals


def _class(items: Any, caseless: bool) -> set[int]:
    chars = class_bytes(items, caseless)
    if chars is None:
        raise _Unmodelled(items)
    return set(chars)


def class_bytes(items: Any, caseless: bool) -> frozenset[int] | None:
    """The bytes a parsed character class (the items of an ``IN``) matches
    in a bytes pattern, or None for a class this module does not read."""
    out: set[int] = set()
    negated = False
    for op, av in items:
        if op is C.NEGATE:
            negated = True
        elif op is C.LITERAL:
            out.add(av)
        elif op is C.RANGE:
            out.update(range(av[0], av[1] + 1))
        elif op is C.CATEGORY and av in _CATEGORIES:
            out |= _CATEGORIES[av]
        else:
            return None
    chars = fold(frozenset(out)) if caseless else frozenset(out)
    return _ALL - chars if negated else chars


def fold(chars: frozenset[int]) -> frozenset[int]:
    """``chars`` with the other case of each ASCII letter (a caseless bytes pattern folds ASCII only)."""
    return chars | {c ^ 0x20 for c in chars if 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A}
