"""Both engines report the same personal data for values written from each
rule's own pattern, next to one of its context words.

The Hyperscan matcher reaches a context-gated personal-data rule through a
prefilter, a trigger, the second pass over triggered lines and a document
gate of the rule's context words (scanned or not by the document's size);
the Python engine runs the rule's regex on every line. Hypothesis writes a
value from the pattern (``from_regex``), puts one of the rule's context
words before or after it, pads the document so that the gate is scanned or
skipped, and compares whole scans of every pack.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlp.engine import hyperscan_available
from dlp.model import Finding
from dlp.ruleset import Rule, Selection, load_ruleset
from dlp.scan import scan

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="needs hyperscan")

_EVERY = load_ruleset(Selection(enable_packs=("all",)))
_GATED = [rule for rule in _EVERY.rules
          if rule.category.value == "pii" and rule.context is not None and rule.context.required
          and rule.context.words and not rule.context.column and not rule.multiline]

# nothing; a few lines (the gate is scanned: more than one candidate line per
# 8 KB); 12 KB of comments (the gate is skipped)
_PADDING = [b"", b"x = 1\n" * 3, b"# pad\n" * 2000]


def _key(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return sorted((f.rule_id, f.start, f.end) for f in findings)


def test_the_context_gated_rules_of_every_country_are_checked() -> None:
    ids = {rule.id for rule in _GATED}
    assert len(ids) >= 30
    assert {rule.id.split("-")[0] for rule in _GATED} >= {"my", "sg", "th", "id", "ph", "vn"}


@pytest.mark.parametrize("rule", _GATED, ids=[rule.id for rule in _GATED])
def test_a_value_beside_its_context_word_is_found_alike_by_both_engines(rule: Rule) -> None:
    assert rule.context is not None
    regex = re.compile(rule.pattern.encode("utf-8"))

    @settings(max_examples=20, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(word=st.sampled_from(rule.context.words),
           value=st.from_regex(regex, fullmatch=True).filter(lambda s: b"\n" not in s),
           separator=st.sampled_from([b": ", b" = ", b" ", b"\t"]),
           padding=st.sampled_from(_PADDING))
    def check(word: str, value: bytes, separator: bytes, padding: bytes) -> None:
        for line in (word.encode("utf-8") + separator + value, value + b"  # " + word.encode("utf-8")):
            document = padding + line + b"\n" + padding
            assert _key(scan(document, _EVERY, engine="hyperscan")) == _key(scan(document, _EVERY, engine="python")), \
                (rule.id, line)

    check()
