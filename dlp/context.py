"""Evidence around a match: context words and inline allow comments."""
from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import cast

from dlp import regex_cache
from dlp.engine.facts import sql_free
from dlp.engine.literals import Literals
from dlp.records import record
from dlp.ruleset import Context

# A camelCase step, matched at its capital (``(?<=[a-z0-9])(?=[A-Z])`` would
# be the same steps, but ``re`` tries that at every position; a leading class
# lets it skip to the capitals)
_CAMEL = re.compile(r"([A-Z])(?<=[a-z0-9][A-Z])")

# Markers users already put in their code. The marker must follow a comment
# opener on the same line, so a string literal alone cannot carry it.
# The regexes below are compiled on first use (lines with a marker, tables):
# most documents need none of them, and a hook process pays for each compile.
_COMMENT = r"(?:#|//|/\*|--|<!--|;|%|\bREM\b|')"


@cache
def _allow_line() -> re.Pattern[str]:
    return re.compile(
        _COMMENT + r".*?(?:"
        r"dlp:allow(?!-next-line)(?P<ids>(?:[ \t]+[a-z0-9][a-z0-9-]*(?:[ \t]*,[ \t]*[a-z0-9][a-z0-9-]*)*)?)"
        r"|pragma:\s*allowlist[ \t]+secret|gitleaks:allow|trufflehog:ignore|ggignore|kingfisher:(?:allow|ignore)"
        r")",
        re.IGNORECASE,
    )


@cache
def _allow_next() -> re.Pattern[str]:
    return re.compile(
        _COMMENT + r".*?(?:pragma:\s*allowlist[ \t]+nextline[ \t]+secret|dlp:allow-next-line)",
        re.IGNORECASE,
    )


def normalise(text: str) -> str:
    """Lower-case with camelCase split, so `customerNric` contains the word `nric`."""
    return _CAMEL.sub(r"_\1", text).lower()


@lru_cache(maxsize=4096)
def _words_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """ASCII words whole (not next to ``[a-z0-9]``), others anywhere.

    ``(?<![a-z0-9])(?:ip|host)(?![a-z0-9])`` is written
    ``(?:i(?<![a-z0-9]i)p|h(?<![a-z0-9]h)ost)(?![a-z0-9])``: the same matches,
    but each alternative starts with a literal, so ``re`` skips to the
    positions holding a first letter instead of trying every position."""
    ascii_words = [_led(w) for w in words if w.isascii()]
    other = [re.escape(w) for w in words if not w.isascii()]
    parts = []
    if ascii_words:
        parts.append(r"(?:" + "|".join(ascii_words) + r")(?![a-z0-9])")
    if other:
        parts.append("(?:" + "|".join(other) + ")")
    return regex_cache.compile("|".join(parts))  # a rule's words: its program is kept on disk


def has_context(data: bytes, start: int, end: int, context: Context) -> bool:
    """Whether any context word occurs within ``context.window`` characters of [start, end).
    A value in a table cell (CSV/TSV with a header line, SQL ``INSERT`` row) is
    judged by its column name alone."""
    if not context.words:
        return False
    if context.column:
        return _named_column(data, start, context)
    column = column_name(data, start)
    if column is not None:
        # In a table the column says what the cell is; words in neighbouring
        # rows, columns or statements describe other values.
        return bool(_words_regex(context.words).search(normalise(column)))
    w = context.window
    # Each window keeps one more character on each side, seen only by the word
    # boundary checks: a word cut in half by the window's far edge
    # (`repub|lic_key`) is not the word `ic`, nor is a word glued to the value
    # (`pic9001...`). (This also lets the Hyperscan engine skip a rule for a
    # whole document holding none of its words: dlp/engine/gate.py.)
    before = data[max(0, start - 4 * w - 4):start].decode("utf-8", "replace")
    after = data[end:end + 4 * w + 4].decode("utf-8", "replace")
    # a word is found inside a window only: with none of the words in the two
    # windows, whatever the boundaries, there is nothing to look for (most
    # candidates; the windows in characters, not the bytes decoded: in ASCII
    # text a quarter of them). Cutting the windows at the line below only
    # shortens them, so this is asked of the whole windows first.
    near = _near(before, after, w)
    if not _may_be_present(near, context.words):
        return False
    # A line-scoped window (personal data) ends at the value's line: after
    # the value at the line's end (a word on the next line labels the next
    # record, not this value); before it at the line's start when the window
    # before the value holds another value (four or more digits and
    # separators: ``TIN 284-719-362-000`` above ``CCCD 0792...``), unless
    # nothing but indentation, punctuation or markup precedes the value on
    # its line (a label above its value: ``NRIC:`` then the number,
    # ``<td>IC</td>`` then ``<td>…``). Prose wrapped mid-sentence keeps its
    # words. The newline stays in the window, as the boundary next to its edge.
    if context.line:
        newline = after.find("\n")
        if newline >= 0:
            after = after[:newline + 1]
        newline = before.rfind("\n")
        if (newline >= 0 and _opens_line().fullmatch(before, newline + 1) is None
                and _DIGIT_RUN.search(before, max(0, len(before) - w - 1)) is not None):
            before = before[newline:]
        near = _near(before, after, w)
    # which words: asked once, of the windows as cut (a word there is in the
    # whole windows too)
    present = _present(near, context.words)
    if not present:
        return False
    # the words that are there, with their boundaries: a regex of those alone
    # finds the same matches (a word absent from the windows matches nowhere
    # in them) for a fraction of the cost of all of them at every position
    regex = _words_regex(present)
    first = data[start:start + 4].decode("utf-8", "replace")[:1]
    last = data[max(0, end - 4):end].decode("utf-8", "replace")[-1:]
    return (_search_inside(regex, before[-(w + 1):-w] if len(before) > w else "", before[-w:], first)
            or _search_inside(regex, last, after[:w], after[w:w + 1]))


