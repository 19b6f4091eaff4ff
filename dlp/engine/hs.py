"""Hyperscan matcher: one database for every rule, cached on disk by content hash."""
from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING

import hyperscan

from dlp.cache import cache_dir, sha256, store_atomic
from dlp.engine.gate import gate_expressions
from dlp.engine.lines import line_has_keyword, line_span
from dlp.errors import RuleError

if TYPE_CHECKING:
    from dlp.ruleset import Rule, Ruleset

_FORMAT = b"dlp-hs-6"
_BASE_FLAGS = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_ALLOWEMPTY


def _flags(multiline: bool) -> int:
    # A multiline rule only needs to know whether it matches at all.
    return _BASE_FLAGS | (hyperscan.HS_FLAG_SINGLEMATCH if multiline else 0)


# Keywords common in ordinary code: a line holding one is no evidence of anything,
# so rules keyed on them keep their full pattern in the database.
_COMMON_KEYWORDS = frozenset("""
key keys token tokens secret secrets password passwords passwd pass pwd auth bearer private
credential credentials client access api apikey user login config data http https url host
basic oauth session cookie webhook hook account sign signing hash salt cert admin bot app
id name email phone date code number mobile address test_ key_ api_ app_ self. this. test.
return import default value_ token_ secret_ client_ access_ public private_""".split())


def _distinctive(keyword: str) -> bool:
    if keyword in _COMMON_KEYWORDS:
        return False
    # short keywords are substrings of too much ordinary text ("re_", "sk_", "ably")
    if any(not c.isalpha() for c in keyword):
        return len(keyword) >= 4
    return len(keyword) >= 5


def expression(rule: Rule) -> tuple[bytes, int]:
    """What the database compiles for a rule, and its flags (before a prefilter
    is split into its alternatives: see :func:`expressions`).

    A rule whose keywords are all distinctive literals compiles to those
    literals: a single-line rule only ever runs on lines holding one of its
    keywords, so the lines where a keyword occurs are exactly the candidates
    (and literal matching is what Hyperscan does fastest, to compile and to
    scan). Any other rule compiles its full pattern, in prefilter mode.
    """
    if rule.prefilter is not None:
        return rule.prefilter.encode("utf-8"), _flags(rule.multiline)
    if rule.keywords and all(_distinctive(k) for k in rule.keywords):
        alternation = "|".join(_escape(k) for k in sorted(set(rule.keywords)))
        flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_MULTILINE
        return alternation.encode("utf-8"), flags | (hyperscan.HS_FLAG_SINGLEMATCH if rule.multiline else 0)
    return rule.pattern.encode("utf-8"), _flags(rule.multiline)


def expressions(rule: Rule) -> list[tuple[bytes, int]]:
    """The database entries of a rule: its expression, with a prefilter split
    into its top-level alternatives. Rules written with the same shapes
    (``(?:^|[^0-9])\\d{12}(?:[^0-9\\n]|$)``, ``\\d{4}[ -]\\d{4}[ -]\\d{4}``...)
    then share one database entry per shape: dozens of digit-heavy personal-data
    rules cost a handful of simple automata instead of one each."""
    pattern, flags = expression(rule)
    if rule.prefilter is None:
        return [(pattern, flags)]
    return [(alternative, flags) for alternative in _alternatives(pattern)]


def _alternatives(pattern: bytes) -> list[bytes]:
    """``pattern`` split on its top-level ``|`` (outside groups, classes and
    escapes). A pattern with a leading global flag group stays whole."""
    if pattern.startswith(b"(?") and re.match(rb"\(\?[aiLmsux]+\)", pattern):
        return [pattern]
    parts: list[bytes] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i:i + 1]
        if c == b"\\":
            i += 2
            continue
        if in_class:
            if c == b"]":
                in_class = False
        elif c == b"[":
            in_class = True
            if pattern[i + 1:i + 2] == b"^":
                i += 1
            if pattern[i + 1:i + 2] == b"]":
                i += 1  # a leading ] is a literal member
        elif c == b"(":
            depth += 1
        elif c == b")":
            depth -= 1
        elif c == b"|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts if all(parts) else [pattern]


