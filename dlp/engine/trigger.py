"""Triggers: what every match of an expression holds on its line, found cheaply.

The personal-data shapes (``\\d{4}[ -]\\d{4}``, ``0\\d{1,3}\\)?[ .-]\\d{3}``,
``[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\\.[A-Za-z]``...) are character-class
automata: Hyperscan pays for them on every byte of every document, although
almost no line can hold one. This module reads a rule's regex
(:func:`pattern_triggers`) or a database expression
(:func:`expression_triggers`) with Python's own regex parser and returns
something every match of it implies on its line, from a small vocabulary that
Hyperscan finds almost for free (:class:`Trigger`):

- a run of 5 digits, or two digit groups around a separator (``12-345``,
  ``1 2345``, ``123.456``, ``880521-10``), *bounded*: the pattern says what
  may stand next to the run (a lookbehind ``(?<![\\w.-])``, a consumed
  boundary ``(?:^|[^\\w.-])``, a lookahead, ``\\b``, a literal, a capital),
  and when that is a token's edge on both sides the shape carries it, a
  bounded run with as many of the pattern's digits as it has, up to 10 (see
  :func:`_run_shape`). Most 5-digit runs in code sit inside hashes and
  floats' decimals: bounded runs are on a tenth of the lines any run is on,
  and the longer the fewer (a variant's equally cheap options are told
  apart by the lines of code measured to hold each, :attr:`Trigger.lines`);
- ``1234-A``, ``(03) 2161`` (a closing parenthesis between groups), ``GB29``
  (two capitals and two digits starting a token), ``1.2.3.4`` (four runs
  apart by dots, starting a token), a mailbox character before ``@``;
- a fixed stretch of at least 8 capitals and digits, both kinds in it
  (``[RST]\\d{2}[A-Z]{2}\\d{4}[A-Z]``, a Singapore UEN): as the pattern writes it;
- a literal (caseless when the pattern is), unless it is a word common in
  code (``service``, ``name:``).

Optional parts, branches and classes of two characters (``[ _]``) are read as
variants, each with what stands around it, while the variants stay few;
past that a branch needs what each of its alternatives needs on its own.

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
from dlp.regex_first import class_bytes, fold

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
_MAX_VARIANTS = 128
_SMALL_CLASS = 2  # classes of up to this many characters are read as alternatives
_ALL = frozenset(range(256))
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@record
class Trigger:
    kind: str  # "digits", "groups" (1234-5), "suffix" (1234-A), "paren" (3) 123),
    # "code" (GB29), "quad" (1.2.3.4), "mailbox" (x@), "fixed" (T08LL1234A) or "literal"
    value: bytes = b""  # the literal (lower case when caseless); fixed: its expression
    digits: int = 0  # digits: the run; groups: digits before the separator
    after: int = 0  # groups: digits after the separator
    caseless: bool = False
    # digits: the characters that may stand just before / just after the whole
    # run (the line's edge always may); None: any
    left: bytes | None = None
    right: bytes | None = None

    def expression(self) -> tuple[bytes, bool]:
        """(Hyperscan expression, caseless) for this trigger: a literal as it
        is, a digit shape without its line (see :func:`line_trigger`)."""
        if self.kind in ("digits", "groups"):
            run = self._run()
            if self.right is None:
                return run, False
            right = _byte_class(self.right)
            return run + (b"(?:%s|$)" % right if right is not None else b"$"), False
        if self.kind == "suffix":  # value: the separator when the pattern names one
            return b"[0-9]{%d}%s[A-Z]" % (self.digits, _char_class(self.value)), False
        if self.kind == "mailbox":
            return b"[A-Za-z0-9._%+-]@", False
        if self.kind == "quad":
            return b"(?:^|[^A-Za-z0-9_.\\x2d])[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]", False
        if self.kind == "code":
            return b"(?:^|[^A-Za-z0-9_.\\x2d])[A-Z]{2}[0-9]{2}", False
        if self.kind == "paren":
            return b"[0-9]\\)[\\x20\\x2d]?[0-9]{3}", False
        if self.kind == "fixed":
            return self.value, False
        return b"".join(b"\\x%02x" % b for b in self.value), self.caseless

    def _run(self) -> bytes:
        """A digit shape without its right edge: the left edge, then the
        run's first digits (groups: the first run's last digits, the
        separator, the second run's first digits; with a left edge, every
        digit of the first run), then with a right edge every further digit,
        so the next character is the one after the run."""
        left = b""
        if self.left is not None:
            char = _byte_class(self.left)
            left = b"(?:^|%s)" % char if char is not None else b"^"
        shape = b"[0-9]{%d}" % self.digits
        if self.kind == "groups":  # value: the separators the pattern allows
            shape += (b"[0-9]*" if self.left is not None else b"") + _char_class(self.value) + b"[0-9]{%d}" % self.after
        return left + shape + (b"[0-9]*" if self.right is not None else b"")

    @property
    def tight(self) -> bool:
        """Whether both edges of a digit shape are known (see :func:`_run_shape`)."""
        return self.left is not None and self.right is not None

    @property
    def rank(self) -> int:
        """How many lines of ordinary code hold it, in order: 0: runs of 5
        or more digits and digit groups with both edges known (a run that starts a
        token and ends before a non-word character: 0.2% of the lines of the
        standard library and site-packages, where hashes and floats hold
        most other runs), a mailbox character before ``@`` (0.03%), rare
        literals (an international phone prefix ``+60``, distinctive words);
        1: ``1234-A``, ``@`` alone; 2: 5-digit runs and digit groups with an
        unknown edge (2%); 3: 4-digit runs (4%); 4: 3-digit runs (6%); 5:
        common literals (``name``, ``ten``: 8%)."""
        if self.kind == "digits" and self.digits >= MAX_DIGITS:
            return 0 if self.tight else 2
        if self.kind == "digits":
            return {4: 3}.get(self.digits, 4)
        if self.kind == "groups":
            return 0 if self.tight else 2
        if self.kind in ("mailbox", "paren", "code", "quad", "fixed"):
            return 0
        if self.kind == "suffix":
            return 1
        if self.rare:
            return 0 if len(self.value) >= MIN_LITERAL else 1  # ``@`` alone: decorators
        return 5

    @property
    def lines(self) -> int:
        """About how many lines of ordinary code hold it: between options of
        the same rank, the rarer is chosen (a bounded run of six digits is
        on 2,459 of the 1.9M lines of bench_scan.py's corpus, a MyKad's
        ``880521-10`` on 11, a bounded ten-digit run on 815, ``(03) 2161``
        on 44: measured). A rule's choice decides which lines the second
        pass reads, not what it finds: every option is necessary."""
        if self.kind == "digits" and self.tight:
            table = _UPPER_RUN_LINES if self.left == _UPPER_BYTES else _TOKEN_RUN_LINES
            return table.get(self.digits, _UNKNOWN_LINES)
        if self.kind == "groups" and self.tight:
            return _GROUP_LINES.get((self.value, self.digits, self.after), _UNKNOWN_LINES)
        if self.kind == "literal" and _PREFIX.search(self.value):
            return _PREFIX_LINES  # it holds an international phone prefix (``(+60``)
        return _SHAPE_LINES.get(self.kind, _UNKNOWN_LINES)

    @property
    def rare(self) -> bool:
        text = self.value
        if text in _RARE or len(text) >= 3 and text[:1] == b"+" and text[1:3].isdigit():
            return True
        return distinctive(text.decode("utf-8", "replace"))


CHEAP = 1  # triggers ranked up to here are worth a second pass

# A bounded run's trigger keeps up to this many of its digits: the longer,
# the rarer (tables below), and Hyperscan's cost is the same.
_RUN_CAP = 10
# Lines of bench_scan.py's corpus (1,913,868 lines of Python: the standard
# library and site-packages) holding each shape of rank 0, measured: bounded
# runs of N or more digits after a token's start or a capital, the bounded
# digit groups, the other shapes; what is not measured counts as common.
_TOKEN_RUN_LINES = {5: 3723, 6: 2459, 7: 1759, 8: 1480, 9: 1286, 10: 815}
_UPPER_RUN_LINES = {5: 1227, 6: 952, 7: 640, 8: 116, 9: 43, 10: 36}
_GROUP_LINES = {(b" -", 2, 3): 669, (b" -", 1, 4): 509, (b" -", 6, 2): 11, (b" -.", 3, 3): 1019, (b".", 2, 3): 281}
_SHAPE_LINES = {"paren": 44, "suffix": 19, "code": 162, "quad": 425, "fixed": 212, "mailbox": 554}
_PREFIX = re.compile(rb"\+[0-9]{2}")
_PREFIX_LINES = 12  # ``+60``, ``+62``, ``+63``, ``+65``, ``+66``, ``+84``: 0 to 12 lines each
# not measured, other literals included (``.com`` is on 10,600 lines): a
# measured shape is preferred to them
_UNKNOWN_LINES = 10_000


def _char_class(chars: bytes) -> bytes:
    """An expression for one of ``chars`` (all of " ./-" when empty)."""
    chars = chars or b" ./-"
    escaped = b"".join(b"\\x%02x" % c for c in sorted(set(chars)))
    return escaped if len(chars) == 1 else b"[" + escaped + b"]"


def _byte_class(allowed: bytes) -> bytes | None:
    """A Hyperscan (and Python) expression for one character of ``allowed``,
    never a newline: listed, or as the bytes it excludes when that is shorter
    (None: no character, only the line's edge)."""
    members = set(allowed) - {_NEWLINE}
    if not members:
        return None
    excluded = set(range(256)) - members
    if len(members) == 1:
        return b"\\x%02x" % members.pop()
    if len(members) <= len(excluded):
        return b"[" + b"".join(b"\\x%02x" % c for c in sorted(members)) + b"]"
    return b"[^" + b"".join(b"\\x%02x" % c for c in sorted(excluded | {_NEWLINE})) + b"]"


def line_trigger(triggers: Iterable[Trigger]) -> bytes:
    """One expression for the digit shapes, matching up to the end of their
    line: Hyperscan reports one match per line end, so a line of numbers
    costs one report, not one per run. (A run with a right edge is either
    followed by one of its characters, then anything to the line's end, or
    ends the line itself: Hyperscan takes ``$`` only at the end.)"""
    inner: set[bytes] = set()
    at_end: set[bytes] = set()
    for t in triggers:
        if t.kind in ("digits", "groups") and t.right is not None:
            right = _byte_class(t.right)
            if right is not None:
                inner.add(t._run() + right)
            at_end.add(t._run())
        else:
            inner.add(t.expression()[0])
    body = b"(?:" + b"|".join(sorted(inner)) + b")[^\\n]*" if inner else b""
    if not at_end:
        return body + b"$"
    if not inner:
        return b"(?:" + b"|".join(sorted(at_end)) + b")$"
    return b"(?:" + body + b"|" + b"|".join(sorted(at_end)) + b")$"


_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT) + ((C.POSSESSIVE_REPEAT,) if hasattr(C, "POSSESSIVE_REPEAT") else ())

