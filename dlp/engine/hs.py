"""Hyperscan matcher: every rule compiled once, cached on disk by content hash.
Each document is read by the first pass (the secret rules, personal-data
shapes without a trigger, literal triggers, openers) and the line trigger
(personal-data digit shapes), its first line by the head pass (table
headers); then, as needed, the second pass over the lines holding a trigger,
the late pass over a document a rare context word opened, and the document
gates (see :func:`_plan`)."""
from __future__ import annotations

import json
import os
import re
from bisect import bisect_right
from typing import TYPE_CHECKING

import hyperscan

from dlp.cache import cache_dir, sha256, store_atomic
from dlp.engine.facts import SQL_FREE
from dlp.engine.gate import gate_expressions
from dlp.engine.keywords import COMMON_KEYWORDS, distinctive
from dlp.engine.lines import line_span
from dlp.errors import RuleError

if TYPE_CHECKING:
    from dlp.engine.trigger import Trigger
    from dlp.ruleset import Rule, Ruleset

_FORMAT = b"dlp-hs-34"
_BASE_FLAGS = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_ALLOWEMPTY


def _flags(multiline: bool) -> int:
    # A multiline rule only needs to know whether it matches at all.
    return _BASE_FLAGS | (hyperscan.HS_FLAG_SINGLEMATCH if multiline else 0)


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
    if _keyword_led(rule):
        alternation = "|".join(_escape(k) for k in sorted(set(rule.keywords)))
        flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_MULTILINE
        return alternation.encode("utf-8"), flags | (hyperscan.HS_FLAG_SINGLEMATCH if rule.multiline else 0)
    return rule.pattern.encode("utf-8"), _flags(rule.multiline)


