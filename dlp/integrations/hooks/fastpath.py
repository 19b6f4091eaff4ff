"""The hook fast path: answer "allow" for a clean prompt without loading rules.

Every prompt goes through a hook in a fresh process, and most prompts hold
nothing. Loading the ruleset (hundreds of rules, the validators and their
libraries) costs far more than scanning 4 KB, so after the first full run
dlp keeps a *snapshot* next to the Hyperscan cache: the core's Hyperscan
matcher itself (its database and its plain-data state), the few policy facts
the answer depends on, and what it was built from (rule packs and their
directories, the config file, and the source files of the matcher, the
scanner and this module) with their modification times and sizes.

A later prompt hook with a valid snapshot rebuilds that matcher and calls its
own ``spans`` (database matches, then the keyword line filter): the scanner
runs a rule's regex only on those spans, so no span means no finding, and the
answer is allow, exactly what the full path would answer (a test checks this
on every rule's positive examples). Otherwise, or when the prompt mentions a
file (``@path``) or has attachments, or the policy names a proprietary code
index, or anything about the snapshot is off, the full path runs. The
snapshot holds no scanned content.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dlp.cache import sha256
from dlp.mentions import mentions

_VERSION = 4
_CONFIG_NAMES = (".dlp.yaml", ".dlp.yml")


def cache_dir() -> Path:
    explicit = os.environ.get("DLP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dlp"


def find_config(start: Path) -> Path | None:
    """Same answer as :func:`dlp.config.find_config` (kept import-free; a test
    checks they agree)."""
    here = start.resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            for name in _CONFIG_NAMES:
                if (directory / name).is_file():
                    return directory / name
            break
    for name in _CONFIG_NAMES:
        if (here / name).is_file():
            return here / name
    return None


def _snapshot_path(cwd: Path, config_path: Path | None) -> Path:
    key = json.dumps([_VERSION, str(cwd.resolve()), str(config_path) if config_path else None,
                      os.environ.get("DLP_RULES_DIR"), sys.version_info[:2]])
    return cache_dir() / f"egress-{sha256(key.encode()).hexdigest()[:24]}.snap"


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_size]


# --------------------------------------------------------------------------- writing (full path)


def save(egress: Any, *, cwd: Path, config_path: Path | None) -> bool:
    """Write the snapshot for (cwd, config) after a full run. Best effort."""
    try:
        return _save(egress, cwd=cwd, config_path=config_path)
    except Exception:  # noqa: BLE001 - a missing snapshot only costs speed
        return False


def _save(egress: Any, *, cwd: Path, config_path: Path | None) -> bool:
    if egress.engine not in ("auto", "hyperscan") or egress.index is not None:
        return False
    import importlib

    from dlp.ruleset import builtin_rules_dir

    matcher = egress.ruleset.matcher(egress.engine)
    if getattr(matcher, "name", None) != "hyperscan":
        return False
    state = _encode_matcher(matcher)
    if state is None:
        return False
    deps: dict[str, list[int] | None] = {}
    root = builtin_rules_dir()
    for directory, _dirs, files in os.walk(root):
        deps[directory] = _stat(directory)
        for name in files:
            path = os.path.join(directory, name)
            deps[path] = _stat(path)
    for rule in egress.ruleset.rules:
        deps.setdefault(str(rule.source), _stat(str(rule.source)))
    # the code whose behaviour the snapshot stands for
    for module in (type(matcher).__module__, "dlp.scan", "dlp.ruleset", "dlp.engine.lines", __name__):
        source = getattr(importlib.import_module(module), "__file__", None)
        if source:
            deps[source] = _stat(source)
    used_config = egress.config_path if egress.config_path is not None else find_config(cwd)
    if used_config is not None:
        deps[str(used_config)] = _stat(str(used_config))
    # a config file appearing later must invalidate the snapshot
    absent = [] if used_config is not None else _config_candidates(cwd)
    policy = egress.policy
    header = {
        "version": _VERSION,
        "deps": deps,
        "absent": absent,
        "audit": str(policy.audit_path) if policy.audit_path else None,
        "max_input": egress.max_input,
        "matcher": f"{type(matcher).__module__}:{type(matcher).__qualname__}",
        "ruleset": egress.ruleset.hash,
        "dbs": [[attr, len(db)] for attr, db in state["dbs"].items()],
    }
    import marshal
    import tempfile

    attrs = marshal.dumps(state["attrs"])
    blob = b"".join([json.dumps(header).encode(), b"\n", len(attrs).to_bytes(4, "big"), attrs,
                     *state["dbs"].values()])
    target = _snapshot_path(cwd, config_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".egress-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
    os.replace(tmp, target)
    return True


def _encode_matcher(matcher: Any) -> dict[str, Any] | None:
    """The matcher's instance state: ``attrs`` (its scratch space, ``_scratch``,
    emptied: None, or {} for scratch spaces by database; a dict of databases
    it loaded on demand, emptied) and ``dbs`` (its
    Hyperscan databases, serialised, by attribute); or None if it holds
    anything but plain data (None, bool, numbers, str, bytes, and lists,
    tuples, sets, frozensets and dicts of them: what marshal restores
    exactly). The snapshot stores the core matcher itself, so the fast path
    runs the core's own ``spans``."""
    import hyperscan

    attrs = getattr(matcher, "__dict__", None)
    if attrs is None:
        return None
    out: dict[str, Any] = {}
    dbs: dict[str, bytes] = {}
    for key, value in attrs.items():
        if isinstance(value, hyperscan.Database):
            dbs[key] = hyperscan.dumpb(value)
        elif key == "_scratch" and (value is None or isinstance(value, hyperscan.Scratch)):
            out[key] = None
        elif key == "_scratch" and isinstance(value, dict) and all(isinstance(v, hyperscan.Scratch)
                                                                   for v in value.values()):
            out[key] = {}
        elif isinstance(value, dict) and value and all(isinstance(v, hyperscan.Database) for v in value.values()):
            out[key] = {}  # databases loaded on demand from blobs the matcher keeps: loaded again when needed
        elif _plain(value):
            out[key] = value
        else:
            return None
    if not dbs:
        return None
    return {"attrs": out, "dbs": dbs}


