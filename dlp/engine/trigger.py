"""Triggers: what every match of an expression holds on its line, found cheaply.

The personal-data shapes (``\\d{4}[ -]\\d{4}``, ``0\\d{1,3}\\)?[ .-]\\d{3}``,
``[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\\.[A-Za-z]``...) are character-class
automata: Hyperscan pays for them on every byte of every document, although
almost no line can hold one. This module reads a rule's regex
(:func:`pattern_triggers`) or a database expression
(:func:`expression_triggers`) with Python's own regex parser and returns
something every match of it implies on its line, from a small vocabulary that
Hyperscan finds almost for free (:class:`Trigger`): a run of up to 5 digits,
two digit groups around the separator the pattern allows there (``1234-5``,
``123 456``), ``1234-A``, a mailbox character before ``@``, or a literal
(caseless when the pattern is). Optional parts are read both ways; a branch
needs what each of its alternatives needs.

The matcher (dlp/engine/hs.py) then scans whole documents for the triggers
only, and runs the shapes on the lines where one fired. That is exact, not an
approximation, under two conditions this module checks: the trigger is
necessary (``None`` is returned when nothing in the vocabulary is), and a
database expression is *line-local*: no part of it can match a newline,
except a single-character boundary before its first or after its last
character (``(?:^|[^\\w.-])``, ``(?:[^\\w\\n]|$)``), which sees the same
newline on the line alone as in the whole document. A rule's own regex needs
no such check: the scanner runs it on one line at a time.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any, cast

from dlp.engine.keywords import distinctive
from dlp.records import record

MIN_DIGITS = 3
MAX_DIGITS = 5
MIN_LITERAL = 3
_RARE = frozenset({b"@"})  # single characters rare enough in code to be a trigger
_DIGITS = frozenset(range(0x30, 0x3A))
_SEPARATORS = frozenset(b" ./-")
_UPPER = frozenset(range(0x41, 0x5B))
# what may stand just before the @ of an e-mail address (not a decorator's indent)
_MAILBOX = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_NEWLINE = 0x0A
_MAX_VARIANTS = 16


@record
class Trigger:
    kind: str  # "digits", "groups" (1234-5), "suffix" (1234-A), "mailbox" (x@) or "literal"
    value: bytes = b""  # the literal (lower case when caseless)
    digits: int = 0  # digits: the run; groups: digits before the separator
    after: int = 0  # groups: digits after the separator
    caseless: bool = False

    def expression(self) -> tuple[bytes, bool]:
        """(Hyperscan expression, caseless) for this trigger: a literal as it
        is, a digit shape without its line (see :func:`line_trigger`)."""
        if self.kind == "digits":
            return b"[0-9]{%d}" % self.digits, False
        if self.kind == "groups":  # value: the separators the pattern allows
            return b"[0-9]{%d}%s[0-9]{%d}" % (self.digits, _char_class(self.value), self.after), False
        if self.kind == "suffix":  # value: the separator when the pattern names one
            return b"[0-9]{%d}%s[A-Z]" % (self.digits, _char_class(self.value)), False
        if self.kind == "mailbox":
            return b"[A-Za-z0-9._%+-]@", False
        return b"".join(b"\\x%02x" % b for b in self.value), self.caseless

    @property
    def rank(self) -> int:
        """How many lines of ordinary code hold it, in order: 5-digit runs
        (0.4% of the standard library's bytes), digit groups with a separator
        (``1234-5``, ``123 456``: 0.4%), rare literals (``@``, an international
        phone prefix ``+60``, distinctive words), 4-digit runs (4%), 3-digit
        runs (6%), common literals (``name``, ``ten``: 8%)."""
        if self.kind == "digits":
            return {5: 0, 4: 3}.get(self.digits, 4)
        if self.kind in ("groups", "suffix", "mailbox"):
            return 1
        return 2 if self.rare else 5

    @property
    def rare(self) -> bool:
        text = self.value
        if text in _RARE or len(text) >= 3 and text[:1] == b"+" and text[1:3].isdigit():
            return True
        return distinctive(text.decode("utf-8", "replace"))


CHEAP = 2  # triggers ranked up to here are worth a second pass


def _char_class(chars: bytes) -> bytes:
    """An expression for one of ``chars`` (all of " ./-" when empty)."""
    chars = chars or b" ./-"
    escaped = b"".join(b"\\x%02x" % c for c in sorted(set(chars)))
    return escaped if len(chars) == 1 else b"[" + escaped + b"]"


def line_trigger(shapes: list[bytes]) -> bytes:
    """One expression for the digit shapes, matching up to the end of their
    line: Hyperscan reports one match per line end, so a line of numbers
    costs one report, not one per run."""
    return b"(?:" + b"|".join(shapes) + b")[^\\n]*$"


_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT) + ((C.POSSESSIVE_REPEAT,) if hasattr(C, "POSSESSIVE_REPEAT") else ())

# Flat atoms of a sequence: ("c", byte, caseless) one literal byte;
# ("d", n) at least n consecutive digits; ("p", chars) one separator of " ./-";
# ("u",) one upper-case ASCII letter; ("m",) one character of a mailbox name;
# ("o", atoms) an optional short sequence; ("s", literals, caseless) one of
# these literal strings; ("t", triggers) a branch whose alternatives need one
# of these triggers each; ("x",) anything else (breaks runs and literals).
_Atom = tuple


def _class_values(items: list[tuple[object, object]]) -> frozenset[int] | None:
    """The bytes a character class matches, or None when negated or wide."""
    out: set[int] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(av)  # type: ignore[arg-type]
        elif op is C.RANGE:
            out.update(range(av[0], av[1] + 1))  # type: ignore[index]
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            out.update(_DIGITS)
        else:
            return None
    return frozenset(out)


def _flatten(items: list[tuple[object, object]], caseless: bool) -> list[_Atom]:
    atoms: list[_Atom] = []
    for op, av in items:
        if op is C.LITERAL:
            atoms.append(("c", av, caseless and chr(av).isascii() and chr(av).isalpha()))  # type: ignore[arg-type]
        elif op is C.IN:
            values = _class_values(av)  # type: ignore[arg-type]
            if values is not None and values <= _DIGITS:
                atoms.append(("d", 1))
            elif values is not None and values <= _SEPARATORS:
                atoms.append(("p", bytes(sorted(values))))
            elif values is not None and values <= _UPPER and not caseless:
                atoms.append(("u",))
            elif values is not None and values <= _MAILBOX:
                atoms.append(("m",))
            else:
                atoms.append(("x",))
        elif op is C.NOT_LITERAL or op is C.ANY:
            atoms.append(("x",))
        elif op is C.AT:
            continue  # zero width
        elif op in _REPEATS:
            lo, hi, sub = cast("tuple[int, int, Any]", av)
            inner = _flatten(list(sub.data), caseless)
            if lo == 0:
                short = hi == 1 and 0 < len(inner) <= 3 and not any(a[0] == "o" for a in inner)
                atoms.append(("o", tuple(inner)) if short else ("x",))
            elif inner and all(_is_digit(a) for a in inner):
                atoms.append(("d", lo * sum(_digit_count(a) for a in inner)))
            elif lo == hi == 1:
                atoms.extend(inner)
            elif len(inner) == 1:
                atoms.extend([("x",), *inner])  # X+ is X* then X: the last one is next to what follows
            else:
                atoms.extend(inner)  # at least one copy, then unknown repetition
                atoms.append(("x",))
        elif op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = cast("tuple[Any, int, int, Any]", av)
            case = (caseless or bool(add_flags & C.SRE_FLAG_IGNORECASE)) and not del_flags & C.SRE_FLAG_IGNORECASE
            atoms.extend(_flatten(list(sub.data), case))
        elif op is C.BRANCH:
            alternatives = [_flatten(list(alt.data), caseless) for alt in av[1]]  # type: ignore[index]
            if all(alt and all(_is_digit(a) for a in alt) for alt in alternatives):
                atoms.append(("d", min(sum(_digit_count(a) for a in alt) for alt in alternatives)))
                continue
            prefix = _literals(_trailing_literal(atoms) + [("x",)])
            choices = [_alternative_literal(prefix[0] if prefix else None, alt) for alt in alternatives]
            if all(c is not None for c in choices):
                atoms.append(("s", tuple(c[0] for c in choices), any(c[1] for c in choices)))  # type: ignore[index]
                continue
            # otherwise: whatever each alternative needs, one of them occurs
            needs = [_choose(alt) for alt in alternatives]
            if all(n is not None for n in needs):
                atoms.append(("t", tuple(dict.fromkeys(t for n in needs for t in n))))  # type: ignore[union-attr]
            else:
                atoms.append(("x",))
        elif op is C.ASSERT or op is C.ASSERT_NOT:
            continue  # zero width (lookarounds occur in rule patterns only)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            atoms.extend(_flatten(list(av.data), caseless))  # type: ignore[attr-defined]
        else:
            atoms.append(("x",))  # back-references, conditionals: unknown text
    return atoms


def _trailing_literal(atoms: list[_Atom]) -> list[_Atom]:
    """The literal bytes ``atoms`` certainly end with."""
    i = len(atoms)
    while i and atoms[i - 1][0] == "c":
        i -= 1
    return atoms[i:]


def _alternative_literal(prefix: tuple[bytes, bool] | None, alt: list[_Atom]) -> tuple[bytes, bool] | None:
    """The longest literal an alternative of a branch guarantees, counting the
    literal just before the branch (Python's parser factors ``jalan|jln`` into
    ``j(?:alan|ln)``)."""
    if any(a[0] == "o" for a in alt):
        return None
    best = _longest_literal(alt)
    if prefix is not None:
        lead: list[_Atom] = []
        for atom in alt:
            if atom[0] != "c":
                break
            lead.append(atom)
        if lead:
            text, case = _literals(lead)[0]
            joined = ((prefix[0] + text).lower() if case or prefix[1] else prefix[0] + text, case or prefix[1])
        else:
            joined = prefix
        if len(joined[0]) >= MIN_LITERAL and (best is None or len(joined[0]) > len(best[0])):
            best = joined
    return best


def _is_digit(atom: _Atom) -> bool:
    return atom[0] == "d" or atom[0] == "c" and atom[1] in _DIGITS


def _is_separator(atom: _Atom) -> bool:
    return atom[0] == "p" or atom[0] == "c" and atom[1] in _SEPARATORS


def _is_upper(atom: _Atom) -> bool:
    return atom[0] == "u" or atom[0] == "c" and atom[1] in _UPPER and not atom[2]


def _digit_count(atom: _Atom) -> int:
    return atom[1] if atom[0] == "d" else 1


def _literals(atoms: list[_Atom]) -> list[tuple[bytes, bool]]:
    """The maximal runs of literal bytes (lower case when any is caseless)."""
    out: list[tuple[bytes, bool]] = []
    run = bytearray()
    case = False
    for atom in atoms + [("x",)]:
        if atom[0] == "c":
            run.append(atom[1])
            case = case or atom[2]
            continue
        if run:
            out.append((bytes(run).lower() if case else bytes(run), case))
        run, case = bytearray(), False
    return out


def _longest_literal(atoms: list[_Atom]) -> tuple[bytes, bool] | None:
    found = [lit for lit in _literals(atoms) if len(lit[0]) >= MIN_LITERAL or lit[0] in _RARE]
    return max(found, key=lambda lit: len(lit[0])) if found else None


def _runs(atoms: list[_Atom]) -> list[tuple[int, int, int]]:
    """(length, first atom, last atom) of each run of digits."""
    runs: list[tuple[int, int, int]] = []
    length = first = 0
    for i, atom in enumerate(atoms + [("x",)]):
        if _is_digit(atom):
            if not length:
                first = i
            length += _digit_count(atom)
        elif length:
            runs.append((length, first, i - 1))
            length = 0
    return runs


def _options(atoms: list[_Atom]) -> list[tuple[Trigger, ...]]:
    """Every trigger (or set of triggers, one of which occurs) that a
    sequence without optional parts guarantees."""
    options: list[tuple[Trigger, ...]] = []
    runs = _runs(atoms)
    longest = max((r[0] for r in runs), default=0)
    if longest >= MIN_DIGITS:
        options.append((Trigger("digits", digits=min(longest, MAX_DIGITS)),))
    for (a, _, end), (b, start, _) in pairwise(runs):
        if start == end + 2 and _is_separator(atoms[end + 1]):
            sep = atoms[end + 1]
            chars = sep[1] if sep[0] == "p" else bytes([sep[1]])  # the separators the pattern allows there
            if a >= 4 or b >= 4:
                options.append((Trigger("groups", chars, digits=4, after=1) if a >= 4
                                else Trigger("groups", chars, digits=1, after=4),))
            elif a >= 3 and b >= 3:
                options.append((Trigger("groups", chars, digits=3, after=3),))
    for before, at in pairwise(atoms):
        if at[0] == "c" and at[1] == 0x40 and (before[0] in "mud" or before[0] == "c" and before[1] in _MAILBOX):
            options.append((Trigger("mailbox"),))
    for length, _, end in runs:
        if length >= 4 and end + 2 < len(atoms) and _is_separator(atoms[end + 1]) and _is_upper(atoms[end + 2]):
            named = atoms[end + 1][0] == "c"  # `\d{4,7}-[A-Z]`: lines with `1234-A`, not `1234 A` or `1234.E`
            options.append((Trigger("suffix", bytes([atoms[end + 1][1]]) if named else b"", digits=4),))
    literal = _longest_literal(atoms)
    if literal is not None:
        options.append((Trigger("literal", literal[0], caseless=literal[1]),))
    for atom in atoms:
        if atom[0] == "s" and all(len(text) >= MIN_LITERAL or text in _RARE for text in atom[1]):
            options.append(tuple(dict.fromkeys(Trigger("literal", t, caseless=atom[2]) for t in atom[1])))
        elif atom[0] == "t":
            options.append(atom[1])
    return options


def _variants(atoms: list[_Atom]) -> list[list[_Atom]]:
    """The sequence with each optional part present or absent (the optional
    parts past the first few count as unknown text)."""
    variants: list[list[_Atom]] = [[]]
    for atom in atoms:
        if atom[0] == "o":
            if len(variants) * 2 <= _MAX_VARIANTS:
                variants = [v + extra for v in variants for extra in (list(atom[1]), [])]
            else:
                variants = [v + [("x",)] for v in variants]
        else:
            for v in variants:
                v.append(atom)
    return variants


def cost(option: Iterable[Trigger]) -> tuple[int, int]:
    option = tuple(option)
    return max(t.rank for t in option), len(option)


def _choose(atoms: list[_Atom]) -> tuple[Trigger, ...] | None:
    """The cheapest necessary condition of a sequence: for each variant of
    its optional parts the cheapest option, all of them together."""
    chosen: dict[Trigger, None] = {}
    for variant in _variants(atoms):
        options = _options(variant)
        if not options:
            return None
        chosen.update(dict.fromkeys(min(options, key=cost)))
    return _minimal(tuple(chosen)) or None


def _minimal(triggers: tuple[Trigger, ...]) -> tuple[Trigger, ...]:
    """Without literals that contain another of the set (``+60(`` when ``+60``
    is there: every line holding the first holds the second)."""
    def covered(t: Trigger) -> bool:
        return t.kind == "literal" and any(
            u is not t and u.kind == "literal" and (u.caseless or not t.caseless)
            and (u.value in t.value.lower() if u.caseless else u.value in t.value) and u.value != t.value
            for u in triggers)
    return tuple(t for t in triggers if not covered(t))


def _line_local(items: list[tuple[object, object]]) -> bool:
    """No element can match a newline, except one character at either edge
    (``[^\\w.-]``, ``(?:^|[^\\w.-])``, ``(?:[^\\w\\n]|$)``): the matcher puts a
    newline before and after every line it rescans, so that character sees
    what it sees in the whole document."""
    for position, (op, av) in enumerate(items):
        edge = position == 0 or position == len(items) - 1
        if edge and (op in _SINGLE or op is C.BRANCH and _is_boundary(av[1])):  # type: ignore[index]
            continue
        if not _no_newline(op, av):
            return False
    return True


_SINGLE = (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY)


def _is_boundary(alternatives: list[P.SubPattern]) -> bool:
    """Alternatives of one character or a zero-width anchor each."""
    return all(len(alt.data) == 1 and (alt.data[0][0] in _SINGLE or alt.data[0][0] is C.AT)
               for alt in alternatives)


def _no_newline(op: object, av: object) -> bool:
    if op is C.LITERAL:
        return av != _NEWLINE
    if op is C.NOT_LITERAL:
        return av == _NEWLINE
    if op is C.ANY or op is C.AT:
        return True  # Hyperscan's dot excludes \n without HS_FLAG_DOTALL
    if op is C.IN:
        negated = any(o is C.NEGATE for o, _ in av)  # type: ignore[attr-defined]
        members = [(o, a) for o, a in av if o is not C.NEGATE]  # type: ignore[attr-defined]
        has = any(_member_has_newline(o, a) for o, a in members)
        return has if negated else not has
    if op in _REPEATS:
        return all(_no_newline(o, a) for o, a in av[2].data)  # type: ignore[index]
    if op is C.SUBPATTERN:
        return all(_no_newline(o, a) for o, a in av[3].data)  # type: ignore[index]
    if op is C.BRANCH:
        return all(_no_newline(o, a) for alt in av[1] for o, a in alt.data)  # type: ignore[index]
    return False


_NEWLINE_CATEGORIES = (C.CATEGORY_SPACE, C.CATEGORY_NOT_DIGIT, C.CATEGORY_NOT_WORD, C.CATEGORY_LINEBREAK)


def _member_has_newline(op: object, av: object) -> bool:
    if op is C.LITERAL:
        return av == _NEWLINE
    if op is C.RANGE:
        return av[0] <= _NEWLINE <= av[1]  # type: ignore[index]
    if op is C.CATEGORY:
        return av in _NEWLINE_CATEGORIES
    return True


def expression_triggers(expression: bytes, caseless: bool = False) -> tuple[Trigger, ...] | None:
    """Triggers one of which occurs on every line where the Hyperscan
    ``expression`` matches (several when it requires one of a set of
    literals), or None when it is not line-local or nothing cheap is
    necessary."""
    try:
        items = list(P.parse(expression, re.IGNORECASE if caseless else 0).data)
        if not _line_local(items):
            return None
        return _choose(_flatten(items, caseless))
    except (re.error, OverflowError, RecursionError):
        return None


def pattern_triggers(pattern: str) -> tuple[Trigger, ...] | None:
    """Triggers one of which occurs in every match of a rule's own regex (the
    scanner runs it on one line at a time, so line-locality is given)."""
    try:
        parsed = P.parse(pattern.encode("utf-8"), re.MULTILINE)
        caseless = bool(parsed.state.flags & re.IGNORECASE)
        return _choose(_flatten(list(parsed.data), caseless))
    except (re.error, OverflowError, RecursionError, UnicodeError):
        return None


