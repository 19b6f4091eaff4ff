"""Run every rule's own examples (used by `dlp rules test` and the test suite),
and trace one rule's decisions on a file (`dlp rules explain RULE --trace FILE`)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dlp.codectx import CodeView, mode_for
from dlp.engine import ENGINES, hyperscan_available
from dlp.errors import RuleError
from dlp.mask import mask
from dlp.model import Origin
from dlp.refine import K8S_SECRET_TAG
from dlp.ruleset import Rule, Ruleset, load_pack_file
from dlp.scan import candidates, reject_reason, scan


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    rule_id: str
    source: str
    engine: str
    kind: str  # positive | negative | engine
    example: str
    detail: str

    def __str__(self) -> str:
        shown = self.example if len(self.example) <= 120 else self.example[:117] + "..."
        return f"{self.source}: rule {self.rule_id!r} [{self.engine}] {self.kind} example {shown!r}: {self.detail}"


def check_rules(rules: list[Rule], *, engines: tuple[str, ...] | None = None) -> list[ExampleFailure]:
    """Each positive example must yield a finding of its rule; no negative may.

    The rule is checked together with the other rules of its file, so the
    overlap resolution between generic and specific rules is exercised too.
    """
    if engines is None:
        engines = ENGINES if hyperscan_available() else ("python",)
    failures: list[ExampleFailure] = []
    by_source: dict[str, list[Rule]] = {}
    for rule in rules:
        by_source.setdefault(rule.source, []).append(rule)
    for source, group in by_source.items():
        ruleset = Ruleset(group)
        for engine in engines:
            try:
                ruleset.matcher(engine)
            except RuleError as exc:
                failures.append(ExampleFailure("*", source, engine, "engine", "", str(exc)))
                continue
            for rule in group:
                failures.extend(_check_rule(rule, ruleset, engine))
    return failures


def _check_rule(rule: Rule, ruleset: Ruleset, engine: str) -> list[ExampleFailure]:
    out = []
    for example in rule.positive:
        data = example.text.encode("utf-8")
        found = [f for f in scan(data, ruleset, engine=engine) if f.rule_id == rule.id]
        if not found:
            out.append(ExampleFailure(rule.id, rule.source, engine, "positive", example.text,
                                      _why_missed(rule, data)))
        elif example.value is not None and example.value not in {f.value for f in found}:
            out.append(ExampleFailure(rule.id, rule.source, engine, "positive", example.text,
                                      f"extracted {sorted(f.masked for f in found)}, not the expected value"))
    for example in rule.negative:
        data = example.text.encode("utf-8")
        found = [f for f in scan(data, ruleset, engine=engine) if f.rule_id == rule.id]
        if found:
            out.append(ExampleFailure(rule.id, rule.source, engine, "negative", example.text,
                                      f"reported {found[0].masked}"))
    return out


def _why_missed(rule: Rule, data: bytes) -> str:
    single = Ruleset([rule])
    cands = list(candidates(data, single, engine="python"))
    if not cands:
        if rule.regex.search(data) is None:
            return "pattern does not match"
        return "pattern matches, but not on a line with a keyword (or across lines without multiline)"
    reasons = {reject_reason(c, data) or "inline allow or overlap" for c in cands}
    return "rejected: " + "; ".join(sorted(reasons))


def load_rule_files(paths: list[Path]) -> list[Rule]:
    rules: list[Rule] = []
    for path in paths:
        _, loaded = load_pack_file(path)
        rules.extend(loaded)
    return rules


# --------------------------------------------------------------------------- trace


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One match of a rule in a document and what became of it (value masked)."""

    line: int
    column: int
    masked: str
    reported: bool
    reason: str

    def __str__(self) -> str:
        verdict = "reported" if self.reported else "rejected"
        return f"{self.line}:{self.column} {self.masked}: {verdict}: {self.reason}"


def trace_rule(rule: Rule, data: bytes, path: str | None, ruleset: Ruleset | None = None) -> list[TraceStep]:
    """Every match of ``rule`` in ``data`` with the step that kept or dropped it.

    The steps are the scanner's own, in its order: required context,
    placeholder, allow patterns, validators (:func:`dlp.scan.reject_reason`); then, for generic
    rules, the syntax-tree check (:mod:`dlp.codectx`: comment, docstring,
    positional argument, concatenation, interpolation...); then overlap with
    the other rules of ``ruleset``, other countries' readings of the value
    (:func:`dlp.scan.scan`) and inline allow comments.
    """
    ruleset = ruleset or Ruleset([rule])
    reported = [f for f in scan(data, ruleset, origin=Origin(path=path), engine="python") if f.rule_id == rule.id]
    spans = {(f.start, f.end) for f in reported}
    mode = mode_for(rule.tags)
    view = CodeView.for_path(data, path) if mode is not None and path else None
    steps: list[TraceStep] = []
    for cand in candidates(data, Ruleset([rule]), engine="python", path=path):
        line = data.count(b"\n", 0, cand.start) + 1
        column = cand.start - (data.rfind(b"\n", 0, cand.start) + 1) + 1
        shown = mask(cand.value, rule.category)
        reason = reject_reason(cand, data)
        if reason is not None:
            steps.append(TraceStep(line, column, shown, False, reason))
            continue
        if K8S_SECRET_TAG in rule.tags:
            keys = [f for f in reported if f.start >= cand.start - 4096]
            steps.append(TraceStep(line, column, shown, bool(keys),
                                   f"Secret manifest read per key: {len(keys)} key(s) with a credential"
                                   + "".join(f"; line {f.line} {f.masked}" for f in keys)))
            continue
        tree = ""
        if mode is not None:
            if view is None:
                tree = "syntax tree not consulted (no file name)"
            elif view.language is None:
                tree = "syntax tree not consulted (no grammar for this file type)"
            else:
                verdict = view.verdict(cand.start, cand.end, mode)
                tree = f"syntax tree ({view.language}, {mode} check): {verdict.reason}"
                if not verdict.keep:
                    steps.append(TraceStep(line, column, shown, False, tree))
                    continue
        if (cand.start, cand.end) in spans:
            steps.append(TraceStep(line, column, shown, True, tree or "every check passed"))
        else:
            steps.append(TraceStep(line, column, shown, False,
                                   (tree + "; " if tree else "")
                                   + "hidden by an overlapping specific finding, another country's rule"
                                   " with a context word of its own, or an inline allow comment"))
    return steps
