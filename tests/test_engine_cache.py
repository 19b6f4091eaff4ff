"""The compiled database and the parsed rules are cached on disk by content."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import CORE_RULES, GITHUB_TOKEN
from dlp.engine import hyperscan_available, resolve_engine
from dlp.errors import UsageError
from dlp.ruleset import Ruleset, load_pack_file
from dlp.scan import scan


def test_unknown_engine_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown engine 'fast'"):
        resolve_engine("fast")
    assert resolve_engine("python") == "python"
    assert resolve_engine("auto") == ("hyperscan" if hyperscan_available() else "python")


@pytest.mark.skipif(not hyperscan_available(), reason="hyperscan is not installed")
def test_database_is_cached_and_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path))
    rules = load_pack_file(CORE_RULES)[1]
    Ruleset(rules).matcher("hyperscan")
    (db,) = tmp_path.glob("hs-*.db")
    stamp = db.stat().st_mtime_ns
    # a new process would build a new Ruleset: it must load, not recompile
    ruleset = Ruleset(rules)
    ruleset.matcher("hyperscan")
    assert db.stat().st_mtime_ns == stamp
    assert scan(f"t='{GITHUB_TOKEN}'".encode(), ruleset, engine="hyperscan")
    # a corrupt cache entry is a miss, not an error
    db.write_bytes(b"garbage")
    assert scan(f"t='{GITHUB_TOKEN}'".encode(), Ruleset(rules), engine="hyperscan")
    # an unwritable cache only costs a recompile
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "file-not-dir"))
    (tmp_path / "file-not-dir").write_text("x")
    assert scan(f"t='{GITHUB_TOKEN}'".encode(), Ruleset(rules), engine="hyperscan")


def test_parsed_rules_cache_tracks_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dlp import ruleset as module

    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(module, "_PACK_CACHE", {})
    pack = tmp_path / "p.yaml"
    pack.write_text(CORE_RULES.read_text())
    first = module._load_cached(pack, "p")[1]
    assert list((tmp_path / "cache").glob("rules-*.marshal"))
    monkeypatch.setattr(module, "_PACK_CACHE", {})
    assert [r.id for r in module._load_cached(pack, "p")[1]] == [r.id for r in first]
    pack.write_text(CORE_RULES.read_text().replace("t-aws-key-id", "t-aws-key-id-2"))
    os.utime(pack, ns=(1, 1))
    monkeypatch.setattr(module, "_PACK_CACHE", {})
    assert "t-aws-key-id-2" in [r.id for r in module._load_cached(pack, "p")[1]]


def test_ruleset_hash_covers_what_the_matchers_are_built_from() -> None:
    """The hash keys the database cache and the hook snapshot's matcher: every
    input of the compiled database, document gates included, must change it."""
    import dataclasses

    from dlp.ruleset import Context, Selection, load_ruleset

    rules = list(load_pack_file(CORE_RULES)[1])
    gated = next(r for r in load_ruleset(Selection(enable_packs=("all",))).rules
                 if r.context is not None and r.context.required and len(r.context.words) > 1)
    base = Ruleset([*rules, gated]).hash
    assert Ruleset([*rules, gated]).hash == base
    words, window = gated.context.words, gated.context.window
    changed = {
        "context words": dataclasses.replace(gated, context=Context(words[1:], window, True)),
        "context required": dataclasses.replace(gated, context=Context(words, window, False)),
        "pattern": dataclasses.replace(gated, pattern=gated.pattern + "x"),
        "keywords": dataclasses.replace(gated, keywords=(*gated.keywords, "zzz")),
    }
    for what, rule in changed.items():
        assert Ruleset([*rules, rule]).hash != base, what
