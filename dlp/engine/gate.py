"""Document gates: whether a document can hold any context word of a rule.

A rule whose context is required reports nothing in a document that holds
none of its words anywhere. :func:`gate_expression` writes, for a list of
context words, one expression (valid for Hyperscan and for Python's ``re``)
that matches a document whenever :func:`dlp.context.has_context` could find
one of those words in it; the Hyperscan matcher adds it to its database with
``HS_FLAG_SINGLEMATCH`` and drops the rule's spans when it does not fire. The
expression must over-approximate, never under-: a gate that missed a word
would make the engines disagree (tests/test_engines_agree.py).

How context words are matched (dlp/context.py): on text that is camelCase
split (``_`` inserted between ``[a-z0-9]`` and ``[A-Z]``) and lower-cased,
ASCII words as whole words (not next to ``[a-z0-9]``), other words anywhere.
So in the raw document a word part between underscores appears:

- ASCII letters in either case (and ``k``/``i`` also as the Kelvin sign and
  dotted capital I, whose lower case is ASCII);
- other characters as any character whose lower case they are;
- for ASCII words, with a boundary on each side: the document edge, a
  character outside ``[A-Za-z0-9]``, or a camelCase step (``[a-z0-9]`` then
  ``[A-Z]``).

Words of four characters or more are only looked for as substrings
(caseless), shorter ones with their boundaries.
"""
from __future__ import annotations

_ALNUM_OUT = rb"[^A-Za-z0-9]"
# Non-ASCII characters whose lower case is (or starts with) an ASCII letter.
_ASCII_PREIMAGES = {"k": "\u212a", "i": "\u0130"}


def _hex(data: bytes) -> str:
    return "".join(f"\\x{b:02x}" for b in data)


# Characters whose lower case is a given non-ASCII character, besides its own
# upper and title case (Python 3.11's Unicode tables; checked by a test).
_EXTRA_PREIMAGES = {"\u0307": "\u0130", "\u03b8": "\u03f4", "\u00df": "\u1e9e", "\u03c9": "\u2126", "\u00e5": "\u212b"}


def _preimages(ch: str) -> list[str]:
    """The characters whose lower case is (or contains) ``ch``, ``ch`` first."""
    forms = [ch]
    for other in (ch.upper(), ch.title(), *_EXTRA_PREIMAGES.get(ch, "")):
        if len(other) == 1 and other not in forms and ch in other.lower():
            forms.append(other)
    return forms


def _char(ch: str, *, case: str = "any") -> str:
    """An expression for one character of a lower-cased word, as it may be written.
    ``case``: "any", "upper" (ASCII upper case only), "lower" (as written) or
    "caseless" (for an expression compiled caseless: ASCII as written)."""
    if ch.isascii():
        if ch.isalpha():
            if case == "caseless":
                special = _ASCII_PREIMAGES.get(ch)
                return f"(?:{_hex(ch.encode())}|{_hex(special.encode())})" if special else _hex(ch.encode())
            if case == "upper":
                return _hex(ch.upper().encode())
            if case == "lower":
                return _hex(ch.encode())
            forms = [_hex(ch.encode()), _hex(ch.upper().encode())]
            if ch in _ASCII_PREIMAGES:
                forms.append(_hex(_ASCII_PREIMAGES[ch].encode()))
            return "(?:" + "|".join(forms) + ")"
        return _hex(ch.encode())
    forms = _preimages(ch)
    if len(forms) == 1:
        return _hex(ch.encode())
    return "(?:" + "|".join(_hex(f.encode()) for f in forms) + ")"


def _ascii_part(part: str) -> str:
    """``part`` as a whole word (see the module docstring)."""
    first, last = part[0], part[-1]
    body = "".join(_char(c) for c in part)
    starts = ["(?:^|" + _ALNUM_OUT.decode() + ")"]
    ends = ["(?:" + _ALNUM_OUT.decode() + "|$)"]
    variants = [starts[0] + body + ends[0]]
    camel_start = first.isalpha()  # a camelCase step before an upper-case first letter
    camel_end = last.isalnum()  # a camelCase step after a lower-case letter or digit
    if camel_start:
        variants.append("[a-z0-9]" + _char(first, case="upper") + "".join(_char(c) for c in part[1:]) + ends[0])
    if camel_end:
        variants.append(starts[0] + "".join(_char(c) for c in part[:-1]) + _char(last, case="lower") + "[A-Z]")
    if camel_start and camel_end:
        if len(part) == 1:
            pass  # one letter cannot be upper case (after the step) and lower case (before the next)
        else:
            variants.append("[a-z0-9]" + _char(first, case="upper") + "".join(_char(c) for c in part[1:-1])
                            + _char(last, case="lower") + "[A-Z]")
    return "|".join(variants)


# Longer words are gated as plain substrings, caseless: Hyperscan finds a set
# of literals almost for free, while boundary checks on a few hundred words
# doubled its scan time. Short words need the boundaries (`ic` is in `public`).
_SHORT = 3


def gate_expressions(words: tuple[str, ...]) -> tuple[list[str], str | None] | None:
    """(one expression per short ASCII word, with boundaries and case as written;
    one caseless expression for every other word as a substring) matching every
    document where one of ``words`` (lower case, as loaded) may be found as
    context. None when some word cannot be gated: the rule then runs on every
    document. A word made of parts joined by ``_`` (``ic_no``) is also found
    written ``icNo``: its parts are joined by an optional ``_``."""
    short: list[str] = []
    other: list[str] = []
    for word in sorted(set(words)):
        parts = [p for p in word.split("_") if p]
        if not parts:
            return None  # a word of underscores only: do not gate
        if word.isascii() and len(parts) == 1 and len(parts[0]) <= _SHORT:
            short.append(_ascii_part(parts[0]))
        else:
            other.append("_?".join("".join(_char(c, case="caseless") for c in part) for part in parts))
    return short, ("|".join(other) or None)
