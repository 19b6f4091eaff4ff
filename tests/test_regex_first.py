"""dlp.regex_first: the bytes a match can begin with, and regex_cache's
programs that skip to them (the same matches as re.compile's)."""
from __future__ import annotations

import re
from pathlib import Path
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlp import regex_cache
from dlp.regex_cache import _programs
from dlp.regex_first import first_bytes
from dlp.ruleset import RE_FLAGS, Selection, load_ruleset

DIGITS = set(b"0123456789")

# pattern, flags, the bytes its matches begin with (None: not known, or any byte)
FIRST_BYTES = [
    (rb"(?<![\w.-])(?P<value>\d{12})(?![\w@+-])", re.MULTILINE, DIGITS),
    (rb"\b(?:Encik|Puan)\b", 0, set(b"EP")),
    (rb"(?i)\bghp_", 0, set(b"gG")),
    (rb"(?i:ab)|C", 0, set(b"aAC")),
    (rb"(?i)x(?-i:y)", 0, set(b"xX")),
    (rb"(?i)(?-i:y)x", 0, set(b"y")),
    (rb"a?b", 0, set(b"ab")),
    (rb"(?:x|)y", 0, set(b"xy")),
    (rb"(?=\d)\w", 0, set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")),
    (rb"^[ \t]*(?:export[ \t]+)?K=", re.MULTILINE, set(b" \teK")),
    (rb"(?i)[^a-y]", 0, set(range(256)) - set(b"abcdefghijklmnopqrstuvwxyABCDEFGHIJKLMNOPQRSTUVWXY")),
    (rb"(?>ab|c)d", 0, set(b"ac")),
    (rb"a*", 0, None),  # matches the empty string: anywhere
    (rb"(?<!x)", 0, None),
    (rb"(a)\1", 0, set(b"a")),  # read up to the first byte only
    (rb"(a?)\1b", 0, None),  # a backreference before it
    (rb"(?:x|.)", 0, None),  # any byte
    (rb"[^x]", 0, None),
    (rb"(?L)a", 0, None),  # locale: case and classes are not ASCII's
]


@pytest.mark.parametrize("pattern, flags, expected", FIRST_BYTES)
def test_first_bytes(pattern: bytes, flags: int, expected: set[int] | None) -> None:
    found = first_bytes(_parser.parse(pattern, flags), flags)
    if expected is None or len(expected) == 256:
        assert found is None
    else:
        assert found == expected


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    return tmp_path


def _spans(regex: re.Pattern[bytes], text: bytes, pos: int = 0, endpos: int | None = None
           ) -> list[tuple[tuple[int, int], tuple[bytes | None, ...]]]:
    end = len(text) if endpos is None else endpos
    return [(m.span(), m.groups()) for m in regex.finditer(text, pos, end)]


@pytest.mark.parametrize("pattern, flags, expected", FIRST_BYTES[:12])
def test_program_skips_to_first_bytes_and_finds_the_same(cache: Path, pattern: bytes, flags: int,
                                                          expected: set[int]) -> None:
    skipping = regex_cache.compile(pattern, flags, first_bytes=True)
    plain = re.compile(pattern, flags)
    for text in (b"", b"a 880101011234 b", b" Encik Ali, puan X", b"export K=1\n  K=2", b"xy Xy y yX cd abd",
                 b"GHP_ ghp_ 9a_b", b"zzZ{}"):
        assert _spans(skipping, text) == _spans(plain, text)
        assert _spans(skipping, text, 2, max(2, len(text) - 1)) == _spans(plain, text, 2, max(2, len(text) - 1))
    second = regex_cache.compile(pattern, flags, first_bytes=True)  # from disk
    assert second == skipping and second is not skipping
    assert regex_cache.compile(pattern, flags) == plain  # the plain program is kept apart


# Patterns built from the pieces the rules use: literals, classes, optional
# and repeated parts, alternatives, caseless groups, lookarounds and anchors.
_ALPHABET = b"ab0_ .-\n\xc3"
_atom = st.sampled_from([b"a", b"b", b"0", b"_", b" ", b"\\.", b"\\d", b"\\w", b"\\s", b"[a0]", b"[^a]",
                         b"[\\w.-]", b"[^\\W_]", b".", b"\\xc3", b"(?i:A)", b"(?i:[B-C])"])
_zero = st.sampled_from([b"\\b", b"\\B", b"^", b"$", b"(?<![\\w.-])", b"(?<!a)", b"(?=\\d)", b"(?!b)",
                         b"(?<=\\s)"])


@st.composite
def _patterns(draw: st.DrawFn, depth: int = 0) -> bytes:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 5 if depth < 2 else 2))
        if kind <= 1:
            parts.append(draw(_atom))
        elif kind == 2:
            parts.append(draw(_zero))
        elif kind == 3:
            parts.append(b"(?:" + draw(_patterns(depth + 1)) + b")" + draw(st.sampled_from([b"?", b"*", b"+",
                                                                                            b"{2}", b"{0,2}"])))
        elif kind == 4:
            parts.append(b"(?:" + draw(_patterns(depth + 1)) + b"|" + draw(_patterns(depth + 1)) + b")")
        else:
            parts.append(b"(?P<v" + str(depth).encode() + b">" + draw(_patterns(depth + 1)) + b")")
    return b"".join(parts)


def _de_bruijn(alphabet: bytes, n: int) -> bytes:
    """Every string of ``n`` bytes of ``alphabet`` occurs in the result once."""
    k = len(alphabet)
    a = [0] * k * n
    out: list[int] = []

    def step(t: int, p: int) -> None:
        if t > n:
            if n % p == 0:
                out.extend(a[1:p + 1])
        else:
            a[t] = a[t - p]
            step(t + 1, p)
            for j in range(a[t - p] + 1, k):
                a[t] = j
                step(t + 1, t)

    step(1, 1)
    return bytes(alphabet[i] for i in out + out[:n - 1])


# every three bytes of the alphabet, in every context: a first byte the
# pattern can begin with but the set lacks is met there
_EVERY_TRIGRAM = _de_bruijn(_ALPHABET, 3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pattern=_patterns(), caseless=st.booleans(),
       text=st.lists(st.sampled_from(list(_ALPHABET)), max_size=40).map(bytes))
def test_skipping_finds_what_re_finds(cache: Path, pattern: bytes, caseless: bool, text: bytes) -> None:
    flags = re.MULTILINE | (re.IGNORECASE if caseless else 0)
    try:
        plain = re.compile(pattern, flags)
    except re.error:
        return  # e.g. a group name drawn twice
    skipping = regex_cache.compile(pattern, flags, first_bytes=True)
    for haystack in (text, _EVERY_TRIGRAM):
        assert _spans(skipping, haystack) == _spans(plain, haystack)
        assert _spans(skipping, haystack, 1, len(haystack)) == _spans(plain, haystack, 1, len(haystack))


def test_every_rule_pattern_skips(cache: Path) -> None:
    """Each built-in rule's regex starts its search where a match can begin:
    re's own prefix or set, or the bytes dlp.regex_first reads (a rule this
    fails for is searched at every byte of every line it runs on)."""
    ruleset = load_ruleset(Selection(enable_packs=("all",)))
    searched_everywhere = []
    for rule in ruleset.rules:
        plain, skipping = _programs(rule.pattern.encode("utf-8"), RE_FLAGS, True)
        if not plain[1][2] & (C.SRE_INFO_PREFIX | C.SRE_INFO_CHARSET) and skipping is None:
            searched_everywhere.append(rule.id)
    assert searched_everywhere == []