def _escape(literal: str) -> str:
    """A literal as a Hyperscan expression: ASCII word characters as they are, every other byte as \\xHH."""
    return "".join(
        chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) == "_") else f"\\x{b:02x}"
        for b in literal.encode("utf-8")
    )


def _compile(expressions: list[bytes], flags: list[int]) -> hyperscan.Database:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=expressions, ids=list(range(len(expressions))),
               elements=len(expressions), flags=flags)
    return db


def _gated(rule: Rule) -> bool:
    """Rules that get a document gate: personal-data rules whose context is required.
    (Their candidates are numbers found everywhere in code; secret rules'
    candidates are few and mostly keyword-led already.)"""
    return (rule.category.value == "pii" and rule.context is not None and rule.context.required
            and bool(rule.context.words))


def _expressions(ruleset: Ruleset) -> tuple[list[tuple[bytes, int]], list[list[int]], list[bool]]:
    """Distinct (expression, flags) pairs, for each the rules that use it, and
    whether it is a document gate (dlp/engine/gate.py) rather than a span
    source: rules sharing a prefilter shape (or keywords, or context words)
    are one entry in the database."""
    index: dict[tuple[bytes, int], int] = {}
    groups: list[list[int]] = []

    def add(key: tuple[bytes, int], rule_index: int) -> None:
        if key not in index:
            index[key] = len(groups)
            groups.append([])
        if not groups[index[key]] or groups[index[key]][-1] != rule_index:
            groups[index[key]].append(rule_index)

    for i, rule in enumerate(ruleset.rules):
        for key in expressions(rule):
            add(key, i)
    span_keys = set(index)
    gate_flags = hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_SINGLEMATCH
    for i, rule in enumerate(ruleset.rules):
        if _gated(rule):
            gates = gate_expressions(rule.context.words)  # type: ignore[union-attr]
            if gates is None:
                continue
            short, other = gates
            for word in short:  # one entry per word, shared by the rules that use it
                add((word.encode("ascii"), gate_flags | _GATE_MARK), i)
            if other is not None:
                add((other.encode("ascii"), gate_flags | hyperscan.HS_FLAG_CASELESS | _GATE_MARK), i)
    keys = [(e, f & ~_GATE_MARK) for e, f in index]
    return keys, groups, [key not in span_keys for key in index]


# Distinguishes a gate from a span expression with the same text while grouping (never compiled).
_GATE_MARK = 1 << 30


def _database(ruleset: Ruleset) -> tuple[hyperscan.Database | None, list[list[int]], list[bool], list[bool]]:
    """(database, rules of each expression, whether each expression is a whole-document
    one, whether it is a document gate; a rule with a split prefilter is in several
    groups), loaded from the cache when this ruleset was compiled before: a cold
    process then neither compiles nor even derives the expressions."""
    key = sha256(_FORMAT + ruleset.hash.encode() + str(hyperscan.__version__).encode()).hexdigest()[:32]
    path = cache_dir() / f"hs-{key}.db"
    try:
        blob = path.read_bytes()
        size = int.from_bytes(blob[:4], "big")
        meta = json.loads(blob[4:4 + size])
        db = hyperscan.loadb(blob[4 + size:], hyperscan.HS_MODE_BLOCK) if meta["groups"] else None
        return db, meta["groups"], meta["whole"], meta["gate"]
    except (OSError, ValueError, KeyError, hyperscan.error):  # type: ignore[attr-defined]
        pass  # a missing or corrupt cache is only a miss
    expressions_, groups, gates = _expressions(ruleset)
    whole = [bool(flags & hyperscan.HS_FLAG_SINGLEMATCH) and not gate
             for (_, flags), gate in zip(expressions_, gates)]
    db = None
    if expressions_:
        try:
            db = _compile([e for e, _ in expressions_], [f for _, f in expressions_])
        except hyperscan.error:  # type: ignore[attr-defined]
            for rule in ruleset.rules:
                try:
                    _compile([e for e, _ in expressions(rule)], [f for _, f in expressions(rule)])
                except hyperscan.error as exc:  # type: ignore[attr-defined]
                    raise RuleError(f"{rule.source}: rule {rule.id!r}: Hyperscan rejects the pattern: {exc}") from None
            raise
    meta_bytes = json.dumps({"groups": groups, "whole": whole, "gate": gates}).encode()
    store_atomic(path, len(meta_bytes).to_bytes(4, "big") + meta_bytes + (hyperscan.dumpb(db) if db else b""))
    return db, groups, whole, gates


