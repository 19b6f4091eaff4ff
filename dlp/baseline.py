"""Baselines: findings already known, so a scan reports only what is new.

A baseline is a set difference keyed by *what* was found and *where* (the
path), never by line number: moving code around never makes an old finding new
and never changes the baseline file. Baselines never hold a value.

Two formats are read:

- dlp's own (``.dlp-baseline.json``)::

    {"version": 1,
     "entries": [{"rule_id": "github-pat", "fingerprint": "sha256:...", "path": "src/app.py",
                  "is_secret": false}]}

  ``fingerprint`` is :attr:`Finding.fingerprint` (SHA-256 of rule id and value);
  ``is_secret`` is the optional audit label (absent: not audited yet). An
  entry without a path matches the fingerprint anywhere.
- detect-secrets' ``.secrets.baseline``: ``results`` maps a path to entries
  with ``hashed_secret`` (SHA-1 of the secret). A finding matches when the SHA-1
  of its value and its path match; detect-secrets' plugin type and line number
  are ignored. Entries audited ``is_secret: false`` match too.

Every entry suppresses its finding, whatever its audit label: the label is for
people (``dlp baseline audit`` counts the real secrets still waiting to be
rotated).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from dlp.errors import ConfigError, InputError
from dlp.model import Finding
from dlp.report import jsontext

VERSION = 1
FORMAT_DLP = "dlp"
FORMAT_DETECT_SECRETS = "detect-secrets"


@dataclass(frozen=True, slots=True)
class Entry:
    rule_id: str
    fingerprint: str  # "sha256:..." (dlp) or "sha1:..." (detect-secrets hashed_secret)
    path: str | None
    is_secret: bool | None = None

    def record(self) -> dict[str, Any]:
        out: dict[str, Any] = {"rule_id": self.rule_id, "fingerprint": self.fingerprint, "path": self.path}
        if self.is_secret is not None:
            out["is_secret"] = self.is_secret
        return out


def normalize_path(path: str | None) -> str | None:
    if path is None or path == "-":
        return None
    p = posixpath.normpath(path.replace(os.sep, "/"))
    while p.startswith("./"):
        p = p[2:]
    return p


def sha1_of(value: str) -> str:
    return "sha1:" + hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324 - detect-secrets' key


# detect-secrets' regex plugins hash what ``re.findall`` returns: with a capture
# group in the pattern that is the group, not the token (its GitHub plugin hashes
# "ghp"). Used when detect-secrets itself is not installed.
_DETECT_SECRETS_FALLBACK = (r"(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}",)


@functools.lru_cache(maxsize=1)
def _detect_secrets_patterns() -> tuple[re.Pattern[str], ...]:
    try:
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        from detect_secrets.plugins.base import RegexBasedDetector
    except Exception:  # noqa: BLE001 - optional dependency, any import failure means "not usable"
        return tuple(re.compile(p) for p in _DETECT_SECRETS_FALLBACK)
    patterns: list[re.Pattern[str]] = []
    cls: object
    for cls in get_mapping_from_secret_type_to_class().values():
        if isinstance(cls, type) and issubclass(cls, RegexBasedDetector):
            patterns.extend(p for p in getattr(cls, "denylist", ()) if p.groups)
    return tuple(patterns)


@functools.lru_cache(maxsize=4096)
def detect_secrets_hashes(value: str) -> tuple[str, ...]:
    """The ``hashed_secret`` values detect-secrets could have written for ``value``:
    its SHA-1, and that of each group its regex plugins would have extracted."""
    out = [sha1_of(value)]
    for pattern in _detect_secrets_patterns():
        for match in pattern.findall(value):
            for part in (match if isinstance(match, tuple) else (match,)):
                if part and sha1_of(part) not in out:
                    out.append(sha1_of(part))
    return tuple(out)


def _sort_key(entry: Entry) -> tuple[str, str, str]:
    return (entry.path or "", entry.rule_id, entry.fingerprint)


@dataclass
class Baseline:
    entries: list[Entry] = field(default_factory=list)
    format: str = FORMAT_DLP
    root: Path | None = None  # paths are relative to this directory (the baseline's own)
    raw: dict[str, Any] = field(default_factory=dict)  # detect-secrets: the document, kept for rewriting
    _keys: set[tuple[str, str | None]] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self._reindex()

    def _reindex(self) -> None:
        self._keys = {(e.fingerprint, normalize_path(e.path)) for e in self.entries}

    def _candidate_paths(self, path: str | None) -> set[str | None]:
        out: set[str | None] = {None}
        norm = normalize_path(path)
        if norm is None:
            return out
        out.add(norm)
        if self.root is not None and path is not None:
            try:
                rel = os.path.relpath(os.path.abspath(path), self.root)
            except ValueError:  # another drive (Windows)
                rel = None
            if rel is not None and not rel.startswith(os.pardir):
                out.add(normalize_path(rel))
        return out

    def contains(self, finding: Finding) -> bool:
        """True when ``finding`` is already known (by value hash and path, never by line)."""
        keys = (finding.fingerprint,) if self.format == FORMAT_DLP else detect_secrets_hashes(finding.value)
        paths = self._candidate_paths(finding.origin.path)
        return any((key, p) in self._keys for key in keys for p in paths)

    def __contains__(self, finding: Finding) -> bool:
        return self.contains(finding)

    def __len__(self) -> int:
        return len(self.entries)

    # ------------------------------------------------------------------ audit labels

    def find(self, fingerprint: str) -> list[int]:
        """Indexes of the entries a fingerprint (or a unique prefix of its hex digest) names."""
        wanted = fingerprint.strip().lower()
        exact = [i for i, e in enumerate(self.entries) if e.fingerprint == wanted]
        if exact:
            return exact
        digest = wanted.split(":", 1)[-1]
        if len(digest) < 6:
            return []
        prefixes = {e.fingerprint for e in self.entries if e.fingerprint.split(":", 1)[-1].startswith(digest)}
        if len(prefixes) != 1:
            return []
        return [i for i, e in enumerate(self.entries) if e.fingerprint in prefixes]

    def label(self, index: int, is_secret: bool | None) -> None:
        self.entries[index] = replace(self.entries[index], is_secret=is_secret)

    def stats(self) -> dict[str, Any]:
        by_rule: dict[str, int] = {}
        for e in self.entries:
            by_rule[e.rule_id] = by_rule.get(e.rule_id, 0) + 1
        return {
            "entries": len(self.entries),
            "true_positives": sum(e.is_secret is True for e in self.entries),
            "false_positives": sum(e.is_secret is False for e in self.entries),
            "unaudited": sum(e.is_secret is None for e in self.entries),
            "by_rule": dict(sorted(by_rule.items())),
        }

    # ------------------------------------------------------------------ writing

    def dumps(self) -> str:
        if self.format == FORMAT_DETECT_SECRETS:
            return _dump_detect_secrets(self)
        doc = {"version": VERSION, "entries": [e.record() for e in sorted(self.entries, key=_sort_key)]}
        return jsontext.dumps(doc) + "\n"


def from_findings(findings: Iterable[Finding], *, previous: Baseline | None = None) -> Baseline:
    """A dlp baseline of ``findings``: one entry per (fingerprint, path), sorted,
    keeping the audit labels of ``previous`` for the entries still there."""
    labels: dict[tuple[str, str | None], bool] = {}
    if previous is not None and previous.format == FORMAT_DLP:
        for e in previous.entries:
            if e.is_secret is not None:
                labels[(e.fingerprint, normalize_path(e.path))] = e.is_secret
    unique: dict[tuple[str, str | None], Entry] = {}
    for f in findings:
        path = normalize_path(f.origin.path)
        key = (f.fingerprint, path)
        if key not in unique:
            unique[key] = Entry(f.rule_id, f.fingerprint, path, labels.get(key))
    return Baseline(sorted(unique.values(), key=_sort_key))


# --------------------------------------------------------------------------- reading


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read a dlp or detect-secrets baseline (format detected from content)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{p}: baseline not found (create one with `dlp baseline create`)") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read baseline: {exc.strerror or exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{p}: baseline is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(doc, dict):
        raise ConfigError(f"{p}: baseline must be a JSON object")
    root = p.resolve().parent
    if "results" in doc and "entries" not in doc:
        return _load_detect_secrets(p, doc, root)
    return _load_dlp(p, doc, root)


def _load_dlp(p: Path, doc: dict[str, Any], root: Path) -> Baseline:
    if doc.get("version") != VERSION:
        raise ConfigError(f"{p}: unsupported baseline version {doc.get('version')!r} (expected {VERSION})")
    unknown = set(doc) - {"version", "entries"}
    if unknown:
        raise ConfigError(f"{p}: unknown key {sorted(unknown)[0]!r}")
    raw_entries = doc.get("entries")
    if not isinstance(raw_entries, list):
        raise ConfigError(f"{p}: 'entries' must be a list")
    entries = []
    for i, item in enumerate(raw_entries):
        where = f"{p}: entries[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: must be an object")
        extra = set(item) - {"rule_id", "fingerprint", "path", "is_secret"}
        if extra:
            raise ConfigError(f"{where}: unknown key {sorted(extra)[0]!r} (a baseline never holds values)")
        rule_id, fp, path, is_secret = (item.get(k) for k in ("rule_id", "fingerprint", "path", "is_secret"))
        if not isinstance(rule_id, str) or not rule_id:
            raise ConfigError(f"{where}: 'rule_id' must be a string")
        if not isinstance(fp, str) or not fp.startswith("sha256:"):
            raise ConfigError(f"{where}: 'fingerprint' must be a 'sha256:...' string")
        if path is not None and not isinstance(path, str):
            raise ConfigError(f"{where}: 'path' must be a string or null")
        if is_secret is not None and not isinstance(is_secret, bool):
            raise ConfigError(f"{where}: 'is_secret' must be true, false or absent")
        entries.append(Entry(rule_id, fp, normalize_path(path), is_secret))
    return Baseline(entries, FORMAT_DLP, root)


def _load_detect_secrets(p: Path, doc: dict[str, Any], root: Path) -> Baseline:
    results = doc.get("results")
    if not isinstance(results, dict):
        raise ConfigError(f"{p}: detect-secrets baseline: 'results' must be an object")
    entries = []
    for filename, items in results.items():
        if not isinstance(items, list):
            raise ConfigError(f"{p}: detect-secrets baseline: results[{filename!r}] must be a list")
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("hashed_secret"), str):
                raise ConfigError(f"{p}: detect-secrets baseline: results[{filename!r}]: "
                                  "each entry needs a 'hashed_secret'")
            is_secret = item.get("is_secret")
            entries.append(Entry(str(item.get("type", "detect-secrets")), "sha1:" + item["hashed_secret"].lower(),
                                 normalize_path(filename), is_secret if isinstance(is_secret, bool) else None))
    return Baseline(entries, FORMAT_DETECT_SECRETS, root, raw=doc)


def _dump_detect_secrets(baseline: Baseline) -> str:
    """Write audit labels back into the detect-secrets document, changing nothing else."""
    doc = json.loads(json.dumps(baseline.raw))
    labels = {(e.fingerprint, e.path, e.rule_id): e.is_secret for e in baseline.entries}
    for filename, items in doc.get("results", {}).items():
        for item in items:
            key = ("sha1:" + str(item.get("hashed_secret", "")).lower(), normalize_path(filename),
                   str(item.get("type", "detect-secrets")))
            if key in labels:
                if labels[key] is None:
                    item.pop("is_secret", None)
                else:
                    item["is_secret"] = labels[key]
    return json.dumps(doc, indent=2) + "\n"