def _keyword_led(rule: Rule) -> bool:
    """Whether ``rule``'s database expression is its keywords (caseless, as
    the matchers compare them), each within one line."""
    return (rule.prefilter is None and bool(rule.keywords) and all(distinctive(k) for k in rule.keywords)
            and not any("\n" in k for k in rule.keywords))


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
    candidates are few and mostly keyword-led already. A column-scoped rule's
    words are column names: its prefilter finds them in the header line.)"""
    return (rule.category.value == "pii" and rule.context is not None and rule.context.required
            and bool(rule.context.words) and not rule.context.column)


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

# What each database entry is (see :func:`_plan`).
SPAN, WHOLE, GATE, RESCAN, TRIGGER, LINE_TRIGGER = "span", "whole", "gate", "rescan", "trigger", "line"
HEAD = "head"
LATE, OPENER, SQL = "late", "opener", "sql"


def _cheap(triggers: tuple[Trigger, ...]) -> bool:
    """Whether a rule's triggers are rare enough in code to be worth a second
    pass: runs of 5 or more digits, digit groups, ``@``, distinctive literals (not ``name``
    or a 4-digit year)."""
    from dlp.engine.trigger import CHEAP

    return all(t.rank <= CHEAP for t in triggers)


def _rule_triggers(rule: Rule) -> tuple[Trigger, ...] | None:
    """Triggers one of which is on every line where ``rule`` can match, or
    None: from the rule's own regex, its keywords or its database
    expressions, whichever holds on fewer lines. None too for a rule whose
    expressions are literal-led: they stay in the first pass."""
    from dlp.engine.trigger import Trigger, cost, expression_triggers, pattern_triggers

    if rule.multiline or rule.category.value != "pii":
        return None
    options = [pattern_triggers(rule.pattern)]
    if rule.keywords:  # a single-line rule only ever runs on lines holding a keyword
        options.append(tuple(dict.fromkeys(
            Trigger("literal", k.lower().encode("utf-8"), caseless=True) for k in rule.keywords)))
    per_expression = [expression_triggers(e, bool(f & hyperscan.HS_FLAG_CASELESS)) for e, f in expressions(rule)]
    if all(t is not None for t in per_expression):
        options.append(tuple(dict.fromkeys(t for ts in per_expression for t in ts)))  # type: ignore[union-attr]
    found = [o for o in options if o is not None and _cheap(o)]
    if not found:
        return None
    best = min(found, key=cost)
    if (all(t.kind == "literal" for t in best) and not _gated(rule)
            and all(ts is not None and all(t.kind == "literal" for t in ts) for ts in per_expression)):
        # each expression holds literals of its own (``jalan``, ``no. tentera``,
        # `` bin ``): the first pass finds it for what it would pay for the
        # literals, and its matches are the rule's lines, with no second pass
        # (the same spans, 1.5 ms less over bench_scan.py's corpus, measured)
        return None
    return best


def _plan(ruleset: Ruleset) -> tuple[list[tuple[bytes, int]], list[list[int]], list[str]]:
    """Every database entry (expression, flags), the rules of each, and its kind:

    - ``span``/``whole``: the first pass over the document reports the lines
      (or the whole document, for multiline rules) where the rules may match;
    - ``head``: a multiline rule's entry that only ever matches on the
      first line (``\\A``, then nothing that can match a newline: a table
      header), read there only: in the first pass Hyperscan spent as much on
      the one such expression, over every byte, as on all the first lines
      (5.7 ms against 2.1 ms over the 67 MB of bench_scan.py);
    - ``trigger``/``line``: a cheap necessary condition (dlp/engine/trigger.py)
      of the rules of the second pass: the first pass collects the lines where
      one fired;
    - ``rescan``: the second pass, on those lines only: the shapes whose rules
      (personal-data rules) all have a trigger. (Each rule's own pattern
      there instead was measured: more precise lines, but Hyperscan runs the
      patterns at ~17 MB/s, which cost more than the scanner saved.)
    - ``gate``: gates of context words: in a document without tables, scanned
      over each candidate line's region (the reach of the context windows of
      its values) to drop the lines of rules none of whose words are there;
      in a document that may hold a table (a column name vouches for a
      value, however far), scanned over the whole document when rules with
      gates have more than one candidate line per ``_GATED_LINE_BYTES`` of
      it (see :meth:`HyperscanMatcher.spans`);
    - ``late``/``opener``: personal-data rules with no trigger but a required
      context (dates of birth, passports): their context words' gates
      are ``opener`` entries of the first pass, and their shapes are read
      over the whole document only when one of those fired (a document
      without any of a rule's context words cannot hold a finding of it,
      see dlp/engine/gate.py). Not for a rule with a context word common in
      code (``user``, ``host``: the IP address rules), whose openers would
      fire in most documents. A shape shared with rules that have a trigger
      is in both the second pass and this one.
    """
    from dlp.engine.trigger import first_line_only, line_trigger

    expressions_, groups, gates = _expressions(ruleset)
    rules = ruleset.rules
    chosen = {i: _rule_triggers(rule) for i, rule in enumerate(rules) if rule.category.value == "pii"}
    late_gates = {i: gate_expressions(rules[i].context.words)  # type: ignore[union-attr]
                  for i, triggers in chosen.items() if triggers is None and _gated(rules[i])
                  and not any(w in COMMON_KEYWORDS for w in rules[i].context.words)}  # type: ignore[union-attr]
    late = {i for i, found in late_gates.items() if found is not None}
    kinds: list[str] = []
    # (entry, late rule) for each late rule of an entry beyond the entry's own
    # kind: each late rule has a database of its own, so a document a passport word
    # opens is not read for dates of birth
    late_copies: list[tuple[int, int]] = []
    for g, ((expression_, flags), members, gate) in enumerate(zip(expressions_, groups, gates)):
        if gate:
            kinds.append(GATE)
        elif flags & hyperscan.HS_FLAG_SINGLEMATCH:
            kinds.append(HEAD if first_line_only(expression_) else WHOLE)
        elif all(i in late or chosen.get(i) is not None for i in members):
            owners = [i for i in members if i in late]
            if len(owners) < len(members):  # a rule with a trigger: the second pass
                kinds.append(RESCAN)
                late_copies.extend((g, i) for i in owners)
            else:
                kinds.append(f"{LATE}:{owners[0]}")
                late_copies.extend((g, i) for i in owners[1:])
        else:
            kinds.append(SPAN)
    for g, i in late_copies:
        expressions_.append(expressions_[g])
        groups.append(list(groups[g]))
        kinds.append(f"{LATE}:{i}")
    opener_flags = hyperscan.HS_FLAG_MULTILINE | hyperscan.HS_FLAG_SINGLEMATCH
    openers: dict[tuple[bytes, int], list[int]] = {}
    for i in sorted(late):
        short, other = late_gates[i]  # type: ignore[misc]
        for word in short:
            openers.setdefault((word.encode("ascii"), opener_flags), []).append(i)
        if other is not None:
            openers.setdefault((other.encode("ascii"), opener_flags | hyperscan.HS_FLAG_CASELESS), []).append(i)
    for key, members in openers.items():
        expressions_.append(key)
        groups.append(members)
        kinds.append(OPENER)
    if any(rule.category.value == "pii" and rule.context is not None and rule.context.words for rule in rules):
        # whether the document holds an SQL INSERT at all: most do not, and
        # the context check then skips its look-back for one (dlp/engine/facts.py)
        expressions_.append((SQL_INSERT, hyperscan.HS_FLAG_SINGLEMATCH))
        groups.append([])
        kinds.append(SQL)
    needed: dict[Trigger, None] = {}
    for members, kind in zip(groups, kinds):
        if kind == RESCAN:
            for i in members:
                needed.update(dict.fromkeys(chosen[i] or ()))  # late rules have none
    # literals and the mailbox class are entries of their own; the digit
    # shapes one alternation to the end of the line (see below)
    literals = sorted((t for t in needed if t.kind in ("literal", "mailbox")), key=repr)
    for trigger in literals:
        text, caseless = trigger.expression()
        expressions_.append((text, hyperscan.HS_FLAG_MULTILINE | (hyperscan.HS_FLAG_CASELESS if caseless else 0)))
        groups.append([])
        kinds.append(TRIGGER)
    line_shapes = [t for t in needed if t.kind not in ("literal", "mailbox")]
    if line_shapes:
        # one alternation to the end of the line: as separate entries the same
        # shapes cost Hyperscan five times as much, and the mailbox class
        # inside it half as much again as the whole first pass (measured)
        expressions_.append((line_trigger(line_shapes), hyperscan.HS_FLAG_MULTILINE))
        groups.append([])
        kinds.append(LINE_TRIGGER)
    return expressions_, groups, kinds


def _compile_kinds(expressions_: list[tuple[bytes, int]], kinds: list[str], wanted: tuple[str, ...]
                   ) -> hyperscan.Database | None:
    """One database of the entries of the ``wanted`` kinds; Hyperscan ids are
    the entries' global indexes, so every pass shares the same tables."""
    ids = [g for g, kind in enumerate(kinds) if kind in wanted]
    if not ids:
        return None
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[expressions_[g][0] for g in ids], ids=ids, elements=len(ids),
               flags=[expressions_[g][1] for g in ids])
    return db