# Flat atoms of a sequence: ("c", byte, caseless) one literal byte;
# ("d", n) at least n consecutive digits (("d", n, False): perhaps more than
# n where the pattern has them, ``\d{2,4}``); ("p", chars) one separator of " ./-";
# ("u", chars) one upper-case ASCII letter; ("m", chars) one character of a
# mailbox name; ("x", chars) one other character, ("x",) unknown text (either
# breaks runs and literals); ("e", allowed, side) an edge (below); ("o",
# atoms) an optional short sequence; ("a", alternatives) a branch (or a class
# of two characters); ("t", triggers) a branch read apart from its
# neighbours, whose alternatives need one of these triggers each.
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


def _single(op: object, av: object, caseless: bool) -> frozenset[int] | None:
    """The bytes one item matches when it is one character (a literal, a
    class, ``.``), else None. Patterns are parsed as bytes, where ``\\w`` is
    ASCII, as in the rules' compiled regexes and in Hyperscan."""
    if op is C.ANY:
        return _ALL - {_NEWLINE}
    if op is C.LITERAL or op is C.NOT_LITERAL:
        chars = frozenset({av}) if isinstance(av, int) and av < 256 else None
        if chars is None:
            return None
        chars = fold(chars) if caseless else chars
        return chars if op is C.LITERAL else _ALL - chars
    if op is not C.IN:
        return None
    return class_bytes(av, caseless)


