"""Egress decisions: may this content leave for that destination?

Every wrapper (``dlp check``, ``dlp redact``, the assistant hooks, the proxy
stages) goes through :class:`Egress`, so the same content gets the same
decision everywhere. An :class:`Egress` is built once per process from
``.dlp.yaml`` (policy + ruleset + optional proprietary index); its methods do
no I/O except where they say so (``check_path``, ``check_prompt`` and
``check_tool_call`` read the files they are asked about).

The decision is the strongest action over the findings (allow < redact <
block); each finding carries its own action (see :mod:`dlp.policy`).
"""
from __future__ import annotations

import json
import os
import re
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dlp.config import Allowlist
from dlp.errors import InputError
from dlp.mask import fingerprint
from dlp.mentions import mentions
from dlp.model import Action, Category, Finding, Origin, Severity
from dlp.policy import PATH_RULE_ID, Policy, stronger
from dlp.records import record
from dlp.report import ReportedFinding, finding_record

if TYPE_CHECKING:  # the index module is imported when a policy names an index
    from dlp.proprietary import ProprietaryIndex

MAX_INPUT = 10 * 1024 * 1024  # bytes of text one call will look at
_NO_ORIGIN = Origin()
MAX_TOOL_FILES = 32  # files named by one tool call whose content is checked
_BINARY_SNIFF = 8192
_ORDER = {Action.ALLOW: 0, Action.REDACT: 1, Action.BLOCK: 2}
_PATH_KEYS = ("file_path", "filePath", "path", "absolute_path", "notebook_path", "target_file", "dir_path",
              "directory", "relative_workspace_path", "target_directory", "file", "filename", "cwd")
_PATH_LIST_KEYS = ("paths", "file_paths", "files", "include", "absolute_paths")
_COMMAND_KEYS = ("command", "cmd", "commandLine", "script")


@cache
def outbound_tools() -> re.Pattern[str]:
    """Tools that send their arguments out (web fetches, MCP servers).
    Compiled on first use: a prompt never needs it."""
    return re.compile(r"(?i)^(webfetch|websearch|web_fetch|google_web_search|fetch|mcp__.*|mcp_.*)$")


@record
class Decision:
    action: Action  # allow | redact | block (the strongest over all findings)
    findings: tuple[ReportedFinding, ...]  # each with its own action
    destination: str | None  # host the content is going to, if known
    reasons: tuple[str, ...]  # one-line, value-free explanations for the user

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.finding.rule_id for r in self.findings))

    def to_record(self, *, reveal: bool = False) -> dict[str, Any]:
        return {
            "version": 1,
            "decision": str(self.action),
            "destination": self.destination,
            "reasons": list(self.reasons),
            "findings": [finding_record(r, reveal=reveal) for r in self.findings],
        }

    def summary(self, limit: int = 5) -> str:
        """One paragraph for a user: what was found and what happens."""
        if not self.reasons:
            return "dlp: nothing to stop"
        shown = list(self.reasons[:limit])
        if len(self.reasons) > limit:
            shown.append(f"... and {len(self.reasons) - limit} more")
        return "; ".join(shown)


ALLOW = Decision(Action.ALLOW, (), None, ())


def combine(decisions: Iterable[Decision], destination: str | None = None) -> Decision:
    findings: list[ReportedFinding] = []
    reasons: list[str] = []
    action = Action.ALLOW
    for d in decisions:
        findings.extend(d.findings)
        reasons.extend(r for r in d.reasons if r not in reasons)
        action = stronger(action, d.action)
        destination = destination or d.destination
    return Decision(action, tuple(findings), destination, tuple(reasons))


