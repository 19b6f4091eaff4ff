"""Kubernetes Secret manifests, read per key (used by :mod:`dlp.refine`).

A YAML stream may hold several documents (``---``) and a ``kind: List`` may
hold Secrets among its ``items``; each Secret object is found by the
indentation of its ``kind: Secret`` line and its ``data`` / ``stringData``
sections are read entry by entry: plain, quoted, multi-line plain scalars and
block scalars (``key: |``, ``key: >-``). ``data`` values are base64 (line
breaks inside are allowed, as the API server's decoder skips them).

Not a YAML parser: a line scanner for the shapes manifests are written in,
with no dependency and no failure mode beyond "no entry found". Pure.
"""
from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass

_SEPARATOR = re.compile(rb"^(?:---|\.\.\.)(?:[ \t].*)?\r?$", re.MULTILINE)
_KIND_SECRET = re.compile(rb"^([ \t]*(?:-[ \t]+)?)kind:[ \t]*([\"']?)[Ss]ecret\2[ \t]*(?:#.*)?\r?$", re.MULTILINE)
_SECTION = re.compile(rb"(data|stringData):[ \t]*(?:#.*)?\r?$")
_ENTRY = re.compile(rb"([\"']?)([\w.-]+)\1:(?:[ \t]+|$)")
_BLOCK_INDICATOR = re.compile(rb"([|>])[-+0-9]*[ \t]*(?:#.*)?$")
_QUOTED = re.compile(rb"([\"'])(.*?)\1[ \t]*(?:#.*)?$")
_COMMENT_TAIL = re.compile(rb"[ \t]+#.*$")


@dataclass(frozen=True, slots=True)
class SecretEntry:
    """One ``data`` / ``stringData`` key: its text and the byte span reported.

    The span starts on the key's line (at the value, or at the ``|``/``>``
    indicator of a block scalar) and ends after the value's last line.
    ``value`` is the logical value: quotes and indentation removed, the lines
    of a ``data`` value joined without breaks.
    """

    key: str
    value: str
    start: int
    end: int
    encoded: bool  # under data (base64), not stringData


@dataclass(frozen=True, slots=True)
class _Line:
    start: int  # offset of the first byte
    end: int  # offset of the line break (or of the end), \r excluded
    indent: int  # column of the first non-blank byte
    key_column: int  # column of a mapping key: after "- " for list items
    blank: bool  # empty or a comment


def secret_entries(data: bytes, offset: int) -> Iterator[SecretEntry]:
    """Every entry of every Secret object in the YAML document holding ``offset``."""
    start, end = _document(data, offset)
    lines = _lines(data, start, end)
    for kind in _KIND_SECRET.finditer(data, start, end):
        column = len(kind.group(1).expandtabs())
        at = next(i for i, line in enumerate(lines) if line.start == kind.start())
        first, last = _object(lines, at, column)
        i = first
        while i < last:
            line = lines[i]
            if not line.blank and line.key_column == column and \
                    _SECTION.match(data, line.start + _offset_of(data, line, column), line.end):
                encoded = data[line.start + _offset_of(data, line, column)] == ord("d")
                i = yield from _section(data, lines, i + 1, last, column, encoded)
                continue
            i += 1


def _document(data: bytes, offset: int) -> tuple[int, int]:
    start, end = 0, len(data)
    for sep in _SEPARATOR.finditer(data):
        if sep.end() <= offset:
            start = sep.end() + 1
        elif sep.start() >= offset:
            end = sep.start()
            break
    return start, end


def _lines(data: bytes, start: int, end: int) -> list[_Line]:
    out = []
    pos = start
    while pos < end:
        eol = data.find(b"\n", pos, end)
        eol = end if eol < 0 else eol
        stop = eol - 1 if eol > pos and data[eol - 1] == 13 else eol
        text = data[pos:stop].expandtabs()
        body = text.lstrip(b" ")
        indent = len(text) - len(body)
        key_column = indent
        while body[:2] in (b"- ", b"-"):  # list items: "- kind: Secret", "- - x"
            rest = body[1:].lstrip(b" ")
            key_column += len(body) - len(rest)
            body = rest
            if not rest:
                break
        out.append(_Line(pos, stop, indent, key_column, not body or body.startswith(b"#")))
        pos = eol + 1
    return out


