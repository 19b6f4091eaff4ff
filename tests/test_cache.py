"""Derived-data caches: the parsed `.dlp.yaml` memo (dlp.cache.memo_json)."""
from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from dlp import cache, config
from dlp.errors import ConfigError


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counting(value: Any) -> tuple[list[int], Any]:
    calls: list[int] = []

    def parse() -> Any:
        calls.append(1)
        return value

    return calls, parse


def test_memo_parses_once_per_text() -> None:
    value = {"rules": {"enable": ["pii/my"]}, "max_file_size": 1.5, "on_error": "allow", "x": [1, True, None]}
    calls, parse = _counting(value)
    assert cache.memo_json("t", "text one", parse) == value
    assert cache.memo_json("t", "text one", parse) == value
    assert len(calls) == 1
    assert cache.memo_json("t", "text two", parse) == value
    assert len(calls) == 2


@pytest.mark.parametrize("value", [
    {1: "int key"}, {"when": datetime.date(2024, 1, 1)}, {"n": float("nan")}, {"s": {1, 2}}, {"b": b"x"},
    {"k": [1, {True: 2}]},
])
def test_values_json_would_change_are_not_cached(value: Any) -> None:
    calls, parse = _counting(value)
    first = cache.memo_json("t", "same", parse)
    second = cache.memo_json("t", "same", parse)
    assert first is value and second is value
    assert len(calls) == 2


def test_errors_are_not_cached_and_damage_is_a_miss(_own_cache: Path) -> None:
    def broken() -> Any:
        raise ConfigError("bad")

    for _ in range(2):
        with pytest.raises(ConfigError):
            cache.memo_json("t", "broken", broken)
    calls, parse = _counting({"a": 1})
    cache.memo_json("t", "ok", parse)
    (entry,) = _own_cache.glob("t-*.json")
    entry.write_text("{not json")
    assert cache.memo_json("t", "ok", parse) == {"a": 1}
    assert len(calls) == 2


def test_load_config_reads_the_memo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ".dlp.yaml"
    path.write_text("rules:\n  enable: [pii/my]\nexclude: ['*.min.js']\nproprietary:\n  paths: [src/core/]\n")
    fresh = config.load_config(path)
    calls: list[int] = []
    real = config._parse_yaml
    monkeypatch.setattr(config, "_parse_yaml", lambda p, t: calls.append(1) or real(p, t))
    again = config.load_config(path)
    assert calls == []  # from the memo
    assert again.raw == fresh.raw and again.selection == fresh.selection
    path.write_text("rules:\n  enable: [pii/sg]\n")
    assert config.load_config(path).selection.enable_packs == ("pii/sg",)
    assert calls == [1]
    path.write_text("rules: [unclosed\n")
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid YAML"):
            config.load_config(path)


def test_policy_pattern_check_is_remembered_only_when_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    from dlp import policy

    calls: list[tuple[str, ...]] = []
    real = policy._spec
    monkeypatch.setattr(policy, "_spec", lambda patterns: calls.append(patterns) or real(patterns))
    monkeypatch.setattr(policy, "_SPEC_CACHE", {})
    good = {"proprietary": {"paths": ["src/pricing/", "*.pem"]}}
    assert policy.parse_policy(good).is_proprietary("src/pricing/x.py")
    policy.parse_policy(good)
    assert calls.count(("src/pricing/", "*.pem")) == 2  # checked, then used by is_proprietary: not re-checked
    for _ in range(2):
        with pytest.raises(ConfigError, match="invalid pattern"):
            policy.parse_policy({"proprietary": {"paths": ["src/", "!"]}})
    assert calls.count(("src/", "!")) == 2


@pytest.mark.parametrize("data", [b"", b"abc", "r\0pattern \u00e9".encode(), bytes(range(256)) * 9])
def test_sha256_is_hashlib_sha256(data: bytes) -> None:
    import hashlib

    assert cache.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    h = cache.sha256()
    h.update(data)
    h.update(b"more")
    assert h.hexdigest() == hashlib.sha256(data + b"more").hexdigest()