class Egress:
    """Loaded once per process: policy + ruleset (+ proprietary index). Thread-safe, no I/O per call."""

    def __init__(self, policy: Policy, ruleset: Any, *, allowlist: Allowlist | None = None,
                 engine: str = "auto", index: ProprietaryIndex | None = None, config_path: Path | None = None,
                 max_input: int = MAX_INPUT) -> None:
        self.policy = policy
        self.ruleset = ruleset
        self.allowlist = allowlist if allowlist is not None else Allowlist()
        self.engine = engine
        self.index = index
        self.config_path = config_path
        self.max_input = max_input
        # The matcher's Hyperscan scratch space is per process, and a scratch
        # may serve one scan at a time: scans through one Egress are serialised.
        self._scan_lock = allocate_lock()

    @classmethod
    def from_config(cls, config_path: Path | None = None, *, cwd: Path | None = None,
                    index_path: Path | None = None, engine: str = "auto") -> Egress:
        """Policy and rules from ``config_path``, else the ``.dlp.yaml`` found from ``cwd``."""
        from dlp.config import find_config, load_config
        from dlp.policy import load_policy, selection_for
        from dlp.ruleset import load_ruleset

        path = config_path if config_path is not None else find_config(cwd)
        config = load_config(path)
        policy = load_policy(config)
        if path is None and cwd is not None:
            from dlp.records import replace

            policy = replace(policy, root=Path(cwd).resolve())
        ruleset = load_ruleset(selection_for(config.selection, policy))
        index_file = index_path or policy.index_path
        index = None
        if index_file is not None:
            from dlp.proprietary import open_index

            index = open_index(index_file)
        return cls(policy, ruleset, allowlist=config.allowlist, engine=engine, index=index, config_path=path)

    # ----------------------------------------------------------------- core

    def findings(self, text: str, *, origin: Origin | None = None) -> list[Finding]:
        """Findings in ``text`` (rules + proprietary index), allowlisted ones removed."""
        from dlp.scan import scan

        origin = origin if origin is not None else _NO_ORIGIN
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > self.max_input:
            raise InputError(f"input of {len(data)} bytes is larger than the {self.max_input}-byte limit")
        with self._scan_lock:
            found = list(scan(data, self.ruleset, origin=origin, engine=self.engine))
        if self.index is not None:
            found.extend(self.index.lookup(data, origin=origin, threshold=self.policy.proprietary_threshold))
        allow = self.allowlist
        if allow.rules or allow.paths is not None or allow.fingerprints or allow.values:
            found = [f for f in found if not allow.allows(f.rule_id, f.path, f.fingerprint, f.value)]
        return found

    def decide(self, findings: Iterable[Finding], *, destination: str | None = None,
               notes: Sequence[str] = ()) -> Decision:
        reported = tuple(ReportedFinding(f, self.policy.action_for(f, destination)) for f in findings)
        action = Action.ALLOW
        reasons: list[str] = []
        for item in reported:
            action = stronger(action, item.action)
            if item.action is not Action.ALLOW:
                reason = _reason(item)
                if reason not in reasons:
                    reasons.append(reason)
        reasons.extend(notes)
        return Decision(action, reported, destination, tuple(reasons))

    # ----------------------------------------------------------------- text

    def check_text(self, text: str, *, destination: str | None = None, path: str | None = None) -> Decision:
        findings = self.findings(text, origin=Origin(path=path))
        if path is not None and self.policy.is_proprietary(path):
            findings.insert(0, self._path_finding(path))
        return self.decide(findings, destination=destination)

    def redact_text(self, text: str, vault: Any, *, destination: str | None = None) -> tuple[Decision, str]:
        decision = self.check_text(text, destination=destination)
        return decision, self._redact_spans(text, decision, vault)

    def _redact_spans(self, text: str, decision: Decision, vault: Any) -> str:
        from dlp.redact import redact_spans

        spans = [(r.finding.start, r.finding.end, r.finding.rule_id, r.finding.category)
                 for r in decision.findings if r.action is not Action.ALLOW and r.finding.end > r.finding.start]
        return redact_spans(text, spans, vault) if spans else text

    # ----------------------------------------------------------------- payloads

    def check_payload(self, payload: dict, kind: str, *, destination: str | None = None) -> Decision:
        return self._payload(payload, kind, destination)[0]

    def redact_payload(self, payload: dict, kind: str, vault: Any, *, destination: str | None = None
                       ) -> tuple[Decision, dict]:
        """The payload with placeholders (the input is not mutated; when nothing is
        replaced, the same object, uncopied). Anthropic ``thinking`` blocks are kept unchanged. When the decision is block the
        payload must not be sent."""
        from dlp.payloads import rebuild

        decision, parts = self._payload(payload, kind, destination)
        replacements: dict[tuple[Any, ...], Any] = {}
        notes: list[str] = []
        for segment, seg_decision in parts:
            if seg_decision.action is Action.ALLOW:
                continue
            new_value, complete = self._redact_segment(segment, seg_decision, vault)
            if not complete:
                notes.append(f"a value in {segment.field} could not be redacted in place")
            if new_value is not segment.value:
                replacements[segment.path] = new_value
        if notes:
            decision = Decision(Action.BLOCK, decision.findings, decision.destination, (*decision.reasons, *notes))
        return decision, rebuild(payload, replacements)

    def _payload(self, payload: dict, kind: str, destination: str | None
                 ) -> tuple[Decision, list[tuple[Any, Decision]]]:
        from dlp.payloads import segments

        parts = []
        total = 0
        for segment in segments(payload, kind):
            text = segment.scan_text()
            total += len(text)
            if total > self.max_input:
                raise InputError(f"{kind} payload: more than {self.max_input} bytes of text")
            extra: tuple[tuple[str, str], ...] = (("field", segment.field),)
            if segment.role:
                extra += (("role", segment.role),)
            origin = Origin(message_index=segment.message_index, extra=extra)
            found = self.findings(text, origin=origin)
            if found:
                parts.append((segment, self.decide(found, destination=destination)))
        return combine((d for _, d in parts), destination), parts

    def _redact_segment(self, segment: Any, decision: Decision, vault: Any) -> tuple[Any, bool]:
        """(new value, every value was replaced)."""
        if segment.shape == "text":
            return self._redact_spans(segment.value, decision, vault), True
        from dlp.payloads import replace_in_leaves, string_leaves

        obj = json.loads(segment.value) if segment.shape == "json" else segment.value
        pairs: dict[str, str] = {}
        for item in decision.findings:
            if item.action is Action.ALLOW or not item.finding.value:
                continue
            placeholder = vault.placeholder_for(item.finding)
            pairs[item.finding.value] = placeholder
            try:  # the value as found in JSON text may be escaped (\" \\ \/ \uXXXX)
                unescaped = json.loads(f'"{item.finding.value}"')
            except ValueError:
                unescaped = None
            if isinstance(unescaped, str) and unescaped != item.finding.value:
                pairs[unescaped] = placeholder
        ordered = sorted(pairs, key=len, reverse=True)

        def replace(s: str) -> str:
            for value in ordered:
                if value in s:
                    s = s.replace(value, pairs[value])
            return s

        new_obj = replace_in_leaves(obj, replace)
        leaves = "\0".join(string_leaves(new_obj))
        complete = not any(v in leaves for v in ordered)
        found_all = all(pairs[v] in leaves for v in ordered)
        if segment.shape == "json":
            new_value: Any = json.dumps(new_obj, ensure_ascii=False) if new_obj != obj else segment.value
        else:
            new_value = new_obj
        return new_value, complete and found_all

    # ----------------------------------------------------------------- paths, prompts, tool calls

    def check_path(self, path: str, *, cwd: Path | None = None, destination: str | None = None,
                   read: bool = True) -> Decision:
        """A file about to be read by an assistant: a proprietary path, or a file
        whose content (the first ``max_input`` bytes) has findings."""
        shown = self._shown(path, cwd)
        if self.policy.is_proprietary(path, cwd=cwd):
            return self.decide([self._path_finding(shown)], destination=destination)
        if not read:
            return Decision(Action.ALLOW, (), destination, ())
        return self.decide(self._file_findings(path, cwd, shown), destination=destination)

    def check_prompt(self, prompt: str, *, cwd: Path | None = None, destination: str | None = None,
                     attachments: Iterable[str] = ()) -> Decision:
        """A prompt: its text, the files it mentions with ``@path``, and attached files."""
        findings = self.findings(prompt)
        data = None
        seen: set[str] = set()
        for m, target in mentions(prompt, cwd):
            if target in seen:
                continue
            seen.add(target)
            shown = self._shown(target, cwd)
            if self.policy.is_proprietary(target, cwd=cwd):
                if data is None:
                    data = prompt.encode("utf-8", "surrogatepass")
                start = len(prompt[:m.start()].encode("utf-8", "surrogatepass"))
                end = start + len(m.group(0).encode("utf-8", "surrogatepass"))
                findings.append(self._path_finding(shown, span=(start, end), data=data, value=m.group(0)))
            else:
                findings.extend(self._file_findings(target, cwd, shown))
        for path in attachments:
            if path in seen:
                continue
            seen.add(path)
            shown = self._shown(path, cwd)
            if self.policy.is_proprietary(path, cwd=cwd):
                findings.append(self._path_finding(shown))
            else:
                findings.extend(self._file_findings(path, cwd, shown))
        return self.decide(findings, destination=destination)

    def check_tool_call(self, tool_name: str, tool_input: Any, *, cwd: Path | None = None,
                        destination: str | None = None) -> Decision:
        """A tool call about to run: the files it names (proprietary paths, files
        with findings, shell commands included), and for tools that send data out
        (web fetches, MCP servers) its arguments."""
        findings: list[Finding] = []
        checked = 0
        for path in tool_paths(tool_input, cwd=cwd):
            shown = self._shown(path, cwd)
            if self.policy.is_proprietary(path, cwd=cwd):
                findings.append(self._path_finding(shown))
                continue
            if checked < MAX_TOOL_FILES and _is_file(path, cwd):
                checked += 1
                findings.extend(self._file_findings(path, cwd, shown))
        if outbound_tools().match(tool_name or "") and tool_input:
            text = tool_input if isinstance(tool_input, str) else json.dumps(tool_input, ensure_ascii=False)
            findings.extend(self.findings(text, origin=Origin(extra=(("field", "tool_input"),))))
        return self.decide(findings, destination=destination)

    # ----------------------------------------------------------------- helpers

    def _shown(self, path: str, cwd: Path | None) -> str:
        rel = self.policy.relative(path, cwd=cwd)
        return rel if rel else path

    def _file_findings(self, path: str, cwd: Path | None, shown: str) -> list[Finding]:
        full = Path(os.path.expanduser(path))
        if not full.is_absolute():
            full = (cwd or Path.cwd()) / full
        try:
            if not full.is_file():
                return []
            with open(full, "rb") as fh:
                data = fh.read(self.max_input)
        except OSError:
            return []
        if b"\0" in data[:_BINARY_SNIFF]:
            return []
        return self.findings(data.decode("utf-8", "replace"), origin=Origin(path=shown))

    def _path_finding(self, shown: str, *, span: tuple[int, int] | None = None, data: bytes | None = None,
                      value: str | None = None) -> Finding:
        start, end = span or (0, 0)
        line = column = end_line = end_column = 1
        if span is not None and data is not None:
            line = data.count(b"\n", 0, start) + 1
            column = len(data[data.rfind(b"\n", 0, start) + 1:start].decode("utf-8", "replace")) + 1
            end_line = line
            end_column = column + len(data[start:end].decode("utf-8", "replace"))
        return Finding(
            rule_id=PATH_RULE_ID, category=Category.PROPRIETARY, severity=Severity.HIGH,
            message="Proprietary path (policy proprietary.paths)", start=start, end=end,
            line=line, column=column, end_line=end_line, end_column=end_column,
            masked=shown, fingerprint=fingerprint(PATH_RULE_ID, shown), value=value or shown,
            origin=Origin(path=shown),
        )