# Edges ("e", allowed, side): the character at a position is one of
# ``allowed`` or the line's edge. side -1: a lookbehind (the character before
# the next atom); 1: a lookahead (the next atom's own); 0: one character the
# pattern consumes there (``(?:^|[^\w.-])``); 2: ``\b`` (either side of a digit).
_ANCHORS = {C.AT_BEGINNING: -1, C.AT_BEGINNING_STRING: -1, C.AT_END: 1, C.AT_END_STRING: 1}


def _lookaround_edge(av: tuple[int, P.SubPattern], caseless: bool) -> _Atom | None:
    r"""A negative lookaround's edge: the characters none of its
    one-character alternatives matches (``(?![\w@+-]|\.\d)``: not a word
    character, ``@``, ``+`` or ``-``); longer alternatives only narrow it
    further, so they are left out."""
    direction, sub = av
    items = list(sub.data)
    alternatives = [list(alt.data) for alt in items[0][1][1]] if len(items) == 1 and items[0][0] is C.BRANCH \
        else [items]
    excluded: set[int] = set()
    for alt in alternatives:
        chars = _single(alt[0][0], alt[0][1], caseless) if len(alt) == 1 else None
        if chars is not None:
            excluded.update(chars)
    return ("e", _ALL - excluded, -1 if direction < 0 else 1) if excluded else None


