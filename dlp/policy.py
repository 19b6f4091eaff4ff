"""The egress policy: what happens to a finding on its way to a destination.

Parsed from the policy sections of ``.dlp.yaml`` (``Config.raw``; the keys are
reserved in :data:`dlp.config.POLICY_SECTIONS`). Validation is strict: an
unknown key, a wrong type or an unknown action is a :class:`ConfigError`
naming the file and the key.

```yaml
actions:                 # the base action table
  default: block         # anything no other entry covers
  secret: block          # a category ...
  pii:                   # ... or a category refined by severity / PII tier
    default: redact
    low: allow           # severity: low | medium | high | critical
    sensitive: block     # PII class: personal | sensitive; or tier: tier-1 | tier-2 | tier-3
  proprietary: block
  rules: {my-phone: allow}
  unredactable: block    # what a hook that cannot rewrite does with "redact"
pii:
  jurisdictions: [my, sg]          # select PII packs (pii/my, pii/sg); others off
  actions: {personal: redact, sensitive: block}   # per class, or per tier: {tier-1: block, tier-3: allow}
  cross_border: redact             # floor for PII sent to a host in another jurisdiction
proprietary:
  paths: ["src/pricing/**", "*.key"]   # gitignore syntax, relative to the config file
  action: block                      # for content and references of those paths
  threshold: 0.5                     # share of a fragment that must match the index
destinations:
  localhost: {jurisdiction: my, actions: {default: allow}}
  api.openai.com: {jurisdiction: us}
  "*.openai.azure.com": {jurisdiction: us, actions: {pii: redact}}
  "*": {jurisdiction: unknown}       # any other host
on_error: block          # block | allow: what a hook/proxy does when dlp fails
audit: {path: ~/.local/state/dlp/audit.jsonl}
index: .dlp/index.db     # proprietary code index
vault: {ttl: 24h, dir: ~/.local/share/dlp/vault}
```

Action precedence for one finding (first hit wins):

1. the destination's own table, if the destination names one:
   rule > category+severity > category+tier > category > its ``default``;
2. the base table: rule > category+severity > category+tier (``actions.pii``
   tiers, then ``pii.actions``; in each the tier tag ``tier-1``..``tier-3``
   before the class ``personal``/``sensitive``) > category > ``default``;
3. for a PII finding with a jurisdiction, sent to a destination whose
   jurisdiction differs, ``pii.cross_border`` is a floor (the result is the
   stronger of 2 and the floor). An explicit destination entry (1) is final.
"""
from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dlp.config import _strings
from dlp.errors import ConfigError
from dlp.model import Action, Category, Finding, Severity
from dlp.records import field, record

PATH_RULE_ID = "proprietary-path"
_ACTIONS = {a.value: a for a in Action}
_STRENGTH = {Action.ALLOW: 0, Action.REDACT: 1, Action.BLOCK: 2}
_SEVERITIES = {str(s): s for s in Severity}
_CLASSES = ("personal", "sensitive")  # a PII finding's pii_class (PDPA personal / sensitive data)
_LEVELS = ("tier-1", "tier-2", "tier-3")  # its tier tag (highest to lowest; docs/pii.md)
_TIERS = (*_CLASSES, *_LEVELS)
_ACTION_KEYS = {"default", "rules", "unredactable", *(c.value for c in Category)}
_CATEGORY_KEYS = {"default", *_SEVERITIES, *_TIERS}
_PII_KEYS = {"jurisdictions", "actions", "cross_border"}
_PROPRIETARY_KEYS = {"paths", "action", "threshold"}
_DESTINATION_KEYS = {"jurisdiction", "actions", "description"}
_AUDIT_KEYS = {"path"}
_VAULT_KEYS = {"ttl", "dir"}
_TTL = r"^\s*(\d+)\s*([smhd]?)\s*$"  # compiled when used: most policies set neither
_TTL_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_JURISDICTION = r"^[a-z]{2,12}$"
DEFAULT_TTL = 24 * 3600


def stronger(a: Action, b: Action) -> Action:
    return a if _STRENGTH[a] >= _STRENGTH[b] else b