# --------------------------------------------------------------------------- module helpers


def _reason(item: ReportedFinding) -> str:
    f = item.finding
    if f.rule_id == PATH_RULE_ID:
        return f"{f.path} is a proprietary path -> {item.action}"
    where = ""
    if f.path:
        where = f" in {f.path}:{f.line}"
    else:
        field = next((v for k, v in f.origin.extra if k == "field"), None)
        where = f" in {field}" if field else f" at line {f.line}"
    source = f.attribute("source")
    if isinstance(source, dict) and source.get("path"):
        where += f" (matches {source['path']})"
    special = f.attribute("special_category")
    if special:
        where += f", next to {special} data"
    return f"{f.category}: {f.message} ({f.rule_id}){where} -> {item.action}"


def _is_file(path: str, cwd: Path | None) -> bool:
    full = Path(os.path.expanduser(path))
    if not full.is_absolute():
        full = (cwd or Path.cwd()) / full
    try:
        return full.is_file()
    except OSError:
        return False


def tool_paths(tool_input: Any, *, cwd: Path | None = None) -> list[str]:
    """Paths a tool call names: path-like arguments, and the words of shell
    commands that look like paths."""
    if isinstance(tool_input, str):
        try:
            tool_input = json.loads(tool_input)
        except ValueError:
            return []
    if not isinstance(tool_input, dict):
        return []
    out: list[str] = []
    for key in _PATH_KEYS:
        value = tool_input.get(key)
        if isinstance(value, str) and value and key != "cwd":
            out.append(value)
    for key in _PATH_LIST_KEYS:
        value = tool_input.get(key)
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            out.extend(v for v in value if isinstance(v, str) and v)
    for key in _COMMAND_KEYS:
        value = tool_input.get(key)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        if isinstance(value, str) and value:
            out.extend(command_paths(value, cwd=cwd))
    return list(dict.fromkeys(out))


_SHELL_SPLIT = r"[|;&<>()]+|\s+"


def command_paths(command: str, *, cwd: Path | None = None) -> list[str]:
    """Words of a shell command that look like paths (contain a slash or a dot,
    or name an existing file)."""
    import shlex

    try:
        words = shlex.split(command, comments=True, posix=True)
    except ValueError:
        words = command.split()
    out = []
    split = re.compile(_SHELL_SPLIT).split
    for word in words:
        for piece in split(word):
            if not piece or piece.startswith("-") and "=" not in piece:
                continue
            if piece.startswith("-") and "=" in piece:
                piece = piece.split("=", 1)[1]
            if "://" in piece or "$" in piece:
                continue
            if "/" in piece or "." in piece or _is_file(piece, cwd):
                out.append(piece)
    return out


def __getattr__(name: str) -> Any:
    # ``open_index`` and ``ProprietaryIndex`` are still importable from here,
    # without loading the index module for every hook process.
    if name in ("open_index", "ProprietaryIndex"):
        from dlp import proprietary

        return getattr(proprietary, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