def _branch_edge(alternatives: list[P.SubPattern], caseless: bool) -> _Atom | None:
    r"""A branch of one-character alternatives and anchors
    (``(?:^|[^\w.-])``, ``(?:[^\w\n]|$)``): one edge character."""
    allowed: set[int] = set()
    for alt in alternatives:
        items = list(alt.data)
        if len(items) != 1:
            return None
        if items[0][0] is C.AT:
            continue
        chars = _single(items[0][0], items[0][1], caseless)
        if chars is None:
            return None
        allowed.update(chars)
    return ("e", frozenset(allowed), 0)


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
            elif values is not None and len(fold(values) if caseless else values) <= _SMALL_CLASS * (2 if caseless else 1):
                # `[ _]`, `[Nn]`: each member a literal byte of its own variant
                members = sorted({v | 0x20 if caseless and chr(v).isalpha() else v for v in values})
                atoms.append(("a", tuple((("c", v, caseless and chr(v).isalpha()),) for v in members)))
            elif values is not None and values <= _UPPER and not caseless:
                atoms.append(("u", values))
            elif values is not None and values <= _MAILBOX:
                atoms.append(("m", fold(values) if caseless else values))
            else:
                chars = _single(op, av, caseless)
                atoms.append(("x", chars) if chars is not None else ("x",))
        elif op is C.NOT_LITERAL or op is C.ANY:
            atoms.append(("x", _single(op, av, caseless)))
        elif op is C.AT:
            if av in _ANCHORS:
                atoms.append(("e", frozenset(), _ANCHORS[av]))  # the line's edge only
            elif av is C.AT_BOUNDARY:
                atoms.append(("e", _ALL - _WORD, 2))
            continue  # zero width
        elif op in _REPEATS:
            lo, hi, sub = cast("tuple[int, int, Any]", av)
            inner = _flatten(list(sub.data), caseless)
            if lo == 0:
                short = hi == 1 and 0 < len(inner) <= 4
                atoms.append(("o", tuple(inner)) if short else ("x",))
            elif inner and all(_is_digit(a) for a in inner):
                exact = lo == hi and all(_exact(a) for a in inner)
                atoms.append(("d", lo * sum(_digit_count(a) for a in inner), exact))
            elif lo == hi == 1:
                atoms.extend(inner)
            elif lo == hi and lo * len(inner) <= 16:  # (?: \d{4}){2}: each copy
                atoms.extend(inner * lo)
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
            if all(any(_is_digit(a) for a in alt) and all(_is_digit(a) or _optional_digits(a) for a in alt)
                   for alt in alternatives):  # `25[0-5]|1\d\d|[1-9]?\d`: a run of at least 1 digit
                atoms.append(("d", min(sum(_digit_count(a) for a in alt if _is_digit(a)) for alt in alternatives), False))
                continue
            edge = _branch_edge(list(av[1]), caseless)  # type: ignore[index]
            if edge is not None:
                atoms.append(edge)
                continue
            # otherwise: whatever each alternative needs, one of them occurs
            # (read in its place, with what stands around it, while the
            # variants stay few: see _variants)
            atoms.append(("a", tuple(tuple(alt) for alt in alternatives)))
        elif op is C.ASSERT_NOT:
            edge = _lookaround_edge(av, caseless)  # type: ignore[arg-type]
            if edge is not None:
                atoms.append(edge)
            continue  # zero width (lookarounds occur in rule patterns only)
        elif op is C.ASSERT:
            continue
        elif op is getattr(C, "ATOMIC_GROUP", None):
            atoms.extend(_flatten(list(av.data), caseless))  # type: ignore[attr-defined]
        else:
            atoms.append(("x",))  # back-references, conditionals: unknown text
    return atoms


