"""The Hyperscan engine returns exactly what the pure-Python reference returns."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pattern_lines import pattern_lines, per_rule

from dlp.engine import hyperscan_available
from dlp.ruleset import Rule, Ruleset, Selection, load_ruleset
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


def test_engines_agree_on_examples_in_other_cases(every_rule: Ruleset) -> None:
    """Keywords are caseless: where a rule's database expression is its
    keywords, the Hyperscan matcher trusts Hyperscan's caseless match and
    checks nothing more; the reference engine lower-cases the text."""
    from dlp.engine import hs

    led = [rule for rule in every_rule.rules if hs._keyword_led(rule)]
    assert {"netrc-credentials", "generic-secret-terraform-default"} <= {rule.id for rule in led}
    for rule in led:
        for example in rule.positive:
            for text in (example.text.upper(), example.text.title(), example.text.swapcase()):
                blob = text.encode()
                assert _key(scan(blob, every_rule, engine="hyperscan")) == _key(scan(blob, every_rule, engine="python"))
    netrc = b"machine api.acme-corp.io\nlogin deploy\npassword t8pxM2vQk9LrZ4wN\n"
    found = {f.rule_id for f in scan(netrc, every_rule, engine="hyperscan")}
    assert "netrc-credentials" in found and found == {f.rule_id for f in scan(netrc, every_rule, engine="python")}


# --------------------------------------------------------------------------- document gates

_GATE_WORDS = ("ic", "ic_no", "nric", "thẻ", "tel", "no. k/p", "身份证", "dob", "kad", "ω")


def _spell(word: str, style: int) -> str:
    parts = word.split("_")
    if style == 0:
        return word.upper()
    if style == 1:
        return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])  # camelCase
    if style == 2:
        return "".join(p[:1].upper() + p[1:] for p in parts)  # PascalCase
    if style == 3:
        return word.replace("k", "\u212a").replace("i", "\u0130")  # lower-case to ASCII
    return word


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.one_of(st.tuples(st.sampled_from(_GATE_WORDS), st.integers(0, 4)),
                                 st.text(alphabet="aZz9_ -.,\n\"é身Ω", max_size=4)), max_size=6))
def test_document_gate_never_misses_a_context_word(pieces: list) -> None:  # type: ignore[type-arg]
    """A document whose gate does not fire has no position where has_context holds."""
    from dlp.context import has_context
    from dlp.engine.gate import gate_expressions
    from dlp.ruleset import Context

    text = "".join(_spell(*p) if isinstance(p, tuple) else p for p in pieces)
    data = text.encode("utf-8")
    gates = gate_expressions(_GATE_WORDS)
    assert gates is not None
    short, other = gates
    fired = any(re.search(s.encode(), data, re.MULTILINE) for s in short) or bool(
        other and re.search(other.encode(), data, re.MULTILINE | re.IGNORECASE))
    if fired:
        return
    context = Context(_GATE_WORDS, window=6, required=True)
    assert not any(has_context(data, i, i, context) for i in range(len(data) + 1))


def test_document_gate_is_selective() -> None:
    from dlp.engine.gate import gate_expressions

    short, other = gate_expressions(("ic", "nric"))  # type: ignore[misc]
    def fires(text: bytes) -> bool:
        return any(re.search(s.encode(), text, re.MULTILINE) for s in short) or bool(
            other and re.search(other.encode(), text, re.MULTILINE | re.IGNORECASE))
    assert not fires(b"public static int x = 900101145673;")
    assert fires(b"ic = 900101145673") and fires(b"customerIc = 1") and fires(b"NRIC: 1") and fires(b"my_ic_no")


def test_gate_knows_every_character_that_lower_cases_to_another() -> None:
    """gate._preimages covers this Python's Unicode tables (about a second)."""
    import sys

    from dlp.engine.gate import _ASCII_PREIMAGES, _preimages

    for code in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        for low in set(ch.lower()) - {ch}:
            if low.isascii():
                assert _ASCII_PREIMAGES.get(low) == ch, hex(code)
            else:
                assert ch in _preimages(low), hex(code)


# Context-gated personal-data rules: the Hyperscan matcher reaches one through
# a prefilter, a trigger, the second pass over triggered lines and a document
# gate of its context words, scanned or skipped by the document's size
_GATED = [rule for rule in load_ruleset(Selection(enable_packs=("all",))).rules
          if rule.category.value == "pii" and rule.context is not None and rule.context.required
          and rule.context.words and not rule.context.column and not rule.multiline]

# nothing; a few lines (the gate is scanned: more than one candidate line per
# 8 KB); 12 KB of comments (the gate is skipped)
_PADDING = [b"", b"x = 1\n" * 3, b"# pad\n" * 2000]


def test_the_context_gated_rules_of_every_country_are_checked() -> None:
    assert len({rule.id for rule in _GATED}) >= 30
    assert {rule.id.split("-")[0] for rule in _GATED} >= {"my", "sg", "th", "id", "ph", "vn"}


