"""dlp.regex_cache.compile gives re.compile's pattern, from disk after the first time."""
from __future__ import annotations

import marshal
import re
import types
from pathlib import Path

import pytest

from dlp import regex_cache

PATTERNS = [
    (rb"(?<![\w-])(?P<value>ghp_[A-Za-z0-9]{36})(?![\w-])", re.MULTILINE),
    (rb"^[ \t]*(?:export[ \t]+)?(?P<name>[A-Z_]+)=(?P<value>\S{8,})$", re.MULTILINE),
    (r"(?i)(?:your|my)[_\- ]?(?:api[_\- ]?)?(?:key|token)|(.)\1{7,}", 0),
    (r"""\$\{[^}]*\}   # ${VAR}
       | <[A-Z_]+>     # <TOKEN>""", re.VERBOSE),
    ("(?u)café|naïve", re.IGNORECASE),
]


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    return tmp_path


def _no_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("compiled again")

    monkeypatch.setattr(regex_cache, "re", types.SimpleNamespace(DEBUG=re.DEBUG, compile=refuse))
    monkeypatch.setattr(regex_cache, "_programs", refuse)


@pytest.mark.parametrize("pattern, flags", PATTERNS)
def test_same_pattern_from_disk(cache: Path, monkeypatch: pytest.MonkeyPatch, pattern: str | bytes,
                                flags: int) -> None:
    first = regex_cache.compile(pattern, flags)
    assert first == re.compile(pattern, flags)
    assert len(list(cache.glob("re-*.marshal"))) == 1
    _no_compile(monkeypatch)
    second = regex_cache.compile(pattern, flags)
    expected = re.compile(pattern, flags)
    assert second == expected and second is not expected
    assert (second.groupindex, second.groups, second.flags) == (expected.groupindex, expected.groups, expected.flags)
    sample: str | bytes = b"export TOKEN=ghp_" + b"a" * 36 if isinstance(pattern, bytes) else "my api key café"
    assert [m.span() for m in second.finditer(sample)] == [m.span() for m in expected.finditer(sample)]


def test_bad_or_foreign_cache_files_are_not_used(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pattern, flags = PATTERNS[0]
    regex_cache.compile(pattern, flags)
    (path,) = cache.glob("re-*.marshal")
    stored, stored_flags, program = marshal.loads(path.read_bytes())
    program = (program[0], [*program[1][:-3], 255, 255, 255], *program[2:])  # an invalid program
    path.write_bytes(marshal.dumps((stored, stored_flags, program)))
    path.chmod(0o600)
    assert regex_cache.compile(pattern, flags) == re.compile(pattern, flags)  # refused by the engine: recompiled
    assert marshal.loads(path.read_bytes())[2] != program  # and stored again
    path.chmod(0o666)  # writable by others: not read
    _no_compile(monkeypatch)
    with pytest.raises(AssertionError, match="compiled again"):
        regex_cache.compile(pattern, flags)


def test_bad_pattern_raises_as_re_does(cache: Path) -> None:
    with pytest.raises(re.error):
        regex_cache.compile(r"(unclosed")
    assert not list(cache.glob("re-*.marshal"))