def _is_digit(atom: _Atom) -> bool:
    return atom[0] == "d" or atom[0] == "c" and atom[1] in _DIGITS


def _optional_digits(atom: _Atom) -> bool:
    return atom[0] == "o" and all(_is_digit(a) for a in atom[1])


def _is_separator(atom: _Atom) -> bool:
    return atom[0] == "p" or atom[0] == "c" and atom[1] in _SEPARATORS


def _is_upper(atom: _Atom) -> bool:
    return atom[0] == "u" or atom[0] == "c" and atom[1] in _UPPER and not atom[2]


def _digit_count(atom: _Atom) -> int:
    return atom[1] if atom[0] == "d" else 1


def _exact(atom: _Atom) -> bool:
    """Whether a digit atom stands for exactly its count of digits."""
    return atom[0] != "d" or len(atom) < 3 or bool(atom[2])


_FIXED_MIN = 8  # characters of a fixed stretch: rare in code (a hash's capitals run longer, and in lower case)


def _fixed(atoms: list[_Atom]) -> list[Trigger]:
    """The fixed stretches of capitals and digits (``[RST]\\d{2}[A-Z]{2}\\d{4}[A-Z]``),
    at least :data:`_FIXED_MIN` characters with both kinds in each, as
    expressions: every match holds its stretch as written. A digit run
    inside a stretch must be exact; at its ends a longer run still holds it."""
    out: list[Trigger] = []
    stretch: list[_Atom] = []
    for atom in atoms + [("x",)]:
        if _is_digit(atom) or _is_upper(atom):
            stretch.append(atom)
            continue
        if stretch:
            out.extend(_fixed_shape(stretch))
        stretch = []
    return out


def _fixed_shape(stretch: list[_Atom]) -> list[Trigger]:
    inner = stretch[1:-1]
    if not all(_exact(a) for a in inner):
        return []
    digits = sum(_digit_count(a) for a in stretch if _is_digit(a))
    upper = sum(1 for a in stretch if _is_upper(a))
    if digits + upper < _FIXED_MIN or not digits or not upper:
        return []
    parts: list[bytes] = []
    for atom in stretch:
        if atom[0] == "d":
            parts.append(b"[0-9]{%d}" % atom[1])
        else:  # a class of capitals, or a literal capital or digit
            parts.append(_char_class(bytes(sorted(atom[1])) if atom[0] == "u" else bytes([atom[1]])))
    return [Trigger("fixed", b"".join(parts))]


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
    runs = _literals(atoms)
    found = [lit for lit in runs if len(lit[0]) >= MIN_LITERAL or lit[0] in _RARE]
    found += [(rare, False) for rare in _RARE for lit in runs if rare in lit[0] and lit[0] != rare]  # `(@`
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
    for length, first, last in runs:
        if length >= MAX_DIGITS:  # with what the pattern lets stand next to the run
            shape = _run_shape(_edge(atoms, first - 1, -1), _edge(atoms, last + 1, 1), length)
            options.append((shape or Trigger("digits", digits=MAX_DIGITS),))
    if MIN_DIGITS <= longest < MAX_DIGITS:
        options.append((Trigger("digits", digits=longest),))
    for (a, first, end), (b, start, last) in pairwise(runs):
        if b >= 3 and atoms[end + 1][:2] == ("c", 0x29) and (
                start == end + 2 or start == end + 3 and _is_separator(atoms[end + 2])):
            options.append((Trigger("paren"),))  # `(03) 2161 2345`
        if start == end + 2 and _is_separator(atoms[end + 1]):
            sep = atoms[end + 1]
            chars = sep[1] if sep[0] == "p" else bytes([sep[1]])  # the separators the pattern allows there
            shape = _group_shape(a, chars, b, _edge(atoms, first - 1, -1), _edge(atoms, last + 1, 1))
            if shape is not None:
                options.append((shape,))
            elif a >= 4 or b >= 4 or a >= 3 and b >= 3:
                options.append((Trigger("groups", chars, digits=min(a, 4), after=min(b, 4)),))
    for k in range(len(runs) - 3):  # 175.139.12.44: four runs apart by dots, a token's start
        quad = runs[k:k + 4]
        if all(nxt[1] == cur[2] + 2 and atoms[cur[2] + 1][:2] == ("c", 0x2E) for cur, nxt in pairwise(quad)):
            left = _edge(atoms, quad[0][1] - 1, -1)
            if left is not None and left <= _TOKEN_LEFT:
                options.append((Trigger("quad"),))
    for i in range(1, len(atoms) - 2):  # GB29 NWBK...: two capitals, then two digits, a token's start
        if _is_upper(atoms[i]) and _is_upper(atoms[i + 1]) and any(r[1] == i + 2 and r[0] >= 2 for r in runs):
            left = _edge(atoms, i - 1, -1)
            if left is not None and left <= _TOKEN_LEFT:
                options.append((Trigger("code"),))
    options.extend((t,) for t in _fixed(atoms))
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
        if atom[0] == "t":
            options.append(atom[1])
    return options