_DIGIT_RUN = re.compile(r"\d[\d .-]{2,}\d")


def _near(before: str, after: str, w: int) -> str:
    """The last ``w + 1`` characters of ``before`` and the first ``w + 1`` of
    ``after``, lower-cased, without underscores, apart by a NUL: where a
    word is looked for, whatever its boundaries."""
    return (before[-(w + 1):] + "\0" + after[:w + 1]).lower().replace("_", "")


def _present(near: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The words that occur in ``near`` (see :func:`_near`)."""
    return tuple(word for word, squashed in _squashed(words) if squashed in near)


def _may_be_present(near: str, words: tuple[str, ...]) -> bool:
    """Whether :func:`_present` finds any of ``words`` (a rule's own tuple),
    with one Hyperscan scan: most windows hold none (0.3 us, against ~40 ns
    a word for ``in``, up to 47 words a rule). True when it cannot tell
    (a word that squashes to nothing)."""
    literals = _any_word(words)
    return literals is None or literals.any_in(near.encode("utf-8", "surrogatepass"))


@lru_cache(maxsize=512)
def _any_word(words: tuple[str, ...]) -> Literals | None:
    """The squashed ``words`` as one literal set: in a lower-cased window
    (no ASCII capital left) Hyperscan's caseless match finds exactly where
    ``in`` would, and a UTF-8 word's bytes occur in the window's bytes
    exactly where the word occurs in its text. None when a word squashes to
    nothing (``_``: in every window)."""
    squashed = [s.encode("utf-8", "surrogatepass") for _, s in _squashed(words)]
    return Literals(squashed) if squashed and all(squashed) else None


def _named_column(data: bytes, start: int, context: Context) -> bool:
    """``scope: column``: whether the value is in a CSV/TSV column whose whole
    name is one of ``context.words`` (``Full Name``, ``full_name`` and
    ``fullName`` all read ``full name``), in a table whose header line also
    holds one of ``context.header`` when the rule gives some (a ``name``
    column is a person's only next to an IC, phone or e-mail column)."""
    tables = _tables(data)
    column = _csv_column(data, start, tables)
    if column is None or column_label(column) not in _labels(context.words):
        return False
    return not context.header or _header_holds(tables.line, context.header)


@lru_cache(maxsize=64)
def _header_holds(line: bytes, words: tuple[str, ...]) -> bool:
    """Whether a header line holds one of ``words`` (once per document, not per cell),
    as a key does (:func:`key_says`)."""
    return key_says(line.decode("utf-8", "replace"), words)


def column_label(name: str) -> str:
    """A column name as the words it is made of: lower case, camelCase
    split, ``_ - .`` and runs of spaces as one space (``No. K/P`` reads ``no k/p``)."""
    return " ".join(re.split(r"[\s_.\-]+", normalise(name))).strip()


@lru_cache(maxsize=256)
def _labels(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(column_label(w) for w in words)


@cache
def _opens_line() -> re.Pattern[str]:
    """What may precede a value that opens its line: indentation,
    punctuation, list markers and markup tags, no word."""
    return re.compile(r"(?:[^\w<]|<[^<>\n]*>)*")


def _led(word: str) -> str:
    """``word`` escaped, with the check that no ``[a-z0-9]`` precedes it after its first character."""
    if not word:
        return r"(?<![a-z0-9])"
    first = re.escape(word[0])
    return f"{first}(?<![a-z0-9]{first}){re.escape(word[1:])}"


@lru_cache(maxsize=4096)
def _squashed(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each word with its form lower-cased without ``_``: it occurs so in the
    lower-cased text around a value, with its ``_`` removed, wherever
    :func:`normalise` could make the word appear (normalising only
    lower-cases and puts ``_`` between a camelCase step), so a text holding
    none of them holds no word."""
    return tuple((w, w.lower().replace("_", "")) for w in words)


def _search_inside(regex: re.Pattern[str], lead: str, window: str, trail: str) -> bool:
    """Whether ``regex`` matches inside ``window`` on normalised text, with the
    characters around it (``lead``, ``trail``) seen only by its boundary checks."""
    text = normalise(lead + window + trail)
    if regex.search(text) is None:
        return False  # the common case: no word at all, whatever the edges
    # where the window is in ``text``: normalising adds an underscore before
    # a capital after [a-z0-9] and lower-cases each character on its own, so
    # the lengths of the parts add up, with one more for a split at a joint
    # (2.5 us less than normalising the parts: a regex call each)
    lo = _normalised_length(lead) + (_split(lead, window) if window else 0)
    hi = len(text) - _normalised_length(trail) - (_split(window, trail) if window else _split(lead, trail))
    pos = lo
    while (m := regex.search(text, pos)) is not None and m.start() < hi:
        if m.end() <= hi:
            return True
        pos = m.start() + 1
    return False


def _normalised_length(text: str) -> int:
    """``len(normalise(text))``; a single character (the edges above) is
    only lower-cased, without a regex call."""
    return len(text.lower()) if len(text) < 2 else len(normalise(text))


def _split(left: str, right: str) -> int:
    """1 when normalising ``left + right`` puts an underscore between them (camelCase), else 0."""
    return int(bool(left) and bool(right) and right[0] in _UPPER and left[-1] in _LOWER_OR_DIGIT)


_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_LOWER_OR_DIGIT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


# --------------------------------------------------------------------------- table columns

_DELIMITERS = (b",", b"\t", b";", b"|")
_SQL_LOOKBACK = 16384


@cache
def _insert() -> re.Pattern[bytes]:
    return re.compile(
        rb"INSERT\s+(?:IGNORE\s+)?INTO\s+[\w.`\"\[\]]+\s*\(([^()]{1,2000})\)\s*VALUES\s*", re.IGNORECASE
    )


@cache
def _header_field() -> re.Pattern[bytes]:
    """A header field is a short column name: no digit runs, no sentence
    punctuation but an abbreviation's dot (``No. K/P``, ``Tel. No``), at most
    40 characters (a UTF-8 character counts once: ``เลขบัตรประชาชน``)."""
    char = rb"(?:[^.!?,;:\x80-\xff]|[\x80-\xff][\x80-\xbf]*)"
    return re.compile(rb"(?!.*\d{3})(?:[A-Za-z]{1,4}\. ?)?(?:[^\d\s.!?,;:\x80-\xff]|[\x80-\xff][\x80-\xbf]*)"
                      + char + rb"{0,39}")


def _split_fields(line: bytes, delimiter: bytes) -> list[bytes]:
    """Split one CSV line on ``delimiter`` outside double quotes."""
    if b'"' not in line:
        return line.split(delimiter)
    fields, current, quoted = [], bytearray(), False
    for byte in line:
        ch = bytes((byte,))
        if ch == b'"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            fields.append(bytes(current))
            current.clear()
            continue
        current += ch
    fields.append(bytes(current))
    return fields


@record
class _Tables:
    """What a document's table structure allows, computed once per document:
    its first line split on each delimiter it holds (with whether those
    fields read as column names). (Whether an ``INSERT`` precedes a value is
    looked for in the value's look-back window only: searching the whole
    document cost more than the rest of the context check when, as in most
    files, one or two values need it.)"""

    header: dict[bytes, tuple[list[bytes], bool]]  # delimiter -> (header fields, a valid header)
    any_header: bool
    line: bytes  # the first line, without its line break


_LAST_TABLES: list[tuple[bytes, _Tables]] = []  # one-document memo, by identity


def _tables(data: bytes) -> _Tables:
    if _LAST_TABLES and _LAST_TABLES[0][0] is data:
        return _LAST_TABLES[0][1]
    header_end = data.find(b"\n")
    header_line = data[:header_end].rstrip(b"\r") if header_end >= 0 else b""
    header: dict[bytes, tuple[list[bytes], bool]] = {}
    for delimiter in _DELIMITERS:
        if header_line.count(delimiter):
            fields = _split_fields(header_line, delimiter)
            header[delimiter] = (fields, all(_header_field().fullmatch(f.strip(b' "\'')) for f in fields))
    tables = _Tables(header, any(v for _, v in header.values()), header_line)
    _LAST_TABLES[:] = [(data, tables)]
    return tables


def has_table_header(data: bytes) -> bool:
    """Whether the first line of ``data`` is a CSV/TSV header: else no value
    of it has a CSV column (see :func:`column_name`)."""
    return _tables(data).any_header


def _csv_column(data: bytes, start: int, tables: _Tables) -> str | None:
    if not tables.any_header:
        return None  # whichever delimiter a row uses, the first line is no header
    line_start = data.rfind(b"\n", 0, start) + 1
    if line_start == 0:
        return None  # the value is on the header line itself
    line_end = data.find(b"\n", start)
    line = data[line_start:len(data) if line_end < 0 else line_end].rstrip(b"\r")
    for delimiter in sorted(_DELIMITERS, key=line.count, reverse=True):
        if not line.count(delimiter) or delimiter not in tables.header:
            continue
        fields, valid = tables.header[delimiter]
        if len(fields) == len(_split_fields(line, delimiter)):
            break
    else:
        return None
    if not valid:
        return None  # the first line is data or prose, not a header
    index = len(_split_fields(data[line_start:start], delimiter)) - 1
    return fields[index].strip(b' "').decode("utf-8", "replace")


# [document, lo, hi]: no INSERT or insert lies within [lo, hi) of that
# document (a one-document memo, by identity)
_LAST_INSERT: list[object] = [None, 0, 0]
_WORD = len(b"INSERT")


def _no_insert_before(data: bytes, start: int) -> bool:
    """Whether no ``INSERT``/``insert`` lies within the look-back window of a
    value at ``start``. A document's values are mostly near each other: the
    windows already searched are remembered as one stretch, so each byte is
    read about once instead of once per value."""
    lookback = max(0, start - _SQL_LOOKBACK)
    memo = _LAST_INSERT
    first = memo[0] is not data  # the document's first value
    if first:
        memo[:] = [data, 0, 0]
    lo, hi = cast(int, memo[1]), cast(int, memo[2])
    if lo <= lookback and start <= hi:
        return True
    if data.find(b"INSERT", lookback, start) >= 0 or data.find(b"insert", lookback, start) >= 0:
        return False
    # from a document's second value on, search as far ahead as behind, for
    # the values that follow (most documents have one: the first value's
    # window is searched alone); the stretch ends where an occurrence would
    # begin to be inside it
    ahead = start if first else min(len(data), start + _SQL_LOOKBACK)
    edge = max(0, start - (_WORD - 1))
    found = [p for p in (data.find(b"INSERT", edge, ahead), data.find(b"insert", edge, ahead)) if p >= 0]
    end = min(found) + _WORD - 1 if found else ahead
    # the stretches join when they overlap by a word's length but one: no
    # occurrence can then straddle them
    if lookback <= hi - (_WORD - 1) and lo <= end - (_WORD - 1):
        memo[1], memo[2] = min(lo, lookback), max(hi, end)
    else:
        memo[1], memo[2] = lookback, end
    return True


def _sql_column(data: bytes, start: int) -> str | None:
    row = _sql_row(data, start)
    return None if row is None else row[1].decode("utf-8", "replace")


def sql_statement(data: bytes, start: int) -> bytes | None:
    """``INSERT INTO <table> (<columns>) VALUES`` of the statement whose row
    holds the value at ``start``, or None."""
    row = _sql_row(data, start)
    return None if row is None else row[0]


def _sql_row(data: bytes, start: int) -> tuple[bytes, bytes] | None:
    """(the statement's head, the column) of the ``INSERT`` row holding the value at ``start``, or None."""
    if sql_free(data) or _no_insert_before(data, start):
        return None
    lookback = max(0, start - _SQL_LOOKBACK)
    at = data.rfind(b"INSERT", lookback, start)
    if at < 0:
        at = data.rfind(b"insert", lookback, start)
    if at < 0:
        return None
    m = _insert().match(data, at)
    if not m or m.end() > start:
        return None
    columns = [c.strip(b' `"[]\t\r\n') for c in m.group(1).split(b",")]
    depth, index, quoted = 0, 0, False
    for byte in data[m.end():start]:
        if quoted:
            quoted = byte != 0x27  # a doubled '' re-opens on the next byte
        elif byte == 0x27:
            quoted = True
        elif byte == 0x28:
            depth += 1
            if depth == 1:
                index = 0
        elif byte == 0x29:
            depth -= 1
        elif byte == 0x2C and depth == 1:
            index += 1
        elif byte == 0x3B and depth == 0:
            return None  # the statement ended before the value
    if depth != 1 or index >= len(columns):
        return None
    return m.group(0), columns[index]


# (document, {value start: its column name}): a one-document memo, by
# identity (a number is a candidate of several rules, each asking); one
# tuple, read at once
_LAST_COLUMNS: list[tuple[bytes | None, dict[int, str | None]]] = [(None, {})]


def column_name(data: bytes, start: int) -> str | None:
    """The name of the table column holding the value at ``start``: the field of
    the first (header) line at the same position in a CSV/TSV document, or the
    column of the enclosing row of an SQL ``INSERT ... (cols) VALUES (...)``.
    None when the value is not in such a table."""
    document, columns = _LAST_COLUMNS[0]
    if document is data:
        if start in columns:
            return columns[start]
    else:
        columns = {}
        _LAST_COLUMNS[0] = (data, columns)
    name = columns[start] = _sql_column(data, start) or _csv_column(data, start, _tables(data))
    return name


@cache
def _assignment() -> re.Pattern[str]:
    """An identifier or key right before a value: ``gift_voucher = "``,
    ``"card_no": "``, ``cardNumber: '``, ``pan => ``."""
    return re.compile(r"""([A-Za-z_][\w.-]*)["'`]?\s*(?:=>|:=|==|[:=])\s*[\[({]?\s*[bBfFrRuU]?["'`]?\s*$""")


def assigned_key(data: bytes, start: int) -> str | None:
    """The identifier or key the value at ``start`` is assigned to on its
    line (``gift_voucher`` in ``gift_voucher = "6514 …"``), or None: the
    strongest evidence of what a value in code is."""
    line_start = data.rfind(b"\n", max(0, start - 256), start) + 1
    m = _assignment().search(data[line_start:start].decode("utf-8", "replace"))
    return m.group(1) if m else None


def key_says(key: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` is in the key, as context words are found (camelCase split, whole words)."""
    return bool(words) and _words_regex(words).search(normalise(key)) is not None


# Literal parts of every marker: a line without one needs no regex (the regexes
# backtrack over each comment opener, quadratic on long minified lines).
_MARKER_WORDS = ("dlp:allow", "allowlist", "gitleaks:allow", "trufflehog:ignore", "ggignore", "kingfisher:")


# one search for any of them (a generator over the words cost four times as much)
_MARKER_BYTES = re.compile(b"|".join(re.escape(word.encode("ascii")) for word in _MARKER_WORDS))


def may_be_allowed(data: bytes, offset: int) -> bool:
    """Whether the line holding ``offset`` or the line above it holds one of
    the markers' literals, in any case: a finding on any other line (nearly
    all) needs neither decoding nor :func:`inline_allowed`. (The markers are
    ASCII, so the bytes lower-cased show them as the text does.)"""
    start = data.rfind(b"\n", 0, offset) + 1
    above = data.rfind(b"\n", 0, start - 1) + 1 if start > 0 else 0
    end = data.find(b"\n", offset)
    return _MARKER_BYTES.search(data[above:len(data) if end < 0 else end].lower()) is not None


def _has_marker(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _MARKER_WORDS)


def inline_allowed(line_text: str, previous_line: str, rule_id: str) -> bool:
    """Whether an allow comment on the line (or a next-line marker above it) covers ``rule_id``."""
    if _has_marker(line_text):
        m = _allow_line().search(line_text)
        if m:
            ids = (m.group("ids") or "").replace(",", " ").split()
            if not ids or rule_id in ids:
                return True
    return bool(previous_line and _has_marker(previous_line) and _allow_next().search(previous_line))