# The line trigger is a database of its own, read after the first: beside the
# secret rules and the personal-data shapes without a trigger, Hyperscan runs
# it at about twice the cost it has alone (measured: 0.13 against 0.25 s over
# the 67 MB of bench_scan.py).
_PASSES = ((SPAN, WHOLE, TRIGGER, OPENER, SQL), (LINE_TRIGGER,), (HEAD,), (RESCAN,), (GATE,))
_EVERY = 3  # the passes every document is read with (the head pass: its first line)


def _late_passes(kinds: list[str]) -> list[tuple[str, ...]]:
    """One pass per late rule (``late:<rule index>``), after the fixed ones."""
    return [(kind,) for kind in sorted({k for k in kinds if k.startswith(LATE + ":")})]


def _database(ruleset: Ruleset) -> tuple[list[hyperscan.Database | None], list[bytes], dict[int, bytes],
                                        list[list[int]], list[str]]:
    """(the databases every document is read with: the first pass, the
    line trigger and the head pass, None when empty; the serialised rescan
    and gate databases, loaded only when a document needs them (b"": none); the serialised late
    database of each late rule; rules of each entry; kind of each entry),
    from the cache when this ruleset was compiled before: a cold process then
    neither compiles nor even derives the expressions."""
    key = sha256(_FORMAT + ruleset.hash.encode() + str(hyperscan.__version__).encode()).hexdigest()[:32]
    path = cache_dir() / f"hs-{key}.db"
    try:
        blob = path.read_bytes()
        size = int.from_bytes(blob[:4], "big")
        meta = json.loads(blob[4:4 + size])
        parts: list[bytes] = []
        offset = 4 + size
        for length in meta["sizes"]:
            parts.append(blob[offset:offset + length])
            offset += length
        passes = _PASSES + tuple(_late_passes(meta["kinds"]))
        if len(parts) != len(passes) or offset != len(blob):
            raise ValueError("truncated")
        every = [hyperscan.loadb(part, hyperscan.HS_MODE_BLOCK) if part else None for part in parts[:_EVERY]]
        lates = {int(kind.partition(":")[2]): part for (kind,), part in zip(passes[len(_PASSES):], parts[len(_PASSES):])}
        return every, parts[_EVERY:len(_PASSES)], lates, meta["groups"], meta["kinds"]
    except (OSError, ValueError, KeyError, TypeError, hyperscan.error):  # type: ignore[attr-defined]
        pass  # a missing or corrupt cache is only a miss
    expressions_, groups, kinds = _plan(ruleset)
    passes = _PASSES + tuple(_late_passes(kinds))
    try:
        dbs = [_compile_kinds(expressions_, kinds, wanted) for wanted in passes]
    except hyperscan.error:  # type: ignore[attr-defined]
        for rule in ruleset.rules:
            try:
                _compile([e for e, _ in expressions(rule)], [f for _, f in expressions(rule)])
            except hyperscan.error as exc:  # type: ignore[attr-defined]
                raise RuleError(f"{rule.source}: rule {rule.id!r}: Hyperscan rejects the pattern: {exc}") from None
        raise
    blobs = [hyperscan.dumpb(db) if db is not None else b"" for db in dbs]
    meta_bytes = json.dumps({"groups": groups, "kinds": kinds, "sizes": [len(b) for b in blobs]}).encode()
    store_atomic(path, len(meta_bytes).to_bytes(4, "big") + meta_bytes + b"".join(blobs))
    lates = {int(kind.partition(":")[2]): part for (kind,), part in zip(passes[len(_PASSES):], blobs[len(_PASSES):])}
    return dbs[:_EVERY], blobs[_EVERY:len(_PASSES)], lates, groups, kinds


