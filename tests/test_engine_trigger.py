"""Triggers (dlp/engine/trigger.py): what a database expression or a rule's
regex certainly holds on a line, and that the Hyperscan matcher's second pass
over triggered lines loses nothing."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pattern_lines import pattern_lines, per_rule

from dlp.engine import hyperscan_available
from dlp.engine.trigger import (
    Trigger,
    cost,
    expression_triggers,
    first_line_only,
    pattern_triggers,
)
from dlp.ruleset import Rule, Ruleset, Selection, load_ruleset
from dlp.scan import scan


def _show(triggers: tuple[Trigger, ...] | None) -> str | None:
    if triggers is None:
        return None
    parts = []
    for t in triggers:
        # a bounded shape (both edges known) reads <digits5>
        edges = ("<", ">") if t.left is not None and t.right is not None else ("", "")
        if t.kind == "digits":
            parts.append(f"{edges[0]}digits{t.digits}{edges[1]}")
        elif t.kind == "groups":
            parts.append(f"{edges[0]}groups{t.digits}.{t.after}{edges[1]}")
        elif t.kind == "suffix":
            parts.append(f"suffix{t.digits}")
        elif t.kind in ("mailbox", "paren", "code"):
            parts.append(t.kind)
        elif t.kind == "fixed":  # its expression, classes shown as ranges
            text = t.value.decode()
            text = text.replace("".join(f"\\x{c:02x}" for c in range(0x41, 0x5B)), "A-Z")
            parts.append("fixed:" + re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), text))
        else:
            parts.append(("i:" if t.caseless else "") + t.value.decode())
    return " | ".join(parts)


# Hyperscan expression -> what it needs on its line (None: stays in the first pass)
EXPRESSIONS = [
    # a run that starts and ends a token (a lookbehind, the boundary character
    # a prefilter consumes, a lookahead): the bounded shape, with as many
    # digits as the run has, up to 10 (the longer, the fewer lines hold it)
    (rb"(?:^|[^\w.-])\d{12}(?:[^\w@+\n-]|$)", "<digits10>"),
    (rb"(?:^|[^\w.-])\d{7}(?:[^\w@+\n-]|$)", "<digits7>"),
    (rb"(?:^|[^\w-])\d{12}(?:[^\w@+\n-]|$)", "digits5"),  # `.` may stand before: a float's decimals
    (rb"\d{12}", "digits5"),  # edges unknown
    (rb"\d{4}[ -]\d{4}", "groups4.4"),
    (rb"(?:^|[^\w.-])\d{4}[ -]\d{4}(?:[^\w]|$)", "<groups2.3>"),
    (rb"(?:^|[^\w.-])\d{3}[ -]\d{3}[ -]\d{3}", "<groups2.3>"),  # the second group ends at a separator
    (rb"\d{3}[ -]\d{3}[ -]\d{3}(?:[^\w]|$)", "groups3.3"),  # the line may hold more digits before
    (rb"\d{4}-[A-Z]", "suffix4"),
    (rb"[A-Za-z0-9._%+-]@[A-Za-z0-9-]+\.[A-Za-z]", "mailbox"),  # not a decorator's @
    (rb"\s@[a-z]+\.com", ".com"),
    (rb"(?i:jalan|jln\x20)", "i:jalan | i:jln "),
    (rb"\+(?:60|62)", None),  # "+6" alone: too short to be worth it
    (rb"\s\d{12}", "digits5"),  # one character at the edge may be the newline
    (rb"a\sb", None),  # a newline inside: not line-local
    (rb"\d\.\d{1,3}\.\d{1,3}\.\d", None),  # no run, no group, no literal
    (rb"(?:19|20)\d\d[/-]\d{1,2}", "groups4.1"),
    (rb"(?:19|20)\d\d", "digits4"),
    (rb"x(?=\d{5})", None),  # Hyperscan has no lookahead; unparseable here
]


@pytest.mark.parametrize(("expression", "expected"), EXPRESSIONS)
def test_expression_triggers(expression: bytes, expected: str | None) -> None:
    assert _show(expression_triggers(expression)) == expected


# Hyperscan expression -> whether its matches all lie on the data's first line
FIRST_LINE = [
    (rb"\A(?:[^\n]*[,;|](?i:name)[ \t]*(?:[,;|]|\r?$))", True),  # a table header
    (rb"\A(?:abc|de.)", True),  # Hyperscan's dot stops at a newline
    (rb"\A[^,]*name", False),  # [^,] crosses lines
    (rb"\Aname\s", False),  # \s may be the newline
    (rb"^name,", False),  # any line's start
    (rb"name\A", False),
    (rb"\A(?=x)", False),  # a lookaround is not read: left in the first pass
]


@pytest.mark.parametrize(("expression", "expected"), FIRST_LINE)
def test_first_line_only(expression: bytes, expected: bool) -> None:
    assert first_line_only(expression) is expected


# rule regex -> what every match of it holds
PATTERNS = [
    # a MyKad's first groups: on 11 lines of code where a bounded run of six digits is on 2,459
    (r"(?<![\w.-])(?P<value>\d{6}-\d{2}-\d{4})(?![\w@+-]|\.\d)", "<groups6.2>"),
    (r"(?<![\w.-])(?P<value>\d{12})(?!\d)", "digits5"),  # a letter may follow: a hash
    # an optional separator: either 6+ digits in a row or two groups of 3
    (r"0\d{2}[ -]?\d{3}", "groups3.3 | digits5"),
    (r"(?<![\w.-])0\d{2}[ -]?\d{3}(?!\w)", "<groups2.3> | <digits6>"),
    (r"(?i)\b(?:jalan|jln)\.?\s+\w+", "i:jalan | i:jln"),
    (r"\d{4}(?: \d{4}){3}|\d{15,16}", "<groups2.3> | digits5"),  # the groups between spaces are bounded
    (r"(?P<value>\+60\d{9})", "+60"),  # rarer than a run of digits with unknown edges
    # a capital on either side: as a fixed stretch (212 lines), rarer than a run after a capital (640)
    (r"(?<![\w-])[STFGM]\d{7}[A-Z](?![\w-])", "fixed:[FGMST][0-9]{7}[A-Z]"),
    (r"(?<![\w-])[ahk]\d{8}(?![\w-])", "digits5"),  # a lower-case letter before: hashes
    (r"(?<![\w+.-])\(0\d{1,2}\) ?\d{3,4}[ -]?\d{4}(?![\w@+-])", "paren"),  # (03) 2161 2345
    (r"(?<![\w.-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?![\w-])", "code"),  # GB29 NWBK ...
    (r"(?<![\w.-])\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}(?![\w@+-])", "<groups2.3>"),  # 01.234.567.8-...
    # a class of two characters is read as two literals: `service_no`, not `service`
    (r"\b(?:army|service)[ _](?:no|num)\b",
     "army no | army num | army_no | army_num | service no | service num | service_no | service_num"),
    (r"[a-z]+@[a-z]+\.com", "mailbox"),  # rarer than the longest literal
    (r"[a-z]+@[a-z]+", "mailbox"),
    (r"[<(]@[a-z]+", "@"),
    (r"(\d)\1{5}", None),  # a back-reference: unknown text
    # a fixed stretch of capitals and digits, as written (a Singapore UEN)
    (r"(?<![\w-])[RST]\d{2}[A-Z]{2}\d{4}[A-Z](?![\w-])", "fixed:[RST][0-9]{2}[A-Z][A-Z][0-9]{4}[A-Z]"),
    (r"[A-Z]{2}\d{6}", "fixed:[A-Z][A-Z][0-9]{6}"),
    (r"(?<![\w.-])[A-Z]{2}\d{6}", "code"),  # as rare, and found first
    (r"[A-Z]\d{2,5}[A-Z]{3}\d{2}", None),  # a run of unknown length inside: not fixed
    (r"[A-Z]\d{2}[A-Z]\d{2}", None),  # too short: 6 characters
    (r"\d{3,9}[A-Z]{2}\d{3}", "fixed:[0-9]{3}[A-Z][A-Z][0-9]{3}"),  # a longer run at its start still holds it
]


@pytest.mark.parametrize(("pattern", "expected"), PATTERNS)
def test_pattern_triggers(pattern: str, expected: str | None) -> None:
    assert _show(pattern_triggers(pattern)) == expected


def test_words_common_in_code_are_not_cheap_triggers() -> None:
    """`service` alone is on 0.7% of the lines of the standard library and
    site-packages: a rule it is the only literal of gets no second pass."""
    from dlp.engine.trigger import CHEAP

    assert _show(pattern_triggers(r"\bservice\s*[:=]\s*\d+")) == "service"
    assert Trigger("literal", b"service").rank > CHEAP
    assert Trigger("literal", b"perkhidmatan").rank <= CHEAP


def _trigger_regex(triggers: tuple[Trigger, ...]) -> re.Pattern[bytes]:
    parts = []
    for t in triggers:
        text, caseless = t.expression()
        parts.append(b"(?i:" + text + b")" if caseless else text)
    return re.compile(b"|".join(parts))


@pytest.fixture(scope="module")
def pii_rules() -> list[tuple[Rule, tuple[Trigger, ...]]]:
    ruleset = load_ruleset(Selection(enable_packs=("pii",)), examples=True)
    out = []
    for rule in ruleset.rules:
        triggers = pattern_triggers(rule.pattern)
        if triggers is not None:
            out.append((rule, triggers))
    assert len(out) > 40  # nearly every personal-data rule has one
    return out


def test_every_positive_example_holds_its_rules_trigger(pii_rules) -> None:  # type: ignore[no-untyped-def]
    for rule, triggers in pii_rules:
        needed = _trigger_regex(triggers)
        for example in rule.positive:
            for line in example.text.encode().split(b"\n"):
                for m in rule.regex.finditer(line):
                    assert needed.search(line), (rule.id, example.text)


_PIECES = st.sampled_from(["0", "1", "9", "12", "123", "1234", "12345", "-", " ", ".", "/", "+", "(", ")",
                           "+60", "S", "T", "A", "Z", "a", "f", "_", "@", "x.com", "bin", "Jalan ", "IC ", "\t",
                           ",", "GB", "NWBK", "service_no ", "Encik "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(_PIECES, max_size=14))
def test_a_rule_never_matches_a_line_without_its_trigger(pii_rules, pieces: list[str]) -> None:  # type: ignore[no-untyped-def]
    line = "".join(pieces).encode()
    for rule, triggers in pii_rules:
        if rule.regex.search(line):
            assert _trigger_regex(triggers).search(line), (rule.id, line)


pytestmark_hs = pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed")


@pytestmark_hs
def test_second_pass_reads_the_edges_of_the_document(core_ruleset) -> None:  # type: ignore[no-untyped-def]
    """Triggered lines are rescanned apart from the document: the first and
    last line (no newline before or after), CRLF endings, and a line that only
    a trigger of another rule brought in give what the reference engine gives."""
    every = Ruleset((*load_ruleset(Selection(enable_packs=("all",))).rules, *core_ruleset.rules))
    lines = ["+60 12-345 6789 call me", "x = 1", "IC: 900101-14-5677", "ahmad@fintech.com.my\r",
             "card 4111 1111 1111 1111", "tel 03-2161 2345"]
    for order in (lines, lines[::-1]):
        for end in ("", "\n", "\r\n"):
            blob = ("\n".join(order) + end).encode()
            key = lambda fs: [(f.rule_id, f.start, f.end) for f in fs]
            hs, py = scan(blob, every, engine="hyperscan"), scan(blob, every, engine="python")
            assert key(hs) == key(py)
            assert len(hs) >= 5


@pytestmark_hs
def test_a_table_header_is_read_on_the_first_line_only() -> None:
    """The name columns' header check is a head entry, read over the first
    line alone: a table found there, not below it, as the reference engine does."""
    from dlp.engine import hs

    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    _, groups, kinds = hs._plan(ruleset)
    heads = {ruleset.rules[i].id for g, kind in enumerate(kinds) if kind == hs.HEAD for i in groups[g]}
    assert heads == {"person-name-column", "person-name-table"}
    table = "Full Name,Phone\nHakim Hassan,011-1046 0832\nSiti Aishah,012-738 4916"
    key = lambda fs: [(f.rule_id, f.start, f.end) for f in fs]
    for text, names in ((table, 2), (table + "\n", 2), (table.replace("\n", "\r\n"), 2), ("\n" + table, 0),
                        ("Full Name,Phone", 0), ("Full Name", 0)):
        found = scan(text.encode(), ruleset, engine="hyperscan")
        assert key(found) == key(scan(text.encode(), ruleset, engine="python")), text
        assert sum(f.rule_id == "person-name-column" for f in found) == names, text


@pytestmark_hs
def test_a_table_of_numbers_is_rescanned_whole() -> None:
    """Past 2,048 triggered lines the second pass reads the whole document:
    same findings as the reference engine."""
    from dlp.engine import hs

    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    rows = ["id,nric,phone"] + [f"{i},{i * 7919 % 100000:05d},x" for i in range(hs._DENSE + 100)]
    rows[1500] = "1500,900101-14-5677,012-345 6789"
    blob = "\n".join(rows).encode()
    key = lambda fs: [(f.rule_id, f.start, f.end) for f in fs]
    found = scan(blob, ruleset, engine="hyperscan")
    assert key(found) == key(scan(blob, ruleset, engine="python"))
    assert "my-nric" in {f.rule_id for f in found}


@pytestmark_hs
@pytest.mark.parametrize("line_bytes", [10**9, 8192, 0])
def test_gates_scanned_or_not_give_the_same_findings(monkeypatch: pytest.MonkeyPatch, line_bytes: int) -> None:
    """Document gates are scanned only past a candidate line of gated rules
    per so many bytes of document (10**9: always; 0: never): the findings
    never change."""
    from dlp.engine import hs

    monkeypatch.setattr(hs, "_GATED_LINE_BYTES", line_bytes)
    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    numbers = "\n".join(f"x{i} = {900101145677 + i * 1000003}" for i in range(30))
    key = lambda fs: [(f.rule_id, f.start, f.end) for f in fs]
    few_lines = "\n".join(numbers.splitlines()[:3])  # gated or not by the document's size
    for blob in (numbers, numbers + "\n# nric of the customer: 900101-14-5677\n", "nric\n" + numbers,
                 few_lines, "nric\n" + few_lines, few_lines + "\n" + "# padding\n" * 5000):
        data = blob.encode()
        assert key(scan(data, ruleset, engine="hyperscan")) == key(scan(data, ruleset, engine="python"))


def test_a_named_separator_is_kept_in_the_trigger() -> None:
    """`\\d{4,7}-[A-Z]` needs `1234-A` on its line, not `1234 A` or `1234.E`."""
    (named,) = pattern_triggers(r"(?<![\w.-])\d{4,7}-[A-Z](?![\w-])") or ()
    (either,) = pattern_triggers(r"\d{4}[ -][A-Z]") or ()
    assert re.search(named.expression()[0], b"ssm 201901-A") and not re.search(named.expression()[0], b"x = 1.2345E")
    assert re.search(either.expression()[0], b"ssm 1234 A")


@pytestmark_hs
def test_bounded_shapes_skip_hashes_and_floats() -> None:
    """The line trigger fires on a run that starts a token and ends before a
    non-word character, not on the digits inside a hash or a float's decimals
    (most 5-digit runs in code): those lines get no second pass."""
    import hyperscan

    from dlp.engine import hs

    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    expressions, _, kinds = hs._plan(ruleset)
    (line,) = [e for (e, _f), kind in zip(expressions, kinds) if kind == hs.LINE_TRIGGER]
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[line], ids=[0], elements=1, flags=[hyperscan.HS_FLAG_MULTILINE])

    def fires(text: bytes) -> bool:
        found: list[int] = []
        db.scan(text, match_event_handler=lambda *a: found.append(1))
        return bool(found)

    for quiet in (b'"AWS::EC2::KeyPair": "349deb28f79434e4",', b"    0.20924776504163751585,",
                  b"x = mpf('0.66549886179739128256269617407313625')", b"0xa8800000a8c6,", b"v = 1.23456",
                  b"pid = 12345", b"  timeout=300000,"):  # no rule's run is shorter than 8 digits
        assert not fires(quiet), quiet
    for loud in (b"nric = 900101145677", b"IC: 900101-14-5677", b"tel 012-345 6789", b"(03) 2161 2345",
                 b"card 4111 1111 1111 1111", b"S1234567D", b"GB29 NWBK 6016",
                 b"x = 12345678"):
        assert fires(loud), loud


@pytestmark_hs
def test_a_rule_with_a_rare_context_is_read_only_when_a_context_word_opens_the_document() -> None:
    """Dates of birth (no trigger; context required): their shapes are read
    over a document only when a birth word is in it; same findings as the
    reference engine either way."""
    from dlp.engine import hs

    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    _, groups, kinds = hs._plan(ruleset)
    index = {rule.id: i for i, rule in enumerate(ruleset.rules)}
    late = {i for g, kind in enumerate(kinds) if kind == hs.OPENER for i in groups[g]}
    assert index["date-of-birth"] in late
    assert index["public-ip-address"] not in late  # `host`, `user`: its openers would fire everywhere
    matcher = ruleset.matcher("hyperscan")
    dates = b"released = '1990-03-15'\nupdated = '2001-07-04'\n"
    assert index["date-of-birth"] not in matcher.spans(dates)
    key = lambda fs: [(f.rule_id, f.start, f.end) for f in fs]
    for blob in (dates, b"dob = '1990-03-15'\n" + dates, dates + b"# tarikh lahir pelanggan\n"):
        assert key(scan(blob, ruleset, engine="hyperscan")) == key(scan(blob, ruleset, engine="python"))
    assert "date-of-birth" in {f.rule_id for f in scan(b"dob = '1990-03-15'\n", ruleset, engine="hyperscan")}


@pytestmark_hs
def test_each_late_rule_is_read_with_its_own_database() -> None:
    """A document a passport word opens is read for passport numbers, not
    for dates of birth (whose shapes cost the most)."""
    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    index = {rule.id: i for i, rule in enumerate(ruleset.rules)}
    matcher = ruleset.matcher("hyperscan")
    loaded = matcher._loaded  # type: ignore[attr-defined]
    loaded.clear()
    late = lambda: {key for key in loaded if isinstance(key, int)}  # a late rule's index; else "rescan", "gate"
    matcher.spans(b"passport no A38271946\nreleased 1990-03-15\n")
    assert late() == {index["my-passport"]}
    matcher.spans(b"dob 1990-03-15\n")  # a birth word: both date-of-birth rules (CE and Buddhist era)
    assert late() == {index[i] for i in ("my-passport", "date-of-birth", "th-date-of-birth-be")}


@pytestmark_hs
def test_a_uen_is_found_by_its_fixed_shape_not_by_reading_the_document() -> None:
    """Every UEN form holds a fixed stretch of capitals and digits
    (``T08LL1234A``, ``201912345K``): the line trigger finds its lines, so a
    document with a company word is not read whole for UENs."""
    from dlp.engine import hs

    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    _, groups, kinds = hs._plan(ruleset)
    index = {rule.id: i for i, rule in enumerate(ruleset.rules)}
    late = {i for g, kind in enumerate(kinds) if kind == hs.OPENER for i in groups[g]}
    assert index["sg-uen"] not in late
    key = lambda fs: [(f.rule_id, f.start, f.end) for f in fs]
    for blob in (b"Acme Pte Ltd (UEN 197401143C)\n", b"company = 'x'\nuen: S16FC0121D\n", b"uen T08LL1234A\n",
                 b"company no 00192200M 53251234X\n", b"ltd\n" + b"x = 1\n" * 50 + b"build 197401143C\n"):
        assert key(scan(blob, ruleset, engine="hyperscan")) == key(scan(blob, ruleset, engine="python"))
    assert [f.value for f in scan(b"UEN: S16FC0121D\n", ruleset, engine="hyperscan")] == ["S16FC0121D"]


def _chosen_triggers() -> list[tuple[Rule, tuple[Trigger, ...]]]:
    """Each personal-data rule with the triggers the matcher picked for it
    (from its regex, its keywords or its prefilter, whichever is rarest)."""
    if not hyperscan_available():
        return []
    from dlp.engine.hs import _rule_triggers

    out = []
    for rule in load_ruleset(Selection(enable_packs=("pii",))).rules:
        triggers = _rule_triggers(rule)
        if triggers is not None:
            out.append((rule, triggers))
    return out


_CHOSEN = _chosen_triggers()


# options of the same rank and size, the rarer first (lines of code holding each, Trigger.lines)
RARER_FIRST = [
    (Trigger("literal", b"+60"), Trigger("paren")),  # 12 lines, 44
    (Trigger("groups", b" -", digits=6, after=2, left=b"(", right=b"-"), Trigger("paren")),  # 11, 44
    (Trigger("digits", digits=10, left=b" ", right=b" "), Trigger("digits", digits=6, left=b" ", right=b" ")),  # 815, 2,459
    (Trigger("mailbox"), Trigger("literal", b".com")),  # a literal is not measured: common
    (Trigger("literal", b"(+620"), Trigger("digits", digits=5, left=b"+", right=b" ")),
]


@pytest.mark.parametrize(("rarer", "commoner"), RARER_FIRST)
def test_equally_cheap_options_take_the_rarer_trigger(rarer: Trigger, commoner: Trigger) -> None:
    """Which of two necessary conditions a variant keeps decides how many
    lines the second pass reads, never what it finds."""
    assert rarer.rank == commoner.rank == 0
    assert cost((rarer,)) < cost((commoner,))
    assert min([(commoner,), (rarer,)], key=cost) == (rarer,)


@pytestmark_hs
def test_most_personal_data_rules_have_a_chosen_trigger() -> None:
    assert len(_CHOSEN) > 40


@pytestmark_hs
def test_literal_led_rules_stay_in_the_first_pass() -> None:
    """A rule whose expressions each hold a literal of their own (a street
    word, an army number's label, ``bin``) is read by the first pass: its
    matches are its lines; a rule whose literals are only its keywords, or
    whose context gates it, keeps its trigger."""
    from dlp.engine import hs

    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    by_id = {rule.id: i for i, rule in enumerate(ruleset.rules)}
    _, groups, kinds = hs._plan(ruleset)
    kinds_of = {i: {kind for g, kind in enumerate(kinds) if i in groups[g]} for i in by_id.values()}
    for rule_id in ("my-address", "sg-address", "my-armed-forces-number", "person-name-malay", "person-name-indian"):
        assert hs._rule_triggers(ruleset.rules[by_id[rule_id]]) is None, rule_id
        assert kinds_of[by_id[rule_id]] == {hs.SPAN}, rule_id
    for rule_id in ("person-name-honorific", "sg-postal-code", "my-phone", "my-nric"):
        assert hs._rule_triggers(ruleset.rules[by_id[rule_id]]) is not None, rule_id


@pytestmark_hs
@pytest.mark.parametrize("rule, triggers", _CHOSEN, ids=[rule.id for rule, _ in _CHOSEN])
def test_lines_written_from_a_rules_pattern_hold_its_chosen_trigger(rule: Rule, triggers: tuple[Trigger, ...]
                                                                     ) -> None:
    """The matcher's second pass only reads lines where a chosen trigger
    fired: Hypothesis writes lines the rule's own pattern matches whole, and
    each must hold one (else a finding the Python engine reports is lost).
    A rule with keywords runs only on lines holding one, in both engines."""
    regex = re.compile(rule.pattern.encode("utf-8"))
    needed = _trigger_regex(triggers)
    keywords = [k.lower().encode("utf-8") for k in rule.keywords]

    @per_rule(60)
    @given(pattern_lines(regex))
    def check(line: bytes) -> None:
        if regex.search(line) and (not keywords or any(k in line.lower() for k in keywords)):
            assert needed.search(line), (rule.id, line)

    check()