@record
class ActionTable:
    """One action table. ``None`` entries mean "not set here"."""

    default: Action | None = None
    categories: tuple[tuple[Category, Action], ...] = ()
    severities: tuple[tuple[Category, Severity, Action], ...] = ()
    tiers: tuple[tuple[Category, str, Action], ...] = ()
    rules: tuple[tuple[str, Action], ...] = ()

    def lookup(self, finding: Finding, *, extra_tiers: Mapping[str, Action] | None = None) -> Action | None:
        """This table's answer for ``finding`` (rule > category+severity >
        category+tier > category > default), or None."""
        for rule_id, action in self.rules:
            if rule_id == finding.rule_id:
                return action
        category = finding.category
        for cat, severity, action in self.severities:
            if cat is category and severity == finding.severity:
                return action
        pii_class = finding.attribute("pii_class")
        if pii_class is not None:
            # this table's tiers, then pii.actions; in each the tier tag
            # (tier-1) before the class (sensitive)
            level = next((t for t in finding.tags if t in _LEVELS), None)
            names = (level, str(pii_class)) if level is not None else (str(pii_class),)
            for name in names:
                for cat, tier, action in self.tiers:
                    if cat is category and tier == name:
                        return action
            if extra_tiers and category is Category.PII:
                for name in names:
                    if name in extra_tiers:
                        return extra_tiers[name]
        for cat, action in self.categories:
            if cat is category:
                return action
        return self.default


@record
class Destination:
    host: str  # exact host, a glob (``*.example.com``) or ``*``
    jurisdiction: str | None = None
    actions: ActionTable = ActionTable()


@record
class Policy:
    actions: ActionTable = ActionTable(
        default=Action.BLOCK,
        categories=((Category.SECRET, Action.BLOCK), (Category.PII, Action.REDACT),
                    (Category.PROPRIETARY, Action.BLOCK)),
    )
    unredactable: Action = Action.BLOCK
    pii_jurisdictions: tuple[str, ...] = ()
    pii_tiers: tuple[tuple[str, Action], ...] = ()
    cross_border: Action | None = None
    proprietary_paths: tuple[str, ...] = ()
    proprietary_action: Action | None = None
    proprietary_threshold: float = 0.5
    destinations: tuple[Destination, ...] = ()
    on_error: Action = Action.BLOCK
    audit_path: Path | None = None
    index_path: Path | None = None
    vault_ttl: int = DEFAULT_TTL
    vault_dir: Path | None = None
    root: Path = field(default_factory=Path.cwd)  # proprietary paths are relative to this

    # ----------------------------------------------------------------- queries

    def destination(self, host: str | None) -> Destination | None:
        """The destination entry for ``host``: exact name, then globs, then ``*``."""
        if not host:
            return None
        host = normalize_host(host)
        wildcard = None
        for dest in self.destinations:
            if dest.host == host:
                return dest
        for dest in self.destinations:
            if dest.host == "*":
                wildcard = dest
            elif "*" in dest.host and fnmatch.fnmatchcase(host, dest.host):
                return dest
        return wildcard

    def action_for(self, finding: Finding, destination: str | None = None) -> Action:
        dest = self.destination(destination)
        if dest is not None:
            explicit = dest.actions.lookup(finding)
            if explicit is not None:
                return explicit
        action = None
        if (finding.rule_id == PATH_RULE_ID and self.proprietary_action is not None
                and not any(r == PATH_RULE_ID for r, _ in self.actions.rules)):
            action = self.proprietary_action
        if action is None:
            action = self.actions.lookup(finding, extra_tiers=dict(self.pii_tiers))
        if action is None:
            action = Action.BLOCK
        if (self.cross_border is not None and dest is not None and dest.jurisdiction
                and finding.category is Category.PII):
            origin = finding.attribute("jurisdiction")
            if origin and origin != "global" and origin != dest.jurisdiction:
                action = stronger(action, self.cross_border)
        return action

    @property
    def has_proprietary_paths(self) -> bool:
        return bool(self.proprietary_paths)

    def proprietary_spec(self):  # type: ignore[no-untyped-def]
        return _spec(self.proprietary_paths)

    def is_proprietary(self, path: str | os.PathLike[str], *, cwd: Path | None = None) -> bool:
        """True if ``path`` (absolute, or relative to ``cwd``) is a proprietary path.

        Paths outside the policy's root are matched by their own relative form
        as given (so ``secret.key`` patterns still apply), never by ``..``."""
        if not self.proprietary_paths:
            return False
        rel = self.relative(path, cwd=cwd)
        if rel is None:
            return False
        spec = _spec(self.proprietary_paths)
        if spec.match_file(rel):
            return True
        # A directory given without a trailing slash: `src/pricing` when the
        # pattern is `src/pricing/`.
        return spec.match_file(rel.rstrip("/") + "/")

    def relative(self, path: str | os.PathLike[str], *, cwd: Path | None = None) -> str | None:
        text = os.fspath(path)
        if not text or "\0" in text:
            return None
        if text.startswith("~"):
            text = os.path.expanduser(text)
        p = Path(text)
        if not p.is_absolute():
            p = (cwd or self.root) / p
        p = Path(os.path.normpath(p))
        try:
            rel = p.relative_to(self.root)
        except ValueError:
            try:
                rel = p.resolve().relative_to(self.root)
            except (ValueError, OSError):
                # Outside the project: match on the path's own parts, so that
                # unanchored patterns such as `*.pem` still apply.
                return p.as_posix().lstrip("/")
        text = rel.as_posix()
        return "" if text == "." else text


