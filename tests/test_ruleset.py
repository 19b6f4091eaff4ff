"""The rule loader rejects every malformed rule at load time, naming file and rule."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlp.errors import RuleError
from dlp.model import Category
from dlp.ruleset import Selection, load_pack_file, load_ruleset

GOOD = """\
  - id: demo-token
    name: Demo token
    category: secret
    severity: high
    pattern: '\\b(?P<value>demo_[a-z0-9]{20})\\b'
    keywords: [demo_]
    examples:
      positive: ['x = demo_a1b2c3d4e5f6g7h8i9j0']
      negative: ['x = demo_short']
"""


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pack.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _rule(**changes: str) -> str:
    """GOOD with keys replaced (a YAML snippet) or removed (empty string)."""
    rule = yaml.safe_load(GOOD)[0]
    for key, value in changes.items():
        if value:
            rule[key] = yaml.safe_load(value)
        else:
            rule.pop(key, None)
    return yaml.safe_dump({"rules": [rule]}, allow_unicode=True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_rule(colour="red"), "rule 'demo-token': unknown key 'colour'"),
        (_rule(category="password"), "rule 'demo-token': category must be one of"),
        (_rule(severity="urgent"), "rule 'demo-token': severity must be one of"),
        (_rule(pattern="'demo_[a-z'"), "rule 'demo-token': pattern does not compile"),
        (_rule(pattern="'x*'"), "rule 'demo-token': pattern matches the empty string"),
        (_rule(pattern="'(?P<secret>demo_[a-z]{20})'"), "value group must be named 'value'"),
        (_rule(validators="[nope]"), "rule 'demo-token': unknown validator 'nope'"),
        (_rule(validators="[{entropy: {maximum: 3}}]"), "rule 'demo-token': validator 'entropy'"),
        (_rule(validators="[entropy]"), "rule 'demo-token': validator 'entropy'"),
        (_rule(context="{words: [a], window: 0}"), "context.window must be an integer"),
        (_rule(context="{required: true}"), "context.required needs context.words"),
        (_rule(context="{words: [a], near: 3}"), "context: unknown key 'near'"),
        (_rule(context="{words: [a], scope: file}"), "context.scope must be line, document or column"),
        (_rule(context="{words: [a], required: true, header: [b]}"), "context.header is for scope: column"),
        (_rule(context="{words: [a], scope: column}"), "scope: column needs required: true"),
        (_rule(context="{words: [a], required: true, exclude: [sku]}"), "context.exclude is for optional context"),
        (_rule(allow="['(unclosed']"), "allow pattern '(unclosed' does not compile"),
        (_rule(jurisdiction="xx"), "jurisdiction must be one of"),
        ("rules:\n" + GOOD.replace("id: demo-token", "id: 'Bad ID'"), "id must match"),
        (_rule(examples=""), "missing required key 'examples'"),
        (_rule(examples="{positive: [a]}"), "examples.negative must be a non-empty list"),
        (_rule(keywords="demo_"), "'keywords' must be a list of strings"),
        ("rules:\n" + GOOD + GOOD, "rule 'demo-token': duplicate id"),
        ("rules: {}\n", "'rules' must be a list"),
        ("colour: red\nrules: []\n", "unknown key 'colour'"),
        ("rules:\n  - id: a\n    id: b\n", "duplicate key 'id'"),
        ("rules: [\n", "invalid YAML"),
        ("- just a list\n", "a rule file is a mapping"),
    ],
)
def test_invalid_rule_files_fail_at_load_with_location(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(RuleError) as info:
        _, rules = load_pack_file(path)
        load_ruleset(Selection(), pack_files={"pack": path})
    assert str(path) in str(info.value)
    assert message in str(info.value)


def test_good_rule_loads(tmp_path: Path) -> None:
    _, rules = load_pack_file(_write(tmp_path, "rules:\n" + GOOD))
    (rule,) = rules
    assert rule.id == "demo-token"
    assert rule.keywords == ("demo_",)
    assert rule.positive[0].text.startswith("x = demo_")


@pytest.mark.parametrize(("category", "scope", "line"), [
    ("secret", None, False), ("pii", None, True), ("pii", "document", False), ("secret", "line", True),
])
def test_context_scope_defaults_by_category(tmp_path: Path, category: str, scope: str | None, line: bool) -> None:
    context = "{words: [demo]" + (f", scope: {scope}" if scope else "") + "}"
    _, rules = load_pack_file(_write(tmp_path, _rule(category=category, context=context)))
    assert rules[0].context is not None and rules[0].context.line is line


def test_unreadable_rule_file_is_a_rule_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="cannot read rule file"):
        load_pack_file(tmp_path / "missing.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"rules: []\n# caf\xe9\n")
    with pytest.raises(RuleError, match="cannot read rule file"):
        load_pack_file(bad)


def test_yaml_merge_keys_are_allowed(tmp_path: Path) -> None:
    body = "rules:\n" + GOOD.replace("  - id: demo-token\n", "  - &base\n    id: demo-token\n") + (
        "  - <<: *base\n    id: demo-token-2\n"
    )
    _, rules = load_pack_file(_write(tmp_path, body))
    assert [r.id for r in rules] == ["demo-token", "demo-token-2"]


def test_unknown_pack_or_rule_in_selection(tmp_path: Path) -> None:
    path = _write(tmp_path, "rules:\n" + GOOD)
    with pytest.raises(RuleError, match="unknown rule pack 'nope'"):
        load_ruleset(Selection(enable_packs=("nope",)), pack_files={"pack": path})
    with pytest.raises(RuleError, match="unknown rule 'nope'"):
        load_ruleset(Selection(disable_rules=("nope",)), pack_files={"pack": path})


def test_selection_filters(tmp_path: Path) -> None:
    on = tmp_path / "on.yaml"
    on.write_text("rules:\n" + GOOD, encoding="utf-8")
    off = tmp_path / "off.yaml"
    off.write_text("default: false\nrules:\n" + GOOD.replace("demo-token", "demo-off"), encoding="utf-8")
    files = {"x/on": on, "x/off": off}
    assert [r.id for r in load_ruleset(Selection(), pack_files=files)] == ["demo-token"]
    assert {r.id for r in load_ruleset(Selection(enable_packs=("x",)), pack_files=files)} == {"demo-token", "demo-off"}
    assert [r.id for r in load_ruleset(Selection(disable_packs=("x/on",)), pack_files=files)] == []
    assert [r.id for r in load_ruleset(Selection(disable_rules=("demo-token",)), pack_files=files)] == []
    from dlp.model import Severity

    assert [r.id for r in load_ruleset(Selection(min_severity=Severity.CRITICAL), pack_files=files)] == []


def test_disk_cache_round_trips_every_builtin_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parsed-rules cache stores plain tuples: every field of every built-in
    rule (validators with arguments, context, examples) comes back equal."""
    from dlp import ruleset as module

    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    checked = 0
    for pack, path in module.builtin_pack_files().items():
        default, rules = load_pack_file(path, pack=pack)
        key = (str(path), pack, 1, 2)
        module._disk_store(key, (default, rules))
        loaded = module._disk_load(key)
        assert loaded is not None and loaded[0] == default and list(loaded[1]) == rules
        checked += len(rules)
    assert checked > 100
    assert any(r.validators and r.validators[0].args for r in load_ruleset(Selection(enable_packs=("all",))))


