"""The scanner: matcher spans -> regex matches -> validated, filtered findings.

Pure: bytes in, findings out. No I/O, no global state beyond memoised
compilations.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from time import time
from typing import Iterator

from dlp.context import (
    assigned_key,
    has_context,
    inline_allowed,
    key_says,
    may_be_allowed,
)
from dlp.mask import fingerprint, mask
from dlp.model import Category, Finding, Origin, Severity
from dlp.placeholders import is_placeholder
from dlp.records import record, replace
from dlp.refine import refine
from dlp.ruleset import Context, Rule, Ruleset
from dlp.special import special_category

GENERIC_TAG = "generic"
TEST_VALUE_TAG = "test-value"
SPECIAL_TAG = "special-category"  # a personal-data value next to health, religion, offences... (dlp/special.py)


@record
class Candidate:
    """A regex match before filtering (exposed for `dlp rules explain --trace`)."""

    rule: Rule
    start: int  # value span, byte offsets
    end: int
    value: str


def scan(data: bytes, ruleset: Ruleset, *, origin: Origin = Origin(), engine: str = "auto") -> tuple[Finding, ...]:
    """Every finding of ``ruleset`` in ``data``, ordered by position."""
    if not data or not ruleset.rules:
        return ()
    lines = _Lines(data)
    findings: list[Finding] = []
    contexts: dict[str, Context] = {}  # rule id -> context, for the rules of several jurisdictions
    for candidate in candidates(data, ruleset, engine=engine, path=origin.path):
        finding = _confirm(candidate, data, lines, origin)
        if finding is not None:
            findings.append(finding)
            if candidate.rule.jurisdiction and candidate.rule.context is not None:
                contexts[candidate.rule.id] = candidate.rule.context
    findings = refine(findings, data, origin.path)  # Secret manifests per key; generic findings vs syntax tree
    # overlaps first: a generic finding hidden by a specific one stays hidden when
    # an inline comment allows the specific one
    resolved = _resolve_jurisdictions(_resolve_overlaps(findings), data, contexts)
    return tuple(f for f in resolved
                 if not (may_be_allowed(data, f.start) and inline_allowed(*lines.around(f.start), f.rule_id)))


def candidates(data: bytes, ruleset: Ruleset, *, engine: str = "auto", path: str | None = None
               ) -> Iterator[Candidate]:
    prepared = ruleset.prepared
    for index, spans in sorted(ruleset.matcher(engine).spans(data).items()):
        rule, regex, group = prepared(index)
        if rule.paths and not rule.applies_to(path):
            continue
        for span_start, span_end in spans:
            for m in regex.finditer(data, span_start, span_end):
                start, end = m.span(group)
                if start < 0 or start == end:
                    continue
                yield Candidate(rule, start, end, data[start:end].decode("utf-8", "replace"))


def reject_reason(candidate: Candidate, data: bytes) -> str | None:
    """Why a candidate is not a finding (None: it is one). Shared by scan and explain."""
    rule, value = candidate.rule, candidate.value
    # required context first: most personal-data candidates (numbers in code)
    # have no context word near them, which is cheaper to see than a
    # placeholder; and before validators, cheaper than most (phone numbers, national IDs)
    if rule.context is not None and rule.context.required:
        if not has_context(data, candidate.start, candidate.end, rule.context):
            return "no context word nearby"
    reason = _value_reason(rule, value)
    if reason is not None:
        return reason
    context = rule.context
    if context is not None and context.exclude and _excluded(candidate, data, context):
        return "a word against it nearby"
    return None


# (id of a rule, value) -> what the value alone says for that rule: a value
# recurs (an author's e-mail address in every file of a package), and
# placeholders, allow patterns and validators depend on the value alone, and
# on the day (a date of birth or a registration year is valid up to today),
# as its mask and fingerprint do on the value and the rule: cleared when full
# and at local midnight.
_VALUE_REASONS: dict[tuple[int, str], _Verdict] = {}
_VALUE_REASONS_MAX = 4096
_VALUE_REASONS_UNTIL = [0.0]  # when the day the reasons were given on ends (time.time())


class _Verdict:
    """A value's entry: its rule (an id is reused only after the rule is
    gone), why it is no finding of it (None: it may be one), and its mask and
    fingerprint once a finding has needed them."""

    __slots__ = ("fingerprint", "masked", "reason", "rule")

    def __init__(self, rule: Rule, reason: str | None) -> None:
        self.rule = rule
        self.reason = reason
        self.masked: str | None = None
        self.fingerprint = ""


def _value_reason(rule: Rule, value: str) -> str | None:
    """Why ``value`` cannot be a finding of ``rule`` whatever surrounds it (a
    placeholder, an allow pattern, a validator), or None."""
    return _verdict(rule, value).reason


def _shown(rule: Rule, value: str) -> tuple[str, str]:
    """(masked value, fingerprint) of a finding's value, made once per rule and value."""
    verdict = _verdict(rule, value)
    if verdict.masked is None:
        verdict.masked, verdict.fingerprint = mask(value, rule.category), fingerprint(rule.id, value)
    return verdict.masked, verdict.fingerprint