class HyperscanMatcher:
    name = "hyperscan"

    def __init__(self, ruleset: Ruleset) -> None:
        self._multiline = [rule.multiline for rule in ruleset.rules]
        self._keywords = [tuple(k.encode("utf-8") for k in rule.keywords) for rule in ruleset.rules]
        self._db, self._groups, self._group_multiline, self._group_gate = _database(ruleset)
        # rule index -> its gate expressions: the rule has no spans in a document where none fired
        self._rule_gates: dict[int, list[int]] = {}
        for g, is_gate in enumerate(self._group_gate):
            if is_gate:
                for i in self._groups[g]:
                    self._rule_gates.setdefault(i, []).append(g)
        self._gated_rules = frozenset(self._rule_gates)
        self._scratch: hyperscan.Scratch | None = None
        self._pid = -1

    def _get_scratch(self) -> hyperscan.Scratch:
        # scratch space is per process (a forked worker must allocate its own)
        if self._scratch is None or self._pid != os.getpid():
            self._scratch = hyperscan.Scratch(self._db)
            self._pid = os.getpid()
        return self._scratch

    def spans(self, data: bytes) -> dict[int, list[tuple[int, int]]]:
        if self._db is None or not data:
            return {}
        hits: dict[int, list[tuple[int, int]]] = {}
        whole = self._group_multiline
        gate = self._group_gate
        last_line: dict[int, tuple[int, int]] = {}
        opened: set[int] = set()

        def on_match(group: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            if whole[group]:
                hits[group] = []
                return
            if gate[group]:
                opened.add(group)
                return
            pos = to - 1 if to > 0 else 0
            seen = last_line.get(group)
            # skip ends on the line already recorded for this expression (cheap
            # pre-dedup; correct whatever order Hyperscan reports matches in)
            if seen is not None and seen[0] <= pos <= seen[1]:
                return
            span = last_line[group] = line_span(data, pos)
            hits.setdefault(group, []).append(span)

        self._db.scan(data, match_event_handler=on_match, scratch=self._get_scratch())
        # rules none of whose context words is in the document: no spans at all
        closed = self._gated_rules.difference(*(self._groups[g] for g in opened)) if self._gated_rules else ()
        out: dict[int, list[tuple[int, int]]] = {}
        merged: set[int] = set()
        lowered: bytes | None = None
        for group, line_spans in hits.items():
            rules = [index for index in self._groups[group] if index not in closed] if closed else self._groups[group]
            if not rules:
                continue
            spans = sorted(set(line_spans))
            for index in rules:
                keywords = self._keywords[index]
                if keywords:
                    lowered = data.lower() if lowered is None else lowered
                if self._multiline[index]:
                    if not keywords or any(kw in lowered for kw in keywords):  # type: ignore[operator]
                        out[index] = [(0, len(data))]
                    continue
                kept = [s for s in spans if line_has_keyword(lowered, s, keywords)] if keywords else spans
                if kept:
                    if index in out:  # the rule is in several groups (a split prefilter)
                        merged.add(index)
                        out[index] = out[index] + kept
                    else:
                        out[index] = kept
        for index in merged:
            out[index] = sorted(set(out[index]))
        return out
