"""`.dlp.yaml`: which rules run, what is excluded, size limits, allowlists.

Found at the repository root (the nearest parent holding `.git`), else in the
current directory, or named with `--config`. Validation is strict: unknown keys
and wrong types are a :class:`ConfigError` naming the file and the key.
Sections that belong to the egress policy (actions, destinations, ...) are
parsed by :mod:`dlp.policy`; this module keeps them as raw mappings.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlp.errors import ConfigError
from dlp.model import Category, Severity
from dlp.records import field, record
from dlp.ruleset import Selection

if TYPE_CHECKING:
    import pathspec  # imported where a spec is built: most runs never need one

CONFIG_NAMES = (".dlp.yaml", ".dlp.yml")
# The one definition: the file walker (dlp.sources.files) imports it from here,
# so the hooks load a policy without importing the walker.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
# Sections parsed elsewhere (dlp.policy); accepted here as mappings or lists.
POLICY_SECTIONS = ("actions", "proprietary", "destinations", "on_error", "audit", "pii", "index", "vault")
_TOP_KEYS = {"version", "rules", "exclude", "max_file_size", "allowlist", "baseline", *POLICY_SECTIONS}
_RULES_KEYS = {"enable", "disable", "disable_rules", "only", "extra", "min_severity", "categories"}
_ALLOW_KEYS = {"rules", "paths", "fingerprints", "values"}
_SIZE = r"^\s*(\d+)\s*([kmg]?i?b?)?\s*$"  # compiled when a size is written as text (most configs: never)
_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
          "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}


@record
class Allowlist:
    rules: tuple[str, ...] = ()
    paths: pathspec.PathSpec | None = None
    fingerprints: frozenset[str] = frozenset()
    values: tuple[re.Pattern[str], ...] = ()  # regexes on the value (e.g. a company's test card)
    root: str | None = None  # path patterns are relative to this folder (the config's)

    def allows(self, rule_id: str, path: str | None, fingerprint: str, value: str) -> bool:
        if rule_id in self.rules or fingerprint in self.fingerprints:
            return True
        if path is not None and self.paths is not None and self.paths.match_file(self._relative(path)):
            return True
        return any(v.search(value) for v in self.values)

    def _relative(self, path: str) -> str:
        if self.root is None:
            return path
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return path if rel.startswith("..") else rel.replace(os.sep, "/")


@record
class Config:
    path: Path | None = None
    selection: Selection = Selection()
    exclude: pathspec.PathSpec | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    allowlist: Allowlist = Allowlist()
    baseline: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()


def find_config(start: Path | None = None) -> Path | None:
    """`.dlp.yaml` at the repository root (nearest parent with .git) or in ``start``."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            for name in CONFIG_NAMES:
                if (directory / name).is_file():
                    return directory / name
            break
    for name in CONFIG_NAMES:
        if (here / name).is_file():
            return here / name
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {getattr(exc, 'strerror', None) or exc}") from None
    from dlp.cache import memo_json

    raw = memo_json("config", text, lambda: _parse_yaml(path, text))
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the config must be a mapping")
    return parse_config(raw, path)


def _parse_yaml(path: Path, text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: invalid YAML: {getattr(exc, 'problem', None) or exc}") from None


def parse_config(raw: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "config"
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    version = raw.get("version", 1)
    if version != 1:
        raise ConfigError(f"{where}: version must be 1")
    base = path.parent if path is not None else Path.cwd()
    selection = _selection(where, raw.get("rules"), base)
    exclude = _patterns(where, "exclude", raw.get("exclude"))
    max_size = _size(where, raw.get("max_file_size", DEFAULT_MAX_FILE_SIZE))
    allowlist = _allowlist(where, raw.get("allowlist"), str(base.resolve()))
    baseline = raw.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise ConfigError(f"{where}: baseline must be a path")
    return Config(
        path=path, selection=selection, exclude=exclude, max_file_size=max_size,
        allowlist=allowlist, baseline=(base / baseline) if baseline else None, raw=raw,
    )


def _strings(where: str, key: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _selection(where: str, raw: object, base: Path) -> Selection:
    if raw is None:
        return Selection()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: rules must be a mapping")
    unknown = set(raw) - _RULES_KEYS
    if unknown:
        raise ConfigError(f"{where}: rules: unknown key {sorted(unknown)[0]!r}")
    try:
        min_severity = Severity.parse(str(raw.get("min_severity", "low")))
    except KeyError:
        raise ConfigError(f"{where}: rules.min_severity must be low, medium, high or critical") from None
    try:
        categories = tuple(Category(c) for c in _strings(where, "rules.categories", raw.get("categories")))
    except ValueError:
        raise ConfigError(f"{where}: rules.categories: each must be secret, pii or proprietary") from None
    return Selection(
        enable_packs=_strings(where, "rules.enable", raw.get("enable")),
        disable_packs=_strings(where, "rules.disable", raw.get("disable")),
        disable_rules=_strings(where, "rules.disable_rules", raw.get("disable_rules")),
        only_rules=_strings(where, "rules.only", raw.get("only")),
        extra_files=tuple(base / p for p in _strings(where, "rules.extra", raw.get("extra"))),
        min_severity=min_severity,
        categories=categories,
    )


def _patterns(where: str, key: str, raw: object) -> pathspec.PathSpec | None:
    lines = _strings(where, key, raw)
    if not lines:
        return None
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception as exc:  # pathspec raises various errors for bad patterns
        raise ConfigError(f"{where}: {key}: invalid pattern: {exc}") from None


def _size(where: str, raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw
    if isinstance(raw, str):
        m = re.match(_SIZE, raw, re.IGNORECASE)
        if m and (m.group(2) or "").lower() in _UNITS:
            return int(m.group(1)) * _UNITS[(m.group(2) or "").lower()]
    raise ConfigError(f"{where}: max_file_size must be a positive size such as 10MB")


def _allowlist(where: str, raw: object, root: str) -> Allowlist:
    if raw is None:
        return Allowlist()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: allowlist must be a mapping")
    unknown = set(raw) - _ALLOW_KEYS
    if unknown:
        raise ConfigError(f"{where}: allowlist: unknown key {sorted(unknown)[0]!r}")
    values = []
    for p in _strings(where, "allowlist.values", raw.get("values")):
        try:
            values.append(re.compile(p))
        except re.error as exc:
            raise ConfigError(f"{where}: allowlist.values: {p!r} does not compile: {exc}") from None
    fingerprints = _strings(where, "allowlist.fingerprints", raw.get("fingerprints"))
    for fp in fingerprints:
        if not re.fullmatch(r"sha256:[0-9a-f]{64}", fp):
            raise ConfigError(f"{where}: allowlist.fingerprints: {fp[:20]!r}... is not sha256:<64 hex>")
    return Allowlist(
        rules=_strings(where, "allowlist.rules", raw.get("rules")),
        paths=_patterns(where, "allowlist.paths", raw.get("paths")),
        fingerprints=frozenset(fingerprints),
        values=tuple(values),
        root=root,
    )