_SPEC_CACHE: dict[tuple[str, ...], Any] = {}


def _spec(patterns: tuple[str, ...]):  # type: ignore[no-untyped-def]
    spec = _SPEC_CACHE.get(patterns)
    if spec is None:
        import pathspec

        spec = _SPEC_CACHE[patterns] = pathspec.GitIgnoreSpec.from_lines(patterns)
    return spec


def _check_patterns(patterns: tuple[str, ...]) -> None:
    """Raise if pathspec rejects ``patterns``. A valid set is remembered on disk
    (dlp.cache), so that a hook whose prompt names no path does not import
    pathspec only to validate the policy again."""
    if not patterns:
        return
    import json

    from dlp.cache import memo_json

    memo_json("pathspec-valid", json.dumps(patterns), lambda: _spec(patterns) is not None)


def normalize_host(host: str) -> str:
    """``https://API.openai.com:443/v1`` -> ``api.openai.com``; ``127.0.0.1:8000`` -> ``127.0.0.1``."""
    text = host.strip().lower()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.split("/", 1)[0]
    if text.startswith("["):  # [::1]:8080
        return text[1:text.index("]")] if "]" in text else text
    if text.count(":") == 1:
        text = text.split(":", 1)[0]
    return text


# --------------------------------------------------------------------------- parsing


def load_policy(config: Any) -> Policy:
    """The policy of a :class:`dlp.config.Config` (its ``raw`` policy sections)."""
    where = str(config.path) if getattr(config, "path", None) else "config"
    root = config.path.parent.resolve() if getattr(config, "path", None) else Path.cwd().resolve()
    return parse_policy(getattr(config, "raw", {}) or {}, where=where, root=root)