def test_cached_rules_are_decoded_on_use_and_hash_as_decoded(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A ruleset from the disk cache decodes a rule only when it is used; its
    selection, ids and hash are those of the decoded rules."""
    import hashlib

    from dlp import ruleset as module

    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(module, "_PACK_CACHE", {})
    parsed = load_ruleset(Selection(enable_packs=("all",)))  # parses YAML, fills the disk cache
    monkeypatch.setattr(module, "_PACK_CACHE", {})
    cached = load_ruleset(Selection(enable_packs=("all",)))
    packs = {id(rules): rules for rules, _ in cached.rules.picks}.values()
    assert all(isinstance(rules, module._CachedRules) for rules in packs)
    assert cached.hash == parsed.hash
    assert not any(r is not None for rules in packs for r in rules._decoded)  # hashing decoded nothing
    third = cached.rules[3]
    assert cached.get(third.id) is third and third.id in cached and "no-such-rule" not in cached
    assert sum(r is not None for rules in packs for r in rules._decoded) == 1
    assert [r.id for r in cached] == [r.id for r in parsed] and list(cached) == list(parsed)
    # the hash is the one of the fields the matchers compile, rule by rule
    h = hashlib.sha256()
    for rule in parsed:
        one = hashlib.sha256()
        one.update(rule.id.encode() + b"\0" + rule.pattern.encode() + b"\0" + (rule.prefilter or "").encode())
        one.update(b"\0".join(k.encode() for k in rule.keywords) + b"\1")
        one.update((b"m" if rule.multiline else b"s") + rule.category.value.encode() + b"\0")
        if rule.context is not None:
            one.update(b"r" if rule.context.required else b"o")
            one.update(b"c" if rule.context.column else b"")
            one.update(b"\0".join(w.encode() for w in rule.context.words) + b"\1")
        h.update(one.digest())
    assert cached.hash == h.hexdigest() == module.Ruleset(list(parsed)).hash
    assert len(load_ruleset(Selection(enable_packs=("all",), categories=(Category.PII,)))) == sum(
        r.category is Category.PII for r in parsed)


def test_disk_cache_damage_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dlp import ruleset as module

    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    path = next(iter(module.builtin_pack_files().values()))
    key = (str(path), "p", 1, 2)
    module._disk_store(key, load_pack_file(path, pack="p"))
    blob = module._disk_path(key).read_bytes()
    for damaged in (b"", b"garbage", blob[: len(blob) // 2]):
        module._disk_path(key).write_bytes(damaged)
        assert module._disk_load(key) is None
    # a cache written for another layout of Rule is not used
    import marshal

    names, default, heads, hashed, rows = marshal.loads(blob)
    module._disk_path(key).write_bytes(marshal.dumps((names[:-1], default, heads, hashed, rows)))
    assert module._disk_load(key) is None
    # nor one whose rows, heads and hashed fields disagree
    module._disk_path(key).write_bytes(marshal.dumps((names, default, heads, hashed[:-1], rows)))
    assert module._disk_load(key) is None
    module._disk_path(key).write_bytes(marshal.dumps((names, default, [h[:-1] for h in heads], hashed, rows)))
    assert module._disk_load(key) is None
    module._disk_path(key).write_bytes(marshal.dumps((names, default, heads, hashed, rows)))
    assert module._disk_load(key) is not None


def test_pack_files_are_named_and_ordered_like_sorted_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dlp.ruleset import builtin_pack_files

    for rel in ("b.yaml", "a-b/x.yaml", "a/b.yaml", "a/a/z.yaml", "a.b/c.yaml", "A/q.yaml", "notes.txt", "a/c.yml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("rules: []\n")
    monkeypatch.setenv("DLP_RULES_DIR", str(tmp_path))
    expected = {p.relative_to(tmp_path).with_suffix("").as_posix(): p for p in sorted(tmp_path.rglob("*.yaml"))}
    found = builtin_pack_files()
    assert list(found.items()) == list(expected.items())
    assert list(found) == ["A/q", "a/a/z", "a/b", "a-b/x", "a.b/c", "b"]


# --------------------------------------------------------------------------- rule paths: two matchers, one answer

_GLOB_CHARS = list("ab.*?-_eEt")
_COMPONENTS = ["a", "b.tf", ".env", "x.tf.json", ".", "..", "ab", "e.t", ".a", "a.", "-_", "TF", "a.tf", ""]


@pytest.mark.parametrize(("patterns", "path", "expected"), [
    (("*.tf",), "infra/main.tf", True),
    (("*.tf",), "main.tf.bak", False),
    (("*.tf",), "modules.tf/readme.md", True),  # a folder's name matches too, as in .gitignore
    (("*.tf", "*.tfvars"), "./prod.tfvars", True),
    ((".env",), "app/.env", True),
    ((".env",), "app/.env.example", False),
    (("*.TF",), "main.tf", False),  # case-sensitive, like pathspec
])
def test_rule_paths_match_like_gitignore(patterns: tuple[str, ...], path: str, expected: bool) -> None:
    from dlp.ruleset import _ComponentGlobs, _path_spec

    assert isinstance(_path_spec(patterns), _ComponentGlobs)
    assert _path_spec(patterns).match_file(path) is expected


def test_rule_paths_beyond_simple_globs_use_pathspec() -> None:
    from dlp.ruleset import _ComponentGlobs, _path_spec

    for patterns in (("infra/*.tf",), ("**/*.tf",), ("!keep.tf",), ("[ab].tf",), ("a\\*",)):
        assert not isinstance(_path_spec(patterns), _ComponentGlobs), patterns


def test_simple_rule_paths_match_without_importing_pathspec() -> None:
    import subprocess
    import sys

    code = ("import sys\nfrom dlp.ruleset import _path_spec\n"
            "assert _path_spec(('*.tf', '*.tf.json', '*.tfvars', '*.hcl')).match_file('x/main.tf')\n"
            "print('pathspec' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@settings(max_examples=600, deadline=None)
@given(st.lists(st.text(st.sampled_from(_GLOB_CHARS), min_size=1, max_size=6), min_size=1, max_size=3),
       st.sampled_from(["", "/", "./", "../"]),
       st.lists(st.sampled_from(_COMPONENTS), min_size=1, max_size=4),
       st.sampled_from(["", "/", "//x.tf"]))
def test_component_globs_agree_with_pathspec(patterns: list[str], prefix: str, parts: list[str], suffix: str) -> None:
    """The fast matcher and pathspec's GitIgnoreSpec give the same answer on every simple pattern."""
    import pathspec

    from dlp.ruleset import _SIMPLE_GLOB, _ComponentGlobs

    simple = tuple(p for p in patterns if _SIMPLE_GLOB.fullmatch(p))
    assume(simple)
    path = prefix + "/".join(parts) + suffix
    assert _ComponentGlobs(simple).match_file(path) == pathspec.GitIgnoreSpec.from_lines(simple).match_file(path)
