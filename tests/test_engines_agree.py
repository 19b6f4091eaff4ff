"""The Hyperscan engine returns exactly what the pure-Python reference returns."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlp.engine import hyperscan_available
from dlp.ruleset import Ruleset, Selection, load_ruleset
from dlp.scan import scan

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed")


@pytest.fixture(scope="module")
def every_rule(core_ruleset) -> Ruleset:
    return Ruleset((*load_ruleset(Selection(enable_packs=("all",)), examples=True).rules, *core_ruleset.rules))


def _seeds(ruleset: Ruleset) -> list[str]:
    return [ex.text for rule in ruleset.rules for ex in (*rule.positive, *rule.negative)]


def _key(findings):  # type: ignore[no-untyped-def]
    return [(f.rule_id, f.start, f.end, f.line, f.column, f.value, f.severity) for f in findings]


def _mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    for kind, pos, ch in edits:
        if not text:
            text = ch
            continue
        i = pos % len(text)
        if kind == 0:
            text = text[:i] + ch + text[i:]
        elif kind == 1:
            text = text[:i] + text[i + 1:]
        else:
            text = text[:i] + ch + text[i + 1:]
    return text


_CHARS = st.sampled_from(list("aZ09_-=:\"' \n\t/+.@{}$<>#") + ["é", "\x00", "身"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_engines_agree_on_mutated_examples(every_rule: Ruleset, data: st.DataObject) -> None:
    seeds = _seeds(every_rule)
    parts = data.draw(st.lists(st.sampled_from(seeds), min_size=1, max_size=4))
    joiner = data.draw(st.sampled_from(["\n", " ", "", "\r\n", "\n\n# comment\n"]))
    edits = data.draw(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10_000), _CHARS), max_size=6))
    text = _mutate(joiner.join(parts), edits)
    blob = text.encode("utf-8", "surrogatepass")
    assert _key(scan(blob, every_rule, engine="hyperscan")) == _key(scan(blob, every_rule, engine="python"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=2048))
def test_engines_agree_on_random_bytes(every_rule: Ruleset, blob: bytes) -> None:
    assert _key(scan(blob, every_rule, engine="hyperscan")) == _key(scan(blob, every_rule, engine="python"))


def test_engines_agree_on_all_examples_together(every_rule: Ruleset) -> None:
    blob = "\n".join(_seeds(every_rule)).encode()
    hs = _key(scan(blob, every_rule, engine="hyperscan"))
    assert hs == _key(scan(blob, every_rule, engine="python"))
    assert len(hs) > 10