def _verdict(rule: Rule, value: str) -> _Verdict:
    key = (id(rule), value)
    known = _VALUE_REASONS.get(key)
    if known is not None and known.rule is rule:
        if time() < _VALUE_REASONS_UNTIL[0]:
            return known
        _VALUE_REASONS.clear()
    if not _VALUE_REASONS:
        _VALUE_REASONS_UNTIL[0] = _midnight()
    reason = None
    if rule.placeholders and value not in rule.test_values and is_placeholder(value):
        reason = "placeholder"
    else:
        for allow in rule.allow_regexes:
            if allow.search(value):
                reason = f"allow pattern {allow.pattern!r}"
                break
        else:
            for call in rule.validators:
                if not call(value):
                    reason = f"validator {call.name}"
                    break
    if len(_VALUE_REASONS) >= _VALUE_REASONS_MAX:
        _VALUE_REASONS.clear()
    verdict = _VALUE_REASONS[key] = _Verdict(rule, reason)
    return verdict


def _midnight() -> float:
    """The next local midnight, as a ``time.time()`` value."""
    from time import localtime, mktime

    now = localtime()
    return mktime((now.tm_year, now.tm_mon, now.tm_mday + 1, 0, 0, 0, 0, 0, -1))


def _excluded(candidate: Candidate, data: bytes, context: Context) -> bool:
    """Whether the value is something else: the key it is assigned to names
    it so (``gift_voucher = "…"``, whatever a comment after it says), or,
    with a key that names neither, a word of ``context.exclude``
    (``voucher``, ``sku``) is near it and none of its context words is."""
    key = assigned_key(data, candidate.start)
    if key is not None:
        if key_says(key, context.words):
            return False
        if key_says(key, context.exclude):
            return True
    against = Context(context.exclude, context.window, line=context.line)
    return (has_context(data, candidate.start, candidate.end, against)
            and not has_context(data, candidate.start, candidate.end, context))


def _confirm(candidate: Candidate, data: bytes, lines: _Lines, origin: Origin) -> Finding | None:
    if reject_reason(candidate, data) is not None:
        return None
    rule = candidate.rule
    line, column = lines.position(candidate.start)
    end_line, end_column = lines.position(candidate.end)
    severity = rule.severity
    tags = rule.tags
    pii_class = rule.pii_class
    special = None
    if candidate.value in rule.test_values:  # the lowest tier
        severity = Severity.LOW
        tags = _retiered(tags, "tier-3", TEST_VALUE_TAG) if rule.category is Category.PII else (*tags, TEST_VALUE_TAG)
    elif rule.category is Category.PII:
        # a value next to health, religion, offences, biometrics or political
        # opinions is sensitive data whatever the value: the highest tier
        special = special_category(data, candidate.start, candidate.end)
        if special is not None:
            severity = Severity.CRITICAL
            pii_class = "sensitive"
            tags = _retiered(tags, "tier-1", SPECIAL_TAG)
    attributes: list[tuple[str, object]] = []
    if rule.jurisdiction:
        attributes.append(("jurisdiction", rule.jurisdiction))
    if pii_class:
        attributes.append(("pii_class", pii_class))
    if special is not None:
        attributes.append(("special_category", special))
    if rule.context is not None and not rule.context.required:
        attributes.append(("context", has_context(data, candidate.start, candidate.end, rule.context)))
    masked, print_ = _shown(rule, candidate.value)
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        severity=severity,
        message=rule.name,
        start=candidate.start,
        end=candidate.end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        masked=masked,
        fingerprint=print_,
        value=candidate.value,
        origin=origin,
        tags=tags,
        attributes=tuple(attributes),
    )


