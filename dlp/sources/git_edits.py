"""What a new version of a file adds to the previous one, without a diff.

A history scan reads each distinct blob once and scans only what its commit
added (with some lines of context). ``git log -p`` would say which lines those
are, but computing every commit's patch costs git more than reading the blobs
does. Instead, in two steps:

1. :func:`cut`: the first and last lines both versions share are cut off with
   slice comparisons in C; what is left is the *middle* of each version.
2. :func:`added_windows`: a line in the middle of the new version whose text
   is not a line of the previous middle is *added*.
   Unlike a diff, a line that only moved within the changed region (or was
   copied there from within it) is not: the previous version, scanned at the
   same path, held it. Added lines, grouped into runs, with ``context`` lines
   either side, are the windows to scan.

Pure functions over bytes: no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True, slots=True)
class Cut:
    """The changed region of ``data`` against ``previous`` (byte offsets)."""

    begin: int  # start of the first line that differs (a line start in both versions)
    end: int  # end of the middle in ``data`` (a line start, or len(data))
    previous_end: int  # end of the middle in ``previous``


@dataclass(frozen=True, slots=True)
class Added:
    """Added lines of a text and the windows around them."""

    lines: tuple[tuple[int, int], ...]  # (start, count) 1-based line ranges
    windows: tuple[tuple[int, int, int], ...]  # (begin, end, first line): byte ranges of the text


def cut(data: bytes, previous: bytes) -> Cut | None:
    """The region of ``data`` that differs from ``previous``, or None when
    ``data`` only removes lines (nothing in it is new)."""
    shorter = min(len(data), len(previous))
    begin = data.rfind(b"\n", 0, common_prefix(data, previous, shorter)) + 1
    end = len(data) - common_suffix(data, previous, shorter - begin)
    if end < len(data):  # from its first newline, the common suffix is whole lines in both versions
        newline = data.find(b"\n", end)
        end = len(data) if newline < 0 else newline + 1
    if end <= begin:
        return None
    return Cut(begin, end, len(previous) - (len(data) - end))


def added_windows(text: bytes, begin: int, end: int, previous: bytes, first_line: int, context: int) -> Added:
    """The lines of ``text[begin:end]`` (whole lines) that are not lines of
    ``previous``, and the windows of ``context`` lines around them (within
    ``text``, merged when they touch). ``first_line`` is the line number of
    ``text[0]``."""
    old = set(previous.split(b"\n"))
    lines = text[begin:end].split(b"\n")
    if end > begin and text[end - 1] == 10:
        lines.pop()  # the empty text after the last newline is no line
    fresh = [i for i, line in enumerate(lines) if line not in old]
    if not fresh:
        return Added((), ())
    middle_line = first_line + text.count(b"\n", 0, begin)
    offsets = list(accumulate(map(len, lines), initial=0))  # C loops only

    def line_start(i: int) -> tuple[int, int]:
        """(byte offset, line number) of middle line ``i``; before or past the
        middle, as far as ``text`` goes."""
        if 0 <= i < len(lines):
            return begin + offsets[i] + i, middle_line + i
        if i < 0:
            at = lines_before(text, begin, -i)
            return at, middle_line - text.count(b"\n", at, begin)
        at = lines_after(text, end, i - len(lines))
        return at, middle_line + len(lines) + text.count(b"\n", end, at)

    added: list[tuple[int, int]] = []
    windows: list[tuple[int, int, int]] = []
    run_start = last = fresh[0]
    for i in (*fresh[1:], -1):
        if i == last + 1:
            last = i
            continue
        added.append((middle_line + run_start, last - run_start + 1))
        lo, lo_line = line_start(run_start - context)
        hi = line_start(last + 1 + context)[0]
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(hi, windows[-1][1]), windows[-1][2])
        else:
            windows.append((lo, hi, lo_line))
        run_start = last = i
    return Added(tuple(added), tuple(windows))


def lines_before(data: bytes, at: int, count: int) -> int:
    """The start of the line ``count`` lines before the line starting at ``at`` (or 0)."""
    for _ in range(count):
        if at <= 0:
            return 0
        at = data.rfind(b"\n", 0, at - 1) + 1
    return at


def lines_after(data: bytes, at: int, count: int) -> int:
    """The start of the line ``count`` lines after the line starting at ``at`` (or len(data))."""
    for _ in range(count):
        if at >= len(data):
            return len(data)
        newline = data.find(b"\n", at)
        at = len(data) if newline < 0 else newline + 1
    return at


def common_prefix(a: bytes, b: bytes, limit: int) -> int:
    """How many leading bytes ``a`` and ``b`` share, at most ``limit``: a
    binary search of slice comparisons (memcmp), no Python loop per byte."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many trailing bytes ``a`` and ``b`` share, at most ``limit``."""
    lo, hi = 0, max(limit, 0)
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid:la - lo] == b[lb - mid:lb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo
