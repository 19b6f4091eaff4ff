"""Table columns as context: CSV headers and SQL INSERT column lists (dlp.context.column_name)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp import context
from dlp.context import (
    assigned_key,
    column_label,
    column_name,
    has_context,
    has_table_header,
    normalise,
)
from dlp.ruleset import Context, Rule, Selection, load_ruleset
from dlp.scan import scan

CSV = (b"name,nric,phone,remarks\n"
       b"Ali,850612105527,0127384916,ok\n"
       b"\"Tan, Wei Ming\",930725016643,0112391845,\"a, b\"\n")
TSV = b"nama\tno_kp\talamat\nSiti\t880921105331\tNo. 1, Jalan A, 47300 PJ, Selangor\n"
SQL = (b"INSERT INTO customers (id, name, `nric`, phone) VALUES\n"
       b"  (1, 'Ali, bin Abu', '850612105527', '0127384916'),\n"
       b"  (2, 'O''Neil', '930725016643', NULL);\n"
       b"SELECT '850612105527';\n")


@pytest.mark.parametrize(("data", "needle", "occurrence", "column"), [
    (CSV, b"850612105527", 0, "nric"),
    (CSV, b"930725016643", 0, "nric"),          # quoted comma before the value
    (CSV, b"0112391845", 0, "phone"),
    (CSV, b"nric", 0, None),                   # on the header line itself
    (TSV, b"880921105331", 0, "no_kp"),
    (SQL, b"850612105527", 0, "nric"),
    (SQL, b"930725016643", 0, "nric"),         # doubled quote in an earlier field
    (SQL, b"0127384916", 0, "phone"),
    (SQL, b"850612105527", 1, None),           # after the INSERT statement ended
    (b"x = 850612105527\ny = 1\n", b"850612105527", 0, None),
    (b"1,2,3\n850612105527,5,6\n", b"850612105527", 0, None),   # first line is data
    (b"IC saya 880921105331, tel 0127384916.\nNama Ali, IC 850612105527.\n", b"850612105527", 0, None),  # prose
    ("姓名,身份证号码\nAli,850612105527\n".encode(), b"850612105527", 0, "身份证号码"),
    # abbreviations in Malaysian headers; a long Thai header is 14 characters, 42 bytes
    (b"Nama,No. K/P,No. Telefon\nAli,850612105527,0127384916\n", b"850612105527", 0, "No. K/P"),
    (b"Nama,No. K/P,No. Telefon\nAli,850612105527,0127384916\n", b"0127384916", 0, "No. Telefon"),
    ("ชื่อ,เลขบัตรประชาชน,เบอร์โทร\nสมชาย,1304013691570,053848049\n".encode(), b"1304013691570", 0, "เลขบัตรประชาชน"),
    (b"Totals. Sum of all rows, count\nAli,850612105527\n", b"850612105527", 0, None),   # a sentence, not a header
])
def test_column_name(data: bytes, needle: bytes, occurrence: int, column: str | None) -> None:
    start = -1
    for _ in range(occurrence + 1):
        start = data.index(needle, start + 1)
    assert column_name(data, start) == column


@pytest.mark.parametrize(("first_line", "header"), [
    ("name,nric,phone", True),
    ("Nama\tNo. K/P", True),
    ("import sys, os", True),  # short fields: a header as far as anyone can tell
    ("# Copyright 2001-2024, Python Software Foundation", False),  # a digit run: the matcher's region gates apply
    ("Hello, world.", False),  # sentence punctuation
    ("1,2,3", False),
    ("name", False),  # no delimiter
])
def test_has_table_header(first_line: str, header: bool) -> None:
    assert has_table_header(f"{first_line}\nAli,850612105527\n".encode()) is header


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["nric", "No. K/P", "import sys", " os", "'a'", "x = 1", "123", "姓名", "", '"a, b"']),
                min_size=1, max_size=5),
       st.sampled_from([",", "\t", ";", "|"]),
       st.lists(st.sampled_from(["Ali,850612105527", "Ali\t850612105527", "x = 850612105527", "a;b|c"]),
                min_size=1, max_size=4))
def test_no_value_has_a_column_below_a_first_line_that_is_no_header(fields: list[str], delimiter: str,
                                                                     rows: list[str]) -> None:
    """What the Hyperscan matcher relies on to read a document's line regions
    for context words (dlp/engine/hs.py): without a header, no column."""
    data = (delimiter.join(fields) + "\n" + "\n".join(rows) + "\n").encode()
    if not has_table_header(data):
        assert all(column_name(data, start) is None for start in range(data.index(b"\n") + 1, len(data)))


def test_column_decides_over_neighbouring_words() -> None:
    data = (b"INSERT INTO vn (cccd) VALUES ('001072567090');\n"
            b"INSERT INTO ph (sss_no) VALUES ('3458291736');\n")
    sss = Context(words=("sss",), window=64, required=True)
    start = data.index(b"001072567090")
    assert not has_context(data, start, start + 12, sss)   # "sss_no" is 30 bytes away, in another table
    start = data.index(b"3458291736")
    assert has_context(data, start, start + 10, sss)


def test_has_context_uses_the_column_name() -> None:
    rows = b"".join(b"Person %d,%d,0127384916\n" % (i, 850612105527) for i in range(50))
    data = b"name,nric,phone\n" + rows
    start = data.rindex(b"850612105527")
    nric = Context(words=("nric",), window=64, required=True)
    email = Context(words=("email",), window=64, required=True)
    assert has_context(data, start, start + 12, nric)
    assert not has_context(data, start, start + 12, email)


# text, word, whether the word is context for the value 900101-14-5677: the
# quick look for a word near the value (lower case, `_` removed) lets through
# every way normalising can make the word appear, and nothing is decided by it
# but its absence
NEAR = [
    ("customerNric = '900101-14-5677'", "nric", True),  # camelCase step
    ("CUSTOMER_NRIC = '900101-14-5677'", "customer_nric", True),
    ("customerNric = '900101-14-5677'", "customer_nric", True),  # the `_` comes from the step
    ("NGÀY SINH: 900101-14-5677", "ngày sinh", True),  # non-ASCII upper case
    ("pic9001 = '900101-14-5677'", "ic", False),  # there, but not a word
    ("value = '900101-14-5677'", "nric", False),
]


@pytest.mark.parametrize(("text", "word", "expected"), NEAR)
def test_context_words_near_the_value(text: str, word: str, expected: bool) -> None:
    data = text.encode()
    start = data.index(b"900101")
    assert has_context(data, start, start + 14, Context(words=(word,), window=32, required=True)) is expected


# text, scope, whether "nric" is context for the value 900101-14-5677: a
# line-scoped window (personal data) stays on the value's line, except above
# a value that opens its line (a label, then the value below it)
LINES = [
    ("nric 900101-14-5677", "line", True),
    ("phone 0127384916\nnric 900101-14-5677", "line", True),
    ("900101-14-5677 x\nnric S1234567D", "line", False),          # the next record's label
    ("900101-14-5677\n(nric)", "line", False),
    ("nric S1234567D\nphone 900101-14-5677", "line", False),      # the previous record's label
    ("NRIC:\n900101-14-5677", "line", True),                     # label above the value
    ("nric:\n  - '900101-14-5677'", "line", True),               # YAML list item
    ("<td>NRIC</td>\n<td>900101-14-5677</td>", "line", True),    # markup only before the value
    ("nric\n\n\n900101-14-5677", "line", True),
    ("nric S1234567D\nx = 900101-14-5677", "line", False),
    ("Please check the nric\nnumber, it is 900101-14-5677", "line", True),   # wrapped prose, no value above
    ("nric holder\nphone 0127384916, 900101-14-5677", "line", False),        # the line has a value before it
    ("900101-14-5677 x\nnric", "document", True),                # secrets: JSON blocks span lines
    ("nric S1234567D\nphone 900101-14-5677", "document", True),
]


@pytest.mark.parametrize(("text", "scope", "expected"), LINES)
def test_context_window_scope(text: str, scope: str, expected: bool) -> None:
    data = text.encode()
    start = data.index(b"900101")
    context = Context(words=("nric",), window=64, required=True, line=scope == "line")
    assert has_context(data, start, start + 14, context) is expected


# a line, and the key its value (the digits) is assigned to
KEYS = [
    ('gift_voucher = "4539 5276"', "gift_voucher"),
    ('    "card_no": "4539 1488"', "card_no"),
    ("cardNumber: '4539 1488'", "cardNumber"),
    ("$pan => '4539 1488'", "pan"),
    ("x := 4539", "x"),
    ('config.card.number = b"4539"', "config.card.number"),
    ('items = ["4539 1488"', "items"),
    ("call 4539 1488", None),
    ('if voucher == "4539"', "voucher"),
    ("# voucher\n4539 1488", None),
]


@pytest.mark.parametrize(("line", "key"), KEYS)
def test_assigned_key(line: str, key: str | None) -> None:
    data = line.encode()
    assert assigned_key(data, data.index(b"4539")) == key


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"x" * 7, b"\n" * 3, b"y" * 40, b"INSERT", b"insert", b"INSER", b"NSERT", b"Insert"]),
                max_size=60), st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=12),
       st.sampled_from([16, 64, 16384]))
def test_insert_look_back_memo_is_the_plain_search(parts: list[bytes], starts: list[int], lookback: int) -> None:
    """Whether an INSERT is in a value's look-back window, answered from the
    stretch already searched, is what searching the window gives, whatever
    order the values come in."""
    from dlp import context

    data = b"".join(parts)
    saved = context._SQL_LOOKBACK
    context._SQL_LOOKBACK = lookback
    try:
        context._LAST_INSERT[:] = [None, 0, 0]
        for start in (min(s, len(data)) for s in starts):
            window = max(0, start - lookback)
            plain = data.rfind(b"INSERT", window, start) < 0 and data.rfind(b"insert", window, start) < 0
            assert context._no_insert_before(data, start) == plain
    finally:
        context._SQL_LOOKBACK = saved


_TEXT = st.text(alphabet="aIp_ 9Hh-.ostXkéK\u212a\u0130", max_size=40)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.lists(st.text(alphabet="ipho-st9 é", min_size=1, max_size=5), min_size=1, max_size=4, unique=True))
def test_context_regexes_match_their_plain_forms(text: str, words: list[str]) -> None:
    """The camelCase split and the word regex are written so `re` can skip
    ahead (a leading class or literal); they find what the plain forms find."""
    import re

    from dlp import context

    assert context.normalise(text) == re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).lower()
    plain_ascii = [re.escape(w) for w in words if w.isascii()]
    other = [re.escape(w) for w in words if not w.isascii()]
    parts = ([r"(?<![a-z0-9])(?:" + "|".join(plain_ascii) + r")(?![a-z0-9])"] if plain_ascii else []) + (
        ["(?:" + "|".join(other) + ")"] if other else [])
    plain = re.compile("|".join(parts))
    fast = context._words_regex(tuple(words))
    lowered = text.lower()
    assert [m.span() for m in fast.finditer(lowered)] == [m.span() for m in plain.finditer(lowered)]


@pytest.mark.parametrize(("data", "statement"), [
    (b"INSERT INTO t (nric) VALUES ('850612105527');", True),
    (b"insert into t (nric) values ('850612105527');", True),
    (b"INSERT IGNORE INTO t (nric) VALUES ('850612105527');", True),
    (b"insert Ignore\n  Into t (nric) VALUES ('850612105527');", True),
    (b"INSERT\tINTO\nt (nric) VALUES ('850612105527');", True),
    (b"Insert into t (nric) values ('850612105527');", False),   # neither INSERT nor insert: no look-back finds it
    (b"items.insert(0, 850612105527)", False),
    (b"INSERTINTO t (nric) VALUES ('850612105527');", False),
    (b"# insert the IC into the form: 850612105527", False),      # "into" then no space
    (b"INSERT INTOx t (nric)", False),
])
def test_sql_hint_fires_where_a_statement_can_start(data: bytes, statement: bytes) -> None:
    """The Hyperscan first pass tells the context check that a document holds
    no ``INSERT ... INTO`` (dlp/engine/hs.py ``SQL_INSERT``): exactly where
    the statement regex cannot start, so skipping the look-back changes no
    column."""
    import re

    from dlp.context import _insert
    from dlp.engine.hs import SQL_INSERT

    hint = re.search(SQL_INSERT, data) is not None
    assert hint == statement
    starts = [m.start() for m in re.finditer(rb"INSERT|insert", data)]
    # where the look-back finds INSERT or insert, the statement regex's start (any case after it)
    prefix = re.compile(_insert().pattern[:_insert().pattern.index(rb"INTO") + 7], re.IGNORECASE)
    assert any(prefix.match(data, s) for s in starts) == hint


@pytest.mark.parametrize("engine", ["hyperscan", "python"])
def test_sql_column_is_the_same_with_and_without_the_hint(engine: str) -> None:
    from dlp.ruleset import Selection, load_ruleset
    from dlp.scan import scan

    ruleset = load_ruleset(Selection(enable_packs=("pii/my",)))
    with_sql = b"insert into t (`nric`, note) values ('850612105527', 'x');\n"
    without = b"rows = [('850612105527', 'x')]  # nric\nitems.insert(0, 1)\n"
    assert [f.rule_id for f in scan(with_sql, ruleset, engine=engine)] == ["my-nric-bare"]
    assert [f.rule_id for f in scan(without, ruleset, engine=engine)] == ["my-nric-bare"]
    # a column that is not an identity column decides against the word on the line
    other = b"insert into t (note, ref) values ('x', '850612105527');  -- nric\n"
    assert scan(other, ruleset, engine=engine) == ()


# scope: column (the name-column rules): the column's whole name decides,
# in the spellings a header may use
@pytest.mark.parametrize(("name", "label"), [
    ("Full Name", "full name"),
    ("full_name", "full name"),
    ("fullName", "full name"),
    ("FULL-NAME", "full name"),
    ("  Nama  Penuh ", "nama penuh"),
    ("No. K/P", "no k/p"),
    ("Họ và tên", "họ và tên"),
    ("HỌ VÀ TÊN", "họ và tên"),
    ("ชื่อ-นามสกุล", "ชื่อ นามสกุล"),
    ("姓名", "姓名"),
])
def test_column_label(name: str, label: str) -> None:
    assert column_label(name) == label


NAMES = Context(("full name", "姓名"), required=True, column=True)
PEOPLE = Context(("name",), required=True, column=True, header=("nric", "phone", "电话"))


@pytest.mark.parametrize(("data", "context", "expected"), [
    (b"id,Full_Name\n1,Tan Wei Ming\n", NAMES, True),
    (b"id,FullName\n1,Tan Wei Ming\n", NAMES, True),
    ("姓名,电话\nTan Wei Ming,012\n".encode(), NAMES, True),
    (b"id,full_name_2\n1,Tan Wei Ming\n", NAMES, False),          # the whole name, not a word of it
    (b"id,company_name\n1,Tan Wei Ming\n", PEOPLE, False),        # company_name is not name
    (b"Tan Wei Ming,full name\n", NAMES, False),                  # the header line itself
    (b"full name: Tan Wei Ming\n", NAMES, False),                 # no table: no window either
    (b"remark,full_name\nTan Wei Ming,x\n", NAMES, False),        # another column
    (b"name,nric\nTan Wei Ming,S1234567D\n", PEOPLE, True),       # a table of people
    (b"name,customerPhone\nTan Wei Ming,0123\n", PEOPLE, True),   # camelCase split
    ("name,电话\nTan Wei Ming,0123\n".encode(), PEOPLE, True),
    (b"name,sku,price\nTan Wei Ming,A1,3\n", PEOPLE, False),      # a table of products
    (b"name,telemetry\nTan Wei Ming,x\n", PEOPLE, False),         # tel only as a whole word
])
def test_named_column(data: bytes, context: Context, expected: bool) -> None:
    start = data.index(b"Tan Wei Ming")
    assert has_context(data, start, start + 12, context) is expected


def _column_rules() -> list[Rule]:
    return [rule for rule in load_ruleset(Selection(enable_packs=("pii",))) if rule.context and rule.context.column]


def _spellings(word: str) -> set[str]:
    """A column name as headers write it: as listed, upper case, title case,
    snake_case, kebab-case, and camelCase in ASCII (only ASCII capitals split words)."""
    parts = word.split()
    out = {word, word.upper(), word.title(), "_".join(parts), "-".join(parts)}
    if word.isascii():
        out.add(parts[0] + "".join(p.title() for p in parts[1:]))
    return out


@pytest.mark.parametrize("engine", ["hyperscan", "python"])
def test_every_column_word_finds_its_names(engine: str) -> None:
    """Each rule's prefilter (the header line) admits every spelling of every
    column word its context accepts: a name under any of them is reported."""
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    rules = _column_rules()
    assert {r.id for r in rules} == {"person-name-column", "person-name-table"}
    ruleset = load_ruleset(Selection(only_rules=tuple(r.id for r in rules), enable_packs=("pii",)))
    missed = []
    for rule in rules:
        for word in rule.context.words:  # type: ignore[union-attr]
            for spelling in _spellings(word):
                data = f"id,{spelling},phone\n1,Tan Wei Ming,0123\n".encode()
                if not any(f.rule_id == rule.id for f in scan(data, ruleset, engine=engine)):
                    missed.append((rule.id, spelling))
    assert not missed


@pytest.mark.parametrize(("data", "opened"), [
    (b"id,full_name,phone\n1,Tan Wei Ming,0123\n", True),
    (b"x = 1\nid,full_name\n1,Tan Wei Ming\n", False),            # a header below the first line
    (b"# Module 'ntpath' -- pathnames\nTan Wei Ming,1\n", False),  # no delimiter on the first line
])
def test_both_engines_read_a_name_column_rule_only_under_its_header(data: bytes, opened: bool) -> None:
    """The name-column rules' prefilter is anchored at the document's start:
    the pure-Python engine honours it too, so neither engine runs their
    pattern (60 ns a byte in ``re``) over documents without such a header."""
    from dlp.engine.python import PythonMatcher

    ruleset = load_ruleset(Selection(only_rules=("person-name-column",), enable_packs=("pii",)))
    assert bool(PythonMatcher(ruleset).spans(data)) is opened
    pytest.importorskip("hyperscan")
    assert bool(ruleset.matcher("hyperscan").spans(data)) is opened


def _search_inside_reference(regex, lead: str, window: str, trail: str) -> bool:  # type: ignore[no-untyped-def]
    """The window's place in the normalised text found by normalising its parts."""
    text = normalise(lead + window + trail)
    head = normalise(lead + window)
    lo, hi = len(head) - len(normalise(window)), len(head)
    return any(lo <= m.start() and m.end() <= hi for m in _all_matches(regex, text))


def _all_matches(regex, text: str):  # type: ignore[no-untyped-def]
    return (m for m in (regex.match(text, i) for i in range(len(text) + 1)) if m is not None)


_SEARCH_CHARS = st.sampled_from([*"aZ0_ -.iIpPxXnNrRcC", "İ", "ß", "Σ", "é", "身", "\n"])


@settings(max_examples=500, deadline=None)
@given(st.sampled_from([("ip",), ("nric", "ic"), ("name",), ("x",)]), st.text(_SEARCH_CHARS, max_size=1),
       st.text(_SEARCH_CHARS, max_size=12), st.text(_SEARCH_CHARS, max_size=1))
def test_a_word_inside_the_window_whatever_the_edges(words: tuple[str, ...], lead: str, window: str,
                                                     trail: str) -> None:
    """The window's bounds in the normalised text, worked out from the parts'
    lengths (camelCase joints, characters that lower-case to two), are where
    normalising the parts puts them."""
    regex = context._words_regex(words)
    assert context._search_inside(regex, lead, window, trail) == _search_inside_reference(regex, lead, window, trail)