# In a document that may hold a table, the document gates are scanned when the
# rules with gates have more than one candidate line per this many bytes of
# document (see HyperscanMatcher.spans):
# a gate scan costs about what the scanner spends on one such line per 8 KB
# (measured over bench_scan.py's corpus, where three in four of those lines
# are in documents none of whose context words are there: this gate policy
# spent 0.061 s there, against 0.088 s for "more than 8 lines", 0.115 s for
# always and 0.127 s for never).
_GATED_LINE_BYTES = 8192

_SPAN_ROLE, _TRIGGER_ROLE, _OPENER_ROLE, _WHOLE_ROLE, _SQL_ROLE = range(5)
_ROLES = {TRIGGER: _TRIGGER_ROLE, OPENER: _OPENER_ROLE, WHOLE: _WHOLE_ROLE, HEAD: _WHOLE_ROLE, SQL: _SQL_ROLE}

# What starts every statement the context check reads columns from
# (``context._insert``: ``INSERT``/``insert``, then ``INTO``/``IGNORE INTO``
# in any case). A document without one has no SQL column for any value.
SQL_INSERT = rb"(?:INSERT|insert)\s+(?:[iI][gG][nN][oO][rR][eE]\s+)?[iI][nN][tT][oO]\s"


def _may_be_table(data: bytes) -> bool:
    """Whether a value's column could vouch for it: the first line of
    ``data`` is a CSV/TSV header, with a line after it (the context check's
    own reading, dlp/context.py; an SQL ``INSERT`` is what the first pass
    notes). A first line with a delimiter is mostly code (``import sys,
    os``, ``__all__ = ('a', 'b')``): 230 headers among 1,219 such lines
    over bench_scan.py's corpus, whose other documents' gated lines the
    region gates then read (4 ms less a pass)."""
    # imported here: a hook's fast path runs the matcher without the scanner's modules
    from dlp.context import has_table_header

    return has_table_header(data)