def parse_policy(raw: Mapping[str, Any], *, where: str = "config", root: Path | None = None) -> Policy:
    root = (root or Path.cwd()).resolve()
    base = Policy(root=root)
    actions = base.actions
    unredactable = Action.BLOCK
    if "actions" in raw:
        actions, unredactable = _action_table(where, "actions", raw["actions"], allow_unredactable=True)
        # Categories the user did not mention keep the built-in defaults.
        given = {c for c, _ in actions.categories}
        actions = ActionTable(
            default=actions.default if actions.default is not None else Action.BLOCK,
            categories=actions.categories + tuple((c, a) for c, a in base.actions.categories if c not in given),
            severities=actions.severities, tiers=actions.tiers, rules=actions.rules,
        )

    jurisdictions: tuple[str, ...] = ()
    tiers: tuple[tuple[str, Action], ...] = ()
    cross_border = None
    pii = raw.get("pii")
    if pii is not None:
        _mapping(where, "pii", pii, _PII_KEYS)
        jurisdictions = _strings(where, "pii.jurisdictions", pii.get("jurisdictions"))
        for j in jurisdictions:
            if not re.match(_JURISDICTION, j):
                raise ConfigError(f"{where}: pii.jurisdictions: {j!r} is not a jurisdiction code such as my or sg")
        tier_raw = pii.get("actions")
        if tier_raw is not None:
            _mapping(where, "pii.actions", tier_raw, set(_TIERS))
            tiers = tuple((t, _action(where, f"pii.actions.{t}", a)) for t, a in tier_raw.items())
        if pii.get("cross_border") is not None:
            cross_border = _action(where, "pii.cross_border", pii["cross_border"])

    paths: tuple[str, ...] = ()
    proprietary_action = None
    threshold = 0.5
    proprietary = raw.get("proprietary")
    if proprietary is not None:
        if isinstance(proprietary, list):
            proprietary = {"paths": proprietary}
        _mapping(where, "proprietary", proprietary, _PROPRIETARY_KEYS)
        paths = _strings(where, "proprietary.paths", proprietary.get("paths"))
        try:
            _check_patterns(paths)
        except Exception as exc:  # noqa: BLE001 - pathspec raises several error types
            raise ConfigError(f"{where}: proprietary.paths: invalid pattern: {exc}") from None
        if proprietary.get("action") is not None:
            proprietary_action = _action(where, "proprietary.action", proprietary["action"])
        if "threshold" in proprietary:
            t = proprietary["threshold"]
            if isinstance(t, bool) or not isinstance(t, (int, float)) or not 0 < t <= 1:
                raise ConfigError(f"{where}: proprietary.threshold must be a number in (0, 1]")
            threshold = float(t)

    destinations: list[Destination] = []
    dests = raw.get("destinations")
    if dests is not None:
        if not isinstance(dests, dict):
            raise ConfigError(f"{where}: destinations must be a mapping of host to settings")
        for host, settings in dests.items():
            if not isinstance(host, str) or not host.strip():
                raise ConfigError(f"{where}: destinations: {host!r} is not a host name")
            key = f"destinations.{host}"
            settings = {} if settings is None else settings
            _mapping(where, key, settings, _DESTINATION_KEYS)
            jurisdiction = settings.get("jurisdiction")
            if jurisdiction is not None and (not isinstance(jurisdiction, str) or not re.match(_JURISDICTION, jurisdiction)):
                raise ConfigError(f"{where}: {key}.jurisdiction must be a code such as my, sg, us or eu")
            table = ActionTable()
            if settings.get("actions") is not None:
                table, _ = _action_table(where, f"{key}.actions", settings["actions"])
            name = host if host == "*" else normalize_host(host) if "*" not in host else host.lower()
            destinations.append(Destination(host=name, jurisdiction=jurisdiction, actions=table))

    on_error = Action.BLOCK
    if raw.get("on_error") is not None:
        value = raw["on_error"]
        if value not in ("block", "allow"):
            raise ConfigError(f"{where}: on_error must be block or allow")
        on_error = Action(value)

    audit_path = None
    audit = raw.get("audit")
    if audit is not None:
        if isinstance(audit, str):
            audit = {"path": audit}
        _mapping(where, "audit", audit, _AUDIT_KEYS)
        if not isinstance(audit.get("path"), str) or not audit["path"]:
            raise ConfigError(f"{where}: audit.path must be a file path")
        audit_path = _path(root, audit["path"])

    index_path = None
    if raw.get("index") is not None:
        if not isinstance(raw["index"], str) or not raw["index"]:
            raise ConfigError(f"{where}: index must be a file path")
        index_path = _path(root, raw["index"])

    ttl = DEFAULT_TTL
    vault_dir = None
    vault = raw.get("vault")
    if vault is not None:
        _mapping(where, "vault", vault, _VAULT_KEYS)
        if "ttl" in vault:
            ttl = _ttl(where, vault["ttl"])
        if vault.get("dir") is not None:
            if not isinstance(vault["dir"], str):
                raise ConfigError(f"{where}: vault.dir must be a directory path")
            vault_dir = _path(root, vault["dir"])

    return Policy(
        actions=actions, unredactable=unredactable, pii_jurisdictions=jurisdictions, pii_tiers=tiers,
        cross_border=cross_border, proprietary_paths=paths, proprietary_action=proprietary_action,
        proprietary_threshold=threshold, destinations=tuple(destinations), on_error=on_error,
        audit_path=audit_path, index_path=index_path, vault_ttl=ttl, vault_dir=vault_dir, root=root,
    )


def _path(root: Path, text: str) -> Path:
    p = Path(os.path.expanduser(text))
    return p if p.is_absolute() else root / p