def _retiered(tags: tuple[str, ...], tier: str, *added: str) -> tuple[str, ...]:
    """``tags`` with ``tier`` in place of the rule's own ``tier-N``, then ``added``."""
    return (*(t for t in tags if not t.startswith("tier-")), tier, *added)


def _resolve_overlaps(findings: list[Finding]) -> tuple[Finding, ...]:
    """Order by position; drop exact duplicates and generic findings that a
    specific rule already reports on an overlapping span."""
    findings.sort(key=lambda f: (f.start, f.end, f.rule_id))
    specific = [(f.start, f.end) for f in findings if GENERIC_TAG not in f.tags]
    out: list[Finding] = []
    seen: set[tuple[str, int, int]] = set()
    for f in findings:
        key = (f.rule_id, f.start, f.end)
        if key in seen:
            continue
        seen.add(key)
        if GENERIC_TAG in f.tags and any(s < f.end and f.start < e for s, e in specific):
            continue
        out.append(f)
    return tuple(out)


def _resolve_jurisdictions(findings: tuple[Finding, ...], data: bytes, contexts: dict[str, Context]
                           ) -> tuple[Finding, ...]:
    """One value reported by several countries' rules (``081-738-4916`` is a
    valid Thai and Vietnamese number; twelve digits can be a CCCD and a
    Philippine TIN): when some of those rules have a context word next to it
    that the others lack (``โทร``, ``SĐT``, ``CCCD``), only those are kept.
    Words the rules share (``phone``, ``tel``) decide nothing; without a
    word of its own near the value every reading is kept."""
    same: dict[tuple[int, int], list[Finding]] = {}
    for f in findings:
        if f.rule_id in contexts:
            same.setdefault((f.start, f.end), []).append(f)
    dropped: set[int] = set()
    for (start, end), group in same.items():
        if len(group) < 2 or len({f.attribute("jurisdiction") for f in group}) < 2:
            continue
        words = {f.rule_id: set(contexts[f.rule_id].words) for f in group}
        evidence = []
        for f in group:
            others = set().union(*(words[g.rule_id] for g in group if g.rule_id != f.rule_id))
            own = tuple(sorted(words[f.rule_id] - others))
            context = contexts[f.rule_id]
            evidence.append(bool(own) and has_context(
                data, start, end, replace(context, words=own)))
        if any(evidence):
            dropped.update(id(f) for f, seen in zip(group, evidence) if not seen)
    return tuple(f for f in findings if id(f) not in dropped) if dropped else findings


class _Lines:
    """Offset -> (line, column) for one document. Few lookups count newlines
    directly, from the previous lookup when it was before (a rule's
    candidates come in order); many build a line-start index once."""

    __slots__ = ("data", "_starts", "_lookups", "_last")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._starts: list[int] | None = None
        self._lookups = 0
        self._last = (0, 1)  # (offset, its line)

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *accumulate(len(chunk) + 1 for chunk in self.data.split(b"\n"))][:-1]
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        self._lookups += 1
        if self._starts is None and self._lookups < 32:
            last, last_line = self._last
            if offset < last:
                last, last_line = 0, 1
            line = last_line + self.data.count(b"\n", last, offset)
            self._last = (offset, line)
            line_start = self.data.rfind(b"\n", 0, offset) + 1
        else:
            starts = self._line_starts()
            line = bisect_right(starts, offset)
            line_start = starts[line - 1]
        column = len(self.data[line_start:offset].decode("utf-8", "replace")) + 1
        return line, column

    def around(self, offset: int) -> tuple[str, str]:
        """(text of the line holding ``offset``, text of the line before it)."""
        data = self.data
        start = data.rfind(b"\n", 0, offset) + 1
        end = data.find(b"\n", offset)
        line = data[start:len(data) if end < 0 else end]
        previous = b""
        if start > 0:
            previous = data[data.rfind(b"\n", 0, start - 1) + 1:start - 1]
        return line.decode("utf-8", "replace"), previous.decode("utf-8", "replace")