def _plain(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def _config_candidates(cwd: Path) -> list[str]:
    here = cwd.resolve()
    out = [str(here / n) for n in _CONFIG_NAMES]
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            out.extend(str(directory / n) for n in _CONFIG_NAMES)
            break
        out.append(str(directory / ".git"))
    return out


# --------------------------------------------------------------------------- reading (fast path)


class Snapshot:
    """A core matcher rebuilt from its saved state, and the policy facts the
    fast path needs."""

    __slots__ = ("header", "matcher")

    def __init__(self, header: dict[str, Any], matcher: Any) -> None:
        self.header = header
        self.matcher = matcher

    @property
    def audit_path(self) -> Path | None:
        return Path(self.header["audit"]) if self.header.get("audit") else None

    def has_spans(self, data: bytes) -> bool:
        """True if any rule would run its regex on ``data``: the scanner's own
        prefilter (``matcher.spans``), the only source of scan candidates."""
        return bool(self.matcher.spans(data))


def rebuild_matcher(name: str, attrs: dict[str, Any], dbs: dict[str, bytes]) -> Any:
    """The matcher saved by :func:`_encode_matcher`."""
    import importlib

    import hyperscan

    module_name, _, class_name = name.partition(":")
    if not module_name.startswith("dlp.engine.") or not class_name.isidentifier():
        raise ValueError(f"not a dlp matcher: {name!r}")  # a cache file names only dlp's own matchers
    cls = getattr(importlib.import_module(module_name), class_name)
    matcher = object.__new__(cls)
    for key, value in attrs.items():
        setattr(matcher, key, value)
    for key, db in dbs.items():
        setattr(matcher, key, hyperscan.loadb(db, hyperscan.HS_MODE_BLOCK))
    return matcher


def load(cwd: Path, config_path: Path | None) -> Snapshot | None:
    """The snapshot for (cwd, config) if every file it depends on is unchanged."""
    try:
        with open(_snapshot_path(cwd, config_path), "rb") as fh:
            # the header first: a stale snapshot costs no read of the database
            header = json.loads(fh.readline())
            if header.get("version") != _VERSION:
                return None
            for path, stat in header["deps"].items():
                if _stat(path) != stat:
                    return None
            for path in header["absent"]:
                if os.path.exists(path):
                    return None
            import marshal

            attrs = marshal.loads(fh.read(int.from_bytes(fh.read(4), "big")))
            dbs = {attr: fh.read(size) for attr, size in header["dbs"]}  # one copy of each database
        if not isinstance(attrs, dict) or any(len(db) != size for (_, size), db in zip(header["dbs"], dbs.values())):
            return None
        return Snapshot(header, rebuild_matcher(header["matcher"], attrs, dbs))
    except Exception:  # noqa: BLE001 - any doubt: take the full path
        return None


def adopt(egress: Any, snapshot: Snapshot) -> bool:
    """Hand the snapshot's matcher (already loaded, its scratch allocated) to
    ``egress``'s ruleset, if the snapshot was built from the same rules, so the
    full path does not load the Hyperscan database a second time."""
    try:
        built_for = snapshot.header.get("ruleset")
        if egress.engine not in ("auto", "hyperscan") or egress.index is not None or not built_for:
            return False
        from dlp.engine import resolve_engine

        name = resolve_engine(egress.engine)
        if name != getattr(snapshot.matcher, "name", None):
            return False
        return bool(egress.ruleset.adopt_matcher(name, snapshot.matcher, built_for=built_for))
    except Exception:  # noqa: BLE001 - the full path builds its own
        return False


# prompt events answered here, and the tool's "allow" answer for each
PROMPT_EVENTS: dict[tuple[str, str], str] = {
    ("claude-code", "UserPromptSubmit"): "",
    ("qoder", "UserPromptSubmit"): "",
    ("codex", "UserPromptSubmit"): "",
    ("cursor", "beforeSubmitPrompt"): '{"continue": true}\n',
    ("gemini-cli", "BeforeAgent"): "{}\n",
    ("copilot", "userPromptSubmitted"): "",
}


def try_allow(tool: str, payload: Mapping[str, Any], event: str, cwd: Path, config_path: Path | None,
              destination: str | None, session: str | None,
              spare: list[Snapshot] | None = None) -> tuple[str | None, bool]:
    """(the tool's allow answer if the fast path proves the prompt clean, else
    None; whether the full path should write a snapshot). A valid snapshot
    that could not prove it clean is appended to ``spare``: the full path
    can reuse its matcher (:func:`adopt`)."""
    answer = PROMPT_EVENTS.get((tool, event))
    if answer is None:
        return None, False
    prompt = payload.get("prompt")
    if not isinstance(prompt, str) or payload.get("attachments") or next(mentions(prompt, cwd), None):
        return None, False
    data = prompt.encode("utf-8", "surrogatepass")
    snapshot = load(cwd, config_path)
    if snapshot is None:
        return None, True
    if len(data) > snapshot.header["max_input"] or snapshot.has_spans(data):
        if spare is not None:
            spare.append(snapshot)
        return None, False
    if snapshot.audit_path is not None:
        from dlp.audit import record

        record(snapshot.audit_path, _Allow(destination), source=tool, event=event, session=session)
    return answer, False


class _Allow:
    """The decision of a clean prompt, for the audit log."""

    __slots__ = ("destination",)
    action = "allow"
    findings = ()

    def __init__(self, destination: str | None) -> None:
        self.destination = destination