# The bounded digit shapes of the first pass: a fixed few, simple on purpose.
# Beside the secret rules Hyperscan runs these almost for free, and dozens of
# shapes with their own character classes at half the cost of the whole first
# pass (measured). A run starts a token: the line's start or a character that
# is not a word character, ``.`` (the decimals of a float) or ``-`` (with
# ``-`` Hyperscan takes 4 times as long: measured), or it follows an
# upper-case letter (``S1234567D``); it ends the token: the line's end or a
# character that is not a lower-case letter, digit or ``_`` (hashes,
# identifiers).
_TOKEN_LEFT = _ALL - _WORD - {0x2E, 0x2D}
_RIGHT = _ALL - _WORD | _UPPER
_UPPER_BYTES = bytes(sorted(_UPPER))
_GROUP_SEPARATORS = frozenset(b" -")


def _run_shape(left: frozenset[int] | None, right: frozenset[int] | None, length: int) -> Trigger | None:
    """The bounded shape a run of ``length`` digits with these neighbours
    holds, if any: its first ``_RUN_CAP`` digits at most."""
    if right is None or not right <= _RIGHT or left is None:
        return None
    for edge in (_TOKEN_LEFT, _UPPER):
        if left <= edge:
            return Trigger("digits", digits=min(length, _RUN_CAP), left=bytes(sorted(edge)),
                           right=bytes(sorted(_RIGHT)))
    return None


def _group_shape(a: int, separators: bytes, b: int, left: frozenset[int] | None,
                 right: frozenset[int] | None) -> Trigger | None:
    """The bounded group shape two runs around a separator hold, if any:
    ``12-345``, ``1 2345`` (space or hyphen), ``123.456`` or ``12.345.``."""
    if right is None or not right <= _RIGHT or left is None or not left <= _TOKEN_LEFT:
        return None
    if set(separators) == {0x2E} == set(right) and a >= 2 and b >= 3:  # 01.234.567
        return Trigger("groups", b".", digits=2, after=3, left=bytes(sorted(_TOKEN_LEFT)), right=b".")
    shape = None
    if set(separators) <= _GROUP_SEPARATORS and a >= 2 and b >= 3:
        shape = (bytes(sorted(_GROUP_SEPARATORS)), 2, 3)
    elif set(separators) <= _GROUP_SEPARATORS and b >= 4:
        shape = (bytes(sorted(_GROUP_SEPARATORS)), 1, 4)
    elif set(separators) <= _GROUP_SEPARATORS and a >= 6 and b >= 2:  # 880521-10-5274
        shape = (bytes(sorted(_GROUP_SEPARATORS)), 6, 2)
    elif a >= 3 and b >= 3:
        shape = (b" -.", 3, 3)
    if shape is None:
        return None
    return Trigger("groups", shape[0], digits=shape[1], after=shape[2], left=bytes(sorted(_TOKEN_LEFT)),
                   right=bytes(sorted(_RIGHT)))