def _ttl(where: str, raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw
    if isinstance(raw, str):
        m = re.match(_TTL, raw)
        if m and int(m.group(1)) > 0:
            return int(m.group(1)) * _TTL_UNITS[m.group(2)]
    raise ConfigError(f"{where}: vault.ttl must be a positive duration such as 3600, 30m, 24h or 7d")


def _mapping(where: str, key: str, raw: object, allowed: set[str]) -> None:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: {key} must be a mapping")
    unknown = [k for k in raw if k not in allowed]
    if unknown:
        raise ConfigError(f"{where}: {key}: unknown key {str(unknown[0])!r}")


def _action(where: str, key: str, raw: object) -> Action:
    action = _ACTIONS.get(raw) if isinstance(raw, str) else None
    if action is None:
        raise ConfigError(f"{where}: {key} must be allow, redact or block (got {raw!r})")
    return action


def _action_table(where: str, key: str, raw: object, *, allow_unredactable: bool = False
                  ) -> tuple[ActionTable, Action]:
    if isinstance(raw, str):  # `actions: allow` is shorthand for {default: allow}
        return ActionTable(default=_action(where, key, raw)), Action.BLOCK
    allowed = set(_ACTION_KEYS) if allow_unredactable else _ACTION_KEYS - {"unredactable"}
    _mapping(where, key, raw, allowed)
    assert isinstance(raw, dict)
    default = _action(where, f"{key}.default", raw["default"]) if "default" in raw else None
    unredactable = Action.BLOCK
    if "unredactable" in raw:
        unredactable = _action(where, f"{key}.unredactable", raw["unredactable"])
        if unredactable is Action.REDACT:
            raise ConfigError(f"{where}: {key}.unredactable must be allow or block")
    categories: list[tuple[Category, Action]] = []
    severities: list[tuple[Category, Severity, Action]] = []
    tiers: list[tuple[Category, str, Action]] = []
    for category in Category:
        value = raw.get(category.value)
        if value is None:
            continue
        ckey = f"{key}.{category.value}"
        if isinstance(value, str):
            categories.append((category, _action(where, ckey, value)))
            continue
        _mapping(where, ckey, value, _CATEGORY_KEYS)
        for sub, sub_value in value.items():
            action = _action(where, f"{ckey}.{sub}", sub_value)
            if sub == "default":
                categories.append((category, action))
            elif sub in _SEVERITIES:
                severities.append((category, _SEVERITIES[sub], action))
            else:
                if category is not Category.PII:
                    raise ConfigError(f"{where}: {ckey}.{sub}: tiers ({', '.join(_TIERS)}) apply to pii only")
                tiers.append((category, sub, action))
    rules: list[tuple[str, Action]] = []
    if raw.get("rules") is not None:
        rules_raw = raw["rules"]
        if not isinstance(rules_raw, dict):
            raise ConfigError(f"{where}: {key}.rules must be a mapping of rule id to action")
        for rule_id, value in rules_raw.items():
            if not isinstance(rule_id, str):
                raise ConfigError(f"{where}: {key}.rules: {rule_id!r} is not a rule id")
            rules.append((rule_id, _action(where, f"{key}.rules.{rule_id}", value)))
    return ActionTable(default=default, categories=tuple(categories), severities=tuple(severities),
                       tiers=tuple(tiers), rules=tuple(rules)), unredactable


def selection_for(selection: Any, policy: Policy) -> Any:
    """The config's rule :class:`Selection` for egress decisions: every PII pack
    enabled, or with ``pii.jurisdictions`` those packs (and ``pii/global``) only."""
    from dlp.records import replace
    from dlp.ruleset import builtin_pack_files

    packs = [p for p in builtin_pack_files() if p.startswith("pii/")]
    if not policy.pii_jurisdictions:
        # egress checks personal data of every jurisdiction unless the config
        # narrows it (file scans leave the PII packs off unless enabled)
        return replace(selection, enable_packs=(*selection.enable_packs, *packs))

    wanted = _jurisdiction_packs(policy.pii_jurisdictions, packs)
    disable = tuple(p for p in packs if p not in wanted and p != "pii/global")
    return replace(selection,
                   enable_packs=(*selection.enable_packs, *sorted(wanted),
                                 *(p for p in packs if p == "pii/global")),
                   disable_packs=(*selection.disable_packs, *disable))


def _jurisdiction_packs(jurisdictions: tuple[str, ...], packs: list[str], where: str = "") -> set[str]:
    """The packs of ``pii.jurisdictions`` (``pii/my``, ...); a ConfigError for one without a pack."""
    wanted = {f"pii/{j}" for j in jurisdictions}
    missing = wanted - set(packs)
    if missing:
        raise ConfigError(f"{where + ': ' if where else ''}pii.jurisdictions: no rule pack {min(missing)!r} "
                          "(see `dlp rules list --packs`)")
    return wanted


def scan_selection(selection: Any, config: Any) -> Any:
    """A file or history scan's rule :class:`Selection` with the config's
    ``pii.jurisdictions`` applied. Scans run personal-data packs only when
    enabled (``--enable pii``, ``rules: {enable: [pii]}``); a selector that
    enables several (``pii``, ``all``) then enables those jurisdictions' packs
    and ``pii/global`` only, as egress decisions do. A pack named on its own
    (``--enable pii/th``) is enabled whatever the list says."""
    raw = getattr(config, "raw", None) or {}
    if "pii" not in raw:
        return selection
    where = str(config.path) if getattr(config, "path", None) else "config"
    jurisdictions = parse_policy({"pii": raw["pii"]}, where=where).pii_jurisdictions
    if not jurisdictions:
        return selection
    from dlp.records import replace
    from dlp.ruleset import builtin_pack_files

    packs = [p for p in builtin_pack_files() if p.startswith("pii/")]
    wanted = _jurisdiction_packs(jurisdictions, packs, where) | {"pii/global"}
    named = set(selection.enable_packs)
    disable = tuple(p for p in packs if p not in wanted and p not in named)
    return replace(selection, disable_packs=(*selection.disable_packs, *disable))