# Past this many triggered lines a document is rescanned whole: cheaper than
# copying most of it line by line (a CSV of numbers, a table of constants).
_DENSE = 2048

class HyperscanMatcher:
    name = "hyperscan"

    def __init__(self, ruleset: Ruleset) -> None:
        self._multiline = [rule.multiline for rule in ruleset.rules]
        # the keywords each rule's spans are checked for; none for a rule whose
        # database expression is its keywords (see expression()): Hyperscan
        # found one where it reported the rule, so the check could only agree
        self._keywords = [() if _keyword_led(rule) else tuple(k.encode("utf-8") for k in rule.keywords)
                          for rule in ruleset.rules]
        (self._db, self._line_db, self._head_db), (self._rescan_blob, self._gate_blob), self._late_blobs, \
            self._groups, kinds = _database(ruleset)
        # the rescan, gate and late databases, loaded on first use ("rescan",
        # "gate", a late rule's index): a prompt without digits or names needs none
        self._loaded: dict[str | int, hyperscan.Database] = {}
        # what a match of each entry does (see spans): spans (first, second and
        # late pass) first, the most frequent
        self._role = [_ROLES.get(kind, _SPAN_ROLE) for kind in kinds]
        # rule index -> its gate expressions: the rule has no spans in a document where none fired
        self._gated_rules = frozenset(i for g, kind in enumerate(kinds) if kind == GATE for i in self._groups[g])
        # the characters on either side of a line that a gated rule's context
        # windows reach (``window`` and the boundary character beyond it): a
        # line's region gates (see _region_gates)
        self._gate_reach = max((ruleset.rules[i].context.window  # type: ignore[union-attr]
                                for i in self._gated_rules), default=0) + 1
        self._needs_gates = [any(i in self._gated_rules for i in rules) for rules in self._groups]
        # rules whose shapes are read only when one of their openers fired
        self._late_rules = frozenset(i for g, kind in enumerate(kinds) if kind == OPENER for i in self._groups[g])
        # entries with a gated or late rule: the only ones whose rules a
        # document may close (see _rule_spans)
        self._closable = [not self._late_rules.isdisjoint(rules) or not self._gated_rules.isdisjoint(rules)
                          for rules in self._groups]
        # entries whose rules are all single-line without keywords to check: each
        # takes the entry's lines as they are
        self._plain = [not any(self._multiline[i] or self._keywords[i] for i in rules) for rules in self._groups]
        self._sql = SQL in kinds
        self._scratch: dict[int, hyperscan.Scratch] = {}
        self._pid = -1

    def _get_scratch(self, db: hyperscan.Database | None = None) -> hyperscan.Scratch:
        # scratch space is per database and per process (spans() drops it in a
        # forked worker). Every scan call below passes its arguments by
        # position: by keyword, the binding spends ~3,000 instructions a call
        # parsing them (CPython's getargs makes and hashes each keyword name),
        # twice what Hyperscan needs to scan a short line (measured)
        db = self._db if db is None else db
        scratch = self._scratch.get(id(db))
        if scratch is None:
            scratch = self._scratch[id(db)] = hyperscan.Scratch(db)
        return scratch

    def _load(self, key: str | int, blob: bytes) -> hyperscan.Database | None:
        """The database of ``blob`` (b"": none), deserialised once."""
        db = self._loaded.get(key)
        if db is None and blob:
            db = self._loaded[key] = hyperscan.loadb(blob, hyperscan.HS_MODE_BLOCK)
        return db

    def spans(self, data: bytes) -> dict[int, list[tuple[int, int]]]:
        if not data or (self._db is None and self._line_db is None and self._head_db is None):
            return {}
        pid = os.getpid()
        if self._pid != pid:
            self._scratch = {}
            self._pid = pid
        hits: dict[int, list[tuple[int, int]]] = {}
        role = self._role
        last_line: dict[int, tuple[int, int]] = {}
        triggered: list[tuple[int, int]] = []
        last_trigger: list[tuple[int, int]] = [(-1, -1)]
        opened_late: set[int] = set()
        sql: list[int] = []

        def on_match(group: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            what = role[group]
            if what == _SPAN_ROLE:
                pos = to - 1 if to > 0 else 0
                seen = last_line.get(group)
                # skip ends on the line already recorded for this expression (cheap
                # pre-dedup; correct whatever order Hyperscan reports matches in)
                if seen is not None and seen[0] <= pos <= seen[1]:
                    return
                span = last_line[group] = line_span(data, pos)
                hits.setdefault(group, []).append(span)
            elif what == _TRIGGER_ROLE:
                if len(triggered) > _DENSE:
                    return  # a table of numbers: the second pass reads the whole document
                pos = to - 1 if to > 0 else 0
                recorded = last_trigger[0]
                if not recorded[0] <= pos <= recorded[1]:
                    span = last_trigger[0] = line_span(data, pos)
                    triggered.append(span)
            elif what == _OPENER_ROLE:
                opened_late.add(group)
            elif what == _SQL_ROLE:
                sql.append(group)
            else:  # a multiline rule's entry
                hits[group] = []

        def on_line(_group: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            # the line trigger: reported once per line, at its end
            if len(triggered) <= _DENSE:  # past that, a table of numbers: the second pass reads it whole
                triggered.append((data.rfind(b"\n", 0, to) + 1, to))

        scratches = self._scratch
        db = self._db
        if db is not None:
            scratch = scratches.get(id(db))
            db.scan(data, on_match, 0, None, self._get_scratch(db) if scratch is None else scratch)
        db = self._head_db
        if db is not None:  # over the first line (without its newline: $ matches where it was)
            end = data.find(b"\n")
            scratch = scratches.get(id(db))
            db.scan(data if end < 0 else data[:end], on_match, 0, None,
                    self._get_scratch(db) if scratch is None else scratch)
        if self._sql and not sql:
            SQL_FREE[0] = data  # no value of this document is in an SQL row (dlp/engine/facts.py)
        db = self._line_db
        if db is not None:
            scratch = scratches.get(id(db))
            db.scan(data, on_line, 0, None, self._get_scratch(db) if scratch is None else scratch)
        rescan_db = self._load("rescan", self._rescan_blob) if triggered else None
        if rescan_db is not None:
            if len(triggered) > _DENSE:
                # same spans as the triggered lines would give, and more: the
                # rules' own regexes decide
                rescan_db.scan(data, on_match, 0, None, self._get_scratch(rescan_db))
            else:
                self._rescan(rescan_db, data, triggered, hits)
        # the shapes of each late rule an opener fired for, over the whole
        # document (a shared entry's spans for other rules are dropped in
        # _rule_spans when none of their openers fired)
        if opened_late:
            for rule in sorted({i for g in opened_late for i in self._groups[g]}):
                late_db = self._load(rule, self._late_blobs.get(rule, b""))
                if late_db is not None:
                    late_db.scan(data, on_match, 0, None, self._get_scratch(late_db))
        if not hits:
            return {}
        needs_gates = self._needs_gates
        gated = [g for g in hits if needs_gates[g]]
        if not gated:
            return self._rule_spans(data, hits, None, opened_late)
        if not sql and not _may_be_table(data):
            # no value here is in a table column: a gated rule's candidates on
            # a line can only have context words within reach of the line
            return self._rule_spans(data, hits, None, opened_late,
                                    self._region_gates(data, sorted({span for g in gated for span in hits[g]})))
        gated_lines = sum(len(hits[g]) for g in gated)
        if gated_lines * _GATED_LINE_BYTES <= len(data):
            # a few lines in a large document: the scanner's own context
            # check on them costs less than reading the whole document for
            # the gates (same result: a closed gate only says that check
            # would fail everywhere)
            return self._rule_spans(data, hits, None, opened_late)
        opened: set[int] = set()
        gate_db = self._load("gate", self._gate_blob)
        if gate_db is not None:
            def on_gate(group: int, _from: int, _to: int, _flags: int, _ctx: object) -> None:
                opened.add(group)

            gate_db.scan(data, on_gate, 0, None, self._get_scratch(gate_db))
        return self._rule_spans(data, hits, opened, opened_late)

    def _region_gates(self, data: bytes, lines: list[tuple[int, int]]) -> dict[tuple[int, int], set[int]]:
        """For each line, the gated rules whose gates open in its region: the
        line with ``_gate_reach`` characters on either side, where every
        context window of a value on the line lies (dlp/context.py): as
        many bytes when they are ASCII, else four times as many (UTF-8).
        Lines whose regions overlap share one scan of their joined regions (a
        table of numbers, one line after another), which can only open more.
        In a document without tables (no column name can vouch for a value) a
        gated rule has no finding on a line whose region opens none of its
        gates: its spans there are dropped before its regex and context
        checks run (most numbers in code have no context word near them)."""
        gate_db = self._load("gate", self._gate_blob)
        if gate_db is None:
            return {line: set(self._gated_rules) for line in lines}
        scratch = self._get_scratch(gate_db)
        reach = self._gate_reach
        groups = self._groups
        opened: set[int] = set()

        def on_gate(group: int, _from: int, _to: int, _flags: int, _ctx: object) -> None:
            opened.add(group)

        out: dict[tuple[int, int], set[int]] = {}
        cluster: list[tuple[int, int]] = []
        lo = hi = 0
        for line in [*lines, None]:
            if line is not None and cluster and line[0] - reach <= hi:
                cluster.append(line)
                hi = max(hi, line[1] + reach)
                continue
            if cluster:
                opened.clear()
                region = data[lo:hi]
                if not region.isascii():  # up to 4 bytes a character: 4 times the reach
                    region = data[max(0, lo - 3 * reach):hi + 3 * reach]
                gate_db.scan(region, on_gate, 0, None, scratch)
                rules = set().union(*(groups[g] for g in opened)) if opened else set()
                for member in cluster:
                    out[member] = rules
            if line is not None:
                cluster = [line]
                lo, hi = max(0, line[0] - reach), line[1] + reach
        return out

    def _rescan(self, db: hyperscan.Database, data: bytes, triggered: list[tuple[int, int]],
                hits: dict[int, list[tuple[int, int]]]) -> None:
        """Run the ``rescan`` entries on the triggered lines only: one buffer of
        those lines, each with a newline before and after it (as in the
        document: trigger.py's line-locality makes the result the same), and
        every match mapped back to its line."""
        scratch = self._get_scratch(db)
        if len(triggered) == 1:  # most documents: one line, nothing to map back
            line = triggered[0]
            found: set[int] = set()

            def on_line_match(group: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
                if to > 1:  # past the newline before the line, as below
                    found.add(group)

            db.scan(b"\n" + data[line[0]:line[1]] + b"\n", on_line_match, 0, None, scratch)
            for group in found:
                hits.setdefault(group, []).append(line)
            return
        lines = sorted(set(triggered))
        chunks = [data[start:end] for start, end in lines]
        # buffer offset of each line: 1 + the previous lines' lengths and newlines
        starts: list[int] = []
        offset = 1
        for chunk in chunks:
            starts.append(offset)
            offset += len(chunk) + 1
        buffer = b"\n" + b"\n".join(chunks) + b"\n"
        seen: dict[int, int] = {}

        def on_match(group: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            index = bisect_right(starts, to - 1) - 1
            if index < 0 or seen.get(group) == index:
                return
            seen[group] = index
            hits.setdefault(group, []).append(lines[index])

        db.scan(buffer, on_match, 0, None, scratch)

    def _rule_spans(self, data: bytes, hits: dict[int, list[tuple[int, int]]], opened: set[int] | None,
                    opened_late: set[int], line_gates: dict[tuple[int, int], set[int]] | None = None
                    ) -> dict[int, list[tuple[int, int]]]:
        # rules none of whose context words is in the document (opened: the
        # gates that fired; None: not scanned, every rule kept): no spans at
        # all; likewise late rules none of whose openers fired. line_gates:
        # each gated line's open rules (see _region_gates), a gated rule
        # keeping only the lines where it is open
        closed: set[int] | frozenset[int] | None = None  # worked out for the first entry that may need it
        out: dict[int, list[tuple[int, int]]] = {}
        merged: set[int] = set()
        lowered: bytes | None = None  # the document lower-cased: for a multiline rule's keywords
        # each span's line lower-cased, once: a single-line rule's keywords are
        # looked for on its lines only (lower-casing whole documents for
        # keywords was 73M of the secret rules' 619M instructions per pass in
        # bench_scan.py's corpus; the rest went with the keyword-led rules)
        lowered_lines: dict[tuple[int, int], bytes] = {}
        plain = self._plain
        gated_rules = self._gated_rules
        for group, line_spans in hits.items():
            rules = self._groups[group]
            if self._closable[group]:
                if closed is None:
                    closed = (self._gated_rules.difference(*(self._groups[g] for g in opened))
                              if self._gated_rules and opened is not None else frozenset())
                    if self._late_rules:
                        closed = closed | self._late_rules.difference(*(self._groups[g] for g in opened_late))
                rules = [index for index in rules if index not in closed]
                if not rules:
                    continue
            spans = line_spans if len(line_spans) == 1 else sorted(set(line_spans))
            simple = plain[group]  # every rule takes the lines as they are (most shared shapes)
            for index in rules:
                kept = spans
                if line_gates is not None and index in gated_rules and not self._multiline[index]:
                    # (a multiline rule runs on the whole document: no line of its own)
                    kept = [span for span in spans if index in line_gates[span]]
                    if not kept:
                        continue
                if not simple:
                    keywords = self._keywords[index]
                    if self._multiline[index]:
                        if keywords:
                            lowered = data.lower() if lowered is None else lowered
                        if not keywords or any(kw in lowered for kw in keywords):  # type: ignore[operator]
                            out[index] = [(0, len(data))]
                        continue
                    if keywords:
                        lines, kept = kept, []
                        for span in lines:
                            line = lowered_lines.get(span)
                            if line is None:
                                line = lowered_lines[span] = data[span[0]:span[1]].lower()
                            for kw in keywords:  # a loop: any() of a generator costs a frame per line
                                if kw in line:
                                    kept.append(span)
                                    break
                if kept:
                    if index in out:  # the rule is in several groups (a split prefilter)
                        merged.add(index)
                        out[index] = out[index] + kept
                    else:
                        out[index] = kept
        for index in merged:
            out[index] = sorted(set(out[index]))
        return out