def _edge(atoms: list[_Atom], i: int, side: int) -> frozenset[int] | None:
    """The characters that may stand at ``atoms[i]``, just before (side -1)
    or after (side 1) a run of digits; None: any (or unknown)."""
    if not 0 <= i < len(atoms):
        return None  # the rule's match may start or end anywhere
    atom = atoms[i]
    if atom[0] == "e":
        return atom[1] if atom[2] in (side, 0, 2) else None
    if atom[0] == "c":
        return fold(frozenset({atom[1]})) if atom[2] else frozenset({atom[1]})
    if atom[0] == "p":
        return frozenset(atom[1])
    if atom[0] in "mux" and len(atom) > 1 and atom[1] is not None:  # one character of a class
        return frozenset(atom[1])
    return None


def _variants(atoms: list[_Atom] | tuple[_Atom, ...]) -> list[list[_Atom]]:
    """The sequence with each optional part present or absent and each branch
    as each of its alternatives (past the first few variants, an optional
    part counts as unknown text and a branch as what all its alternatives
    need, read apart from their neighbours)."""
    variants: list[list[_Atom]] = [[]]
    for i, atom in enumerate(atoms):
        if atom[0] == "o" or atom[0] == "a":
            alternatives = (atom[1], ()) if atom[0] == "o" else atom[1]
            choices = [v for alt in alternatives for v in _variants(alt)]
            if len(variants) * len(choices) <= _MAX_VARIANTS:
                variants = [v + choice for v in variants for choice in choices]
                continue
            atom = ("x",) if atom[0] == "o" else _branch_needs(atom[1], atoms[i - 1] if i else None,
                                                                 atoms[i + 1] if i + 1 < len(atoms) else None)
        for v in variants:
            v.append(atom)
    return variants


def _branch_needs(alternatives: tuple[tuple[_Atom, ...], ...], before: _Atom | None, after: _Atom | None) -> _Atom:
    """What a branch needs when its alternatives are not variants of their
    own: one of what each alternative needs, read with the edge atoms
    around the branch (so a run in it keeps its edges)."""
    edges = "ecpu"
    lead = [before] if before is not None and before[0] in edges else []
    tail = [after] if after is not None and after[0] in edges else []
    needs = [_choose(lead + list(alt) + tail) for alt in alternatives]
    if all(n is not None for n in needs):
        return ("t", tuple(dict.fromkeys(t for n in needs for t in n)))  # type: ignore[union-attr]
    return ("x",)


def cost(option: Iterable[Trigger]) -> tuple[int, int, int]:
    """Rank first, then fewer triggers, then fewer lines (see Trigger.lines)."""
    option = tuple(option)
    return max(t.rank for t in option), len(option), sum(t.lines for t in option)


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


def first_line_only(expression: bytes) -> bool:
    """Whether every match of the Hyperscan ``expression`` lies on the first
    line of the data: it starts at ``\\A`` and no part of it can match a
    newline (a table header's check), so scanning the first line alone finds
    every match the whole document has (an end anchor in it then also
    matches at the line's end: more, never fewer)."""
    try:
        items = list(P.parse(expression).data)
    except (re.error, OverflowError, RecursionError):
        return False
    return (bool(items) and items[0] == (C.AT, C.AT_BEGINNING_STRING)
            and all(_no_newline(op, av) for op, av in items[1:]))


def pattern_triggers(pattern: str) -> tuple[Trigger, ...] | None:
    """Triggers one of which occurs in every match of a rule's own regex (the
    scanner runs it on one line at a time, so line-locality is given)."""
    try:
        parsed = P.parse(pattern.encode("utf-8"), re.MULTILINE)
        caseless = bool(parsed.state.flags & re.IGNORECASE)
        return _choose(_flatten(list(parsed.data), caseless))
    except (re.error, OverflowError, RecursionError, UnicodeError):
        return None


