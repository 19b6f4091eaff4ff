"""Hyperscan matcher: one database for every rule, cached on disk by content hash."""
from __future__ import annotations

import hashlib
import json
import os
from typing import TYPE_CHECKING

import hyperscan

from dlp.cache import cache_dir, store_atomic
from dlp.engine.lines import line_has_keyword, line_span
from dlp.errors import RuleError

if TYPE_CHECKING:
    from dlp.ruleset import Rule, Ruleset

_FORMAT = b"dlp-hs-2"
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
    """What the database compiles for a rule, and its flags.

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


def _expressions(ruleset: Ruleset) -> tuple[list[tuple[bytes, int]], list[list[int]]]:
    """Distinct (expression, flags) pairs and, for each, the rules that use it:
    rules sharing a prefilter (or keywords) are one entry in the database."""
    index: dict[tuple[bytes, int], int] = {}
    groups: list[list[int]] = []
    for i, rule in enumerate(ruleset.rules):
        key = expression(rule)
        if key not in index:
            index[key] = len(groups)
            groups.append([])
        groups[index[key]].append(i)
    return list(index), groups


def _database(ruleset: Ruleset) -> tuple[hyperscan.Database | None, list[list[int]], list[bool]]:
    """(database, rules of each expression, whether each expression is a whole-document
    one), loaded from the cache when this ruleset was compiled before: a cold process
    then neither compiles nor even derives the expressions."""
    key = hashlib.sha256(_FORMAT + ruleset.hash.encode() + str(hyperscan.__version__).encode()).hexdigest()[:32]
    path = cache_dir() / f"hs-{key}.db"
    try:
        blob = path.read_bytes()
        size = int.from_bytes(blob[:4], "big")
        meta = json.loads(blob[4:4 + size])
        db = hyperscan.loadb(blob[4 + size:], hyperscan.HS_MODE_BLOCK) if meta["groups"] else None
        return db, meta["groups"], meta["whole"]
    except (OSError, ValueError, KeyError, hyperscan.error):  # type: ignore[attr-defined]
        pass  # a missing or corrupt cache is only a miss
    expressions, groups = _expressions(ruleset)
    whole = [bool(flags & hyperscan.HS_FLAG_SINGLEMATCH) for _, flags in expressions]
    db = None
    if expressions:
        try:
            db = _compile([e for e, _ in expressions], [f for _, f in expressions])
        except hyperscan.error:  # type: ignore[attr-defined]
            for rule in ruleset.rules:
                pattern, rule_flags = expression(rule)
                try:
                    _compile([pattern], [rule_flags])
                except hyperscan.error as exc:  # type: ignore[attr-defined]
                    raise RuleError(f"{rule.source}: rule {rule.id!r}: Hyperscan rejects the pattern: {exc}") from None
            raise
    meta_bytes = json.dumps({"groups": groups, "whole": whole}).encode()
    store_atomic(path, len(meta_bytes).to_bytes(4, "big") + meta_bytes + (hyperscan.dumpb(db) if db else b""))
    return db, groups, whole


class HyperscanMatcher:
    name = "hyperscan"

    def __init__(self, ruleset: Ruleset) -> None:
        self._multiline = [rule.multiline for rule in ruleset.rules]
        self._keywords = [tuple(k.encode("utf-8") for k in rule.keywords) for rule in ruleset.rules]
        self._db, self._groups, self._group_multiline = _database(ruleset)
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
        last_line: dict[int, tuple[int, int]] = {}

        def on_match(group: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            if whole[group]:
                hits[group] = []
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
        out: dict[int, list[tuple[int, int]]] = {}
        lowered: bytes | None = None
        for group, line_spans in hits.items():
            spans = sorted(set(line_spans))
            for index in self._groups[group]:
                keywords = self._keywords[index]
                if keywords:
                    lowered = data.lower() if lowered is None else lowered
                if self._multiline[index]:
                    if not keywords or any(kw in lowered for kw in keywords):  # type: ignore[operator]
                        out[index] = [(0, len(data))]
                    continue
                kept = [s for s in spans if line_has_keyword(lowered, s, keywords)] if keywords else spans
                if kept:
                    out[index] = kept
        return out
