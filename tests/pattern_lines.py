"""Lines written by Hypothesis from a rule's own pattern, for the tests that
check what the Hyperscan matcher puts before a rule's regex (its prefilter,
its trigger, its document gate) against the regex itself."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st


def pattern_lines(regex: re.Pattern[bytes]) -> st.SearchStrategy[bytes]:
    """Single lines (no newline) that ``regex`` matches whole. A lookaround
    at the edge may still refuse one: callers that need a match check it."""
    return st.from_regex(regex, fullmatch=True).filter(lambda s: b"\n" not in s)


def per_rule(max_examples: int) -> settings:
    """Settings for a check run inside one parametrized test per rule: no
    example database (the rules change), no deadline (a Hyperscan compile
    or a whole scan per example)."""
    return settings(max_examples=max_examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
