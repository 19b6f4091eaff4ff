"""The hook fast path: answer "allow" for a clean prompt without loading rules.

Every prompt goes through a hook in a fresh process, and most prompts hold
nothing. Loading the ruleset (616 rules in YAML, the validators and their
libraries) costs far more than scanning 4 KB, so after the first full run
dlp keeps a *snapshot* next to the Hyperscan cache: the compiled database,
each rule's keywords and multiline flag, the few policy facts the answer
depends on, and the files it was built from (rule packs, their directories,
the config file) with their modification times and sizes.

A later prompt hook with a valid snapshot runs the same prefilter the scanner
runs first (``HyperscanMatcher.spans``: database matches, then the keyword
line filter). If no rule has a span there can be no finding, so the answer is
allow, exactly what the full path would answer; otherwise, or when the prompt
mentions a file (``@path``), or the policy names a proprietary code index,
or anything about the snapshot is off, the full path runs. The snapshot holds
no scanned content.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dlp.payloads import mentions

_VERSION = 1
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
    return cache_dir() / f"egress-{hashlib.sha256(key.encode()).hexdigest()[:24]}.snap"


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
    from dlp.ruleset import builtin_rules_dir

    matcher = egress.ruleset.matcher(egress.engine)
    db = getattr(matcher, "_db", None)
    keywords = getattr(matcher, "_keywords", None)
    multiline = getattr(matcher, "_multiline", None)
    if matcher.name != "hyperscan" or db is None or keywords is None or multiline is None:
        return False
    import hyperscan

    deps: dict[str, list[int] | None] = {}
    root = builtin_rules_dir()
    for directory, _dirs, files in os.walk(root):
        deps[directory] = _stat(directory)
        for name in files:
            path = os.path.join(directory, name)
            deps[path] = _stat(path)
    for rule in egress.ruleset.rules:
        deps.setdefault(str(rule.source), _stat(str(rule.source)))
    used_config = egress.config_path if egress.config_path is not None else find_config(cwd)
    if used_config is not None:
        deps[str(used_config)] = _stat(str(used_config))
    # a config file appearing later must invalidate the snapshot
    absent = [] if used_config is not None else _config_candidates(cwd)
    policy = egress.policy
    header = {
        "version": _VERSION,
        "hyperscan": str(getattr(hyperscan, "__version__", "")),
        "deps": deps,
        "absent": absent,
        "audit": str(policy.audit_path) if policy.audit_path else None,
        "max_input": egress.max_input,
        "multiline": list(multiline),
        "keywords": [[k.hex() for k in kws] for kws in keywords],
    }
    blob = json.dumps(header).encode() + b"\n" + hyperscan.dumpb(db)
    target = _snapshot_path(cwd, config_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".egress-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
    os.replace(tmp, target)
    return True


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
    __slots__ = ("_db", "_keywords", "_scratch", "header")

    def __init__(self, header: dict[str, Any], db: Any) -> None:
        self.header = header
        self._db = db
        self._scratch: Any = None
        self._keywords = [tuple(bytes.fromhex(k) for k in kws) for kws in header["keywords"]]

    @property
    def audit_path(self) -> Path | None:
        return Path(self.header["audit"]) if self.header.get("audit") else None

    def has_spans(self, data: bytes) -> bool:
        """True if any rule would run its regex on ``data`` (the scanner's prefilter)."""
        import hyperscan

        from dlp.engine.lines import line_has_keyword, line_span

        hits: dict[int, list[int]] = {}
        multiline = self.header["multiline"]

        def on_match(index: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            hits.setdefault(index, []).append(to - 1 if to > 0 else 0)

        if self._scratch is None:
            self._scratch = hyperscan.Scratch(self._db)
        self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        lowered = data.lower() if hits else b""
        for index, positions in hits.items():
            keywords = self._keywords[index]
            if not keywords:
                return True
            if multiline[index]:
                if any(kw in lowered for kw in keywords):
                    return True
                continue
            if any(line_has_keyword(lowered, line_span(data, p), keywords) for p in positions):
                return True
        return False


def load(cwd: Path, config_path: Path | None) -> Snapshot | None:
    """The snapshot for (cwd, config) if every file it depends on is unchanged."""
    try:
        with open(_snapshot_path(cwd, config_path), "rb") as fh:
            blob = fh.read()
        head, _, db_bytes = blob.partition(b"\n")
        header = json.loads(head)
        if header.get("version") != _VERSION:
            return None
        for path, stat in header["deps"].items():
            if _stat(path) != stat:
                return None
        for path in header["absent"]:
            if os.path.exists(path):
                return None
        import hyperscan

        if str(getattr(hyperscan, "__version__", "")) != header["hyperscan"]:
            return None
        return Snapshot(header, hyperscan.loadb(db_bytes, hyperscan.HS_MODE_BLOCK))
    except Exception:  # noqa: BLE001 - any doubt: take the full path
        return None


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
              destination: str | None, session: str | None) -> tuple[str | None, bool]:
    """(the tool's allow answer if the fast path proves the prompt clean, else
    None; whether the full path should write a snapshot)."""
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
