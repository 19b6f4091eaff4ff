"""Hyperscan matcher: one database for every rule, cached on disk by content hash."""
from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

import hyperscan

from dlp.cache import cache_dir, store_atomic
from dlp.engine.lines import line_has_keyword, line_span
from dlp.errors import RuleError

if TYPE_CHECKING:
    from dlp.ruleset import Ruleset

_FORMAT = b"dlp-hs-1"
_BASE_FLAGS = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_ALLOWEMPTY


def _flags(multiline: bool) -> int:
    # A multiline rule only needs to know whether it matches at all.
    return _BASE_FLAGS | (hyperscan.HS_FLAG_SINGLEMATCH if multiline else 0)


def _compile(expressions: list[bytes], flags: list[int]) -> hyperscan.Database:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=expressions, ids=list(range(len(expressions))),
               elements=len(expressions), flags=flags)
    return db


def compile_error(pattern: str, multiline: bool = False) -> str | None:
    """Why Hyperscan rejects one pattern, or None if it compiles."""
    try:
        _compile([pattern.encode("utf-8")], [_flags(multiline)])
    except hyperscan.error as exc:  # type: ignore[attr-defined]
        return str(exc)
    return None


def _database(ruleset: Ruleset) -> hyperscan.Database:
    expressions = [rule.pattern.encode("utf-8") for rule in ruleset.rules]
    flags = [_flags(rule.multiline) for rule in ruleset.rules]
    key = hashlib.sha256(
        _FORMAT + ruleset.hash.encode() + repr(flags).encode() + str(hyperscan.__version__).encode()
    ).hexdigest()[:32]
    path = cache_dir() / f"hs-{key}.db"
    try:
        return hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error):  # type: ignore[attr-defined]
        pass
    try:
        db = _compile(expressions, flags)
    except hyperscan.error:  # type: ignore[attr-defined]
        for rule in ruleset.rules:
            error = compile_error(rule.pattern, rule.multiline)
            if error:
                raise RuleError(f"{rule.source}: rule {rule.id!r}: Hyperscan rejects the pattern: {error}") from None
        raise
    store_atomic(path, hyperscan.dumpb(db))
    return db


class HyperscanMatcher:
    name = "hyperscan"

    def __init__(self, ruleset: Ruleset) -> None:
        self._multiline = [rule.multiline for rule in ruleset.rules]
        self._keywords = [tuple(k.encode("utf-8") for k in rule.keywords) for rule in ruleset.rules]
        self._db = _database(ruleset) if ruleset.rules else None
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
        hits: dict[int, list[int]] = {}
        multiline = self._multiline
        last_line: dict[int, tuple[int, int]] = {}

        def on_match(rule_index: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            if multiline[rule_index]:
                hits[rule_index] = [0]
                return
            pos = to - 1 if to > 0 else 0
            seen = last_line.get(rule_index)
            # skip ends on the line already recorded for this rule (cheap pre-dedup;
            # correct whatever order Hyperscan reports matches in)
            if seen is not None and seen[0] <= pos <= seen[1]:
                return
            span = last_line[rule_index] = line_span(data, pos)
            hits.setdefault(rule_index, []).append(span[0])

        self._db.scan(data, match_event_handler=on_match, scratch=self._get_scratch())
        out: dict[int, list[tuple[int, int]]] = {}
        lowered: bytes | None = None
        for index, positions in hits.items():
            keywords = self._keywords[index]
            if self._multiline[index]:
                if keywords:
                    lowered = data.lower() if lowered is None else lowered
                    if not any(kw in lowered for kw in keywords):
                        continue
                out[index] = [(0, len(data))]
                continue
            spans = sorted({line_span(data, p) for p in positions})
            if keywords:
                lowered = data.lower() if lowered is None else lowered
                spans = [s for s in spans if line_has_keyword(lowered, s, keywords)]
            if spans:
                out[index] = spans
        return out