@pytest.mark.parametrize("rule", _GATED, ids=[rule.id for rule in _GATED])
def test_engines_agree_on_a_value_written_from_the_pattern_beside_its_context_word(every_rule: Ruleset,
                                                                                      rule: Rule) -> None:
    """Hypothesis writes a value from the rule's own pattern, puts one of its
    context words before or after it, and pads the document so that the gate
    is scanned or skipped."""
    assert rule.context is not None
    regex = re.compile(rule.pattern.encode("utf-8"))

    @per_rule(20)
    @given(word=st.sampled_from(rule.context.words), value=pattern_lines(regex),
           separator=st.sampled_from([b": ", b" = ", b" ", b"\t"]), padding=st.sampled_from(_PADDING))
    def check(word: str, value: bytes, separator: bytes, padding: bytes) -> None:
        for line in (word.encode("utf-8") + separator + value, value + b"  # " + word.encode("utf-8")):
            blob = padding + line + b"\n" + padding
            assert _key(scan(blob, every_rule, engine="hyperscan")) == _key(scan(blob, every_rule, engine="python")), \
                (rule.id, line)

    check()


# What stands between a context word and the value: as far as the rule's
# window reaches and one character past it, in ASCII or in characters of two
# and three bytes (the Hyperscan matcher reads a line's context region in
# bytes: dlp/engine/hs.py, _region_gates), or the word on the line above
_FILLERS = [" ", ".", "é", "身"]


@pytest.mark.parametrize("rule", _GATED, ids=[rule.id for rule in _GATED])
def test_engines_agree_at_the_edge_of_the_context_window(every_rule: Ruleset, rule: Rule) -> None:
    """The word on the value's line, or on the line above or below it as far
    from the value's line as the window reaches, give or take a character."""
    assert rule.context is not None
    regex = re.compile(rule.pattern.encode("utf-8"))
    w = rule.context.window

    @per_rule(8)
    @given(word=st.sampled_from(rule.context.words), value=pattern_lines(regex), filler=st.sampled_from(_FILLERS),
           gap=st.sampled_from([w - 2, w - 1, w, w + 1, w + 2]),
           padding=st.sampled_from([*_PADDING[:2], b"# (c) 2001-2024, PSF\n"]))  # a comma, no header
    def check(word: str, value: bytes, filler: str, gap: int, padding: bytes) -> None:
        word_bytes = word.encode("utf-8")
        fill = (filler * max(gap - len(word), 0)).encode("utf-8")
        for line in (word_bytes + fill + b"\n" + value, value + b"\n" + fill + word_bytes,
                     word_bytes + fill + value, value + fill + word_bytes):
            blob = padding + b"# notes\n" + line + b"\n" + padding
            assert _key(scan(blob, every_rule, engine="hyperscan")) == _key(scan(blob, every_rule, engine="python")), \
                (rule.id, line)

    check()


@pytest.mark.parametrize("table", ["csv", "sql"])
def test_engines_agree_on_a_column_far_from_its_value(every_rule: Ruleset, table: str) -> None:
    """A value's column vouches for it from the header or the INSERT, whatever
    the distance: the line regions are not read in a document with a table."""
    # rows with a value far apart (more than a context window), rows without between them
    gap = "\n".join(["0,none"] * 60) if table == "csv" else ",\n".join(["(0, 'none')"] * 20)
    if table == "csv":
        text = "id,nric\n" + "\n".join(f"{i},88010{1 + i % 9}1452{i % 10}3\n{gap}" for i in range(40)) + "\n"
    else:
        text = ("-- customers\nINSERT INTO customers (id, nric) VALUES\n"
                + ",\n".join(f"({i}, '88010{1 + i % 9}1452{i % 10}3'),\n{gap}" for i in range(40)) + ";\n")
    blob = text.encode()
    found = scan(blob, every_rule, engine="hyperscan")
    assert _key(found) == _key(scan(blob, every_rule, engine="python"))
    assert sum(f.rule_id == "my-nric-bare" for f in found) == 40


def test_a_multiline_rule_with_a_required_context_is_not_cut_to_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A custom multiline personal-data rule whose context is required has a
    document gate but no lines: the region gates leave it whole."""
    from dlp.ruleset import load_pack_file

    path = tmp_path / "pack.yaml"
    path.write_text("""
rules:
  - id: test-member-block
    name: Member number in a block
    category: pii
    severity: high
    multiline: true
    pattern: 'BEGIN MEMBER\\n(?P<value>\\d{8})\\nEND MEMBER'
    context: {words: [membership], window: 64, required: true}
    examples:
      positive: ["membership\\nBEGIN MEMBER\\n83920471\\nEND MEMBER"]
      negative: ["BEGIN MEMBER\\n83920471\\nEND MEMBER"]
""", encoding="utf-8")
    _, rules = load_pack_file(path, pack="test/member")
    ruleset = Ruleset(rules)
    for text in ("membership\nBEGIN MEMBER\n83920471\nEND MEMBER\n", "x = 1\nBEGIN MEMBER\n83920471\nEND MEMBER\n",
                 "# membership\n" + "x = 1\n" * 3 + "BEGIN MEMBER\n83920471\nEND MEMBER\n"):
        blob = text.encode()
        assert _key(scan(blob, ruleset, engine="hyperscan")) == _key(scan(blob, ruleset, engine="python")), text
    assert [f.value for f in scan(b"membership\nBEGIN MEMBER\n83920471\nEND MEMBER\n", ruleset, engine="hyperscan")] \
        == ["83920471"]
