"""Policy parsing and action precedence (rule > category+severity > category > default),
destinations, cross-border PII, proprietary paths, strict errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlp.errors import ConfigError
from dlp.model import Action, Category, Finding, Origin, Severity
from dlp.policy import (
    PATH_RULE_ID,
    normalize_host,
    parse_policy,
    scan_selection,
    selection_for,
)

A, R, B = Action.ALLOW, Action.REDACT, Action.BLOCK


def finding(rule_id: str = "r", category: Category = Category.SECRET, severity: Severity = Severity.HIGH,
            **attributes: object) -> Finding:
    return Finding(rule_id=rule_id, category=category, severity=severity, message="m", start=0, end=1,
                   line=1, column=1, end_line=1, end_column=2, masked="*", fingerprint="sha256:0", value="v",
                   origin=Origin(), attributes=tuple(attributes.items()))


SECRET_HIGH = finding("github-pat", Category.SECRET, Severity.HIGH)
SECRET_LOW = finding("generic", Category.SECRET, Severity.LOW)
PII_MY = finding("my-nric", Category.PII, Severity.CRITICAL, jurisdiction="my", pii_class="personal")
PII_SG_SENSITIVE = finding("sg-nric", Category.PII, Severity.HIGH, jurisdiction="sg", pii_class="sensitive")
PII_GLOBAL = finding("email", Category.PII, Severity.LOW, jurisdiction="global", pii_class="personal")
CODE = finding("proprietary-code", Category.PROPRIETARY, Severity.HIGH)
PATH = finding(PATH_RULE_ID, Category.PROPRIETARY, Severity.HIGH)


@pytest.mark.parametrize(("item", "expected"), [
    (SECRET_HIGH, B), (SECRET_LOW, B), (PII_MY, R), (PII_SG_SENSITIVE, R), (CODE, B), (PATH, B),
])
def test_defaults(item: Finding, expected: Action) -> None:
    assert parse_policy({}).action_for(item) is expected


PRECEDENCE = {
    "actions": {
        "default": "allow",
        "secret": {"default": "block", "low": "redact"},
        "pii": {"default": "redact", "sensitive": "block", "critical": "allow"},
        "rules": {"email": "block"},
    },
}


@pytest.mark.parametrize(("item", "expected", "why"), [
    (SECRET_HIGH, B, "category default"),
    (SECRET_LOW, R, "category+severity beats category"),
    (PII_MY, A, "category+severity (critical) beats tier and category"),
    (PII_SG_SENSITIVE, B, "category+tier beats category"),
    (PII_GLOBAL, B, "rule beats everything"),
    (CODE, B, "categories not mentioned keep their built-in default"),
])
def test_precedence(item: Finding, expected: Action, why: str) -> None:
    assert parse_policy(PRECEDENCE).action_for(item) is expected, why


def test_default_covers_unmentioned_categories_only_when_builtins_do_not() -> None:
    policy = parse_policy({"actions": "allow"})
    assert policy.action_for(SECRET_HIGH) is B  # built-in category default
    policy = parse_policy({"actions": {"default": "allow", "secret": "allow", "pii": "allow", "proprietary": "allow"}})
    assert all(policy.action_for(f) is A for f in (SECRET_HIGH, PII_MY, CODE, PATH))


def test_pii_tier_actions() -> None:
    policy = parse_policy({"pii": {"actions": {"personal": "allow", "sensitive": "block"}},
                           "actions": {"pii": "redact"}})
    assert policy.action_for(PII_MY) is A
    assert policy.action_for(PII_SG_SENSITIVE) is B


def tiered(level: str, pii_class: str = "personal", severity: Severity = Severity.MEDIUM) -> Finding:
    from dlp.records import replace

    return replace(finding("r", Category.PII, severity, jurisdiction="my", pii_class=pii_class),
                   tags=("pii", level))


@pytest.mark.parametrize(("config", "item", "expected"), [
    # pii.actions per tier: the three tiers of docs/pii.md
    ({"pii": {"actions": {"tier-1": "block", "tier-2": "redact", "tier-3": "allow"}}}, tiered("tier-1"), B),
    ({"pii": {"actions": {"tier-1": "block", "tier-2": "redact", "tier-3": "allow"}}}, tiered("tier-2"), R),
    ({"pii": {"actions": {"tier-1": "block", "tier-2": "redact", "tier-3": "allow"}}}, tiered("tier-3"), A),
    # the tier tag before the class, in the same table
    ({"pii": {"actions": {"sensitive": "block", "tier-2": "allow"}}}, tiered("tier-2", "sensitive"), A),
    ({"pii": {"actions": {"sensitive": "block", "tier-1": "redact"}}}, tiered("tier-2", "sensitive"), B),
    # actions.pii before pii.actions; severity before either
    ({"actions": {"pii": {"tier-3": "allow"}}, "pii": {"actions": {"tier-3": "block"}}}, tiered("tier-3"), A),
    ({"actions": {"pii": {"personal": "block"}}, "pii": {"actions": {"tier-3": "allow"}}}, tiered("tier-3"), B),
    ({"actions": {"pii": {"medium": "allow", "tier-2": "block"}}}, tiered("tier-2"), A),
    # a finding without a tier tag: its class decides
    ({"pii": {"actions": {"tier-2": "allow", "personal": "block"}}}, PII_MY, B),
])
def test_pii_actions_per_tier(config: dict[str, object], item: Finding, expected: Action) -> None:
    assert parse_policy(config).action_for(item) is expected


def test_tier_keys_are_pii_only() -> None:
    with pytest.raises(ConfigError, match=r"actions\.secret\.tier-1: tiers .* apply to pii only"):
        parse_policy({"actions": {"secret": {"tier-1": "allow"}}})
    with pytest.raises(ConfigError, match=r"pii\.actions: unknown key 'tier-4'"):
        parse_policy({"pii": {"actions": {"tier-4": "allow"}}})


DESTINATIONS = {
    "actions": {"pii": "allow", "secret": "block", "proprietary": "block"},
    "pii": {"cross_border": "redact"},
    "destinations": {
        "localhost": {"jurisdiction": "my", "actions": {"default": "allow"}},
        "api.openai.com": {"jurisdiction": "us"},
        "*.openai.azure.com": {"jurisdiction": "us", "actions": {"pii": "block"}},
        "dashscope.aliyuncs.com": {"jurisdiction": "cn", "actions": {"rules": {"my-nric": "block"}}},
        "api.my-sovereign.example": {"jurisdiction": "my"},
        "*": {"jurisdiction": "unknown"},
    },
}


@pytest.mark.parametrize(("host", "item", "expected"), [
    ("localhost", SECRET_HIGH, A),            # own model: everything may go
    ("localhost:8000", CODE, A),
    ("http://127.0.0.1:8000", SECRET_HIGH, B),  # not configured as such: falls to "*"
    ("api.openai.com", PII_MY, R),            # foreign host: cross-border floor
    ("api.openai.com", PII_GLOBAL, A),        # no jurisdiction of origin: no floor
    ("api.openai.com", SECRET_HIGH, B),
    ("api.openai.com", CODE, B),              # proprietary code blocked to all foreign hosts
    ("my-team.openai.azure.com", PII_MY, B),  # glob host with its own table
    ("https://DashScope.aliyuncs.com/api/v1", PII_MY, B),
    ("dashscope.aliyuncs.com", PII_SG_SENSITIVE, R),
    ("api.my-sovereign.example", PII_MY, A),  # same jurisdiction: no transfer
    ("api.my-sovereign.example", PII_SG_SENSITIVE, R),
    ("unknown.example", PII_MY, R),
    (None, PII_MY, A),                        # destination unknown: base table only
])
def test_destinations(host: str | None, item: Finding, expected: Action) -> None:
    assert parse_policy(DESTINATIONS).action_for(item, host) is expected


def test_proprietary_action_and_rule_override() -> None:
    assert parse_policy({"proprietary": {"paths": ["x/"], "action": "redact"}}).action_for(PATH) is R
    policy = parse_policy({"proprietary": {"paths": ["x/"], "action": "redact"},
                           "actions": {"rules": {PATH_RULE_ID: "allow"}}})
    assert policy.action_for(PATH) is A


@pytest.mark.parametrize(("path", "expected"), [
    ("src/pricing/engine.py", True),
    ("src/pricing", True),
    ("src/pricing/", True),
    ("./src/pricing/deep/a.go", True),
    ("src/other.py", False),
    ("keys/prod.pem", True),
    ("/elsewhere/prod.pem", True),
    ("docs/secret_algo.md", False),
    ("secret_algo.py", True),
    ("lib/secret_algo.py", False),
])
def test_proprietary_paths(tmp_path: Path, path: str, expected: bool) -> None:
    policy = parse_policy({"proprietary": {"paths": ["src/pricing/", "*.pem", "/secret_algo.py"]}}, root=tmp_path)
    assert policy.is_proprietary(path, cwd=tmp_path) is expected
    if not path.startswith("/"):
        assert policy.is_proprietary(str(tmp_path / path)) is expected


def test_proprietary_paths_as_list_shorthand(tmp_path: Path) -> None:
    assert parse_policy({"proprietary": ["a/"]}, root=tmp_path).is_proprietary("a/b.py")


@pytest.mark.parametrize(("raw", "message"), [
    ({"actions": {"secret": "deny"}}, "actions.secret must be allow, redact or block"),
    ({"actions": {"secrets": "block"}}, "actions: unknown key 'secrets'"),
    ({"actions": {"pii": {"huge": "block"}}}, "actions.pii: unknown key 'huge'"),
    ({"actions": {"secret": {"personal": "block"}}}, "actions.secret.personal: tiers"),
    ({"actions": {"unredactable": "redact"}}, "actions.unredactable must be allow or block"),
    ({"actions": {"rules": ["x"]}}, "actions.rules must be a mapping"),
    ({"pii": {"jurisdictions": "my", "extra": 1}}, "pii: unknown key 'extra'"),
    ({"pii": {"jurisdictions": ["MY!"]}}, "pii.jurisdictions"),
    ({"pii": {"actions": {"critical": "block"}}}, "pii.actions: unknown key 'critical'"),
    ({"proprietary": {"paths": [1]}}, "proprietary.paths must be a list of strings"),
    ({"proprietary": {"threshold": 2}}, "proprietary.threshold"),
    ({"destinations": ["api.openai.com"]}, "destinations must be a mapping"),
    ({"destinations": {"api.openai.com": {"region": "us"}}}, "destinations.api.openai.com: unknown key 'region'"),
    ({"destinations": {"h": {"jurisdiction": 5}}}, "destinations.h.jurisdiction"),
    ({"destinations": {"h": {"actions": {"pii": "maybe"}}}}, "destinations.h.actions.pii must be"),
    ({"on_error": "redact"}, "on_error must be block or allow"),
    ({"audit": {"file": "x"}}, "audit: unknown key 'file'"),
    ({"audit": {"path": ""}}, "audit.path"),
    ({"index": 3}, "index must be a file path"),
    ({"vault": {"ttl": "forever"}}, "vault.ttl"),
])
def test_invalid_policy_names_file_and_key(raw: dict, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_policy(raw, where="/repo/.dlp.yaml")
    assert str(info.value).startswith("/repo/.dlp.yaml: ")
    assert message in str(info.value)


def test_other_settings(tmp_path: Path) -> None:
    policy = parse_policy({"on_error": "allow", "audit": {"path": "logs/audit.jsonl"}, "index": "idx.db",
                           "vault": {"ttl": "30m", "dir": "v"}, "actions": {"unredactable": "allow"}},
                          root=tmp_path)
    assert policy.on_error is A and policy.unredactable is A
    assert policy.audit_path == tmp_path / "logs/audit.jsonl"
    assert policy.index_path == tmp_path / "idx.db"
    assert policy.vault_ttl == 1800 and policy.vault_dir == tmp_path / "v"


@pytest.mark.parametrize(("host", "expected"), [
    ("https://API.openai.com:443/v1/chat", "api.openai.com"),
    ("127.0.0.1:8000", "127.0.0.1"),
    ("[::1]:8080", "::1"),
    ("localhost", "localhost"),
])
def test_normalize_host(host: str, expected: str) -> None:
    assert normalize_host(host) == expected


def test_pii_jurisdictions_select_packs() -> None:
    from dlp.ruleset import Selection, builtin_pack_files

    packs = [p for p in builtin_pack_files() if p.startswith("pii/")]
    if "pii/my" not in packs or "pii/sg" not in packs:
        pytest.skip("pii/my and pii/sg packs not present")
    sel = selection_for(Selection(), parse_policy({"pii": {"jurisdictions": ["my", "sg"]}}))
    assert {"pii/my", "pii/sg"} <= set(sel.enable_packs)
    assert "pii/my" not in sel.disable_packs
    assert all(p in sel.disable_packs for p in packs if p not in ("pii/my", "pii/sg", "pii/global"))
    with pytest.raises(ConfigError):
        selection_for(Selection(), parse_policy({"pii": {"jurisdictions": ["zz"]}}))


PII_PACKS = ("pii/global", "pii/id", "pii/my", "pii/ph", "pii/sg", "pii/th", "pii/vn")


@pytest.mark.parametrize(
    ("enable", "jurisdictions", "packs"),
    [
        # scans run personal-data packs only when enabled, whatever the config says
        ((), ["my", "sg"], ()),
        (("pii",), None, PII_PACKS),
        # a selector covering several packs: the config's jurisdictions and pii/global
        (("pii",), ["my"], ("pii/global", "pii/my")),
        (("all",), ["my", "sg"], ("pii/global", "pii/my", "pii/sg")),
        # a pack named on its own stays
        (("pii", "pii/th"), ["my"], ("pii/global", "pii/my", "pii/th")),
        (("pii/th",), ["my"], ("pii/th",)),
        (("pii/global",), ["vn"], ("pii/global",)),
    ],
)
def test_scan_selection_follows_pii_jurisdictions(enable: tuple[str, ...], jurisdictions: list[str] | None,
                                                  packs: tuple[str, ...]) -> None:
    from dlp.config import parse_config
    from dlp.ruleset import Selection, load_ruleset

    config = parse_config({"pii": {"jurisdictions": jurisdictions}} if jurisdictions else {})
    ruleset = load_ruleset(scan_selection(Selection(enable_packs=enable), config))
    assert tuple(sorted({r.pack for r in ruleset.rules if r.pack.startswith("pii/")})) == packs


def test_scan_selection_rejects_an_unknown_jurisdiction(tmp_path: Path) -> None:
    from dlp.config import parse_config
    from dlp.ruleset import Selection

    config = parse_config({"pii": {"jurisdictions": ["zz"]}}, tmp_path / ".dlp.yaml")
    with pytest.raises(ConfigError, match=r"\.dlp\.yaml: pii\.jurisdictions: no rule pack 'pii/zz'"):
        scan_selection(Selection(enable_packs=("pii",)), config)


def test_scan_command_follows_pii_jurisdictions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dlp.cli import main

    (tmp_path / "people.txt").write_text("No. K/P: 850101-14-5673\nบัตรประชาชน 1101700230708\n")
    config = tmp_path / ".dlp.yaml"
    config.write_text("pii:\n  jurisdictions: [my]\n")

    def rules(*args: str) -> list[str]:
        code = main(["scan", str(tmp_path / "people.txt"), "--config", str(config), "--format", "json", *args])
        out, _ = capsys.readouterr()
        found = [f["rule_id"] for f in json.loads(out)["findings"]]
        assert code == (1 if found else 0)
        return found

    assert rules() == []  # a scan's personal-data packs stay opt-in
    assert rules("--enable", "pii") == ["my-nric"]
    assert rules("--enable", "pii", "--enable", "pii/th") == ["my-nric", "th-citizen-id-bare"]
    config.write_text("pii:\n  jurisdictions: [my, xx]\n")
    assert main(["scan", str(tmp_path), "--config", str(config)]) == 2
    assert "pii.jurisdictions: no rule pack 'pii/xx'" in capsys.readouterr().err


def test_load_policy_from_config_file(tmp_path: Path) -> None:
    from dlp.config import load_config
    from dlp.policy import load_policy

    path = tmp_path / ".dlp.yaml"
    path.write_text("actions:\n  pii: block\nproprietary:\n  paths: [core/]\n", encoding="utf-8")
    policy = load_policy(load_config(path))
    assert policy.action_for(PII_MY) is B
    assert policy.is_proprietary(str(tmp_path / "core/a.py"))
    path.write_text("destinations:\n  api.openai.com:\n    jurisdiction: [us]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.dlp\.yaml: destinations\.api\.openai\.com\.jurisdiction"):
        load_policy(load_config(path))
