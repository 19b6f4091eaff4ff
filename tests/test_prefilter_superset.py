"""A rule's ``prefilter`` must find every line its pattern matches.

The Hyperscan matcher runs a rule's regex only on the lines where its
prefilter (split into its top-level alternatives, dlp/engine/hs.py) matched;
the pure-Python matcher runs the regex on every line. A prefilter narrower
than its pattern is therefore a finding one engine reports and the other
misses. Hypothesis writes lines that the pattern matches whole (``from_regex``
over the rule's own bytes pattern), and each must hold a match of the
prefilter as Hyperscan compiles it. (It found three such gaps: Indonesian
landlines written ``(0274)512345``, 12-digit Vietnamese landlines
``842xxxxxxxxx``, and an Indonesian ``RT 01/<tab>RW`` address.)
"""
from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given
from pattern_lines import pattern_lines, per_rule

from dlp.engine import hyperscan_available
from dlp.ruleset import Rule, Selection, load_ruleset

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="needs hyperscan")

_RULES = [rule for rule in load_ruleset(Selection(enable_packs=("all",))).rules
          if rule.prefilter is not None and not rule.multiline]


def _prefilter(rule: Rule) -> Callable[[bytes], bool]:
    """Whether a line holds a match of the rule's database entries (its
    prefilter's alternatives, as the matcher compiles them): compiled once."""
    import hyperscan

    from dlp.engine.hs import expressions

    entries = expressions(rule)
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[e for e, _ in entries], ids=list(range(len(entries))), elements=len(entries),
               flags=[f for _, f in entries])

    def finds(line: bytes) -> bool:
        found: list[int] = []
        db.scan(line, match_event_handler=lambda i, *_: found.append(i))
        return bool(found)

    return finds


def test_every_single_line_rule_with_a_prefilter_is_checked() -> None:
    assert len(_RULES) >= 50
    ids = {rule.id for rule in _RULES}
    assert {"id-phone", "vn-phone-bare", "id-address", "my-nric", "th-citizen-id"} <= ids


@pytest.mark.parametrize("rule", _RULES, ids=[rule.id for rule in _RULES])
def test_prefilter_finds_every_line_the_pattern_matches(rule: Rule) -> None:
    regex = re.compile(rule.pattern.encode("utf-8"))
    finds = _prefilter(rule)

    @per_rule(60)
    @given(pattern_lines(regex))
    def check(line: bytes) -> None:
        if regex.search(line):  # a lookaround at the edge may refuse what from_regex wrote
            assert finds(line), f"{rule.id}: prefilter misses {line!r}"

    check()


@pytest.mark.parametrize("rule_id, line", [
    ("id-phone", b"(0274)512345"),
    ("vn-phone-bare", b"842838221234"),
    ("id-address", b"Jalan Melati No. 5 RT 01/\tRW 02 Bandung 40111"),
])
def test_the_gaps_hypothesis_found_are_closed(rule_id: str, line: bytes) -> None:
    rule = next(r for r in _RULES if r.id == rule_id)
    assert re.search(rule.pattern.encode("utf-8"), line)
    assert _prefilter(rule)(line)
