"""k-gram hashes and robust winnowing (Schleimer, Wilkerson, Aiken, SIGMOD 2003).

Every run of ``K`` consecutive normalised tokens (a k-gram) is hashed to 32
bits (CRC-32 of the token bytes, stored as a signed 32-bit integer so SQLite
keeps it in four bytes).  Of the hashes, winnowing keeps the minimum of every
window of ``W`` consecutive hashes, recording a new fingerprint only when the
selected position changes; among equal minima the one already selected is
kept, otherwise the rightmost (robust winnowing), so runs of repeated tokens do
not flood the index.

Guarantee: two texts that share a run of at least ``W + K - 1`` normalised
tokens share at least one fingerprint.  Such a run contains ``W`` whole
k-grams, i.e. one whole window, and both texts select that window's minimum
hash.  Runs shorter than ``K`` tokens are never detected (noise threshold).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from zlib import crc32

from .tokenize import Tokens

K = 12  # tokens per k-gram
W = 24  # k-grams per window
GUARANTEE = W + K - 1  # shared runs at least this long (in tokens) are always found


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """One selected k-gram: its hash, token position and source lines."""

    hash: int  # signed 32-bit
    position: int  # index of the k-gram's first token
    start_line: int
    end_line: int


def _signed(value: int) -> int:
    return value - 0x1_0000_0000 if value & 0x8000_0000 else value


def kgram_hashes(stream: bytes, k: int = K) -> list[int]:
    """Unsigned CRC-32 of every k-gram of ``stream`` (empty if shorter than k)."""
    return [crc32(stream[i : i + k]) for i in range(len(stream) - k + 1)]


def winnow_positions(hashes: list[int], w: int = W) -> list[int]:
    """Positions selected by robust winnowing, in increasing order.

    Equivalent to sliding a window of ``w`` hashes one step at a time and, in
    each window, keeping the previously selected position if it is still in
    the window and still minimal, else taking the rightmost minimum; but each
    hash is looked at about twice instead of ``w`` times.
    """
    n = len(hashes)
    if n == 0:
        return []
    if n < w:  # one partial window: its rightmost minimum
        low = min(hashes)
        return [n - 1 - hashes[::-1].index(low)]
    window = hashes[:w]
    value = min(window)
    pos = w - 1 - window[::-1].index(value)
    selected = [pos]
    end = w - 1  # last hash of the current window
    last = n - 1
    while True:
        # windows keep ``pos`` while it is inside them: until end reaches pos + w - 1
        limit = pos + w - 1
        limit = min(limit, last)
        if end < limit and min(hashes[end + 1 : limit + 1]) < value:
            q = end + 1
            while hashes[q] >= value:
                q += 1
            pos, value, end = q, hashes[q], q
            selected.append(pos)
            continue
        if limit == last:
            return selected
        # ``pos`` leaves: the window starting right after it takes its rightmost minimum
        window = hashes[pos + 1 : pos + 1 + w]
        value = min(window)
        end = pos + w
        pos = end - window[::-1].index(value)
        selected.append(pos)


# A k-gram made only of these tokens (identifiers, literals, call and list
# punctuation: ``I ( I , I ) ; I . I ( S``) says nothing about where code came
# from: every code base is full of such call sequences.  Such fingerprints are
# dropped on both sides.
WEAK_TOKENS = b"ISN(),;.[]&*"


def is_weak(kgram: bytes) -> bool:
    return not kgram.translate(None, WEAK_TOKENS)


def fingerprints(tokens: Tokens, *, k: int = K, w: int = W) -> tuple[Fingerprint, ...]:
    """Winnowed fingerprints of a token stream, with the lines they span (weak ones left out)."""
    stream = tokens.stream
    hashes = kgram_hashes(stream, k)
    line_of = tokens.line_of
    return tuple(
        Fingerprint(_signed(hashes[p]), p, line_of(p), line_of(p + k - 1))
        for p in winnow_positions(hashes, w)
        if stream[p : p + k].translate(None, WEAK_TOKENS)
    )


def fingerprint_rows(tokens: Tokens, *, k: int = K, w: int = W) -> list[tuple[int, int, int]]:
    """(hash, start_line, end_line) of each winnowed, non-weak fingerprint: the fast path for indexing."""
    stream = tokens.stream
    hashes = kgram_hashes(stream, k)
    starts = tokens.line_starts
    return [
        (_signed(hashes[p]), bisect_right(starts, p), bisect_right(starts, p + k - 1))
        for p in winnow_positions(hashes, w)
        if stream[p : p + k].translate(None, WEAK_TOKENS)
    ]


def all_hashes(tokens: Tokens, *, k: int = K) -> set[int]:
    """Every k-gram hash (signed), for stop sets."""
    return {_signed(h) for h in kgram_hashes(tokens.stream, k)}