def _offset_of(data: bytes, line: _Line, column: int) -> int:
    """Byte offset within ``line`` of display ``column`` (tabs expanded)."""
    text = data[line.start:line.end]
    if b"\t" not in text:
        return column
    width = 0
    for i, byte in enumerate(text):
        if width >= column:
            return i
        width = (width // 8 + 1) * 8 if byte == 9 else width + 1
    return len(text)


def _object(lines: list[_Line], at: int, column: int) -> tuple[int, int]:
    """Line range of the mapping whose keys sit at ``column`` and include line ``at``."""
    first = at
    while first > 0 and lines[at].indent == lines[at].key_column:  # the kind line is not the item's first
        prev = lines[first - 1]
        if prev.blank or prev.indent >= column:
            first -= 1
            continue
        if prev.key_column == column:  # "- apiVersion: v1": the item opens here
            first -= 1
        break
    last = at + 1
    while last < len(lines) and (lines[last].blank or lines[last].indent >= column):
        last += 1
    return first, last


def _section(data: bytes, lines: list[_Line], i: int, last: int, column: int,
             encoded: bool) -> Generator[SecretEntry, None, int]:
    """Entries of one data/stringData section starting at line ``i``; returns the next line."""
    entry_column: int | None = None
    while i < last:
        line = lines[i]
        if line.blank:
            i += 1
            continue
        if line.indent <= column:
            break
        if entry_column is None:
            entry_column = line.indent
        if line.indent != entry_column:
            break  # malformed or a flow value: stop reading this section
        nxt = i + 1
        while nxt < last and (lines[nxt].blank or lines[nxt].indent > entry_column):
            nxt += 1
        entry = _entry(data, lines[i:nxt], encoded)
        if entry is not None:
            yield entry
        i = nxt
    return i


def _entry(data: bytes, lines: list[_Line], encoded: bool) -> SecretEntry | None:
    head = lines[0]
    body_start = head.start + (len(data[head.start:head.end]) - len(data[head.start:head.end].lstrip()))
    m = _ENTRY.match(data, body_start, head.end)
    if m is None:
        return None
    key = m.group(2).decode("utf-8", "replace")
    start = m.end()
    raw = data[start:head.end].rstrip()
    more = list(lines[1:])
    while more and more[-1].blank:
        more.pop()
    block = _BLOCK_INDICATOR.match(raw)
    if block is not None:
        parts = [data[line.start:line.end] for line in more]
        width = min((len(p) - len(p.lstrip()) for p in parts if p.strip()), default=0)
        texts = [p[width:].decode("utf-8", "replace") for p in parts]
        joiner = "\n" if block.group(1) == b"|" else " "
        value = ("" if encoded else joiner).join(t.strip() if encoded else t for t in texts)
        return _make(key, value, start, more[-1].end if more else start + len(raw), encoded)
    single = _QUOTED.match(raw)
    if single is not None and not more:
        return _make(key, single.group(2).decode("utf-8", "replace"), start + 1, start + single.end(2), encoded)
    if raw[:1] in (b'"', b"'"):
        quote = raw[:1]
        texts = [raw.decode("utf-8", "replace")] + [data[line.start:line.end].strip().decode("utf-8", "replace")
                                                    for line in more]
        joined = " ".join(texts)
        if not joined.endswith(quote.decode()) or len(joined) < 2:
            return None
        end = more[-1].end if more else start + len(raw)
        return _make(key, joined[1:-1], start + 1, end - 1, encoded)
    raw = _COMMENT_TAIL.sub(b"", raw)
    if raw[:1] in (b"{", b"[", b"&", b"*", b"!"):
        return None  # flow collections, anchors, aliases and tags: not read here
    chunks = [raw] if raw else []
    chunks += [_COMMENT_TAIL.sub(b"", data[line.start:line.end]).strip() for line in more if not line.blank]
    value = ("" if encoded else " ").join(c.decode("utf-8", "replace") for c in chunks)
    end = more[-1].end if more else start + len(raw)
    return _make(key, value, start, end, encoded)


def _make(key: str, value: str, start: int, end: int, encoded: bool) -> SecretEntry | None:
    if not value or end <= start:
        return None
    return SecretEntry(key, value, start, end, encoded)
